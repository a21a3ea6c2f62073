#include "engine/errors.h"

#include <string>

#include "absl/strings/cord.h"

namespace jscore::engine {
namespace {

constexpr char kNotLoadedPayload[] = "jscore/program-not-loaded";

}  // namespace

absl::Status ProgramNotLoadedError(const std::string& id) {
  absl::Status status = absl::FailedPreconditionError("program not loaded on this server: " + id +
                                                      " (send LoadProgram, then retry)");
  status.SetPayload(kNotLoadedPayload, absl::Cord(id));
  return status;
}

std::string NotLoadedProgram(const absl::Status& status) {
  auto id = status.GetPayload(kNotLoadedPayload);
  return id ? std::string(*id) : std::string();
}

}  // namespace jscore::engine
