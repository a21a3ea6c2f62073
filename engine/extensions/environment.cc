#include "engine/extensions/environment.h"

#include "engine/extensions/console/console.h"
#include "engine/extensions/crypto/crypto.h"
#include "engine/extensions/crypto/crypto_utils.h"
#include "engine/extensions/encoding/encoding.h"
#include "engine/extensions/events/abort.h"
#include "engine/extensions/events/events.h"
#include "engine/extensions/fetch/fetch.h"
#include "engine/extensions/hooks/hooks.h"
#include "engine/extensions/timers/timers.h"
#include "engine/extensions/url/url.h"
#include "engine/extensions/web/atomics_wait.h"
#include "engine/extensions/web/dom_exception.h"
#include "engine/extensions/web/performance.h"
#include "engine/extensions/web/structured_clone.h"
#include "engine/extensions/web/weak_refs.h"

namespace jscore::engine::extensions {

namespace {

// Hooks ($return, $exit, $terminate) are the only eager functions besides the
// timers; crypto, the helpers and fetch define lazy globals only.
constexpr Family kFamilies[] = {
    {"finalization_registry", web::InstallSafeFinalizationRegistry},
    {"atomics_wait_async", web::InstallAtomicsWaitAsync},
    {"timers", timers::InstallTimers},
    {"console", console::InstallConsole},
    {"performance", web::InstallPerformance},  // first of the Web APIs: records the time origin
    {"dom_exception", web::InstallDomException},
    {"encoding", encoding::InstallEncoding},
    {"structured_clone", web::InstallStructuredClone},
    {"url", url::InstallUrl},
    {"events", events::InstallEvents},
    {"abort", events::InstallAbort},
    {"crypto", crypto::InstallCrypto},             // lazy: crypto, Crypto, SubtleCrypto, CryptoKey
    {"crypto_utils", crypto::InstallCryptoUtils},  // lazy: md5, sha1, sha256, sha512, CryptoUtils
    {"hooks", hooks::InstallHooks},                // $return, $exit, $terminate
    {"fetch", fetch::InstallFetch},                // lazy: fetch, Headers, Response, XMLHttpRequest
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
  web::InstallSafeFinalizationRegistry(scope);  // a safety property, not an extension
  web::InstallAtomicsWaitAsync(scope);          // likewise: its timeout keeps the job waiting
  v8::Local<v8::Context> context = scope.context();
  // V8 brings an inert `console` of its own.
  (void)context->Global()->Delete(context, scope.Str("console"));
}

}  // namespace jscore::engine::extensions
