#include "engine/extensions/timers/timers.h"

#include <cmath>
#include <utility>
#include <vector>

#include "engine/internal/context_host.h"

namespace jscore::engine::extensions::timers {
namespace {

using internal::ContextHost;
using internal::JsScope;

constexpr double kMaxDelayMs = 2147483647.0;  // 2^31 - 1

void ThrowType(v8::Isolate* isolate, const char* message) {
  isolate->ThrowException(
      v8::Exception::TypeError(v8::String::NewFromUtf8(isolate, message).ToLocalChecked()));
}

// setTimeout(callback, delay, ...args) and setInterval, told apart by `data`.
void SetTimer(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  ContextHost* host = ContextHost::From(scope.context());
  bool repeat = info.Data()->IsTrue();
  if (host == nullptr) return ThrowType(isolate, "timers are not available in this context");
  v8::Local<v8::Function> callback;
  if (info.Length() > 0 && info[0]->IsFunction()) {
    callback = info[0].As<v8::Function>();
  } else if (info.Length() > 0 && (info[0]->IsString() || info[0]->IsObject())) {
    // Browsers compile a string argument (and, as WebIDL's TimerHandler says, the
    // string form of any other object); do the same, in this context. Other
    // primitives throw, as in Node, since they are almost always a mistake.
    v8::Local<v8::String> code;
    if (!info[0]->ToString(scope.context()).ToLocal(&code)) return;
    v8::ScriptCompiler::Source source(code);
    v8::Local<v8::Function> wrapper;
    if (!v8::ScriptCompiler::CompileFunction(scope.context(), &source).ToLocal(&wrapper)) {
      return;
    }
    callback = wrapper;
  } else {
    return ThrowType(isolate, "The \"callback\" argument must be of type function");
  }
  double delay = 0;
  if (info.Length() > 1) {
    v8::Local<v8::Number> n;
    if (!info[1]->ToNumber(scope.context()).ToLocal(&n)) return;
    delay = n->Value();
  }
  if (!(delay >= 0)) delay = 0;  // NaN and negatives fire at once
  // A delay that does not fit a signed 32-bit integer (Infinity included) becomes
  // 1 ms, as in Node (browsers wrap it to a negative long, i.e. 0): it fires.
  if (delay > kMaxDelayMs) delay = 1;
  std::vector<v8::Global<v8::Value>> args;
  for (int i = 2; i < info.Length(); ++i) args.emplace_back(isolate, info[i]);
  int id = host->AddTimer(scope, callback, std::move(args), delay, repeat);
  if (id == 0) {
    isolate->ThrowException(
        v8::Exception::RangeError(scope.Str("too many pending timers in this evaluation")));
    return;
  }
  info.GetReturnValue().Set(id);
}

void ClearTimer(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  ContextHost* host = ContextHost::From(isolate->GetCurrentContext());
  if (host == nullptr || info.Length() < 1 || !info[0]->IsNumber()) return;
  double id = info[0].As<v8::Number>()->Value();
  if (id >= 1 && id <= 2147483647.0) host->ClearTimer(static_cast<int>(id));
}

void QueueMicrotask(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  if (info.Length() < 1 || !info[0]->IsFunction()) {
    return ThrowType(isolate, "The \"callback\" argument must be of type function");
  }
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::MicrotaskQueue* queue = context->GetMicrotaskQueue();
  if (queue == nullptr) return ThrowType(isolate, "no microtask queue");
  queue->EnqueueMicrotask(isolate, info[0].As<v8::Function>());
}

void SetFunction(JsScope& scope, const char* name, v8::FunctionCallback callback,
                 v8::Local<v8::Value> data = {}) {
  v8::Local<v8::Function> fn;
  if (!v8::Function::New(scope.context(), callback, data, 1, v8::ConstructorBehavior::kThrow)
           .ToLocal(&fn)) {
    return;
  }
  v8::Local<v8::String> key = scope.Str(name);
  fn->SetName(key);
  // Non-enumerable, as browsers define their own globals.
  if (scope.context()
          ->Global()
          ->DefineOwnProperty(scope.context(), key, fn, v8::DontEnum)
          .IsNothing()) {
    return;
  }
}

}  // namespace

void InstallTimers(JsScope& scope) {
  v8::Isolate* isolate = scope.isolate();
  SetFunction(scope, "setTimeout", SetTimer, v8::False(isolate));
  SetFunction(scope, "setInterval", SetTimer, v8::True(isolate));
  SetFunction(scope, "clearTimeout", ClearTimer);
  SetFunction(scope, "clearInterval", ClearTimer);
  SetFunction(scope, "queueMicrotask", QueueMicrotask);
}

}  // namespace jscore::engine::extensions::timers
