// Containment against a real jscored (issue 15, items 1 and 6): hostile loops in our
// native functions stop at their deadline while normal traffic beside them stays
// right, a job stuck in a builtin retires its worker, a session job waits no longer
// than its deadline, and SIGTERM during any of it exits 0 within grace + margin.
// Timing-checked: this binary runs alone (RUN_SERIAL).
#include <atomic>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "tests/support/daemon_process.h"

#ifdef JSCORE_SANITIZED
constexpr bool kCheckBounds = false;  // ASan slows our code and keeps freed memory
#else
constexpr bool kCheckBounds = true;
#endif

namespace jscore::testing {
namespace {

// A stuck builtin's thread is retired with its isolate left behind, by design (README,
// "Limits"); LeakSanitizer would report that isolate when the daemon exits and turn its
// exit status into 1. Under ASan the daemons of the stuck-builtin tests run without the
// leak check (every other ASan check stays on); elsewhere this does nothing.
void LetRetiredIsolatesLeak() {
#ifdef JSCORE_SANITIZED
  const char* options = std::getenv("ASAN_OPTIONS");
  std::string with = absl::StrCat(options != nullptr ? options : "", ":detect_leaks=0");
  setenv("ASAN_OPTIONS", with.c_str(), 1);
#endif
}

using Stub = v1::JsCore::Stub;

constexpr int kWorkers = 2;
constexpr int kHeapMb = 128;
constexpr int kArrayBufferMb = 64;

google::protobuf::Duration ProtoDuration(absl::Duration d) {
  google::protobuf::Duration out;
  int64_t ns = absl::ToInt64Nanoseconds(d);
  out.set_seconds(ns / 1000000000);
  out.set_nanos(static_cast<int32_t>(ns % 1000000000));
  return out;
}

std::vector<std::string> Flags(std::vector<std::string> extra = {}) {
  std::vector<std::string> flags = {
      absl::StrCat("--workers=", kWorkers), absl::StrCat("--heap_limit_mb=", kHeapMb),
      absl::StrCat("--array_buffer_limit_mb=", kArrayBufferMb), "--shutdown_grace=1s"};
  flags.insert(flags.end(), extra.begin(), extra.end());
  return flags;
}

struct Reply {
  grpc::Status status;
  v1::EvaluateResponse response;
  absl::Duration took;
};

Reply Evaluate(Stub& stub, const std::string& source, absl::Duration timeout,
               const std::string& session = "") {
  v1::EvaluateRequest request;
  request.set_source(source);
  request.set_session(session);
  *request.mutable_timeout() = ProtoDuration(timeout);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout + absl::Seconds(30)));
  Reply reply;
  absl::Time start = absl::Now();
  reply.status = stub.Evaluate(&context, request, &reply.response);
  reply.took = absl::Now() - start;
  return reply;
}

// A steady background of normal evaluations, each with its own expected answer;
// counts the wrong ones. Stops by itself when asked (and after 60 s at most).
class NormalTraffic {
 public:
  explicit NormalTraffic(const DaemonProcess& daemon) : stub_(daemon.NewStub()) {
    thread_ = std::thread([this] {
      absl::Time until = absl::Now() + absl::Seconds(60);
      for (int n = 0; !stop_.HasBeenNotified() && absl::Now() < until; ++n) {
        Reply r = Evaluate(*stub_, absl::StrCat("[", n, "].map(x => x * 3)[0]"), absl::Seconds(5));
        bool right =
            r.status.ok() && r.response.has_value() && r.response.value().number_value() == 3.0 * n;
        (right ? ok_ : wrong_).fetch_add(1);
        if (!right) last_wrong_ = r.status.error_message();
      }
    });
  }
  ~NormalTraffic() { Stop(); }
  void Stop() {
    if (!stop_.HasBeenNotified()) stop_.Notify();
    if (thread_.joinable()) thread_.join();
  }
  int ok() const { return ok_.load(); }
  int wrong() const { return wrong_.load(); }
  std::string last_wrong() const { return last_wrong_; }

 private:
  std::unique_ptr<Stub> stub_;
  absl::Notification stop_;
  std::atomic<int> ok_{0};
  std::atomic<int> wrong_{0};
  std::string last_wrong_;  // written by the thread, read after Stop
  std::thread thread_;
};

void ExpectHealthyAndBounded(const DaemonProcess& daemon) {
  EXPECT_TRUE(IsServing(daemon.NewChannel(), absl::Seconds(5)));
  if (kCheckBounds) {
    uint64_t bound_kb = (kWorkers * (kHeapMb + kArrayBufferMb) + 100) * 1024;
    EXPECT_LE(RssKb(daemon.pid()), bound_kb);
  }
}

struct HostileLoop {
  const char* name;
  const char* source;
};

const HostileLoop kLoops[] = {
    {"console_log_20k_keys",
     "const o = {}; for (let i = 0; i < 20000; i++) o['k' + i] = i; for (;;) console.log(o);"},
    {"console_dir_20k_keys",
     "const o = {}; for (let i = 0; i < 20000; i++) o['k' + i] = i; for (;;) console.dir(o);"},
    {"console_log_format_big_string",
     "const big = 'x'.repeat(8 << 20); for (;;) console.log('%s', big);"},
    {"sha256_big", "const big = 'x'.repeat(8 << 20); for (;;) sha256(big);"},
    {"btoa_big", "const big = 'x'.repeat(8 << 20); for (;;) btoa(big);"},
    {"url_search_params_20k_keys",
     "const o = {}; for (let i = 0; i < 20000; i++) o['k' + i] = 'v' + i;"
     "for (;;) new URLSearchParams(o).toString();"},
};

TEST(ContainmentTest, NativeLoopsStopAtTheirDeadlineBesideNormalTraffic) {
  auto daemon = DaemonProcess::Start(Flags());
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  auto stub = (*daemon)->NewStub();
  NormalTraffic normal(**daemon);
  const absl::Duration timeout = absl::Milliseconds(500);
  for (const HostileLoop& loop : kLoops) {
    // One per worker at once: the daemon must keep serving even then.
    std::vector<std::thread> hostile;
    std::vector<Reply> replies(kWorkers);
    for (int i = 0; i < kWorkers; ++i) {
      hostile.emplace_back([&, i] {
        auto own = (*daemon)->NewStub();
        replies[i] = Evaluate(*own, loop.source, timeout);
      });
    }
    for (auto& t : hostile) t.join();
    for (const Reply& r : replies) {
      EXPECT_EQ(r.status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
          << loop.name << ": " << r.status.error_message();
      if (kCheckBounds) EXPECT_LE(r.took, timeout + absl::Milliseconds(250)) << loop.name;
    }
  }
  normal.Stop();
  EXPECT_GT(normal.ok(), 0);
  EXPECT_EQ(normal.wrong(), 0) << normal.last_wrong();
  ExpectHealthyAndBounded(**daemon);
  EXPECT_EQ((*daemon)->Terminate(), 0);
}

TEST(ContainmentTest, SessionJobBehindABusyOneIsAnsweredAtItsDeadline) {
  auto daemon = DaemonProcess::Start(Flags({"--max_waiting_per_session=2"}));
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  auto stub = (*daemon)->NewStub();
  v1::CreateSessionRequest create;
  v1::CreateSessionResponse created;
  {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    ASSERT_TRUE(stub->CreateSession(&context, create, &created).ok());
  }
  std::string session = created.session();
  // A parked 30 s job holds the session.
  std::thread holder([&] {
    auto own = (*daemon)->NewStub();
    Evaluate(*own, "new Promise(r => setTimeout(r, 30000))", absl::Seconds(3), session);
  });
  absl::SleepFor(absl::Milliseconds(200));
  Reply waiter = Evaluate(*stub, "1", absl::Milliseconds(300), session);
  EXPECT_EQ(waiter.status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
      << waiter.status.error_message();
  if (kCheckBounds) EXPECT_LE(waiter.took, absl::Milliseconds(300 + 250));
  holder.join();
  Reply after = Evaluate(*stub, "2 + 2", absl::Seconds(5), session);
  ASSERT_TRUE(after.status.ok()) << after.status.error_message();
  EXPECT_EQ(after.response.value().number_value(), 4);
  ExpectHealthyAndBounded(**daemon);
  EXPECT_EQ((*daemon)->Terminate(), 0);
}

// The last resort with a real daemon: a builtin that ignores termination is
// answered DEADLINE_EXCEEDED within its deadline + --retire_after_overrun (+ a new
// isolate's start), normal traffic stays right, and the daemon keeps serving. (Its
// memory is not bounded here: the retired thread keeps its 512 MiB array until fill
// returns, as the README says.)
TEST(ContainmentTest, StuckBuiltinRetiresItsWorkerBesideNormalTraffic) {
  LetRetiredIsolatesLeak();
  auto daemon = DaemonProcess::Start(Flags({"--retire_after_overrun=500ms"}));
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  auto stub = (*daemon)->NewStub();
  NormalTraffic normal(**daemon);
  const absl::Duration timeout = absl::Milliseconds(300);
  Reply stuck = Evaluate(*stub, "new Array(2 ** 26).fill(1); 'finished'", timeout);
  EXPECT_EQ(stuck.status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
      << stuck.status.error_message();
  if (kCheckBounds) {
    EXPECT_LE(stuck.took, timeout + absl::Milliseconds(500) + absl::Milliseconds(750));
  }
  // The replaced worker serves again: a plain loop is stopped at its deadline.
  Reply looped = Evaluate(*stub, "for (;;) {}", absl::Milliseconds(200));
  EXPECT_EQ(looped.status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  normal.Stop();
  EXPECT_GT(normal.ok(), 0);
  EXPECT_EQ(normal.wrong(), 0) << normal.last_wrong();
  EXPECT_TRUE(IsServing((*daemon)->NewChannel(), absl::Seconds(5)));
  EXPECT_EQ((*daemon)->Terminate(), 0);
}

// Item 2 with a real daemon: a parked request holds most of a 64 MB heap while 7
// others need 16 MB for a moment. The hog fails RESOURCE_EXHAUSTED; the 7 and the
// normal traffic get their right answers.
TEST(ContainmentTest, HeapLimitFailsTheHogAndNoOneElse) {
  auto daemon = DaemonProcess::Start(
      {"--workers=1", "--heap_limit_mb=64", "--array_buffer_limit_mb=64", "--shutdown_grace=1s"});
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  auto stub = (*daemon)->NewStub();
  Reply hog;
  std::thread hog_thread([&] {
    auto own = (*daemon)->NewStub();
    hog =
        Evaluate(*own,
                 "const hold = Array.from({length: 48}, (_, i) => new Array(131072).fill(i + 0.5));"
                 "new Promise(r => setTimeout(r, 4000)).then(() => hold.length)",
                 absl::Seconds(20));
  });
  absl::Time until = absl::Now() + absl::Seconds(10);
  for (;;) {  // the hog is in flight (parked) before the others come
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    v1::GetStatsResponse stats;
    ASSERT_TRUE(stub->GetStats(&context, {}, &stats).ok());
    if (stats.workers(0).jobs_in_flight() > 0) break;
    ASSERT_LT(absl::Now(), until);
    absl::SleepFor(absl::Milliseconds(10));
  }
  absl::SleepFor(absl::Milliseconds(200));
  NormalTraffic normal(**daemon);
  std::vector<std::thread> others;
  std::vector<Reply> replies(7);
  for (int i = 0; i < 7; ++i) {
    others.emplace_back([&, i] {
      auto own = (*daemon)->NewStub();
      replies[i] = Evaluate(*own, absl::StrCat("new Array(2097152).fill(", i, ".5).length + ", i),
                            absl::Seconds(20));
    });
  }
  for (auto& t : others) t.join();
  hog_thread.join();
  normal.Stop();
  for (int i = 0; i < 7; ++i) {
    ASSERT_TRUE(replies[i].status.ok()) << i << ": " << replies[i].status.error_message();
    EXPECT_EQ(replies[i].response.value().number_value(), 2097152 + i);
  }
  EXPECT_EQ(hog.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << hog.status.error_message();
  EXPECT_EQ(normal.wrong(), 0) << normal.last_wrong();
  EXPECT_TRUE(IsServing((*daemon)->NewChannel(), absl::Seconds(5)));
  if (kCheckBounds) EXPECT_LE(RssKb((*daemon)->pid()), (64 + 64 + 100) * 1024u);
  EXPECT_EQ((*daemon)->Terminate(), 0);
}

// Item 3 with a real daemon: empty sessions are refused by memory, cleanly, before
// any other caller's session is lost.
TEST(ContainmentTest, ManyEmptySessionsAreRefusedBeforeAnyoneLosesOne) {
  auto daemon = DaemonProcess::Start(Flags({"--session_memory_mb=16", "--max_sessions=2000"}));
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  auto stub = (*daemon)->NewStub();
  auto create = [&stub](const std::string& source, v1::CreateSessionResponse* created) {
    v1::CreateSessionRequest request;
    request.set_source(source);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    return stub->CreateSession(&context, request, created);
  };
  v1::CreateSessionResponse theirs;
  ASSERT_TRUE(create("var mine = 'theirs'", &theirs).ok());
  int made = 0;
  grpc::Status refused;
  for (int i = 0; i < 1500; ++i) {
    v1::CreateSessionResponse created;
    refused = create("", &created);
    if (!refused.ok()) break;
    ++made;
  }
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << refused.error_message();
  EXPECT_LT(made, 1500);
  Reply still = Evaluate(*stub, "mine", absl::Seconds(5), theirs.session());
  ASSERT_TRUE(still.status.ok()) << still.status.error_message();
  EXPECT_EQ(still.response.value().string_value(), "theirs");
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  v1::GetStatsResponse stats;
  ASSERT_TRUE(stub->GetStats(&context, {}, &stats).ok());
  for (const auto& w : stats.workers()) EXPECT_EQ(w.isolate_replacements(), 0u);
  ExpectHealthyAndBounded(**daemon);
  EXPECT_EQ((*daemon)->Terminate(), 0);
}

// SIGTERM while every worker is in a hostile loop: exit 0 within grace + margin.
void ExpectSigtermExitsDuring(const std::string& source, absl::Duration margin) {
  auto daemon = DaemonProcess::Start(Flags({"--max_timeout=120s"}));
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  std::vector<std::thread> hostile;
  for (int i = 0; i < kWorkers; ++i) {
    hostile.emplace_back([&] {
      auto own = (*daemon)->NewStub();
      Evaluate(*own, source, absl::Seconds(60));  // answered at shutdown, or cut off
    });
  }
  auto stub = (*daemon)->NewStub();
  absl::Time until = absl::Now() + absl::Seconds(10);
  for (;;) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    v1::GetStatsResponse stats;
    ASSERT_TRUE(stub->GetStats(&context, {}, &stats).ok());
    uint64_t held = 0;
    for (const auto& w : stats.workers()) held += w.jobs_in_flight();
    if (held >= kWorkers) break;
    ASSERT_LT(absl::Now(), until) << "the hostile jobs never started";
    absl::SleepFor(absl::Milliseconds(10));
  }
  absl::SleepFor(absl::Milliseconds(300));  // well inside the loop
  absl::Time start = absl::Now();
  int exit_status = (*daemon)->Terminate(absl::Seconds(30));
  absl::Duration took = absl::Now() - start;
  EXPECT_EQ(exit_status, 0);
  if (kCheckBounds) EXPECT_LE(took, absl::Seconds(1) + margin) << took;  // --shutdown_grace=1s
  for (auto& t : hostile) t.join();
}

// The daemon's shutdown after the pool's: the gRPC server gets 2 s to finish its
// calls (daemon/server.cc).
constexpr absl::Duration kServerShutdown = absl::Seconds(2);

TEST(ContainmentTest, SigtermDuringNativeLoopsExitsWithinGrace) {
  ExpectSigtermExitsDuring(kLoops[0].source, kServerShutdown + absl::Milliseconds(500));
}

// The builtin never looks at termination: the workers are left behind after the
// stop margin (--shutdown_stop_margin, 2 s by default) and the process still exits 0.
TEST(ContainmentTest, SigtermDuringAStuckBuiltinExitsWithinGraceAndMargin) {
  LetRetiredIsolatesLeak();
  ExpectSigtermExitsDuring("new Array(2 ** 26).fill(1)",
                           absl::Seconds(2) + kServerShutdown + absl::Milliseconds(500));
}

}  // namespace
}  // namespace jscore::testing
