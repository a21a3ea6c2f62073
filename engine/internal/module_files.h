// ModuleFiles: a program's `modules` map seen as a read-only file tree rooted at "/",
// and Node's resolution of require() and import specifiers over it. No V8, no file
// system: nothing outside the map is ever read.
#ifndef JSCORE_ENGINE_INTERNAL_MODULE_FILES_H_
#define JSCORE_ENGINE_INTERNAL_MODULE_FILES_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/struct.pb.h"

namespace jscore::engine {

// What a file is run as.
enum class ModuleFormat {
  kCommonJs,  // .cjs, or .js whose nearest package.json says "type": "commonjs"
  kModule,    // .mjs, or .js whose nearest package.json says "type": "module"
  kJson,      // .json
  kUnknown,   // .js (or another name) with no "type" above it: the loader tries
              // CommonJS first and ES module syntax next, as Node 22 detects it
};

// Immutable after construction; any thread may read it.
class ModuleFiles {
 public:
  // Keys are paths ("lib/a.js", "/lib/a.js" and "./lib/a.js" name the same file);
  // later duplicates of a normalized path are ignored.
  // Each package.json is parsed once, here.
  explicit ModuleFiles(std::map<std::string, std::string> modules);

  // The source of the file at a normalized path, or null.
  const std::string* Find(const std::string& path) const;
  bool empty() const { return files_.empty(); }
  const std::map<std::string, std::string>& files() const { return files_; }

  // Node's require(request) from a module in `from_dir` (CommonJS conditions in
  // package.json "exports": require, browser, default). A bare name is looked up in
  // the node_modules folders from `from_dir` up, then (jscore's addition, so that a
  // flat map of names works) from "/". NotFound with Node's message otherwise.
  absl::StatusOr<std::string> ResolveRequire(absl::string_view request,
                                             absl::string_view from_dir) const;
  // An import specifier from the module at `referrer` ("import" conditions: import,
  // browser, module, default). Node needs the exact file for a relative specifier;
  // jscore also tries the extensions and index files require() would.
  absl::StatusOr<std::string> ResolveImport(absl::string_view specifier,
                                            absl::string_view referrer) const;
  ModuleFormat FormatOf(const std::string& path) const;

 private:
  bool IsFile(const std::string& path) const { return files_.count(path) > 0; }
  std::string LoadAsFile(const std::string& path) const;
  std::string LoadIndex(const std::string& path) const;
  std::string LoadAsDirectory(const std::string& path) const;
  // In node_modules folders from `from_dir` up, honouring "exports".
  absl::StatusOr<std::string> ResolvePackage(absl::string_view request, absl::string_view from_dir,
                                             bool import) const;

  // The parsed package.json at `path`, or null (absent or not JSON).
  const google::protobuf::Struct* Package(const std::string& path) const;

  std::map<std::string, std::string> files_;                  // normalized path -> source
  std::map<std::string, google::protobuf::Struct> packages_;  // path -> parsed package.json
};

// "/a/b/c.js" from "a//b/./x/../c.js": absolute, no "." or ".." or empty segments.
std::string NormalizeModulePath(absl::string_view path);
// "/a/b" for "/a/b/c.js"; "/" for "/c.js".
std::string ModuleDirname(absl::string_view path);

}  // namespace jscore::engine

#endif  // JSCORE_ENGINE_INTERNAL_MODULE_FILES_H_
