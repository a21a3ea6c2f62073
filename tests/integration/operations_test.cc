// Operations against a real jscored: the Prometheus endpoint, GetStats counts, the
// config file and its precedence, and the README's flags table against --help.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/support/daemon_process.h"

namespace jscore::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// GET http://ADDRESS/PATH with a plain socket; the whole response (headers + body).
std::string HttpGet(const std::string& address, const std::string& path) {
  size_t colon = address.rfind(':');
  int port = 0;
  if (!absl::SimpleAtoi(address.substr(colon + 1), &port)) return "";
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, address.substr(0, colon).c_str(), &addr.sin_addr);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return "";
  }
  std::string request = absl::StrCat("GET ", path, " HTTP/1.0\r\nHost: x\r\n\r\n");
  (void)!write(fd, request.data(), request.size());
  std::string response;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) response.append(buf, n);
  close(fd);
  return response;
}

void Evaluate(v1::JsCore::Stub& stub, const std::string& source, grpc::Status* status = nullptr) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  v1::EvaluateRequest request;
  request.set_source(source);
  request.mutable_timeout()->set_nanos(200000000);
  v1::EvaluateResponse response;
  grpc::Status s = stub.Evaluate(&context, request, &response);
  if (status != nullptr) *status = s;
}

TEST(OperationsTest, PrometheusEndpointAndGetStatsAgree) {
  auto daemon = DaemonProcess::Start({"--workers=2", "--metrics_listen=127.0.0.1:0"});
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  ASSERT_FALSE((*daemon)->metrics_address().empty());
  auto stub = (*daemon)->NewStub();
  for (int i = 0; i < 3; ++i) Evaluate(*stub, "1");
  Evaluate(*stub, "while(true){}");
  std::string scrape = HttpGet((*daemon)->metrics_address(), "/metrics");
  EXPECT_THAT(scrape, HasSubstr(" 200 OK"));
  EXPECT_THAT(scrape, HasSubstr("jscore_requests_total{method=\"Evaluate\",code=\"OK\"} 3\n"));
  EXPECT_THAT(
      scrape,
      HasSubstr("jscore_requests_total{method=\"Evaluate\",code=\"DEADLINE_EXCEEDED\"} 1\n"));
  EXPECT_THAT(scrape, HasSubstr("jscore_request_duration_seconds_count{method=\"Evaluate\"} 4\n"));
  EXPECT_THAT(
      scrape,
      HasSubstr("jscore_request_duration_seconds_bucket{method=\"Evaluate\",le=\"+Inf\"} 4\n"));
  EXPECT_THAT(scrape, HasSubstr("jscore_queue_capacity 4096\n"));
  EXPECT_THAT(scrape, HasSubstr("jscore_timeouts_total 1\n"));
  EXPECT_THAT(scrape, HasSubstr("jscore_worker_heap_limit_bytes{worker=\"1\"}"));
  EXPECT_THAT(HttpGet((*daemon)->metrics_address(), "/nothing"), HasSubstr("404"));

  grpc::ClientContext context;
  v1::GetStatsResponse stats;
  ASSERT_TRUE(stub->GetStats(&context, {}, &stats).ok());
  uint64_t ok = 0, deadline = 0;
  for (const auto& r : stats.requests()) {
    if (r.method() == "Evaluate" && r.code() == 0) ok = r.count();
    if (r.method() == "Evaluate" && r.code() == 4) deadline = r.count();
  }
  EXPECT_EQ(ok, 3u);
  EXPECT_EQ(deadline, 1u);
  EXPECT_EQ(stats.timeouts(), 1u);
  // The 200 ms loop kept one worker busy at least that long; the scrape names the
  // counter for every worker.
  double busy = 0;
  for (const auto& w : stats.workers()) busy += w.busy_seconds();
  EXPECT_GE(busy, 0.19);
  EXPECT_THAT(scrape, HasSubstr("jscore_worker_busy_seconds_total{worker=\"0\"} "));
  EXPECT_THAT(scrape, HasSubstr("jscore_worker_busy_seconds_total{worker=\"1\"} "));
  // The standard process metrics and the build, as every Prometheus client library has them.
  for (const char* name : {"process_cpu_seconds_total ", "process_resident_memory_bytes ",
                           "process_virtual_memory_bytes ", "process_start_time_seconds ",
                           "process_open_fds ", "process_max_fds ", "process_threads "}) {
    EXPECT_THAT(scrape, HasSubstr(absl::StrCat("\n", name))) << name;
  }
  EXPECT_THAT(scrape, HasSubstr("jscore_build_info{version=\"0.1.0\",v8=\"10."));
  std::smatch rss;
  ASSERT_TRUE(
      std::regex_search(scrape, rss, std::regex(R"(\nprocess_resident_memory_bytes (\d+))")));
  uint64_t rss_bytes = 0;
  ASSERT_TRUE(absl::SimpleAtoi(rss[1].str(), &rss_bytes));
  EXPECT_GT(rss_bytes, 10u << 20);  // a daemon with V8 holds more than 10 MB
  EXPECT_LT(rss_bytes, 4ull << 30);
  // Port 0 was resolved: the replica advertises the address it is bound to.
  EXPECT_EQ(stats.replica(), (*daemon)->address());
}

TEST(OperationsTest, ConfigFileThenCommandLine) {
  std::string path = absl::StrCat(ProcessTempDir(), "/jscored.conf");
  std::ofstream(path) << "# a test config\n--workers=1\n--max_source_bytes=100\n";
  auto from_file = DaemonProcess::Start({"--config=" + path});
  ASSERT_TRUE(from_file.ok()) << from_file.status();
  auto stub = (*from_file)->NewStub();
  grpc::ClientContext context;
  v1::GetStatsResponse stats;
  ASSERT_TRUE(stub->GetStats(&context, {}, &stats).ok());
  EXPECT_EQ(stats.workers_size(), 1);
  grpc::Status big;
  Evaluate(*stub, std::string(200, ' ') + "1", &big);
  EXPECT_EQ(big.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  auto overridden = DaemonProcess::Start({"--config", path, "--workers=2"});
  ASSERT_TRUE(overridden.ok()) << overridden.status();
  grpc::ClientContext context2;
  ASSERT_TRUE((*overridden)->NewStub()->GetStats(&context2, {}, &stats).ok());
  EXPECT_EQ(stats.workers_size(), 2);
}

TEST(OperationsTest, ReadmeFlagsTableMatchesHelp) {
  FILE* pipe = popen(absl::StrCat(JSCORED_PATH, " --help 2>&1").c_str(), "r");
  std::string help;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) help.append(buf, n);
  pclose(pipe);
  std::set<std::string> from_help;
  std::regex flag_line(R"(\n  --([a-z0-9_]+) \(default: )");
  for (std::sregex_iterator it(help.begin(), help.end(), flag_line), end; it != end; ++it) {
    from_help.insert((*it)[1]);
  }
  ASSERT_GT(from_help.size(), 20u) << help;

  std::ifstream readme_file(JSCORE_README_PATH);
  std::stringstream readme;
  readme << readme_file.rdbuf();
  std::string text = readme.str();
  std::set<std::string> from_readme;
  std::regex row(R"(\n\| `--([a-z0-9_]+)`)");
  for (std::sregex_iterator it(text.begin(), text.end(), row), end; it != end; ++it) {
    from_readme.insert((*it)[1]);
  }
  EXPECT_EQ(from_readme, from_help);
}

// Runs jscored with `args` to completion (it must not start serving); returns its exit
// code and fills `output` with stdout and stderr.
int RunJscored(const std::string& args, std::string* output) {
  FILE* pipe = popen(absl::StrCat(JSCORED_PATH, " ", args, " 2>&1").c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) output->append(buf, n);
  int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(OperationsTest, HealthAnswersPerService) {
  auto daemon = DaemonProcess::Start({"--workers=1"});
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  auto health = grpc::health::v1::Health::NewStub((*daemon)->NewChannel());
  auto check = [&](const std::string& service, grpc::health::v1::HealthCheckResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    return health->Check(&context, request, response);
  };
  for (const std::string service : {"", "jscore.v1.JsCore"}) {
    grpc::health::v1::HealthCheckResponse response;
    ASSERT_TRUE(check(service, &response).ok()) << service;
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING) << service;
  }
  grpc::health::v1::HealthCheckResponse response;
  EXPECT_EQ(check("no.such.Service", &response).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST(OperationsTest, HelpAndVersionExitZeroAndHelpIsGrouped) {
  std::string help;
  EXPECT_EQ(RunJscored("--help", &help), 0);
  EXPECT_THAT(help, HasSubstr("Usage: jscored [--config=FILE]"));
  EXPECT_THAT(help, HasSubstr("\nSecurity:\n  --tls_cert (default: none)"));
  EXPECT_THAT(help, HasSubstr("--max_message_bytes (default: 64 MiB)"));
  EXPECT_THAT(help, Not(HasSubstr(".cc")));  // no source paths
  std::string version;
  EXPECT_EQ(RunJscored("--version", &version), 0);
  EXPECT_THAT(version, HasSubstr("jscored "));
}

TEST(OperationsTest, ConfigFileTakesSpacesAndNamesTheLineOfAnError) {
  std::string path = absl::StrCat(ProcessTempDir(), "/spaced.conf");
  std::ofstream(path) << "# spaces around '=' and no leading dashes\n"
                         "workers = 1\n\n--max_source_bytes = 100   # trailing comment\n";
  auto daemon = DaemonProcess::Start({"--config=" + path});
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  grpc::ClientContext context;
  v1::GetStatsResponse stats;
  ASSERT_TRUE((*daemon)->NewStub()->GetStats(&context, {}, &stats).ok());
  EXPECT_EQ(stats.workers_size(), 1);
  grpc::Status big;
  Evaluate(*(*daemon)->NewStub(), std::string(200, ' ') + "1", &big);
  EXPECT_EQ(big.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  std::string bad_path = absl::StrCat(ProcessTempDir(), "/bad.conf");
  std::ofstream(bad_path) << "workers = 1\n# fine so far\nmax_timeout = soon\n";
  std::string output;
  EXPECT_EQ(RunJscored("--config=" + bad_path, &output), 2);
  EXPECT_THAT(output, HasSubstr(bad_path + ":3: --max_timeout=soon"));
  std::string unknown_path = absl::StrCat(ProcessTempDir(), "/unknown.conf");
  std::ofstream(unknown_path) << "\n--no_such_flag = 1\n";
  output.clear();
  EXPECT_EQ(RunJscored("--config " + unknown_path, &output), 2);
  EXPECT_THAT(output, HasSubstr(unknown_path + ":2: unknown flag --no_such_flag"));
}

}  // namespace
}  // namespace jscore::testing
