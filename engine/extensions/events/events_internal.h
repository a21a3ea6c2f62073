// Internal to events.cc (Event, CustomEvent) and event_target.cc (EventTarget):
// an event's native state and the builders of the classes.
#ifndef JSCORE_ENGINE_EXTENSIONS_EVENTS_EVENTS_INTERNAL_H_
#define JSCORE_ENGINE_EXTENSIONS_EVENTS_EVENTS_INTERNAL_H_

#include <string_view>

#include "engine/internal/js_scope.h"

namespace jscore::engine::extensions::events::detail {

using internal::JsScope;

// An event's state: an array under the private key kEventKey.
inline constexpr char kEventKey[] = "jscore.Event";
enum EventSlot { kType, kFlags, kTarget, kCurrentTarget, kPhase, kTimeStamp, kDetail, kEventSlots };
enum EventFlag : int {
  kBubbles = 1 << 0,
  kCancelable = 1 << 1,
  kComposed = 1 << 2,
  kCanceled = 1 << 3,
  kStopPropagation = 1 << 4,
  kStopImmediate = 1 << 5,
  kInPassiveListener = 1 << 6,
  kDispatching = 1 << 7,
  kInitialized = 1 << 8,
  kTrusted = 1 << 9,
};
enum Phase { kNone = 0, kCapturing = 1, kAtTarget = 2, kBubbling = 3 };

int Flags(JsScope& scope, v8::Local<v8::Array> state);
bool SetFlags(JsScope& scope, v8::Local<v8::Array> state, int flags);
bool Has(JsScope& scope, v8::Local<v8::Array> state, int flag);
bool Raise(JsScope& scope, v8::Local<v8::Array> state, int flag);
// "set the canceled flag": only for cancelable events outside passive listeners.
void Cancel(JsScope& scope, v8::Local<v8::Array> state);

// The classes of a context (realm builders, see web_support.h).
v8::MaybeLocal<v8::Value> BuildEvent(JsScope& scope, v8::Local<v8::Array> realm);
v8::MaybeLocal<v8::Value> BuildCustomEvent(JsScope& scope, v8::Local<v8::Array> realm);
v8::MaybeLocal<v8::Value> BuildEventTarget(JsScope& scope, v8::Local<v8::Array> realm);
v8::MaybeLocal<v8::Object> MakeEvent(JsScope& scope, std::string_view type, bool trusted);

}  // namespace jscore::engine::extensions::events::detail

#endif  // JSCORE_ENGINE_EXTENSIONS_EVENTS_EVENTS_INTERNAL_H_
