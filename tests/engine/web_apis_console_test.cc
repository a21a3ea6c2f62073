// console formatting, checked against what Node 20 prints.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/web_api_test_fixture.h"

namespace jscore::testing {
namespace {

using engine::Outcome;
using ::testing::ElementsAre;
using ::testing::StartsWith;

// ---- console ----

TEST_F(WebApiTest, ConsoleFormatsLikeNode) {
  EXPECT_THAT(
      Console(R"(
    console.log('%s is %d years', 'Bob', 42.5, 'extra');
    console.log({a: 1, b: [1, 2], s: 'x'});
    console.log({a: {b: {c: {d: 1}}}});
    function f() {} console.log([f, () => {}, class A {}]);
    console.log(new Map([['a', 1]]), new Set(['x']));
    const o = {name: 'o'}; o.self = o; console.log(o);
    console.log('plain', 5, null, undefined, true, 10n, Symbol('s'), -0);
    console.log([1, , 3], new Uint8Array([1, 2]), new Date(0), /x/g);
    console.log('%i|%f|%j|%%|%c.', '42.9px', '1.5', {j: 1}, 'color: red');
    console.log({'key-1': "it's", nested: [[[[1]]]]});
  )"),
      ElementsAre(
          "Bob is 42.5 years extra", "{ a: 1, b: [ 1, 2 ], s: 'x' }",
          "{ a: { b: { c: [Object] } } }", "[ [Function: f], [Function (anonymous)], [class A] ]",
          "Map(1) { 'a' => 1 } Set(1) { 'x' }", "<ref *1> { name: 'o', self: [Circular *1] }",
          "plain 5 null undefined true 10n Symbol(s) -0",
          "[ 1, <1 empty item>, 3 ] Uint8Array(2) [ 1, 2 ] 1970-01-01T00:00:00.000Z /x/g",
          "42|1.5|{\"j\":1}|%|.", "{ 'key-1': \"it's\", nested: [ [ [Array] ] ] }"));
}

TEST_F(WebApiTest, ConsoleBreaksLongOutputLikeNode) {
  EXPECT_THAT(
      Console("console.log({a: 'x'.repeat(30), b: 'y'.repeat(30)});"
              "console.log(Array.from({length: 30}, (_, i) => i));"),
      ElementsAre(
          "{\n  a: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',\n  b: 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy'\n}",
          "[\n   0,  1,  2,  3,  4,  5,  6,  7,  8,\n   9, 10, 11, 12, 13, 14, 15, 16, 17,\n"
          "  18, 19, 20, 21, 22, 23, 24, 25, 26,\n  27, 28, 29\n]"));
}

TEST_F(WebApiTest, ConsoleErrorsAndWebObjects) {
  std::vector<std::string> lines = Console(R"(
    console.log(new TypeError('bad'));
    try { atob('!') } catch (e) { console.log(e) }
    console.log(new URLSearchParams('a=1&b=2'));
    console.log(new URL('https://x.org/p?q=1').searchParams);
    console.log([new AbortController().signal]);
  )");
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_THAT(lines[0], StartsWith("TypeError: bad\n    at <eval>:2:17"));
  EXPECT_THAT(lines[1],
              StartsWith("DOMException [InvalidCharacterError]: The string to be decoded"));
  EXPECT_EQ(lines[2], "URLSearchParams { 'a' => '1', 'b' => '2' }");
  EXPECT_EQ(lines[3], "URLSearchParams { 'q' => '1' }");
  EXPECT_EQ(lines[4], "[ AbortSignal { aborted: false } ]");
}

TEST_F(WebApiTest, ConsoleHelpers) {
  Outcome o = RunJs(*pool_, R"(
    console.count(); console.count(); console.count('x'); console.countReset(); console.count();
    console.group('G'); console.info('inside\nsecond'); console.groupEnd(); console.log('outside');
    console.assert(1 === 1, 'never'); console.assert(false, 'failed %s', 'here');
    console.time('t'); console.timeEnd('t'); console.timeEnd('missing');
    console.dir('quoted'); console.table([1]);
    const log = console.log; log('detached');
    0
  )");
  std::vector<std::string> lines;
  for (const auto& line : o.console) lines.push_back(line.text);
  ASSERT_EQ(lines.size(), 13u) << ::testing::PrintToString(lines);
  EXPECT_THAT(std::vector<std::string>(lines.begin(), lines.begin() + 8),
              ElementsAre("default: 1", "default: 2", "x: 1", "default: 1", "G",
                          "  inside\n  second", "outside", "Assertion failed: failed here"));
  EXPECT_THAT(lines[8], ::testing::MatchesRegex("t: [0-9.]+ms"));
  EXPECT_EQ(lines[9], "No such label 'missing' for console.timeEnd()");
  EXPECT_EQ(o.console[9].level, engine::ConsoleLine::Level::kWarn);
  EXPECT_EQ(lines[10], "'quoted'");
  EXPECT_EQ(lines[11], "[ 1 ]");
  EXPECT_EQ(lines[12], "detached");
}

}  // namespace
}  // namespace jscore::testing
