// Smaller containment limits (issue 15, item 7, engine part): a daemon-wide cap on
// fetch transfers, session ids only from a working random generator, libuv failures
// at a worker's start as a Status, isolates replaced many times over.
#include <sys/resource.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "engine/internal/session_table.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/engine_test_support.h"
#include "tests/support/http_test_server.h"

namespace jscore::testing {
namespace {

using engine::Outcome;
using ::testing::HasSubstr;

TEST(FetchCapTest, TransfersAreBoundedAcrossTheWholePool) {
  std::unique_ptr<HttpTestServer> server = HttpTestServer::Start();
  ASSERT_NE(server, nullptr);
  engine::PoolOptions options = SmallPool(2);
  auto allowlist = engine::FetchAllowlist::Parse(absl::StrCat("127.0.0.1:", server->port()));
  ASSERT_TRUE(allowlist.ok()) << allowlist.status();
  options.fetch.allowlist = *allowlist;
  options.fetch.max_in_flight = 2;  // the per-job bound (64) is far above
  auto created = engine::Pool::Create(TestPlatform(), options);
  ASSERT_TRUE(created.ok()) << created.status();
  engine::Pool& pool = **created;
  auto js = [&server](const std::string& source) {
    return absl::StrReplaceAll(source, {{"BASE", server->Url("")}});
  };
  auto in_flight = [&pool] {
    uint32_t n = 0;
    for (const auto& w : pool.Stats().workers) n += w.fetches_in_flight;
    return n;
  };
  // Two jobs, on whichever workers, hold the two places with a slow request each.
  std::vector<PendingJob> slow;
  for (int i = 0; i < 2; ++i) {
    engine::EvaluateSpec spec;
    spec.source = js("(async () => (await fetch('BASE/slow')).text())()");
    slow.push_back(MakeJob(spec, absl::Seconds(20)));
    ASSERT_TRUE(pool.Submit(slow.back().job).ok());
  }
  absl::Time until = absl::Now() + absl::Seconds(10);
  while (in_flight() < 2 && absl::Now() < until) absl::SleepFor(absl::Milliseconds(5));
  ASSERT_EQ(in_flight(), 2u);
  // A third transfer, from a new job, is refused at once with a clear error.
  Outcome refused = RunJs(pool, js("fetch('BASE/text').then(r => 'fetched', e => e.message)"));
  EXPECT_THAT(Json(refused), HasSubstr("too many requests in flight in the server"));
  server->ReleaseSlow();
  for (auto& p : slow) EXPECT_EQ(Json(p.Wait()), "\"late\"");
  // The places are given back: transfers work again, and none is left counted.
  EXPECT_EQ(Json(RunJs(pool, js("(async () => (await fetch('BASE/text')).text())()"))),
            "\"hello from jscore\"");
  until = absl::Now() + absl::Seconds(5);
  while (in_flight() > 0 && absl::Now() < until) absl::SleepFor(absl::Milliseconds(5));
  EXPECT_EQ(in_flight(), 0u);
}

TEST(SessionIdTest, AFailedRandomGeneratorFailsTheCreationAndRegistersNothing) {
  engine::SessionTable table(10, 2);
  table.SetRandomBytesForTest([](unsigned char*, size_t) { return false; });
  absl::StatusOr<std::pair<std::string, int>> created = table.Create();
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), absl::StatusCode::kUnavailable) << created.status();
  EXPECT_EQ(table.size(), 0u);
  // With a working generator, ids are 32 hex digits and distinct.
  engine::SessionTable working(10, 2);
  auto a = working.Create();
  auto b = working.Create();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->first.size(), 32u);
  EXPECT_NE(a->first, b->first);
}

// With no file descriptor left, a worker's libuv loop cannot start: Pool::Create
// reports it (naming libuv) instead of crashing, and works again once there are.
TEST(WorkerStartTest, LibuvFailureAtStartIsAStatus) {
  struct rlimit saved;
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  // The lowest free descriptor: below it every number is taken, so a limit there
  // makes every new descriptor fail (EMFILE).
  int probe = dup(0);
  ASSERT_GE(probe, 0);
  close(probe);
  struct rlimit tight = saved;
  tight.rlim_cur = static_cast<rlim_t>(probe);
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &tight), 0);
  auto pool = engine::Pool::Create(TestPlatform(), SmallPool(1));
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &saved), 0);
  ASSERT_FALSE(pool.ok());
  EXPECT_THAT(std::string(pool.status().message()), HasSubstr("libuv"));
  auto again = engine::Pool::Create(TestPlatform(), SmallPool(1));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(Json(RunJs(**again, "1 + 1")), "2");
}

// Every job on a fresh isolate: each replacement disposes one isolate (telling the
// platform first, NotifyIsolateShutdown) and the worker keeps answering.
TEST(IsolateReplacementTest, ManyReplacementsKeepServing) {
  engine::PoolOptions options = SmallPool(1);
  options.recycle_after_jobs = 1;
  auto created = engine::Pool::Create(TestPlatform(), options);
  ASSERT_TRUE(created.ok()) << created.status();
  for (int i = 0; i < 30; ++i) {
    EXPECT_EQ(Json(RunJs(**created, absl::StrCat("Promise.resolve(", i, ")"))), absl::StrCat(i));
  }
  EXPECT_GE((*created)->Stats().workers[0].isolate_replacements, 29u);
}

}  // namespace
}  // namespace jscore::testing
