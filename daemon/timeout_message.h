// TimeoutMessage: a DEADLINE_EXCEEDED answer names the limit that applied (the
// request's timeout, --default_timeout, --max_timeout's cap, or the gRPC deadline).
#ifndef JSCORE_DAEMON_TIMEOUT_MESSAGE_H_
#define JSCORE_DAEMON_TIMEOUT_MESSAGE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "daemon/config.h"
#include "google/protobuf/duration.pb.h"

namespace jscore::daemon {

// What a request's deadline was made of (see DeadlineFor), kept by its handler so
// that the text is built only when a timeout happens. Plain data; any thread.
struct DeadlineOrigin {
  absl::Duration requested;  // the request's timeout; zero when it set none
  absl::Time grpc_deadline;  // InfiniteFuture when the client set none
  absl::Time start;          // when the deadline was computed
};

DeadlineOrigin OriginOf(const google::protobuf::Duration& timeout, absl::Time grpc_deadline,
                        absl::Time start);

// "timed out after 60 s (--max_timeout caps the requested 3600 s)" and the like.
std::string DeadlineLimitText(const DeadlineOrigin& origin, const DaemonConfig& config);

// `status` unchanged unless it is DEADLINE_EXCEEDED; then its message ends with the
// limit that applied: "...: timed out after 2 s (the request's timeout)".
absl::Status NameTimeoutLimit(absl::Status status, const DeadlineOrigin& origin,
                              const DaemonConfig& config);

}  // namespace jscore::daemon

#endif  // JSCORE_DAEMON_TIMEOUT_MESSAGE_H_
