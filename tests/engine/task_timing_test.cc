// When asynchronous Web APIs settle, as browsers and Node do it: crypto.subtle's
// promises in a later task, huge timer delays clamped so that the timer fires,
// and Atomics.waitAsync's timeout keeping its job waiting.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/engine_test_support.h"
#include "tests/engine/web_api_test_fixture.h"

namespace jscore::testing {
namespace {

using engine::Outcome;
using ::testing::HasSubstr;

class TaskTimingTest : public WebApiTest {};  // one pool per suite (web_api_test_fixture.h)

TEST_F(TaskTimingTest, SubtleSettlesAfterLaterMicrotasks) {
  // Every method shares the settlement path; digest, importKey and a rejection
  // stand for them. Microtasks queued after the call (and their follow-ups) run
  // before the method's `.then`.
  EXPECT_EQ(Eval(R"(
    (async () => {
      const log = [];
      const data = new TextEncoder().encode('abc');
      crypto.subtle.digest('SHA-256', data).then(() => log.push('digest'));
      crypto.subtle.importKey('raw', new Uint8Array(16), 'AES-GCM', false, ['encrypt'])
          .then(() => log.push('importKey'));
      crypto.subtle.digest('NOPE', data).catch((e) => log.push('rejected ' + e.name));
      Promise.resolve().then(() => log.push('micro 1')).then(() => log.push('micro 2'))
          .then(() => log.push('micro 3'));
      queueMicrotask(() => log.push('micro 4'));
      log.push('sync');
      await new Promise((r) => setTimeout(r, 5));
      return log;
    })()
  )"),
            R"(["sync","micro 1","micro 4","micro 2","micro 3","digest","importKey",)"
            R"("rejected NotSupportedError"])");
}

TEST_F(TaskTimingTest, SubtleResultIsStillCorrectWhenAwaited) {
  EXPECT_EQ(Eval(R"(
    (async () => {
      const data = new Uint8Array([97, 98, 99]);
      const p = crypto.subtle.digest('SHA-1', data);
      data[0] = 0;  // the bytes were copied at the call
      return Array.from(new Uint8Array(await p), (b) => b.toString(16).padStart(2, '0')).join('');
    })()
  )"),
            R"("a9993e364706816aba3e25717850c26c9cd0d89d")");
}

TEST_F(TaskTimingTest, JobEndingFirstDropsThePendingSettlement) {
  // The job's value is ready before the digest settles: it completes at once and
  // the settlement goes with its timers (no later job sees it).
  EXPECT_EQ(Eval("crypto.subtle.digest('SHA-256', new Uint8Array(1)).then(() => { throw 1; }); 7"),
            "7");
  EXPECT_EQ(Eval("1 + 1"), "2");
}

TEST_F(TaskTimingTest, SessionJobThatEndsFirstNeverSettlesLater) {
  // A session's context outlives its jobs; a settlement its job did not wait for
  // goes with that job, and never runs inside the next one.
  engine::CreateSessionSpec create;
  create.source = "var hits = 0";
  PendingJob created = MakeJob(std::move(create));
  ASSERT_TRUE(pool_->Submit(created.job).ok());
  Outcome made = created.Wait();
  ASSERT_EQ(made.kind, Outcome::Kind::kValue) << Json(made);
  auto in_session = [&](const std::string& source) {
    engine::EvaluateSpec spec;
    spec.session = made.id;
    spec.source = source;
    PendingJob p = MakeJob(std::move(spec));
    EXPECT_TRUE(pool_->Submit(p.job).ok());
    return Json(p.Wait());
  };
  EXPECT_EQ(
      in_session("crypto.subtle.digest('SHA-256', new Uint8Array(1)).then(() => hits++); 'left'"),
      R"("left")");
  EXPECT_EQ(in_session("new Promise((r) => setTimeout(r, 5)).then(() => hits)"), "0");
  EXPECT_EQ(in_session("(async () => { await crypto.subtle.digest('SHA-1', new Uint8Array(1)); "
                       "return ++hits; })()"),
            "1");
}

TEST_F(TaskTimingTest, HugeTimeoutIsClampedAndFires) {
  EXPECT_EQ(Eval(R"(
    (async () => {
      const order = [];
      await Promise.all([2 ** 31 + 5, 2 ** 32, Infinity, 1e300].map((delay) =>
          new Promise((resolve) => setTimeout(() => { order.push(String(delay)); resolve(); }, delay))));
      return order.length;
    })()
  )"),
            "4");
  // 2^31 - 1 itself is a valid delay: not clamped (the job ends first).
  EXPECT_EQ(Eval("setTimeout(() => {}, 2 ** 31 - 1) > 0"), "true");
}

TEST_F(TaskTimingTest, TimerHandlerObjectRunsItsStringForm) {
  // WebIDL's TimerHandler: a non-callable object is converted to a string (once,
  // at the call) and compiled, as browsers do; other primitives still throw.
  EXPECT_EQ(Eval(R"(
    (async () => {
      globalThis.log = '';
      let conversions = 0;
      setTimeout({ toString() { conversions++; return "log += 'a'"; } }, 1);
      await new Promise((r) => setTimeout(r, 10));
      let thrown;
      try { setTimeout(5); thrown = 'no error'; } catch (e) { thrown = e.name; }
      return [log, conversions, thrown];
    })()
  )"),
            R"(["a",1,"TypeError"])");
}

TEST_F(TaskTimingTest, AwaitingWaitAsyncWithTimeoutSettles) {
  EXPECT_EQ(Eval(R"(
    (async () => {
      const ia = new Int32Array(new SharedArrayBuffer(16));
      const r = Atomics.waitAsync(ia, 0, 0, 20);
      const started = Date.now();
      const v = await r.value;
      return [r.async, v, Date.now() - started >= 15];
    })()
  )"),
            R"([true,"timed-out",true])");
  // Notified (from a timer) before its timeout.
  EXPECT_EQ(Eval(R"(
    (async () => {
      const ia = new Int32Array(new SharedArrayBuffer(16));
      const r = Atomics.waitAsync(ia, 0, 0);
      setTimeout(() => Atomics.notify(ia, 0), 1);
      return await r.value;
    })()
  )"),
            R"("ok")");
  // The synchronous forms are unchanged.
  EXPECT_EQ(Eval(R"(
    const ia = new Int32Array(new SharedArrayBuffer(16));
    [Atomics.waitAsync(ia, 0, 1).value, Atomics.waitAsync(ia, 0, 0, 0).value,
     Atomics.waitAsync.name, Atomics.waitAsync.length]
  )"),
            R"(["not-equal","timed-out","waitAsync",4])");
}

TEST_F(TaskTimingTest, WaitAsyncThatNothingCanWakeStillFailsAtOnce) {
  absl::Time start = absl::Now();
  Outcome o = RunJs(*pool_, R"(
    (async () => {
      const ia = new Int32Array(new SharedArrayBuffer(16));
      return await Atomics.waitAsync(ia, 0, 0).value;
    })()
  )");
  ASSERT_EQ(o.kind, Outcome::Kind::kJsError) << Json(o);
  EXPECT_THAT(o.error.message, HasSubstr("can never settle"));
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
}

}  // namespace
}  // namespace jscore::testing
