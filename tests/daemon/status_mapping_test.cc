// In-process tests of daemon/status_mapping.h: every absl::Status becomes the gRPC
// status of the same code and message, and only a program this server does not hold
// carries a jscore.v1.ErrorDetail.
#include "daemon/status_mapping.h"

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "engine/errors.h"
#include "gtest/gtest.h"
#include "jscore/v1/jscore.pb.h"

namespace jscore::daemon {
namespace {

const std::string kProgram(64, 'a');

TEST(StatusMappingTest, OkIsOk) {
  grpc::Status status = ToGrpcStatus(absl::OkStatus());
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.error_message(), "");
}

// absl and gRPC number the canonical codes alike; each keeps its code and message.
TEST(StatusMappingTest, EveryCodeKeepsItsCodeAndMessage) {
  const struct {
    absl::Status in;
    grpc::StatusCode want;
  } cases[] = {
      {absl::CancelledError("c"), grpc::StatusCode::CANCELLED},
      {absl::UnknownError("u"), grpc::StatusCode::UNKNOWN},
      {absl::InvalidArgumentError("bad source"), grpc::StatusCode::INVALID_ARGUMENT},
      {absl::DeadlineExceededError("timed out after 5 s"), grpc::StatusCode::DEADLINE_EXCEEDED},
      {absl::NotFoundError("no such session"), grpc::StatusCode::NOT_FOUND},
      {absl::AlreadyExistsError("a"), grpc::StatusCode::ALREADY_EXISTS},
      {absl::PermissionDeniedError("p"), grpc::StatusCode::PERMISSION_DENIED},
      {absl::ResourceExhaustedError("queue full"), grpc::StatusCode::RESOURCE_EXHAUSTED},
      {absl::FailedPreconditionError("f"), grpc::StatusCode::FAILED_PRECONDITION},
      {absl::AbortedError("a"), grpc::StatusCode::ABORTED},
      {absl::OutOfRangeError("o"), grpc::StatusCode::OUT_OF_RANGE},
      {absl::UnimplementedError("probe in a session"), grpc::StatusCode::UNIMPLEMENTED},
      {absl::InternalError("i"), grpc::StatusCode::INTERNAL},
      {absl::UnavailableError("shutting down"), grpc::StatusCode::UNAVAILABLE},
      {absl::DataLossError("d"), grpc::StatusCode::DATA_LOSS},
      {absl::UnauthenticatedError("no token"), grpc::StatusCode::UNAUTHENTICATED},
  };
  for (const auto& c : cases) {
    grpc::Status out = ToGrpcStatus(c.in);
    EXPECT_EQ(out.error_code(), c.want) << c.in;
    EXPECT_EQ(out.error_message(), c.in.message()) << c.in;
  }
}

TEST(StatusMappingTest, ProgramNotLoadedCarriesAnErrorDetail) {
  absl::Status not_loaded = engine::ProgramNotLoadedError(kProgram);
  std::optional<v1::ErrorDetail> detail = ErrorDetailFor(not_loaded, "10.0.0.7:50051");
  ASSERT_TRUE(detail.has_value());
  EXPECT_EQ(detail->reason(), v1::ErrorDetail::PROGRAM_NOT_LOADED);
  EXPECT_EQ(detail->program(), kProgram);
  EXPECT_EQ(detail->replica(), "10.0.0.7:50051");

  grpc::Status out = ToGrpcStatus(not_loaded);
  EXPECT_EQ(out.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(out.error_message(), not_loaded.message());
  // With a server context (the detail goes to its trailing metadata) the status is
  // the same.
  grpc::CallbackServerContext context;
  grpc::Status with_context = ToGrpcStatus(not_loaded, &context, "10.0.0.7:50051");
  EXPECT_EQ(with_context.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(with_context.error_message(), not_loaded.message());
}

// The detail rides on the status payload, not on the text: the same code and message
// without it is a plain error, and so is every other status.
TEST(StatusMappingTest, OtherStatusesCarryNoDetail) {
  absl::Status not_loaded = engine::ProgramNotLoadedError(kProgram);
  EXPECT_FALSE(ErrorDetailFor(absl::Status(not_loaded.code(), not_loaded.message()), "r"));
  EXPECT_FALSE(ErrorDetailFor(absl::NotFoundError("session not found"), "r"));
  EXPECT_FALSE(ErrorDetailFor(absl::OkStatus(), "r"));
}

}  // namespace
}  // namespace jscore::daemon
