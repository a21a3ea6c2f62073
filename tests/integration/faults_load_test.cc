// Faults against a real jscored (issue 8, item 3), load on the front door: deadline
// storms beside normal requests, and bursts that overflow the queue. What
// daemon_test.cc checks for one request (a full queue answers RESOURCE_EXHAUSTED) is
// checked here at volume, with the daemon's own accounting (GetStats) and its memory
// looked at after.
//
// Every test bounds its request count and its waits; waits are on conditions (the
// daemon's counters, a callback having run), never on a sleep. Shared helpers:
// faults_support.h.
#include "gtest/gtest.h"
#include "tests/integration/faults_support.h"

namespace jscore::testing::faults {
namespace {

// ---------------------------------------------------------------------------------
// A deadline storm: 400 requests with deadlines of 1-5 ms (half as the request's
// timeout, which the daemon enforces, half as the gRPC deadline, which the client
// does), interleaved with 200 normal requests. Every storm request ends with its
// deadline (or, for a trivial script, its value), promptly; every normal one is right.
TEST(FaultsTest, DeadlineStormLeavesNormalRequestsCorrect) {
  auto daemon = StartDaemon({"--workers=2"});
  ASSERT_NE(daemon, nullptr);
  auto stub = daemon->NewStub();
  auto stubs = Stubs(*daemon, 4);
  const char* kStormSources[] = {kLongLoop, "new Promise(r => setTimeout(r, 1000))",
                                 "const end = Date.now() + 20; while (Date.now() < end) {} 1", "1"};
  constexpr int kStorm = 400;
  constexpr int kNormal = 200;
  constexpr int kOutstanding = 64;  // calls in flight at once
  struct Sent {
    std::unique_ptr<Call> call;
    int normal = -1;           // the value's seed, or -1 for a storm request
    int source = 0;            // kStormSources index
    bool server_side = false;  // the deadline is the request's timeout
    absl::Duration deadline;
  };
  std::vector<Sent> sent;
  for (int i = 0; i < kStorm + kNormal; ++i) {
    if (i >= kOutstanding) ASSERT_TRUE(sent[i - kOutstanding].call->Wait());
    Sent s;
    s.call = std::make_unique<Call>();
    Stub& on = *stubs[i % stubs.size()];
    if (i % 3 == 2) {  // every third: a normal request
      s.normal = i;
      s.call->request = WithN(i % 2 ? "n * 3" : "Promise.resolve(n * 3)", i);
      s.call->Start(on);
    } else {
      s.source = (i / 3) % 4;
      s.deadline = absl::Milliseconds(1 + i % 5);
      s.server_side = i % 2 == 0;
      if (s.server_side) {
        s.call->request = Source(kStormSources[s.source], s.deadline);
        s.call->Start(on);
      } else {
        s.call->request = Source(kStormSources[s.source], absl::Seconds(30));
        s.call->Start(on, s.deadline);
      }
    }
    sent.push_back(std::move(s));
  }
  int storm = 0, storm_values = 0, wrong = 0;
  absl::Duration slowest_server_side;
  for (Sent& s : sent) {
    ASSERT_TRUE(s.call->Wait());
    const Call& c = *s.call;
    if (s.normal >= 0) {
      if (!c.status.ok() || c.response.value().number_value() != 3.0 * s.normal) {
        if (wrong++ < 5) ADD_FAILURE() << "normal " << s.normal << ": " << c.status.error_message();
      }
      continue;
    }
    storm++;
    bool trivial = s.source == 3;
    if (trivial && c.status.ok()) {
      EXPECT_EQ(c.response.value().number_value(), 1);
      storm_values++;
      continue;
    }
    EXPECT_EQ(c.status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
        << kStormSources[s.source] << ": " << c.status.error_message();
    if (s.server_side) slowest_server_side = std::max(slowest_server_side, c.took());
  }
  EXPECT_EQ(storm, kStorm);
  EXPECT_EQ(wrong, 0);
  std::printf(
      "deadline storm: %d storm requests (%d trivial ones in time), slowest server-side "
      "deadline answered in %s\n",
      storm, storm_values, absl::FormatDuration(slowest_server_side).c_str());
  // The daemon fails a job whose deadline passed in the queue, or stops it running:
  // nothing waits for a worker to come free by chance.
  if (kCheckBounds) EXPECT_LT(slowest_server_side, absl::Seconds(1));
  ASSERT_TRUE(WaitDrained(*stub));
  EXPECT_GT(Stats(*stub).timeouts(), 0u);
  EXPECT_EQ(WrongNormalAnswers(stubs, 100, 5000), 0);
  EXPECT_EQ(daemon->Terminate(), 0);  // under ASan: LeakSanitizer checks the daemon
}

// ---------------------------------------------------------------------------------
// Bursts that overflow the queue: each of 8 bursts fires 400 requests at once at one
// worker with a 16-job queue. The overflow is answered RESOURCE_EXHAUSTED at once
// (not after waiting), counted by the daemon exactly, the accepted ones are right,
// and memory after the last burst is what it was after the first.
TEST(FaultsTest, QueueOverflowBurstsAreRefusedAtOnceWithoutGrowth) {
  auto daemon = StartDaemon({"--workers=1", "--queue_capacity=16", "--max_inflight_per_worker=8"});
  ASSERT_NE(daemon, nullptr);
  auto stub = daemon->NewStub();
  auto stubs = Stubs(*daemon, 4);
  constexpr int kBursts = 8;
  constexpr int kBurst = 400;
  uint64_t rss_after_first = 0;
  uint64_t rejected_total = 0;
  absl::Duration slowest_refusal_all;
  for (int b = 0; b < kBursts; ++b) {
    SCOPED_TRACE(absl::StrCat("burst ", b));
    uint64_t rejected_before = Stats(*stub).jobs_rejected();
    std::vector<std::unique_ptr<Call>> calls;
    for (int i = 0; i < kBurst; ++i) {
      auto call = std::make_unique<Call>();
      call->request = WithN("const end = Date.now() + 2; while (Date.now() < end) {} n", i);
      calls.push_back(std::move(call));
    }
    for (int i = 0; i < kBurst; ++i) calls[i]->Start(*stubs[i % stubs.size()]);
    int ok = 0, exhausted = 0;
    absl::Duration slowest_refusal;
    for (int i = 0; i < kBurst; ++i) {
      Call& c = *calls[i];
      ASSERT_TRUE(c.Wait());
      if (c.status.ok()) {
        EXPECT_EQ(c.response.value().number_value(), i);
        ok++;
      } else {
        ASSERT_EQ(c.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
            << c.status.error_message();
        EXPECT_TRUE(absl::StrContains(c.status.error_message(), "queue is full"))
            << c.status.error_message();
        slowest_refusal = std::max(slowest_refusal, c.took());
        exhausted++;
      }
    }
    EXPECT_EQ(ok + exhausted, kBurst);
    EXPECT_GE(ok, 16);          // at least a queue's worth got through
    EXPECT_GE(exhausted, 100);  // 400 × 2 ms of work cannot fit a 16-job queue
    // Refusals come at once: far sooner than the ~0.8 s the burst's work takes.
    if (kCheckBounds) EXPECT_LT(slowest_refusal, absl::Milliseconds(500));
    ASSERT_TRUE(WaitDrained(*stub));
    v1::GetStatsResponse stats = Stats(*stub);
    EXPECT_EQ(stats.jobs_rejected() - rejected_before, static_cast<uint64_t>(exhausted));
    rejected_total += exhausted;
    slowest_refusal_all = std::max(slowest_refusal_all, slowest_refusal);
    if (b == 0) rss_after_first = RssKb(daemon->pid());
  }
  const uint64_t rss_after_last = RssKb(daemon->pid());
  std::printf(
      "queue overflow: %lu refused in %d bursts (slowest refusal %s); RSS %lu kB after the "
      "first, %lu kB after the last\n",
      static_cast<unsigned long>(rejected_total), kBursts,
      absl::FormatDuration(slowest_refusal_all).c_str(),
      static_cast<unsigned long>(rss_after_first), static_cast<unsigned long>(rss_after_last));
  // Stated bound: 16 MB over the seven later bursts (~2,600 refusals), i.e. it catches
  // more than ~6 kB kept per refused request; smaller leaks are LeakSanitizer's to find
  // (the ASan run ends this daemon with SIGTERM, below).
  if (kCheckBounds) EXPECT_LT(rss_after_last, rss_after_first + 16 * 1024);
  EXPECT_EQ(WrongNormalAnswers(stubs, 12, 0), 0);  // fewer than the queue holds
  EXPECT_EQ(daemon->Terminate(), 0);
}

}  // namespace
}  // namespace jscore::testing::faults
