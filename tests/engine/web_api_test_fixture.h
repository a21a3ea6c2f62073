// WebApiTest: one single-worker pool per suite for the Web API tests (web_apis_*_test.cc,
// and the DOMException, encoding label, events and task timing suites that derive from it),
// WebApiTest itself is one suite across web_apis_*_test.cc. Runs on the test's main thread.
#ifndef JSCORE_TESTS_ENGINE_WEB_API_TEST_FIXTURE_H_
#define JSCORE_TESTS_ENGINE_WEB_API_TEST_FIXTURE_H_

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/engine/engine_test_support.h"

namespace jscore::testing {

class WebApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto pool = engine::Pool::Create(TestPlatform(), SmallPool(1));
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = pool->release();
  }
  static void TearDownTestSuite() {
    delete pool_;
    pool_ = nullptr;
  }
  static std::string Eval(const std::string& source) { return Json(RunJs(*pool_, source)); }
  static std::vector<std::string> Console(const std::string& source) {
    engine::Outcome o = RunJs(*pool_, source);
    EXPECT_EQ(o.kind, engine::Outcome::Kind::kValue) << Json(o);
    std::vector<std::string> lines;
    for (const auto& line : o.console) lines.push_back(line.text);
    return lines;
  }
  static inline engine::Pool* pool_ = nullptr;
};

}  // namespace jscore::testing

#endif  // JSCORE_TESTS_ENGINE_WEB_API_TEST_FIXTURE_H_
