// fetch through a real jscored started with --allow_fetch, against an HTTP server on
// 127.0.0.1 inside the test: the gRPC statuses, the stats, and the flag's checks.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/support/daemon_process.h"
#include "tests/support/http_test_server.h"

namespace jscore::testing {
namespace {

using ::testing::HasSubstr;

grpc::Status Evaluate(v1::JsCore::Stub& stub, const std::string& source, v1::EvaluateResponse* out,
                      absl::Duration timeout = absl::Seconds(10)) {
  v1::EvaluateRequest request;
  request.set_source(source);
  request.mutable_timeout()->set_seconds(absl::ToInt64Seconds(timeout));
  request.mutable_timeout()->set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(timeout - absl::Seconds(absl::ToInt64Seconds(timeout)))));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  return stub.Evaluate(&context, request, out);
}

std::string Json(const google::protobuf::Value& value) {
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(value, &out);
  return out;
}

uint32_t FetchesInFlight(v1::JsCore::Stub& stub) {
  grpc::ClientContext context;
  v1::GetStatsResponse stats;
  EXPECT_TRUE(stub.GetStats(&context, {}, &stats).ok());
  uint32_t n = 0;
  for (const auto& w : stats.workers()) n += w.fetches_in_flight();
  return n;
}

TEST(FetchDaemonTest, AllowedHostsOnlyDeadlinesAndStats) {
  auto server = HttpTestServer::Start();
  ASSERT_NE(server, nullptr);
  auto daemon =
      DaemonProcess::Start({"--workers=1", absl::StrCat("--allow_fetch=127.0.0.1:", server->port()),
                            "--fetch_max_response_bytes=1000"});
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  auto stub = (*daemon)->NewStub();

  v1::EvaluateResponse r;
  ASSERT_TRUE(Evaluate(*stub,
                       absl::StrCat("(async () => JSON.stringify(await (await fetch('",
                                    server->Url("/json"), "')).json()))()"),
                       &r)
                  .ok());
  EXPECT_EQ(r.value().string_value(), R"({"a":1,"list":[1,2,3]})");

  // A host that is not on the daemon's list: a JS TypeError (status OK), no request.
  v1::EvaluateResponse refused;
  ASSERT_TRUE(
      Evaluate(*stub, absl::StrCat("fetch('http://localhost:", server->port(), "/text')"), &refused)
          .ok());
  EXPECT_EQ(refused.error().name(), "TypeError");
  EXPECT_THAT(refused.error().message(), HasSubstr("--allow_fetch"));
  EXPECT_TRUE(server->Seen("/text").empty());

  v1::EvaluateResponse big;
  ASSERT_TRUE(
      Evaluate(*stub, absl::StrCat("fetch('", server->Url("/big?n=1001"), "')"), &big).ok());
  EXPECT_THAT(big.error().message(), HasSubstr("larger than 1000 bytes"));

  // A slow server: DEADLINE_EXCEEDED at the request's timeout; the worker carries on.
  v1::EvaluateResponse slow;
  absl::Time start = absl::Now();
  grpc::Status status = Evaluate(
      *stub, absl::StrCat("(async () => (await fetch('", server->Url("/slow"), "')).text())()"),
      &slow, absl::Milliseconds(300));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << status.error_message();
  EXPECT_LT(absl::Now() - start, absl::Seconds(3));
  EXPECT_EQ(FetchesInFlight(*stub), 0u);
  v1::EvaluateResponse after;
  ASSERT_TRUE(Evaluate(*stub, "6*7", &after).ok());
  EXPECT_EQ(after.value().number_value(), 42);
}

TEST(FetchDaemonTest, AbsentWithoutTheFlagAndBadListsRefused) {
  auto daemon = DaemonProcess::Start({"--workers=1"});
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  v1::EvaluateResponse r;
  ASSERT_TRUE(Evaluate(*(*daemon)->NewStub(), "[typeof fetch, typeof XMLHttpRequest]", &r).ok());
  EXPECT_EQ(Json(r.value()), R"(["undefined","undefined"])");

  std::string out;
  FILE* pipe = popen(
      absl::StrCat(JSCORED_PATH, " --allow_fetch=http://x.com/ 2>&1; echo exit=$?").c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char buf[1024];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  pclose(pipe);
  EXPECT_THAT(out, HasSubstr("--allow_fetch: bad entry"));
  EXPECT_THAT(out, HasSubstr("exit=2"));
}

}  // namespace
}  // namespace jscore::testing
