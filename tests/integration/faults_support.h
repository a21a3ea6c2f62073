// Shared by the fault tests (faults_*_test.cc, issue 8 item 3): requests, the
// daemon's own accounting (GetStats), bounded waits on conditions (never a sleep),
// a callback-API Evaluate to hold hundreds at once, and a CLI client process.
// Everything here runs on the test's thread except Call's completion callback
// (a gRPC thread), which only notifies.
#ifndef JSCORE_TESTS_INTEGRATION_FAULTS_SUPPORT_H_
#define JSCORE_TESTS_INTEGRATION_FAULTS_SUPPORT_H_

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "tests/support/daemon_process.h"

extern char** environ;

namespace jscore::testing::faults {

// Memory and latency bounds hold for the production build; a sanitizer build (ASan
// keeps freed memory in quarantine and slows our code) checks the outcomes only.
#ifdef JSCORE_SANITIZED
inline constexpr bool kCheckBounds = false;
#else
inline constexpr bool kCheckBounds = true;
#endif

using Stub = v1::JsCore::Stub;

inline google::protobuf::Duration ProtoDuration(absl::Duration d) {
  google::protobuf::Duration out;
  int64_t ns = absl::ToInt64Nanoseconds(d);
  out.set_seconds(ns / 1000000000);
  out.set_nanos(static_cast<int32_t>(ns % 1000000000));
  return out;
}

inline v1::EvaluateRequest Source(const std::string& source,
                                  absl::Duration timeout = absl::ZeroDuration()) {
  v1::EvaluateRequest request;
  request.set_source(source);
  if (timeout > absl::ZeroDuration()) *request.mutable_timeout() = ProtoDuration(timeout);
  return request;
}

// `n` as a global, so that every normal request has its own expected value.
inline v1::EvaluateRequest WithN(const std::string& source, int n) {
  v1::EvaluateRequest request = Source(source);
  (*request.mutable_globals())["n"].set_number_value(n);
  return request;
}

inline v1::GetStatsResponse Stats(Stub& stub) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  v1::GetStatsResponse stats;
  grpc::Status status = stub.GetStats(&context, {}, &stats);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return stats;
}

// Jobs the daemon holds: queued, running or parked on a worker.
inline uint64_t Held(const v1::GetStatsResponse& stats) {
  uint64_t held = stats.queue_depth();
  for (const auto& w : stats.workers()) held += w.jobs_in_flight();
  return held;
}

inline uint64_t Replacements(const v1::GetStatsResponse& stats) {
  uint64_t n = 0;
  for (const auto& w : stats.workers()) n += w.isolate_replacements();
  return n;
}

// Requests (or batch items) the daemon answered for `method` with `code`.
inline uint64_t Answered(const v1::GetStatsResponse& stats, const std::string& method,
                         grpc::StatusCode code) {
  for (const auto& c : stats.requests()) {
    if (c.method() == method && c.code() == static_cast<int>(code)) return c.count();
  }
  return 0;
}

// Polls `done` every 5 ms until it holds or `bound` passes; true if it held.
inline bool WaitFor(const std::function<bool()>& done, absl::Duration bound) {
  absl::Time deadline = absl::Now() + bound;
  while (!done()) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return true;
}

// Waits until the daemon holds `at_least` jobs (they reached it), bounded.
inline bool WaitHeld(Stub& stub, uint64_t at_least) {
  return WaitFor([&] { return Held(Stats(stub)) >= at_least; }, absl::Seconds(30));
}

// Waits until the daemon holds no job at all. Every job the tests leave behind has a
// 30 s timeout, so reaching 0 within 10 s means cancellation freed them, not time.
inline bool WaitDrained(Stub& stub) {
  return WaitFor([&] { return Held(Stats(stub)) == 0; }, absl::Seconds(10));
}

// One unary Evaluate on gRPC's callback API, so that a test can hold hundreds at once.
struct Call {
  grpc::ClientContext context;
  v1::EvaluateRequest request;
  v1::EvaluateResponse response;
  grpc::Status status;
  absl::Time started;
  absl::Time ended;
  absl::Notification done;

  void Start(Stub& stub, absl::Duration grpc_deadline = absl::Seconds(60)) {
    started = absl::Now();
    context.set_deadline(absl::ToChronoTime(started + grpc_deadline));
    stub.async()->Evaluate(&context, &request, &response, [this](grpc::Status s) {
      status = std::move(s);
      ended = absl::Now();
      done.Notify();
    });
  }
  // The gRPC deadline bounds the wait; a margin covers the callback itself.
  bool Wait() { return done.WaitForNotificationWithTimeout(absl::Seconds(90)); }
  absl::Duration took() const { return ended - started; }
};

// Normal requests spread over `stubs`, each with its own value; returns how many came
// back wrong (printing the first few).
inline int WrongNormalAnswers(const std::vector<std::unique_ptr<Stub>>& stubs, int count,
                              int base) {
  std::vector<std::unique_ptr<Call>> calls;
  for (int i = 0; i < count; ++i) {
    auto call = std::make_unique<Call>();
    call->request =
        WithN(i % 2 ? "n * 3" : "new Promise(r => setTimeout(() => r(n * 3), 2))", base + i);
    call->Start(*stubs[i % stubs.size()]);
    calls.push_back(std::move(call));
  }
  int wrong = 0;
  for (int i = 0; i < count; ++i) {
    Call& c = *calls[i];
    if (!c.Wait() || !c.status.ok() || c.response.value().number_value() != 3.0 * (base + i)) {
      if (wrong++ < 5) {
        ADD_FAILURE() << "normal request " << i << ": " << c.status.error_code() << " "
                      << c.status.error_message() << " " << c.response.ShortDebugString();
      }
    }
  }
  return wrong;
}

inline std::vector<std::unique_ptr<Stub>> Stubs(const DaemonProcess& daemon, int n) {
  std::vector<std::unique_ptr<Stub>> stubs;
  for (int i = 0; i < n; ++i) stubs.push_back(daemon.NewStub());  // a connection each
  return stubs;
}

// A `jscore` CLI process (a client in a process of its own, so that killing it
// closes its connection the way a crashed client does). Output goes to /dev/null.
inline pid_t SpawnCli(const DaemonProcess& daemon, const std::vector<std::string>& args) {
  std::vector<std::string> argv_s = {JSCORE_CLI_PATH, absl::StrCat("--target=", daemon.address())};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  EXPECT_EQ(rc, 0) << "could not start " << JSCORE_CLI_PATH;
  return rc == 0 ? pid : -1;
}

inline constexpr char kLongAwait[] = "new Promise(r => setTimeout(r, 30000))";
inline constexpr char kLongLoop[] = "while (true) {}";

}  // namespace jscore::testing::faults

#endif  // JSCORE_TESTS_INTEGRATION_FAULTS_SUPPORT_H_
