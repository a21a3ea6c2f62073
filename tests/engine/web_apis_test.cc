// What every Web API family promises (hidden, native-looking, lazy globals; state
// out of reach of prototype pollution; none in bare contexts), and performance.
// The families themselves: web_apis_{encoding,url,events,console}_test.cc.
#include <string>

#include "gtest/gtest.h"
#include "tests/engine/web_api_test_fixture.h"

namespace jscore::testing {
namespace {

// ---- performance ----

TEST_F(WebApiTest, PerformanceNowIsMonotonicSinceTheContextWasBuilt) {
  EXPECT_EQ(Eval(R"(
    const a = performance.now();
    let x = 0; for (let i = 0; i < 1e5; i++) x += i;
    const b = performance.now();
    [typeof a, a >= 0, b >= a, Math.abs(performance.timeOrigin + b - Date.now()) < 1000,
     performance.toJSON().timeOrigin === performance.timeOrigin, String(performance)]
  )"),
            R"(["number",true,true,true,true,"[object Performance]"])");
}

// ---- what every family promises ----

TEST_F(WebApiTest, GlobalsAreHiddenNativeAndLazy) {
  EXPECT_EQ(
      Eval(R"(
    const names = ['atob', 'btoa', 'TextEncoder', 'TextDecoder', 'structuredClone', 'performance',
                   'URL', 'URLSearchParams', 'Event', 'EventTarget', 'CustomEvent', 'AbortController',
                   'AbortSignal', 'DOMException', 'console'];
    const keys = Object.keys(globalThis);
    const d = Object.getOwnPropertyDescriptor(globalThis, 'URL');
    [names.filter(n => keys.includes(n)), names.filter(n => !(n in globalThis)),
     d.enumerable, d.writable, d.configurable,
     String(atob), String(URL), String(URL.prototype.toString), String(Object.getOwnPropertyDescriptor(URL.prototype, 'href').get)]
  )"),
      R"([[],[],false,true,true,"function atob() { [native code] }","function URL() { [native code] }",)"
      R"("function toString() { [native code] }","function get href() { [native code] }"])");
  // Replaceable like any global, and a lazy global read after being replaced keeps the new value.
  EXPECT_EQ(Eval("URL = 5; delete globalThis.TextEncoder; [URL, typeof TextEncoder]"),
            R"([5,"undefined"])");
  EXPECT_EQ(Eval("try { URL('x') } catch (e) { e.message }"),
            R"("Class constructor URL cannot be invoked without 'new'")");
  EXPECT_EQ(Eval("try { URL.prototype.href } catch (e) { e.message }"), R"("Illegal invocation")");
  EXPECT_EQ(Eval("class MyURL extends URL { get extra() { return this.hostname + '!'; } }"
                 "const u = new MyURL('https://a.b/'); [u.extra, u instanceof URL]"),
            R"(["a.b!",true])");
}

// jscore keeps its state in arrays and objects of its own; a script that plants
// getters and setters on Array.prototype / Object.prototype reaches none of it.
TEST_F(WebApiTest, InternalStateIgnoresPrototypePollution) {
  EXPECT_EQ(
      Eval(R"(
    for (let i = 0; i < 32; i++) {
      Object.defineProperty(Array.prototype, i, {get() { return 'polluted'; }, set(v) {}, configurable: true});
    }
    Object.defineProperty(Object.prototype, 'read', {set(v) {}, configurable: true});
    const u = new URL('https://a.b/?x=1'); const p = u.searchParams; p.append('y', '2');
    const t = new EventTarget(); let n = 0; t.addEventListener('e', () => n++); t.dispatchEvent(new Event('e'));
    const c = new AbortController(); c.abort();
    let dom; try { atob('!') } catch (e) { dom = e.name }
    const into = new TextEncoder().encodeInto('a', new Uint8Array(2));
    const out = [u.href, p.toString(), n, c.signal.aborted, c.signal.reason.name, dom,
                 Object.getOwnPropertyDescriptor(into, 'read').value, typeof structuredClone({})];
    for (let i = 0; i < 32; i++) delete Array.prototype[i];
    out
  )"),
      R"(["https://a.b/?x=1&y=2","x=1&y=2",1,true,"AbortError","InvalidCharacterError",1,"object"])");
}

TEST_F(WebApiTest, BareContextsHaveNone) {
  engine::EvaluateSpec spec;
  spec.environment = engine::Environment::kBare;
  spec.source =
      "[typeof URL, typeof atob, typeof TextEncoder, typeof Event, typeof console, "
      "typeof structuredClone, typeof performance]";
  PendingJob p = MakeJob(std::move(spec));
  ASSERT_TRUE(pool_->Submit(p.job).ok());
  EXPECT_EQ(
      Json(p.Wait()),
      R"(["undefined","undefined","undefined","undefined","undefined","undefined","undefined"])");
}

}  // namespace
}  // namespace jscore::testing
