// What every jscore RPC handler shares at its start (the deadline gRPC gives it, its
// request id) and at its end (the log line for a slow request or a limit hit).
#ifndef JSCORE_DAEMON_RPC_SUPPORT_H_
#define JSCORE_DAEMON_RPC_SUPPORT_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "daemon/metrics.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/status.h"

namespace jscore::daemon {

// Where clients reach this replica (--advertise_address, or the bound --listen
// address): returned with sessions and with PROGRAM_NOT_LOADED details, so that a
// client balancing over several replicas can go back to this one. Set once the port
// is known (port 0 is resolved by binding); read from any thread.
class ReplicaAddress {
 public:
  void Set(std::string address) {
    absl::MutexLock lock(&mu_);
    address_ = std::move(address);
  }
  std::string Get() const {
    absl::MutexLock lock(&mu_);
    return address_;
  }

 private:
  mutable absl::Mutex mu_;
  std::string address_ ABSL_GUARDED_BY(mu_);
};

// The call's gRPC deadline (InfiniteFuture when the client set none).
absl::Time GrpcDeadline(const grpc::CallbackServerContext& context);

// Metadata key of a request's id, read from the client's metadata and returned in
// the trailing metadata of every unary call and Batch stream.
inline constexpr char kRequestIdKey[] = "x-request-id";

// Handler thread, before Finish: the request's id (the client's `x-request-id` when
// it is 1 to 128 visible ASCII characters, else 16 hex digits made here, unique in
// this process and unlikely to repeat across processes), also added to the call's
// trailing metadata.
std::string TakeRequestId(grpc::CallbackServerContext& context);

// Logs the request (with its id) if it was slower than `slow` or hit a limit
// (deadline, resources), and at debug level in any case.
void NoteRequest(Method method, const grpc::Status& status, absl::Duration took,
                 absl::Duration slow, absl::string_view request_id);

// The same for one item of a Batch stream: `request_id` is the stream's, `item_id`
// the item's own id.
void NoteBatchItem(grpc::StatusCode code, absl::string_view message, absl::Duration took,
                   absl::Duration slow, absl::string_view request_id, absl::string_view item_id);

}  // namespace jscore::daemon

#endif  // JSCORE_DAEMON_RPC_SUPPORT_H_
