#include "engine/extensions/environment.h"

#include "engine/extensions/abort.h"
#include "engine/extensions/atomics_wait.h"
#include "engine/extensions/console.h"
#include "engine/extensions/crypto.h"
#include "engine/extensions/crypto_utils.h"
#include "engine/extensions/dom_exception.h"
#include "engine/extensions/encoding.h"
#include "engine/extensions/events.h"
#include "engine/extensions/fetch.h"
#include "engine/extensions/hooks.h"
#include "engine/extensions/performance.h"
#include "engine/extensions/structured_clone.h"
#include "engine/extensions/timers.h"
#include "engine/extensions/url.h"
#include "engine/extensions/weak_refs.h"

namespace jscore::engine::extensions {

namespace {

// Hooks ($return, $exit, $terminate) are the only eager functions besides the
// timers; crypto, the helpers and fetch define lazy globals only.
constexpr Family kFamilies[] = {
    {"finalization_registry", InstallSafeFinalizationRegistry},
    {"atomics_wait_async", InstallAtomicsWaitAsync},
    {"timers", InstallTimers},
    {"console", InstallConsole},
    {"performance", InstallPerformance},  // first of the Web APIs: records the time origin
    {"dom_exception", InstallDomException},
    {"encoding", InstallEncoding},
    {"structured_clone", InstallStructuredClone},
    {"url", InstallUrl},
    {"events", InstallEvents},
    {"abort", InstallAbort},
    {"crypto", InstallCrypto},             // lazy: crypto, Crypto, SubtleCrypto, CryptoKey
    {"crypto_utils", InstallCryptoUtils},  // lazy: md5, sha1, sha256, sha512, CryptoUtils
    {"hooks", InstallHooks},               // $return, $exit, $terminate
    {"fetch", InstallFetch},               // lazy: fetch, Headers, Response, XMLHttpRequest
};
constexpr size_t kFamilyCount = sizeof(kFamilies) / sizeof(kFamilies[0]);

}  // namespace

absl::Span<const Family> StandardFamilies(bool with_fetch) {
  return absl::MakeConstSpan(kFamilies, with_fetch ? kFamilyCount : kFamilyCount - 1);
}

void InstallStandardEnvironment(internal::JsScope& scope, bool with_fetch) {
  for (const Family& family : StandardFamilies(with_fetch)) family.install(scope);
}

void StripToBareEcmaScript(internal::JsScope& scope) {
  InstallSafeFinalizationRegistry(scope);  // a safety property, not an extension
  InstallAtomicsWaitAsync(scope);          // likewise: its timeout keeps the job waiting
  v8::Local<v8::Context> context = scope.context();
  // V8 brings an inert `console` of its own.
  (void)context->Global()->Delete(context, scope.Str("console"));
}

}  // namespace jscore::engine::extensions
