// Server: the gRPC server around a Pool (service, health, reflection, shutdown).
#ifndef JSCORE_DAEMON_SERVER_H_
#define JSCORE_DAEMON_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "daemon/config.h"
#include "daemon/rpc_support.h"
#include "daemon/stream_limits.h"
#include "engine/platform.h"
#include "engine/pool.h"

namespace grpc {
class Server;
}

namespace jscore::daemon {

class JsCoreService;
class Metrics;
class MetricsHttpServer;
class ReflectionV1Service;
class TokenAuthenticator;

// Created and shut down on the main thread. Owns the Pool and the gRPC server; the
// Platform must outlive it.
class Server {
 public:
  static absl::StatusOr<std::unique_ptr<Server>> Start(const DaemonConfig& config,
                                                       engine::Platform& platform);
  ~Server();

  // "127.0.0.1:50051": the address actually bound (port 0 resolved).
  const std::string& address() const { return address_; }
  // The metrics endpoint's address, or "" when --metrics_listen is off.
  std::string metrics_address() const;

  // Graceful stop: health turns NOT_SERVING, new requests get UNAVAILABLE, requests in
  // flight get up to the configured grace to finish; then everything is torn down.
  void Shutdown();

 private:
  Server(const DaemonConfig& config, std::unique_ptr<engine::Pool> pool,
         std::unique_ptr<TokenAuthenticator> auth);

  const DaemonConfig config_;
  std::unique_ptr<engine::Pool> pool_;
  std::unique_ptr<TokenAuthenticator> auth_;
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<MetricsHttpServer> metrics_http_;
  ReplicaAddress replica_;
  StreamLimits stream_limits_;
  std::unique_ptr<JsCoreService> service_;
  std::unique_ptr<ReflectionV1Service> reflection_v1_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
  int port_ = 0;  // the bound port
  bool shut_down_ = false;
};

}  // namespace jscore::daemon

#endif  // JSCORE_DAEMON_SERVER_H_
