// Event and CustomEvent; InstallEvents (EventTarget itself is event_target.cc).
#include "engine/extensions/events/events.h"

#include <string>
#include <utility>

#include "engine/extensions/events/events_internal.h"
#include "engine/extensions/web/web_support.h"

namespace jscore::engine::extensions::events {
namespace detail {

int Flags(JsScope& scope, v8::Local<v8::Array> state) {
  return web::At(scope, state, kFlags)->Int32Value(scope.context()).FromMaybe(0);
}
bool SetFlags(JsScope& scope, v8::Local<v8::Array> state, int flags) {
  return web::Put(scope, state, kFlags, v8::Integer::New(scope.isolate(), flags));
}
bool Has(JsScope& scope, v8::Local<v8::Array> state, int flag) {
  return (Flags(scope, state) & flag) != 0;
}
bool Raise(JsScope& scope, v8::Local<v8::Array> state, int flag) {
  return SetFlags(scope, state, Flags(scope, state) | flag);
}

void Cancel(JsScope& scope, v8::Local<v8::Array> state) {
  int flags = Flags(scope, state);
  if ((flags & kCancelable) && !(flags & kInPassiveListener)) {
    (void)SetFlags(scope, state, flags | kCanceled);
  }
}

namespace {

using web::Slot;

// Sets up an event's state: initialized, with `type` and the dictionary's flags.
bool InitEvent(JsScope& scope, v8::Local<v8::Object> event, v8::Local<v8::String> type, int flags,
               v8::Local<v8::Array>* state_out = nullptr) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Array> state;
  if (!web::NewState(scope, event, kEventKey, kEventSlots, &state) ||
      !web::Put(scope, state, kType, type) || !SetFlags(scope, state, flags | kInitialized) ||
      !web::Put(scope, state, kTarget, v8::Null(isolate)) ||
      !web::Put(scope, state, kCurrentTarget, v8::Null(isolate)) ||
      !web::Put(scope, state, kPhase, v8::Integer::New(isolate, kNone)) ||
      !web::Put(scope, state, kTimeStamp, v8::Number::New(isolate, web::PerformanceNow(scope))) ||
      !web::Put(scope, state, kDetail, v8::Null(isolate))) {
    return false;
  }
  if (state_out != nullptr) *state_out = state;
  return true;
}

// The flags an EventInit dictionary asks for; false if a getter threw.
bool InitFlags(JsScope& scope, v8::Local<v8::Value> dict, int* flags) {
  *flags = 0;
  static constexpr std::pair<const char*, int> kMembers[] = {
      {"bubbles", kBubbles}, {"cancelable", kCancelable}, {"composed", kComposed}};
  for (const auto& [name, flag] : kMembers) {
    v8::Local<v8::Value> value;
    if (!web::GetOption(scope, dict, name, &value)) return false;
    if (value->BooleanValue(scope.isolate())) *flags |= flag;
  }
  return true;
}

void EventConstruct(const v8::FunctionCallbackInfo<v8::Value>& info) {
  if (!web::RequireNew(info, "Event")) return;
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  if (info.Length() < 1) {
    return web::ThrowTypeError(
        scope, "Failed to construct 'Event': 1 argument required, but only 0 present.");
  }
  v8::Local<v8::String> type;
  int flags = 0;
  if (!info[0]->ToString(scope.context()).ToLocal(&type) ||
      !InitFlags(scope, web::Arg(info, 1), &flags))
    return;
  (void)InitEvent(scope, info.This(), type, flags);
}

void CustomEventConstruct(const v8::FunctionCallbackInfo<v8::Value>& info) {
  if (!web::RequireNew(info, "CustomEvent")) return;
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  if (info.Length() < 1) {
    return web::ThrowTypeError(
        scope, "Failed to construct 'CustomEvent': 1 argument required, but only 0 present.");
  }
  v8::Local<v8::String> type;
  v8::Local<v8::Value> detail;
  v8::Local<v8::Array> state;
  int flags = 0;
  if (!info[0]->ToString(scope.context()).ToLocal(&type) ||
      !InitFlags(scope, web::Arg(info, 1), &flags) ||
      !web::GetOption(scope, web::Arg(info, 1), "detail", &detail) ||
      !InitEvent(scope, info.This(), type, flags, &state)) {
    return;
  }
  (void)web::Put(scope, state, kDetail,
                 detail->IsUndefined() ? v8::Null(isolate).As<v8::Value>() : detail);
}

#define JSCORE_EVENT_PROLOGUE                           \
  v8::Isolate* isolate = info.GetIsolate();             \
  JsScope scope(isolate, isolate->GetCurrentContext()); \
  v8::Local<v8::Array> state;                           \
  if (!web::GetState(scope, info.This(), kEventKey, &state)) return

template <int kSlot>
void SlotGetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_EVENT_PROLOGUE;
  info.GetReturnValue().Set(web::At(scope, state, kSlot));
}
template <int kFlag>
void FlagGetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_EVENT_PROLOGUE;
  info.GetReturnValue().Set(Has(scope, state, kFlag));
}

void ReturnValueGetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_EVENT_PROLOGUE;
  info.GetReturnValue().Set(!Has(scope, state, kCanceled));
}

void ReturnValueSetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_EVENT_PROLOGUE;
  if (!web::Arg(info, 0)->BooleanValue(isolate)) Cancel(scope, state);
}

void CancelBubbleSetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_EVENT_PROLOGUE;
  if (web::Arg(info, 0)->BooleanValue(isolate)) (void)Raise(scope, state, kStopPropagation);
}

void PreventDefault(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_EVENT_PROLOGUE;
  Cancel(scope, state);
}

void StopPropagation(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_EVENT_PROLOGUE;
  (void)Raise(scope, state, kStopPropagation);
}

void StopImmediatePropagation(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_EVENT_PROLOGUE;
  (void)Raise(scope, state, kStopPropagation | kStopImmediate);
}

void ComposedPath(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_EVENT_PROLOGUE;
  v8::Local<v8::Value> current = web::At(scope, state, kCurrentTarget);
  v8::Local<v8::Array> path = v8::Array::New(isolate);
  if (current->IsObject() && path->CreateDataProperty(scope.context(), 0, current).IsNothing())
    return;
  info.GetReturnValue().Set(path);
}

// initEvent(type, bubbles, cancelable) and initCustomEvent(..., detail): legacy.
void InitEventMethod(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_EVENT_PROLOGUE;
  if (info.Length() < 1) {
    return web::ThrowTypeError(scope,
                               "Failed to execute 'initEvent' on 'Event': 1 argument required, but "
                               "only 0 present.");
  }
  if (Has(scope, state, kDispatching)) return;
  v8::Local<v8::String> type;
  if (!info[0]->ToString(scope.context()).ToLocal(&type)) return;
  int flags = kInitialized;
  if (web::Arg(info, 1)->BooleanValue(isolate)) flags |= kBubbles;
  if (web::Arg(info, 2)->BooleanValue(isolate)) flags |= kCancelable;
  if (!web::Put(scope, state, kType, type) || !SetFlags(scope, state, flags) ||
      !web::Put(scope, state, kTarget, v8::Null(isolate))) {
    return;
  }
  if (info.Length() > 3) (void)web::Put(scope, state, kDetail, info[3]);
}

#undef JSCORE_EVENT_PROLOGUE

}  // namespace

v8::MaybeLocal<v8::Value> BuildEvent(JsScope& scope, v8::Local<v8::Array> realm) {
  static constexpr web::Method kMethods[] = {
      {"composedPath", ComposedPath, 0},
      {"stopPropagation", StopPropagation, 0},
      {"stopImmediatePropagation", StopImmediatePropagation, 0},
      {"preventDefault", PreventDefault, 0},
      {"initEvent", InitEventMethod, 1}};
  static constexpr web::Accessor kAccessors[] = {
      {"type", SlotGetter<kType>, nullptr},
      {"target", SlotGetter<kTarget>, nullptr},
      {"currentTarget", SlotGetter<kCurrentTarget>, nullptr},
      {"srcElement", SlotGetter<kTarget>, nullptr},
      {"eventPhase", SlotGetter<kPhase>, nullptr},
      {"cancelBubble", FlagGetter<kStopPropagation>, CancelBubbleSetter},
      {"bubbles", FlagGetter<kBubbles>, nullptr},
      {"cancelable", FlagGetter<kCancelable>, nullptr},
      {"returnValue", ReturnValueGetter, ReturnValueSetter},
      {"defaultPrevented", FlagGetter<kCanceled>, nullptr},
      {"composed", FlagGetter<kComposed>, nullptr},
      {"isTrusted", FlagGetter<kTrusted>, nullptr},
      {"timeStamp", SlotGetter<kTimeStamp>, nullptr},
  };
  static constexpr web::Constant kConstants[] = {{"NONE", kNone},
                                                 {"CAPTURING_PHASE", kCapturing},
                                                 {"AT_TARGET", kAtTarget},
                                                 {"BUBBLING_PHASE", kBubbling}};
  web::ClassSpec spec;
  spec.name = "Event";
  spec.constructor = EventConstruct;
  spec.length = 1;
  spec.methods = kMethods;
  spec.accessors = kAccessors;
  spec.constants = kConstants;
  v8::Local<v8::Function> ctor;
  if (!web::BuildClass(scope, spec, realm).ToLocal(&ctor)) return {};
  return ctor;
}

v8::MaybeLocal<v8::Value> BuildCustomEvent(JsScope& scope, v8::Local<v8::Array> realm) {
  static constexpr web::Method kMethods[] = {{"initCustomEvent", InitEventMethod, 1}};
  static constexpr web::Accessor kAccessors[] = {{"detail", SlotGetter<kDetail>, nullptr}};
  web::ClassSpec spec;
  spec.name = "CustomEvent";
  spec.constructor = CustomEventConstruct;
  spec.length = 1;
  spec.methods = kMethods;
  spec.accessors = kAccessors;
  v8::Local<v8::Value> event;
  v8::Local<v8::Function> ctor;
  if (!web::GetOrBuild(scope, Slot::kEvent, BuildEvent).ToLocal(&event) ||
      !web::BuildClass(scope, spec, realm, event.As<v8::Function>()).ToLocal(&ctor)) {
    return {};
  }
  return ctor;
}

// events::NewEvent, where the event helpers are visible.
v8::MaybeLocal<v8::Object> MakeEvent(JsScope& scope, std::string_view type, bool trusted) {
  v8::Local<v8::Value> ctor;
  v8::Local<v8::Object> event;
  if (!web::GetOrBuild(scope, Slot::kEvent, BuildEvent).ToLocal(&ctor) ||
      !web::NewInstanceOf(scope, ctor).ToLocal(&event) ||
      !InitEvent(scope, event, scope.Str(type), trusted ? kTrusted : 0)) {
    return {};
  }
  return event;
}

}  // namespace detail

using internal::JsScope;
using web::Slot;

void InstallEvents(JsScope& scope) {
  (void)web::DefineLazyGlobal<Slot::kEvent, detail::BuildEvent>(scope, "Event");
  (void)web::DefineLazyGlobal<Slot::kCustomEvent, detail::BuildCustomEvent>(scope, "CustomEvent");
  (void)web::DefineLazyGlobal<Slot::kEventTarget, detail::BuildEventTarget>(scope, "EventTarget");
}

v8::MaybeLocal<v8::Object> NewEvent(JsScope& scope, std::string_view type, bool trusted) {
  return detail::MakeEvent(scope, type, trusted);
}

}  // namespace jscore::engine::extensions::events
