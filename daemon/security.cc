#include "daemon/security.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "grpcpp/security/server_credentials.h"

namespace jscore::daemon {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("cannot read ", what, " ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (buffer.str().empty()) return absl::InvalidArgumentError(absl::StrCat(what, " ", path, " is empty"));
  return buffer.str();
}

std::array<unsigned char, 32> Sha256(absl::string_view data) {
  std::array<unsigned char, 32> digest{};
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr);
  return digest;
}

}  // namespace

bool IsLoopbackListen(absl::string_view listen) {
  if (absl::StartsWith(listen, "unix:") || absl::StartsWith(listen, "unix-abstract:")) return true;
  absl::string_view host = listen;
  size_t colon = host.rfind(':');
  if (colon != absl::string_view::npos) host = host.substr(0, colon);
  host = absl::StripPrefix(absl::StripSuffix(host, "]"), "[");
  return host == "localhost" || host == "::1" || absl::StartsWith(host, "127.");
}

absl::Status CheckListenPolicy(absl::string_view listen, const SecurityConfig& security) {
  bool protected_ = !security.tls_cert_file.empty() || !security.auth_token_file.empty();
  if (IsLoopbackListen(listen) || protected_ || security.insecure_listen) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "refusing to serve ", listen, " (not loopback) with neither TLS (--tls_cert/--tls_key) nor "
      "a token (--auth_token_file); pass --insecure_listen to do it anyway"));
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const SecurityConfig& security) {
  if (security.tls_cert_file.empty() != security.tls_key_file.empty()) {
    return absl::InvalidArgumentError("--tls_cert and --tls_key go together");
  }
  if (security.tls_cert_file.empty()) {
    if (!security.tls_client_ca_file.empty()) {
      return absl::InvalidArgumentError("--tls_client_ca needs --tls_cert and --tls_key");
    }
    return grpc::InsecureServerCredentials();
  }
  grpc::SslServerCredentialsOptions options;
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  auto cert = ReadPem(security.tls_cert_file, "certificate");
  if (!cert.ok()) return cert.status();
  auto key = ReadPem(security.tls_key_file, "private key");
  if (!key.ok()) return key.status();
  pair.cert_chain = *cert;
  pair.private_key = *key;
  options.pem_key_cert_pairs.push_back(pair);
  if (!security.tls_client_ca_file.empty()) {
    auto ca = ReadPem(security.tls_client_ca_file, "client CA");
    if (!ca.ok()) return ca.status();
    options.pem_root_certs = *ca;
    options.client_certificate_request =
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(options);
}

absl::StatusOr<std::unique_ptr<TokenAuthenticator>> TokenAuthenticator::Load(
    const SecurityConfig& security) {
  auto auth = std::unique_ptr<TokenAuthenticator>(new TokenAuthenticator());
  if (security.auth_token_file.empty()) return auth;
  std::ifstream in(security.auth_token_file);
  if (!in) return absl::InvalidArgumentError("cannot read --auth_token_file " + security.auth_token_file);
  std::string token;
  std::getline(in, token);
  absl::StripAsciiWhitespace(&token);
  if (token.size() < 16) {
    return absl::InvalidArgumentError("the auth token must be at least 16 characters");
  }
  auth->token_digest_ = Sha256(token);
  return auth;
}

absl::Status TokenAuthenticator::Check(const grpc::CallbackServerContext& context) const {
  if (!token_digest_) return absl::OkStatus();
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) {
    return absl::UnauthenticatedError("missing authorization: Bearer <token>");
  }
  absl::string_view value(it->second.data(), it->second.size());
  if (!absl::ConsumePrefix(&value, "Bearer ")) {
    return absl::UnauthenticatedError("authorization must be: Bearer <token>");
  }
  // Comparing digests keeps the time independent of where the tokens differ and of
  // their lengths.
  std::array<unsigned char, 32> given = Sha256(value);
  if (CRYPTO_memcmp(given.data(), token_digest_->data(), given.size()) != 0) {
    return absl::UnauthenticatedError("wrong token");
  }
  return absl::OkStatus();
}

}  // namespace jscore::daemon
