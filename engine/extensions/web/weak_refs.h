// FinalizationRegistry whose cleanup callbacks never run (the spec allows it).
#ifndef JSCORE_ENGINE_EXTENSIONS_WEB_WEAK_REFS_H_
#define JSCORE_ENGINE_EXTENSIONS_WEB_WEAK_REFS_H_

#include "engine/internal/js_scope.h"

namespace jscore::engine::extensions::web {

// Replaces the global FinalizationRegistry with a native constructor that builds
// V8's own registry with a no-op cleanup callback. Without this, V8 runs a script's
// cleanup callbacks from a platform task long after its job ended, inside whichever
// job happens to pump tasks next (a thousand callbacks that each loop would keep a
// worker busy for minutes). Registries still work (register, unregister); their
// callbacks are simply never called, which the language allows. Installed into every
// context, bare ones included.
void InstallSafeFinalizationRegistry(internal::JsScope& scope);

}  // namespace jscore::engine::extensions::web

#endif  // JSCORE_ENGINE_EXTENSIONS_WEB_WEAK_REFS_H_
