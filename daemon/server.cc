#include "daemon/server.h"

#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "common/status_macros.h"
#include "daemon/connection_sweep.h"
#include "daemon/metrics.h"
#include "daemon/metrics_http.h"
#include "daemon/reflection_v1.h"
#include "daemon/security.h"
#include "daemon/service.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"

namespace jscore::daemon {
namespace {

// --advertise_address, else `listen` itself unless its port is still 0 or its host is
// a wildcard (0.0.0.0, [::]): no client can dial those, so nothing is advertised.
std::string AdvertisedAddress(const DaemonConfig& config, absl::string_view listen) {
  if (!config.advertise_address.empty()) return config.advertise_address;
  size_t colon = listen.rfind(':');
  if (colon == absl::string_view::npos) return std::string();
  absl::string_view host = listen.substr(0, colon);
  absl::string_view port = listen.substr(colon + 1);
  if (port == "0" || host.empty() || host == "0.0.0.0" || host == "[::]" || host == "::" ||
      host == "*") {
    return std::string();
  }
  return std::string(listen);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Server>> Server::Start(const DaemonConfig& config,
                                                      engine::Platform& platform) {
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> credentials,
                   MakeServerCredentials(config.security));
  ASSIGN_OR_RETURN(std::unique_ptr<TokenAuthenticator> auth,
                   TokenAuthenticator::Load(config.security));
  ASSIGN_OR_RETURN(std::unique_ptr<engine::Pool> pool, engine::Pool::Create(platform, config.pool));
  auto server = std::unique_ptr<Server>(new Server(config, std::move(pool), std::move(auth)));

  if (!config.metrics_listen.empty()) {
    Server* self = server.get();
    // Off loopback, a scrape needs a token when the daemon has one (a non-loopback
    // endpoint without one is refused at start, CheckMetricsListenPolicy).
    MetricsHttpServer::Authorize authorize;
    if (!IsLoopbackListen(config.metrics_listen) && server->auth_->requires_token()) {
      authorize = [self](const char* authorization) {
        if (authorization == nullptr) return false;
        TokenAuthenticator::Metadata metadata;
        metadata.emplace("authorization", authorization);
        return self->auth_->Authenticate(metadata, nullptr).ok();
      };
    }
    ASSIGN_OR_RETURN(server->metrics_http_,
                     MetricsHttpServer::Start(
                         config.metrics_listen,
                         [self] { return self->metrics_->RenderPrometheus(self->pool_->Stats()); },
                         std::move(authorize)));
  }
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  // A fixed port is known before binding: requests never see an empty address.
  server->replica_.Set(AdvertisedAddress(config, config.listen));
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(config.listen, credentials, &port);
  builder.SetMaxReceiveMessageSize(static_cast<int>(config.max_message_bytes));
  builder.SetMaxSendMessageSize(static_cast<int>(config.max_message_bytes));
  // A second daemon on a taken port fails here instead of sharing its traffic.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.RegisterService(server->service_.get());
  // Reflection v1 beside the plugin's v1alpha (reflection_v1.h).
  builder.RegisterService(server->reflection_v1_.get());
  // Server reflection asks for the token like jscore's own methods.
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> guards;
  guards.push_back(MakeReflectionGuard(*server->auth_));
  builder.experimental().SetInterceptorCreators(std::move(guards));
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || port == 0) {
    server->pool_->Shutdown(absl::ZeroDuration());
    return absl::UnavailableError(absl::StrCat(
        "could not listen on ", config.listen,
        " (is the address in use, by another jscored perhaps, or not this machine's?)"));
  }
  // Health answers per service too: "" (the server) and jscore.v1.JsCore.
  server->server_->GetHealthCheckService()->SetServingStatus(v1::JsCore::service_full_name(), true);
  absl::string_view host = config.listen;
  size_t colon = host.rfind(':');
  server->address_ = absl::StrCat(host.substr(0, colon), ":", port);
  server->port_ = port;
  server->replica_.Set(AdvertisedAddress(config, server->address_));
  return server;
}

Server::Server(const DaemonConfig& config, std::unique_ptr<engine::Pool> pool,
               std::unique_ptr<TokenAuthenticator> auth)
    : config_(config),
      pool_(std::move(pool)),
      auth_(std::move(auth)),
      metrics_(std::make_unique<Metrics>()),
      stream_limits_(config.max_batch_streams, config.max_batch_streams_per_connection),
      service_(std::make_unique<JsCoreService>(*pool_, config_, *auth_, *metrics_, replica_,
                                               stream_limits_)),
      reflection_v1_(std::make_unique<ReflectionV1Service>(std::vector<std::string>{
          v1::JsCore::service_full_name(), "grpc.health.v1.Health",
          "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"})) {}

std::string Server::metrics_address() const {
  return metrics_http_ != nullptr ? metrics_http_->address() : std::string();
}

Server::~Server() { Shutdown(); }

void Server::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  if (server_ != nullptr) {
    server_->GetHealthCheckService()->SetServingStatus(false);
  }
  // Jobs in flight finish (or are failed with UNAVAILABLE after the grace); every
  // accepted RPC has then been finished by its worker, so the server stops promptly.
  // Meanwhile new calls are answered UNAVAILABLE by the handlers (the pool refuses).
  pool_->Shutdown(config_.shutdown_grace);
  if (server_ != nullptr && !absl::StartsWith(config_.listen, "unix")) {
    // gRPC's Shutdown cancels every call that reaches it after it began (the client
    // sees CANCELLED, which retry policies do not retry) until clients have seen its
    // GOAWAY. So the connections end first: the answers already given are flushed
    // (a short pause), then no new connection is accepted and the open ones are shut
    // down, which clients see as UNAVAILABLE on any call still on its way.
    absl::SleepFor(absl::Milliseconds(100));
    ShutDownSocketsOnPort(port_);
  }
  if (server_ != nullptr) {
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
    server_->Wait();
  }
  metrics_http_.reset();
}

}  // namespace jscore::daemon
