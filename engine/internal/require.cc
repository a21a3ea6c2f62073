#include "engine/internal/require.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/internal/context_slots.h"
#include "engine/internal/context_state.h"

namespace jscore::engine::internal {
namespace {

const Program* ModulesOf(v8::Local<v8::Context> context) {
  ContextState* state = ContextState::From(context);
  return state == nullptr ? nullptr : state->modules.get();
}

// require.cache: path -> module object, one per context.
v8::Local<v8::Object> RequireCache(JsScope& scope) {
  v8::Local<v8::Object> tables = ContextSlots::ModuleTables(scope.context());
  v8::Local<v8::Value> cache;
  v8::Local<v8::String> key = scope.Str("require.cache");
  if (tables->Get(scope.context(), key).ToLocal(&cache) && cache->IsObject()) {
    return cache.As<v8::Object>();
  }
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Object> made = v8::Object::New(isolate, v8::Null(isolate), nullptr, nullptr, 0);
  (void)tables->Set(scope.context(), key, made);
  return made;
}

void ThrowNotFound(JsScope& scope, const std::string& message) {
  v8::Local<v8::Value> error = v8::Exception::Error(scope.Str(message));
  (void)error.As<v8::Object>()->Set(scope.context(), scope.Str("code"),
                                    scope.Str("MODULE_NOT_FOUND"));
  scope.isolate()->ThrowException(error);
}

// The path `request` names from `dir`, or empty with an exception thrown.
std::string Resolve(JsScope& scope, const std::string& request, const std::string& dir) {
  const Program* program = ModulesOf(scope.context());
  if (program == nullptr || program->files == nullptr) {
    ThrowNotFound(scope, "Cannot find module '" + request + "' (no modules were given)");
    return {};
  }
  absl::StatusOr<std::string> path = program->files->ResolveRequire(request, dir);
  if (!path.ok()) {
    ThrowNotFound(scope, std::string(path.status().message()));
    return {};
  }
  return *path;
}

std::string RequestOf(JsScope& scope, const v8::FunctionCallbackInfo<v8::Value>& info) {
  if (info.Length() < 1 || !info[0]->IsString()) {
    scope.isolate()->ThrowException(
        v8::Exception::TypeError(scope.Str("The \"id\" argument must be of type string")));
    return {};
  }
  return scope.Utf8(info[0].As<v8::String>());
}

v8::MaybeLocal<v8::Function> MakeRequire(JsScope& scope, const std::string& dir);

void RequireCallback(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  std::string request = RequestOf(scope, info);
  if (request.empty()) return;
  std::string path = Resolve(scope, request, scope.Utf8(info.Data().As<v8::String>()));
  if (path.empty()) return;
  v8::Local<v8::Value> exports;
  if (RequirePath(scope, path).ToLocal(&exports)) info.GetReturnValue().Set(exports);
}

void ResolveCallback(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  std::string request = RequestOf(scope, info);
  if (request.empty()) return;
  std::string path = Resolve(scope, request, scope.Utf8(info.Data().As<v8::String>()));
  if (!path.empty()) info.GetReturnValue().Set(scope.Str(path));
}

v8::MaybeLocal<v8::Function> MakeRequire(JsScope& scope, const std::string& dir) {
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::String> data = scope.Str(dir);
  v8::Local<v8::Function> require, resolve;
  if (!v8::Function::New(context, RequireCallback, data, 1, v8::ConstructorBehavior::kThrow)
           .ToLocal(&require) ||
      !v8::Function::New(context, ResolveCallback, data, 1, v8::ConstructorBehavior::kThrow)
           .ToLocal(&resolve)) {
    return {};
  }
  require->SetName(scope.Str("require"));
  resolve->SetName(scope.Str("resolve"));
  if (require->Set(context, scope.Str("resolve"), resolve).IsNothing() ||
      require->Set(context, scope.Str("cache"), RequireCache(scope)).IsNothing()) {
    return {};
  }
  return require;
}

// A module object as Node's: {id, filename, path, exports, loaded, children, paths, require}.
v8::MaybeLocal<v8::Object> MakeModule(JsScope& scope, const std::string& path) {
  v8::Local<v8::Context> context = scope.context();
  v8::Isolate* isolate = scope.isolate();
  std::string dir = ModuleDirname(path);
  v8::Local<v8::Function> require;
  if (!MakeRequire(scope, dir).ToLocal(&require)) return {};
  v8::Local<v8::Object> module = v8::Object::New(isolate);
  v8::Local<v8::Array> paths = v8::Array::New(isolate);
  uint32_t n = 0;
  for (std::string d = dir;; d = ModuleDirname(d)) {
    if (d.size() < 13 || d.compare(d.size() - 13, 13, "/node_modules") != 0) {
      if (paths->Set(context, n++, scope.Str(d == "/" ? "/node_modules" : d + "/node_modules"))
              .IsNothing()) {
        return {};
      }
    }
    if (d == "/") break;
  }
  struct Field {
    const char* name;
    v8::Local<v8::Value> value;
  };
  for (const Field& f :
       {Field{"id", scope.Str(path)}, Field{"path", scope.Str(dir)},
        Field{"exports", v8::Object::New(isolate)}, Field{"filename", scope.Str(path)},
        Field{"loaded", v8::False(isolate)}, Field{"children", v8::Array::New(isolate)},
        Field{"paths", paths}, Field{"require", require}}) {
    if (module->Set(context, scope.Str(f.name), f.value).IsNothing()) return {};
  }
  return module;
}

// Runs the module's wrapper; on a throw, its cache entry is removed (Node's rule).
v8::MaybeLocal<v8::Value> RunModule(JsScope& scope, const std::string& path,
                                    const std::string& source,
                                    const std::vector<uint8_t>* code_cache) {
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Object> cache = RequireCache(scope);
  v8::Local<v8::String> key = scope.Str(path);
  v8::Local<v8::Object> module;
  if (!MakeModule(scope, path).ToLocal(&module) || cache->Set(context, key, module).IsNothing()) {
    return {};
  }
  v8::Local<v8::Value> exports, require;
  v8::Local<v8::Function> wrapper;
  if (!module->Get(context, scope.Str("exports")).ToLocal(&exports) ||
      !module->Get(context, scope.Str("require")).ToLocal(&require) ||
      !CompileCommonJs(scope, path, source, code_cache).ToLocal(&wrapper)) {
    (void)cache->Delete(context, key);
    return {};
  }
  v8::Local<v8::Value> argv[] = {exports, require, module, key, scope.Str(ModuleDirname(path))};
  if (wrapper->Call(context, exports, 5, argv).IsEmpty()) {
    (void)cache->Delete(context, key);
    return {};
  }
  if (module->Set(context, scope.Str("loaded"), v8::True(scope.isolate())).IsNothing()) return {};
  return module->Get(context, scope.Str("exports"));
}

}  // namespace

void RethrowNamingModule(JsScope& scope, v8::TryCatch& try_catch, const std::string& path) {
  if (!try_catch.HasCaught() || try_catch.HasTerminated()) {
    if (try_catch.HasCaught()) try_catch.ReThrow();
    return;
  }
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Message> message = try_catch.Message();
  int line = message.IsEmpty() ? 0 : message->GetLineNumber(context).FromMaybe(0);
  int column = message.IsEmpty() ? 0 : message->GetStartColumn(context).FromMaybe(-1) + 1;
  v8::Local<v8::Value> exception = try_catch.Exception();
  std::string text = message.IsEmpty() ? scope.ToUtf8(exception) : scope.Utf8(message->Get());
  // "Uncaught SyntaxError: Unexpected token ':'" -> "Unexpected token ':'"
  size_t colon = text.find(": ");
  std::string kind = "SyntaxError";
  if (colon != std::string::npos) {
    std::string head = text.substr(0, colon);
    if (head.rfind("Uncaught ", 0) == 0) head = head.substr(9);
    if (head.find(' ') == std::string::npos) kind = head;
    text = text.substr(colon + 2);
  }
  std::string named = absl::StrCat(text, " (", path, ":", line, ":", column, ")");
  v8::Local<v8::String> s = scope.Str(named);
  v8::Local<v8::Value> error = kind == "SyntaxError"      ? v8::Exception::SyntaxError(s)
                               : kind == "TypeError"      ? v8::Exception::TypeError(s)
                               : kind == "RangeError"     ? v8::Exception::RangeError(s)
                               : kind == "ReferenceError" ? v8::Exception::ReferenceError(s)
                                                          : v8::Exception::Error(s);
  try_catch.Reset();
  scope.isolate()->ThrowException(error);
  try_catch.ReThrow();  // past this TryCatch, to the caller's
}

v8::MaybeLocal<v8::Function> CompileCommonJs(JsScope& scope, const std::string& path,
                                             const std::string& source,
                                             const std::vector<uint8_t>* cache) {
  v8::Isolate* isolate = scope.isolate();
  v8::TryCatch try_catch(isolate);
  v8::ScriptOrigin origin(isolate, scope.Str(path));
  auto* cached =
      cache == nullptr || cache->empty()
          ? nullptr
          : new v8::ScriptCompiler::CachedData(cache->data(), static_cast<int>(cache->size()),
                                               v8::ScriptCompiler::CachedData::BufferNotOwned);
  v8::ScriptCompiler::Source compiled(scope.Str(source), origin, cached);  // owns `cached`
  v8::Local<v8::String> params[] = {scope.Str("exports"), scope.Str("require"), scope.Str("module"),
                                    scope.Str("__filename"), scope.Str("__dirname")};
  v8::Local<v8::Function> wrapper;
  if (!v8::ScriptCompiler::CompileFunction(scope.context(), &compiled, 5, params, 0, nullptr,
                                           cached != nullptr
                                               ? v8::ScriptCompiler::kConsumeCodeCache
                                               : v8::ScriptCompiler::kNoCompileOptions)
           .ToLocal(&wrapper)) {
    RethrowNamingModule(scope, try_catch, path);
    return {};
  }
  return wrapper;
}

v8::MaybeLocal<v8::Value> RequirePath(JsScope& scope, const std::string& path) {
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Object> cache = RequireCache(scope);
  v8::Local<v8::Value> cached;
  if (!cache->Get(context, scope.Str(path)).ToLocal(&cached)) return {};
  if (cached->IsObject()) return cached.As<v8::Object>()->Get(context, scope.Str("exports"));
  const Program* program = ModulesOf(context);
  const std::string* source =
      program == nullptr || program->files == nullptr ? nullptr : program->files->Find(path);
  if (source == nullptr) {
    ThrowNotFound(scope, "Cannot find module '" + path + "'");
    return {};
  }
  auto format = program->formats.find(path);
  ModuleFormat kind =
      format == program->formats.end() ? program->files->FormatOf(path) : format->second;
  if (kind == ModuleFormat::kJson) {
    v8::TryCatch try_catch(scope.isolate());
    v8::Local<v8::Value> parsed;
    if (!v8::JSON::Parse(context, scope.Str(*source)).ToLocal(&parsed)) {
      std::string message =
          try_catch.HasCaught() ? scope.ToUtf8(try_catch.Exception()) : "invalid JSON";
      if (try_catch.HasTerminated()) {
        try_catch.ReThrow();
        return {};
      }
      try_catch.Reset();
      if (message.rfind("SyntaxError: ", 0) == 0) message = message.substr(13);
      scope.isolate()->ThrowException(v8::Exception::SyntaxError(scope.Str(path + ": " + message)));
      try_catch.ReThrow();
      return {};
    }
    v8::Local<v8::Object> module;
    if (!MakeModule(scope, path).ToLocal(&module) ||
        module->Set(context, scope.Str("exports"), parsed).IsNothing() ||
        module->Set(context, scope.Str("loaded"), v8::True(scope.isolate())).IsNothing() ||
        cache->Set(context, scope.Str(path), module).IsNothing()) {
      return {};
    }
    return parsed;
  }
  if (kind == ModuleFormat::kModule) {
    v8::Local<v8::Value> error = v8::Exception::Error(
        scope.Str("require() of ES Module " + path + " is not supported: use import (as Node 20)"));
    (void)error.As<v8::Object>()->Set(context, scope.Str("code"), scope.Str("ERR_REQUIRE_ESM"));
    scope.isolate()->ThrowException(error);
    return {};
  }
  auto code = program->module_code_caches.find(path);
  return RunModule(scope, path, *source,
                   code == program->module_code_caches.end() ? nullptr : &code->second);
}

v8::MaybeLocal<v8::Value> RunCommonJsMain(JsScope& scope, const std::string& path,
                                          const std::string& source) {
  const Program* program = ModulesOf(scope.context());
  const std::vector<uint8_t>* cache =
      program != nullptr && !program->code_cache.empty() && program->type == SourceType::kCommonJs
          ? &program->code_cache
          : nullptr;
  return RunModule(scope, path, source, cache);
}

void InstallRequire(JsScope& scope) {
  v8::Local<v8::Function> require;
  if (!MakeRequire(scope, "/").ToLocal(&require)) return;
  v8::Local<v8::Context> context = scope.context();
  (void)context->Global()->Set(context, scope.Str("require"), require);
}

}  // namespace jscore::engine::internal
