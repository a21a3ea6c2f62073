// ModuleFiles: Node's resolution of require() and import over a modules map.
#include "engine/internal/module_files.h"

#include "gtest/gtest.h"

namespace jscore::engine {
namespace {

std::string Resolved(const absl::StatusOr<std::string>& path) {
  return path.ok() ? *path : "error: " + std::string(path.status().message());
}

TEST(ModuleFilesTest, NormalizesPaths) {
  EXPECT_EQ(NormalizeModulePath("a//b/./x/../c.js"), "/a/b/c.js");
  EXPECT_EQ(NormalizeModulePath("../../etc/passwd"), "/etc/passwd");  // never above the root
  EXPECT_EQ(NormalizeModulePath(""), "/");
  EXPECT_EQ(ModuleDirname("/a/b/c.js"), "/a/b");
  EXPECT_EQ(ModuleDirname("/c.js"), "/");
  ModuleFiles files({{"./lib/a.js", "A"}, {"/lib/b.js", "B"}});
  ASSERT_NE(files.Find("/lib/a.js"), nullptr);
  EXPECT_EQ(*files.Find("/lib/a.js"), "A");
}

TEST(ModuleFilesTest, RequireTriesNodesOrder) {
  ModuleFiles files({{"x", "exact"},
                     {"x.js", "js"},
                     {"x.json", "{}"},
                     {"y.json", "{}"},
                     {"dir/index.js", ""},
                     {"pkg/package.json", R"({"main": "lib/main"})"},
                     {"pkg/lib/main.js", ""},
                     {"pkg/index.js", ""},
                     {"nomain/package.json", R"({"name": "n"})"},
                     {"nomain/index.json", "{}"}});
  EXPECT_EQ(Resolved(files.ResolveRequire("./x", "/")), "/x");
  EXPECT_EQ(Resolved(files.ResolveRequire("./y", "/")), "/y.json");
  EXPECT_EQ(Resolved(files.ResolveRequire("./dir", "/")), "/dir/index.js");
  EXPECT_EQ(Resolved(files.ResolveRequire("../pkg", "/dir")), "/pkg/lib/main.js");
  EXPECT_EQ(Resolved(files.ResolveRequire("./nomain", "/")), "/nomain/index.json");
  EXPECT_EQ(Resolved(files.ResolveRequire("./dir/", "/")), "/dir/index.js");
  EXPECT_FALSE(files.ResolveRequire("./missing", "/").ok());
  EXPECT_FALSE(files.ResolveRequire("node:fs", "/").ok());
}

TEST(ModuleFilesTest, BareNamesWalkUpNodeModulesAndHonourExports) {
  ModuleFiles files({
      {"node_modules/a/index.js", "root a"},
      {"app/node_modules/a/index.js", "app a"},
      {"node_modules/@s/p/package.json",
       R"({"exports": {".": {"browser": {"import": "./b.mjs", "require": "./b.cjs"}, "default": "./d.js"},
                       "./feature/*": "./features/*.js", "./package.json": "./package.json"}})"},
      {"node_modules/@s/p/b.mjs", ""},
      {"node_modules/@s/p/b.cjs", ""},
      {"node_modules/@s/p/features/x.js", ""},
      {"node_modules/@s/p/hidden.js", ""},
      {"flat.js", ""},
  });
  EXPECT_EQ(Resolved(files.ResolveRequire("a", "/app/src")), "/app/node_modules/a/index.js");
  EXPECT_EQ(Resolved(files.ResolveRequire("a", "/lib")), "/node_modules/a/index.js");
  EXPECT_EQ(Resolved(files.ResolveRequire("@s/p", "/")), "/node_modules/@s/p/b.cjs");
  EXPECT_EQ(Resolved(files.ResolveImport("@s/p", "/main.mjs")), "/node_modules/@s/p/b.mjs");
  EXPECT_EQ(Resolved(files.ResolveImport("@s/p/feature/x", "/main.mjs")),
            "/node_modules/@s/p/features/x.js");
  EXPECT_FALSE(files.ResolveRequire("@s/p/hidden.js", "/").ok());  // not exported
  EXPECT_EQ(Resolved(files.ResolveRequire("flat", "/deep/dir")),
            "/flat.js");  // jscore's flat names
}

TEST(ModuleFilesTest, FormatsFollowExtensionsAndPackageType) {
  ModuleFiles files({{"a.mjs", ""},
                     {"a.cjs", ""},
                     {"a.json", ""},
                     {"plain.js", ""},
                     {"esm/package.json", R"({"type": "module"})"},
                     {"esm/x.js", ""},
                     {"cjs/package.json", R"({"type": "commonjs"})"},
                     {"cjs/x.js", ""},
                     {"untyped/package.json", R"({"name": "u"})"},
                     {"untyped/x.js", ""}});
  EXPECT_EQ(files.FormatOf("/a.mjs"), ModuleFormat::kModule);
  EXPECT_EQ(files.FormatOf("/a.cjs"), ModuleFormat::kCommonJs);
  EXPECT_EQ(files.FormatOf("/a.json"), ModuleFormat::kJson);
  EXPECT_EQ(files.FormatOf("/plain.js"), ModuleFormat::kUnknown);
  EXPECT_EQ(files.FormatOf("/esm/x.js"), ModuleFormat::kModule);
  EXPECT_EQ(files.FormatOf("/cjs/x.js"), ModuleFormat::kCommonJs);
  EXPECT_EQ(files.FormatOf("/untyped/x.js"), ModuleFormat::kUnknown);
}

}  // namespace
}  // namespace jscore::engine
