#include "daemon/stream_limits.h"

#include "absl/strings/str_cat.h"

namespace jscore::daemon {

absl::Status StreamLimits::Open(const std::string& connection) {
  absl::MutexLock lock(&mu_);
  if (open_ >= per_daemon_) {
    return absl::ResourceExhaustedError(absl::StrCat("too many Batch streams open in the daemon (",
                                                     per_daemon_,
                                                     ", --max_batch_streams); retry later"));
  }
  int& on_connection = per_peer_[connection];
  if (on_connection >= per_connection_) {
    return absl::ResourceExhaustedError(
        absl::StrCat("too many Batch streams open on this connection (", per_connection_,
                     ", --max_batch_streams_per_connection)"));
  }
  on_connection++;
  open_++;
  return absl::OkStatus();
}

void StreamLimits::Close(const std::string& connection) {
  absl::MutexLock lock(&mu_);
  auto it = per_peer_.find(connection);
  if (it == per_peer_.end()) return;
  if (--it->second <= 0) per_peer_.erase(it);
  open_--;
}

int StreamLimits::open() const {
  absl::MutexLock lock(&mu_);
  return open_;
}

}  // namespace jscore::daemon
