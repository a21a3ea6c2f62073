// What every jscore RPC handler shares at its start (the deadline gRPC gives it) and
// at its end (the log line for a slow request or a limit hit).
#ifndef JSCORE_DAEMON_RPC_SUPPORT_H_
#define JSCORE_DAEMON_RPC_SUPPORT_H_

#include "absl/time/time.h"
#include "daemon/metrics.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/status.h"

namespace jscore::daemon {

// The call's gRPC deadline (InfiniteFuture when the client set none).
absl::Time GrpcDeadline(const grpc::CallbackServerContext& context);

// Logs the request if it was slower than `slow` or hit a limit (deadline, resources).
void NoteRequest(Method method, const grpc::Status& status, absl::Duration took,
                 absl::Duration slow);

}  // namespace jscore::daemon

#endif  // JSCORE_DAEMON_RPC_SUPPORT_H_
