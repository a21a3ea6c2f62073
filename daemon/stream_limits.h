// StreamLimits: how many Batch streams are open, in the whole daemon and per client
// connection (--max_batch_streams, --max_batch_streams_per_connection).
#ifndef JSCORE_DAEMON_STREAM_LIMITS_H_
#define JSCORE_DAEMON_STREAM_LIMITS_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace jscore::daemon {

// Owned by the Server, shared by every Batch stream; any thread may call it. A
// connection is named by its peer address (gRPC's "ipv4:10.0.0.7:51234"), which names
// one TCP connection while it is open.
class StreamLimits {
 public:
  StreamLimits(int per_daemon, int per_connection)
      : per_daemon_(per_daemon), per_connection_(per_connection) {}

  // Counts a new stream on `connection`, or RESOURCE_EXHAUSTED (nothing counted).
  absl::Status Open(const std::string& connection) ABSL_LOCKS_EXCLUDED(mu_);
  // Forgets a stream that Open counted.
  void Close(const std::string& connection) ABSL_LOCKS_EXCLUDED(mu_);

  int open() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  const int per_daemon_;
  const int per_connection_;
  mutable absl::Mutex mu_;
  int open_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_map<std::string, int> per_peer_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jscore::daemon

#endif  // JSCORE_DAEMON_STREAM_LIMITS_H_
