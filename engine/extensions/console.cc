#include "engine/extensions/console.h"

#include <string>

#include "engine/internal/context_host.h"

namespace jscore::engine::extensions {
namespace {

using internal::ContextHost;
using internal::JsScope;

// Strings print as they are; other values as JSON where JSON can say them, else
// as their string form (functions, symbols, undefined, cycles).
std::string Format(JsScope& scope, v8::Local<v8::Value> value) {
  if (value->IsString()) return scope.Utf8(value.As<v8::String>());
  if (value->IsObject() && !value->IsFunction()) {
    v8::TryCatch try_catch(scope.isolate());
    v8::Local<v8::String> json;
    if (v8::JSON::Stringify(scope.context(), value).ToLocal(&json)) return scope.Utf8(json);
    if (try_catch.HasTerminated()) {
      try_catch.ReThrow();
      return {};
    }
  }
  if (value->IsSymbol()) {
    v8::Local<v8::Value> description = value.As<v8::Symbol>()->Description(scope.isolate());
    return "Symbol(" + (description->IsUndefined() ? std::string() : scope.ToUtf8(description)) + ")";
  }
  return scope.ToUtf8(value);
}

void Log(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  ContextHost* host = ContextHost::From(scope.context());
  if (host == nullptr) return;
  std::string line;
  for (int i = 0; i < info.Length(); ++i) {
    if (i > 0) line.push_back(' ');
    line += Format(scope, info[i]);
    if (isolate->IsExecutionTerminating()) return;
  }
  auto level = static_cast<ConsoleLine::Level>(info.Data().As<v8::Int32>()->Value());
  host->AddConsoleLine(level, std::move(line));
}

}  // namespace

void InstallConsole(JsScope& scope) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Object> console = v8::Object::New(isolate);
  struct Method {
    const char* name;
    ConsoleLine::Level level;
  };
  constexpr Method kMethods[] = {
      {"log", ConsoleLine::Level::kLog},     {"info", ConsoleLine::Level::kInfo},
      {"warn", ConsoleLine::Level::kWarn},   {"error", ConsoleLine::Level::kError},
      {"debug", ConsoleLine::Level::kDebug}, {"trace", ConsoleLine::Level::kTrace},
  };
  for (const Method& m : kMethods) {
    v8::Local<v8::Function> fn;
    v8::Local<v8::Value> data = v8::Int32::New(isolate, static_cast<int>(m.level));
    if (!v8::Function::New(context, Log, data, 0, v8::ConstructorBehavior::kThrow).ToLocal(&fn)) {
      return;
    }
    fn->SetName(scope.Str(m.name));
    if (console->Set(context, scope.Str(m.name), fn).IsNothing()) return;
  }
  if (context->Global()->Set(context, scope.Str("console"), console).IsNothing()) return;
}

}  // namespace jscore::engine::extensions
