// Atomics.waitAsync whose timeout keeps its job waiting for it.
#ifndef JSCORE_ENGINE_EXTENSIONS_WEB_ATOMICS_WAIT_H_
#define JSCORE_ENGINE_EXTENSIONS_WEB_ATOMICS_WAIT_H_

#include "engine/internal/js_scope.h"

namespace jscore::engine::extensions::web {

// Wraps V8's Atomics.waitAsync (lazily, on first access). V8 settles a waiter's
// promise from a platform task: at once after Atomics.notify, or as a delayed task
// when its timeout passes. A job that awaits such a promise with nothing else
// pending would be reported as a promise that "can never settle", so for a finite
// timeout the wrapper adds a timer to the job (ContextHost::AddTimer) that fires
// when the timeout has passed, lets the worker pump V8's tasks, and re-arms (1 ms)
// while the promise is still pending. The timer dies with the job, like any other.
// A waiter without a timeout that nothing can notify (jscore has no other agents)
// still fails at once: it can never settle. Installed into every context.
void InstallAtomicsWaitAsync(internal::JsScope& scope);

}  // namespace jscore::engine::extensions::web

#endif  // JSCORE_ENGINE_EXTENSIONS_WEB_ATOMICS_WAIT_H_
