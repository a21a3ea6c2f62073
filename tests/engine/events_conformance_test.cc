// Conformance of the event family with the DOM standard where jscore once
// differed: AbortSignal.any (dependents flattened to their sources, all marked
// aborted before any abort event fires) and addEventListener's options when the
// callback is null.
#include <string>

#include "gtest/gtest.h"
#include "tests/engine/engine_test_support.h"
#include "tests/engine/web_api_test_fixture.h"

namespace jscore::testing {
namespace {

class EventsConformanceTest : public WebApiTest {};  // one pool per suite (web_api_test_fixture.h)

TEST_F(EventsConformanceTest, AnyFiresSourceThenDependentsInOrder) {
  EXPECT_EQ(Eval(R"(
    const log = [];
    const c = new AbortController();
    const s1 = AbortSignal.any([c.signal]);
    const s2 = AbortSignal.any([s1]);
    c.signal.addEventListener('abort', () => log.push('source'));
    s1.addEventListener('abort', () => log.push('dependent 1'));
    s2.addEventListener('abort', () => log.push('dependent 2'));
    c.abort();
    log
  )"),
            R"(["source","dependent 1","dependent 2"])");
}

TEST_F(EventsConformanceTest, AnyMarksEveryDependentAbortedBeforeEvents) {
  EXPECT_EQ(Eval(R"(
    const c = new AbortController();
    const s1 = AbortSignal.any([c.signal]);
    const s2 = AbortSignal.any([s1]);
    let seen;
    c.signal.addEventListener('abort', () => {
      const s3 = AbortSignal.any([s2]);
      seen = [c.signal.aborted, s1.aborted, s2.aborted, s3.aborted, s2.reason === c.signal.reason];
    });
    c.abort();
    seen
  )"),
            "[true,true,true,true,true]");
}

TEST_F(EventsConformanceTest, AnyOfADependentFollowsItsSources) {
  // s2 depends on c's signal directly (s1 is flattened away): it aborts with c,
  // once, with c's reason, even when a second source aborts during the event.
  EXPECT_EQ(Eval(R"(
    const c1 = new AbortController(), c2 = new AbortController();
    const s = AbortSignal.any([c1.signal, c2.signal]);
    const s2 = AbortSignal.any([s, c1.signal]);
    let count = 0;
    c1.signal.addEventListener('abort', () => c2.abort('reason 2'));
    s.addEventListener('abort', () => count++);
    s2.addEventListener('abort', () => count++);
    c1.abort('reason 1');
    [count, s.reason, s2.reason]
  )"),
            R"([2,"reason 1","reason 1"])");
}

TEST_F(EventsConformanceTest, AddEventListenerReadsOptionsWithNullCallback) {
  EXPECT_EQ(Eval(R"(
    const read = [];
    const options = {
      get capture() { read.push('capture'); return false; },
      get once() { read.push('once'); return false; },
      get passive() { read.push('passive'); return false; },
      get signal() { read.push('signal'); return undefined; },
    };
    const t = new EventTarget();
    t.addEventListener('foo', null, options);
    t.addEventListener('foo', undefined, options);
    let thrown;
    try { t.addEventListener('foo', null, { signal: 42 }); thrown = 'no error'; }
    catch (e) { thrown = e.constructor.name; }
    [read, thrown]
  )"),
            R"([["capture","once","passive","signal","capture","once","passive","signal"],)"
            R"("TypeError"])");
  // A non-object callback still throws before the options are read.
  EXPECT_EQ(Eval(R"(
    let read = false;
    try { new EventTarget().addEventListener('foo', 5, { get once() { read = true; } }); }
    catch (e) {}
    read
  )"),
            "false");
}

}  // namespace
}  // namespace jscore::testing
