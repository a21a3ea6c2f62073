// ES modules: a module graph over a context's modules (ContextState::modules), with
// V8's module API, and import() from any script or module of the context.
#ifndef JSCORE_ENGINE_INTERNAL_ES_MODULES_H_
#define JSCORE_ENGINE_INTERNAL_ES_MODULES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "engine/internal/js_scope.h"
#include "v8.h"

namespace jscore::engine::internal {

// Compiles `source` as the ES module at `path` (the graph's root), links it (imports
// resolve with ModuleFiles::ResolveImport; a CommonJS file is imported as Node does:
// `default` is its module.exports, its own keys are also named exports; a `.json`
// file's `default` is its parsed value) and evaluates it. Answers a promise of the
// root's namespace, settled when the evaluation is (top-level await), and sets `*ns`
// to that namespace. Compile and link
// errors throw (a SyntaxError's message names the module, line and column).
// Worker thread, inside the job's section.
v8::MaybeLocal<v8::Promise> EvaluateModuleGraph(JsScope& scope, const std::string& path,
                                                const std::string& source,
                                                v8::Local<v8::Object>* ns);

// Compiles `source` as a module and keeps nothing: a syntax check for LoadProgram.
// With `code_cache`, V8's code cache of the compiled module is written there (a
// context's graph then compiles that module from it; see ProgramCache's Program).
// False with the exception pending in the caller's TryCatch.
bool CompilesAsModule(JsScope& scope, const std::string& path, const std::string& source,
                      std::vector<uint8_t>* code_cache = nullptr);

// Sets the isolate's import() hook (once per isolate, when it is made).
void InstallDynamicImport(v8::Isolate* isolate);

}  // namespace jscore::engine::internal

#endif  // JSCORE_ENGINE_INTERNAL_ES_MODULES_H_
