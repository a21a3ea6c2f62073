// Faults against a real jscored (issue 8, item 3), the daemon's own: SIGTERM under
// load, isolate replacement under load. What daemon_test.cc checks for one request
// (shutdown finishes what is in flight) is checked here at volume, with the daemon's
// own accounting (GetStats) looked at after.
//
// Every test bounds its request count and its waits; waits are on conditions (the
// daemon's counters, a callback having run), never on a sleep. Shared helpers:
// faults_support.h.
#include "gtest/gtest.h"
#include "tests/integration/faults_support.h"

namespace jscore::testing::faults {
namespace {

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
        const char* source = i % 3 == 0 ? "n * 2"
                             : i % 3 == 1
                                 ? "new Promise(r => setTimeout(() => r(n * 2), 20))"
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
          item.mutable_evaluate()->set_source(
              i % 2 ? "n * 2" : "new Promise(r => setTimeout(() => r(n * 2), 10))");
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
  ASSERT_TRUE(
      WaitFor([&] { return unary_ok.load() >= 150 && batch_ok.load() >= 150; }, absl::Seconds(60)));
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
    EXPECT_GE(u.unavailable, 1);                             // each ran until the daemon was gone
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
    std::printf(
        "sigterm: stream %d wrote %d items: %d values, %d UNAVAILABLE, %d unread; ended %d (%s)\n",
        s, b.written, b.correct, b.unavailable, b.written - answered, b.status.error_code(),
        b.status.error_message().c_str());
  }
  std::printf("sigterm: %d unary requests: %d values, %d UNAVAILABLE; stopped in %s\n", sent,
              correct, unavailable, absl::FormatDuration(stopping).c_str());
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
  load.set_source(
      "var table = []; for (let i = 0; i < 1000; i++) table.push(i * 7);\n"
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
          if (wrong++ < 5)
            ADD_FAILURE() << "normal " << n << ": " << status.error_code() << " "
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
    grpc::Status status =
        bomb_stub->Evaluate(&context, Source(kBombs[b % 4], absl::Seconds(30)), &response);
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
}  // namespace jscore::testing::faults
