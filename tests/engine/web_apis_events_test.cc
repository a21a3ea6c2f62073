// EventTarget and Event (dispatch order, state, throwing listeners, subclasses) and
// AbortController / AbortSignal, on known answers.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/web_api_test_fixture.h"

namespace jscore::testing {
namespace {

using engine::Outcome;
using ::testing::StartsWith;

// ---- events ----

TEST_F(WebApiTest, EventTargetDispatchesInTheDomOrder) {
  EXPECT_EQ(
      Eval(R"(
    const t = new EventTarget(), log = [];
    t.addEventListener('x', () => log.push('bubble 1'));
    t.addEventListener('x', () => log.push('capture'), {capture: true});
    t.addEventListener('x', {handleEvent(e) { log.push('object ' + (this !== t)); }});
    t.addEventListener('x', () => log.push('once'), {once: true});
    const dup = () => log.push('dup'); t.addEventListener('x', dup); t.addEventListener('x', dup);
    const gone = () => log.push('gone'); t.addEventListener('x', gone); t.removeEventListener('x', gone);
    t.addEventListener('y', () => log.push('other type'));
    t.dispatchEvent(new Event('x')); log.push('--'); t.dispatchEvent(new Event('x'));
    log
  )"),
      R"(["capture","bubble 1","object true","once","dup","--","capture","bubble 1","object true","dup"])");
}

TEST_F(WebApiTest, EventStateDuringAndAfterDispatch) {
  EXPECT_EQ(Eval(R"(
    const t = new EventTarget(); let during;
    t.addEventListener('go', e => { during = [e.target === t, e.currentTarget === t, e.eventPhase,
                                                e.composedPath().length, e.isTrusted]; });
    const e = new Event('go', {bubbles: true});
    const result = t.dispatchEvent(e);
    [result, during, e.eventPhase, e.currentTarget, e.target === t, e.bubbles, e.cancelable,
     typeof e.timeStamp, Event.AT_TARGET, e.NONE]
  )"),
            R"([true,[true,true,2,1,false],0,null,true,true,false,"number",2,0])");
  EXPECT_EQ(Eval(R"(
    const t = new EventTarget(), log = [];
    t.addEventListener('c', e => { e.preventDefault(); log.push(e.defaultPrevented); });
    t.addEventListener('c', e => { log.push('stop'); e.stopImmediatePropagation(); });
    t.addEventListener('c', e => log.push('never'));
    t.addEventListener('p', e => { e.preventDefault(); log.push(e.defaultPrevented); }, {passive: true});
    [t.dispatchEvent(new Event('c', {cancelable: true})), t.dispatchEvent(new Event('c')),
     t.dispatchEvent(new Event('p', {cancelable: true})), log]
  )"),
            R"([false,true,true,[true,"stop",false,"stop",false]])");
  EXPECT_EQ(Eval(R"(
    const t = new EventTarget(); let detail;
    t.addEventListener('c', e => { detail = e.detail; });
    const ce = new CustomEvent('c', {detail: {n: 42}});
    t.dispatchEvent(ce);
    [detail, ce instanceof Event, new CustomEvent('x').detail, Object.prototype.toString.call(ce)]
  )"),
            R"([{"n":42},true,null,"[object CustomEvent]"])");
  EXPECT_EQ(
      Eval("const t = new EventTarget(); const e = new Event('r');"
           "t.addEventListener('r', () => { try { t.dispatchEvent(e) } catch (x) { r = x.name } });"
           "var r; t.dispatchEvent(e); [r, (() => { try { t.dispatchEvent({}) } catch (x) { return "
           "x.name } })()]"),
      R"(["InvalidStateError","TypeError"])");
}

TEST_F(WebApiTest, ThrowingListenersAreReportedAndDispatchGoesOn) {
  Outcome o = RunJs(*pool_, R"(
    const t = new EventTarget(), log = [];
    t.addEventListener('x', () => { throw new Error('listener failed'); });
    t.addEventListener('x', () => log.push('second ran'));
    t.dispatchEvent(new Event('x'));
    log
  )");
  EXPECT_EQ(Json(o), R"(["second ran"])");
  ASSERT_EQ(o.console.size(), 1u);
  EXPECT_EQ(o.console[0].level, engine::ConsoleLine::Level::kError);
  EXPECT_THAT(o.console[0].text, StartsWith("Uncaught Error: listener failed\n    at "));
}

TEST_F(WebApiTest, SubclassedEventTargets) {
  EXPECT_EQ(Eval(R"(
    class Emitter extends EventTarget { fire(n) { this.dispatchEvent(new CustomEvent('n', {detail: n})); } }
    const e = new Emitter(); let got = 0;
    e.addEventListener('n', ev => { got += ev.detail; });
    e.fire(2); e.fire(3);
    [got, e instanceof EventTarget, Object.getPrototypeOf(Emitter) === EventTarget]
  )"),
            "[5,true,true]");
}

// ---- AbortController / AbortSignal ----

TEST_F(WebApiTest, AbortControllerAbortsOnceWithAReason) {
  EXPECT_EQ(Eval(R"(
    const c = new AbortController(), s = c.signal, log = [];
    s.onabort = e => log.push('onabort ' + e.type + ' ' + e.isTrusted);
    s.addEventListener('abort', () => log.push('listener ' + s.aborted));
    const before = [s.aborted, s.reason];
    c.abort('why'); c.abort('again');
    let thrown; try { s.throwIfAborted(); } catch (e) { thrown = e; }
    [before, s.aborted, s.reason, thrown, log, s instanceof EventTarget, c.signal === s]
  )"),
            R"([[false,null],true,"why","why",["onabort abort true","listener true"],true,true])");
  EXPECT_EQ(
      Eval("const c = new AbortController(); c.abort(); "
           "[c.signal.reason.name, c.signal.reason.code, c.signal.reason instanceof DOMException]"),
      R"(["AbortError",20,true])");
  EXPECT_EQ(Eval("try { new AbortSignal() } catch (e) { [e.name, e.message] }"),
            R"(["TypeError","Illegal constructor"])");
}

TEST_F(WebApiTest, AbortSignalStatics) {
  EXPECT_EQ(Eval(R"(
    const a = AbortSignal.abort(), b = AbortSignal.abort(42);
    const c1 = new AbortController(), c2 = new AbortController();
    const any = AbortSignal.any([c1.signal, c2.signal]); let fired = 0;
    any.addEventListener('abort', () => fired++);
    c2.abort('second'); c1.abort('first');
    [a.aborted, a.reason.name, b.reason, any.aborted, any.reason, fired,
     AbortSignal.any([b]).reason]
  )"),
            R"([true,"AbortError",42,true,"second",1,42])");
  EXPECT_EQ(Eval(R"(
    (async () => {
      const s = AbortSignal.timeout(10);
      const first = s.aborted;
      await new Promise(r => s.addEventListener('abort', r));
      return [first, s.aborted, s.reason.name, s.reason.message];
    })()
  )"),
            R"([false,true,"TimeoutError","signal timed out"])");
}

TEST_F(WebApiTest, ListenerSignalRemovesTheListener) {
  EXPECT_EQ(Eval(R"(
    const t = new EventTarget(), c = new AbortController(); let n = 0;
    t.addEventListener('x', () => n++, {signal: c.signal});
    t.dispatchEvent(new Event('x')); c.abort(); t.dispatchEvent(new Event('x'));
    t.addEventListener('x', () => n += 100, {signal: c.signal});  // already aborted: not added
    t.dispatchEvent(new Event('x'));
    n
  )"),
            "1");
}

}  // namespace
}  // namespace jscore::testing
