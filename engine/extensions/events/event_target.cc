// EventTarget: listeners (capture, once, passive, signal, handleEvent objects),
// dispatch at a target, and "on<type>" event handler attributes.
#include <string>
#include <vector>

#include "engine/extensions/console/inspect.h"
#include "engine/extensions/events/abort.h"
#include "engine/extensions/events/events.h"
#include "engine/extensions/events/events_internal.h"
#include "engine/extensions/web/dom_exception.h"
#include "engine/extensions/web/web_support.h"
#include "engine/internal/context_host.h"

namespace jscore::engine::extensions::events {
namespace {

using detail::Cancel;
using detail::Flags;
using detail::Has;
using detail::kAtTarget;
using detail::kCanceled;
using detail::kCurrentTarget;
using detail::kDispatching;
using detail::kEventKey;
using detail::kInitialized;
using detail::kInPassiveListener;
using detail::kNone;
using detail::kPhase;
using detail::kStopImmediate;
using detail::kStopPropagation;
using detail::kTarget;
using detail::kTrusted;
using detail::kType;
using detail::Raise;
using detail::SetFlags;
using internal::JsScope;
using web::Slot;

// Reports an exception that nothing may catch (a throwing event listener), as
// browsers do: a console error line "Uncaught <error>" for the job's console.
void ReportException(JsScope& scope, v8::Local<v8::Value> exception) {
  internal::ContextHost* host = internal::ContextHost::From(scope.context());
  if (host == nullptr) return;
  v8::TryCatch try_catch(scope.isolate());
  std::string text = "Uncaught " + console::Inspect(scope, exception);
  if (try_catch.HasTerminated()) {
    try_catch.ReThrow();
    return;
  }
  host->AddConsoleLine(ConsoleLine::Level::kError, std::move(text));
}

constexpr char kTargetKey[] = "jscore.EventTarget";
enum TargetSlot { kListeners, kHandlers, kTargetSlots };
// A listener is an array [type, callback, capture, once, passive, removed]; an
// event handler attribute's listener has `callback` = the handler's type marker
// (undefined) and is_handler set.
enum ListenerSlot {
  kLType,
  kLCallback,
  kLCapture,
  kLOnce,
  kLPassive,
  kLRemoved,
  kLHandler,
  kListenerSlots
};

bool TargetState(JsScope& scope, v8::Local<v8::Value> receiver, v8::Local<v8::Array>* state,
                 web::OnMismatch on_mismatch = web::OnMismatch::kThrow) {
  return web::GetState(scope, receiver, kTargetKey, state, on_mismatch);
}

v8::Local<v8::Array> Listeners(JsScope& scope, v8::Local<v8::Array> state) {
  v8::Local<v8::Value> list = web::At(scope, state, kListeners);
  return list->IsArray() ? list.As<v8::Array>() : v8::Array::New(scope.isolate());
}

bool RemoveRecord(JsScope& scope, v8::Local<v8::Array> state, v8::Local<v8::Value> record) {
  v8::Local<v8::Array> list = Listeners(scope, state);
  v8::Local<v8::Array> kept = v8::Array::New(scope.isolate());
  uint32_t n = 0;
  for (uint32_t i = 0; i < list->Length(); ++i) {
    v8::Local<v8::Value> r = web::At(scope, list, i);
    if (r->StrictEquals(record)) continue;
    if (kept->CreateDataProperty(scope.context(), n++, r).IsNothing()) return false;
  }
  if (record->IsArray() &&
      !web::Put(scope, record.As<v8::Array>(), kLRemoved, v8::True(scope.isolate()))) {
    return false;
  }
  return web::Put(scope, state, kListeners, kept);
}

// The capture flag of addEventListener's / removeEventListener's options.
bool CaptureOf(JsScope& scope, v8::Local<v8::Value> options, bool* capture) {
  if (!options->IsObject()) {
    *capture = options->BooleanValue(scope.isolate());
    return true;
  }
  v8::Local<v8::Value> value;
  if (!web::GetOption(scope, options, "capture", &value)) return false;
  *capture = value->BooleanValue(scope.isolate());
  return true;
}

// The record with this type, callback and capture, or empty.
v8::Local<v8::Array> FindRecord(JsScope& scope, v8::Local<v8::Array> list,
                                v8::Local<v8::Value> type, v8::Local<v8::Value> callback,
                                bool capture) {
  for (uint32_t i = 0; i < list->Length(); ++i) {
    v8::Local<v8::Value> r = web::At(scope, list, i);
    if (!r->IsArray()) continue;
    v8::Local<v8::Array> record = r.As<v8::Array>();
    if (web::At(scope, record, kLHandler)->IsTrue()) continue;
    if (web::At(scope, record, kLType)->StrictEquals(type) &&
        web::At(scope, record, kLCallback)->StrictEquals(callback) &&
        web::At(scope, record, kLCapture)->IsTrue() == capture) {
      return record;
    }
  }
  return {};
}

// The abort algorithm of a listener added with {signal}: data is [target, record].
void RemoveOnAbort(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Array> data = info.Data().As<v8::Array>();
  v8::Local<v8::Array> state;
  if (TargetState(scope, web::At(scope, data, 0), &state, web::OnMismatch::kQuiet)) {
    (void)RemoveRecord(scope, state, web::At(scope, data, 1));
  }
}

void TargetConstruct(const v8::FunctionCallbackInfo<v8::Value>& info) {
  if (!web::RequireNew(info, "EventTarget")) return;
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  (void)events::InitEventTarget(scope, info.This());
}

void AddEventListener(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Array> state;
  if (!TargetState(scope, info.This(), &state)) return;
  if (info.Length() < 2) {
    return web::ThrowTypeError(scope,
                               "Failed to execute 'addEventListener' on 'EventTarget': 2 arguments "
                               "required, but only " +
                                   std::to_string(info.Length()) + " present.");
  }
  v8::Local<v8::String> type;
  if (!info[0]->ToString(context).ToLocal(&type)) return;
  v8::Local<v8::Value> callback = info[1];
  if (!callback->IsNullOrUndefined() && !callback->IsObject()) {
    return web::ThrowTypeError(
        scope,
        "Failed to execute 'addEventListener' on 'EventTarget': parameter 2 is "
        "not of type 'Object'.");
  }
  v8::Local<v8::Value> options = web::Arg(info, 2);
  bool capture = false, once = false, passive = false;
  v8::Local<v8::Value> signal = v8::Undefined(isolate);
  if (!CaptureOf(scope, options, &capture)) return;
  if (options->IsObject()) {
    v8::Local<v8::Value> value;
    if (!web::GetOption(scope, options, "once", &value)) return;
    once = value->BooleanValue(isolate);
    if (!web::GetOption(scope, options, "passive", &value)) return;
    passive = value->BooleanValue(isolate);
    if (!web::GetOption(scope, options, "signal", &signal)) return;
    if (!signal->IsUndefined() && !abort::IsAbortSignal(scope, signal)) {
      return web::ThrowTypeError(
          scope,
          "Failed to execute 'addEventListener' on 'EventTarget': Failed to "
          "read the 'signal' property from 'AddEventListenerOptions': Failed "
          "to convert value to 'AbortSignal'.");
    }
  }
  // The options are read and checked even when there is no callback (the DOM's
  // "flatten more" runs first).
  if (callback->IsNullOrUndefined()) return;
  if (signal->IsObject() && abort::IsAborted(scope, signal.As<v8::Object>())) return;
  v8::Local<v8::Array> list = Listeners(scope, state);
  if (!FindRecord(scope, list, type, callback, capture).IsEmpty()) return;
  v8::Local<v8::Value> fields[kListenerSlots] = {type,
                                                 callback,
                                                 v8::Boolean::New(isolate, capture),
                                                 v8::Boolean::New(isolate, once),
                                                 v8::Boolean::New(isolate, passive),
                                                 v8::False(isolate),
                                                 v8::False(isolate)};
  v8::Local<v8::Array> record = v8::Array::New(isolate, fields, kListenerSlots);
  if (list->CreateDataProperty(context, list->Length(), record).IsNothing()) return;
  if (signal->IsObject()) {
    v8::Local<v8::Value> pair[] = {info.This(), record};
    v8::Local<v8::Function> algorithm;
    if (!web::NewFunction(scope, "", RemoveOnAbort, 0, v8::Array::New(isolate, pair, 2))
             .ToLocal(&algorithm)) {
      return;
    }
    (void)abort::AddAlgorithm(scope, signal.As<v8::Object>(), algorithm);
  }
}

void RemoveEventListener(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Array> state;
  if (!TargetState(scope, info.This(), &state)) return;
  if (info.Length() < 2) {
    return web::ThrowTypeError(scope,
                               "Failed to execute 'removeEventListener' on 'EventTarget': 2 "
                               "arguments required, but only " +
                                   std::to_string(info.Length()) + " present.");
  }
  v8::Local<v8::String> type;
  bool capture = false;
  if (!info[0]->ToString(scope.context()).ToLocal(&type) ||
      !CaptureOf(scope, web::Arg(info, 2), &capture)) {
    return;
  }
  v8::Local<v8::Array> record = FindRecord(scope, Listeners(scope, state), type, info[1], capture);
  if (!record.IsEmpty()) (void)RemoveRecord(scope, state, record);
}

void DispatchEventMethod(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Array> state, event_state;
  if (!TargetState(scope, info.This(), &state)) return;
  if (!web::GetState(scope, web::Arg(info, 0), kEventKey, &event_state, web::OnMismatch::kQuiet)) {
    return web::ThrowTypeError(
        scope,
        "Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not "
        "of type 'Event'.");
  }
  int flags = Flags(scope, event_state);
  if ((flags & kDispatching) || !(flags & kInitialized)) {
    return web::ThrowDomException(scope, "The event is already being dispatched.",
                                  "InvalidStateError");
  }
  if (!SetFlags(scope, event_state, flags & ~kTrusted)) return;
  bool not_canceled = true;
  if (events::Dispatch(scope, info.This().As<v8::Object>(), info[0].As<v8::Object>(),
                       &not_canceled)) {
    info.GetReturnValue().Set(not_canceled);
  }
}

// Calls one listener; false only when the exception must propagate (termination).
bool Invoke(JsScope& scope, v8::Local<v8::Object> target, v8::Local<v8::Array> record,
            v8::Local<v8::Object> event) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Value> callback = web::At(scope, record, kLCallback);
  v8::Local<v8::Value> self = target;
  bool handler = web::At(scope, record, kLHandler)->IsTrue();
  if (handler) {
    callback = events::GetEventHandler(scope, target,
                                       scope.Utf8(web::At(scope, record, kLType).As<v8::String>()));
  }
  v8::TryCatch try_catch(isolate);
  v8::Local<v8::Value> result;
  if (!callback->IsFunction() && callback->IsObject() && !handler) {
    self = callback;
    if (!callback.As<v8::Object>()->Get(context, scope.Str("handleEvent")).ToLocal(&callback)) {
      callback = v8::Undefined(isolate);
    } else if (!callback->IsFunction()) {
      web::ThrowTypeError(scope, "The listener's handleEvent is not a function");
    }
  }
  if (callback->IsFunction()) {
    v8::Local<v8::Value> argv[] = {event};
    if (callback.As<v8::Function>()->Call(context, self, 1, argv).ToLocal(&result) && handler &&
        result->IsFalse()) {
      v8::Local<v8::Array> event_state;
      if (web::GetState(scope, event, kEventKey, &event_state, web::OnMismatch::kQuiet)) {
        Cancel(scope, event_state);
      }
    }
  }
  if (try_catch.HasTerminated() || isolate->IsExecutionTerminating()) {
    try_catch.ReThrow();
    return false;
  }
  if (try_catch.HasCaught()) ReportException(scope, try_catch.Exception());
  return true;
}

}  // namespace

namespace detail {

v8::MaybeLocal<v8::Value> BuildEventTarget(JsScope& scope, v8::Local<v8::Array> realm) {
  static constexpr web::Method kMethods[] = {{"addEventListener", AddEventListener, 2},
                                             {"removeEventListener", RemoveEventListener, 2},
                                             {"dispatchEvent", DispatchEventMethod, 1}};
  web::ClassSpec spec;
  spec.name = "EventTarget";
  spec.constructor = TargetConstruct;
  spec.methods = kMethods;
  v8::Local<v8::Function> ctor;
  if (!web::BuildClass(scope, spec, realm).ToLocal(&ctor)) return {};
  return ctor;
}

}  // namespace detail

v8::MaybeLocal<v8::Function> EventTargetClass(JsScope& scope) {
  v8::Local<v8::Value> ctor;
  if (!web::GetOrBuild(scope, Slot::kEventTarget, detail::BuildEventTarget).ToLocal(&ctor)) {
    return {};
  }
  return ctor.As<v8::Function>();
}

bool InitEventTarget(JsScope& scope, v8::Local<v8::Object> object) {
  v8::Local<v8::Array> state;
  v8::Local<v8::Object> handlers =
      v8::Object::New(scope.isolate(), v8::Null(scope.isolate()), nullptr, nullptr, 0);
  return web::NewState(scope, object, kTargetKey, kTargetSlots, &state) &&
         web::Put(scope, state, kListeners, v8::Array::New(scope.isolate())) &&
         web::Put(scope, state, kHandlers, handlers);
}

bool Dispatch(JsScope& scope, v8::Local<v8::Object> target, v8::Local<v8::Object> event,
              bool* not_canceled) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Array> state, event_state;
  if (!TargetState(scope, target, &state) ||
      !web::GetState(scope, event, kEventKey, &event_state)) {
    return false;
  }
  if (!Raise(scope, event_state, kDispatching) || !web::Put(scope, event_state, kTarget, target) ||
      !web::Put(scope, event_state, kCurrentTarget, target) ||
      !web::Put(scope, event_state, kPhase, v8::Integer::New(isolate, kAtTarget))) {
    return false;
  }
  v8::Local<v8::Value> type = web::At(scope, event_state, kType);
  // The listeners as they were when the dispatch began; removals still apply.
  v8::Local<v8::Array> live = Listeners(scope, state);
  std::vector<v8::Local<v8::Array>> snapshot;
  for (uint32_t i = 0; i < live->Length(); ++i) {
    v8::Local<v8::Value> r = web::At(scope, live, i);
    if (r->IsArray()) snapshot.push_back(r.As<v8::Array>());
  }
  bool ok = true;
  // At the target: capture listeners first, then the others (the DOM's order).
  for (bool capture_phase : {true, false}) {
    if (Has(scope, event_state, kStopPropagation)) break;
    for (v8::Local<v8::Array> record : snapshot) {
      if (web::At(scope, record, kLRemoved)->IsTrue() ||
          !web::At(scope, record, kLType)->StrictEquals(type) ||
          web::At(scope, record, kLCapture)->IsTrue() != capture_phase) {
        continue;
      }
      if (web::At(scope, record, kLOnce)->IsTrue() && !RemoveRecord(scope, state, record)) {
        ok = false;
        break;
      }
      bool passive = web::At(scope, record, kLPassive)->IsTrue();
      if (passive) (void)Raise(scope, event_state, kInPassiveListener);
      ok = Invoke(scope, target, record, event);
      if (passive) {
        (void)SetFlags(scope, event_state, Flags(scope, event_state) & ~kInPassiveListener);
      }
      if (!ok || Has(scope, event_state, kStopImmediate)) break;
    }
    if (!ok) break;
  }
  int flags = Flags(scope, event_state) & ~(kDispatching | kStopPropagation | kStopImmediate);
  (void)SetFlags(scope, event_state, flags);
  (void)web::Put(scope, event_state, kPhase, v8::Integer::New(isolate, kNone));
  (void)web::Put(scope, event_state, kCurrentTarget, v8::Null(isolate));
  *not_canceled = !(flags & kCanceled);
  return ok;
}

v8::Local<v8::Value> GetEventHandler(JsScope& scope, v8::Local<v8::Object> target,
                                     std::string_view type) {
  v8::Local<v8::Array> state;
  v8::Local<v8::Value> handlers, handler;
  if (!TargetState(scope, target, &state, web::OnMismatch::kQuiet)) {
    return v8::Null(scope.isolate());
  }
  handlers = web::At(scope, state, kHandlers);
  if (!handlers->IsObject() ||
      !handlers.As<v8::Object>()->Get(scope.context(), scope.Str(type)).ToLocal(&handler) ||
      !handler->IsFunction()) {
    return v8::Null(scope.isolate());
  }
  return handler;
}

bool SetEventHandler(JsScope& scope, v8::Local<v8::Object> target, std::string_view type,
                     v8::Local<v8::Value> handler) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Array> state;
  if (!TargetState(scope, target, &state)) return false;
  v8::Local<v8::Value> handlers = web::At(scope, state, kHandlers);
  if (!handlers->IsObject()) return false;
  v8::Local<v8::Object> table = handlers.As<v8::Object>();
  v8::Local<v8::String> key = scope.Str(type);
  bool active = !GetEventHandler(scope, target, type)->IsNull();
  v8::Local<v8::Value> value = handler->IsFunction() ? handler : v8::Null(isolate).As<v8::Value>();
  if (table->CreateDataProperty(context, key, value).IsNothing()) return false;
  v8::Local<v8::Array> list = Listeners(scope, state);
  if (value->IsNull() && active) {  // deactivate: the handler's listener goes
    for (uint32_t i = 0; i < list->Length(); ++i) {
      v8::Local<v8::Value> r = web::At(scope, list, i);
      if (r->IsArray() && web::At(scope, r.As<v8::Array>(), kLHandler)->IsTrue() &&
          web::At(scope, r.As<v8::Array>(), kLType)->StrictEquals(key)) {
        return RemoveRecord(scope, state, r);
      }
    }
  } else if (!value->IsNull() && !active) {  // activate: a listener at the end of the list
    v8::Local<v8::Value> fields[kListenerSlots] = {key,
                                                   v8::Undefined(isolate),
                                                   v8::False(isolate),
                                                   v8::False(isolate),
                                                   v8::False(isolate),
                                                   v8::False(isolate),
                                                   v8::True(isolate)};
    return list
        ->CreateDataProperty(context, list->Length(),
                             v8::Array::New(isolate, fields, kListenerSlots))
        .FromMaybe(false);
  }
  return true;
}

}  // namespace jscore::engine::extensions::events
