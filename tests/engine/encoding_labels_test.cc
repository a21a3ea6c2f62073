// TextDecoder's label lookup as the Encoding standard defines it: ASCII whitespace
// (TAB, LF, FF, CR, SPACE) is stripped, VT is not; case does not matter.
#include <string>

#include "gtest/gtest.h"
#include "tests/engine/engine_test_support.h"
#include "tests/engine/web_api_test_fixture.h"

namespace jscore::testing {
namespace {

class EncodingLabelsTest : public WebApiTest {};  // one pool per suite (web_api_test_fixture.h)

TEST_F(EncodingLabelsTest, StripsOnlyAsciiWhitespace) {
  EXPECT_EQ(
      Eval(R"(
    const label = (l) => { try { return new TextDecoder(l).encoding; } catch (e) { return e.name; } };
    [label('\t\n\f\r utf-8 \r\f\n\t'), label(' UTF8 '), label('\vutf-8'), label('utf-8\v'),
     label('\u00a0utf-8'), label('utf-8\0'), label('')]
  )"),
      R"(["utf-8","utf-8","RangeError","RangeError","RangeError","RangeError","RangeError"])");
}

TEST_F(EncodingLabelsTest, OptionsAreReadBeforeTheLabelIsChecked) {
  EXPECT_EQ(Eval(R"(
    const read = [];
    try {
      new TextDecoder('nope', { get fatal() { read.push('fatal'); }, get ignoreBOM() { read.push('ignoreBOM'); } });
    } catch (e) { read.push(e.name); }
    read
  )"),
            R"(["fatal","ignoreBOM","RangeError"])");
}

}  // namespace
}  // namespace jscore::testing
