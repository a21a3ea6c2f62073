#include "daemon/security.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "grpc/grpc.h"
#include "grpcpp/security/server_credentials.h"

namespace jscore::daemon {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("cannot read ", what, " ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (buffer.str().empty())
    return absl::InvalidArgumentError(absl::StrCat(what, " ", path, " is empty"));
  return buffer.str();
}

std::array<unsigned char, 32> Sha256(absl::string_view data) {
  std::array<unsigned char, 32> digest{};
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr);
  return digest;
}

constexpr size_t kMinTokenChars = 16;
constexpr size_t kMaxCallerNameChars = 64;

bool IsCallerName(absl::string_view name) {
  if (name.empty() || name.size() > kMaxCallerNameChars) return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(c) && c != '.' && c != '_' && c != '-' && c != '@') return false;
  }
  return true;
}

// --auth_callers_file: `name:token` lines; blank lines and `#` comments are skipped.
absl::Status ReadCallers(const std::string& path,
                         std::vector<std::pair<std::string, std::string>>* out) {
  std::ifstream in(path);
  if (!in) return absl::InvalidArgumentError("cannot read --auth_callers_file " + path);
  std::string line;
  int number = 0;
  std::set<std::string> names;
  while (std::getline(in, line)) {
    number++;
    absl::string_view text = absl::StripAsciiWhitespace(line);
    if (text.empty() || text[0] == '#') continue;
    size_t colon = text.find(':');
    std::string where = absl::StrCat("--auth_callers_file line ", number);
    if (colon == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": expected name:token"));
    }
    std::string name(absl::StripAsciiWhitespace(text.substr(0, colon)));
    std::string token(absl::StripAsciiWhitespace(text.substr(colon + 1)));
    if (!IsCallerName(name)) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": a caller name is 1-64 letters, digits or . _ - @"));
    }
    if (token.size() < kMinTokenChars) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": the token must be at least 16 characters"));
    }
    if (!names.insert(name).second) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": caller ", name, " appears twice"));
    }
    out->emplace_back(std::move(name), std::move(token));
  }
  if (out->empty())
    return absl::InvalidArgumentError("--auth_callers_file " + path + " names no caller");
  return absl::OkStatus();
}

std::string Hex(const std::array<unsigned char, 32>& digest) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : digest) {
    hex.push_back(kDigits[b >> 4]);
    hex.push_back(kDigits[b & 15]);
  }
  return hex;
}

// The verified client certificate's identity: its first subject alternative name,
// else its subject CN, else a digest of the certificate; "" without a verified peer.
std::string CertificateCaller(const grpc::AuthContext* peer) {
  if (peer == nullptr || !peer->IsPeerAuthenticated()) return std::string();
  std::vector<grpc::string_ref> identity = peer->GetPeerIdentity();
  if (!identity.empty() && !identity.front().empty()) {
    return absl::StrCat("cert:",
                        absl::string_view(identity.front().data(), identity.front().size()));
  }
  std::vector<grpc::string_ref> pem = peer->FindPropertyValues(GRPC_X509_PEM_CERT_PROPERTY_NAME);
  if (pem.empty()) return std::string();
  return absl::StrCat("cert-sha256:",
                      Hex(Sha256(absl::string_view(pem.front().data(), pem.front().size()))));
}

// Refuses a reflection call that fails the token check, before the reflection
// service sees its first message: the call ends UNAUTHENTICATED.
class ReflectionGuard final : public grpc::experimental::Interceptor {
 public:
  ReflectionGuard(grpc::experimental::ServerRpcInfo* info, const TokenAuthenticator& auth)
      : info_(info), auth_(auth) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      grpc::ServerContextBase* context = info_->server_context();
      absl::StatusOr<std::string> caller =
          auth_.Authenticate(*methods->GetRecvInitialMetadata(), context->auth_context().get());
      if (!caller.ok()) {
        std::string message(caller.status().message());
        grpc_call_cancel_with_status(context->c_call(), GRPC_STATUS_UNAUTHENTICATED,
                                     message.c_str(), nullptr);
      }
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* info_;
  const TokenAuthenticator& auth_;
};

class ReflectionGuardFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit ReflectionGuardFactory(const TokenAuthenticator& auth) : auth_(auth) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    if (!auth_.requires_token() || info->method() == nullptr ||
        !absl::StartsWith(info->method(), "/grpc.reflection.")) {
      return nullptr;
    }
    return new ReflectionGuard(info, auth_);
  }

 private:
  const TokenAuthenticator& auth_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> MakeReflectionGuard(
    const TokenAuthenticator& auth) {
  return std::make_unique<ReflectionGuardFactory>(auth);
}

bool IsLoopbackListen(absl::string_view listen) {
  if (absl::StartsWith(listen, "unix:") || absl::StartsWith(listen, "unix-abstract:")) return true;
  absl::string_view host = listen;
  size_t colon = host.rfind(':');
  if (colon != absl::string_view::npos) host = host.substr(0, colon);
  host = absl::StripPrefix(absl::StripSuffix(host, "]"), "[");
  return host == "localhost" || host == "::1" || absl::StartsWith(host, "127.");
}

absl::Status CheckListenPolicy(absl::string_view listen, const SecurityConfig& security) {
  bool protected_ = !security.tls_cert_file.empty() || security.has_token();
  if (IsLoopbackListen(listen) || protected_ || security.insecure_listen) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "refusing to serve ", listen,
      " (not loopback) with neither TLS (--tls_cert/--tls_key) nor "
      "a token (--auth_token_file, --auth_callers_file); pass --insecure_listen to do it anyway"));
}

absl::Status CheckMetricsListenPolicy(absl::string_view metrics_listen,
                                      const SecurityConfig& security) {
  if (metrics_listen.empty() || IsLoopbackListen(metrics_listen) || security.has_token() ||
      security.insecure_listen) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "refusing to serve metrics on ", metrics_listen,
      " (not loopback) without a token "
      "(--auth_token_file or --auth_callers_file: scrapers then send one as a bearer token); "
      "pass --insecure_listen to do it anyway"));
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
    options.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(options);
}

absl::StatusOr<std::unique_ptr<TokenAuthenticator>> TokenAuthenticator::Load(
    const SecurityConfig& security) {
  auto auth = std::unique_ptr<TokenAuthenticator>(new TokenAuthenticator());
  auth->callers_by_certificate_ = !security.tls_client_ca_file.empty();
  std::set<std::array<unsigned char, 32>> seen;
  if (!security.auth_token_file.empty()) {
    std::ifstream in(security.auth_token_file);
    if (!in)
      return absl::InvalidArgumentError("cannot read --auth_token_file " +
                                        security.auth_token_file);
    std::string token;
    std::getline(in, token);
    absl::StripAsciiWhitespace(&token);
    if (token.size() < kMinTokenChars) {
      return absl::InvalidArgumentError("the auth token must be at least 16 characters");
    }
    auth->tokens_.push_back(Token{Sha256(token), ""});
    seen.insert(auth->tokens_.back().digest);
  }
  if (!security.auth_callers_file.empty()) {
    std::vector<std::pair<std::string, std::string>> callers;
    if (absl::Status s = ReadCallers(security.auth_callers_file, &callers); !s.ok()) return s;
    for (auto& [name, token] : callers) {
      auth->tokens_.push_back(Token{Sha256(token), name});
      if (!seen.insert(auth->tokens_.back().digest).second) {
        return absl::InvalidArgumentError(absl::StrCat(
            "caller ", name, "'s token is also another caller's (or --auth_token_file's)"));
      }
    }
  }
  return auth;
}

absl::StatusOr<std::string> TokenAuthenticator::Authenticate(const Metadata& metadata,
                                                             const grpc::AuthContext* peer) const {
  std::string by_certificate = callers_by_certificate_ ? CertificateCaller(peer) : std::string();
  if (tokens_.empty()) return by_certificate;
  auto it = metadata.find("authorization");
  if (it == metadata.end()) {
    return absl::UnauthenticatedError("missing authorization: Bearer <token>");
  }
  absl::string_view value(it->second.data(), it->second.size());
  if (!absl::ConsumePrefix(&value, "Bearer ")) {
    return absl::UnauthenticatedError("authorization must be: Bearer <token>");
  }
  // Comparing digests keeps the time independent of where the tokens differ and of
  // their lengths; every token is compared, so the time does not say which matched.
  std::array<unsigned char, 32> given = Sha256(value);
  const Token* match = nullptr;
  for (const Token& token : tokens_) {
    if (CRYPTO_memcmp(given.data(), token.digest.data(), given.size()) == 0) match = &token;
  }
  if (match == nullptr) return absl::UnauthenticatedError("wrong token");
  return match->caller.empty() ? by_certificate : match->caller;
}

absl::StatusOr<std::string> TokenAuthenticator::Authenticate(
    const grpc::CallbackServerContext& context) const {
  return Authenticate(context.client_metadata(), context.auth_context().get());
}

absl::Status TokenAuthenticator::Check(const grpc::CallbackServerContext& context) const {
  return Authenticate(context).status();
}

}  // namespace jscore::daemon
