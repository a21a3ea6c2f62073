// Memory is charged to its owner (issue 15, items 2 and 3): at a heap-limit event the
// job holding the heap fails and is not run again, the others succeed; sessions are
// admitted by the heap they hold, and refused before they can cost anyone a session.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
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

// The case, scaled to a 64 MB heap: a parked job holds ~48 MB, then 7 jobs
// each need ~16 MB for a moment. The hog fails RESOURCE_EXHAUSTED (once: it is not
// re-run); every other job gets its right answer.
TEST(MemoryTest, HeapLimitChargesTheParkedHogNotTheJobThatHitIt) {
  engine::PoolOptions options = testing::SmallPool(1);
  options.heap_limit_mb = 64;
  auto created = engine::Pool::Create(testing::TestPlatform(), options);
  ASSERT_TRUE(created.ok()) << created.status();
  engine::Pool& pool = **created;
  engine::EvaluateSpec hog_spec;
  hog_spec.source =
      "globalThis.runs = (globalThis.runs || 0) + 1;"
      "const hold = Array.from({length: 48}, (_, i) => new Array(131072).fill(i + 0.5));"
      "new Promise(r => setTimeout(r, 4000)).then(() => hold.length)";
  PendingJob hog = MakeJob(std::move(hog_spec), absl::Seconds(20));
  ASSERT_TRUE(pool.Submit(hog.job).ok());
  // Wait until the hog is parked (in flight, its section done).
  absl::Time until = absl::Now() + absl::Seconds(10);
  while (pool.Stats().workers[0].jobs_in_flight == 0 && absl::Now() < until) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  absl::SleepFor(absl::Milliseconds(100));
  std::vector<PendingJob> others;
  for (int i = 0; i < 7; ++i) {
    engine::EvaluateSpec spec;
    spec.source = absl::StrCat("new Array(2097152).fill(", i, ".5).length + ", i);
    others.push_back(MakeJob(std::move(spec), absl::Seconds(20)));
    ASSERT_TRUE(pool.Submit(others.back().job).ok());
  }
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(Json(others[i].Wait()), std::to_string(2097152 + i)) << "job " << i;
  }
  Outcome o = hog.Wait();
  EXPECT_EQ(o.status.code(), absl::StatusCode::kResourceExhausted) << Json(o);
  EXPECT_NE(o.status.message().find("held the most heap"), std::string::npos) << o.status;
  EXPECT_GE(pool.Stats().workers[0].isolate_replacements, 1u);
  EXPECT_EQ(Json(testing::RunJs(pool, "6 * 7")), "42");
}

// Many empty sessions: refused with RESOURCE_EXHAUSTED once the worker's session
// budget is spent, long before the heap limit; every session created still works.
TEST(MemoryTest, SessionsAreAdmittedByTheHeapTheyHold) {
  engine::PoolOptions options = testing::SmallPool(1);
  options.heap_limit_mb = 64;
  options.session_memory_mb = 8;
  options.max_sessions = 100000;
  auto created = engine::Pool::Create(testing::TestPlatform(), options);
  ASSERT_TRUE(created.ok()) << created.status();
  engine::Pool& pool = **created;
  std::vector<std::string> sessions;
  absl::Status refused;
  for (int i = 0; i < 2000 && refused.ok(); ++i) {
    engine::CreateSessionSpec spec;
    spec.source = absl::StrCat("var mine = ", i);
    PendingJob p = MakeJob(std::move(spec));
    refused = pool.Submit(p.job);
    if (!refused.ok()) break;
    Outcome o = p.Wait();
    ASSERT_EQ(o.kind, Outcome::Kind::kValue) << Json(o);
    sessions.push_back(o.id);
  }
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted) << refused;
  EXPECT_NE(refused.message().find("--session_memory_mb"), std::string::npos) << refused;
  // 8 MB at no less than 160 KB a session: at most 52, and a fair number first.
  EXPECT_LE(sessions.size(), 52u);
  EXPECT_GE(sessions.size(), 10u);
  EXPECT_EQ(pool.Stats().workers[0].isolate_replacements, 0u);
  // Deleting sessions gives their room back. Each deletion frees at least the floor a
  // creation needs, but a creation is admitted by the floor and then charged the heap
  // it really grew (SetBytes), so the workers' sum can stand up to one session's growth
  // past the budget: a few deletions at most, never many. (Checked before the calls
  // below: what a call leaves in the heap is charged to its session too.)
  size_t deleted = 0;
  absl::Status admitted;
  do {
    ASSERT_LT(deleted, sessions.size());
    engine::DeleteSessionSpec del;
    del.session = sessions[deleted++];
    PendingJob deletion = MakeJob(std::move(del));
    ASSERT_TRUE(pool.Submit(deletion.job).ok());
    EXPECT_EQ(deletion.Wait().kind, Outcome::Kind::kValue);
    engine::CreateSessionSpec again;
    PendingJob p = MakeJob(std::move(again));
    admitted = pool.Submit(p.job);
    if (admitted.ok()) EXPECT_EQ(p.Wait().kind, Outcome::Kind::kValue);
  } while (!admitted.ok() && absl::IsResourceExhausted(admitted));
  ASSERT_TRUE(admitted.ok()) << admitted;
  EXPECT_LE(deleted, 4u) << "sessions freed less room than they were charged";
  for (size_t i = deleted; i < sessions.size(); ++i) {
    engine::EvaluateSpec spec;
    spec.session = sessions[i];
    spec.source = "mine";
    PendingJob call = MakeJob(std::move(spec));
    ASSERT_TRUE(pool.Submit(call.job).ok());
    EXPECT_EQ(Json(call.Wait()), std::to_string(i));
  }
}

}  // namespace
}  // namespace jscore
