// Transport security and caller authentication: TLS / mutual TLS credentials, the
// bearer token check (one shared token and/or named callers' tokens), who a call's
// caller is, and the rule against serving a network address unprotected.
#ifndef JSCORE_DAEMON_SECURITY_H_
#define JSCORE_DAEMON_SECURITY_H_

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/security/auth_context.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_interceptor.h"
#include "grpcpp/support/string_ref.h"

namespace jscore::daemon {

struct SecurityConfig {
  std::string tls_cert_file;       // PEM certificate chain; with tls_key_file enables TLS
  std::string tls_key_file;        // PEM private key
  std::string tls_client_ca_file;  // PEM CAs; when set, clients must present a cert it signed
  std::string auth_token_file;     // a bearer token (first line); when set, required
  std::string auth_callers_file;   // `name:token` lines: named callers, each its own state
  bool insecure_listen = false;    // allow a non-loopback address without TLS or token

  bool has_token() const { return !auth_token_file.empty() || !auth_callers_file.empty(); }
};

// True for 127.0.0.0/8, ::1, localhost and unix sockets.
bool IsLoopbackListen(absl::string_view listen);

// Refuses a non-loopback --listen with neither TLS nor a token, unless insecure_listen.
absl::Status CheckListenPolicy(absl::string_view listen, const SecurityConfig& security);

// The metrics endpoint (plain HTTP) on a non-loopback address needs a token (it then
// asks for one: MetricsAuthorized) or --insecure_listen.
absl::Status CheckMetricsListenPolicy(absl::string_view metrics_listen,
                                      const SecurityConfig& security);

// Insecure credentials, or TLS (optionally requiring verified client certificates).
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const SecurityConfig& security);

// Checks `authorization: Bearer <token>` on jscore's RPCs and on server reflection
// (the health check is exempt: it is gRPC's own service), and names the caller.
//
// Who the caller is (the owner of the programs and sessions it makes, see
// engine::JobSpec::owner): the name of its token in --auth_callers_file; else, with
// mutual TLS, "cert:" and its certificate's identity (the first subject alternative
// name, or the subject CN); else "" (the unnamed caller: no token, or the one
// --auth_token_file token). Calls with the same caller share programs and sessions.
// Immutable after Load; any thread may call it.
class TokenAuthenticator {
 public:
  using Metadata = std::multimap<grpc::string_ref, grpc::string_ref>;

  // No token file: every call is allowed.
  static absl::StatusOr<std::unique_ptr<TokenAuthenticator>> Load(const SecurityConfig& security);

  // The caller's name, or UNAUTHENTICATED (missing or wrong token). Constant time in
  // the token; every configured token is compared.
  absl::StatusOr<std::string> Authenticate(const Metadata& metadata,
                                           const grpc::AuthContext* peer) const;
  absl::StatusOr<std::string> Authenticate(const grpc::CallbackServerContext& context) const;
  // Authenticate, without the name.
  absl::Status Check(const grpc::CallbackServerContext& context) const;

  bool requires_token() const { return !tokens_.empty(); }

 private:
  struct Token {
    std::array<unsigned char, 32> digest;  // SHA-256 of the token
    std::string caller;                    // "" for --auth_token_file's
  };
  TokenAuthenticator() = default;
  std::vector<Token> tokens_;
  bool callers_by_certificate_ = false;  // --tls_client_ca: certificates name callers
};

// A server interceptor factory that refuses server reflection calls that fail
// `auth` (UNAUTHENTICATED), before the reflection service reads or answers anything.
// `auth` must outlive the server.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> MakeReflectionGuard(
    const TokenAuthenticator& auth);

}  // namespace jscore::daemon

#endif  // JSCORE_DAEMON_SECURITY_H_
