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

void InstallStandardEnvironment(internal::JsScope& scope, bool with_fetch) {
  web::InstallSafeFinalizationRegistry(scope);
  web::InstallAtomicsWaitAsync(scope);
  timers::InstallTimers(scope);
  console::InstallConsole(scope);
  web::InstallPerformance(scope);  // first of the Web APIs: records the time origin
  web::InstallDomException(scope);
  encoding::InstallEncoding(scope);
  web::InstallStructuredClone(scope);
  url::InstallUrl(scope);
  events::InstallEvents(scope);
  events::InstallAbort(scope);
  crypto::InstallCrypto(scope);                // lazy: crypto, Crypto, SubtleCrypto, CryptoKey
  crypto::InstallCryptoUtils(scope);           // lazy: md5, sha1, sha256, sha512, CryptoUtils
  hooks::InstallHooks(scope);                  // $return, $exit, $terminate
  if (with_fetch) fetch::InstallFetch(scope);  // lazy: fetch, Headers, Response, XMLHttpRequest
}

void StripToBareEcmaScript(internal::JsScope& scope) {
  web::InstallSafeFinalizationRegistry(scope);  // a safety property, not an extension
  web::InstallAtomicsWaitAsync(scope);          // likewise: its timeout keeps the job waiting
  v8::Local<v8::Context> context = scope.context();
  // V8 brings an inert `console` of its own.
  (void)context->Global()->Delete(context, scope.Str("console"));
}

}  // namespace jscore::engine::extensions
