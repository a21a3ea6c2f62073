// TLS, mutual TLS, bearer tokens and the listen policy, against a real jscored.
// The certificates are made here with the openssl command.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "tests/support/daemon_process.h"

namespace jscore::testing {
namespace {

constexpr char kToken[] = "s3cret-token-for-tests-0123456789";

std::string Dir() { return ProcessTempDir(); }
std::string PathOf(const std::string& name) { return absl::StrCat(Dir(), "/", name); }

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by it.
class SecurityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string d = Dir();
    std::string script = absl::StrCat(
        "set -e; cd ", d, "; ",
        "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=jscore-test-ca "
        "-keyout ca.key -out ca.pem 2>/dev/null; ",
        "openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout server.key -out "
        "server.csr 2>/dev/null; ",
        "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost' > san.ext; ",
        "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
        "-extfile san.ext -out server.pem 2>/dev/null; ",
        "openssl req -newkey rsa:2048 -nodes -subj /CN=client -keyout client.key -out client.csr "
        "2>/dev/null; ",
        "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
        "-out client.pem 2>/dev/null; ",
        "printf '%s\\n' '", kToken, "' > token");
    ASSERT_EQ(std::system(script.c_str()), 0) << script;
  }

  static std::shared_ptr<grpc::ChannelCredentials> Tls(bool with_client_cert) {
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = Read(PathOf("ca.pem"));
    if (with_client_cert) {
      options.pem_private_key = Read(PathOf("client.key"));
      options.pem_cert_chain = Read(PathOf("client.pem"));
    }
    return grpc::SslCredentials(options);
  }

  static grpc::Status Eval(v1::JsCore::Stub& stub, const std::string& token,
                           v1::EvaluateResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
    v1::EvaluateRequest request;
    request.set_source("40 + 2");
    return stub.Evaluate(&context, request, response);
  }
};

TEST_F(SecurityTest, TokenIsRequiredExceptForHealth) {
  auto daemon = DaemonProcess::Start({"--workers=1", "--auth_token_file=" + PathOf("token")});
  ASSERT_TRUE(daemon.ok()) << daemon.status();  // readiness used the health check, no token
  auto stub = (*daemon)->NewStub();
  v1::EvaluateResponse response;
  EXPECT_EQ(Eval(*stub, "", &response).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Eval(*stub, "wrong-token-wrong-token", &response).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Eval(*stub, std::string(kToken) + "x", &response).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  grpc::Status ok = Eval(*stub, kToken, &response);
  ASSERT_TRUE(ok.ok()) << ok.error_message();
  EXPECT_EQ(response.value().number_value(), 42);
  // Every method is guarded, streams included.
  grpc::ClientContext stats_context;
  v1::GetStatsResponse stats;
  EXPECT_EQ(stub->GetStats(&stats_context, {}, &stats).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  grpc::ClientContext batch_context;
  auto stream = stub->Batch(&batch_context);
  v1::BatchResponse item;
  EXPECT_FALSE(stream->Read(&item));
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(SecurityTest, TlsServesOnlyTlsClients) {
  ClientOptions tls{Tls(false), "127.0.0.1"};
  auto daemon = DaemonProcess::Start(
      {"--workers=1", "--tls_cert=" + PathOf("server.pem"), "--tls_key=" + PathOf("server.key")},
      absl::Seconds(30), tls);
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  auto stub = (*daemon)->NewStub();
  v1::EvaluateResponse response;
  grpc::Status status = Eval(*stub, "", &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.value().number_value(), 42);
  // A plaintext client cannot talk to it.
  auto plain = v1::JsCore::NewStub(
      grpc::CreateChannel((*daemon)->address(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(3)));
  v1::EvaluateRequest request;
  request.set_source("1");
  EXPECT_FALSE(plain->Evaluate(&context, request, &response).ok());
}

TEST_F(SecurityTest, MutualTlsRequiresAClientCertificate) {
  ClientOptions mtls{Tls(true), "127.0.0.1"};
  auto daemon = DaemonProcess::Start(
      {"--workers=1", "--tls_cert=" + PathOf("server.pem"), "--tls_key=" + PathOf("server.key"),
       "--tls_client_ca=" + PathOf("ca.pem"), "--auth_token_file=" + PathOf("token")},
      absl::Seconds(30), mtls);
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  auto stub = (*daemon)->NewStub();
  v1::EvaluateResponse response;
  EXPECT_TRUE(Eval(*stub, kToken, &response).ok());
  grpc::ChannelArguments args;
  args.SetSslTargetNameOverride("127.0.0.1");
  auto no_cert =
      v1::JsCore::NewStub(grpc::CreateCustomChannel((*daemon)->address(), Tls(false), args));
  EXPECT_FALSE(Eval(*no_cert, kToken, &response).ok());
}

TEST_F(SecurityTest, CliSpeaksTlsWithAToken) {
  ClientOptions tls{Tls(false), "127.0.0.1"};
  auto daemon = DaemonProcess::Start(
      {"--workers=1", "--tls_cert=" + PathOf("server.pem"), "--tls_key=" + PathOf("server.key"),
       "--auth_token_file=" + PathOf("token")},
      absl::Seconds(30), tls);
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  auto cli = [&](const std::string& extra) {
    std::string command = absl::StrCat(
        JSCORE_CLI_PATH, " --target=", (*daemon)->address(), " --tls_ca=", PathOf("ca.pem"),
        " --tls_server_name=127.0.0.1 ", extra, " eval '20 + 22' 2>&1");
    FILE* pipe = popen(command.c_str(), "r");
    std::string out;
    char buf[512];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
    int status = pclose(pipe);
    return std::make_pair(WEXITSTATUS(status), out);
  };
  auto with_token = cli("--token_file=" + PathOf("token"));
  EXPECT_EQ(with_token.first, 0) << with_token.second;
  EXPECT_EQ(with_token.second, "42\n");
  auto without = cli("");
  EXPECT_EQ(without.first, 3);
  EXPECT_THAT(without.second, ::testing::HasSubstr("missing authorization"));
}

TEST_F(SecurityTest, RefusesAnUnprotectedNetworkAddress) {
  std::string command = absl::StrCat(JSCORED_PATH, " --listen=0.0.0.0:0 2>&1");
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buf[512];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  int status = pclose(pipe);
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_THAT(out, ::testing::HasSubstr("refusing to serve 0.0.0.0:0"));
}

TEST_F(SecurityTest, BadSecurityFlagsAreClearErrors) {
  std::string command = absl::StrCat(
      JSCORED_PATH, " --listen=127.0.0.1:0 --tls_cert=", PathOf("server.pem"), " 2>&1");
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buf[512];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  int status = pclose(pipe);
  EXPECT_NE(WEXITSTATUS(status), 0);
  EXPECT_THAT(out, ::testing::HasSubstr("--tls_cert and --tls_key go together"));
}

// One server reflection exchange (list_services) over a generic stub, so that the
// test needs no reflection stubs: the status, and the answer's bytes in `answer`.
grpc::Status ListServices(const std::shared_ptr<grpc::Channel>& channel, const std::string& token,
                          std::string* answer) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue cq;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
  auto call = stub.PrepareCall(
      &context, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq);
  auto step = [&cq](void* tag) {
    void* got = nullptr;
    bool ok = false;
    // Each operation ends by the context's deadline at the latest.
    if (!cq.Next(&got, &ok) || got != tag) return false;
    return ok;
  };
  int tags[5];
  call->StartCall(&tags[0]);
  step(&tags[0]);
  grpc::Slice request(std::string("\x3a\x00", 2));  // field 7 (list_services): ""
  grpc::ByteBuffer message(&request, 1);
  call->Write(message, &tags[1]);
  step(&tags[1]);
  call->WritesDone(&tags[2]);
  step(&tags[2]);
  grpc::ByteBuffer reply;
  call->Read(&reply, &tags[3]);
  if (step(&tags[3])) {
    std::vector<grpc::Slice> slices;
    if (reply.Dump(&slices).ok()) {
      for (const auto& slice : slices) {
        answer->append(reinterpret_cast<const char*>(slice.begin()), slice.size());
      }
    }
  }
  grpc::Status status;
  call->Finish(&status, &tags[4]);
  step(&tags[4]);
  return status;
}

TEST_F(SecurityTest, ReflectionRequiresTheToken) {
  auto daemon = DaemonProcess::Start({"--workers=1", "--auth_token_file=" + PathOf("token")});
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  std::string answer;
  grpc::Status refused = ListServices((*daemon)->NewChannel(), "", &answer);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAUTHENTICATED) << refused.error_message();
  EXPECT_EQ(answer.find("jscore.v1.JsCore"), std::string::npos);
  answer.clear();
  refused = ListServices((*daemon)->NewChannel(), "wrong-token-wrong-token", &answer);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(answer.find("jscore.v1.JsCore"), std::string::npos);
  answer.clear();
  grpc::Status allowed = ListServices((*daemon)->NewChannel(), kToken, &answer);
  EXPECT_TRUE(allowed.ok()) << allowed.error_message();
  EXPECT_NE(answer.find("jscore.v1.JsCore"), std::string::npos);
  EXPECT_EQ((*daemon)->Terminate(), 0);
  // Without a token, reflection is open (as every method is).
  auto open = DaemonProcess::Start({"--workers=1"});
  ASSERT_TRUE(open.ok()) << open.status();
  answer.clear();
  EXPECT_TRUE(ListServices((*open)->NewChannel(), "", &answer).ok());
  EXPECT_NE(answer.find("jscore.v1.JsCore"), std::string::npos);
}

// GET /metrics on 127.0.0.1:PORT with an optional bearer token: the whole response.
std::string Scrape(int port, const std::string& token) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return "";
  }
  std::string request = "GET /metrics HTTP/1.0\r\nHost: x\r\n";
  if (!token.empty()) absl::StrAppend(&request, "Authorization: Bearer ", token, "\r\n");
  request += "\r\n";
  (void)!write(fd, request.data(), request.size());
  std::string response;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) response.append(buf, n);
  close(fd);
  return response;
}

// Runs jscored in the foreground for at most 20 s (a daemon that should have refused
// to start but serves is stopped then, and `exit_code` is timeout's 124).
std::string RunJscored(const std::string& flags, int* exit_code) {
  std::string command = absl::StrCat("timeout 20 ", JSCORED_PATH, " ", flags, " 2>&1");
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buf[512];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  *exit_code = WEXITSTATUS(pclose(pipe));
  return out;
}

TEST_F(SecurityTest, MetricsOffLoopbackNeedAToken) {
  int exit_code = 0;
  std::string out = RunJscored("--listen=127.0.0.1:0 --metrics_listen=0.0.0.0:0", &exit_code);
  EXPECT_EQ(exit_code, 2);
  EXPECT_THAT(out, ::testing::HasSubstr("refusing to serve metrics on 0.0.0.0:0"));
  // With a token, the endpoint serves on every interface and asks scrapers for it.
  auto daemon = DaemonProcess::Start(
      {"--workers=1", "--metrics_listen=0.0.0.0:0", "--auth_token_file=" + PathOf("token")});
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  const std::string& metrics = (*daemon)->metrics_address();
  int port = 0;
  ASSERT_TRUE(absl::SimpleAtoi(metrics.substr(metrics.rfind(':') + 1), &port)) << metrics;
  EXPECT_THAT(Scrape(port, ""), ::testing::HasSubstr("401"));
  EXPECT_THAT(Scrape(port, "wrong-token-wrong-token"), ::testing::HasSubstr("401"));
  std::string scrape = Scrape(port, kToken);
  EXPECT_THAT(scrape, ::testing::HasSubstr("200 OK"));
  EXPECT_THAT(scrape, ::testing::HasSubstr("jscore_queue_capacity"));
  EXPECT_EQ((*daemon)->Terminate(), 0);
}

TEST_F(SecurityTest, ASecondDaemonOnTheSamePortFailsToStart) {
  auto first = DaemonProcess::Start({"--workers=1"});
  ASSERT_TRUE(first.ok()) << first.status();
  int exit_code = 0;
  std::string out =
      RunJscored(absl::StrCat("--workers=1 --listen=", (*first)->address()), &exit_code);
  EXPECT_EQ(exit_code, 1) << out;
  EXPECT_THAT(out, ::testing::HasSubstr(absl::StrCat("could not listen on ", (*first)->address())));
  // The first still serves alone.
  auto stub = (*first)->NewStub();
  v1::EvaluateResponse response;
  ASSERT_TRUE(Eval(*stub, "", &response).ok());
  EXPECT_EQ(response.value().number_value(), 42);
  EXPECT_EQ((*first)->Terminate(), 0);
}

}  // namespace
}  // namespace jscore::testing
