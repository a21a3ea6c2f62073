#include "daemon/rpc_support.h"

#include <chrono>
#include <string>

#include "absl/strings/str_cat.h"
#include "daemon/log.h"

namespace jscore::daemon {

absl::Time GrpcDeadline(const grpc::CallbackServerContext& context) {
  auto deadline = context.deadline();
  if (deadline == std::chrono::system_clock::time_point::max()) return absl::InfiniteFuture();
  return absl::FromChrono(deadline);
}

void NoteRequest(Method method, const grpc::Status& status, absl::Duration took,
                 absl::Duration slow) {
  grpc::StatusCode code = status.error_code();
  if (code == grpc::StatusCode::DEADLINE_EXCEEDED || code == grpc::StatusCode::RESOURCE_EXHAUSTED) {
    Log(LogLevel::kWarn, "limit_hit",
        {{"method", MethodName(method)},
         {"code", StatusCodeName(code)},
         {"ms", absl::ToInt64Milliseconds(took)},
         {"message", status.error_message()}});
  } else if (took >= slow) {
    Log(LogLevel::kInfo, "slow_request",
        {{"method", MethodName(method)},
         {"code", StatusCodeName(code)},
         {"ms", absl::ToInt64Milliseconds(took)}});
  }
}

}  // namespace jscore::daemon
