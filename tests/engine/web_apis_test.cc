// The Web APIs of the standard environment, family by family, on known answers:
// encoding, structuredClone, performance, URL, events, abort, console formatting,
// and what every family promises (lazy, non-enumerable, native-looking globals).
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/engine_test_support.h"

namespace jscore::testing {
namespace {

using engine::Outcome;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class WebApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto pool = engine::Pool::Create(TestPlatform(), SmallPool(1));
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = pool->release();
  }
  static void TearDownTestSuite() {
    delete pool_;
    pool_ = nullptr;
  }
  static std::string Eval(const std::string& source) { return Json(RunJs(*pool_, source)); }
  static std::vector<std::string> Console(const std::string& source) {
    Outcome o = RunJs(*pool_, source);
    EXPECT_EQ(o.kind, Outcome::Kind::kValue) << Json(o);
    std::vector<std::string> lines;
    for (const auto& line : o.console) lines.push_back(line.text);
    return lines;
  }
  static engine::Pool* pool_;
};

engine::Pool* WebApiTest::pool_ = nullptr;

// ---- atob / btoa ----

TEST_F(WebApiTest, BtoaAndAtobRoundTrip) {
  EXPECT_EQ(Eval("btoa('Hello World')"), R"("SGVsbG8gV29ybGQ=")");
  EXPECT_EQ(Eval("atob('SGVsbG8gV29ybGQ=')"), R"("Hello World")");
  EXPECT_EQ(Eval("[btoa(''), btoa('a'), btoa('ab'), btoa('abc'), btoa(null)]"),
            R"(["","YQ==","YWI=","YWJj","bnVsbA=="])");
  // Forgiving base64: whitespace anywhere, padding optional.
  EXPECT_EQ(Eval("[atob(' SGVs\\nbG8= '), atob('YQ'), atob('YWI'), atob('')]"),
            R"(["Hello","a","ab",""])");
  // Bytes above 0x7F come back as Latin-1 code units.
  EXPECT_EQ(Eval("[...atob('/+8=')].map(c => c.charCodeAt(0))"), "[255,239]");
  EXPECT_EQ(Eval("btoa(String.fromCharCode(255, 254))"), R"("//4=")");
}

TEST_F(WebApiTest, AtobAndBtoaThrowInvalidCharacterError) {
  const char* check = R"(
    function code(f) {
      try { f(); return 'no error'; }
      catch (e) { return [e.name, e.code, e instanceof DOMException, e instanceof Error]; }
    }
    [code(() => atob('a')), code(() => atob('ab!c')), code(() => atob('abc==')),
     code(() => btoa('✓')), code(() => atob())]
  )";
  EXPECT_EQ(Eval(check),
            R"([["InvalidCharacterError",5,true,true],["InvalidCharacterError",5,true,true],)"
            R"(["InvalidCharacterError",5,true,true],["InvalidCharacterError",5,true,true],)"
            R"(["TypeError",null,false,true]])");
  Outcome thrown = RunJs(*pool_, "atob('***')");
  ASSERT_EQ(thrown.kind, Outcome::Kind::kJsError);
  EXPECT_EQ(thrown.error.name, "InvalidCharacterError");
  EXPECT_EQ(thrown.error.message, "The string to be decoded is not correctly encoded.");
}

// ---- TextEncoder / TextDecoder ----

TEST_F(WebApiTest, TextEncoderEncodesUtf8) {
  EXPECT_EQ(Eval("Array.from(new TextEncoder().encode('a€😀'))"),
            "[97,226,130,172,240,159,152,128]");
  EXPECT_EQ(Eval("Array.from(new TextEncoder().encode('\\ud800'))"), "[239,191,189]");
  EXPECT_EQ(Eval("[new TextEncoder().encoding, new TextEncoder().encode().length, "
                 "new TextEncoder().encode('x') instanceof Uint8Array]"),
            R"(["utf-8",0,true])");
}

TEST_F(WebApiTest, EncodeIntoWritesWholeCodePointsOnly) {
  EXPECT_EQ(Eval(R"(
    const enc = new TextEncoder();
    const small = new Uint8Array(3), exact = new Uint8Array(4), wide = new Uint8Array(10);
    [enc.encodeInto('a€b', small), enc.encodeInto('a€b', exact), enc.encodeInto('😀!', wide),
     Array.from(exact)]
  )"),
            R"([{"read":1,"written":1},{"read":2,"written":4},{"read":3,"written":5},)"
            R"([97,226,130,172]])");
}

TEST_F(WebApiTest, TextDecoderFollowsTheEncodingStandard) {
  EXPECT_EQ(Eval("new TextDecoder().decode(new Uint8Array([104, 105, 226, 130, 172]))"),
            R"("hi€")");
  // Maximal subparts become one U+FFFD each.
  EXPECT_EQ(
      Eval(
          "escape(new TextDecoder().decode(new Uint8Array([0xF0, 0x28, 0x8C, 0xBC, 0xC0, 0x41])))"),
      R"("%uFFFD%28%uFFFD%uFFFD%uFFFDA")");
  // BOM: stripped unless ignoreBOM.
  EXPECT_EQ(Eval("const bom = new Uint8Array([0xEF, 0xBB, 0xBF, 0x41]);"
                 "[new TextDecoder().decode(bom).length, new TextDecoder('utf-8', {ignoreBOM: "
                 "true}).decode(bom).length]"),
            "[1,2]");
  // Inputs: ArrayBuffer, DataView, a view into a larger buffer, nothing.
  EXPECT_EQ(Eval("const b = new TextEncoder().encode('xhello').buffer; const d = new TextDecoder();"
                 "[d.decode(b), d.decode(new DataView(b, 1, 2)), d.decode(new Uint8Array(b, 3)), "
                 "d.decode()]"),
            R"(["xhello","he","llo",""])");
  EXPECT_EQ(
      Eval("const d = new TextDecoder(' UTF8 ', {fatal: 1}); [d.encoding, d.fatal, d.ignoreBOM]"),
      R"(["utf-8",true,false])");
  EXPECT_EQ(Eval("try { new TextDecoder('latin1') } catch (e) { [e.name, e.message] }"),
            R"(["RangeError","The \"latin1\" encoding is not supported"])");
  EXPECT_EQ(Eval("try { new TextDecoder('utf-8', {fatal: true}).decode(new Uint8Array([0xFF])) }"
                 " catch (e) { [e.name, e.message] }"),
            R"(["TypeError","The encoded data was not valid for encoding utf-8"])");
  EXPECT_EQ(Eval("try { new TextDecoder().decode('text') } catch (e) { e.name }"),
            R"("TypeError")");
}

TEST_F(WebApiTest, TextDecoderStreamsAcrossChunks) {
  EXPECT_EQ(Eval(R"(
    const bytes = new TextEncoder().encode('€😀');  // 3 + 4 bytes
    const d = new TextDecoder();
    const parts = [];
    for (const b of bytes) parts.push(d.decode(new Uint8Array([b]), {stream: true}));
    parts.push(d.decode());
    [parts.join(''), parts.filter(p => p !== '').length]
  )"),
            R"(["€😀",2])");
  // An incomplete sequence at the end of a non-streaming call is an error (U+FFFD),
  // and the decoder starts over afterwards.
  EXPECT_EQ(Eval("const d = new TextDecoder(); [escape(d.decode(new Uint8Array([0xE2, 0x82]), "
                 "{stream: true}) + "
                 "d.decode()), d.decode(new Uint8Array([0x41]))]"),
            R"(["%uFFFD","A"])");
}

// ---- structuredClone ----

TEST_F(WebApiTest, StructuredCloneCopiesDeeply) {
  EXPECT_EQ(Eval(R"(
    const m = new Map([['a', {n: 1}]]);
    const src = {m, d: new Date(0), s: new Set([1, 2]), r: /x/gi, big: 10n, u8: new Uint8Array([1, 2]),
                 nested: {arr: [1, [2, [3]]]}};
    src.self = src;
    const c = structuredClone(src);
    [c !== src, c.self === c, c.m.get('a').n, c.m.get('a') !== m.get('a'), c.d.toISOString(),
     c.d instanceof Date, [...c.s], c.r.flags + c.r.source, typeof c.big, Array.from(c.u8),
     c.nested.arr[1][1][0]]
  )"),
            R"([true,true,1,true,"1970-01-01T00:00:00.000Z",true,[1,2],"gix","bigint",[1,2],3])");
  EXPECT_EQ(
      Eval("const e = structuredClone(new RangeError('r')); [e instanceof RangeError, e.message]"),
      R"([true,"r"])");
}

TEST_F(WebApiTest, StructuredCloneRejectsFunctionsAndTransfersBuffers) {
  EXPECT_EQ(Eval("try { structuredClone({f() {}}) } catch (e) { [e.name, e.code, e instanceof "
                 "DOMException] }"),
            R"(["DataCloneError",25,true])");
  EXPECT_EQ(Eval("try { structuredClone(Symbol('s')) } catch (e) { e.name }"),
            R"("DataCloneError")");
  EXPECT_EQ(Eval(R"(
    const buf = new Uint8Array([1, 2, 3]).buffer;
    const out = structuredClone({buf}, {transfer: [buf]});
    [buf.byteLength, out.buf.byteLength, Array.from(new Uint8Array(out.buf))]
  )"),
            "[0,3,[1,2,3]]");
  EXPECT_EQ(Eval("try { structuredClone() } catch (e) { e.name }"), R"("TypeError")");
}

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

// ---- URL ----

struct UrlCase {
  const char* input;
  const char* base;  // nullptr: none
  const char* href;  // nullptr: invalid (TypeError)
};

TEST_F(WebApiTest, UrlParsesRealWorldInputs) {
  // Expected answers from Node.js 20 (ada, WHATWG conformant).
  const UrlCase cases[] = {
      {"https://example.com/path?query=1#hash", nullptr, "https://example.com/path?query=1#hash"},
      {"HTTPS://EXAMPLE.COM:443/a/../b/./c?x=1 2", nullptr, "https://example.com/b/c?x=1%202"},
      {"http://user:pass@host.com:8080/p?q=s#h", nullptr, "http://user:pass@host.com:8080/p?q=s#h"},
      {"http://münchen.de/straße", nullptr, "http://xn--mnchen-3ya.de/stra%C3%9Fe"},
      {"https://例子.测试/路径?名=值", nullptr,
       "https://xn--fsqu00a.xn--0zwm56d/%E8%B7%AF%E5%BE%84?%E5%90%8D=%E5%80%BC"},
      {"http://faß.de/", nullptr, "http://xn--fa-hia.de/"},
      {"http://ＥＸＡＭＰＬＥ．ｃｏｍ/", nullptr, "http://example.com/"},
      {"http://0x7f.1/", nullptr, "http://127.0.0.1/"},
      {"http://3232235521/", nullptr, "http://192.168.0.1/"},
      {"http://[2001:0db8:0000:0000:0000:ff00:0042:8329]/", nullptr,
       "http://[2001:db8::ff00:42:8329]/"},
      {"http://[::ffff:192.168.0.1]/", nullptr, "http://[::ffff:c0a8:1]/"},
      {"http://example.com:0080/", nullptr, "http://example.com/"},
      {"ws://example.com:80/", nullptr, "ws://example.com/"},
      {"http:\\\\example.com\\a\\b", nullptr, "http://example.com/a/b"},
      {"  http://example.com/  ", nullptr, "http://example.com/"},
      {"http://example.com/%7Efoo/%2e%2E/bar", nullptr, "http://example.com/bar"},
      {"http://example.com/?a=b&c=d'e\"f<g>h", nullptr,
       "http://example.com/?a=b&c=d%27e%22f%3Cg%3Eh"},
      {"foo://example.com/a b?c d#e f", nullptr, "foo://example.com/a%20b?c%20d#e%20f"},
      {"mailto:someone@example.com?subject=Hi there", nullptr,
       "mailto:someone@example.com?subject=Hi%20there"},
      {"file:///C:/x/../y", nullptr, "file:///C:/y"},
      {"file://localhost/etc/passwd", nullptr, "file:///etc/passwd"},
      {"../c", "http://example.com/a/b/", "http://example.com/a/c"},
      {"//other.com/p", "https://example.com/a", "https://other.com/p"},
      {"?newq", "https://example.com/a/b?q#f", "https://example.com/a/b?newq"},
      {"#newf", "https://example.com/a/b?q#f", "https://example.com/a/b?q#newf"},
      {"g;x?y#s", "http://a/b/c/d;p?q", "http://a/b/c/g;x?y#s"},
      {"../../../g", "http://a/b/c/d;p?q", "http://a/g"},
      {"http:g", "http://a/b/c/d;p?q", "http://a/b/c/g"},
      {"https:g", "http://a/b/c/d;p?q", "https://g/"},
      {"x", "foo:/a/b", "foo:/a/x"},
      {"http://example.com:65536/", nullptr, nullptr},
      {"http://256.256.256.256/", nullptr, nullptr},
      {"http://[::1::]/", nullptr, nullptr},
      {"http://a b/", nullptr, nullptr},
      {"http://user@/", nullptr, nullptr},
      {"relative/path", nullptr, nullptr},
      {"", nullptr, nullptr},
      {"x", "mailto:a@b", nullptr},
  };
  for (const UrlCase& c : cases) {
    // The inputs reach the script as globals, so that any text survives quoting.
    engine::JobSpec spec;
    spec.source = c.base ? "new URL(input, base).href" : "new URL(input).href";
    google::protobuf::Value input, base;
    input.set_string_value(c.input);
    spec.globals.emplace_back("input", input);
    if (c.base) {
      base.set_string_value(c.base);
      spec.globals.emplace_back("base", base);
    }
    PendingJob p = MakeJob(std::move(spec));
    ASSERT_TRUE(pool_->Submit(p.job).ok());
    Outcome o = p.Wait();
    if (c.href == nullptr) {
      EXPECT_EQ(Json(o), "JsError TypeError: Invalid URL") << c.input;
    } else {
      EXPECT_EQ(Json(o), "\"" + std::string(c.href) + "\"") << c.input;
    }
  }
}

TEST_F(WebApiTest, UrlComponentsAndSetters) {
  EXPECT_EQ(
      Eval(R"(
    const u = new URL('https://user:pw@example.com:8080/p/a/t/h?query=string#hash');
    [u.protocol, u.username, u.password, u.host, u.hostname, u.port, u.pathname, u.search, u.hash,
     u.origin, String(u), JSON.stringify({u})]
  )"),
      R"(["https:","user","pw","example.com:8080","example.com","8080","/p/a/t/h","?query=string",)"
      R"("#hash","https://example.com:8080","https://user:pw@example.com:8080/p/a/t/h?query=string#hash",)"
      R"("{\"u\":\"https://user:pw@example.com:8080/p/a/t/h?query=string#hash\"}"])");
  EXPECT_EQ(
      Eval(R"(
    const u = new URL('http://example.com/a');
    u.protocol = 'https'; u.host = 'other.org:444'; u.pathname = '/x y'; u.search = 'k=v w';
    u.hash = 'frag'; u.username = 'me@x'; const a = u.href;
    u.port = '443'; u.protocol = 'mailto'; const b = u.href;
    u.search = ''; u.hash = ''; u.port = ''; const c = u.href;
    [a, b, c]
  )"),
      R"(["https://me%40x@other.org:444/x%20y?k=v%20w#frag","https://me%40x@other.org/x%20y?k=v%20w#frag",)"
      R"("https://me%40x@other.org/x%20y"])");
  EXPECT_EQ(
      Eval("try { new URL('http://a/').href = 'not a url' } catch (e) { [e.name, e.message] }"),
      R"(["TypeError","Invalid URL"])");
  EXPECT_EQ(
      Eval("[URL.canParse('https://x'), URL.canParse('nope'), URL.canParse('/p', 'https://x'), "
           "URL.parse('nope'), URL.parse('b', 'https://x/a').href]"),
      R"([true,false,true,null,"https://x/b"])");
  EXPECT_EQ(Eval("[new URL('blob:https://a.com:443/x').origin, new URL('file:///x').origin, "
                 "new URL('data:text/plain,hi').origin]"),
            R"(["https://a.com","null","null"])");
}

TEST_F(WebApiTest, SearchParamsAreLiveBothWays) {
  EXPECT_EQ(
      Eval(R"(
    const u = new URL('https://example.com/?a=1&b=2');
    const p = u.searchParams;
    p.append('c', 'x y+z'); const one = u.href;
    p.delete('a'); const two = u.search;
    u.search = '?q=hello+world&q=%20again'; const three = [p.getAll('q'), p.size, p === u.searchParams];
    u.href = 'https://example.com/'; const four = [p.size, u.searchParams.toString()];
    p.set('k', 'v'); const five = u.href;
    [one, two, three, four, five]
  )"),
      R"(["https://example.com/?a=1&b=2&c=x+y%2Bz","?b=2&c=x+y%2Bz",[["hello world"," again"],2,true],)"
      R"([0,""],"https://example.com/?k=v"])");
}

TEST_F(WebApiTest, UrlSearchParamsMethods) {
  EXPECT_EQ(Eval(R"(
    const p = new URLSearchParams('?b=2&a=1&b=3&c=%E2%82%AC&d');
    const out = [p.get('b'), p.get('zz'), p.getAll('b'), p.has('b'), p.has('b', '3'), p.has('b', '9'),
                 p.get('c'), p.get('d'), p.size];
    p.delete('b', '2'); out.push(p.toString());
    p.set('b', 'x'); p.sort(); out.push(p.toString());
    out.push([...p.keys()], [...p.values()], [...p.entries()].length, [...p].length);
    const seen = []; p.forEach((v, k, self) => seen.push(k + '=' + v + (self === p)));
    out.push(seen, Object.prototype.toString.call(p.keys()));
    out
  )"),
            R"(["2",null,["2","3"],true,true,false,"€","",5,"a=1&b=3&c=%E2%82%AC&d=",)"
            R"("a=1&b=x&c=%E2%82%AC&d=",["a","b","c","d"],["1","x","€",""],4,4,)"
            R"(["a=1true","b=xtrue","c=€true","d=true"],"[object URLSearchParams Iterator]"])");
  // Constructors: record, sequence of pairs, another URLSearchParams; serialization.
  EXPECT_EQ(Eval(R"(
    [new URLSearchParams({a: '1', 'b c': 'd&e'}).toString(),
     new URLSearchParams([['x', '1'], ['x', '2']]).toString(),
     new URLSearchParams(new URLSearchParams('k=v')).toString(),
     new URLSearchParams({s: "!'()*~-._ é"}).toString()]
  )"),
            R"(["a=1&b+c=d%26e","x=1&x=2","k=v","s=%21%27%28%29*%7E-._+%C3%A9"])");
  EXPECT_EQ(Eval("try { new URLSearchParams([['a']]) } catch (e) { e.name }"), R"("TypeError")");
}

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

// ---- console ----

TEST_F(WebApiTest, ConsoleFormatsLikeNode) {
  EXPECT_THAT(
      Console(R"(
    console.log('%s is %d years', 'Bob', 42.5, 'extra');
    console.log({a: 1, b: [1, 2], s: 'x'});
    console.log({a: {b: {c: {d: 1}}}});
    function f() {} console.log([f, () => {}, class A {}]);
    console.log(new Map([['a', 1]]), new Set(['x']));
    const o = {name: 'o'}; o.self = o; console.log(o);
    console.log('plain', 5, null, undefined, true, 10n, Symbol('s'), -0);
    console.log([1, , 3], new Uint8Array([1, 2]), new Date(0), /x/g);
    console.log('%i|%f|%j|%%|%c.', '42.9px', '1.5', {j: 1}, 'color: red');
    console.log({'key-1': "it's", nested: [[[[1]]]]});
  )"),
      ElementsAre(
          "Bob is 42.5 years extra", "{ a: 1, b: [ 1, 2 ], s: 'x' }",
          "{ a: { b: { c: [Object] } } }", "[ [Function: f], [Function (anonymous)], [class A] ]",
          "Map(1) { 'a' => 1 } Set(1) { 'x' }", "<ref *1> { name: 'o', self: [Circular *1] }",
          "plain 5 null undefined true 10n Symbol(s) -0",
          "[ 1, <1 empty item>, 3 ] Uint8Array(2) [ 1, 2 ] 1970-01-01T00:00:00.000Z /x/g",
          "42|1.5|{\"j\":1}|%|.", "{ 'key-1': \"it's\", nested: [ [ [Array] ] ] }"));
}

TEST_F(WebApiTest, ConsoleBreaksLongOutputLikeNode) {
  EXPECT_THAT(
      Console("console.log({a: 'x'.repeat(30), b: 'y'.repeat(30)});"
              "console.log(Array.from({length: 30}, (_, i) => i));"),
      ElementsAre(
          "{\n  a: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',\n  b: 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy'\n}",
          "[\n   0,  1,  2,  3,  4,  5,  6,  7,  8,\n   9, 10, 11, 12, 13, 14, 15, 16, 17,\n"
          "  18, 19, 20, 21, 22, 23, 24, 25, 26,\n  27, 28, 29\n]"));
}

TEST_F(WebApiTest, ConsoleErrorsAndWebObjects) {
  std::vector<std::string> lines = Console(R"(
    console.log(new TypeError('bad'));
    try { atob('!') } catch (e) { console.log(e) }
    console.log(new URLSearchParams('a=1&b=2'));
    console.log(new URL('https://x.org/p?q=1').searchParams);
    console.log([new AbortController().signal]);
  )");
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_THAT(lines[0], StartsWith("TypeError: bad\n    at <eval>:2:17"));
  EXPECT_THAT(lines[1],
              StartsWith("DOMException [InvalidCharacterError]: The string to be decoded"));
  EXPECT_EQ(lines[2], "URLSearchParams { 'a' => '1', 'b' => '2' }");
  EXPECT_EQ(lines[3], "URLSearchParams { 'q' => '1' }");
  EXPECT_EQ(lines[4], "[ AbortSignal { aborted: false } ]");
}

TEST_F(WebApiTest, ConsoleHelpers) {
  Outcome o = RunJs(*pool_, R"(
    console.count(); console.count(); console.count('x'); console.countReset(); console.count();
    console.group('G'); console.info('inside\nsecond'); console.groupEnd(); console.log('outside');
    console.assert(1 === 1, 'never'); console.assert(false, 'failed %s', 'here');
    console.time('t'); console.timeEnd('t'); console.timeEnd('missing');
    console.dir('quoted'); console.table([1]);
    const log = console.log; log('detached');
    0
  )");
  std::vector<std::string> lines;
  for (const auto& line : o.console) lines.push_back(line.text);
  ASSERT_EQ(lines.size(), 13u) << ::testing::PrintToString(lines);
  EXPECT_THAT(std::vector<std::string>(lines.begin(), lines.begin() + 8),
              ElementsAre("default: 1", "default: 2", "x: 1", "default: 1", "G",
                          "  inside\n  second", "outside", "Assertion failed: failed here"));
  EXPECT_THAT(lines[8], ::testing::MatchesRegex("t: [0-9.]+ms"));
  EXPECT_EQ(lines[9], "No such label 'missing' for console.timeEnd()");
  EXPECT_EQ(o.console[9].level, engine::ConsoleLine::Level::kWarn);
  EXPECT_EQ(lines[10], "'quoted'");
  EXPECT_EQ(lines[11], "[ 1 ]");
  EXPECT_EQ(lines[12], "detached");
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
  engine::JobSpec spec;
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
