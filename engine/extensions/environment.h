// The standard global environment: every extension family, installed into a context.
#ifndef JSCORE_ENGINE_EXTENSIONS_ENVIRONMENT_H_
#define JSCORE_ENGINE_EXTENSIONS_ENVIRONMENT_H_

#include "engine/internal/js_scope.h"

namespace jscore::engine::extensions {

// Called on the worker thread for every context built with Environment::kStandard
// (including the pre-built ones), before any job owns it. Each family's Install…
// function is called from here, in a fixed order. `with_fetch` (the daemon was
// started with --allow_fetch) adds fetch, Headers, Response and XMLHttpRequest.
void InstallStandardEnvironment(internal::JsScope& scope, bool with_fetch);

// Called for Environment::kBare: removes what V8 itself adds beyond ECMAScript, and
// makes the safety changes every context gets (FinalizationRegistry, weak_refs.h).
void StripToBareEcmaScript(internal::JsScope& scope);

}  // namespace jscore::engine::extensions

#endif  // JSCORE_ENGINE_EXTENSIONS_ENVIRONMENT_H_
