// The JS -> google.protobuf.Value mapping, row by row (ARCHITECTURE.md, "Values"),
// and the inverse for injected globals.
#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/engine_test_support.h"

namespace jscore::testing {
namespace {

using engine::Outcome;
using engine::TypeAnnotation;
using Kind = TypeAnnotation::Kind;

class ValueMappingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pool = engine::Pool::Create(TestPlatform(), SmallPool(1));
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = std::move(*pool);
  }
  Outcome Eval(const std::string& source) { return RunJs(*pool_, source); }
  std::string J(const std::string& source) { return Json(Eval(source)); }

  std::unique_ptr<engine::Pool> pool_;
};

std::vector<std::pair<std::string, Kind>> Annotations(const Outcome& o) {
  std::vector<std::pair<std::string, Kind>> out;
  for (const auto& a : o.annotations) out.emplace_back(a.path, a.kind);
  return out;
}

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

TEST_F(ValueMappingTest, JsonLikeValuesMapDirectly) {
  EXPECT_EQ(J("1+2"), "3");
  EXPECT_EQ(J("'h\\u00e9llo'"), "\"h\xc3\xa9llo\"");
  EXPECT_EQ(J("true"), "true");
  EXPECT_EQ(J("null"), "null");
  EXPECT_EQ(J("({a: [1, 'x', null], b: {c: false}})"), R"({"a":[1,"x",null],"b":{"c":false}})");
  EXPECT_EQ(J("-0"), "0");
  EXPECT_EQ(J("[new Number(1), new String('s'), new Boolean(true)]"), R"([1,"s",true])");
  EXPECT_THAT(Annotations(Eval("({a: [1, {b: 'x'}]})")), IsEmpty());
}

TEST_F(ValueMappingTest, UndefinedIsNullAndSaidSo) {
  Outcome o = Eval("undefined");
  EXPECT_EQ(o.kind, Outcome::Kind::kValue);
  EXPECT_TRUE(o.undefined);
  EXPECT_EQ(Json(o), "null");
  EXPECT_THAT(Annotations(o), IsEmpty());

  Outcome nested = Eval("[undefined, {u: undefined}]");
  EXPECT_FALSE(nested.undefined);
  EXPECT_EQ(Json(nested), R"([null,{"u":null}])");
  EXPECT_THAT(Annotations(nested),
              ElementsAre(Pair("/0", Kind::kUndefined), Pair("/1/u", Kind::kUndefined)));
  EXPECT_FALSE(Eval("null").undefined);
}

TEST_F(ValueMappingTest, BigIntBecomesDecimalString) {
  Outcome o = Eval("({n: 2n ** 100n})");
  EXPECT_EQ(Json(o), R"({"n":"1267650600228229401496703205376"})");
  EXPECT_THAT(Annotations(o), ElementsAre(Pair("/n", Kind::kBigInt)));
  EXPECT_EQ(J("-5n"), "\"-5\"");
}

TEST_F(ValueMappingTest, DateBecomesIsoString) {
  Outcome o = Eval("[new Date(Date.UTC(2024, 1, 29, 12, 30, 45, 123)), new Date(NaN)]");
  EXPECT_EQ(Json(o), R"(["2024-02-29T12:30:45.123Z",null])");
  EXPECT_THAT(Annotations(o), ElementsAre(Pair("/0", Kind::kDate), Pair("/1", Kind::kDate)));
}

TEST_F(ValueMappingTest, DatesOutsideFourDigitYearsAreExpanded) {
  EXPECT_EQ(
      J("[new Date(8.64e15), new Date(Date.UTC(-1, 0, 1)), new Date(Date.UTC(10000, 0, 1))]"),
      R"(["+275760-09-13T00:00:00.000Z","-000001-01-01T00:00:00.000Z","+010000-01-01T00:00:00.000Z"])");
  EXPECT_EQ(J("new Date(8.64e15).toISOString()"), "\"+275760-09-13T00:00:00.000Z\"");
}

TEST_F(ValueMappingTest, MapKeysThatStringifyAlikeKeepTheLastEntry) {
  Outcome o = Eval("new Map([[1, new Uint8Array([1])], ['1', [7]], [2, 5n], ['2', 'x']])");
  EXPECT_EQ(Json(o), R"({"1":[7],"2":"x"})");
  EXPECT_THAT(Annotations(o), ElementsAre(Pair("", Kind::kMap)));
}

TEST_F(ValueMappingTest, MapBecomesStructWithStringKeys) {
  Outcome o = Eval("new Map([[1, 'one'], ['k', {x: 2}], [true, null]])");
  EXPECT_EQ(Json(o), R"({"1":"one","k":{"x":2},"true":null})");
  EXPECT_THAT(Annotations(o), ElementsAre(Pair("", Kind::kMap)));
}

TEST_F(ValueMappingTest, SetBecomesList) {
  Outcome o = Eval("new Set([3, 'a', 3])");
  EXPECT_EQ(Json(o), R"([3,"a"])");
  EXPECT_THAT(Annotations(o), ElementsAre(Pair("", Kind::kSet)));
}

TEST_F(ValueMappingTest, BytesAndTypedArrays) {
  Outcome bytes = Eval(
      "[new Uint8Array([1, 2, 255]), new Uint8Array([9, 8, 7]).buffer,"
      " new DataView(new Uint8Array([5, 6, 7]).buffer, 1)]");
  EXPECT_EQ(Json(bytes), "[[1,2,255],[9,8,7],[6,7]]");
  EXPECT_THAT(Annotations(bytes), ElementsAre(Pair("/0", Kind::kBytes), Pair("/1", Kind::kBytes),
                                              Pair("/2", Kind::kBytes)));
  Outcome floats = Eval("new Float64Array([1.5, -2])");
  EXPECT_EQ(Json(floats), "[1.5,-2]");
  EXPECT_THAT(Annotations(floats), IsEmpty());
  EXPECT_EQ(J("new Uint8Array(new Uint8Array([1,2,3,4]).buffer, 1, 2)"), "[2,3]");
}

TEST_F(ValueMappingTest, NaNAndInfinityKeepTheirNumbers) {
  Outcome o = Eval("[NaN, Infinity, -Infinity, 1]");
  ASSERT_EQ(o.kind, Outcome::Kind::kValue);
  const auto& list = o.value.list_value();
  EXPECT_TRUE(std::isnan(list.values(0).number_value()));
  EXPECT_EQ(list.values(1).number_value(), INFINITY);
  EXPECT_EQ(list.values(2).number_value(), -INFINITY);
  EXPECT_THAT(Annotations(o), ElementsAre(Pair("/0", Kind::kNaN), Pair("/1", Kind::kInfinity),
                                          Pair("/2", Kind::kInfinity)));
}

TEST_F(ValueMappingTest, FunctionsAndSymbolsAreDroppedOrNull) {
  EXPECT_EQ(J("({f() {}, s: Symbol('x'), k: 1})"), R"({"k":1})");
  EXPECT_EQ(J("[() => 1, Symbol('y'), 2]"), "[null,null,2]");
  EXPECT_EQ(J("(function () {})"), "null");
}

TEST_F(ValueMappingTest, ToJSONIsHonoured) {
  EXPECT_EQ(J("({toJSON(key) { return {k: key, v: 1}; }})"), R"({"k":"","v":1})");
  EXPECT_EQ(J("({a: {toJSON(key) { return key + '!'; }}})"), R"({"a":"a!"})");
}

TEST_F(ValueMappingTest, PathsEscapeSlashAndTilde) {
  Outcome o = Eval("({'a/b': {'c~d': 1n}})");
  EXPECT_THAT(Annotations(o), ElementsAre(Pair("/a~1b/c~0d", Kind::kBigInt)));
}

TEST_F(ValueMappingTest, LoneSurrogatesBecomeReplacementCharacter) {
  EXPECT_EQ(J("'a\\uD800b'"),
            "\"a\xEF\xBF\xBD"
            "b\"");
}

TEST_F(ValueMappingTest, CycleIsAClearError) {
  Outcome o = Eval("const a = {b: {}}; a.b.back = a; a");
  ASSERT_EQ(o.kind, Outcome::Kind::kJsError);
  EXPECT_EQ(o.error.name, "TypeError");
  EXPECT_THAT(o.error.message, ::testing::HasSubstr("cycle at \"/b/back\""));
  // A shared (acyclic) reference is fine.
  EXPECT_EQ(J("const s = {v: 1}; [s, s]"), R"([{"v":1},{"v":1}])");
}

TEST_F(ValueMappingTest, DepthPastTheLimitIsAClearError) {
  Outcome o = Eval("let v = 0; for (let i = 0; i < 200; i++) v = [v]; v");
  ASSERT_EQ(o.kind, Outcome::Kind::kJsError);
  EXPECT_EQ(o.error.name, "RangeError");
  EXPECT_THAT(o.error.message, ::testing::HasSubstr("nested too deep for google.protobuf.Value"));
}

// google.protobuf.Value costs three message levels per object and two per array, and
// protobuf parsers stop at 100: past 30 objects (45 arrays) a result is a RangeError
// naming the path, never a response the client cannot parse.
TEST_F(ValueMappingTest, ProtobufMessageLevelsAreBoundedWithAClearError) {
  auto nested = [this](const char* wrap, int n) {
    return Eval(absl::StrCat("let v = 1; for (let i = 0; i < ", n, "; i++) v = ", wrap, "; v"));
  };
  EXPECT_EQ(nested("({k: v})", 30).kind, Outcome::Kind::kValue);
  Outcome objects = nested("({k: v})", 31);
  ASSERT_EQ(objects.kind, Outcome::Kind::kJsError);
  EXPECT_EQ(objects.error.name, "RangeError");
  std::string path;
  for (int i = 0; i < 31; ++i) path += "/k";
  EXPECT_THAT(objects.error.message, ::testing::HasSubstr(absl::StrCat("at \"", path, "\"")));
  EXPECT_EQ(nested("[v]", 45).kind, Outcome::Kind::kValue);
  EXPECT_EQ(nested("[v]", 46).error.name, "RangeError");
}

// The issue's hostile Map (keys 0..n and "0".."n"): linear, answered within its second.
TEST_F(ValueMappingTest, MapKeysThatStringifyAlikeAreLinear) {
#ifdef JSCORE_SANITIZED
  const absl::Duration budget = absl::Seconds(10);  // ASan slows our encoder several times
#else
  const absl::Duration budget = absl::Seconds(1);
#endif
  absl::Time start = absl::Now();
  Outcome o = RunJs(*pool_,
                    "const m = new Map(); for (let i = 0; i < 30000; i++) m.set(i, undefined);"
                    "for (let i = 0; i < 30000; i++) m.set(String(i), i); m",
                    budget);
  EXPECT_LT(absl::Now() - start, budget + absl::Milliseconds(250));
  ASSERT_EQ(o.kind, Outcome::Kind::kValue) << o.status << o.error.message;
  EXPECT_EQ(o.value.struct_value().fields_size(), 30000);
  EXPECT_EQ(o.value.struct_value().fields().at("7").number_value(), 7);
  EXPECT_THAT(Annotations(o), ElementsAre(Pair("", Kind::kMap)));
}

// Annotations and their paths count toward the size limit.
TEST_F(ValueMappingTest, AnnotationPathsCountTowardTheSizeLimit) {
  Outcome o = Eval("const o = {}; o['k'.repeat(200000)] = Array(2000).fill(undefined); o");
  ASSERT_EQ(o.kind, Outcome::Kind::kJsError);
  EXPECT_EQ(o.error.name, "RangeError");
  EXPECT_THAT(o.error.message, ::testing::HasSubstr("larger than"));
}

TEST_F(ValueMappingTest, SizePastTheLimitIsAClearError) {
  Outcome o = Eval("'x'.repeat(5 * 1024 * 1024)");
  ASSERT_EQ(o.kind, Outcome::Kind::kJsError);
  EXPECT_EQ(o.error.name, "RangeError");
  EXPECT_THAT(o.error.message, ::testing::HasSubstr("larger than"));
}

TEST_F(ValueMappingTest, GetterThatThrowsIsAJsError) {
  Outcome o = Eval("({get bad() { throw new Error('from getter'); }})");
  ASSERT_EQ(o.kind, Outcome::Kind::kJsError);
  EXPECT_EQ(o.error.message, "from getter");
}

TEST_F(ValueMappingTest, GetterThatLoopsIsStoppedByTheDeadline) {
  Outcome o = RunJs(*pool_, "({get loop() { for (;;) {} }})", absl::Milliseconds(200));
  ASSERT_EQ(o.kind, Outcome::Kind::kFailed);
  EXPECT_EQ(o.status.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(J("'still usable'"), "\"still usable\"");
}

TEST_F(ValueMappingTest, GlobalsBecomeJsValues) {
  engine::EvaluateSpec spec;
  spec.source = "[typeof n, n * 2, s + '!', b, z === null, o.list.length, o.list[1].k]";
  google::protobuf::Value n, s, b, z, o;
  n.set_number_value(21);
  s.set_string_value("quote\" back\\ </script>");
  b.set_bool_value(true);
  z.set_null_value(google::protobuf::NULL_VALUE);
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(R"({"list": [1, {"k": "v"}]})", &o).ok());
  spec.globals = {{"n", n}, {"s", s}, {"b", b}, {"z", z}, {"o", o}};
  PendingJob p = MakeJob(std::move(spec));
  ASSERT_TRUE(pool_->Submit(p.job).ok());
  EXPECT_EQ(Json(p.Wait()),
            R"(["number",42,"quote\" back\\ \u003c/script\u003e!",true,true,2,"v"])");
}

}  // namespace
}  // namespace jscore::testing
