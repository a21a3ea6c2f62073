// The last resort (issue 15, item 1): a job stuck past its deadline inside a V8
// builtin that never checks for termination retires its worker's thread; a new
// thread takes the slot, the other worker is untouched, and Shutdown is bounded.
#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/time/clock.h"
#include "engine/pool.h"
#include "gtest/gtest.h"
#include "tests/engine/engine_test_support.h"

namespace jscore {
namespace {

using engine::JobSpec;
using engine::Outcome;
using testing::Json;
using testing::MakeJob;
using testing::PendingJob;
using testing::RunJs;

// Array.prototype.fill on 2^26 elements: V8 10.2 checks for no interrupt inside it
// (tens of seconds).
constexpr char kStuckInBuiltin[] = "new Array(2 ** 26).fill(1); 'finished'";

engine::PoolOptions RetiringPool() {
  engine::PoolOptions options = testing::SmallPool(2);
  options.heap_limit_mb = 256;
  options.retire_after_overrun = absl::Milliseconds(500);
  options.stop_margin = absl::Milliseconds(500);
  return options;
}

uint32_t Retirements(const engine::Pool& pool) {
  uint32_t n = 0;
  for (const auto& w : pool.Stats().workers) n += w.retirements;
  return n;
}

TEST(RetireTest, StuckBuiltinRetiresItsWorkerAndTheDaemonKeepsServing) {
#ifdef JSCORE_SANITIZED
  GTEST_SKIP() << "a retired thread is left running with its isolate by design; "
                  "LeakSanitizer reports that as a leak at exit";
#endif
  auto created = engine::Pool::Create(testing::TestPlatform(), RetiringPool());
  ASSERT_TRUE(created.ok()) << created.status();
  engine::Pool& pool = **created;
  // A session on each worker (the pool spreads them): one of them will be lost.
  std::string sessions[2];
  for (auto& s : sessions) {
    engine::CreateSessionSpec spec;
    spec.source = "var kept = 7";
    PendingJob p = MakeJob(std::move(spec));
    ASSERT_TRUE(pool.Submit(p.job).ok());
    Outcome o = p.Wait();
    ASSERT_EQ(o.kind, Outcome::Kind::kValue) << Json(o);
    s = o.id;
  }
  const absl::Duration timeout = absl::Milliseconds(300);
  engine::EvaluateSpec spec;
  spec.source = kStuckInBuiltin;
  PendingJob stuck = MakeJob(std::move(spec), timeout);
  absl::Time start = absl::Now();
  ASSERT_TRUE(pool.Submit(stuck.job).ok());
  // Normal traffic beside it, answered right all along.
  int normal = 0;
  while (!stuck.done->HasBeenNotified() && absl::Now() - start < absl::Seconds(10)) {
    EXPECT_EQ(Json(RunJs(pool, "21 * 2 + " + std::to_string(normal))), std::to_string(42 + normal));
    ++normal;
  }
  ASSERT_TRUE(stuck.done->WaitForNotificationWithTimeout(absl::Seconds(10)));
  absl::Duration took = absl::Now() - start;
  EXPECT_EQ(stuck.outcome->status.code(), absl::StatusCode::kDeadlineExceeded)
      << Json(*stuck.outcome);
  // Its deadline, the retirement margin, a watchdog tick and a new isolate's start.
  EXPECT_LE(took, timeout + absl::Milliseconds(500) + absl::Milliseconds(500)) << took;
  EXPECT_GT(normal, 0);
  EXPECT_EQ(Retirements(pool), 1u);
  // Exactly one session was lost with its worker, saying why; the other is intact.
  int lost = 0;
  for (const auto& s : sessions) {
    engine::EvaluateSpec in_session;
    in_session.session = s;
    in_session.source = "kept";
    PendingJob p = MakeJob(std::move(in_session));
    absl::Status submitted = pool.Submit(p.job);
    if (!submitted.ok()) {
      EXPECT_EQ(submitted.code(), absl::StatusCode::kNotFound) << submitted;
      EXPECT_NE(submitted.message().find("was replaced"), std::string::npos) << submitted;
      ++lost;
      continue;
    }
    EXPECT_EQ(Json(p.Wait()), "7");
  }
  EXPECT_EQ(lost, 1);
  // Both slots serve (many jobs: both workers take some), and the new thread enforces
  // deadlines as the old one did.
  for (int i = 0; i < 20; ++i) EXPECT_EQ(Json(RunJs(pool, "6 * 7")), "42");
  Outcome looped = RunJs(pool, "for (;;) {}", absl::Milliseconds(200));
  EXPECT_EQ(looped.status.code(), absl::StatusCode::kDeadlineExceeded) << Json(looped);
  // Shutdown does not wait for the retired thread (still inside fill).
  absl::Time shutdown = absl::Now();
  pool.Shutdown(absl::Seconds(1));
  EXPECT_LE(absl::Now() - shutdown, absl::Seconds(2));
}

TEST(RetireTest, ShutdownLeavesAStuckThreadBehindWithinItsMargin) {
#ifdef JSCORE_SANITIZED
  GTEST_SKIP() << "a retired thread is left running with its isolate by design; "
                  "LeakSanitizer reports that as a leak at exit";
#endif
  engine::PoolOptions options = RetiringPool();
  options.retire_after_overrun = absl::InfiniteDuration();  // only shutdown gives up
  auto created = engine::Pool::Create(testing::TestPlatform(), options);
  ASSERT_TRUE(created.ok()) << created.status();
  engine::Pool& pool = **created;
  engine::EvaluateSpec spec;
  spec.source = kStuckInBuiltin;
  PendingJob stuck = MakeJob(std::move(spec), absl::Seconds(60));
  ASSERT_TRUE(pool.Submit(stuck.job).ok());
  // It is inside fill once the pool reports it in flight and a moment has passed.
  absl::Time until = absl::Now() + absl::Seconds(5);
  while (pool.Stats().workers[0].jobs_in_flight + pool.Stats().workers[1].jobs_in_flight == 0 &&
         absl::Now() < until) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  absl::SleepFor(absl::Milliseconds(200));
  absl::Time start = absl::Now();
  const absl::Duration grace = absl::Milliseconds(300);
  pool.Shutdown(grace);
  absl::Duration took = absl::Now() - start;
  EXPECT_LE(took, grace + options.stop_margin + absl::Milliseconds(500)) << took;
  ASSERT_TRUE(stuck.done->WaitForNotificationWithTimeout(absl::Seconds(1)));
  EXPECT_EQ(stuck.outcome->status.code(), absl::StatusCode::kUnavailable) << Json(*stuck.outcome);
}

}  // namespace
}  // namespace jscore
