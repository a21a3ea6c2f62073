// ProgramCode: compiling a program's source and modules once (LoadProgram, or an
// Evaluate that brings modules) and running its top level in a context.
#ifndef JSCORE_ENGINE_INTERNAL_PROGRAM_CODE_H_
#define JSCORE_ENGINE_INTERNAL_PROGRAM_CODE_H_

#include <string>

#include "engine/internal/js_scope.h"
#include "engine/internal/program_cache.h"
#include "v8.h"

namespace jscore::engine::internal {

// Fills `program->files` from its modules and compiles, in the scope's context: the
// source as `program->type` says, every module file in its format (a file whose
// format is ModuleFormat::kUnknown compiles as CommonJS, or else as an ES module, and
// `formats` keeps what it is), `.json` files parsed. With `make_caches`, V8's code
// caches of the source and of every CommonJS wrapper and ES module are kept in the
// program (`code_cache`, `module_code_caches`).
// False with the exception pending in the caller's TryCatch. Worker thread.
bool CompileProgram(JsScope& scope, Program* program, bool make_caches);

// The path of the program's own source in its module tree ("/main.mjs" for an
// unnamed module, "/main.js" for unnamed CommonJS).
std::string MainPath(const Program& program);

// Runs the program's top level in the scope's context (the caller has set
// ContextState::modules to it and installed require() when it has modules). A script
// answers its completion value; CommonJS its module.exports, which becomes Call's root;
// a module its evaluation promise, its namespace becoming Call's root
// (ContextSlots::CallRoot). Empty with the exception pending on failure.
v8::MaybeLocal<v8::Value> RunProgram(JsScope& scope, const Program& program);

}  // namespace jscore::engine::internal

#endif  // JSCORE_ENGINE_INTERNAL_PROGRAM_CODE_H_
