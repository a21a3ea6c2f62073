// The JS <-> JsonValue mapping (README, "Values"): key order, the types tree, depth,
// sizes and the time the encoder takes, both ways; thrown non-Errors.
#include "engine/json_value.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/engine_test_support.h"

namespace jscore::testing {
namespace {

using engine::JsonValue;
using engine::Outcome;
using ::testing::HasSubstr;

class JsonValueTest : public ::testing::Test {
 protected:
  void SetUp() override { MakePool(SmallPool(1)); }
  void MakePool(engine::PoolOptions options) {
    pool_.reset();
    auto pool = engine::Pool::Create(TestPlatform(), options);
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = std::move(*pool);
  }

  Outcome Eval(const std::string& source, absl::Duration timeout = absl::Seconds(10)) {
    engine::EvaluateSpec spec;
    spec.source = source;
    spec.value_encoding = engine::ValueEncoding::kJson;
    return Run(std::move(spec), timeout);
  }
  Outcome EvalWith(const std::string& source, JsonValue globals) {
    engine::EvaluateSpec spec;
    spec.source = source;
    spec.globals_json = std::move(globals);
    spec.value_encoding = engine::ValueEncoding::kJson;
    return Run(std::move(spec), absl::Seconds(10));
  }
  Outcome Run(engine::JobSpec spec, absl::Duration timeout) {
    PendingJob p = MakeJob(std::move(spec), timeout);
    absl::Status status = pool_->Submit(p.job);
    if (!status.ok()) return Outcome::Failed(status);
    return p.Wait();
  }
  // The result's JSON text (and its types tree after a '|' when there is one).
  std::string J(const std::string& source) {
    Outcome o = Eval(source);
    if (o.kind != Outcome::Kind::kValue || !o.value_json) {
      return absl::StrCat("<not a value: ", o.status.ToString(), " ", o.error.name, ": ",
                          o.error.message, ">");
    }
    if (o.value_json->types.empty()) return o.value_json->json;
    return absl::StrCat(o.value_json->json, "|", o.value_json->types);
  }

  std::unique_ptr<engine::Pool> pool_;
};

// A JSON string literal (the test's own, simple escaper).
std::string QuoteForTest(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += absl::StrFormat("\\u%04x", c);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string Nested(int levels, const std::string& open, const std::string& inner,
                   const std::string& close) {
  std::string out;
  for (int i = 0; i < levels; ++i) out += open;
  out += inner;
  for (int i = 0; i < levels; ++i) out += close;
  return out;
}

TEST_F(JsonValueTest, ObjectKeysKeepJsOrder) {
  EXPECT_EQ(J("({b: 1, a: 2, c: 3})"), R"({"b":1,"a":2,"c":3})");
  // Integer-like keys first, ascending, as Object.keys and JSON.stringify list them.
  EXPECT_EQ(J("({z: 1, 10: 2, 2: 3, a: 4})"), R"({"2":3,"10":2,"z":1,"a":4})");
  EXPECT_EQ(J("JSON.stringify(({b: 1, a: {d: 1, c: 2}}))"),
            R"("{\"b\":1,\"a\":{\"d\":1,\"c\":2}}")");
  EXPECT_EQ(J("({b: [{y: 1, x: 2}], a: null})"), R"({"b":[{"y":1,"x":2}],"a":null})");
}

TEST_F(JsonValueTest, TextIsWhatJsonStringifyWrites) {
  for (const char* expr :
       {"[1, -1.5, 0.1, 1e21, 1e-7, 123456789012345680000, 5e-324, 1.7976931348623157e308, -0]",
        "['a\"b\\\\c\\n\\t\\u0001\\u001f', '\u00e9\u4e2d\U0001F600', '']",
        "({'': 1, 'k\"ey': [true, false, null]})", "[[], {}, [[]], {a: {}}]",
        "[2**53, 2**53 + 2, 1/3, 100, 1e20, 123e-20, -1e-6, 1e-6, 1.5e300]"}) {
    SCOPED_TRACE(expr);
    Outcome direct = Eval(expr);
    ASSERT_TRUE(direct.value_json) << direct.error.message;
    // The text, handed back as a string global, equals JSON.stringify's.
    Outcome same =
        EvalWith(absl::StrCat("JSON.stringify(", expr, ") === text"),
                 {absl::StrCat("{\"text\":", QuoteForTest(direct.value_json->json), "}"), ""});
    ASSERT_TRUE(same.value_json) << same.status;
    EXPECT_EQ(same.value_json->json, "true") << direct.value_json->json;
  }
}

TEST_F(JsonValueTest, TypesTreeNamesEveryNonJsonPlace) {
  EXPECT_EQ(J("1"), "1");
  EXPECT_EQ(J("undefined"), R"(null|"undefined")");
  EXPECT_EQ(J("10n ** 30n"), R"("1000000000000000000000000000000"|"bigint")");
  EXPECT_EQ(J("NaN"), R"(null|"nan")");
  EXPECT_EQ(J("[Infinity, -Infinity]"), R"([null,null]|[null,{"0":"infinity","1":"-infinity"}])");
  EXPECT_EQ(J("new Date(0)"), R"("1970-01-01T00:00:00.000Z"|"date")");
  EXPECT_EQ(J("new Date(NaN)"), R"(null|"date")");
  EXPECT_EQ(J("new Uint8Array([1, 2, 255])"), R"([1,2,255]|"bytes")");
  EXPECT_EQ(J("new Set([1, 'a'])"), R"([1,"a"]|"set")");
  // The proto comment's example.
  EXPECT_EQ(J("({a: 1n, m: new Map([['k', undefined]])})"),
            R"({"a":"1","m":{"k":null}}|[null,{"a":"bigint","m":["map",{"k":"undefined"}]}])");
  // Siblings, nesting and plain places in between.
  EXPECT_EQ(
      J("({p: 1, q: [0, {r: undefined, s: 2}], t: 3n})"),
      R"({"p":1,"q":[0,{"r":null,"s":2}],"t":"3"}|[null,{"q":[null,{"1":[null,{"r":"undefined"}]}],"t":"bigint"}])");
  // A Map keeps its own order; a Set with an annotated element.
  EXPECT_EQ(J("new Map([['b', 1], [2, new Set([NaN])], ['a', 3]])"),
            R"({"b":1,"2":[null],"a":3}|["map",{"2":["set",{"0":"nan"}]}])");
  // Functions and symbols: dropped from objects, null in arrays.
  EXPECT_EQ(J("({f() {}, s: Symbol(), a: [() => 1, Symbol()], k: 1})"),
            R"({"a":[null,null],"k":1})");
  // toJSON, as JSON.stringify (once).
  EXPECT_EQ(J("({toJSON(key) { return {key, again: {toJSON() { return 2; }}}; }})"),
            R"({"key":"","again":2})");
}

TEST_F(JsonValueTest, MapKeysThatStringifyAlikeMakeOneMember) {
  EXPECT_EQ(J("new Map([[1, 'a'], ['b', 2], ['1', 'c']])"), R"({"1":"c","b":2}|"map")");
  // The hostile case of the issue (keys 0..n and "0".."n"): linear, within a second.
  absl::Time start = absl::Now();
  Outcome o = Eval(
      "const m = new Map(); for (let i = 0; i < 30000; i++) m.set(i, undefined);"
      "for (let i = 0; i < 30000; i++) m.set(String(i), i); m",
      absl::Seconds(1));
  EXPECT_LT(absl::Now() - start, absl::Milliseconds(1250));
  ASSERT_EQ(o.kind, Outcome::Kind::kValue) << o.status << o.error.message;
  EXPECT_EQ(o.value_json->types, "\"map\"");
  EXPECT_THAT(o.value_json->json, ::testing::StartsWith(R"({"0":0,"1":1,)"));
}

TEST_F(JsonValueTest, DepthUpToTheLimitWorksAndPastItIsARangeErrorNamingThePath) {
  // 100 nested arrays (the default --max_result_depth) pass; 101 do not.
  Outcome at = Eval(absl::StrCat("let v = 1; for (let i = 0; i < 100; i++) v = [v]; v"));
  ASSERT_TRUE(at.value_json) << at.error.message;
  EXPECT_EQ(at.value_json->json, Nested(100, "[", "1", "]"));
  Outcome objects = Eval("let v = 1; for (let i = 0; i < 100; i++) v = {k: v}; v");
  ASSERT_TRUE(objects.value_json) << objects.error.message;
  Outcome past = Eval("let v = 1; for (let i = 0; i < 101; i++) v = [v]; v");
  EXPECT_EQ(past.kind, Outcome::Kind::kJsError);
  EXPECT_EQ(past.error.name, "RangeError");
  std::string path;
  for (int i = 0; i < 100; ++i) path += "/0";
  EXPECT_THAT(past.error.message, HasSubstr(absl::StrCat("at \"", path, "\"")));
  Outcome cycle = Eval("const a = {b: {}}; a.b.back = a; a");
  EXPECT_EQ(cycle.error.name, "TypeError");
  EXPECT_THAT(cycle.error.message, HasSubstr("cycle at \"/b/back\""));
}

TEST_F(JsonValueTest, SizeLimitCountsTheBytesSent) {
  engine::PoolOptions options = SmallPool(1);
  options.max_result_bytes = 1000;
  MakePool(options);
  // UTF-8 bytes, not UTF-16 units: 400 three-byte characters are 1200 bytes.
  Outcome wide = Eval("'\u4e2d'.repeat(400)");
  EXPECT_EQ(wide.error.name, "RangeError");
  EXPECT_THAT(wide.error.message, HasSubstr("larger than 1000 bytes"));
  ASSERT_TRUE(Eval("'\u4e2d'.repeat(300)").value_json);
  // The types tree counts: 150 undefined elements are 750 bytes of JSON text
  // ("null,") and more than 250 of types.
  Outcome annotated = Eval("Array(150).fill(undefined)");
  EXPECT_EQ(annotated.error.name, "RangeError");
  ASSERT_TRUE(Eval("Array(150).fill(null)").value_json);
  // A long key is written once, in the text and (once) in the types tree.
  Outcome key = Eval("({['k'.repeat(400)]: [undefined, undefined]})");
  ASSERT_TRUE(key.value_json) << key.error.message;
  EXPECT_LT(key.value_json->json.size() + key.value_json->types.size(), 1000u);
}

TEST_F(JsonValueTest, HostileSizesAreRefusedQuickly) {
  // The issue's case: a 200000-byte key over 2000 undefined elements was a 400 MB
  // response; now it is refused at the limit (4 MiB), within the deadline.
  for (const char* source :
       {"const o = {}; o['k'.repeat(200000)] = Array(2000).fill(undefined); o",
        "Array(2 ** 22).fill(undefined)", "new Array(2 ** 32 - 1)", "new Uint8Array(2 ** 24)",
        "'x'.repeat(2 ** 25)", "Array(2 ** 20).fill('\u4e2d'.repeat(8))"}) {
    SCOPED_TRACE(source);
    absl::Time start = absl::Now();
    Outcome o = Eval(source, absl::Seconds(2));
    EXPECT_LT(absl::Now() - start, absl::Milliseconds(2250));
    if (o.kind == Outcome::Kind::kValue) {  // small enough once paths are not repeated
      ASSERT_TRUE(o.value_json);
      EXPECT_LE(o.value_json->json.size() + o.value_json->types.size(), size_t{4} << 20);
    } else {
      EXPECT_TRUE(o.kind == Outcome::Kind::kJsError || absl::IsDeadlineExceeded(o.status))
          << o.status;
      if (o.kind == Outcome::Kind::kJsError)
        EXPECT_EQ(o.error.name, "RangeError") << o.error.message;
    }
  }
}

TEST_F(JsonValueTest, EncodersAreLinear) {
  // 8x the elements may take at most ~8x (+ slack) the time: a quadratic encoder
  // would take 64x. Both encodings, with annotations and Map keys that collide.
  for (engine::ValueEncoding encoding :
       {engine::ValueEncoding::kJson, engine::ValueEncoding::kProtobuf}) {
    auto time_for = [this, encoding](int n) {
      engine::EvaluateSpec spec;
      spec.source = absl::StrCat("const o = {}, m = new Map(); for (let i = 0; i < ", n,
                                 "; i++) { o['k' + i] = [i, undefined, {x: 1n}];"
                                 " m.set(i, 1); m.set(String(i), NaN); } [o, m]");
      spec.value_encoding = encoding;
      absl::Time start = absl::Now();
      Outcome o = Run(std::move(spec), absl::Seconds(10));
      EXPECT_EQ(o.kind, Outcome::Kind::kValue) << o.error.message;
      return absl::Now() - start;
    };
    time_for(1000);  // warm up
    absl::Duration small = time_for(4000);
    absl::Duration large = time_for(32000);
    EXPECT_LT(large, small * 24 + absl::Milliseconds(200)) << small << " " << large;
  }
}

TEST_F(JsonValueTest, GlobalsAreDefinedInTheirOrderWithTheirTypes) {
  Outcome o = EvalWith(
      "[Object.keys(cfg).join(), typeof big, big + 1n, when.getTime(), "
      "bytes instanceof Uint8Array, bytes[1], m.get('x'), s.has(2), "
      "Number.isNaN(n), u === undefined, 'u' in cfg.inner]",
      {R"({"cfg":{"z":1,"b":2,"a":3,"inner":{"u":null}},"big":"123456789012345678901234567890",)"
       R"("when":"1970-01-01T00:00:01.500Z","bytes":[7,8],"m":{"x":1},"s":[1,2],"n":null,"u":null})",
       R"([null,{"cfg":[null,{"inner":[null,{"u":"undefined"}]}],"big":"bigint","when":"date",)"
       R"("bytes":"bytes","m":"map","s":"set","n":"nan","u":"undefined"}])"});
  ASSERT_TRUE(o.value_json) << o.status << " " << o.error.message;
  EXPECT_EQ(
      o.value_json->json,
      R"(["z,b,a,inner","bigint","123456789012345678901234567891",1500,true,8,1,true,true,true,true])");
}

TEST_F(JsonValueTest, BadGlobalsAreInvalidArgumentNamingThePath) {
  Outcome not_object = EvalWith("1", {"[1]", ""});
  EXPECT_TRUE(absl::IsInvalidArgument(not_object.status)) << not_object.status;
  Outcome bad_types = EvalWith("1", {R"({"a":{"b":1}})", R"([null,{"a":[null,{"c":"bigint"}]}])"});
  EXPECT_TRUE(absl::IsInvalidArgument(bad_types.status)) << bad_types.status;
  EXPECT_THAT(bad_types.status.message(), HasSubstr("/a/c"));
  Outcome bad_bigint = EvalWith("1", {R"({"a":"12x"})", R"([null,{"a":"bigint"}])"});
  EXPECT_TRUE(absl::IsInvalidArgument(bad_bigint.status)) << bad_bigint.status;
  Outcome bad_kind = EvalWith("1", {R"({"a":1})", R"([null,{"a":"wat"}])"});
  EXPECT_TRUE(absl::IsInvalidArgument(bad_kind.status)) << bad_kind.status;
}

TEST_F(JsonValueTest, HugeBigIntArgumentsAreBoundedInWork) {
  // 20 000 digits is the most one BigInt may have; a value full of them stops being
  // converted (INVALID_ARGUMENT) long before it could hold the worker for seconds.
  std::string digits(20000, '7');
  std::string json = "{\"a\":[";
  std::string types = "[null,{\"a\":[null,{";
  for (int i = 0; i < 200; ++i) {
    absl::StrAppend(&json, i ? "," : "", "\"", digits, "\"");
    absl::StrAppend(&types, i ? "," : "", "\"", i, "\":\"bigint\"");
  }
  json += "]}";
  types += "}]}]";
  absl::Time start = absl::Now();
  Outcome many = EvalWith("a.length", {json, types});
  EXPECT_LT(absl::Now() - start, absl::Milliseconds(1000));
  EXPECT_TRUE(absl::IsInvalidArgument(many.status)) << many.status;
  Outcome one = EvalWith("String(a[0]).length", {absl::StrCat("{\"a\":[\"", digits, "\"]}"),
                                                 R"([null,{"a":[null,{"0":"bigint"}]}])"});
  ASSERT_TRUE(one.value_json) << one.status;
  EXPECT_EQ(one.value_json->json, "20000");
  Outcome too_long =
      EvalWith("0", {absl::StrCat("{\"a\":\"", digits, "7\"}"), R"([null,{"a":"bigint"}])"});
  EXPECT_TRUE(absl::IsInvalidArgument(too_long.status)) << too_long.status;
}

TEST_F(JsonValueTest, ValuesRoundTripThroughTheirJson) {
  // What a result encodes, as globals, gives back the same text and types.
  for (const char* expr : {"({b: 1, a: [1n, new Date(86400000), undefined, NaN, -Infinity], m: new "
                           "Map([['y', new Set([1])], ['x', new Uint8Array([3])]])})",
                           "({z: {y: {x: [[], {}, '\u00e9']}}, 1: 'one'})"}) {
    SCOPED_TRACE(expr);
    Outcome first = Eval(absl::StrCat("({v: ", expr, "})"));
    ASSERT_TRUE(first.value_json) << first.error.message;
    Outcome second = EvalWith("({v})", *first.value_json);
    ASSERT_TRUE(second.value_json) << second.status << second.error.message;
    EXPECT_EQ(second.value_json->json, first.value_json->json);
    EXPECT_EQ(second.value_json->types, first.value_json->types);
  }
}

TEST_F(JsonValueTest, ArgumentsKeepOrderAndDepth) {
  engine::LoadProgramSpec load;
  load.source =
      "function f(a, b) { return [Object.keys(a).join(), JSON.stringify(a), b]; }"
      "function depth(v) { let d = 0; while (Array.isArray(v)) { v = v[0]; d++; } return d; }";
  Outcome loaded = Run(std::move(load), absl::Seconds(10));
  ASSERT_EQ(loaded.kind, Outcome::Kind::kValue) << loaded.status << loaded.error.message;
  auto call = [&](const std::string& function, JsonValue args) {
    engine::CallSpec spec;
    spec.program = loaded.id;
    spec.function = function;
    spec.args_json = std::move(args);
    spec.value_encoding = engine::ValueEncoding::kJson;
    return Run(std::move(spec), absl::Seconds(10));
  };
  Outcome o = call("f", {R"([{"q":1,"b":2,"a":[3]}, 5])", R"([null,{"1":"bigint"}])"});
  ASSERT_TRUE(o.value_json) << o.status << o.error.message;
  EXPECT_EQ(o.value_json->json, R"(["q,b,a","{\"q\":1,\"b\":2,\"a\":[3]}","5"])");
  EXPECT_EQ(o.value_json->types, R"([null,{"2":"bigint"}])");
  Outcome deep = call("depth", {absl::StrCat("[", Nested(100, "[", "1", "]"), "]"), ""});
  ASSERT_TRUE(deep.value_json) << deep.status << deep.error.message;
  EXPECT_EQ(deep.value_json->json, "100");
}

TEST_F(JsonValueTest, ThrownNonErrorsKeepTheirValue) {
  Outcome object = Eval("throw {code: 7, why: 'x'}");
  ASSERT_EQ(object.kind, Outcome::Kind::kJsError);
  EXPECT_EQ(object.error.name, "");
  EXPECT_EQ(object.error.message, "{ code: 7, why: 'x' }");
  ASSERT_TRUE(object.error.thrown);
  EXPECT_EQ(object.error.thrown->json, R"({"code":7,"why":"x"})");
  Outcome text = Eval("throw 'x'");
  EXPECT_EQ(text.error.message, "x");
  ASSERT_TRUE(text.error.thrown);
  EXPECT_EQ(text.error.thrown->json, R"("x")");
  Outcome big = Eval("throw 5n");
  EXPECT_EQ(big.error.message, "5n");
  ASSERT_TRUE(big.error.thrown);
  EXPECT_EQ(big.error.thrown->types, R"("bigint")");
  Outcome rejected = Eval("Promise.reject({code: 8})");
  ASSERT_TRUE(rejected.error.thrown);
  EXPECT_EQ(rejected.error.thrown->json, R"({"code":8})");
  // A program's top level that throws one keeps it too.
  engine::LoadProgramSpec load;
  load.source = "function f() {} throw {code: 9};";
  Outcome loaded = Run(std::move(load), absl::Seconds(10));
  ASSERT_EQ(loaded.kind, Outcome::Kind::kValue) << loaded.status;
  engine::CallSpec call;
  call.program = loaded.id;
  call.function = "f";
  Outcome top = Run(std::move(call), absl::Seconds(10));
  ASSERT_EQ(top.kind, Outcome::Kind::kJsError) << top.status;
  EXPECT_EQ(top.error.message, "while running the program's top level: { code: 9 }");
  ASSERT_TRUE(top.error.thrown);
  EXPECT_EQ(top.error.thrown->json, R"({"code":9})");
  // An Error stays an Error.
  Outcome error = Eval("throw new TypeError('t')");
  EXPECT_EQ(error.error.name, "TypeError");
  EXPECT_EQ(error.error.message, "t");
  EXPECT_FALSE(error.error.thrown);
}

TEST(JsonTextCheckTest, AcceptsJsonAndNamesWhatIsWrong) {
  EXPECT_TRUE(
      engine::CheckJsonText(R"( {"a": [1, -2.5e+3, true, null, "\u00e9\n"]} )", 100, "v").ok());
  auto shape = engine::CheckJsonText("[1, [2], {}]", 100, "v");
  ASSERT_TRUE(shape.ok());
  EXPECT_EQ(shape->top, '[');
  EXPECT_EQ(shape->top_members, 3u);
  for (const char* bad :
       {"", "[1,]", "{\"a\" 1}", "01", "[1] 2", "\"\\x\"", "nul", "{a:1}", "[\"\x01\"]"}) {
    SCOPED_TRACE(bad);
    auto s = engine::CheckJsonText(bad, 100, "args_json");
    EXPECT_TRUE(absl::IsInvalidArgument(s.status()));
    EXPECT_THAT(s.status().message(), HasSubstr("args_json is not valid JSON"));
  }
  EXPECT_TRUE(engine::CheckJsonText(Nested(100, "[", "", "]"), 100, "v").ok());
  auto deep = engine::CheckJsonText(
      absl::StrCat("{\"a\":[0,", Nested(100, "{\"k\":", "1", "}"), "]}"), 100, "v");
  EXPECT_TRUE(absl::IsInvalidArgument(deep.status()));
  std::string path = "/a/1";
  for (int i = 0; i < 98; ++i) path += "/k";
  EXPECT_THAT(deep.status().message(), HasSubstr(absl::StrCat("at \"", path, "\"")));
}

}  // namespace
}  // namespace jscore::testing
