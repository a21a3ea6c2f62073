// Faults against a real jscored (issue 8, item 3): clients that vanish mid-request
// and mid-Batch-stream, deadline storms, a burst that overflows the queue, SIGTERM
// under load, isolate replacement under load. What daemon_test.cc and batch_test.cc
// already check for one request or one stream (a cancel stops its job, a full queue
// answers RESOURCE_EXHAUSTED, shutdown finishes what is in flight) is checked here at
// volume, with the daemon's own accounting (GetStats) and its memory looked at after.
//
// Every test bounds its request count and its waits; waits are on conditions (the
// daemon's counters, a callback having run), never on a sleep.
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

// Memory and latency bounds hold for the production build; a sanitizer build (ASan
// keeps freed memory in quarantine and slows our code) checks the outcomes only.
#ifdef JSCORE_SANITIZED
constexpr bool kCheckBounds = false;
#else
constexpr bool kCheckBounds = true;
#endif

extern char** environ;

namespace jscore::testing {
namespace {

using Stub = v1::JsCore::Stub;

std::unique_ptr<DaemonProcess> StartDaemon(const std::vector<std::string>& flags) {
  auto daemon = DaemonProcess::Start(flags);
  EXPECT_TRUE(daemon.ok()) << daemon.status();
  return daemon.ok() ? std::move(*daemon) : nullptr;
}

google::protobuf::Duration ProtoDuration(absl::Duration d) {
  google::protobuf::Duration out;
  int64_t ns = absl::ToInt64Nanoseconds(d);
  out.set_seconds(ns / 1000000000);
  out.set_nanos(static_cast<int32_t>(ns % 1000000000));
  return out;
}

v1::EvaluateRequest Source(const std::string& source, absl::Duration timeout = absl::ZeroDuration()) {
  v1::EvaluateRequest request;
  request.set_source(source);
  if (timeout > absl::ZeroDuration()) *request.mutable_timeout() = ProtoDuration(timeout);
  return request;
}

// `n` as a global, so that every normal request has its own expected value.
v1::EvaluateRequest WithN(const std::string& source, int n) {
  v1::EvaluateRequest request = Source(source);
  (*request.mutable_globals())["n"].set_number_value(n);
  return request;
}

v1::GetStatsResponse Stats(Stub& stub) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  v1::GetStatsResponse stats;
  grpc::Status status = stub.GetStats(&context, {}, &stats);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return stats;
}

// Jobs the daemon holds: queued, running or parked on a worker.
uint64_t Held(const v1::GetStatsResponse& stats) {
  uint64_t held = stats.queue_depth();
  for (const auto& w : stats.workers()) held += w.jobs_in_flight();
  return held;
}

uint64_t Replacements(const v1::GetStatsResponse& stats) {
  uint64_t n = 0;
  for (const auto& w : stats.workers()) n += w.isolate_replacements();
  return n;
}

// Requests (or batch items) the daemon answered for `method` with `code`.
uint64_t Answered(const v1::GetStatsResponse& stats, const std::string& method, grpc::StatusCode code) {
  for (const auto& c : stats.requests()) {
    if (c.method() == method && c.code() == static_cast<int>(code)) return c.count();
  }
  return 0;
}

// Polls `done` every 5 ms until it holds or `bound` passes; true if it held.
bool WaitFor(const std::function<bool()>& done, absl::Duration bound) {
  absl::Time deadline = absl::Now() + bound;
  while (!done()) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return true;
}

// Waits until the daemon holds `at_least` jobs (they reached it), bounded.
bool WaitHeld(Stub& stub, uint64_t at_least) {
  return WaitFor([&] { return Held(Stats(stub)) >= at_least; }, absl::Seconds(30));
}

// Waits until the daemon holds no job at all. Every job the tests leave behind has a
// 30 s timeout, so reaching 0 within 10 s means cancellation freed them, not time.
bool WaitDrained(Stub& stub) {
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
int WrongNormalAnswers(const std::vector<std::unique_ptr<Stub>>& stubs, int count, int base) {
  std::vector<std::unique_ptr<Call>> calls;
  for (int i = 0; i < count; ++i) {
    auto call = std::make_unique<Call>();
    call->request = WithN(i % 2 ? "n * 3" : "new Promise(r => setTimeout(() => r(n * 3), 2))", base + i);
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

std::vector<std::unique_ptr<Stub>> Stubs(const DaemonProcess& daemon, int n) {
  std::vector<std::unique_ptr<Stub>> stubs;
  for (int i = 0; i < n; ++i) stubs.push_back(daemon.NewStub());  // a connection each
  return stubs;
}

// A `jscore` CLI process (a client in a process of its own, so that killing it
// closes its connection the way a crashed client does). Output goes to /dev/null.
pid_t SpawnCli(const DaemonProcess& daemon, const std::vector<std::string>& args) {
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

constexpr char kLongAwait[] = "new Promise(r => setTimeout(r, 30000))";
constexpr char kLongLoop[] = "while (true) {}";

// ---------------------------------------------------------------------------------
// Clients that vanish: in-process cancels (RST_STREAM) of unary calls and of Batch
// streams mid-way, and client processes killed mid-request and mid-stream (their
// connections close). Every held job is released long before its 30 s timeout, the
// daemon accounts for every vanished RPC exactly once, keeps serving correctly, and
// its memory does not grow with the rounds.
TEST(FaultsTest, ClientsThatVanishMidRequestAndMidBatchLeaveNothingBehind) {
  auto daemon = StartDaemon({"--workers=2", "--batch_window=32"});
  ASSERT_NE(daemon, nullptr);
  auto stub = daemon->NewStub();
  auto stubs = Stubs(*daemon, 4);
  ASSERT_EQ(WrongNormalAnswers(stubs, 200, 0), 0);  // warm: contexts built, heaps grown
  const uint64_t rss_before = RssKb(daemon->pid());

  std::string batch_file = absl::StrCat(ProcessTempDir(), "/vanish_batch.jsonl");
  {
    std::ofstream out(batch_file);
    for (int i = 0; i < 60; ++i) {
      if (i % 2) {
        out << "{\"id\": \"f" << i << "\", \"source\": \"" << i << " + 1\"}\n";
      } else {
        out << "{\"id\": \"a" << i << "\", \"source\": \"" << kLongAwait << "\", \"timeout_ms\": 30000}\n";
      }
    }
  }

  constexpr int kRounds = 3;
  constexpr int kUnary = 20;         // per round: 2 loops + 18 parked awaits, cancelled
  constexpr int kStreams = 6;        // per round: Batch streams cancelled mid-way
  constexpr int kItems = 40;         // per stream: fast items and parked awaits
  constexpr int kCliBatches = 3;     // per round: `jscore batch` processes killed
  constexpr int kCliEvals = 3;       // per round: `jscore eval` processes killed
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    // Unary calls, each on its own connection, cancelled once all are held.
    std::vector<std::unique_ptr<Call>> calls;
    std::vector<std::unique_ptr<Stub>> own;
    for (int i = 0; i < kUnary; ++i) {
      own.push_back(daemon->NewStub());
      auto call = std::make_unique<Call>();
      call->request = Source(i < 2 ? kLongLoop : kLongAwait, absl::Seconds(30));
      call->Start(*own.back());
      calls.push_back(std::move(call));
    }
    ASSERT_TRUE(WaitHeld(*stub, kUnary));
    for (auto& c : calls) c->context.TryCancel();
    for (auto& c : calls) {
      ASSERT_TRUE(c->Wait());
      EXPECT_EQ(c->status.error_code(), grpc::StatusCode::CANCELLED) << c->status.error_message();
    }
    ASSERT_TRUE(WaitDrained(*stub)) << "cancelled unary jobs still held";

    // Batch streams: the client reads some results, then cancels the stream.
    std::vector<std::thread> streams;
    std::atomic<int> streams_cancelled{0};
    for (int s = 0; s < kStreams; ++s) {
      streams.emplace_back([&, s] {
        // A stream whose connection fails on the client's side never reached the
        // daemon (UNAVAILABLE before any result): open it again, at most twice.
        grpc::Status status;
        for (int attempt = 0; attempt < 3; ++attempt) {
          auto own_stub = daemon->NewStub();
          grpc::ClientContext context;
          auto stream = own_stub->Batch(&context);
          std::thread writer([&] {
            for (int i = 0; i < kItems; ++i) {
              v1::BatchRequest item;
              item.set_id(absl::StrCat(i));
              item.mutable_evaluate()->set_source(i % 2 ? absl::StrCat(i, " + 1") : kLongAwait);
              *item.mutable_evaluate()->mutable_timeout() = ProtoDuration(absl::Seconds(30));
              if (!stream->Write(item)) break;
            }
          });
          v1::BatchResponse response;
          int read = 0;
          while (read < 5 + s && stream->Read(&response)) {
            int i = std::stoi(response.id());
            EXPECT_EQ(i % 2, 1) << "a 30 s await answered early";
            EXPECT_EQ(response.result().value().number_value(), i + 1);
            read++;
          }
          context.TryCancel();
          while (stream->Read(&response)) {
          }
          writer.join();
          status = stream->Finish();
          if (!(status.error_code() == grpc::StatusCode::UNAVAILABLE && read == 0)) break;
        }
        EXPECT_EQ(status.error_code(), grpc::StatusCode::CANCELLED)
            << "stream " << s << ": " << status.error_message();
        if (status.error_code() == grpc::StatusCode::CANCELLED) streams_cancelled++;
      });
    }
    for (auto& t : streams) t.join();
    EXPECT_EQ(streams_cancelled.load(), kStreams);
    ASSERT_TRUE(WaitDrained(*stub)) << "jobs of cancelled streams still held";

    // Client processes killed while their requests and streams are held. The batches
    // first: once their 30 quick items each are answered, the daemon holds exactly
    // their 30 awaits each; then the evals, one job each.
    const uint64_t quick_before = Answered(Stats(*stub), "BatchItem", grpc::StatusCode::OK);
    std::vector<pid_t> clients;
    for (int i = 0; i < kCliBatches; ++i) clients.push_back(SpawnCli(*daemon, {"batch", batch_file}));
    ASSERT_TRUE(WaitFor([&] {
      v1::GetStatsResponse now = Stats(*stub);
      return Answered(now, "BatchItem", grpc::StatusCode::OK) >= quick_before + kCliBatches * 30 &&
             Held(now) >= kCliBatches * 30;
    }, absl::Seconds(30)));
    for (int i = 0; i < kCliEvals; ++i) {
      clients.push_back(SpawnCli(*daemon, {"--timeout=30s", "eval", i == 0 ? kLongLoop : kLongAwait}));
    }
    ASSERT_TRUE(WaitHeld(*stub, kCliBatches * 30 + kCliEvals));
    for (pid_t pid : clients) {
      if (pid > 0) kill(pid, SIGKILL);
    }
    for (pid_t pid : clients) {
      if (pid > 0) waitpid(pid, nullptr, 0);
    }
    ASSERT_TRUE(WaitDrained(*stub)) << "jobs of killed clients still held";
  }

  // Every vanished RPC was answered (to nobody) exactly once, as CANCELLED. A job
  // leaves its worker's count just before its RPC is answered: wait for the answers.
  const uint64_t want_evaluate = kRounds * (kUnary + kCliEvals);
  const uint64_t want_batch = kRounds * (kStreams + kCliBatches);
  v1::GetStatsResponse stats;
  WaitFor([&] {
    stats = Stats(*stub);
    return Answered(stats, "Evaluate", grpc::StatusCode::CANCELLED) >= want_evaluate &&
           Answered(stats, "Batch", grpc::StatusCode::CANCELLED) >= want_batch;
  }, absl::Seconds(10));
  SCOPED_TRACE(stats.ShortDebugString());
  EXPECT_EQ(Answered(stats, "Evaluate", grpc::StatusCode::CANCELLED), want_evaluate);
  EXPECT_EQ(Answered(stats, "Batch", grpc::StatusCode::CANCELLED), want_batch);
  EXPECT_EQ(Answered(stats, "Evaluate", grpc::StatusCode::DEADLINE_EXCEEDED), 0u);
  EXPECT_EQ(Replacements(stats), 0u);

  // The daemon serves as before, and the rounds left no memory behind.
  EXPECT_EQ(WrongNormalAnswers(stubs, 200, 1000), 0);
  const uint64_t rss_after = RssKb(daemon->pid());
  RecordProperty("rss_before_kb", static_cast<int>(rss_before));
  RecordProperty("rss_after_kb", static_cast<int>(rss_after));
  std::printf("vanishing clients: RSS %lu kB before, %lu kB after\n",
              static_cast<unsigned long>(rss_before), static_cast<unsigned long>(rss_after));
  // Stated bound: 48 MB (V8 heaps settling, gRPC's buffers); a per-request leak of
  // what these rounds held (~1,000 jobs and ~30 streams) would be more, and grow.
  if (kCheckBounds) EXPECT_LT(rss_after, rss_before + 48 * 1024);
  // A clean exit: under ASan, LeakSanitizer then checks the daemon's heap.
  EXPECT_EQ(daemon->Terminate(), 0);
}

// ---------------------------------------------------------------------------------
// Regression (found by this file under ASan): a Batch stream cancelled while its
// results were arriving. A worker delivering a result forgot its job, then queued the
// result in a second step; in between, the cancel could finish the stream and gRPC
// delete it, and the worker wrote into freed memory. 800 streams of 100 quick items,
// each cancelled after 1-20 results: every stream ends CANCELLED, the daemon counts
// each once, exits cleanly, and (under ASan) reports nothing.
TEST(FaultsTest, BatchStreamsCancelledWhileResultsArriveEndCleanly) {
  auto daemon = StartDaemon({"--workers=2", "--batch_window=256"});
  ASSERT_NE(daemon, nullptr);
  constexpr int kThreads = 4;
  constexpr int kStreamsPerThread = 200;
  std::atomic<int> cancelled{0};
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      auto own = daemon->NewStub();
      for (int k = 0; k < kStreamsPerThread; ++k) {
        grpc::ClientContext context;
        context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
        auto stream = own->Batch(&context);
        for (int i = 0; i < 100; ++i) {
          v1::BatchRequest item;
          item.set_id(absl::StrCat(i));
          item.mutable_evaluate()->set_source(absl::StrCat(i));
          if (!stream->Write(item)) break;
        }
        v1::BatchResponse response;
        for (int read = 0; read < 1 + k % 20 && stream->Read(&response); ++read) {
          if (response.result().value().number_value() != std::stoi(response.id())) wrong++;
        }
        context.TryCancel();
        while (stream->Read(&response)) {
        }
        if (stream->Finish().error_code() == grpc::StatusCode::CANCELLED) cancelled++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(cancelled.load(), kThreads * kStreamsPerThread);
  auto stub = daemon->NewStub();
  v1::GetStatsResponse stats;
  EXPECT_TRUE(WaitFor([&] {
    stats = Stats(*stub);
    return Answered(stats, "Batch", grpc::StatusCode::CANCELLED) >= kThreads * kStreamsPerThread;
  }, absl::Seconds(10)));
  EXPECT_EQ(Answered(stats, "Batch", grpc::StatusCode::CANCELLED), kThreads * kStreamsPerThread)
      << stats.ShortDebugString();
  EXPECT_TRUE(WaitDrained(*stub));
  EXPECT_EQ(daemon->Terminate(), 0);
}

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
    int normal = -1;         // the value's seed, or -1 for a storm request
    int source = 0;          // kStormSources index
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
  std::printf("deadline storm: %d storm requests (%d trivial ones in time), slowest server-side "
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
        ASSERT_EQ(c.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << c.status.error_message();
        EXPECT_TRUE(absl::StrContains(c.status.error_message(), "queue is full")) << c.status.error_message();
        slowest_refusal = std::max(slowest_refusal, c.took());
        exhausted++;
      }
    }
    EXPECT_EQ(ok + exhausted, kBurst);
    EXPECT_GE(ok, 16);         // at least a queue's worth got through
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
  std::printf("queue overflow: %lu refused in %d bursts (slowest refusal %s); RSS %lu kB after the "
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

// ---------------------------------------------------------------------------------
// SIGTERM under sustained load (unary clients and Batch streams). Documented: requests
// in flight finish, later ones get UNAVAILABLE, the daemon exits 0. Every request a
// client sent is counted: a correct value or UNAVAILABLE, nothing else, none hangs.
// A Batch item gets its value or its own UNAVAILABLE; items a stream could not carry
// any more are known to the client from the stream's non-OK status.
TEST(FaultsTest, SigtermUnderLoadAnswersEveryRequest) {
  auto daemon = StartDaemon({"--workers=2", "--shutdown_grace=10s"});
  ASSERT_NE(daemon, nullptr);
  constexpr int kUnaryClients = 6;
  constexpr int kStreams = 2;
  constexpr int kMaxPerClient = 20000;  // bounds the run if shutdown never came
  std::atomic<bool> exited{false};
  std::atomic<int> unary_ok{0};
  std::atomic<int> batch_ok{0};
  struct Tally {
    int sent = 0, correct = 0, wrong = 0, unavailable = 0;
    std::map<int, int> other;  // status code -> count
    std::string first_other;
  };
  std::vector<Tally> unary(kUnaryClients);
  std::vector<std::thread> threads;
  for (int t = 0; t < kUnaryClients; ++t) {
    threads.emplace_back([&, t] {
      auto own = daemon->NewStub();
      Tally& tally = unary[t];
      for (int i = 0; i < kMaxPerClient; ++i) {
        int n = t * kMaxPerClient + i;
        const char* source = i % 3 == 0   ? "n * 2"
                             : i % 3 == 1 ? "new Promise(r => setTimeout(() => r(n * 2), 20))"
                                          : "const end = Date.now() + 5; while (Date.now() < end) {} n * 2";
        grpc::ClientContext context;
        context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
        v1::EvaluateResponse response;
        tally.sent++;
        grpc::Status status = own->Evaluate(&context, WithN(source, n), &response);
        if (status.ok()) {
          response.value().number_value() == 2.0 * n ? tally.correct++ : tally.wrong++;
          unary_ok++;
        } else if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
          tally.unavailable++;
          if (exited) break;  // the daemon is gone, and said so
          // Refused while stopping: wait (bounded) for the exit, then send once more.
          WaitFor([&] { return exited.load(); }, absl::Seconds(60));
        } else {
          if (tally.other[status.error_code()]++ == 0 && tally.first_other.empty()) {
            tally.first_other = absl::StrCat(status.error_code(), " ", status.error_message());
          }
        }
      }
    });
  }
  struct StreamTally {
    int written = 0, correct = 0, wrong = 0, duplicate = 0, unavailable = 0, other = 0;
    std::atomic<int> answered{0};  // read by the writer to pace itself
    grpc::Status status;
  };
  std::vector<StreamTally> streams(kStreams);
  for (int s = 0; s < kStreams; ++s) {
    threads.emplace_back([&, s] {
      auto own = daemon->NewStub();
      StreamTally& tally = streams[s];
      grpc::ClientContext context;
      context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
      auto stream = own->Batch(&context);
      std::atomic<int> written{0};
      std::atomic<bool> ended{false};  // the reader saw the stream end
      std::thread writer([&] {
        for (int i = 0; i < kMaxPerClient; ++i) {
          v1::BatchRequest item;
          item.set_id(absl::StrCat(i));
          item.mutable_evaluate()->set_source(i % 2 ? "n * 2" : "new Promise(r => setTimeout(() => r(n * 2), 10))");
          (*item.mutable_evaluate()->mutable_globals())["n"].set_number_value(i);
          if (!stream->Write(item)) break;
          written++;
          // Pace the stream (about one item per answer in flight): it must not
          // outrun the daemon so far that the end is a matter of buffers.
          WaitFor([&] { return written.load() - tally.answered.load() < 64 || ended || exited; },
                  absl::Seconds(30));
          if (ended || exited) break;
        }
        stream->WritesDone();
      });
      std::set<std::string> seen;
      v1::BatchResponse response;
      while (stream->Read(&response)) {
        if (!seen.insert(response.id()).second) tally.duplicate++;
        int i = std::stoi(response.id());
        if (response.code() == 0) {
          response.result().value().number_value() == 2.0 * i ? tally.correct++ : tally.wrong++;
          batch_ok++;
        } else if (response.code() == grpc::StatusCode::UNAVAILABLE) {
          tally.unavailable++;
        } else {
          tally.other++;
        }
        tally.answered++;
      }
      ended = true;
      writer.join();
      tally.written = written.load();
      tally.status = stream->Finish();
    });
  }
  // Shut down in the middle of it: once a good amount has been answered.
  ASSERT_TRUE(WaitFor([&] { return unary_ok.load() >= 150 && batch_ok.load() >= 150; }, absl::Seconds(60)));
  absl::Time term = absl::Now();
  int exit_code = daemon->Terminate(absl::Seconds(40));
  absl::Duration stopping = absl::Now() - term;
  exited = true;
  for (auto& t : threads) t.join();

  EXPECT_EQ(exit_code, 0);
  EXPECT_LT(stopping, absl::Seconds(15));  // grace (10 s) and more than ample for 5-20 ms jobs
  int sent = 0, correct = 0, unavailable = 0;
  for (int t = 0; t < kUnaryClients; ++t) {
    const Tally& u = unary[t];
    SCOPED_TRACE(absl::StrCat("unary client ", t));
    EXPECT_EQ(u.wrong, 0);
    EXPECT_TRUE(u.other.empty()) << "unexpected status: " << u.first_other;
    EXPECT_EQ(u.sent, u.correct + u.unavailable + u.wrong);  // none lost
    EXPECT_GE(u.unavailable, 1);  // each ran until the daemon was gone
    sent += u.sent;
    correct += u.correct;
    unavailable += u.unavailable;
  }
  for (int s = 0; s < kStreams; ++s) {
    const StreamTally& b = streams[s];
    SCOPED_TRACE(absl::StrCat("stream ", s));
    EXPECT_EQ(b.wrong, 0);
    EXPECT_EQ(b.duplicate, 0);
    EXPECT_EQ(b.other, 0);
    int answered = b.correct + b.unavailable;
    EXPECT_LE(answered, b.written);
    EXPECT_GT(b.correct, 0);
    // The stream ends UNAVAILABLE: the items it answered are final, and those it did
    // not answer were never read (never run), which the status tells the client.
    EXPECT_EQ(b.status.error_code(), grpc::StatusCode::UNAVAILABLE) << b.status.error_message();
    std::printf("sigterm: stream %d wrote %d items: %d values, %d UNAVAILABLE, %d unread; ended %d (%s)\n",
                s, b.written, b.correct, b.unavailable, b.written - answered, b.status.error_code(),
                b.status.error_message().c_str());
  }
  std::printf("sigterm: %d unary requests: %d values, %d UNAVAILABLE; stopped in %s\n", sent, correct,
              unavailable, absl::FormatDuration(stopping).c_str());
}

// ---------------------------------------------------------------------------------
// Isolate replacement under load: heap bombs land on workers that also hold parked
// async jobs, program contexts and sessions, while unary clients and a Batch stream
// keep going. Each bomb is RESOURCE_EXHAUSTED and replaces exactly one isolate; every
// normal request is right (jobs on a replaced isolate start over); a session on a
// replaced isolate is NOT_FOUND saying why, one on an untouched isolate still works.
TEST(FaultsTest, IsolateReplacementUnderLoadKeepsNormalRequestsCorrect) {
  auto daemon = StartDaemon({"--workers=2", "--heap_limit_mb=64"});
  ASSERT_NE(daemon, nullptr);
  auto stub = daemon->NewStub();

  grpc::ClientContext load_context;
  v1::LoadProgramRequest load;
  load.set_source("var table = []; for (let i = 0; i < 1000; i++) table.push(i * 7);\n"
                  "function pick(i) { return table[i % 1000] + i; }");
  v1::LoadProgramResponse loaded;
  ASSERT_TRUE(stub->LoadProgram(&load_context, load, &loaded).ok());

  // Sessions until each worker holds one, each with a counter in it.
  std::map<int, std::string> session_on;  // worker -> session id
  for (int i = 0; i < 20 && session_on.size() < 2; ++i) {
    grpc::ClientContext c;
    v1::CreateSessionRequest create;
    create.set_source("var count = 0;");
    v1::CreateSessionResponse created;
    ASSERT_TRUE(stub->CreateSession(&c, create, &created).ok());
    grpc::ClientContext e;
    v1::EvaluateRequest where = Source("++count");
    where.set_session(created.session());
    v1::EvaluateResponse r;
    ASSERT_TRUE(stub->Evaluate(&e, where, &r).ok());
    session_on.emplace(r.stats().worker(), created.session());
  }
  ASSERT_EQ(session_on.size(), 2u);

  std::atomic<bool> stop{false};
  std::atomic<int> normal_done{0};
  std::atomic<int> wrong{0};
  std::vector<std::thread> load_threads;
  for (int t = 0; t < 4; ++t) {
    load_threads.emplace_back([&, t] {
      auto own = daemon->NewStub();
      for (int i = 0; i < 5000 && !stop; ++i) {
        int n = t * 5000 + i;
        grpc::ClientContext context;
        context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
        v1::EvaluateResponse response;
        grpc::Status status;
        double want;
        if (i % 3 == 2) {
          v1::CallRequest call;
          call.set_program(loaded.program());
          call.set_function("pick");
          call.add_args()->set_number_value(n);
          status = own->Call(&context, call, &response);
          want = (n % 1000) * 7 + n;
        } else {
          // Parked jobs: awaiting when a bomb takes their isolate down.
          const char* source = i % 3 ? "new Promise(r => setTimeout(() => r(n + 1), 30))"
                                     : "Array.from({length: 1000}, (_, k) => k).length + n";
          status = own->Evaluate(&context, WithN(source, n), &response);
          want = i % 3 ? n + 1 : 1000 + n;
        }
        if (!status.ok() || response.value().number_value() != want) {
          if (wrong++ < 5) ADD_FAILURE() << "normal " << n << ": " << status.error_code() << " "
                                         << status.error_message() << " " << response.ShortDebugString();
        }
        normal_done++;
      }
    });
  }
  std::atomic<int> batch_answers{0};
  load_threads.emplace_back([&] {
    auto own = daemon->NewStub();
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(120)));
    auto stream = own->Batch(&context);
    constexpr int kItems = 3000;
    std::thread writer([&] {
      for (int i = 0; i < kItems; ++i) {
        v1::BatchRequest item;
        item.set_id(absl::StrCat(i));
        item.mutable_evaluate()->set_source("new Promise(r => setTimeout(() => r(n * 5), 20))");
        (*item.mutable_evaluate()->mutable_globals())["n"].set_number_value(i);
        if (!stream->Write(item)) break;
      }
      stream->WritesDone();
    });
    v1::BatchResponse response;
    while (stream->Read(&response)) {
      int i = std::stoi(response.id());
      if (response.code() != 0 || response.result().value().number_value() != 5.0 * i) {
        if (wrong++ < 5) ADD_FAILURE() << "batch item " << i << ": " << response.ShortDebugString();
      }
      batch_answers++;
    }
    writer.join();
    grpc::Status status = stream->Finish();
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(batch_answers.load(), kItems);
  });

  // The bombs, one after another, while the load runs.
  // The heap bombs of tests/hostile/: arrays, strings, Maps, objects.
  const char* kBombs[] = {
      "const a = []; while (true) a.push(new Array(1e6).fill(1))",
      ("const a = []; const s = 'x'.repeat(1 << 20); "
       "while (true) { const t = s + a.length; t.charCodeAt(10); a.push(t) }"),  // one string
      "const m = new Map(); let i = 0; while (true) m.set(i++, { i })",
      "const a = []; while (true) a.push({ a: 1, b: [1, 2, 3], c: 'x' + a.length })",
  };
  constexpr int kBombCount = 6;
  ASSERT_TRUE(WaitFor([&] { return normal_done.load() >= 50; }, absl::Seconds(30)));
  auto bomb_stub = daemon->NewStub();
  for (int b = 0; b < kBombCount; ++b) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
    v1::EvaluateResponse response;
    grpc::Status status = bomb_stub->Evaluate(&context, Source(kBombs[b % 4], absl::Seconds(30)), &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
        << kBombs[b % 4] << ": " << status.error_message();
    int before = normal_done.load();  // normal traffic goes on between bombs
    ASSERT_TRUE(WaitFor([&] { return normal_done.load() >= before + 20; }, absl::Seconds(30)));
  }
  stop = true;
  for (auto& t : load_threads) t.join();
  EXPECT_EQ(wrong.load(), 0);

  v1::GetStatsResponse stats = Stats(*stub);
  EXPECT_EQ(Replacements(stats), static_cast<uint64_t>(kBombCount));
  // Sessions: gone (saying why) where the isolate was replaced, intact elsewhere.
  for (const auto& [worker, session] : session_on) {
    grpc::ClientContext e;
    v1::EvaluateRequest again = Source("++count");
    again.set_session(session);
    v1::EvaluateResponse r;
    grpc::Status status = stub->Evaluate(&e, again, &r);
    if (stats.workers(worker).isolate_replacements() > 0) {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << "worker " << worker;
      EXPECT_TRUE(absl::StrContains(status.error_message(), "replaced")) << status.error_message();
    } else {
      ASSERT_TRUE(status.ok()) << status.error_message();
      EXPECT_EQ(r.value().number_value(), 2);
    }
  }
  std::printf("isolate replacement: %d normal requests and %d batch items during %d bombs\n",
              normal_done.load(), batch_answers.load(), kBombCount);
  EXPECT_EQ(WrongNormalAnswers(Stubs(*daemon, 2), 100, 0), 0);
  EXPECT_EQ(daemon->Terminate(), 0);  // under ASan: LeakSanitizer checks the daemon
}

}  // namespace
}  // namespace jscore::testing
