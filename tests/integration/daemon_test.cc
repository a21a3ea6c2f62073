// Integration tests: a real jscored process on a free loopback port, over gRPC.
#include <signal.h>

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/support/daemon_process.h"

namespace jscore::testing {
namespace {

using ::testing::HasSubstr;

struct Reply {
  grpc::Status status;
  v1::EvaluateResponse response;
  std::string Json() const {
    std::string out;
    (void)google::protobuf::util::MessageToJsonString(response.value(), &out);
    return out;
  }
};

v1::EvaluateRequest Request(const std::string& source,
                            absl::Duration timeout = absl::ZeroDuration()) {
  v1::EvaluateRequest request;
  request.set_source(source);
  if (timeout > absl::ZeroDuration()) {
    int64_t ns = absl::ToInt64Nanoseconds(timeout);
    request.mutable_timeout()->set_seconds(ns / 1000000000);
    request.mutable_timeout()->set_nanos(static_cast<int32_t>(ns % 1000000000));
  }
  return request;
}

Reply Evaluate(v1::JsCore::Stub& stub, const v1::EvaluateRequest& request,
               absl::Duration grpc_deadline = absl::Seconds(30), bool wait_for_ready = false) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + grpc_deadline));
  context.set_wait_for_ready(wait_for_ready);
  Reply reply;
  reply.status = stub.Evaluate(&context, request, &reply.response);
  return reply;
}

TEST(DaemonTest, EvaluatesAndAwaits) {
  auto daemon = StartDaemon({"--workers=2"});
  ASSERT_NE(daemon, nullptr);
  auto stub = daemon->NewStub();
  Reply three = Evaluate(*stub, Request("1+2"));
  ASSERT_TRUE(three.status.ok()) << three.status.error_message();
  EXPECT_EQ(three.Json(), "3");
  EXPECT_GE(three.response.stats().worker(), 0);

  Reply async = Evaluate(*stub, Request("(async () => { await new Promise(r => setTimeout(r, 50)); "
                                        "return {a: [1, \"x\", null]} })()"));
  ASSERT_TRUE(async.status.ok());
  EXPECT_EQ(async.Json(), R"({"a":[1,"x",null]})");

  v1::EvaluateRequest with_globals = Request("x * 2");
  (*with_globals.mutable_globals())["x"].set_number_value(21);
  EXPECT_EQ(Evaluate(*stub, with_globals).Json(), "42");

  Reply error = Evaluate(*stub, Request("throw new TypeError('bad input')"));
  ASSERT_TRUE(error.status.ok());
  ASSERT_TRUE(error.response.has_error());
  EXPECT_EQ(error.response.error().name(), "TypeError");
  EXPECT_EQ(error.response.error().message(), "bad input");

  Reply undefined = Evaluate(*stub, Request("undefined"));
  EXPECT_TRUE(undefined.response.undefined());

  Reply annotated = Evaluate(*stub, Request("({big: 10n ** 20n})"));
  ASSERT_EQ(annotated.response.annotations_size(), 1);
  EXPECT_EQ(annotated.response.annotations(0).path(), "/big");
  EXPECT_EQ(annotated.response.annotations(0).kind(), v1::TypeAnnotation::KIND_BIGINT);

  Reply logged = Evaluate(*stub, Request("console.warn('careful'); 1"));
  ASSERT_EQ(logged.response.console_size(), 1);
  EXPECT_EQ(logged.response.console(0).level(), v1::ConsoleLine::WARN);
  EXPECT_EQ(logged.response.console(0).text(), "careful");
}

TEST(DaemonTest, InfiniteLoopTimesOutAndEveryWorkerStaysUsable) {
  auto daemon = StartDaemon({"--workers=2"});
  ASSERT_NE(daemon, nullptr);
  auto stub = daemon->NewStub();
  // Occupy both workers with loops at once.
  std::vector<std::thread> loops;
  std::vector<Reply> replies(2);
  std::vector<absl::Duration> took(2);
  for (int i = 0; i < 2; ++i) {
    loops.emplace_back([&, i] {
      absl::Time start = absl::Now();
      replies[i] = Evaluate(*stub, Request("while(true){}", absl::Milliseconds(200)));
      took[i] = absl::Now() - start;
    });
  }
  for (auto& t : loops) t.join();
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(replies[i].status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
    EXPECT_LT(took[i], absl::Milliseconds(400)) << "loop " << i;
  }
  // Every worker answers normal requests afterwards.
  std::set<int> workers_seen;
  absl::Time bound = absl::Now() + absl::Seconds(20);
  while (workers_seen.size() < 2 && absl::Now() < bound) {
    std::vector<std::thread> batch;
    std::vector<Reply> r(4);
    for (int i = 0; i < 4; ++i) {
      batch.emplace_back([&, i] {
        r[i] = Evaluate(*stub,
                        Request("const end = Date.now() + 20; while (Date.now() < end) {} 40 + 2"));
      });
    }
    for (auto& t : batch) t.join();
    for (auto& reply : r) {
      ASSERT_TRUE(reply.status.ok()) << reply.status.error_message();
      EXPECT_EQ(reply.Json(), "42");
      workers_seen.insert(reply.response.stats().worker());
    }
  }
  EXPECT_EQ(workers_seen.size(), 2u);
}

TEST(DaemonTest, HeapBombIsResourceExhaustedAndServingGoesOn) {
  auto daemon = StartDaemon({"--workers=1", "--heap_limit_mb=128"});
  ASSERT_NE(daemon, nullptr);
  auto stub = daemon->NewStub();
  Reply bomb = Evaluate(*stub, Request("let a=[]; while(true) a.push(new Array(1e6).fill(1))"));
  EXPECT_EQ(bomb.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(Evaluate(*stub, Request("'ok' + " + std::to_string(i))).Json(),
              "\"ok" + std::to_string(i) + "\"");
  grpc::ClientContext context;
  v1::GetStatsResponse stats;
  ASSERT_TRUE(stub->GetStats(&context, {}, &stats).ok());
  EXPECT_EQ(stats.workers(0).isolate_replacements(), 1u);
}

TEST(DaemonTest, HundredConcurrentClientsGetTheirOwnResults) {
  auto daemon = StartDaemon({"--workers=2"});
  ASSERT_NE(daemon, nullptr);
  std::atomic<int> wrong{0};
  std::atomic<int> done{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 100; ++c) {
    clients.emplace_back([&, c] {
      // A connection per client; its calls wait for it to be ready (100 connecting at
      // once under ASan can see one attempt fail, and a failed channel fails every call
      // fast until it reconnects: the test is about answers, not connecting).
      auto stub = daemon->NewStub();
      for (int i = 0; i < 10; ++i) {
        int n = c * 100 + i;
        std::string want = std::to_string(n);
        v1::EvaluateRequest request;
        switch (i % 4) {
          case 0:
            request = Request(want);
            break;
          case 1:
            request = Request("new Promise(r => setTimeout(() => r(n), 5))");
            (*request.mutable_globals())["n"].set_number_value(n);
            break;
          case 2:
            request = Request("String(" + want +
                              ").split('').map(Number).reduce((a, d) => a * 10 + d, 0)");
            break;
          case 3: {
            request = Request("throw new Error('e' + " + want + ")");
            Reply r = Evaluate(*stub, request, absl::Seconds(30), /*wait_for_ready=*/true);
            if (!r.status.ok() || r.response.error().message() != "e" + want) {
              ADD_FAILURE() << "client " << c << " request " << i << ": want e" << want << ", got "
                            << r.status.error_message() << r.response.error().message();
              wrong++;
            }
            done++;
            continue;
          }
        }
        Reply r = Evaluate(*stub, request, absl::Seconds(30), /*wait_for_ready=*/true);
        if (!r.status.ok() || r.Json() != want) {
          ADD_FAILURE() << "client " << c << " request " << i << ": want " << want << ", got "
                        << (r.status.ok() ? r.Json() : r.status.error_message());
          wrong++;
        }
        done++;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(done.load(), 1000);
  EXPECT_EQ(wrong.load(), 0);
}

TEST(DaemonTest, ClientCancellationStopsTheJob) {
  auto daemon = StartDaemon({"--workers=1"});
  ASSERT_NE(daemon, nullptr);
  auto stub = daemon->NewStub();
  grpc::ClientContext context;
  v1::EvaluateResponse response;
  std::thread canceller([&] {
    absl::SleepFor(absl::Milliseconds(200));
    context.TryCancel();
  });
  grpc::Status status =
      stub->Evaluate(&context, Request("while(true){}", absl::Seconds(30)), &response);
  canceller.join();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::CANCELLED);
  // The single worker is free again long before the 30 s timeout.
  Reply after = Evaluate(*stub, Request("'free'"), absl::Seconds(5));
  ASSERT_TRUE(after.status.ok()) << after.status.error_message();
  EXPECT_EQ(after.Json(), "\"free\"");
}

TEST(DaemonTest, GrpcDeadlineBoundsTheJob) {
  auto daemon = StartDaemon({"--workers=1"});
  ASSERT_NE(daemon, nullptr);
  auto stub = daemon->NewStub();
  Reply r = Evaluate(*stub, Request("while(true){}", absl::Seconds(30)), absl::Milliseconds(300));
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  Reply after = Evaluate(*stub, Request("1"), absl::Seconds(5));
  EXPECT_TRUE(after.status.ok()) << after.status.error_message();
}

TEST(DaemonTest, MaxTimeoutCapsTheRequest) {
  auto daemon = StartDaemon({"--workers=1", "--max_timeout=300ms", "--default_timeout=100ms"});
  ASSERT_NE(daemon, nullptr);
  auto stub = daemon->NewStub();
  absl::Time start = absl::Now();
  Reply r = Evaluate(*stub, Request("while(true){}", absl::Seconds(30)));
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_LT(absl::Now() - start, absl::Seconds(3));
}

TEST(DaemonTest, BadRequestsGetClearErrors) {
  auto daemon = StartDaemon({"--workers=1", "--max_source_bytes=1000"});
  ASSERT_NE(daemon, nullptr);
  auto stub = daemon->NewStub();
  Reply big = Evaluate(*stub, Request(std::string(2000, ' ') + "1"));
  EXPECT_EQ(big.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(big.status.error_message(), HasSubstr("limit is 1000"));
  v1::EvaluateRequest negative = Request("1");
  negative.mutable_timeout()->set_seconds(-1);
  EXPECT_EQ(Evaluate(*stub, negative).status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  v1::EvaluateRequest empty_global = Request("1");
  (*empty_global.mutable_globals())[""].set_number_value(1);
  EXPECT_EQ(Evaluate(*stub, empty_global).status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  v1::EvaluateRequest browser_alone = Request("1");
  browser_alone.mutable_browser()->set_url(
      "https://example.com/");  // no PROFILE_BROWSER: said, not ignored
  EXPECT_EQ(Evaluate(*stub, browser_alone).status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Evaluate(*stub, Request("'still fine'")).Json(), "\"still fine\"");
}

TEST(DaemonTest, FullQueueAnswersResourceExhausted) {
  auto daemon = StartDaemon({"--workers=1", "--queue_capacity=2", "--max_inflight_per_worker=1"});
  ASSERT_NE(daemon, nullptr);
  std::atomic<int> exhausted{0};
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 12; ++i) {
    clients.emplace_back([&] {
      auto stub = daemon->NewStub();
      Reply r =
          Evaluate(*stub, Request("const end = Date.now() + 150; while (Date.now() < end) {} 1"));
      if (r.status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) exhausted++;
      if (r.status.ok()) ok++;
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_GE(exhausted.load(), 1);
  EXPECT_GE(ok.load(), 1);
  EXPECT_EQ(exhausted.load() + ok.load(), 12);
}

TEST(DaemonTest, GracefulShutdownFinishesRequestsInFlight) {
  auto daemon = StartDaemon({"--workers=2", "--shutdown_grace=10s"});
  ASSERT_NE(daemon, nullptr);
  auto stub = daemon->NewStub();
  constexpr int kInFlight = 20;
  std::vector<Reply> replies(kInFlight);
  std::vector<std::thread> clients;
  for (int i = 0; i < kInFlight; ++i) {
    clients.emplace_back([&, i] {
      replies[i] = Evaluate(
          *stub, Request(absl::StrCat("new Promise(r => setTimeout(() => r(", i, "), 500))")));
    });
  }
  // Wait (bounded) until the daemon holds every request, then ask it to stop.
  absl::Time bound = absl::Now() + absl::Seconds(10);
  for (;;) {
    grpc::ClientContext context;
    v1::GetStatsResponse stats;
    ASSERT_TRUE(stub->GetStats(&context, {}, &stats).ok());
    uint32_t held = 0;
    for (const auto& w : stats.workers()) held += w.jobs_in_flight();
    if (held + stats.queue_depth() >= kInFlight) break;
    ASSERT_LT(absl::Now(), bound) << "requests never reached the daemon";
    absl::SleepFor(absl::Milliseconds(5));
  }
  int exit_code = daemon->Terminate();
  for (auto& t : clients) t.join();
  EXPECT_EQ(exit_code, 0);
  for (int i = 0; i < kInFlight; ++i) {
    ASSERT_TRUE(replies[i].status.ok()) << i << ": " << replies[i].status.error_message();
    EXPECT_EQ(replies[i].Json(), std::to_string(i));
  }
}

TEST(DaemonTest, HealthAndVersion) {
  auto daemon = StartDaemon({"--workers=1"});
  ASSERT_NE(daemon, nullptr);
  EXPECT_TRUE(IsServing(daemon->NewChannel(), absl::Seconds(5)));
  auto stub = daemon->NewStub();
  grpc::ClientContext context;
  v1::GetStatsResponse stats;
  ASSERT_TRUE(stub->GetStats(&context, {}, &stats).ok());
  EXPECT_FALSE(stats.version().empty());
  EXPECT_EQ(stats.workers_size(), 1);
}

}  // namespace
}  // namespace jscore::testing
