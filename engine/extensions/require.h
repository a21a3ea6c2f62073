// require(name): CommonJS modules given with a program, and nothing else.
#ifndef JSCORE_ENGINE_EXTENSIONS_REQUIRE_H_
#define JSCORE_ENGINE_EXTENSIONS_REQUIRE_H_

#include <map>
#include <string>

#include "engine/internal/js_scope.h"

namespace jscore::engine::extensions {

// Installs a global `require` that resolves only `modules` (name -> CommonJS source),
// each evaluated once per context as `(exports, require, module, __filename,
// __dirname)`. No file system, no network: an unknown name throws.
void InstallRequire(internal::JsScope& scope, const std::map<std::string, std::string>& modules);

}  // namespace jscore::engine::extensions

#endif  // JSCORE_ENGINE_EXTENSIONS_REQUIRE_H_
