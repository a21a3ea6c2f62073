// Findings of the fuzz targets (fuzz/README.md), each kept as a test once fixed. The
// inputs themselves are in fuzz/corpus/ too.
#include <string>

#include "gtest/gtest.h"
#include "tests/engine/engine_test_support.h"

namespace jscore::testing {
namespace {

using engine::Outcome;

// Strict UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF).
bool IsValidUtf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80                 ? 0
            : c >= 0xC2 && c <= 0xDF ? 1
            : c >= 0xE0 && c <= 0xEF ? 2
            : c >= 0xF0 && c <= 0xF4 ? 3
                                     : -1;
    if (n < 0 || s.size() - i - 1 < static_cast<size_t>(n)) return false;
    uint32_t cp = n == 0 ? c : c & (0x3F >> n);
    for (int k = 1; k <= n; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

class FuzzRegressionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pool = engine::Pool::Create(TestPlatform(), SmallPool(1));
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = std::move(*pool);
  }
  std::unique_ptr<engine::Pool> pool_;
};

// js_result_fuzzer: a JS error's source line is cut to 1024 bytes; it was cut inside
// a multi-byte character, and half a UTF-8 sequence in a proto3 string makes Go and
// Python clients reject the whole response.
TEST_F(FuzzRegressionTest, LongSourceLinesAreCutAtACharacterBoundary) {
  for (int pad = 0; pad < 4; ++pad) {
    std::string source = "throw new Error('x'); //" + std::string(pad, ' ');
    for (int i = 0; i < 700; ++i) source += "\xC3\xA9";          // é, two bytes
    for (int i = 0; i < 300; ++i) source += "\xF0\x9F\x98\x80";  // 😀, four bytes
    Outcome o = RunJs(*pool_, source);
    ASSERT_EQ(o.kind, Outcome::Kind::kJsError) << Json(o);
    EXPECT_LE(o.error.source_line.size(), 1024u);
    EXPECT_GT(o.error.source_line.size(), 1000u);
    EXPECT_TRUE(IsValidUtf8(o.error.source_line)) << "pad " << pad;
  }
}

}  // namespace
}  // namespace jscore::testing
