// In-process tests of daemon/timeout_message.h: a timeout names the limit that applied.
#include "daemon/timeout_message.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jscore::daemon {
namespace {

DeadlineOrigin Origin(absl::Duration requested, absl::Duration grpc_left) {
  absl::Time start = absl::FromUnixSeconds(1000);
  return {requested,
          grpc_left == absl::InfiniteDuration() ? absl::InfiniteFuture() : start + grpc_left,
          start};
}

TEST(TimeoutMessageTest, NamesTheLimitThatApplied) {
  DaemonConfig config;
  config.default_timeout = absl::Seconds(5);
  config.max_timeout = absl::Seconds(60);
  const absl::Duration none = absl::InfiniteDuration();
  EXPECT_EQ(DeadlineLimitText(Origin(absl::Seconds(3600), none), config),
            "timed out after 60 s (--max_timeout caps the requested 3600 s)");
  EXPECT_EQ(DeadlineLimitText(Origin(absl::Milliseconds(250), none), config),
            "timed out after 0.25 s (the request's timeout)");
  EXPECT_EQ(DeadlineLimitText(Origin(absl::ZeroDuration(), none), config),
            "timed out after 5 s (--default_timeout; the request set no timeout)");
  EXPECT_EQ(DeadlineLimitText(Origin(absl::Seconds(10), absl::Milliseconds(1500)), config),
            "timed out after 1.5 s (the call's gRPC deadline, shorter than its timeout of 10 s)");
  config.default_timeout = config.max_timeout = absl::Seconds(2);
  EXPECT_EQ(DeadlineLimitText(Origin(absl::ZeroDuration(), absl::Seconds(1)), config),
            "timed out after 1 s (the call's gRPC deadline, shorter than its --default_timeout "
            "of 2 s)");
}

TEST(TimeoutMessageTest, OnlyDeadlineExceededIsRenamed) {
  DaemonConfig config;
  DeadlineOrigin origin = Origin(absl::Seconds(1), absl::InfiniteDuration());
  absl::Status timed_out = NameTimeoutLimit(
      absl::DeadlineExceededError("the script ran past its deadline"), origin, config);
  EXPECT_TRUE(absl::IsDeadlineExceeded(timed_out));
  EXPECT_EQ(timed_out.message(),
            "the script ran past its deadline: timed out after 1 s (the request's timeout)");
  absl::Status other = NameTimeoutLimit(absl::ResourceExhaustedError("queue full"), origin, config);
  EXPECT_EQ(other, absl::ResourceExhaustedError("queue full"));
  EXPECT_TRUE(NameTimeoutLimit(absl::OkStatus(), origin, config).ok());
}

}  // namespace
}  // namespace jscore::daemon
