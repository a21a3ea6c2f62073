// Hooks: $return / $exit end an evaluation early with a value (catchable, marked);
// $terminate stops it uncatchably and hands back hook data; workers and sessions
// stay usable.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/engine_test_support.h"

namespace jscore::testing {
namespace {

using engine::JobSpec;
using engine::Outcome;
using ::testing::HasSubstr;

class HooksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pool = engine::Pool::Create(TestPlatform(), SmallPool(1));
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = std::move(*pool);
  }
  Outcome Submit(JobSpec spec, absl::Duration timeout = absl::Seconds(10)) {
    PendingJob p = MakeJob(std::move(spec), timeout);
    absl::Status status = pool_->Submit(p.job);
    if (!status.ok()) return Outcome::Failed(status);
    return p.Wait();
  }
  Outcome Run(const std::string& source, const std::string& session = "",
              absl::Duration timeout = absl::Seconds(10)) {
    engine::EvaluateSpec spec;
    spec.source = source;
    spec.session = session;
    return Submit(std::move(spec), timeout);
  }
  std::string NewSession(const std::string& source = "") {
    engine::CreateSessionSpec spec;
    spec.source = source;
    Outcome o = Submit(std::move(spec));
    EXPECT_EQ(o.kind, Outcome::Kind::kValue) << Json(o);
    return o.id;
  }
  std::unique_ptr<engine::Pool> pool_;
};

TEST_F(HooksTest, ReturnEndsTheEvaluationWithItsValue) {
  Outcome o = Run("let x = 1; $return({x, y: [2]}); x = 99; 'not reached'");
  ASSERT_EQ(o.kind, Outcome::Kind::kValue) << Json(o);
  EXPECT_EQ(Json(o), R"({"x":1,"y":[2]})");
  EXPECT_EQ(Json(Run("function f() { $exit('early'); return 'late'; } f()")), R"("early")");
  Outcome nothing = Run("$return()");
  ASSERT_EQ(nothing.kind, Outcome::Kind::kValue);
  EXPECT_TRUE(nothing.undefined);
}

TEST_F(HooksTest, ReturnCanBeCaughtAndCarriesAMarker) {
  EXPECT_EQ(Json(Run(R"(
    let seen;
    try { $return(5); } catch (e) { seen = [e instanceof Error, e.message.includes('[jscore:$return]')]; }
    seen)")),
            "[true,true]");
  // Rethrown, it still ends the evaluation with its value.
  EXPECT_EQ(Json(Run("try { $return(7) } catch (e) { throw e } finally { }")), "7");
  // An ordinary error that mentions the marker is not a $return.
  Outcome fake = Run("throw new Error('[jscore:$return] fake')");
  ASSERT_EQ(fake.kind, Outcome::Kind::kJsError);
}

TEST_F(HooksTest, ReturnFromTimersAndAwaitedPromises) {
  EXPECT_EQ(Json(Run("setTimeout(() => $return('from timer'), 5); new Promise(() => {})")),
            R"("from timer")");
  EXPECT_EQ(Json(Run("(async () => { await null; $return({ok: true}); })()")), R"({"ok":true})");
  EXPECT_EQ(Json(Run("Promise.reject(new Error('x')).catch(() => $return(3))")), "3");
}

TEST_F(HooksTest, TerminateHandsBackHookData) {
  Outcome o = Run("$terminate({token: 'abc', n: [1, 2]}); 'not reached'");
  ASSERT_EQ(o.kind, Outcome::Kind::kHook) << Json(o);
  EXPECT_EQ(SortedJson(o.value), R"({"n":[1,2],"token":"abc"})");
  Outcome undefined = Run("$terminate()");
  ASSERT_EQ(undefined.kind, Outcome::Kind::kHook);
  EXPECT_TRUE(undefined.undefined);
}

TEST_F(HooksTest, NothingCatchesTerminateAndFinallyDoesNotRun) {
  std::string session = NewSession("globalThis.log = []; globalThis.flag = 0;");
  Outcome o = Run(R"(
    try {
      try { log.push('try'); $terminate('stop'); log.push('after'); }
      finally { flag = 1; log.push('finally'); }
    } catch (e) { flag = 2; log.push('catch'); }
    'not reached')",
                  session);
  ASSERT_EQ(o.kind, Outcome::Kind::kHook) << Json(o);
  EXPECT_EQ(SortedJson(o.value), R"("stop")");
  // The session is still there, and only the first push happened.
  EXPECT_EQ(Json(Run("[log, flag]", session)), R"([["try"],0])");
}

TEST_F(HooksTest, TerminateFromATimerAndAPromise) {
  Outcome timer = Run("setTimeout(() => $terminate(1), 5); new Promise(() => {})");
  ASSERT_EQ(timer.kind, Outcome::Kind::kHook) << Json(timer);
  EXPECT_EQ(SortedJson(timer.value), "1");
  Outcome then = Run("Promise.resolve().then(() => $terminate('microtask')).then(() => 'no')");
  ASSERT_EQ(then.kind, Outcome::Kind::kHook) << Json(then);
  EXPECT_EQ(SortedJson(then.value), R"("microtask")");
}

TEST_F(HooksTest, NothingRunsAfterTerminateInTheSameJob) {
  std::string session = NewSession("globalThis.after = [];");
  Outcome o = Run(R"(
    queueMicrotask(() => $terminate('first'));
    queueMicrotask(() => after.push('microtask'));
    Promise.resolve().then(() => after.push('then'));
    setTimeout(() => after.push('timer'), 0);
    'sync')",
                  session);
  ASSERT_EQ(o.kind, Outcome::Kind::kHook) << Json(o);
  EXPECT_EQ(SortedJson(o.value), R"("first")");
  // The job's timers died with it; what V8 still had queued was dropped.
  EXPECT_EQ(Json(Run("new Promise((r) => setTimeout(() => r(after), 20))", session)), "[]");
}

TEST_F(HooksTest, TerminateDataThatCannotBeConvertedIsAnError) {
  Outcome o = Run("const a = {}; a.self = a; $terminate(a)");
  ASSERT_EQ(o.kind, Outcome::Kind::kJsError) << Json(o);
  EXPECT_EQ(o.error.name, "TypeError");
}

TEST_F(HooksTest, TheWorkerStaysUsableAndDeadlinesStillWork) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Run("$terminate(1)").kind, Outcome::Kind::kHook);
    EXPECT_EQ(Json(Run("1 + 1")), "2");
  }
  Outcome overrun = Run("while (true) {}", "", absl::Milliseconds(100));
  ASSERT_EQ(overrun.kind, Outcome::Kind::kFailed);
  EXPECT_TRUE(absl::IsDeadlineExceeded(overrun.status)) << overrun.status;
  EXPECT_EQ(Run("$terminate(2)").kind, Outcome::Kind::kHook);
}

TEST_F(HooksTest, HooksInProgramsAndSessionCreation) {
  engine::LoadProgramSpec load;
  load.source =
      "function sign(x) { if (x < 0) $terminate({bad: x}); if (x === 0) $return('zero'); return x "
      "* 2; }";
  Outcome loaded = Submit(std::move(load));
  ASSERT_EQ(loaded.kind, Outcome::Kind::kValue) << Json(loaded);
  auto call = [&](double x) {
    engine::CallSpec spec;
    spec.program = loaded.id;
    spec.function = "sign";
    spec.args.emplace_back().set_number_value(x);
    return Submit(std::move(spec));
  };
  EXPECT_EQ(Json(call(2)), "4");
  EXPECT_EQ(Json(call(0)), R"("zero")");
  Outcome hook = call(-1);
  ASSERT_EQ(hook.kind, Outcome::Kind::kHook);
  EXPECT_EQ(SortedJson(hook.value), R"({"bad":-1})");
  EXPECT_EQ(Json(call(3)), "6");

  // $return in a session's source only ends the source; $terminate fails the creation.
  std::string session = NewSession("globalThis.a = 1; $return(); globalThis.a = 2;");
  EXPECT_EQ(Json(Run("a", session)), "1");
  engine::CreateSessionSpec bad;
  bad.source = "$terminate(1)";
  Outcome failed = Submit(std::move(bad));
  ASSERT_EQ(failed.kind, Outcome::Kind::kJsError);
  EXPECT_THAT(failed.error.message, HasSubstr("$terminate"));
}

TEST_F(HooksTest, HooksArePresentButNotEnumerable) {
  EXPECT_EQ(
      Json(Run(
          "[typeof $return, typeof $exit, typeof $terminate, "
          "Object.keys(globalThis).filter(k => k.startsWith('$')).length, String($terminate)]")),
      R"(["function","function","function",0,"function $terminate() { [native code] }"])");
}

}  // namespace
}  // namespace jscore::testing
