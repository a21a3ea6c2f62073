// internal::SessionStore: a worker's sessions, their bounded waiting lists with
// deadlines, their idle ttl and release, on an injected clock (no sleeping).
#include "engine/internal/session_store.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "engine/job.h"
#include "gtest/gtest.h"

namespace jscore::testing {
namespace {

using engine::internal::Session;
using engine::internal::SessionStore;

constexpr absl::Time kStart = absl::FromUnixSeconds(1'000'000);

class SessionStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<Session> NewSession(const std::string& id, absl::Duration ttl) {
    auto session = std::make_unique<Session>();
    session->id = id;
    session->ttl = ttl;
    return session;
  }
  std::shared_ptr<engine::Job> NewJob(absl::Time deadline) {
    return std::make_shared<engine::Job>(engine::JobSpec{}, deadline, [](engine::Outcome) {});
  }

  absl::Time now_ = kStart;
  SessionStore store_{/*max_waiting=*/2, [this] { return now_; }};
};

TEST_F(SessionStoreTest, KeepsFindsAndRemovesSessions) {
  Session* a = store_.Add(NewSession("a", absl::Seconds(10)));
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->last_used, kStart);
  store_.Add(NewSession("b", absl::Seconds(10)));
  EXPECT_EQ(store_.Find("a"), a);
  EXPECT_EQ(store_.Find("nobody"), nullptr);
  EXPECT_EQ(store_.published_count(), 2u);
  std::unique_ptr<Session> removed = store_.Remove("a");
  ASSERT_NE(removed, nullptr);
  EXPECT_EQ(removed->id, "a");
  EXPECT_EQ(store_.Remove("a"), nullptr);
  EXPECT_EQ(store_.Find("a"), nullptr);
  EXPECT_EQ(store_.size(), 1u);
  EXPECT_EQ(store_.published_count(), 1u);
  EXPECT_EQ(store_.TakeAll().size(), 1u);
  EXPECT_EQ(store_.published_count(), 0u);
}

TEST_F(SessionStoreTest, WaitingListsAreBoundedAndReleasedInArrivalOrder) {
  Session* s = store_.Add(NewSession("s", absl::Seconds(10)));
  s->busy = true;
  s->bytes = 1000;
  auto first = NewJob(kStart + absl::Seconds(5));
  auto second = NewJob(kStart + absl::Seconds(5));
  EXPECT_TRUE(store_.Enqueue(*s, first));
  EXPECT_TRUE(store_.Enqueue(*s, second));
  EXPECT_FALSE(store_.Enqueue(*s, NewJob(kStart + absl::Seconds(5))));  // max_waiting = 2
  EXPECT_EQ(s->waiting.size(), 2u);

  now_ += absl::Seconds(1);
  EXPECT_EQ(store_.Release(*s, /*heap_growth=*/500), first);
  EXPECT_FALSE(s->busy);
  EXPECT_EQ(s->last_used, kStart + absl::Seconds(1));
  EXPECT_EQ(s->bytes, 1500u);
  EXPECT_EQ(store_.Release(*s, /*heap_growth=*/-4000), second);
  EXPECT_EQ(s->bytes, 0u);  // never below 0
  EXPECT_EQ(store_.Release(*s, 0), nullptr);
}

TEST_F(SessionStoreTest, TakesOverdueWaitingJobsAndSaysTheNextDeadline) {
  Session* a = store_.Add(NewSession("a", absl::Seconds(10)));
  Session* b = store_.Add(NewSession("b", absl::Seconds(10)));
  auto soon = NewJob(kStart + absl::Milliseconds(100));
  auto later = NewJob(kStart + absl::Milliseconds(300));
  auto latest = NewJob(kStart + absl::Milliseconds(700));
  store_.Enqueue(*a, soon);
  store_.Enqueue(*a, latest);
  store_.Enqueue(*b, later);

  absl::Time next;
  EXPECT_TRUE(store_.TakeOverdue(&next).empty());
  EXPECT_EQ(next, kStart + absl::Milliseconds(100));

  now_ = kStart + absl::Milliseconds(300);  // a deadline that is now has passed
  std::vector<std::shared_ptr<engine::Job>> overdue = store_.TakeOverdue(&next);
  ASSERT_EQ(overdue.size(), 2u);
  EXPECT_TRUE((overdue[0] == soon && overdue[1] == later) ||
              (overdue[0] == later && overdue[1] == soon));
  EXPECT_EQ(next, kStart + absl::Milliseconds(700));
  EXPECT_EQ(a->waiting.size(), 1u);
  EXPECT_EQ(a->waiting.front(), latest);
  EXPECT_TRUE(b->waiting.empty());

  now_ = kStart + absl::Seconds(1);
  EXPECT_EQ(store_.TakeOverdue(&next).size(), 1u);
  EXPECT_EQ(next, absl::InfiniteFuture());
}

TEST_F(SessionStoreTest, ExpiresIdleSessionsAfterTheirTtlWithoutSleeping) {
  store_.Add(NewSession("short", absl::Seconds(5)));
  store_.Add(NewSession("long", absl::Seconds(60)));
  absl::Duration next;
  EXPECT_TRUE(store_.Expire(&next).empty());
  EXPECT_EQ(next, absl::Seconds(5));

  now_ += absl::Seconds(5);
  EXPECT_EQ(store_.Expire(&next), std::vector<std::string>{"short"});
  EXPECT_EQ(next, absl::Seconds(55));
  EXPECT_EQ(store_.Find("short"), nullptr);
  EXPECT_EQ(store_.published_count(), 1u);

  now_ += absl::Seconds(55);
  EXPECT_EQ(store_.Expire(&next), std::vector<std::string>{"long"});
  EXPECT_EQ(next, absl::InfiniteDuration());
  EXPECT_EQ(store_.size(), 0u);
}

TEST_F(SessionStoreTest, ABusyOrAwaitedSessionNeverExpires) {
  Session* busy = store_.Add(NewSession("busy", absl::Seconds(1)));
  Session* awaited = store_.Add(NewSession("awaited", absl::Seconds(1)));
  busy->busy = true;
  store_.Enqueue(*awaited, NewJob(kStart + absl::Hours(1)));
  now_ += absl::Minutes(10);
  absl::Duration next;
  EXPECT_TRUE(store_.Expire(&next).empty());
  EXPECT_EQ(next, absl::Milliseconds(1));  // overdue ones are looked at again soon
  EXPECT_EQ(store_.size(), 2u);

  // Released ten minutes later, its ttl counts from then.
  store_.Release(*busy, 0);
  now_ += absl::Milliseconds(999);
  store_.Expire(&next);
  EXPECT_NE(store_.Find("busy"), nullptr);
  now_ += absl::Milliseconds(1);
  store_.Expire(&next);
  EXPECT_EQ(store_.Find("busy"), nullptr);
}

}  // namespace
}  // namespace jscore::testing
