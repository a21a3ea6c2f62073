// MetricsHttpServer: GET /metrics over HTTP (GNU libmicrohttpd), for Prometheus.
#ifndef JSCORE_DAEMON_METRICS_HTTP_H_
#define JSCORE_DAEMON_METRICS_HTTP_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

struct MHD_Daemon;

namespace jscore::daemon {

// Started and stopped on the main thread; libmicrohttpd serves on its own thread and
// calls `render` there for each scrape (it must be thread-safe).
class MetricsHttpServer {
 public:
  // `listen` is "HOST:PORT" with an IPv4 host (or localhost); port 0 picks one.
  static absl::StatusOr<std::unique_ptr<MetricsHttpServer>> Start(
      const std::string& listen, std::function<std::string()> render);
  ~MetricsHttpServer();

  const std::string& address() const { return address_; }

 private:
  MetricsHttpServer() = default;
  std::function<std::string()> render_;
  MHD_Daemon* daemon_ = nullptr;
  std::string address_;
};

}  // namespace jscore::daemon

#endif  // JSCORE_DAEMON_METRICS_HTTP_H_
