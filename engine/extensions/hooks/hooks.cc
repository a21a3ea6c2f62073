#include "engine/extensions/hooks/hooks.h"

#include "engine/internal/context_host.h"

namespace jscore::engine::extensions::hooks {
namespace {

using internal::ContextHost;
using internal::JsScope;

constexpr char kReturnMessage[] = "[jscore:$return] the script returned early with $return()";

v8::Local<v8::Private> ReturnKey(v8::Isolate* isolate) {
  return v8::Private::ForApi(isolate, v8::String::NewFromUtf8Literal(isolate, "jscore:$return"));
}

void Return(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Value> value = info.Length() > 0 ? info[0] : v8::Undefined(isolate).As<v8::Value>();
  v8::Local<v8::Value> error = v8::Exception::Error(scope.Str(kReturnMessage));
  if (!error->IsObject() ||
      error.As<v8::Object>()->SetPrivate(scope.context(), ReturnKey(isolate), value).IsNothing()) {
    return;
  }
  isolate->ThrowException(error);
}

// Forces the pending termination through before control returns to the script:
// V8 acts on TerminateExecution at its next interrupt check, and a JS function's
// entry is one. Without this a `finally` right after the call could still run.
void ReachInterruptCheck(JsScope& scope) {
  v8::Local<v8::Script> script;
  v8::Local<v8::Value> ignored;
  if (v8::Script::Compile(scope.context(), scope.Str("(function(){})()")).ToLocal(&script)) {
    (void)script->Run(scope.context()).ToLocal(&ignored);
  }
}

void Terminate(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  ContextHost* host = ContextHost::From(scope.context());
  if (host == nullptr) {
    isolate->ThrowException(v8::Exception::Error(scope.Str("$terminate: no job is running")));
    return;
  }
  v8::Local<v8::Value> value = info.Length() > 0 ? info[0] : v8::Undefined(isolate).As<v8::Value>();
  host->TerminateWithHook(scope, value);
  if (isolate->IsExecutionTerminating()) return;
  ReachInterruptCheck(scope);
}

void SetHidden(JsScope& scope, const char* name, v8::FunctionCallback callback) {
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Function> fn;
  if (!v8::Function::New(context, callback, {}, 1, v8::ConstructorBehavior::kThrow).ToLocal(&fn)) {
    return;
  }
  v8::Local<v8::String> key = scope.Str(name);
  fn->SetName(key);
  (void)context->Global()->DefineOwnProperty(context, key, fn, v8::DontEnum);
}

}  // namespace

void InstallHooks(JsScope& scope) {
  SetHidden(scope, "$return", Return);
  SetHidden(scope, "$exit", Return);
  SetHidden(scope, "$terminate", Terminate);
}

bool ReturnedValue(JsScope& scope, v8::Local<v8::Value> exception, v8::Local<v8::Value>* value) {
  if (exception.IsEmpty() || !exception->IsNativeError()) return false;
  v8::Local<v8::Object> error = exception.As<v8::Object>();
  v8::Local<v8::Private> key = ReturnKey(scope.isolate());
  bool has = false;
  if (!error->HasPrivate(scope.context(), key).To(&has) || !has) return false;
  return error->GetPrivate(scope.context(), key).ToLocal(value);
}

}  // namespace jscore::engine::extensions::hooks
