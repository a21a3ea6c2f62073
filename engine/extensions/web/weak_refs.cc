#include "engine/extensions/web/weak_refs.h"

namespace jscore::engine::extensions::web {
namespace {

using internal::JsScope;

void Noop(const v8::FunctionCallbackInfo<v8::Value>& /*info*/) {}

// new FinalizationRegistry(callback): V8's registry, built with a no-op callback.
void Construct(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  if (!info.IsConstructCall()) {
    isolate->ThrowException(
        v8::Exception::TypeError(scope.Str("Constructor FinalizationRegistry requires 'new'")));
    return;
  }
  if (info.Length() < 1 || !info[0]->IsFunction()) {
    isolate->ThrowException(
        v8::Exception::TypeError(scope.Str("FinalizationRegistry: cleanup must be callable")));
    return;
  }
  v8::Local<v8::Function> original = info.Data().As<v8::Function>();
  v8::Local<v8::Function> noop;
  if (!v8::Function::New(scope.context(), Noop).ToLocal(&noop)) return;
  v8::Local<v8::Value> argv[] = {noop};
  v8::Local<v8::Object> registry;
  if (!original->NewInstance(scope.context(), 1, argv).ToLocal(&registry)) return;
  info.GetReturnValue().Set(registry);
}

}  // namespace

void InstallSafeFinalizationRegistry(JsScope& scope) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::String> name = scope.Str("FinalizationRegistry");
  v8::Local<v8::Value> original;
  if (!context->Global()->Get(context, name).ToLocal(&original) || !original->IsFunction()) return;
  v8::Local<v8::Function> safe;
  if (!v8::Function::New(context, Construct, original, 1).ToLocal(&safe)) return;
  safe->SetName(name);
  v8::Local<v8::String> prototype_key = scope.Str("prototype");
  v8::Local<v8::Value> prototype;
  if (!original.As<v8::Function>()->Get(context, prototype_key).ToLocal(&prototype)) return;
  // `instanceof` and `constructor` keep working; the global stays non-enumerable.
  (void)safe->DefineOwnProperty(
      context, prototype_key, prototype,
      static_cast<v8::PropertyAttribute>(v8::ReadOnly | v8::DontEnum | v8::DontDelete));
  if (prototype->IsObject()) {
    (void)prototype.As<v8::Object>()->DefineOwnProperty(context, scope.Str("constructor"), safe,
                                                        v8::DontEnum);
  }
  (void)context->Global()->DefineOwnProperty(context, name, safe, v8::DontEnum);
  (void)isolate;
}

}  // namespace jscore::engine::extensions::web
