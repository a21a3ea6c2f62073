// The standard global environment: every extension family, installed into a context.
#ifndef JSCORE_ENGINE_EXTENSIONS_ENVIRONMENT_H_
#define JSCORE_ENGINE_EXTENSIONS_ENVIRONMENT_H_

#include "absl/types/span.h"
#include "engine/internal/js_scope.h"

namespace jscore::engine::extensions {

// Called on the worker thread for every context built with Environment::kStandard
// (including the pre-built ones), before any job owns it. Each family's Install…
// function is called from here, in a fixed order. `with_fetch` (the daemon was
// started with --allow_fetch) adds fetch, Headers, Response and XMLHttpRequest.
void InstallStandardEnvironment(internal::JsScope& scope, bool with_fetch);

// One step of the standard environment: a family's Install… function and its name
// (for measurements: engine/bench/fresh_context_bench.cc times each on its own).
struct Family {
  const char* name;
  void (*install)(internal::JsScope& scope);
};

// The steps InstallStandardEnvironment takes, in its order (the order of the
// globals: Object.getOwnPropertyNames(globalThis) lists them as installed).
// `with_fetch` adds the fetch family last.
absl::Span<const Family> StandardFamilies(bool with_fetch);

// Called for Environment::kBare: removes what V8 itself adds beyond ECMAScript, and
// makes the safety changes every context gets (FinalizationRegistry, weak_refs.h).
void StripToBareEcmaScript(internal::JsScope& scope);

}  // namespace jscore::engine::extensions

#endif  // JSCORE_ENGINE_EXTENSIONS_ENVIRONMENT_H_
