// require(): CommonJS modules as Node resolves them, within the modules given with a
// program (or an Evaluate) and nothing else.
#ifndef JSCORE_ENGINE_INTERNAL_REQUIRE_H_
#define JSCORE_ENGINE_INTERNAL_REQUIRE_H_

#include <string>

#include "engine/internal/js_scope.h"
#include "v8.h"

namespace jscore::engine::internal {

// The context's modules are ContextState::modules (a Program: files, formats, code
// caches). Paths are absolute in the map's tree ("/node_modules/ajv/dist/ajv.js").
//
// Installs a global `require` that resolves from "/" (engine/internal/module_files.h). Each
// module runs once per context as Node runs it: `(exports, require, module,
// __filename, __dirname)` with `this === module.exports`, `module.id`,
// `module.filename`, `module.loaded`, `require.resolve`, `require.cache` (by path;
// deleting an entry loads the module again). `.json` files are parsed. A compile or
// JSON error is a SyntaxError whose message names the module, line and column; a
// module that throws leaves no cache entry. No file system, no network: an unknown
// name throws an Error with `code: 'MODULE_NOT_FOUND'`. Worker thread only.
void InstallRequire(JsScope& scope);

// The exports of the module at a resolved `path` (loading it if needed), for ES
// modules that import CommonJS or JSON. Empty with an exception pending on failure.
v8::MaybeLocal<v8::Value> RequirePath(JsScope& scope, const std::string& path);

// Runs `source` as the CommonJS module at `path` (a COMMONJS program's or Evaluate's
// main) and answers its final module.exports.
v8::MaybeLocal<v8::Value> RunCommonJsMain(JsScope& scope, const std::string& path,
                                          const std::string& source);

// Compiles `source` as a CommonJS module's wrapper function (with `cache`, V8's code
// cache of it, when given), naming it `path` for stack traces and errors.
v8::MaybeLocal<v8::Function> CompileCommonJs(JsScope& scope, const std::string& path,
                                             const std::string& source,
                                             const std::vector<uint8_t>* cache);

// Throws a SyntaxError (or the exception's own kind) whose message ends with
// "(path:line:column)" for a compile error caught by `try_catch`.
void RethrowNamingModule(JsScope& scope, v8::TryCatch& try_catch, const std::string& path);

}  // namespace jscore::engine::internal

#endif  // JSCORE_ENGINE_INTERNAL_REQUIRE_H_
