// Web APIs that turn values into bytes and back, on known answers: atob / btoa,
// TextEncoder / TextDecoder, structuredClone.
#include <string>

#include "gtest/gtest.h"
#include "tests/engine/web_api_test_fixture.h"

namespace jscore::testing {
namespace {

using engine::Outcome;

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

}  // namespace
}  // namespace jscore::testing
