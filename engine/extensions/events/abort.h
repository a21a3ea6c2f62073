// AbortController and AbortSignal (DOM Standard).
#ifndef JSCORE_ENGINE_EXTENSIONS_EVENTS_ABORT_H_
#define JSCORE_ENGINE_EXTENSIONS_EVENTS_ABORT_H_

#include "engine/internal/js_scope.h"

namespace jscore::engine::extensions::events {

// Installs the globals `AbortController` and `AbortSignal` (built on first access).
// AbortSignal is an EventTarget with `aborted`, `reason`, `onabort`,
// `throwIfAborted()`, and the statics `abort(reason)`, `timeout(ms)` (on the job's
// timers: a TimeoutError DOMException when it fires) and `any(signals)`.
void InstallAbort(internal::JsScope& scope);

namespace abort {

// For EventTarget's `signal` option: is `value` an AbortSignal, is it aborted, and
// run `algorithm` (a function of no arguments) when it aborts.
bool IsAbortSignal(internal::JsScope& scope, v8::Local<v8::Value> value);
bool IsAborted(internal::JsScope& scope, v8::Local<v8::Object> signal);
// The signal's abort reason (undefined while it is not aborted).
v8::Local<v8::Value> Reason(internal::JsScope& scope, v8::Local<v8::Object> signal);
bool AddAlgorithm(internal::JsScope& scope, v8::Local<v8::Object> signal,
                  v8::Local<v8::Function> algorithm);

}  // namespace abort
}  // namespace jscore::engine::extensions::events

#endif  // JSCORE_ENGINE_EXTENSIONS_EVENTS_ABORT_H_
