#include "daemon/timeout_message.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"

namespace jscore::daemon {
namespace {

// "60 s", "0.25 s", "1.5 s": seconds with at most three decimals.
std::string Seconds(absl::Duration d) {
  std::string text = absl::StrFormat("%.3f", absl::ToDoubleSeconds(d));
  absl::string_view trimmed = absl::StripSuffix(text, ".000");
  if (trimmed.size() != text.size()) return absl::StrCat(trimmed, " s");
  while (!text.empty() && text.back() == '0') text.pop_back();
  return absl::StrCat(text, " s");
}

}  // namespace

DeadlineOrigin OriginOf(const google::protobuf::Duration& timeout, absl::Time grpc_deadline,
                        absl::Time start) {
  return {absl::Seconds(timeout.seconds()) + absl::Nanoseconds(timeout.nanos()), grpc_deadline,
          start};
}

std::string DeadlineLimitText(const DeadlineOrigin& origin, const DaemonConfig& config) {
  const bool requested = origin.requested > absl::ZeroDuration();
  const absl::Duration wanted = requested ? origin.requested : config.default_timeout;
  const absl::Duration capped = std::min(wanted, config.max_timeout);
  const absl::Duration grpc_left = origin.grpc_deadline - origin.start;
  if (grpc_left < capped) {
    return absl::StrCat("timed out after ", Seconds(grpc_left),
                        " (the call's gRPC deadline, shorter than its ",
                        requested ? "timeout of " : "--default_timeout of ", Seconds(capped), ")");
  }
  if (wanted > config.max_timeout) {
    return absl::StrCat("timed out after ", Seconds(config.max_timeout),
                        " (--max_timeout caps the ",
                        requested ? "requested " : "--default_timeout of ", Seconds(wanted), ")");
  }
  if (!requested) {
    return absl::StrCat("timed out after ", Seconds(wanted),
                        " (--default_timeout; the request set no timeout)");
  }
  return absl::StrCat("timed out after ", Seconds(wanted), " (the request's timeout)");
}

absl::Status NameTimeoutLimit(absl::Status status, const DeadlineOrigin& origin,
                              const DaemonConfig& config) {
  if (!absl::IsDeadlineExceeded(status)) return status;
  return absl::DeadlineExceededError(
      absl::StrCat(status.message(), ": ", DeadlineLimitText(origin, config)));
}

}  // namespace jscore::daemon
