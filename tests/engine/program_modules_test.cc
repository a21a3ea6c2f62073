// Programs as modern JavaScript is written: Call's name resolution (top-level
// const/let/class, never builtins), CommonJS as Node resolves it within the supplied
// modules, ES module graphs, and programs with the browser profile.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/internal/program_cache.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/engine_test_support.h"

namespace jscore::testing {
namespace {

using engine::JobSpec;
using engine::Outcome;
using engine::SourceType;
using ::testing::HasSubstr;

class ProgramModulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pool = engine::Pool::Create(TestPlatform(), SmallPool(2));
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = std::move(*pool);
  }

  Outcome Submit(JobSpec spec) {
    PendingJob p = MakeJob(std::move(spec));
    absl::Status status = pool_->Submit(p.job);
    if (!status.ok()) return Outcome::Failed(status);
    return p.Wait();
  }
  Outcome LoadOutcome(const std::string& source, std::map<std::string, std::string> modules = {},
                      SourceType type = SourceType::kScript,
                      std::optional<engine::BrowserProfile> browser = std::nullopt) {
    engine::LoadProgramSpec spec;
    spec.source = source;
    spec.filename = type == SourceType::kScript ? "main.js" : "main.mjs";
    spec.modules = std::move(modules);
    spec.source_type = type;
    spec.browser = std::move(browser);
    return Submit(std::move(spec));
  }
  std::string Load(const std::string& source, std::map<std::string, std::string> modules = {},
                   SourceType type = SourceType::kScript,
                   std::optional<engine::BrowserProfile> browser = std::nullopt) {
    Outcome o = LoadOutcome(source, std::move(modules), type, std::move(browser));
    EXPECT_EQ(o.kind, Outcome::Kind::kValue) << Json(o);
    return o.id;
  }
  Outcome Call(const std::string& program, const std::string& function,
               std::vector<std::string> json_args = {}, bool fresh = false) {
    engine::CallSpec spec;
    spec.program = program;
    spec.function = function;
    spec.fresh = fresh;
    for (const auto& a : json_args) {
      google::protobuf::Value v;
      EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(a, &v).ok()) << a;
      spec.args.push_back(v);
    }
    return Submit(std::move(spec));
  }
  // Calls on both workers' contexts (two calls may land on either worker).
  std::string CallTwice(const std::string& program, const std::string& function,
                        std::vector<std::string> json_args = {}) {
    std::string first = Json(Call(program, function, json_args));
    EXPECT_EQ(Json(Call(program, function, json_args)), first);
    return first;
  }

  std::unique_ptr<engine::Pool> pool_;
};

TEST_F(ProgramModulesTest, CallReachesTopLevelConstLetClassAndDottedPathsIntoThem) {
  std::string id = Load(R"(
    const sign = (a) => 'c:' + a;
    let counter = { next(x) { return x + 1 } };
    class Signer { static sign(x) { return 'S' + x } tag(x) { return this.p + x } }
    const CryptoLib = { p: 'P', encrypt(x) { return this.p + x }, nested: { deep: { f: () => 'deep' } } };
    const inst = new (class { constructor() { this.p = 'i' } tag(x) { return this.p + x } })();
    var legacy = function (x) { return 'v' + x };
    function declared(x) { return 'f' + x }
  )");
  EXPECT_EQ(CallTwice(id, "sign", {"1"}), "\"c:1\"");
  EXPECT_EQ(CallTwice(id, "counter.next", {"41"}), "42");
  EXPECT_EQ(CallTwice(id, "Signer.sign", {"\"x\""}), "\"Sx\"");
  EXPECT_EQ(CallTwice(id, "CryptoLib.encrypt", {"\"x\""}), "\"Px\"");  // this = CryptoLib
  EXPECT_EQ(CallTwice(id, "CryptoLib.nested.deep.f"), "\"deep\"");
  EXPECT_EQ(CallTwice(id, "inst.tag", {"\"x\""}), "\"ix\"");  // a prototype method
  EXPECT_EQ(CallTwice(id, "legacy", {"1"}), "\"v1\"");
  EXPECT_EQ(CallTwice(id, "declared", {"1"}), "\"f1\"");
  EXPECT_EQ(CallTwice(id, "globalThis.declared", {"2"}), "\"f2\"");
  Outcome missing = Call(id, "CryptoLib.decrypt");
  ASSERT_EQ(missing.kind, Outcome::Kind::kJsError);
  EXPECT_THAT(missing.error.message, HasSubstr("'CryptoLib.decrypt' is not a function"));
  Outcome undeclared = Call(id, "nothing.here");
  ASSERT_EQ(undeclared.kind, Outcome::Kind::kJsError);
  EXPECT_THAT(undeclared.error.message, HasSubstr("'nothing' is undefined"));
  // Not identifiers: looked up as global properties only, never spliced into source.
  EXPECT_EQ(Call(id, "a)(b").kind, Outcome::Kind::kJsError);
  EXPECT_EQ(Call(id, "this").kind, Outcome::Kind::kJsError);
}

TEST_F(ProgramModulesTest, LexicalBindingsShadowGlobalsAndLetChangesAreSeen) {
  std::string id = Load(R"(
    const setTimeout = () => 'mine';   // shadows the environment's global
    let impl = (x) => 'one' + x;
    function swap() { impl = (x) => 'two' + x; return 'swapped' }
    const call = (x) => impl(x);
  )");
  EXPECT_EQ(Json(Call(id, "setTimeout")), "\"mine\"");
  Outcome first = Call(id, "impl", {"1"}, /*fresh=*/true);
  EXPECT_EQ(Json(first), "\"one1\"");
  engine::CreateSessionSpec spec;  // one session: swap, then impl is the new function
  spec.program = id;
  Outcome session = Submit(spec);
  ASSERT_EQ(session.kind, Outcome::Kind::kValue) << Json(session);
  auto session_call = [&](const char* fn) {
    engine::CallSpec call;
    call.session = session.id;
    call.function = fn;
    google::protobuf::Value arg;
    arg.set_number_value(3);
    call.args.push_back(arg);
    return Json(Submit(call));
  };
  EXPECT_EQ(session_call("impl"), "\"one3\"");
  EXPECT_EQ(session_call("swap"), "\"swapped\"");
  EXPECT_EQ(session_call("impl"), "\"two3\"");  // the binding, not a stale copy
  EXPECT_EQ(session_call("call"), "\"two3\"");
}

TEST_F(ProgramModulesTest, SessionCallSeesBindingsDeclaredByLaterEvaluations) {
  engine::CreateSessionSpec create;
  create.source = "function probe() { return 'p' }";
  Outcome session = Submit(create);
  ASSERT_EQ(session.kind, Outcome::Kind::kValue) << Json(session);
  auto call = [&](const char* fn) {
    engine::CallSpec spec;
    spec.session = session.id;
    spec.function = fn;
    return Submit(spec);
  };
  auto evaluate = [&](const char* source) {
    engine::EvaluateSpec spec;
    spec.session = session.id;
    spec.source = source;
    return Submit(spec);
  };
  EXPECT_EQ(call("later").kind, Outcome::Kind::kJsError);  // its getter is cached now
  ASSERT_EQ(evaluate("const later = () => 'declared later'").kind, Outcome::Kind::kValue);
  EXPECT_EQ(Json(call("later")), "\"declared later\"");
  ASSERT_EQ(evaluate("class K { static m() { return 'k' } }").kind, Outcome::Kind::kValue);
  EXPECT_EQ(Json(call("K.m")), "\"k\"");
}

TEST_F(ProgramModulesTest, CallNeverReachesBuiltins) {
  std::string id = Load(R"(
    var sign = (x) => 'real:' + x;
    const Lib = { encrypt(x) { return 'e' + x }, bound: function (x) { return this.k + x }.bind({ k: 'b' }) };
    const nativeBound = Math.max.bind(Math);
  )");
  for (const char* path :
       {"eval", "Function", "globalThis.eval", "sign.constructor", "Object.prototype.toString",
        "Lib.encrypt.call", "Lib.constructor", "JSON.parse", "setTimeout", "nativeBound",
        "Math.max", "Lib.encrypt.constructor", "globalThis.Function"}) {
    Outcome o = Call(id, path, {"\"sign = x => 'forged:' + x\""});
    ASSERT_EQ(o.kind, Outcome::Kind::kJsError) << path << ": " << Json(o);
    EXPECT_EQ(o.error.name, "TypeError") << path;
    EXPECT_THAT(o.error.message, HasSubstr("is not a function of the program")) << path;
  }
  // The forged eval did not run: every worker's sign is the program's.
  for (int i = 0; i < 4; ++i) EXPECT_EQ(Json(Call(id, "sign", {"\"x\""})), "\"real:x\"");
  EXPECT_EQ(Json(Call(id, "Lib.bound", {"1"})), "\"b1\"");  // bound JS functions are fine
}

// A small package tree shaped like ajv's dist/: relative requires without
// extensions, a folder with index.js, a package.json main, .json data, a bare name
// resolved in node_modules from a nested folder.
std::map<std::string, std::string> CommonJsTree() {
  return {
      {"node_modules/signer/package.json", R"({"name": "signer", "main": "./dist/lib.js"})"},
      {"node_modules/signer/dist/lib.js", R"(
        const core = require('./core');              // ./core.js
        const util = require('./util');              // ./util/index.js
        const data = require('../data/table.json');  // parsed JSON
        exports.self = this === module.exports;
        exports.sign = (x) => core.prefix + util.hex(x) + data.suffix;
        exports.info = () => ({ id: module.id, filename: __filename, dirname: __dirname,
                                core: require.resolve('./core'), loaded: module.loaded,
                                cached: Object.keys(require.cache).sort() });
      )"},
      {"node_modules/signer/dist/core.js", "module.exports = { prefix: 'S:' };"},
      {"node_modules/signer/dist/util/index.js", "exports.hex = (n) => require('hexer').toHex(n);"},
      {"node_modules/signer/dist/node_modules/hexer/index.js",
       "exports.toHex = (n) => n.toString(16);"},
      {"node_modules/signer/data/table.json", R"({"suffix": ":end"})"},
      {"lib/flat.js", "module.exports = function flat() { return 'flat' };"},
  };
}

TEST_F(ProgramModulesTest, CommonJsResolvesAsNodeDoes) {
  std::string id = Load(R"(
    const signer = require('signer');
    const flat = require('lib/flat');   // a bare name that is a root path (jscore's flat maps)
    function sign(x) { return signer.sign(x) }
    function info() {  // signs first: hexer is required lazily, by the context's first sign()
      signer.sign(1);
      return Object.assign(signer.info(), { self: signer.self, flat: flat() });
    }
  )",
                        CommonJsTree());
  EXPECT_EQ(CallTwice(id, "sign", {"255"}), "\"S:ff:end\"");
  EXPECT_EQ(CallTwice(id, "info"),
            R"({"cached":["/lib/flat.js","/node_modules/signer/data/table.json",)"
            R"("/node_modules/signer/dist/core.js","/node_modules/signer/dist/lib.js",)"
            R"("/node_modules/signer/dist/node_modules/hexer/index.js",)"
            R"("/node_modules/signer/dist/util/index.js"],)"
            R"("core":"/node_modules/signer/dist/core.js","dirname":"/node_modules/signer/dist",)"
            R"("filename":"/node_modules/signer/dist/lib.js","flat":"flat",)"
            R"("id":"/node_modules/signer/dist/lib.js","loaded":true,"self":true})");
}

TEST_F(ProgramModulesTest, CommonJsCacheCyclesAndMissingModules) {
  std::string id =
      Load(R"(
    function cycle() { return require('./a').seen }
    function reload() {
      const first = require('./counter').n;
      delete require.cache[require.resolve('./counter')];
      return [first, require('./counter').n];
    }
    function missing() {
      try { require('./nope') } catch (e) { return [e.code, e.message.includes("'./nope'")] }
    }
    function builtin() { try { require('fs') } catch (e) { return e.code } }
  )",
           {{"a.js", "exports.partial = true; exports.seen = require('./b').sawPartial;"},
            {"b.js", "exports.sawPartial = require('./a').partial === true;"},
            {"counter.js",
             "globalThis.loads = (globalThis.loads || 0) + 1; exports.n = globalThis.loads;"}});
  EXPECT_EQ(Json(Call(id, "cycle", {}, /*fresh=*/true)), "true");
  EXPECT_EQ(Json(Call(id, "reload", {}, /*fresh=*/true)), "[1,2]");
  EXPECT_EQ(Json(Call(id, "missing", {}, /*fresh=*/true)), R"(["MODULE_NOT_FOUND",true])");
  EXPECT_EQ(Json(Call(id, "builtin", {}, /*fresh=*/true)), "\"MODULE_NOT_FOUND\"");
}

TEST_F(ProgramModulesTest, ModuleErrorsNameTheModuleLineAndColumn) {
  Outcome syntax = LoadOutcome("require('./bad')", {{"bad.js", "const a = 1;\nconst b = ;\n"}});
  ASSERT_EQ(syntax.kind, Outcome::Kind::kJsError) << Json(syntax);
  EXPECT_EQ(syntax.error.name, "SyntaxError");
  EXPECT_THAT(syntax.error.message, HasSubstr("/bad.js:2:11"));
  Outcome json = LoadOutcome("1", {{"data.json", "{\"a\": }"}});
  ASSERT_EQ(json.kind, Outcome::Kind::kJsError) << Json(json);
  EXPECT_THAT(json.error.message, HasSubstr("/data.json: "));
  std::string id = Load("const lib = require('./thrower'); function f() { return 1 }",
                        {{"thrower.js", "exports.x = 1;\n  throw new RangeError('boom');\n"}});
  Outcome runtime = Call(id, "f");
  ASSERT_EQ(runtime.kind, Outcome::Kind::kJsError) << Json(runtime);
  EXPECT_EQ(runtime.error.name, "RangeError");
  EXPECT_THAT(runtime.error.message, HasSubstr("(in /thrower.js:2:3)"));
  EXPECT_EQ(runtime.error.line, 2);
}

TEST_F(ProgramModulesTest, CommonJsProgramCallsModuleExports) {
  std::string id = Load(R"(
    const helper = require('./helper.json');
    module.exports = { sign: (x) => helper.p + x, Lib: { encrypt(x) { return this.k + x }, k: 'K' } };
  )",
                        {{"helper.json", R"({"p": "H"})"}}, SourceType::kCommonJs);
  EXPECT_EQ(CallTwice(id, "sign", {"1"}), "\"H1\"");
  EXPECT_EQ(CallTwice(id, "Lib.encrypt", {"2"}), "\"K2\"");
}

// An ES module graph with a CommonJS dependency, JSON, import() and top-level await.
std::map<std::string, std::string> EsmTree() {
  return {
      {"lib/math.mjs",
       "export const double = (x) => x * 2; export default function inc(x) { return x + 1 }"},
      {"lib/cjs.js", "module.exports = { greet: (n) => 'hi ' + n }; module.exports.version = 3;"},
      {"lib/data.json", R"({"salt": "s4lt"})"},
      {"lib/late.mjs", "export const late = 'loaded later';"},
      {"node_modules/pkg/package.json",
       R"({"name": "pkg", "type": "module", "exports": {".": {"import": "./esm/index.js", "require": "./cjs/index.js"}}})"},
      {"node_modules/pkg/esm/index.js", "export const which = 'esm';"},
      {"node_modules/pkg/cjs/index.js", "exports.which = 'cjs';"},
  };
}

constexpr char kEsmMain[] = R"(
  import inc, { double } from './lib/math.mjs';
  import cjs, { greet } from './lib/cjs.js';
  import data from './lib/data.json' assert { type: 'json' };
  import { which } from 'pkg';
  const { late } = await import('./lib/late.mjs');
  export function sign(x) { return [inc(x), double(x), greet('a'), cjs.version, data.salt, which, late] }
  export default (x) => 'default:' + x;
  export const Lib = { k: 'K', encrypt(x) { return this.k + x } };
)";

TEST_F(ProgramModulesTest, EsModuleGraphAnswersCallsOnItsExports) {
  std::string id = Load(kEsmMain, EsmTree(), SourceType::kModule);
  EXPECT_EQ(CallTwice(id, "sign", {"5"}), R"([6,10,"hi a",3,"s4lt","esm","loaded later"])");
  EXPECT_EQ(CallTwice(id, "default", {"1"}), "\"default:1\"");
  EXPECT_EQ(CallTwice(id, "Lib.encrypt", {"1"}), "\"K1\"");
  Outcome builtin = Call(id, "Lib.encrypt.constructor");
  EXPECT_EQ(builtin.kind, Outcome::Kind::kJsError);
}

// LoadProgram keeps V8's code cache of every ES module, as of every CommonJS module,
// and each context's graph compiles its modules from them (fresh calls rebuild it).
TEST_F(ProgramModulesTest, EsModulesGoThroughTheSharedCodeCache) {
  std::string id = Load(kEsmMain, EsmTree(), SourceType::kModule);
  std::shared_ptr<const engine::Program> program = pool_->ProgramForTest(id);
  ASSERT_NE(program, nullptr);
  EXPECT_FALSE(program->code_cache.empty()) << "the root module's cache";
  for (const char* path :
       {"/lib/math.mjs", "/lib/late.mjs", "/node_modules/pkg/esm/index.js", "/lib/cjs.js"}) {
    auto it = program->module_code_caches.find(path);
    ASSERT_NE(it, program->module_code_caches.end()) << path;
    EXPECT_FALSE(it->second.empty()) << path;
  }
  EXPECT_EQ(program->module_code_caches.count("/lib/data.json"), 0u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(Json(Call(id, "sign", {"5"}, /*fresh=*/true)),
              R"([6,10,"hi a",3,"s4lt","esm","loaded later"])");
  }
  std::shared_ptr<const engine::Program> unknown = pool_->ProgramForTest("0");
  EXPECT_EQ(unknown, nullptr);
}

TEST_F(ProgramModulesTest, EvaluateRunsAModuleGraphAndAnswersItsNamespace) {
  engine::EvaluateSpec spec;
  spec.source = std::string(kEsmMain) + "\nexport const answer = sign(1);";
  spec.filename = "main.mjs";
  spec.modules = EsmTree();
  spec.source_type = SourceType::kModule;
  Outcome o = Submit(spec);
  ASSERT_EQ(o.kind, Outcome::Kind::kValue) << Json(o);
  EXPECT_EQ(SortedJson(o.value.struct_value().fields().at("answer")),
            R"([2,2,"hi a",3,"s4lt","esm","loaded later"])");
  spec.source = "import { missing } from './lib/math.mjs';";
  Outcome link = Submit(spec);
  ASSERT_EQ(link.kind, Outcome::Kind::kJsError) << Json(link);
  EXPECT_EQ(link.error.name, "SyntaxError");
  spec.source = "import x from './nowhere.js';";
  Outcome missing = Submit(spec);
  ASSERT_EQ(missing.kind, Outcome::Kind::kJsError) << Json(missing);
  EXPECT_THAT(missing.error.message, HasSubstr("Cannot find module './nowhere.js'"));
  spec.source = "import './lib/math.mjs';\nexport const x = 1;\nconst y = ;";
  Outcome syntax = Submit(spec);
  ASSERT_EQ(syntax.kind, Outcome::Kind::kJsError) << Json(syntax);
  EXPECT_THAT(syntax.error.message, HasSubstr("main.mjs:3:"));
  spec.source =
      "await new Promise((resolve) => setTimeout(resolve, 5)); export const waited = true;";
  Outcome waited = Submit(spec);  // an evaluation may await timers
  ASSERT_EQ(waited.kind, Outcome::Kind::kValue) << Json(waited);
  EXPECT_EQ(SortedJson(waited.value), R"({"waited":true})");
}

TEST_F(ProgramModulesTest, ProgramIdDependsOnTypeAndProfile) {
  std::string plain = engine::ProgramId("x", {});
  EXPECT_EQ(plain, engine::ProgramId("x", {}, SourceType::kScript, std::nullopt));
  EXPECT_NE(plain, engine::ProgramId("x", {}, SourceType::kModule, std::nullopt));
  engine::BrowserProfile chrome;
  engine::BrowserProfile firefox;
  firefox.user_agent = "Firefox";
  EXPECT_NE(plain, engine::ProgramId("x", {}, SourceType::kScript, chrome));
  EXPECT_NE(engine::ProgramId("x", {}, SourceType::kScript, chrome),
            engine::ProgramId("x", {}, SourceType::kScript, firefox));
}

TEST_F(ProgramModulesTest, BrowserProfileProgramAnswersLikeABrowserSession) {
  engine::BrowserProfile profile;
  profile.user_agent = "TestAgent/1.0";
  profile.url = "https://shop.example/cart?x=1";
  constexpr char kSite[] = R"(
    (function (w) { w.SiteSign = { sign: function (x) { return [x, navigator.userAgent, location.host,
      document.cookie, typeof window, window === self].join('|') } } })(window);
  )";
  std::string id = Load(kSite, {}, SourceType::kScript, profile);
  std::string expected = "\"a|TestAgent/1.0|shop.example||object|true\"";
  EXPECT_EQ(CallTwice(id, "SiteSign.sign", {"\"a\""}), expected);
  EXPECT_EQ(CallTwice(id, "window.SiteSign.sign", {"\"a\""}), expected);
  // The same script as a browser-profile session answers the same.
  engine::CreateSessionSpec create;
  create.source = kSite;
  create.settings.browser = profile;
  Outcome session = Submit(create);
  ASSERT_EQ(session.kind, Outcome::Kind::kValue) << Json(session);
  engine::CallSpec call;
  call.session = session.id;
  call.function = "SiteSign.sign";
  call.args.emplace_back().set_string_value("a");
  EXPECT_EQ(Json(Submit(call)), expected);
  // Without the profile the script has no window to attach to.
  Outcome plain = LoadOutcome(kSite);
  ASSERT_EQ(plain.kind, Outcome::Kind::kValue);
  EXPECT_EQ(Call(plain.id, "SiteSign.sign", {"\"a\""}).kind, Outcome::Kind::kJsError);
  EXPECT_NE(plain.id, id);
}

}  // namespace
}  // namespace jscore::testing
