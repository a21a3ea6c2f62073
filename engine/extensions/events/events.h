// Events: Event, CustomEvent and EventTarget (DOM Standard, without a tree: an
// event's path is its target alone).
#ifndef JSCORE_ENGINE_EXTENSIONS_EVENTS_EVENTS_H_
#define JSCORE_ENGINE_EXTENSIONS_EVENTS_EVENTS_H_

#include <string_view>

#include "engine/internal/js_scope.h"

namespace jscore::engine::extensions::events {

// Installs the globals `Event`, `CustomEvent` and `EventTarget` (built on first
// access). Listeners support capture, once, passive, signal and handleEvent
// objects; an exception in a listener is reported as a console error line
// ("Uncaught ...") and does not stop the dispatch, as in browsers.
void InstallEvents(internal::JsScope& scope);

// What other families (AbortSignal) build on. All run on the worker thread and
// return false / empty with an exception pending on failure.

// The context's EventTarget class.
v8::MaybeLocal<v8::Function> EventTargetClass(internal::JsScope& scope);
// Gives `object` (made from a subclass prototype) an EventTarget's listener list.
bool InitEventTarget(internal::JsScope& scope, v8::Local<v8::Object> object);
// A new, initialized Event of this context; `trusted` sets isTrusted.
v8::MaybeLocal<v8::Object> NewEvent(internal::JsScope& scope, std::string_view type, bool trusted);
// Dispatches `event` at `target`. `*not_canceled` receives dispatchEvent's result.
bool Dispatch(internal::JsScope& scope, v8::Local<v8::Object> target, v8::Local<v8::Object> event,
              bool* not_canceled);
// The "on<type>" event handler attribute of `target` (null when unset), and its setter
// (a non-callable value unsets it).
v8::Local<v8::Value> GetEventHandler(internal::JsScope& scope, v8::Local<v8::Object> target,
                                     std::string_view type);
bool SetEventHandler(internal::JsScope& scope, v8::Local<v8::Object> target, std::string_view type,
                     v8::Local<v8::Value> handler);

}  // namespace jscore::engine::extensions::events

#endif  // JSCORE_ENGINE_EXTENSIONS_EVENTS_EVENTS_H_
