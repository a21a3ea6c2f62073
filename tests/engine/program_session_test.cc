// Programs (compile once, call many) and sessions (stateful, pinned contexts), through
// the engine's Pool.
#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/internal/program_cache.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/engine_test_support.h"

namespace jscore::testing {
namespace {

using engine::JobSpec;
using engine::Outcome;
using ::testing::HasSubstr;

class ProgramSessionTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(SmallPool(2)); }
  void Start(engine::PoolOptions options) {
    pool_.reset();
    auto pool = engine::Pool::Create(TestPlatform(), options);
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = std::move(*pool);
  }

  Outcome Submit(JobSpec spec, absl::Duration timeout = absl::Seconds(10)) {
    PendingJob p = MakeJob(std::move(spec), timeout);
    absl::Status status = pool_->Submit(p.job);
    if (!status.ok()) return Outcome::Failed(status);
    return p.Wait();
  }
  std::string Load(const std::string& source, std::map<std::string, std::string> modules = {}) {
    engine::LoadProgramSpec spec;
    spec.source = source;
    spec.modules = std::move(modules);
    Outcome o = Submit(std::move(spec));
    EXPECT_EQ(o.kind, Outcome::Kind::kValue) << Json(o);
    return o.id;
  }
  Outcome Call(const std::string& program, const std::string& function,
               std::vector<std::string> json_args = {}, bool fresh = false) {
    engine::CallSpec spec;
    spec.program = program;
    spec.function = function;
    spec.fresh = fresh;
    for (const auto& a : json_args) {
      google::protobuf::Value v;
      EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(a, &v).ok()) << a;
      spec.args.push_back(v);
    }
    return Submit(std::move(spec));
  }
  std::string CreateSession(const std::string& source, absl::Duration ttl = absl::ZeroDuration(),
                            const std::string& program = "") {
    engine::CreateSessionSpec spec;
    spec.source = source;
    spec.ttl = ttl;
    spec.program = program;
    Outcome o = Submit(std::move(spec));
    EXPECT_EQ(o.kind, Outcome::Kind::kValue) << Json(o);
    return o.id;
  }
  Outcome InSession(const std::string& session, const std::string& source,
                    absl::Duration timeout = absl::Seconds(10)) {
    engine::EvaluateSpec spec;
    spec.session = session;
    spec.source = source;
    return Submit(std::move(spec), timeout);
  }
  Outcome CallInSession(const std::string& session, const std::string& function) {
    engine::CallSpec spec;
    spec.session = session;
    spec.function = function;
    return Submit(std::move(spec));
  }

  std::unique_ptr<engine::Pool> pool_;
};

TEST_F(ProgramSessionTest, ProgramIdIsTheSha256OfSourceAndModules) {
  // sha256("") with no modules is not the id of "" (the parts are length-prefixed),
  // but the same input always gives the same id, and any change gives another.
  std::string a = engine::ProgramId("function f() {}", {});
  EXPECT_EQ(a.size(), 64u);
  EXPECT_EQ(a, engine::ProgramId("function f() {}", {}));
  EXPECT_NE(a, engine::ProgramId("function f() { }", {}));
  EXPECT_NE(engine::ProgramId("x", {{"m", "y"}}), engine::ProgramId("x", {{"my", ""}}));
  std::string id = Load("function f() { return 1 }");
  EXPECT_EQ(id, engine::ProgramId("function f() { return 1 }", {}));
  EXPECT_EQ(Load("function f() { return 1 }"), id);  // idempotent
  EXPECT_EQ(pool_->Stats().programs, 1u);
}

// JobSpec::owner: a named owner's program id hashes its name; another owner cannot
// call, build a session from, or unload it, nor reach its sessions.
TEST_F(ProgramSessionTest, ProgramsAndSessionsBelongToTheirOwner) {
  Start(SmallPool(1));  // one worker: one context per program, state counts calls
  const std::string source = "var n = 0; function bump() { return ++n }";
  EXPECT_NE(engine::ProgramId(source, {}, engine::SourceType::kScript, std::nullopt, "alice"),
            engine::ProgramId(source, {}));
  EXPECT_NE(engine::ProgramId(source, {}, engine::SourceType::kScript, std::nullopt, "alice"),
            engine::ProgramId(source, {}, engine::SourceType::kScript, std::nullopt, "bob"));
  // No module set of the unnamed owner encodes like a named owner's id.
  EXPECT_NE(engine::ProgramId(source, {}, engine::SourceType::kScript, std::nullopt, "alice"),
            engine::ProgramId(source, {{"", "alice"}}));
  auto as = [](const std::string& owner, JobSpec spec) {
    spec.owner = owner;
    return spec;
  };
  engine::LoadProgramSpec load;
  load.source = source;
  Outcome alice_load = Submit(as("alice", load));
  ASSERT_EQ(alice_load.kind, Outcome::Kind::kValue) << Json(alice_load);
  EXPECT_EQ(alice_load.id,
            engine::ProgramId(source, {}, engine::SourceType::kScript, std::nullopt, "alice"));
  engine::CallSpec call;
  call.program = alice_load.id;
  call.function = "bump";
  EXPECT_EQ(Submit(as("alice", call)).value.number_value(), 1);
  Outcome stranger = Submit(as("bob", call));
  EXPECT_EQ(stranger.status.code(), absl::StatusCode::kFailedPrecondition) << Json(stranger);
  EXPECT_EQ(Submit(call).status.code(), absl::StatusCode::kFailedPrecondition);  // unnamed
  engine::CreateSessionSpec from_program;
  from_program.program = alice_load.id;
  EXPECT_EQ(Submit(as("bob", from_program)).status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(pool_->UnloadProgram(alice_load.id, "bob"));
  EXPECT_EQ(Submit(as("alice", call)).value.number_value(), 2);
  Outcome session = Submit(as("alice", from_program));
  ASSERT_EQ(session.kind, Outcome::Kind::kValue) << Json(session);
  engine::EvaluateSpec in_session;
  in_session.session = session.id;
  in_session.source = "bump()";
  EXPECT_EQ(Submit(as("bob", in_session)).status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Submit(as("alice", in_session)).value.number_value(), 1);
  engine::DeleteSessionSpec remove;
  remove.session = session.id;
  EXPECT_EQ(Submit(as("bob", remove)).status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Submit(as("alice", remove)).kind, Outcome::Kind::kValue);
  EXPECT_TRUE(pool_->UnloadProgram(alice_load.id, "alice"));
}

TEST_F(ProgramSessionTest, SyntaxErrorLoadsNothing) {
  engine::LoadProgramSpec spec;
  spec.source = "function ok() {}\nfunction (";
  Outcome o = Submit(std::move(spec));
  ASSERT_EQ(o.kind, Outcome::Kind::kJsError);
  EXPECT_EQ(o.error.name, "SyntaxError");
  EXPECT_EQ(o.error.line, 2);
  EXPECT_EQ(pool_->Stats().programs, 0u);
}

TEST_F(ProgramSessionTest, ValidateOnlyKeepsNothing) {
  engine::LoadProgramSpec spec;
  spec.source = "function rule(x) { return x > 1 }";
  spec.validate_only = true;
  Outcome o = Submit(std::move(spec));
  ASSERT_EQ(o.kind, Outcome::Kind::kValue);
  EXPECT_EQ(pool_->Stats().programs, 0u);
  EXPECT_EQ(Call(o.id, "rule", {"2"}).status.code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(ProgramSessionTest, CallsDottedPathsWithThisAndAwaitsAsync) {
  std::string id = Load(R"(
    function sign(a, b) { return a + ':' + b }
    var CryptoLib = { prefix: 'P', encrypt(x) { return this.prefix + x } };
    var window = { app: { sign: async (x) => { await new Promise(r => setTimeout(r, 5)); return x * 2 } } };
  )");
  EXPECT_EQ(Json(Call(id, "sign", {"\"a\"", "1"})), "\"a:1\"");
  EXPECT_EQ(Json(Call(id, "CryptoLib.encrypt", {"\"x\""})), "\"Px\"");
  EXPECT_EQ(Json(Call(id, "window.app.sign", {"21"})), "42");
  Outcome missing = Call(id, "CryptoLib.decrypt");
  ASSERT_EQ(missing.kind, Outcome::Kind::kJsError);
  EXPECT_EQ(missing.error.name, "TypeError");
  EXPECT_THAT(missing.error.message, HasSubstr("'CryptoLib.decrypt' is not a function"));
  EXPECT_EQ(Call(id, "no.such.path").kind, Outcome::Kind::kJsError);
}

TEST_F(ProgramSessionTest, HostileArgumentsCannotEscape) {
  std::string id = Load("function echo(s) { return s }");
  for (std::string hostile :
       {R"("quote\" and back\\slash")", R"("</script><script>alert(1)</script>")",
        R"("'); globalThis.pwned = 1; ('")", R"("\u2028\u2029 ${x} `tick`")"}) {
    google::protobuf::Value want;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(hostile, &want).ok());
    Outcome o = Call(id, "echo", {hostile});
    EXPECT_EQ(o.value.string_value(), want.string_value()) << hostile;
  }
  EXPECT_EQ(Json(Call(id, "echo", {"\"x\""})), "\"x\"");
  EXPECT_EQ(Json(Call(id, "echo", {R"({"a": [1, null, true]})"})), R"({"a":[1,null,true]})");
}

// A Struct is a protobuf map, whose iteration order differs from one message to the
// next: objects are built with sorted keys, so the same keys make the same object
// shape (hidden class) on every call, and a program's inline caches stay monomorphic.
TEST_F(ProgramSessionTest, StructArgumentsGetTheirKeysSortedOnEveryCall) {
  std::string id =
      Load("function shape(o) { return Object.keys(o).join() + '|' + Object.keys(o.n).join() }");
  const std::string args = R"({"uid": 1, "q": "x", "page": 3, "sort": "d", "v": 2, "a1": 0,
                               "n": {"z": 1, "y": 2, "m": 3, "b": 4}})";
  for (int i = 0; i < 30; ++i) {
    ASSERT_EQ(Json(Call(id, "shape", {args})), "\"a1,n,page,q,sort,uid,v|b,m,y,z\"")
        << "call " << i;
  }
}

TEST_F(ProgramSessionTest, RequireResolvesOnlyGivenModules) {
  std::string id = Load(
      "const h = require('hex'); function enc(s) { return h.encode(s) }"
      " function other() { return require('fs') }",
      {{"hex", "const util = require('util2'); exports.encode = s => util.up(s) + '!'"},
       {"util2", "module.exports = { up: s => s.toUpperCase() }"}});
  EXPECT_EQ(Json(Call(id, "enc", {"\"ab\""})), "\"AB!\"");
  Outcome fs = Call(id, "other");
  ASSERT_EQ(fs.kind, Outcome::Kind::kJsError);
  EXPECT_THAT(fs.error.message, HasSubstr("Cannot find module 'fs'"));
}

TEST_F(ProgramSessionTest, UnknownProgramIsFailedPreconditionNamingIt) {
  std::string id(64, 'a');
  Outcome o = Call(id, "f");
  ASSERT_EQ(o.kind, Outcome::Kind::kFailed);
  EXPECT_EQ(o.status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(engine::NotLoadedProgram(o.status), id);
}

TEST_F(ProgramSessionTest, UnloadFreesTheProgram) {
  std::string id = Load("function f() { return 1 }");
  EXPECT_EQ(Json(Call(id, "f")), "1");
  EXPECT_TRUE(pool_->UnloadProgram(id));
  EXPECT_FALSE(pool_->UnloadProgram(id));
  EXPECT_EQ(Call(id, "f").status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(pool_->Stats().programs, 0u);
  // The next job on each worker drops that program's context.
  auto contexts_left = [this] {
    uint32_t n = 0;
    for (const auto& w : pool_->Stats().workers) n += w.program_contexts;
    return n;
  };
  absl::Time bound = absl::Now() + absl::Seconds(10);
  while (contexts_left() > 0 && absl::Now() < bound) RunJs(*pool_, "1");
  EXPECT_EQ(contexts_left(), 0u);
}

// Pool::Submit hands the program it found to the worker with a Call or a
// CreateSession; one unloaded while they waited in the queue is still not loaded
// when they start (the worker looks it up again once the cache's generation moved).
TEST_F(ProgramSessionTest, ProgramUnloadedWhileItsJobsWaitedIsNotLoaded) {
  Start(SmallPool(1));
  std::string id = Load("function f() { return 1 }");
  engine::EvaluateSpec spin;  // holds the only worker while the test unloads
  spin.source = "const t = Date.now(); while (Date.now() - t < 1000) {} 'spun'";
  PendingJob busy = MakeJob(std::move(spin));
  engine::CallSpec call;
  call.program = id;
  call.function = "f";
  PendingJob queued_call = MakeJob(std::move(call));
  engine::CreateSessionSpec create;
  create.program = id;
  PendingJob queued_session = MakeJob(std::move(create));
  ASSERT_TRUE(pool_->Submit(busy.job).ok());
  ASSERT_TRUE(pool_->Submit(queued_call.job).ok());
  ASSERT_TRUE(pool_->Submit(queued_session.job).ok());
  ASSERT_TRUE(pool_->UnloadProgram(id));
  EXPECT_EQ(Json(busy.Wait()), "\"spun\"");
  for (PendingJob* queued : {&queued_call, &queued_session}) {
    Outcome o = queued->Wait();
    ASSERT_EQ(o.kind, Outcome::Kind::kFailed) << Json(o);
    EXPECT_EQ(o.status.code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(engine::NotLoadedProgram(o.status), id);
  }
  EXPECT_EQ(Json(Call(Load("function f() { return 2 }"), "f")), "2");
}

TEST_F(ProgramSessionTest, StatePersistsPerWorkerUnlessFresh) {
  Start(SmallPool(1));
  std::string id = Load("var n = 0; function next() { return ++n }");
  EXPECT_EQ(Json(Call(id, "next")), "1");
  EXPECT_EQ(Json(Call(id, "next")), "2");
  EXPECT_EQ(Json(Call(id, "next", {}, /*fresh=*/true)), "1");
  EXPECT_EQ(Json(Call(id, "next")), "3");
}

TEST_F(ProgramSessionTest, TimedOutProgramContextIsRebuilt) {
  Start(SmallPool(1));
  std::string id =
      Load("var n = 0; function spin() { n++; for (;;) {} } function count() { return n }");
  engine::CallSpec spec;
  spec.program = id;
  spec.function = "spin";
  EXPECT_EQ(Submit(spec, absl::Milliseconds(100)).status.code(),
            absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(Json(Call(id, "count")), "0");  // a fresh top level, not the half-run one
}

TEST_F(ProgramSessionTest, ProgramContextsAreBoundedPerWorker) {
  engine::PoolOptions options = SmallPool(1);
  options.program_contexts_per_worker = 3;
  Start(options);
  for (int i = 0; i < 6; ++i) {
    std::string id = Load("function f() { return " + std::to_string(i) + " }");
    EXPECT_EQ(Json(Call(id, "f")), std::to_string(i));
  }
  EXPECT_EQ(pool_->Stats().workers[0].program_contexts, 3u);
}

TEST_F(ProgramSessionTest, SessionKeepsDeclarationsBetweenCalls) {
  std::string s = CreateSession("var n = 0");
  ASSERT_EQ(s.size(), 32u);
  EXPECT_EQ(Json(InSession(s, "function inc() { return ++n } var label = 'x'; n")), "0");
  EXPECT_EQ(Json(CallInSession(s, "inc")), "1");
  EXPECT_EQ(Json(CallInSession(s, "inc")), "2");
  EXPECT_EQ(Json(InSession(s, "label + n")), "\"x2\"");
  EXPECT_EQ(pool_->Stats().sessions, 1u);
  engine::DeleteSessionSpec del;
  del.session = s;
  EXPECT_EQ(Submit(del).kind, Outcome::Kind::kValue);
  Outcome gone = InSession(s, "n");
  EXPECT_EQ(gone.status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(gone.status.message(), HasSubstr("deleted"));
  EXPECT_EQ(pool_->Stats().sessions, 0u);
}

TEST_F(ProgramSessionTest, SessionFromAProgram) {
  std::string id = Load("var calls = 0; function sign(x) { calls++; return 's' + x }");
  std::string s = CreateSession("calls = 100", absl::ZeroDuration(), id);
  EXPECT_EQ(Json(InSession(s, "sign(1) + ':' + calls")), "\"s1:101\"");
}

TEST_F(ProgramSessionTest, SessionCreationErrorIsAJsErrorAndLeavesNoSession) {
  engine::CreateSessionSpec spec;
  spec.source = "throw new Error('setup failed')";
  Outcome o = Submit(std::move(spec));
  ASSERT_EQ(o.kind, Outcome::Kind::kJsError);
  EXPECT_EQ(o.error.message, "setup failed");
  EXPECT_EQ(pool_->Stats().sessions, 0u);
}

TEST_F(ProgramSessionTest, IdleSessionExpiresAfterItsTtl) {
  std::string s = CreateSession("var v = 1", absl::Milliseconds(100));
  EXPECT_EQ(Json(InSession(s, "v")), "1");
  absl::Time bound = absl::Now() + absl::Seconds(10);
  Outcome o;
  do {
    absl::SleepFor(absl::Milliseconds(250));  // longer than the ttl: each use renews it
    o = InSession(s, "v");
  } while (o.kind != Outcome::Kind::kFailed && absl::Now() < bound);
  EXPECT_EQ(o.status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(o.status.message(), HasSubstr("expired"));
}

TEST_F(ProgramSessionTest, MaxSessionsIsResourceExhausted) {
  engine::PoolOptions options = SmallPool(2);
  options.max_sessions = 3;
  Start(options);
  for (int i = 0; i < 3; ++i) CreateSession("");
  engine::CreateSessionSpec spec;
  EXPECT_EQ(Submit(spec).status.code(), absl::StatusCode::kResourceExhausted);
}

TEST_F(ProgramSessionTest, SessionJobsRunOneAtATimeInArrivalOrder) {
  engine::PoolOptions options = SmallPool(2);
  options.max_waiting_per_session = 200;  // all 200 may wait (the bound has its own test)
  Start(options);
  std::string s = CreateSession("var log = []");
  std::mutex submit_mu;
  int next_seq = 0;
  std::vector<PendingJob> jobs(200);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < 200; i += 8) {
        std::lock_guard<std::mutex> lock(submit_mu);  // fixes the arrival order
        int seq = next_seq++;
        engine::EvaluateSpec spec;
        spec.session = s;
        // Each job awaits a timer: a session that ran them concurrently would reorder.
        spec.source =
            "(async () => { const seq = " + std::to_string(seq) +
            "; await new Promise(r => setTimeout(r, seq % 3)); log.push(seq); return seq })()";
        jobs[seq] = MakeJob(std::move(spec));
        ASSERT_TRUE(pool_->Submit(jobs[seq].job).ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < 200; ++i) EXPECT_EQ(Json(jobs[i].Wait()), std::to_string(i));
  Outcome log = InSession(s, "log.every((v, i) => v === i) ? log.length : JSON.stringify(log)");
  EXPECT_EQ(Json(log), "200");
}

TEST_F(ProgramSessionTest, SessionServesTenThousandCalls) {
  std::string s = CreateSession("var n = 0; function inc() { return ++n }");
  for (int i = 1; i <= 10000; ++i) {
    Outcome o = CallInSession(s, "inc");
    if (Json(o) != std::to_string(i)) {
      FAIL() << "call " << i << " gave " << Json(o);
    }
  }
}

TEST_F(ProgramSessionTest, SessionIsLostWhenItsIsolateIsReplaced) {
  Start(SmallPool(1));
  std::string s = CreateSession("var keep = 1");
  Outcome bomb = InSession(s, "let a = []; while (true) a.push(new Array(1e6).fill(1))");
  EXPECT_EQ(bomb.status.code(), absl::StatusCode::kResourceExhausted);
  Outcome after = InSession(s, "keep");
  EXPECT_EQ(after.status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(after.status.message(), HasSubstr("replaced"));
  EXPECT_EQ(Json(RunJs(*pool_, "'pool still serves'")), "\"pool still serves\"");
}

TEST_F(ProgramSessionTest, ConcurrentCallersOfOneProgramUseEveryWorker) {
  std::string id =
      Load("function work(n) { let s = 0; for (let i = 0; i < 200000; i++) s += i % 7; return n }");
  std::atomic<int> wrong{0};
  std::vector<std::atomic<int>> per_worker(2);
  // Rounds of 8 concurrent callers until both workers took calls (bounded): on a
  // loaded machine one round may all land on one worker.
  absl::Time bound = absl::Now() + absl::Seconds(30);
  for (int round = 0; (per_worker[0] == 0 || per_worker[1] == 0) && absl::Now() < bound; ++round) {
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 10; ++i) {
          int n = round * 1000 + t * 100 + i;
          Outcome o = Call(id, "work", {std::to_string(n)});
          if (Json(o) != std::to_string(n)) wrong++;
          if (o.stats.worker >= 0) per_worker[o.stats.worker]++;
        }
      });
    }
    for (auto& t : threads) t.join();
  }
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_GT(per_worker[0].load(), 0);
  EXPECT_GT(per_worker[1].load(), 0);
}

}  // namespace
}  // namespace jscore::testing
