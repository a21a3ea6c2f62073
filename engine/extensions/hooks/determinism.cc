#include "engine/extensions/hooks/determinism.h"

#include <openssl/rand.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "absl/time/clock.h"

namespace jscore::engine::extensions::hooks {
namespace {

using internal::ContextState;
using internal::JsScope;

// Indices into the Date replacement's data array.
enum DateData { kOriginalDate, kReflectConstruct, kDateToString, kDateDataSize };

ContextState* StateOf(v8::Isolate* isolate) {
  return ContextState::From(isolate->GetCurrentContext());
}

double NowMs(const ContextState* state) {
  if (state != nullptr && state->frozen_time_ms) return *state->frozen_time_ms;
  return std::floor(static_cast<double>(absl::ToUnixMicros(absl::Now())) / 1000.0);
}

void Random(const v8::FunctionCallbackInfo<v8::Value>& info) {
  ContextState* state = StateOf(info.GetIsolate());
  double value;
  if (state != nullptr && state->random) {
    value = state->random->NextDouble();
  } else {
    uint64_t bits = 0;
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&bits), sizeof(bits)) != 1) bits = 0;
    value = static_cast<double>(bits >> 11) * 0x1.0p-53;
  }
  info.GetReturnValue().Set(value);
}

void DateNow(const v8::FunctionCallbackInfo<v8::Value>& info) {
  info.GetReturnValue().Set(NowMs(StateOf(info.GetIsolate())));
}

// `new Date(...)`, `Date(...)` and `super(...)` from a subclass.
void DateConstructor(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Array> data = info.Data().As<v8::Array>();
  v8::Local<v8::Value> original, construct, to_string;
  if (!data->Get(context, kOriginalDate).ToLocal(&original) ||
      !data->Get(context, kReflectConstruct).ToLocal(&construct) ||
      !data->Get(context, kDateToString).ToLocal(&to_string)) {
    return;
  }
  ContextState* state = StateOf(isolate);
  bool frozen = state != nullptr && state->frozen_time_ms.has_value();
  if (!info.IsConstructCall()) {
    // Date(...) ignores its arguments and returns the current time as a string.
    v8::Local<v8::Value> result;
    if (!frozen) {
      if (original.As<v8::Function>()
              ->Call(context, v8::Undefined(isolate), 0, nullptr)
              .ToLocal(&result)) {
        info.GetReturnValue().Set(result);
      }
      return;
    }
    v8::Local<v8::Value> time = v8::Number::New(isolate, *state->frozen_time_ms);
    v8::Local<v8::Object> date;
    if (original.As<v8::Function>()->NewInstance(context, 1, &time).ToLocal(&date) &&
        to_string.As<v8::Function>()->Call(context, date, 0, nullptr).ToLocal(&result)) {
      info.GetReturnValue().Set(result);
    }
    return;
  }
  std::vector<v8::Local<v8::Value>> args;
  if (info.Length() == 0 && frozen) {
    args.push_back(v8::Number::New(isolate, *state->frozen_time_ms));
  } else {
    for (int i = 0; i < info.Length(); ++i) args.push_back(info[i]);
  }
  v8::Local<v8::Value> argv[] = {original, v8::Array::New(isolate, args.data(), args.size()),
                                 info.NewTarget()};
  v8::Local<v8::Value> result;
  if (construct.As<v8::Function>()
          ->Call(context, v8::Undefined(isolate), 3, argv)
          .ToLocal(&result)) {
    info.GetReturnValue().Set(result);
  }
}

void PerformanceNow(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  ContextState* state = StateOf(isolate);
  if (state != nullptr && state->frozen_time_ms) {
    info.GetReturnValue().Set(0.0);  // time stands still at timeOrigin
    return;
  }
  v8::Local<v8::Value> result;
  if (info.Data()
          .As<v8::Function>()
          ->Call(isolate->GetCurrentContext(), info.This(), 0, nullptr)
          .ToLocal(&result)) {
    info.GetReturnValue().Set(result);
  }
}

void PerformanceTimeOrigin(const v8::FunctionCallbackInfo<v8::Value>& info) {
  ContextState* state = StateOf(info.GetIsolate());
  if (state != nullptr && state->frozen_time_ms) {
    info.GetReturnValue().Set(*state->frozen_time_ms);
  } else {
    info.GetReturnValue().Set(info.Data());
  }
}

v8::MaybeLocal<v8::Function> NewFunction(JsScope& scope, const char* name,
                                         v8::FunctionCallback callback, v8::Local<v8::Value> data,
                                         int length, v8::ConstructorBehavior behavior) {
  v8::Local<v8::Function> fn;
  if (!v8::Function::New(scope.context(), callback, data, length, behavior).ToLocal(&fn)) return {};
  fn->SetName(scope.Str(name));
  return fn;
}

bool GetObject(JsScope& scope, v8::Local<v8::Object> from, const char* name,
               v8::Local<v8::Value>* out) {
  return from->Get(scope.context(), scope.Str(name)).ToLocal(out);
}

bool ReplaceMathRandom(JsScope& scope) {
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Value> math;
  if (!GetObject(scope, context->Global(), "Math", &math)) return false;
  if (!math->IsObject()) return true;
  v8::Local<v8::Function> random;
  if (!NewFunction(scope, "random", Random, {}, 0, v8::ConstructorBehavior::kThrow)
           .ToLocal(&random)) {
    return false;
  }
  return !math.As<v8::Object>()
              ->DefineOwnProperty(context, scope.Str("random"), random, v8::DontEnum)
              .IsNothing();
}

bool ReplaceDate(JsScope& scope) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Object> global = context->Global();
  v8::Local<v8::Value> original, reflect, construct, prototype, to_string, utc, parse;
  if (!GetObject(scope, global, "Date", &original) ||
      !GetObject(scope, global, "Reflect", &reflect)) {
    return false;
  }
  if (!original->IsFunction() || !reflect->IsObject()) return true;  // a session replaced them
  v8::Local<v8::Function> date = original.As<v8::Function>();
  if (!GetObject(scope, reflect.As<v8::Object>(), "construct", &construct) ||
      !GetObject(scope, date, "prototype", &prototype) || !GetObject(scope, date, "UTC", &utc) ||
      !GetObject(scope, date, "parse", &parse)) {
    return false;
  }
  if (!construct->IsFunction() || !prototype->IsObject()) return true;
  if (!GetObject(scope, prototype.As<v8::Object>(), "toString", &to_string)) return false;
  if (!to_string->IsFunction()) return true;

  v8::Local<v8::Array> data = v8::Array::New(isolate, kDateDataSize);
  v8::Local<v8::Function> replacement, now;
  if (data->Set(context, kOriginalDate, date).IsNothing() ||
      data->Set(context, kReflectConstruct, construct).IsNothing() ||
      data->Set(context, kDateToString, to_string).IsNothing() ||
      !NewFunction(scope, "Date", DateConstructor, data, 7, v8::ConstructorBehavior::kAllow)
           .ToLocal(&replacement) ||
      !NewFunction(scope, "now", DateNow, {}, 0, v8::ConstructorBehavior::kThrow).ToLocal(&now)) {
    return false;
  }
  auto define = [&](v8::Local<v8::Object> on, const char* name, v8::Local<v8::Value> value,
                    v8::PropertyAttribute attributes) {
    return !on->DefineOwnProperty(context, scope.Str(name), value, attributes).IsNothing();
  };
  auto hidden_const =
      static_cast<v8::PropertyAttribute>(v8::DontEnum | v8::DontDelete | v8::ReadOnly);
  return define(replacement, "prototype", prototype, hidden_const) &&
         define(replacement, "now", now, v8::DontEnum) &&
         define(replacement, "UTC", utc, v8::DontEnum) &&
         define(replacement, "parse", parse, v8::DontEnum) &&
         define(prototype.As<v8::Object>(), "constructor", replacement, v8::DontEnum) &&
         define(global, "Date", replacement, v8::DontEnum);
}

// Only if the environment has a `performance` object with a `now` function.
bool ReplacePerformance(JsScope& scope) {
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Object> global = context->Global();
  bool has = false;
  if (!global->HasRealNamedProperty(context, scope.Str("performance")).To(&has)) return false;
  if (!has) return true;
  v8::Local<v8::Value> performance, now, origin;
  if (!GetObject(scope, global, "performance", &performance)) return false;
  if (!performance->IsObject()) return true;
  v8::Local<v8::Object> object = performance.As<v8::Object>();
  if (!GetObject(scope, object, "now", &now) || !GetObject(scope, object, "timeOrigin", &origin)) {
    return false;
  }
  if (!now->IsFunction()) return true;
  v8::Local<v8::Function> replacement, origin_getter;
  if (!NewFunction(scope, "now", PerformanceNow, now, 0, v8::ConstructorBehavior::kThrow)
           .ToLocal(&replacement) ||
      object->DefineOwnProperty(context, scope.Str("now"), replacement, v8::DontEnum).IsNothing()) {
    return false;
  }
  if (!origin->IsNumber()) return true;
  if (!NewFunction(scope, "get timeOrigin", PerformanceTimeOrigin, origin, 0,
                   v8::ConstructorBehavior::kThrow)
           .ToLocal(&origin_getter)) {
    return false;
  }
  object->SetAccessorProperty(scope.Str("timeOrigin"), origin_getter, {}, v8::DontEnum);
  return true;
}

}  // namespace

bool InstallDeterminism(JsScope& scope, ContextState& state) {
  if (state.determinism_installed) return true;
  if (!ReplaceMathRandom(scope) || !ReplaceDate(scope) || !ReplacePerformance(scope)) return false;
  state.determinism_installed = true;
  return true;
}

}  // namespace jscore::engine::extensions::hooks
