#include "engine/extensions/require.h"

#include <string>

namespace jscore::engine::extensions {
namespace {

using internal::JsScope;

// info.Data() is [sources, cache, require]: sources maps name -> source text, cache maps
// name -> module object (set before the module runs, so cycles see partial exports).
void Require(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Context> context = scope.context();
  if (info.Length() < 1 || !info[0]->IsString()) {
    isolate->ThrowException(v8::Exception::TypeError(scope.Str("require(name): name must be a string")));
    return;
  }
  v8::Local<v8::String> name = info[0].As<v8::String>();
  v8::Local<v8::Array> data = info.Data().As<v8::Array>();
  v8::Local<v8::Value> sources_value, cache_value;
  if (!data->Get(context, 0).ToLocal(&sources_value) || !data->Get(context, 1).ToLocal(&cache_value)) return;
  v8::Local<v8::Object> sources = sources_value.As<v8::Object>();
  v8::Local<v8::Object> cache = cache_value.As<v8::Object>();

  v8::Local<v8::Value> cached;
  if (!cache->Get(context, name).ToLocal(&cached)) return;
  if (cached->IsObject()) {
    v8::Local<v8::Value> exports;
    if (cached.As<v8::Object>()->Get(context, scope.Str("exports")).ToLocal(&exports)) {
      info.GetReturnValue().Set(exports);
    }
    return;
  }
  v8::Local<v8::Value> source;
  if (!sources->Get(context, name).ToLocal(&source)) return;
  if (!source->IsString()) {
    isolate->ThrowException(v8::Exception::Error(scope.Str(
        "Cannot find module '" + scope.Utf8(name) +
        "' (only the modules given with the program can be required)")));
    return;
  }
  v8::Local<v8::Object> module = v8::Object::New(isolate);
  v8::Local<v8::Object> exports = v8::Object::New(isolate);
  if (module->Set(context, scope.Str("exports"), exports).IsNothing() ||
      cache->Set(context, name, module).IsNothing()) {
    return;
  }
  v8::ScriptOrigin origin(isolate, name);
  v8::ScriptCompiler::Source compiled_source(source.As<v8::String>(), origin);
  v8::Local<v8::String> params[] = {scope.Str("exports"), scope.Str("require"), scope.Str("module"),
                                    scope.Str("__filename"), scope.Str("__dirname")};
  v8::Local<v8::Function> wrapper;
  if (!v8::ScriptCompiler::CompileFunction(context, &compiled_source, 5, params).ToLocal(&wrapper)) {
    (void)cache->Delete(context, name);
    return;
  }
  v8::Local<v8::Value> self;
  if (!data->Get(context, 2).ToLocal(&self)) return;
  v8::Local<v8::Value> argv[] = {exports, self, module, name, scope.Str("")};
  if (wrapper->Call(context, v8::Undefined(isolate), 5, argv).IsEmpty()) {
    (void)cache->Delete(context, name);
    return;
  }
  v8::Local<v8::Value> result;
  if (module->Get(context, scope.Str("exports")).ToLocal(&result)) info.GetReturnValue().Set(result);
}

}  // namespace

void InstallRequire(JsScope& scope, const std::map<std::string, std::string>& modules) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Object> sources = v8::Object::New(isolate, v8::Null(isolate), nullptr, nullptr, 0);
  for (const auto& [name, text] : modules) {
    if (sources->Set(context, scope.Str(name), scope.Str(text)).IsNothing()) return;
  }
  v8::Local<v8::Object> cache = v8::Object::New(isolate, v8::Null(isolate), nullptr, nullptr, 0);
  v8::Local<v8::Array> data = v8::Array::New(isolate, 3);
  if (data->Set(context, 0, sources).IsNothing() || data->Set(context, 1, cache).IsNothing()) return;
  v8::Local<v8::Function> require;
  if (!v8::Function::New(context, Require, data, 1, v8::ConstructorBehavior::kThrow).ToLocal(&require)) {
    return;
  }
  require->SetName(scope.Str("require"));
  if (data->Set(context, 2, require).IsNothing()) return;
  (void)context->Global()->Set(context, scope.Str("require"), require);
}

}  // namespace jscore::engine::extensions
