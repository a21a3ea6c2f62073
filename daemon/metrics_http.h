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
// calls `render` (and `authorize`) there for each scrape (they must be thread-safe).
class MetricsHttpServer {
 public:
  // Given the request's Authorization header (null when absent): may it scrape?
  using Authorize = std::function<bool(const char* authorization)>;
  struct Handlers {
    std::function<std::string()> render;
    Authorize authorize;  // null: every scrape is allowed
  };

  // `listen` is "HOST:PORT" with an IPv4 host (or localhost); port 0 picks one. With
  // `authorize`, a request it refuses gets 401.
  static absl::StatusOr<std::unique_ptr<MetricsHttpServer>> Start(
      const std::string& listen, std::function<std::string()> render,
      Authorize authorize = nullptr);
  ~MetricsHttpServer();

  const std::string& address() const { return address_; }

 private:
  MetricsHttpServer() = default;
  Handlers handlers_;
  MHD_Daemon* daemon_ = nullptr;
  std::string address_;
};

}  // namespace jscore::daemon

#endif  // JSCORE_DAEMON_METRICS_HTTP_H_
