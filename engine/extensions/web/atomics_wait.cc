#include "engine/extensions/web/atomics_wait.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/internal/context_host.h"

namespace jscore::engine::extensions::web {
namespace {

using internal::ContextHost;
using internal::JsScope;

// Arms the timer that watches `promise`: data of the timer's callback.
void Watch(JsScope& scope, v8::Local<v8::Promise> promise, double delay_ms);

// The timer's callback; data is the waiter's promise. The worker pumps V8's tasks
// right after a timer callback, so a due timeout task settles the promise then; if
// V8's clock is not there yet, look again in 1 ms.
void Recheck(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  if (!info.Data()->IsPromise()) return;
  v8::Local<v8::Promise> promise = info.Data().As<v8::Promise>();
  if (promise->State() == v8::Promise::kPending) Watch(scope, promise, 1);
}

void Watch(JsScope& scope, v8::Local<v8::Promise> promise, double delay_ms) {
  ContextHost* host = ContextHost::From(scope.context());
  v8::Local<v8::Function> recheck;
  if (host == nullptr ||
      !v8::Function::New(scope.context(), Recheck, promise, 0, v8::ConstructorBehavior::kThrow)
           .ToLocal(&recheck)) {
    return;
  }
  // 0 (too many timers) leaves the waiter unwatched: the job's own timers keep it
  // parked, and it ends by its deadline at the latest.
  (void)host->AddTimer(scope, recheck, {}, delay_ms, /*repeat=*/false);
}

// Atomics.waitAsync(typedArray, index, value, timeout); data is V8's function.
void WaitAsync(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Context> context = scope.context();
  std::vector<v8::Local<v8::Value>> args;
  for (int i = 0; i < info.Length(); ++i) args.push_back(info[i]);
  // The timeout as a Number, converted once (an object's valueOf runs once).
  double timeout = INFINITY;
  if (args.size() > 3 && !args[3]->IsUndefined()) {
    v8::Local<v8::Number> number;
    if (!args[3]->ToNumber(context).ToLocal(&number)) return;
    args[3] = number;
    timeout = std::isnan(number->Value()) ? INFINITY : number->Value();
  }
  v8::Local<v8::Value> result;
  if (!info.Data()
           .As<v8::Function>()
           ->Call(context, info.This(), static_cast<int>(args.size()), args.data())
           .ToLocal(&result)) {
    return;
  }
  info.GetReturnValue().Set(result);
  if (!std::isfinite(timeout) || !result->IsObject()) return;
  v8::Local<v8::Value> is_async, value;
  v8::Local<v8::Object> object = result.As<v8::Object>();
  if (!object->Get(context, scope.Str("async")).ToLocal(&is_async) || !is_async->IsTrue() ||
      !object->Get(context, scope.Str("value")).ToLocal(&value) || !value->IsPromise()) {
    return;
  }
  Watch(scope, value.As<v8::Promise>(), std::max(timeout, 0.0) + 1);
}

void LazyWaitAsync(v8::Local<v8::Name>, const v8::PropertyCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Function> fn;
  if (!v8::Function::New(scope.context(), WaitAsync, info.Data(), 4,
                         v8::ConstructorBehavior::kThrow)
           .ToLocal(&fn)) {
    return;
  }
  fn->SetName(scope.Str("waitAsync"));
  info.GetReturnValue().Set(fn);
}

}  // namespace

void InstallAtomicsWaitAsync(JsScope& scope) {
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Value> atomics, original;
  v8::Local<v8::String> name = scope.Str("waitAsync");
  if (!context->Global()->Get(context, scope.Str("Atomics")).ToLocal(&atomics) ||
      !atomics->IsObject() || !atomics.As<v8::Object>()->Get(context, name).ToLocal(&original) ||
      !original->IsFunction() ||
      !atomics.As<v8::Object>()->Delete(context, name).FromMaybe(false)) {
    return;
  }
  (void)atomics.As<v8::Object>()
      ->SetLazyDataProperty(context, name, LazyWaitAsync, original, v8::DontEnum)
      .IsNothing();
}

}  // namespace jscore::engine::extensions::web
