// DaemonConfig: everything jscored is told at start (from flags), as plain data.
#ifndef JSCORE_DAEMON_CONFIG_H_
#define JSCORE_DAEMON_CONFIG_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "daemon/security.h"
#include "engine/pool.h"

namespace jscore::daemon {

struct DaemonConfig {
  std::string listen = "127.0.0.1:50051";
  engine::PoolOptions pool;
  absl::Duration default_timeout = absl::Seconds(5);
  absl::Duration max_timeout = absl::Seconds(60);
  absl::Duration shutdown_grace = absl::Seconds(10);
  size_t max_message_bytes = 64 << 20;
  size_t max_source_bytes = 16 << 20;
  size_t max_globals = 10000;
  int batch_window = 256;               // unanswered items per Batch stream before reading pauses
  size_t batch_buffer_bytes = 4 << 20;  // result bytes a Batch stream holds unread
  int max_batch_streams = 64;           // Batch streams open in the daemon
  int max_batch_streams_per_connection = 8;
  int v8_background_threads = 1;
  SecurityConfig security;
  std::string advertise_address;                   // empty: derived from the bound --listen address
  std::string metrics_listen;                      // empty: no metrics endpoint
  absl::Duration slow_request = absl::Seconds(1);  // log requests slower than this
};

// Reads the parsed absl flags (daemon/config.cc defines them) and checks them.
absl::StatusOr<DaemonConfig> ConfigFromFlags();

}  // namespace jscore::daemon

#endif  // JSCORE_DAEMON_CONFIG_H_
