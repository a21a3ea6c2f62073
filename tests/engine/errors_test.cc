// engine/errors.h: the program-not-loaded error keeps its program id across copies and
// is told apart from every other status, including one with the same code and message.
#include "engine/errors.h"

#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace jscore::engine {
namespace {

TEST(EngineErrorsTest, ProgramNotLoadedCarriesItsId) {
  const std::string id(64, 'a');
  absl::Status status = ProgramNotLoadedError(id);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find(id), std::string::npos) << status.message();
  absl::Status copy = status;
  EXPECT_EQ(NotLoadedProgram(copy), id);
}

TEST(EngineErrorsTest, OtherStatusesCarryNoProgram) {
  absl::Status lookalike =
      absl::FailedPreconditionError(std::string(ProgramNotLoadedError("p").message()));
  EXPECT_EQ(NotLoadedProgram(lookalike), "");
  EXPECT_EQ(NotLoadedProgram(absl::NotFoundError("program not loaded: p")), "");
  EXPECT_EQ(NotLoadedProgram(absl::OkStatus()), "");
}

}  // namespace
}  // namespace jscore::engine
