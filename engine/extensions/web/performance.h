// performance: performance.now() and performance.timeOrigin.
#ifndef JSCORE_ENGINE_EXTENSIONS_WEB_PERFORMANCE_H_
#define JSCORE_ENGINE_EXTENSIONS_WEB_PERFORMANCE_H_

#include "engine/internal/js_scope.h"

namespace jscore::engine::extensions::web {

// Records the context's time origin (a monotonic clock reading, now) and installs
// the global `performance`, built on first access: `now()` is milliseconds since
// the context was built (monotonic, sub-millisecond), `timeOrigin` the wall-clock
// epoch milliseconds of that instant, `toJSON()` as the standard says. Call it
// first: Event.timeStamp reads the same origin.
void InstallPerformance(internal::JsScope& scope);

}  // namespace jscore::engine::extensions::web

#endif  // JSCORE_ENGINE_EXTENSIONS_WEB_PERFORMANCE_H_
