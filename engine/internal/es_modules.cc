#include "engine/internal/es_modules.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/internal/context_slots.h"
#include "engine/internal/context_state.h"
#include "engine/internal/require.h"

namespace jscore::engine::internal {
namespace {

v8::ScriptOrigin ModuleOrigin(JsScope& scope, const std::string& path) {
  return v8::ScriptOrigin(scope.isolate(), scope.Str(path), 0, 0, false, -1, v8::Local<v8::Value>(),
                          false, false, /*is_module=*/true);
}

void ThrowModuleError(JsScope& scope, std::string message, const char* code) {
  v8::Local<v8::Value> error = v8::Exception::Error(scope.Str(message));
  (void)error.As<v8::Object>()->Set(scope.context(), scope.Str("code"), scope.Str(code));
  scope.isolate()->ThrowException(error);
}

std::string PathOf(ContextState& state, v8::Local<v8::Module> module, v8::Isolate* isolate) {
  for (const auto& [path, global] : state.es_modules) {
    if (!global.IsEmpty() && global.Get(isolate) == module) return path;
  }
  return {};
}

// The value a synthetic module (CommonJS or JSON imported) exports, by name, kept in
// the context until its evaluation sets them.
v8::Local<v8::Object> SyntheticExports(JsScope& scope, const std::string& path) {
  v8::Local<v8::Object> tables = ContextSlots::ModuleTables(scope.context());
  v8::Local<v8::Value> values;
  if (tables->Get(scope.context(), scope.Str("esm-synthetic:" + path)).ToLocal(&values) &&
      values->IsObject()) {
    return values.As<v8::Object>();
  }
  return {};
}

v8::MaybeLocal<v8::Value> EvaluateSynthetic(v8::Local<v8::Context> context,
                                            v8::Local<v8::Module> module) {
  v8::Isolate* isolate = context->GetIsolate();
  JsScope scope(isolate, context);
  ContextState* state = ContextState::From(context);
  if (state == nullptr) return {};
  v8::Local<v8::Object> values = SyntheticExports(scope, PathOf(*state, module, isolate));
  if (values.IsEmpty()) return v8::Undefined(isolate);
  v8::Local<v8::Array> names;
  if (!values->GetOwnPropertyNames(context).ToLocal(&names)) return {};
  for (uint32_t i = 0; i < names->Length(); ++i) {
    v8::Local<v8::Value> name, value;
    if (!names->Get(context, i).ToLocal(&name) || !values->Get(context, name).ToLocal(&value) ||
        module->SetSyntheticModuleExport(isolate, name.As<v8::String>(), value).IsNothing()) {
      return {};
    }
  }
  return v8::Undefined(isolate);
}

// A CommonJS or JSON file as a module: `default` plus the exports' own string keys.
v8::MaybeLocal<v8::Module> SyntheticModule(JsScope& scope, const std::string& path) {
  v8::Local<v8::Context> context = scope.context();
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Value> exports;
  if (!RequirePath(scope, path).ToLocal(&exports)) return {};
  v8::Local<v8::Object> values = v8::Object::New(isolate, v8::Null(isolate), nullptr, nullptr, 0);
  std::vector<v8::Local<v8::String>> names = {scope.Str("default")};
  if (values->Set(context, names[0], exports).IsNothing()) return {};
  bool json = path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
  if (!json && exports->IsObject()) {
    v8::Local<v8::Array> keys;
    if (!exports.As<v8::Object>()->GetOwnPropertyNames(context).ToLocal(&keys)) return {};
    for (uint32_t i = 0; i < keys->Length(); ++i) {
      v8::Local<v8::Value> key, value;
      if (!keys->Get(context, i).ToLocal(&key) || !key->IsString() ||
          key.As<v8::String>()->StringEquals(names[0])) {
        continue;
      }
      if (!exports.As<v8::Object>()->Get(context, key).ToLocal(&value) ||
          values->Set(context, key, value).IsNothing()) {
        return {};
      }
      names.push_back(key.As<v8::String>());
    }
  }
  v8::Local<v8::Object> tables = ContextSlots::ModuleTables(context);
  if (tables->Set(context, scope.Str("esm-synthetic:" + path), values).IsNothing()) return {};
  return v8::Module::CreateSyntheticModule(isolate, scope.Str(path), names, EvaluateSynthetic);
}

// Compiles a source text module; with `cache` (made by CompilesAsModule at load), V8
// consumes it instead of parsing the whole file (a rejected cache only costs the parse).
v8::MaybeLocal<v8::Module> CompileModule(JsScope& scope, const std::string& path,
                                         const std::string& source,
                                         const std::vector<uint8_t>* cache = nullptr) {
  v8::TryCatch try_catch(scope.isolate());
  v8::ScriptOrigin origin = ModuleOrigin(scope, path);
  auto* cached =
      cache == nullptr || cache->empty()
          ? nullptr
          : new v8::ScriptCompiler::CachedData(cache->data(), static_cast<int>(cache->size()),
                                               v8::ScriptCompiler::CachedData::BufferNotOwned);
  v8::ScriptCompiler::Source compiled(scope.Str(source), origin, cached);  // owns `cached`
  v8::Local<v8::Module> module;
  if (!v8::ScriptCompiler::CompileModule(scope.isolate(), &compiled,
                                         cached != nullptr ? v8::ScriptCompiler::kConsumeCodeCache
                                                           : v8::ScriptCompiler::kNoCompileOptions)
           .ToLocal(&module)) {
    RethrowNamingModule(scope, try_catch, path);
    return {};
  }
  return module;
}

// The code cache LoadProgram made for the module at `path` (the root's is the
// program's own), or null.
const std::vector<uint8_t>* CodeCacheOf(const Program* program, const std::string& path,
                                        bool root) {
  if (program == nullptr) return nullptr;
  if (root) return program->type == SourceType::kModule ? &program->code_cache : nullptr;
  auto it = program->module_code_caches.find(path);
  return it == program->module_code_caches.end() ? nullptr : &it->second;
}

// The module at `path`, compiled (or made) once per context.
v8::MaybeLocal<v8::Module> ModuleAt(JsScope& scope, const std::string& path,
                                    const std::string* root_source = nullptr) {
  ContextState* state = ContextState::From(scope.context());
  if (state == nullptr) return {};
  auto it = state->es_modules.find(path);
  if (it != state->es_modules.end() && !it->second.IsEmpty())
    return it->second.Get(scope.isolate());
  const Program* program = state->modules.get();
  const std::string* source = root_source;
  ModuleFormat format = ModuleFormat::kModule;
  if (source == nullptr) {
    source = program == nullptr || program->files == nullptr ? nullptr : program->files->Find(path);
    if (source == nullptr) {
      ThrowModuleError(scope, "Cannot find module '" + path + "'", "ERR_MODULE_NOT_FOUND");
      return {};
    }
    auto known = program->formats.find(path);
    format = known != program->formats.end() ? known->second : program->files->FormatOf(path);
  }
  v8::Local<v8::Module> module;
  bool made =
      format == ModuleFormat::kModule || format == ModuleFormat::kUnknown
          ? CompileModule(scope, path, *source, CodeCacheOf(program, path, root_source != nullptr))
                .ToLocal(&module)
          : SyntheticModule(scope, path).ToLocal(&module);
  if (!made) return {};
  v8::Global<v8::Module>& slot = state->es_modules[path];
  slot.Reset(scope.isolate(), module);
  slot.SetWeak();
  return module;
}

v8::MaybeLocal<v8::Module> ResolveImport(v8::Local<v8::Context> context,
                                         v8::Local<v8::String> specifier,
                                         v8::Local<v8::FixedArray> /*assertions*/,
                                         v8::Local<v8::Module> referrer) {
  v8::Isolate* isolate = context->GetIsolate();
  JsScope scope(isolate, context);
  ContextState* state = ContextState::From(context);
  std::string spec = scope.Utf8(specifier);
  if (state == nullptr || state->modules == nullptr || state->modules->files == nullptr) {
    ThrowModuleError(scope, "Cannot find module '" + spec + "' (no modules were given)",
                     "ERR_MODULE_NOT_FOUND");
    return {};
  }
  std::string from = PathOf(*state, referrer, isolate);
  absl::StatusOr<std::string> path =
      state->modules->files->ResolveImport(spec, from.empty() ? "/" : from);
  if (!path.ok()) {
    ThrowModuleError(scope, std::string(path.status().message()), "ERR_MODULE_NOT_FOUND");
    return {};
  }
  return ModuleAt(scope, *path);
}

// Keeps an evaluated module's namespace in the context (so that the weak handle of
// its module stays valid and a second import() finds the same instance).
void KeepNamespace(JsScope& scope, const std::string& path, v8::Local<v8::Value> ns) {
  v8::Local<v8::Object> tables = ContextSlots::ModuleTables(scope.context());
  (void)tables->Set(scope.context(), scope.Str("esm-namespace:" + path), ns);
}

void SettleImport(const v8::FunctionCallbackInfo<v8::Value>& info, bool fulfilled) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Array> data = info.Data().As<v8::Array>();
  v8::Local<v8::Value> resolver, ns;
  if (!data->Get(context, 0).ToLocal(&resolver) || !data->Get(context, 1).ToLocal(&ns)) return;
  if (fulfilled) {
    (void)resolver.As<v8::Promise::Resolver>()->Resolve(context, ns);
  } else {
    (void)resolver.As<v8::Promise::Resolver>()->Reject(
        context, info.Length() > 0 ? info[0] : v8::Undefined(isolate).As<v8::Value>());
  }
}

v8::MaybeLocal<v8::Promise> ImportDynamically(v8::Local<v8::Context> context, v8::Local<v8::Data>,
                                              v8::Local<v8::Value> resource_name,
                                              v8::Local<v8::String> specifier,
                                              v8::Local<v8::FixedArray>) {
  v8::Isolate* isolate = context->GetIsolate();
  JsScope scope(isolate, context);
  v8::Local<v8::Promise::Resolver> resolver;
  if (!v8::Promise::Resolver::New(context).ToLocal(&resolver)) return {};
  v8::TryCatch try_catch(isolate);
  ContextState* state = ContextState::From(context);
  std::string spec = scope.Utf8(specifier);
  std::string from = resource_name->IsString()
                         ? NormalizeModulePath(scope.Utf8(resource_name.As<v8::String>()))
                         : "/";
  v8::Local<v8::Module> module;
  v8::Local<v8::Value> evaluated;
  bool ok = false;
  if (state == nullptr || state->modules == nullptr || state->modules->files == nullptr) {
    ThrowModuleError(scope, "Cannot find module '" + spec + "' (no modules were given)",
                     "ERR_MODULE_NOT_FOUND");
  } else if (absl::StatusOr<std::string> path = state->modules->files->ResolveImport(spec, from);
             !path.ok()) {
    ThrowModuleError(scope, std::string(path.status().message()), "ERR_MODULE_NOT_FOUND");
  } else if (ModuleAt(scope, *path).ToLocal(&module) &&
             (module->GetStatus() != v8::Module::kUninstantiated ||
              module->InstantiateModule(context, ResolveImport).FromMaybe(false)) &&
             module->Evaluate(context).ToLocal(&evaluated)) {
    v8::Local<v8::Value> ns = module->GetModuleNamespace();
    KeepNamespace(scope, *path, ns);
    v8::Local<v8::Array> data = v8::Array::New(isolate, 2);
    v8::Local<v8::Function> on_fulfilled, on_rejected;
    ok =
        data->Set(context, 0, resolver).IsJust() && data->Set(context, 1, ns).IsJust() &&
        v8::Function::New(
            context,
            [](const v8::FunctionCallbackInfo<v8::Value>& info) { SettleImport(info, true); }, data)
            .ToLocal(&on_fulfilled) &&
        v8::Function::New(
            context,
            [](const v8::FunctionCallbackInfo<v8::Value>& info) { SettleImport(info, false); },
            data)
            .ToLocal(&on_rejected);
    if (ok && evaluated->IsPromise()) {
      ok = !evaluated.As<v8::Promise>()->Then(context, on_fulfilled, on_rejected).IsEmpty();
    } else if (ok) {
      ok = resolver->Resolve(context, ns).IsJust();
    }
  }
  if (try_catch.HasTerminated()) {
    try_catch.ReThrow();
    return {};
  }
  if (!ok) {
    v8::Local<v8::Value> error = try_catch.HasCaught()
                                     ? try_catch.Exception()
                                     : v8::Exception::Error(scope.Str("import() failed"));
    try_catch.Reset();
    (void)resolver->Reject(context, error);
  }
  return resolver->GetPromise();
}

}  // namespace

bool CompilesAsModule(JsScope& scope, const std::string& path, const std::string& source,
                      std::vector<uint8_t>* code_cache) {
  v8::Local<v8::Module> module;
  if (!CompileModule(scope, path, source).ToLocal(&module)) return false;
  if (code_cache != nullptr) {
    std::unique_ptr<v8::ScriptCompiler::CachedData> data(
        v8::ScriptCompiler::CreateCodeCache(module->GetUnboundModuleScript()));
    if (data != nullptr) code_cache->assign(data->data, data->data + data->length);
  }
  return true;
}

v8::MaybeLocal<v8::Promise> EvaluateModuleGraph(JsScope& scope, const std::string& path,
                                                const std::string& source,
                                                v8::Local<v8::Object>* ns) {
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Module> module;
  if (!ModuleAt(scope, path, &source).ToLocal(&module)) return {};
  if (!module->InstantiateModule(context, ResolveImport).FromMaybe(false)) return {};
  v8::Local<v8::Value> result;
  if (!module->Evaluate(context).ToLocal(&result)) return {};
  v8::Local<v8::Value> namespace_object = module->GetModuleNamespace();
  KeepNamespace(scope, path, namespace_object);
  *ns = namespace_object.As<v8::Object>();
  v8::Local<v8::Promise> evaluated;
  if (result->IsPromise()) {
    evaluated = result.As<v8::Promise>();
  } else {
    v8::Local<v8::Promise::Resolver> resolver;
    if (!v8::Promise::Resolver::New(context).ToLocal(&resolver) ||
        resolver->Resolve(context, result).IsNothing()) {
      return {};
    }
    evaluated = resolver->GetPromise();
  }
  v8::Local<v8::Function> to_namespace;
  if (!v8::Function::New(
           context,
           [](const v8::FunctionCallbackInfo<v8::Value>& info) {
             info.GetReturnValue().Set(info.Data());
           },
           namespace_object)
           .ToLocal(&to_namespace)) {
    return {};
  }
  return evaluated->Then(context, to_namespace);
}

void InstallDynamicImport(v8::Isolate* isolate) {
  isolate->SetHostImportModuleDynamicallyCallback(ImportDynamically);
}

}  // namespace jscore::engine::internal
