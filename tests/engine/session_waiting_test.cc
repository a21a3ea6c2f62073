// A session's waiting list (issue 15, item 6): bounded, reached by deadlines and by
// cancellation, whether the running job is parked or runs JavaScript.
#include <memory>
#include <string>
#include <vector>

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

class SessionWaitingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine::PoolOptions options = testing::SmallPool(2);
    options.max_waiting_per_session = 3;
    auto pool = engine::Pool::Create(testing::TestPlatform(), options);
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = std::move(*pool);
    engine::CreateSessionSpec spec;
    spec.source = "var n = 0";
    PendingJob created = MakeJob(std::move(spec));
    ASSERT_TRUE(pool_->Submit(created.job).ok());
    Outcome o = created.Wait();
    ASSERT_EQ(o.kind, Outcome::Kind::kValue) << Json(o);
    session_ = o.id;
  }

  PendingJob Start(const std::string& source, absl::Duration timeout) {
    engine::EvaluateSpec spec;
    spec.session = session_;
    spec.source = source;
    PendingJob p = MakeJob(std::move(spec), timeout);
    EXPECT_TRUE(pool_->Submit(p.job).ok());
    return p;
  }

  // The session's first job, holding it busy: parked on a timer, or running JS.
  PendingJob Hold(bool running_js) {
    return Start(
        running_js ? "for (;;) {}" : "new Promise(r => setTimeout(r, 2000)).then(() => ++n)",
        absl::Seconds(running_js ? 2 : 10));
  }

  void ExpectWaiterTimesOut(bool running_js) {
    PendingJob holder = Hold(running_js);
    absl::SleepFor(absl::Milliseconds(50));  // let it start (either order is correct)
    const absl::Duration timeout = absl::Milliseconds(300);
    absl::Time start = absl::Now();
    PendingJob waiter = Start("++n", timeout);
    ASSERT_TRUE(waiter.done->WaitForNotificationWithTimeout(absl::Seconds(5)));
    absl::Duration took = absl::Now() - start;
    EXPECT_EQ(waiter.outcome->status.code(), absl::StatusCode::kDeadlineExceeded)
        << Json(*waiter.outcome);
    EXPECT_LE(took, timeout + absl::Milliseconds(250));
    EXPECT_FALSE(holder.done->HasBeenNotified()) << "the waiter was answered by its holder";
    holder.Wait();
    // The session still works and the waiter never ran.
    PendingJob after = Start("n", absl::Seconds(10));
    Outcome o = after.Wait();
    EXPECT_EQ(Json(o), running_js ? "0" : "1");
  }

  std::unique_ptr<engine::Pool> pool_;
  std::string session_;
};

TEST_F(SessionWaitingTest, WaiterBehindParkedJobGetsDeadlineExceededAtItsDeadline) {
  ExpectWaiterTimesOut(/*running_js=*/false);
}

TEST_F(SessionWaitingTest, WaiterBehindRunningJobGetsDeadlineExceededAtItsDeadline) {
  ExpectWaiterTimesOut(/*running_js=*/true);
}

TEST_F(SessionWaitingTest, CancelledWaiterIsAnsweredCancelledAndNeverRuns) {
  PendingJob holder = Hold(/*running_js=*/false);
  absl::SleepFor(absl::Milliseconds(50));
  PendingJob waiter = Start("++n", absl::Seconds(10));
  absl::SleepFor(absl::Milliseconds(50));
  absl::Time start = absl::Now();
  pool_->Cancel(waiter.job);
  ASSERT_TRUE(waiter.done->WaitForNotificationWithTimeout(absl::Seconds(5)));
  EXPECT_LE(absl::Now() - start, absl::Milliseconds(250));
  EXPECT_EQ(waiter.outcome->status.code(), absl::StatusCode::kCancelled) << Json(*waiter.outcome);
  EXPECT_EQ(Json(holder.Wait()), "1");
  EXPECT_EQ(Json(Start("n", absl::Seconds(10)).Wait()), "1");
}

TEST_F(SessionWaitingTest, FullWaitingListIsResourceExhaustedAndTheRestStillRun) {
  PendingJob holder = Hold(/*running_js=*/false);
  absl::SleepFor(absl::Milliseconds(50));
  std::vector<PendingJob> waiters;
  for (int i = 0; i < 3; ++i) waiters.push_back(Start("++n", absl::Seconds(10)));
  PendingJob extra = Start("++n", absl::Seconds(10));
  ASSERT_TRUE(extra.done->WaitForNotificationWithTimeout(absl::Seconds(1)));
  EXPECT_EQ(extra.outcome->status.code(), absl::StatusCode::kResourceExhausted)
      << Json(*extra.outcome);
  EXPECT_EQ(Json(holder.Wait()), "1");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Json(waiters[i].Wait()), std::to_string(i + 2));
}

}  // namespace
}  // namespace jscore
