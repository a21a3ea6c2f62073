// Issue 17, daemon operations against a real jscored: request ids (from the client's
// x-request-id or made by the daemon) in trailing metadata and log lines, and Batch
// items recorded with their real durations.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/daemon_process.h"

namespace jscore::testing {
namespace {

using ::testing::HasSubstr;

// Starts a daemon whose stderr (its log) goes to `log_path`: the child inherits this
// process's stderr, which points at the file while it starts.
absl::StatusOr<std::unique_ptr<DaemonProcess>> StartLogged(const std::vector<std::string>& flags,
                                                           const std::string& log_path) {
  int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return absl::InternalError("cannot open " + log_path);
  fflush(stderr);
  int saved = dup(STDERR_FILENO);
  dup2(fd, STDERR_FILENO);
  close(fd);
  auto daemon = DaemonProcess::Start(flags);
  fflush(stderr);
  dup2(saved, STDERR_FILENO);
  close(saved);
  return daemon;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Reads the log until it contains `needle` (the daemon writes each line with one
// write(2) as it answers, so at most a moment after the answer), bounded.
std::string LogWith(const std::string& path, const std::string& needle) {
  std::string text;
  for (absl::Time end = absl::Now() + absl::Seconds(10); absl::Now() < end;) {
    text = ReadAll(path);
    if (text.find(needle) != std::string::npos) break;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return text;
}

std::string TrailingRequestId(const grpc::ClientContext& context) {
  const auto& trailing = context.GetServerTrailingMetadata();
  auto it = trailing.find("x-request-id");
  return it == trailing.end() ? "" : std::string(it->second.data(), it->second.size());
}

TEST(RequestIdTest, TakenFromMetadataOrMadeAndReturnedAndLogged) {
  const std::string log = absl::StrCat(ProcessTempDir(), "/request_ids.log");
  auto daemon = StartLogged({"--workers=1", "--log_level=debug", "--log_format=json"}, log);
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  auto stub = (*daemon)->NewStub();

  // The client's id comes back and names the request's log line.
  v1::EvaluateRequest request;
  request.set_source("1 + 1");
  {
    grpc::ClientContext context;
    context.AddMetadata("x-request-id", "checkout-7f3a");
    v1::EvaluateResponse response;
    ASSERT_TRUE(stub->Evaluate(&context, request, &response).ok());
    EXPECT_EQ(TrailingRequestId(context), "checkout-7f3a");
  }
  EXPECT_THAT(LogWith(log, "checkout-7f3a"),
              HasSubstr(R"("event":"request","method":"Evaluate","code":"OK",)"));
  EXPECT_THAT(ReadAll(log), HasSubstr(R"("request_id":"checkout-7f3a"})"));

  // None sent: the daemon makes one (16 hex digits), different for each request;
  // a failed call carries it too, and so does its limit_hit line.
  request.set_source("while (true) {}");
  request.mutable_timeout()->set_nanos(100000000);
  std::string made;
  {
    grpc::ClientContext context;
    v1::EvaluateResponse response;
    EXPECT_EQ(stub->Evaluate(&context, request, &response).error_code(),
              grpc::StatusCode::DEADLINE_EXCEEDED);
    made = TrailingRequestId(context);
  }
  EXPECT_TRUE(std::regex_match(made, std::regex("[0-9a-f]{16}"))) << made;
  std::string text = LogWith(log, made);
  EXPECT_THAT(text, HasSubstr(absl::StrCat(R"("event":"limit_hit","method":"Evaluate",)",
                                           R"("code":"DEADLINE_EXCEEDED",)")));
  EXPECT_THAT(text, HasSubstr(absl::StrCat(R"("request_id":")", made, R"(","message":")")));
  {
    grpc::ClientContext context;
    v1::GetStatsResponse stats;
    ASSERT_TRUE(stub->GetStats(&context, {}, &stats).ok());
    std::string other = TrailingRequestId(context);
    EXPECT_TRUE(std::regex_match(other, std::regex("[0-9a-f]{16}"))) << other;
    EXPECT_NE(other, made);
  }
  // An id that is not 1 to 128 visible characters is replaced by one of the daemon's.
  {
    grpc::ClientContext context;
    context.AddMetadata("x-request-id", std::string(200, 'a'));
    v1::GetStatsResponse stats;
    ASSERT_TRUE(stub->GetStats(&context, {}, &stats).ok());
    EXPECT_TRUE(std::regex_match(TrailingRequestId(context), std::regex("[0-9a-f]{16}")));
  }

  // A Batch stream: its id in its trailing metadata and in its items' log lines.
  {
    grpc::ClientContext context;
    context.AddMetadata("x-request-id", "nightly-batch-42");
    auto stream = stub->Batch(&context);
    v1::BatchRequest item;
    item.set_id("slow-one");
    item.mutable_evaluate()->set_source("while (true) {}");
    item.mutable_evaluate()->mutable_timeout()->set_nanos(100000000);
    ASSERT_TRUE(stream->Write(item));
    stream->WritesDone();
    v1::BatchResponse response;
    ASSERT_TRUE(stream->Read(&response));
    EXPECT_EQ(response.code(), static_cast<int>(grpc::StatusCode::DEADLINE_EXCEEDED));
    EXPECT_THAT(response.message(), HasSubstr("timed out after 0.1 s (the request's timeout)"));
    EXPECT_TRUE(stream->Finish().ok());
    EXPECT_EQ(TrailingRequestId(context), "nightly-batch-42");
  }
  EXPECT_THAT(LogWith(log, "\"item\":\"slow-one\""),
              HasSubstr(R"("method":"BatchItem","code":"DEADLINE_EXCEEDED",)"));
  EXPECT_THAT(ReadAll(log), HasSubstr(R"("request_id":"nightly-batch-42","item":"slow-one",)"));
}

// GET http://ADDRESS/metrics; the body.
std::string Scrape(const std::string& address) {
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
  std::string response;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    std::string request = "GET /metrics HTTP/1.0\r\nHost: x\r\n\r\n";
    (void)!write(fd, request.data(), request.size());
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) response.append(buf, n);
  }
  close(fd);
  return response;
}

double MetricValue(const std::string& scrape, const std::string& series) {
  size_t at = scrape.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  size_t start = at + series.size() + 2;
  double value = -1;
  (void)absl::SimpleAtod(scrape.substr(start, scrape.find('\n', start) - start), &value);
  return value;
}

// Each Batch item is recorded with the time from its read to its result (it used to
// be zero): 6 items that each wait 150 ms sum to at least 0.9 s, none under 0.1 s.
TEST(RequestIdTest, BatchItemsRecordTheirDurations) {
  auto daemon = DaemonProcess::Start({"--workers=2", "--metrics_listen=127.0.0.1:0"});
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  auto stub = (*daemon)->NewStub();
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  auto stream = stub->Batch(&context);
  constexpr int kItems = 6;
  for (int i = 0; i < kItems; ++i) {
    v1::BatchRequest item;
    item.set_id(absl::StrCat(i));
    item.mutable_evaluate()->set_source("new Promise(r => setTimeout(() => r(1), 150))");
    ASSERT_TRUE(stream->Write(item));
  }
  stream->WritesDone();
  v1::BatchResponse response;
  int answered = 0;
  while (stream->Read(&response)) {
    EXPECT_EQ(response.code(), 0) << response.message();
    answered++;
  }
  ASSERT_TRUE(stream->Finish().ok());
  ASSERT_EQ(answered, kItems);
  std::string scrape = Scrape((*daemon)->metrics_address());
  EXPECT_EQ(MetricValue(scrape, "jscore_request_duration_seconds_count{method=\"BatchItem\"}"),
            kItems);
  // Each item awaits a 150 ms timer; libuv fires it by the loop's cached millisecond
  // clock, so an item can measure a fraction of a millisecond under 150 ms.
  EXPECT_GE(MetricValue(scrape, "jscore_request_duration_seconds_sum{method=\"BatchItem\"}"),
            kItems * 0.145);
  EXPECT_EQ(MetricValue(scrape,
                        "jscore_request_duration_seconds_bucket{method=\"BatchItem\",le=\"0.1\"}"),
            0);
  EXPECT_EQ(MetricValue(scrape,
                        "jscore_request_duration_seconds_bucket{method=\"BatchItem\",le=\"+Inf\"}"),
            kItems);
}

}  // namespace
}  // namespace jscore::testing
