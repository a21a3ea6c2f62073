#include "engine/extensions/events/abort.h"

#include <cmath>
#include <string>
#include <vector>

#include "engine/extensions/events/events.h"
#include "engine/extensions/web/dom_exception.h"
#include "engine/extensions/web/web_support.h"
#include "engine/internal/context_host.h"

namespace jscore::engine::extensions::events {
namespace {

using internal::JsScope;
using web::Slot;

constexpr char kSignalKey[] = "jscore.AbortSignal";
// algorithms run before the abort event; dependents (AbortSignal.any) abort after it.
// A dependent signal lists its sources (never themselves dependent: AbortSignal.any
// flattens them) and is itself the source of no one.
enum SignalSlot {
  kAborted,
  kReason,
  kAlgorithms,
  kDependents,
  kSources,
  kIsDependent,
  kLinkedTo,  // the last AbortSignal.any result linked to this signal (dedupes its inputs)
  kSignalSlots
};
constexpr char kControllerKey[] = "jscore.AbortController";
enum ControllerSlot { kSignal, kControllerSlots };

v8::MaybeLocal<v8::Value> BuildAbortSignal(JsScope& scope, v8::Local<v8::Array> realm);

v8::MaybeLocal<v8::Object> NewSignal(JsScope& scope) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Value> ctor;
  v8::Local<v8::Object> signal;
  v8::Local<v8::Array> state;
  if (!web::GetOrBuild(scope, Slot::kAbortSignal, BuildAbortSignal).ToLocal(&ctor) ||
      !web::NewInstanceOf(scope, ctor).ToLocal(&signal) ||
      !events::InitEventTarget(scope, signal) ||
      !web::NewState(scope, signal, kSignalKey, kSignalSlots, &state) ||
      !web::Put(scope, state, kAborted, v8::False(isolate)) ||
      !web::Put(scope, state, kReason, v8::Undefined(isolate)) ||
      !web::Put(scope, state, kIsDependent, v8::False(isolate))) {
    return {};
  }
  return signal;
}

// The reason to use: the given one, or a new AbortError DOMException.
bool ReasonOr(JsScope& scope, v8::Local<v8::Value> reason, v8::Local<v8::Value>* out) {
  if (!reason->IsUndefined()) {
    *out = reason;
    return true;
  }
  v8::Local<v8::Object> error;
  if (!web::NewDomException(scope, "This operation was aborted", "AbortError").ToLocal(&error)) {
    return false;
  }
  *out = error;
  return true;
}

// Appends to the list in `slot`, made on first use (most signals never get
// algorithms, dependents or sources: they cost nothing until then).
bool AppendTo(JsScope& scope, v8::Local<v8::Array> state, int slot, v8::Local<v8::Value> value) {
  v8::Local<v8::Value> list = web::At(scope, state, slot);
  if (!list->IsArray()) {
    list = v8::Array::New(scope.isolate());
    if (!web::Put(scope, state, slot, list)) return false;
  }
  return list.As<v8::Array>()
      ->CreateDataProperty(scope.context(), list.As<v8::Array>()->Length(), value)
      .FromMaybe(false);
}

// "run the abort steps": the algorithms (each once), then the `abort` event.
bool RunAbortSteps(JsScope& scope, v8::Local<v8::Object> signal, v8::Local<v8::Array> state) {
  v8::Local<v8::Value> algorithms = web::At(scope, state, kAlgorithms);
  (void)web::Put(scope, state, kAlgorithms, v8::Undefined(scope.isolate()));
  if (algorithms->IsArray()) {
    v8::Local<v8::Array> list = algorithms.As<v8::Array>();
    for (uint32_t i = 0; i < list->Length(); ++i) {
      v8::Local<v8::Value> fn = web::At(scope, list, i);
      if (fn->IsFunction() &&
          fn.As<v8::Function>()->Call(scope.context(), signal, 0, nullptr).IsEmpty()) {
        return false;
      }
    }
  }
  v8::Local<v8::Object> event;
  bool not_canceled = true;
  return events::NewEvent(scope, "abort", /*trusted=*/true).ToLocal(&event) &&
         events::Dispatch(scope, signal, event, &not_canceled);
}

// "signal abort": set the reason; mark every dependent not yet aborted as aborted
// with the same reason (before any event fires); run this signal's abort steps,
// then the dependents', in the order they were added. False when an exception
// must propagate.
bool SignalAbort(JsScope& scope, v8::Local<v8::Object> signal, v8::Local<v8::Value> reason) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Array> state;
  if (!web::GetState(scope, signal, kSignalKey, &state)) return false;
  if (web::At(scope, state, kAborted)->IsTrue()) return true;
  v8::Local<v8::Value> final_reason;
  if (!ReasonOr(scope, reason, &final_reason) ||
      !web::Put(scope, state, kAborted, v8::True(isolate)) ||
      !web::Put(scope, state, kReason, final_reason)) {
    return false;
  }
  v8::Local<v8::Value> dependents = web::At(scope, state, kDependents);
  (void)web::Put(scope, state, kDependents, v8::Undefined(isolate));
  std::vector<v8::Local<v8::Object>> to_abort;  // one handle each (a scope per step)
  if (dependents->IsArray()) {
    v8::Local<v8::Array> list = dependents.As<v8::Array>();
    for (uint32_t i = 0; i < list->Length(); ++i) {
      v8::EscapableHandleScope step(isolate);
      v8::Local<v8::Value> dependent = web::At(scope, list, i);
      v8::Local<v8::Array> dependent_state;
      if (!web::GetState(scope, dependent, kSignalKey, &dependent_state, web::OnMismatch::kQuiet) ||
          web::At(scope, dependent_state, kAborted)->IsTrue()) {
        continue;
      }
      if (!web::Put(scope, dependent_state, kAborted, v8::True(isolate)) ||
          !web::Put(scope, dependent_state, kReason, final_reason)) {
        return false;
      }
      to_abort.push_back(step.Escape(dependent.As<v8::Object>()));
    }
  }
  if (!RunAbortSteps(scope, signal, state)) return false;
  for (v8::Local<v8::Object> dependent : to_abort) {
    v8::HandleScope step(isolate);
    v8::Local<v8::Array> dependent_state;
    if (!web::GetState(scope, dependent, kSignalKey, &dependent_state) ||
        !RunAbortSteps(scope, dependent, dependent_state)) {
      return false;
    }
  }
  return true;
}

#define JSCORE_SIGNAL_PROLOGUE                          \
  v8::Isolate* isolate = info.GetIsolate();             \
  JsScope scope(isolate, isolate->GetCurrentContext()); \
  v8::Local<v8::Array> state;                           \
  if (!web::GetState(scope, info.This(), kSignalKey, &state)) return

void AbortedGetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_SIGNAL_PROLOGUE;
  info.GetReturnValue().Set(web::At(scope, state, kAborted));
}

void ReasonGetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_SIGNAL_PROLOGUE;
  info.GetReturnValue().Set(web::At(scope, state, kReason));
}

void ThrowIfAborted(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_SIGNAL_PROLOGUE;
  if (web::At(scope, state, kAborted)->IsTrue()) {
    isolate->ThrowException(web::At(scope, state, kReason));
  }
}

void OnAbortGetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_SIGNAL_PROLOGUE;
  info.GetReturnValue().Set(events::GetEventHandler(scope, info.This(), "abort"));
}

void OnAbortSetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_SIGNAL_PROLOGUE;
  (void)events::SetEventHandler(scope, info.This(), "abort", web::Arg(info, 0));
}

#undef JSCORE_SIGNAL_PROLOGUE

// AbortSignal.abort(reason): a signal that is already aborted.
void StaticAbort(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Object> signal;
  v8::Local<v8::Array> state;
  v8::Local<v8::Value> reason;
  if (!NewSignal(scope).ToLocal(&signal) || !web::GetState(scope, signal, kSignalKey, &state) ||
      !ReasonOr(scope, web::Arg(info, 0), &reason) ||
      !web::Put(scope, state, kAborted, v8::True(isolate)) ||
      !web::Put(scope, state, kReason, reason)) {
    return;
  }
  info.GetReturnValue().Set(signal);
}

// The timer callback of AbortSignal.timeout; data is the signal.
void TimeoutFired(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Object> error;
  if (!web::NewDomException(scope, "signal timed out", "TimeoutError").ToLocal(&error)) return;
  (void)SignalAbort(scope, info.Data().As<v8::Object>(), error);
}

void StaticTimeout(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Number> number;
  if (!web::Arg(info, 0)->ToNumber(scope.context()).ToLocal(&number)) return;
  double ms = number->Value();
  // WebIDL [EnforceRange] unsigned long long.
  if (!std::isfinite(ms) || ms < 0 || ms > 9007199254740991.0) {
    return web::ThrowTypeError(scope,
                               "Failed to execute 'timeout' on 'AbortSignal': Value is outside the "
                               "'unsigned long long' value range.");
  }
  internal::ContextHost* host = internal::ContextHost::From(scope.context());
  if (host == nullptr) {
    return web::ThrowTypeError(scope, "timers are not available in this context");
  }
  v8::Local<v8::Object> signal;
  v8::Local<v8::Function> fire;
  if (!NewSignal(scope).ToLocal(&signal) ||
      !web::NewFunction(scope, "", TimeoutFired, 0, signal).ToLocal(&fire)) {
    return;
  }
  if (host->AddTimer(scope, fire, {}, std::trunc(ms), /*repeat=*/false) == 0) {
    return web::ThrowRangeError(scope, "too many pending timers in this evaluation");
  }
  info.GetReturnValue().Set(signal);
}

// AbortSignal.any(signals): aborts when the first of them does.
void StaticAny(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Value> input = web::Arg(info, 0);
  if (!input->IsArray()) {
    return web::ThrowTypeError(
        scope,
        "Failed to execute 'any' on 'AbortSignal': The provided value cannot be "
        "converted to a sequence.");
  }
  std::vector<v8::Local<v8::Object>> sources;
  v8::Local<v8::Array> list = input.As<v8::Array>();
  for (uint32_t i = 0; i < list->Length(); ++i) {
    v8::EscapableHandleScope step(isolate);  // one handle per input survives
    v8::Local<v8::Value> item;
    if (!list->Get(context, i).ToLocal(&item)) return;
    if (!abort::IsAbortSignal(scope, item)) {
      return web::ThrowTypeError(
          scope,
          "Failed to execute 'any' on 'AbortSignal': Failed to convert value to "
          "'AbortSignal'.");
    }
    sources.push_back(step.Escape(item.As<v8::Object>()));
  }
  v8::Local<v8::Object> result;
  v8::Local<v8::Array> result_state;
  if (!NewSignal(scope).ToLocal(&result) ||
      !web::GetState(scope, result, kSignalKey, &result_state))
    return;
  for (v8::Local<v8::Object> source : sources) {
    v8::HandleScope step(isolate);
    v8::Local<v8::Array> state;
    if (!web::GetState(scope, source, kSignalKey, &state)) return;
    if (web::At(scope, state, kAborted)->IsTrue()) {
      if (!web::Put(scope, result_state, kAborted, v8::True(isolate)) ||
          !web::Put(scope, result_state, kReason, web::At(scope, state, kReason))) {
        return;
      }
      return info.GetReturnValue().Set(result);
    }
  }
  // "create a dependent abort signal": link to the sources of dependent inputs.
  if (!web::Put(scope, result_state, kIsDependent, v8::True(isolate))) return;
  // Each input and source is marked with `result` once linked, so that duplicates
  // cost O(1); a HandleScope per step keeps the handles of a large input bounded.
  auto link = [&](v8::Local<v8::Object> root, v8::Local<v8::Array> root_state) {
    if (web::At(scope, root_state, kLinkedTo)->StrictEquals(result)) return true;
    return web::Put(scope, root_state, kLinkedTo, result) &&
           AppendTo(scope, result_state, kSources, root) &&
           AppendTo(scope, root_state, kDependents, result);
  };
  for (v8::Local<v8::Object> input_signal : sources) {
    v8::HandleScope step(isolate);
    v8::Local<v8::Array> state;
    if (!web::GetState(scope, input_signal, kSignalKey, &state)) return;
    if (!web::At(scope, state, kIsDependent)->IsTrue()) {
      if (!link(input_signal, state)) return;
      continue;
    }
    if (web::At(scope, state, kLinkedTo)->StrictEquals(result)) continue;
    if (!web::Put(scope, state, kLinkedTo, result)) return;
    v8::Local<v8::Value> own_sources = web::At(scope, state, kSources);
    if (!own_sources->IsArray()) continue;
    v8::Local<v8::Array> list = own_sources.As<v8::Array>();
    for (uint32_t i = 0; i < list->Length(); ++i) {
      v8::HandleScope inner(isolate);
      v8::Local<v8::Value> root = web::At(scope, list, static_cast<int>(i));
      v8::Local<v8::Array> root_state;
      if (!root->IsObject() || !web::GetState(scope, root, kSignalKey, &root_state)) return;
      if (!link(root.As<v8::Object>(), root_state)) return;
    }
  }
  info.GetReturnValue().Set(result);
}

v8::MaybeLocal<v8::Value> BuildAbortSignal(JsScope& scope, v8::Local<v8::Array> realm) {
  static constexpr web::Method kMethods[] = {{"throwIfAborted", ThrowIfAborted, 0}};
  static constexpr web::Method kStatics[] = {
      {"abort", StaticAbort, 0}, {"timeout", StaticTimeout, 1}, {"any", StaticAny, 1}};
  static constexpr web::Accessor kAccessors[] = {{"aborted", AbortedGetter, nullptr},
                                                 {"reason", ReasonGetter, nullptr},
                                                 {"onabort", OnAbortGetter, OnAbortSetter}};
  web::ClassSpec spec;
  spec.name = "AbortSignal";
  spec.methods = kMethods;
  spec.statics = kStatics;
  spec.accessors = kAccessors;
  v8::Local<v8::Function> parent, ctor;
  if (!events::EventTargetClass(scope).ToLocal(&parent) ||
      !web::BuildClass(scope, spec, realm, parent).ToLocal(&ctor)) {
    return {};
  }
  return ctor;
}

// ---- AbortController ----

void ControllerConstruct(const v8::FunctionCallbackInfo<v8::Value>& info) {
  if (!web::RequireNew(info, "AbortController")) return;
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Object> signal;
  v8::Local<v8::Array> state;
  if (!NewSignal(scope).ToLocal(&signal) ||
      !web::NewState(scope, info.This(), kControllerKey, kControllerSlots, &state) ||
      !web::Put(scope, state, kSignal, signal)) {
    return;
  }
}

void SignalGetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Array> state;
  if (!web::GetState(scope, info.This(), kControllerKey, &state)) return;
  info.GetReturnValue().Set(web::At(scope, state, kSignal));
}

void ControllerAbort(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Array> state;
  if (!web::GetState(scope, info.This(), kControllerKey, &state)) return;
  v8::Local<v8::Value> signal = web::At(scope, state, kSignal);
  if (signal->IsObject()) (void)SignalAbort(scope, signal.As<v8::Object>(), web::Arg(info, 0));
}

v8::MaybeLocal<v8::Value> BuildAbortController(JsScope& scope, v8::Local<v8::Array> realm) {
  static constexpr web::Method kMethods[] = {{"abort", ControllerAbort, 0}};
  static constexpr web::Accessor kAccessors[] = {{"signal", SignalGetter, nullptr}};
  web::ClassSpec spec;
  spec.name = "AbortController";
  spec.constructor = ControllerConstruct;
  spec.methods = kMethods;
  spec.accessors = kAccessors;
  v8::Local<v8::Function> ctor;
  if (!web::BuildClass(scope, spec, realm).ToLocal(&ctor)) return {};
  return ctor;
}

}  // namespace

void InstallAbort(JsScope& scope) {
  (void)web::DefineLazyGlobal<Slot::kAbortController, BuildAbortController>(scope,
                                                                            "AbortController");
  (void)web::DefineLazyGlobal<Slot::kAbortSignal, BuildAbortSignal>(scope, "AbortSignal");
}

namespace abort {

bool IsAbortSignal(JsScope& scope, v8::Local<v8::Value> value) {
  v8::Local<v8::Array> state;
  return web::GetState(scope, value, kSignalKey, &state, web::OnMismatch::kQuiet);
}

bool IsAborted(JsScope& scope, v8::Local<v8::Object> signal) {
  v8::Local<v8::Array> state;
  return web::GetState(scope, signal, kSignalKey, &state, web::OnMismatch::kQuiet) &&
         web::At(scope, state, kAborted)->IsTrue();
}

v8::Local<v8::Value> Reason(JsScope& scope, v8::Local<v8::Object> signal) {
  v8::Local<v8::Array> state;
  if (!web::GetState(scope, signal, kSignalKey, &state, web::OnMismatch::kQuiet)) {
    return v8::Undefined(scope.isolate());
  }
  return web::At(scope, state, kReason);
}

bool AddAlgorithm(JsScope& scope, v8::Local<v8::Object> signal, v8::Local<v8::Function> algorithm) {
  v8::Local<v8::Array> state;
  return web::GetState(scope, signal, kSignalKey, &state) &&
         AppendTo(scope, state, kAlgorithms, algorithm);
}

}  // namespace abort
}  // namespace jscore::engine::extensions::events
