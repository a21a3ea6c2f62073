#include "engine/extensions/web/performance.h"

#include <chrono>

#include "engine/extensions/web/web_support.h"

namespace jscore::engine::extensions::web {
namespace {

using internal::JsScope;

constexpr char kKey[] = "jscore.Performance";
enum PerformanceSlot { kTimeOriginEpoch, kPerformanceSlots };

void Now(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Array> state;
  if (!web::GetState(scope, info.This(), kKey, &state)) return;
  info.GetReturnValue().Set(web::PerformanceNow(scope));
}

void TimeOrigin(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Array> state;
  if (!web::GetState(scope, info.This(), kKey, &state)) return;
  info.GetReturnValue().Set(web::At(scope, state, kTimeOriginEpoch));
}

void ToJson(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Array> state;
  if (!web::GetState(scope, info.This(), kKey, &state)) return;
  v8::Local<v8::Object> json = v8::Object::New(isolate);
  if (json->CreateDataProperty(scope.context(), scope.Str("timeOrigin"),
                               web::At(scope, state, kTimeOriginEpoch))
          .IsNothing()) {
    return;
  }
  info.GetReturnValue().Set(json);
}

v8::MaybeLocal<v8::Value> Build(JsScope& scope, v8::Local<v8::Array> realm) {
  static constexpr web::Method kMethods[] = {{"now", Now, 0}, {"toJSON", ToJson, 0}};
  static constexpr web::Accessor kAccessors[] = {{"timeOrigin", TimeOrigin, nullptr}};
  web::ClassSpec spec;
  spec.name = "Performance";
  spec.methods = kMethods;
  spec.accessors = kAccessors;
  v8::Local<v8::Function> ctor;
  v8::Local<v8::Object> performance;
  v8::Local<v8::Array> state;
  if (!web::BuildClass(scope, spec, realm).ToLocal(&ctor) ||
      !web::NewInstanceOf(scope, ctor).ToLocal(&performance) ||
      !web::NewState(scope, performance, kKey, kPerformanceSlots, &state)) {
    return {};
  }
  // The wall-clock instant of the (monotonic) origin, fixed once.
  using Ms = std::chrono::duration<double, std::milli>;
  double wall_now =
      std::chrono::duration_cast<Ms>(std::chrono::system_clock::now().time_since_epoch()).count();
  double origin = wall_now - web::PerformanceNow(scope);
  if (!web::Put(scope, state, kTimeOriginEpoch, v8::Number::New(scope.isolate(), origin))) {
    return {};
  }
  return performance;
}

}  // namespace

void InstallPerformance(JsScope& scope) {
  v8::Local<v8::Array> realm;
  if (!web::Realm(scope).ToLocal(&realm) ||
      !web::SetSlot(scope, realm, Slot::kTimeOrigin,
                    v8::Number::New(scope.isolate(), web::SteadyMillis()))) {
    return;
  }
  (void)web::DefineLazyGlobal<Slot::kPerformance, Build>(scope, "performance");
}

}  // namespace jscore::engine::extensions::web
