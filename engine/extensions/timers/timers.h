// Timers: setTimeout, setInterval, clearTimeout, clearInterval, queueMicrotask.
#ifndef JSCORE_ENGINE_EXTENSIONS_TIMERS_TIMERS_H_
#define JSCORE_ENGINE_EXTENSIONS_TIMERS_TIMERS_H_

#include "engine/internal/js_scope.h"

namespace jscore::engine::extensions::timers {

// Installs the timer functions on the context's global object. Timers run on the
// worker's libuv loop through the context's ContextHost; queueMicrotask uses the
// context's own microtask queue.
void InstallTimers(internal::JsScope& scope);

}  // namespace jscore::engine::extensions::timers

#endif  // JSCORE_ENGINE_EXTENSIONS_TIMERS_TIMERS_H_
