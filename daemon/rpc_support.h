// What every jscore RPC handler shares at its start (the deadline gRPC gives it) and
// at its end (the log line for a slow request or a limit hit).
#ifndef JSCORE_DAEMON_RPC_SUPPORT_H_
#define JSCORE_DAEMON_RPC_SUPPORT_H_

#include <string>

#include "absl/base/thread_annotations.h"
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

// Logs the request if it was slower than `slow` or hit a limit (deadline, resources).
void NoteRequest(Method method, const grpc::Status& status, absl::Duration took,
                 absl::Duration slow);

}  // namespace jscore::daemon

#endif  // JSCORE_DAEMON_RPC_SUPPORT_H_
