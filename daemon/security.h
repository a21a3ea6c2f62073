// Transport security and caller authentication: TLS / mutual TLS credentials, the
// bearer token check, and the rule against serving a network address unprotected.
#ifndef JSCORE_DAEMON_SECURITY_H_
#define JSCORE_DAEMON_SECURITY_H_

#include <array>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_context.h"

namespace jscore::daemon {

struct SecurityConfig {
  std::string tls_cert_file;       // PEM certificate chain; with tls_key_file enables TLS
  std::string tls_key_file;        // PEM private key
  std::string tls_client_ca_file;  // PEM CAs; when set, clients must present a cert it signed
  std::string auth_token_file;     // a bearer token (first line); when set, required
  bool insecure_listen = false;    // allow a non-loopback address without TLS or token
};

// True for 127.0.0.0/8, ::1, localhost and unix sockets.
bool IsLoopbackListen(absl::string_view listen);

// Refuses a non-loopback --listen with neither TLS nor a token, unless insecure_listen.
absl::Status CheckListenPolicy(absl::string_view listen, const SecurityConfig& security);

// Insecure credentials, or TLS (optionally requiring verified client certificates).
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const SecurityConfig& security);

// Checks `authorization: Bearer <token>` on jscore's RPCs (the health check is
// exempt: it is gRPC's own service). Immutable after Load; any thread may call Check.
class TokenAuthenticator {
 public:
  // No token file: every call is allowed.
  static absl::StatusOr<std::unique_ptr<TokenAuthenticator>> Load(const SecurityConfig& security);

  // OK, or UNAUTHENTICATED (missing or wrong token). Constant time in the token.
  absl::Status Check(const grpc::CallbackServerContext& context) const;

 private:
  TokenAuthenticator() = default;
  std::optional<std::array<unsigned char, 32>> token_digest_;  // SHA-256 of the token
};

}  // namespace jscore::daemon

#endif  // JSCORE_DAEMON_SECURITY_H_
