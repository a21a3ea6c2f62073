#include "engine/extensions/environment.h"

#include "engine/extensions/console.h"
#include "engine/extensions/timers.h"
#include "engine/extensions/weak_refs.h"

namespace jscore::engine::extensions {

void InstallStandardEnvironment(internal::JsScope& scope) {
  InstallSafeFinalizationRegistry(scope);
  InstallTimers(scope);
  InstallConsole(scope);
}

void StripToBareEcmaScript(internal::JsScope& scope) {
  InstallSafeFinalizationRegistry(scope);  // a safety property, not an extension
  v8::Local<v8::Context> context = scope.context();
  // V8 brings an inert `console` of its own.
  (void)context->Global()->Delete(context, scope.Str("console"));
}

}  // namespace jscore::engine::extensions
