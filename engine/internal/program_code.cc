#include "engine/internal/program_code.h"

#include <memory>
#include <utility>
#include <vector>

#include "engine/internal/context_slots.h"
#include "engine/internal/es_modules.h"
#include "engine/internal/require.h"

namespace jscore::engine::internal {
namespace {

std::vector<uint8_t> FunctionCache(v8::Local<v8::Function> function) {
  std::unique_ptr<v8::ScriptCompiler::CachedData> data(
      v8::ScriptCompiler::CreateCodeCacheForFunction(function));
  if (data == nullptr) return {};
  return std::vector<uint8_t>(data->data, data->data + data->length);
}

bool CompileScript(JsScope& scope, Program* program, bool make_caches) {
  v8::ScriptOrigin origin(scope.isolate(), scope.Str(program->filename));
  v8::ScriptCompiler::Source source(scope.Str(program->source), origin);
  v8::Local<v8::UnboundScript> unbound;
  if (!v8::ScriptCompiler::CompileUnboundScript(scope.isolate(), &source).ToLocal(&unbound)) {
    return false;
  }
  if (make_caches) {
    std::unique_ptr<v8::ScriptCompiler::CachedData> data(
        v8::ScriptCompiler::CreateCodeCache(unbound));
    if (data != nullptr) program->code_cache.assign(data->data, data->data + data->length);
  }
  return true;
}

}  // namespace

std::string MainPath(const Program& program) {
  bool unnamed = program.filename.empty() || program.filename[0] == '<';
  if (!unnamed) return NormalizeModulePath(program.filename);
  return program.type == SourceType::kModule ? "/main.mjs" : "/main.js";
}

bool CompileProgram(JsScope& scope, Program* program, bool make_caches) {
  program->files = std::make_shared<const ModuleFiles>(std::move(program->modules));
  program->modules.clear();
  switch (program->type) {
    case SourceType::kScript:
      if (!CompileScript(scope, program, make_caches)) return false;
      break;
    case SourceType::kCommonJs: {
      v8::Local<v8::Function> wrapper;
      if (!CompileCommonJs(scope, MainPath(*program), program->source, nullptr).ToLocal(&wrapper)) {
        return false;
      }
      if (make_caches) program->code_cache = FunctionCache(wrapper);
      break;
    }
    case SourceType::kModule:
      if (!CompilesAsModule(scope, MainPath(*program), program->source,
                            make_caches ? &program->code_cache : nullptr)) {
        return false;
      }
      break;
  }
  for (const auto& [path, source] : program->files->files()) {
    ModuleFormat format = program->files->FormatOf(path);
    if (format == ModuleFormat::kJson) {
      v8::TryCatch try_catch(scope.isolate());
      v8::Local<v8::Value> ignored;
      if (!v8::JSON::Parse(scope.context(), scope.Str(source)).ToLocal(&ignored)) {
        if (try_catch.HasTerminated()) {
          try_catch.ReThrow();
          return false;
        }
        // A package.json that is not JSON is only a problem if something loads it.
        if (path.size() >= 13 && path.compare(path.size() - 13, 13, "/package.json") == 0) continue;
        std::string message = scope.ToUtf8(try_catch.Exception());
        try_catch.Reset();
        scope.isolate()->ThrowException(
            v8::Exception::SyntaxError(scope.Str(path + ": " + message)));
        try_catch.ReThrow();
        return false;
      }
    } else if (format == ModuleFormat::kModule) {
      if (!CompilesAsModule(scope, path, source,
                            make_caches ? &program->module_code_caches[path] : nullptr)) {
        return false;
      }
    } else {
      v8::Local<v8::Function> wrapper;
      bool compiled;
      {
        v8::TryCatch try_catch(scope.isolate());
        compiled = CompileCommonJs(scope, path, source, nullptr).ToLocal(&wrapper);
        if (!compiled && format == ModuleFormat::kUnknown && !try_catch.HasTerminated()) {
          try_catch.Reset();
          if (CompilesAsModule(scope, path, source,
                               make_caches ? &program->module_code_caches[path] : nullptr)) {
            format = ModuleFormat::kModule;
          }
        }
        if (!compiled && format != ModuleFormat::kModule) {
          try_catch.ReThrow();
          return false;
        }
      }
      if (compiled) {
        format = ModuleFormat::kCommonJs;
        if (make_caches) program->module_code_caches[path] = FunctionCache(wrapper);
      }
    }
    program->formats[path] = format;
  }
  return true;
}

v8::MaybeLocal<v8::Value> RunProgram(JsScope& scope, const Program& program) {
  v8::Local<v8::Context> context = scope.context();
  switch (program.type) {
    case SourceType::kScript: {
      v8::ScriptOrigin origin(scope.isolate(), scope.Str(program.filename));
      auto* cached =
          program.code_cache.empty()
              ? nullptr
              : new v8::ScriptCompiler::CachedData(program.code_cache.data(),
                                                   static_cast<int>(program.code_cache.size()),
                                                   v8::ScriptCompiler::CachedData::BufferNotOwned);
      v8::ScriptCompiler::Source source(scope.Str(program.source), origin,
                                        cached);  // owns `cached`
      v8::Local<v8::Script> script;
      if (!v8::ScriptCompiler::Compile(context, &source,
                                       cached != nullptr ? v8::ScriptCompiler::kConsumeCodeCache
                                                         : v8::ScriptCompiler::kNoCompileOptions)
               .ToLocal(&script)) {
        return {};
      }
      return script->Run(context);
    }
    case SourceType::kCommonJs: {
      v8::Local<v8::Value> exports;
      if (!RunCommonJsMain(scope, MainPath(program), program.source).ToLocal(&exports)) {
        return {};
      }
      if (exports->IsObject()) ContextSlots::SetCallRoot(context, exports.As<v8::Object>());
      return exports;
    }
    case SourceType::kModule: {
      v8::Local<v8::Object> ns;
      v8::Local<v8::Promise> evaluated;
      if (!EvaluateModuleGraph(scope, MainPath(program), program.source, &ns).ToLocal(&evaluated)) {
        return {};
      }
      ContextSlots::SetCallRoot(context, ns);
      return evaluated;
    }
  }
  return {};
}

}  // namespace jscore::engine::internal
