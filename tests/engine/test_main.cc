// main() for engine test binaries: V8 is initialised once (a GoogleTest environment).
#include <memory>

#include "gtest/gtest.h"
#include "tests/engine/engine_test_support.h"

namespace jscore::testing {
namespace {

std::unique_ptr<engine::Platform> g_platform;

class V8Environment : public ::testing::Environment {
 public:
  void SetUp() override {
    auto platform = engine::Platform::Create({});
    ASSERT_TRUE(platform.ok()) << platform.status();
    g_platform = std::move(*platform);
  }
  void TearDown() override { g_platform.reset(); }
};

}  // namespace

engine::Platform& TestPlatform() { return *g_platform; }

}  // namespace jscore::testing

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new jscore::testing::V8Environment);
  return RUN_ALL_TESTS();
}
