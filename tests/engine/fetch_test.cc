// fetch, Headers, Response and XMLHttpRequest against a real HTTP server on
// 127.0.0.1 (tests/support/http_test_server.h). Only loopback is ever contacted.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/engine_test_support.h"
#include "tests/support/http_test_server.h"

namespace jscore::testing {
namespace {

using engine::Outcome;
using ::testing::HasSubstr;

class FetchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = HttpTestServer::Start();
    ASSERT_NE(server_, nullptr);
  }

  engine::PoolOptions Options(int workers = 1) {
    engine::PoolOptions o = SmallPool(workers);
    auto allowlist = engine::FetchAllowlist::Parse(absl::StrCat("127.0.0.1:", server_->port()));
    EXPECT_TRUE(allowlist.ok()) << allowlist.status();
    o.fetch.allowlist = *allowlist;
    return o;
  }

  std::unique_ptr<engine::Pool> MakePool(const engine::PoolOptions& options) {
    auto pool = engine::Pool::Create(TestPlatform(), options);
    EXPECT_TRUE(pool.ok()) << pool.status();
    return pool.ok() ? std::move(*pool) : nullptr;
  }

  // `source` with BASE replaced by the server's origin and OTHER by the same server
  // under a host name that is not on the list.
  std::string Js(const std::string& source) {
    return absl::StrReplaceAll(source,
                               {{"BASE", server_->Url("")},
                                {"OTHER", absl::StrCat("http://localhost:", server_->port())}});
  }

  static uint32_t FetchesInFlight(engine::Pool& pool) {
    uint32_t n = 0;
    for (const auto& w : pool.Stats().workers) n += w.fetches_in_flight;
    return n;
  }

  std::unique_ptr<HttpTestServer> server_;
};

TEST_F(FetchTest, AbsentByDefault) {
  auto pool = MakePool(SmallPool(1));
  EXPECT_EQ(
      Json(RunJs(*pool, "[typeof fetch, typeof XMLHttpRequest, typeof Headers, typeof Response]")),
      R"(["undefined","undefined","undefined","undefined"])");
}

TEST_F(FetchTest, GetTextAndJsonWithReadableHeaders) {
  auto pool = MakePool(Options());
  Outcome o = RunJs(*pool, Js(R"JS((async () => {
    const r = await fetch('BASE/text');
    const text = await r.text();
    let again;
    try { await r.text(); } catch (e) { again = e.name; }
    const j = await fetch(new URL('BASE/json'));
    const names = [];
    r.headers.forEach((v, k) => names.push(k));
    return {status: r.status, ok: r.ok, statusText: r.statusText, url: r.url, type: r.type,
            redirected: r.redirected, text, again, bodyUsed: r.bodyUsed,
            ct: r.headers.get('Content-Type'), x: r.headers.get('x-test'), has: r.headers.has('X-TEST'),
            missing: r.headers.get('nope'), names: names.includes('x-test'),
            entries: [...r.headers.entries()].some(([k, v]) => k === 'x-test' && v === 'yes'),
            json: await j.json(), isResponse: j instanceof Response, isHeaders: j.headers instanceof Headers};
  })())JS"));
  EXPECT_EQ(
      Json(o),
      Js(R"({"again":"TypeError","bodyUsed":true,"ct":"text/plain","entries":true,"has":true,)"
         R"("isHeaders":true,"isResponse":true,"json":{"a":1,"list":[1,2,3]},"missing":null,)"
         R"("names":true,"ok":true,"redirected":false,"status":200,"statusText":"OK",)"
         R"("text":"hello from jscore","type":"basic","url":"BASE/text","x":"yes"})"));
}

TEST_F(FetchTest, PostWithBodyAndHeaders) {
  auto pool = MakePool(Options());
  Outcome o = RunJs(*pool, Js(R"JS((async () => {
    const r = await fetch('BASE/echo', {method: 'post', body: JSON.stringify({k: 'v'}),
        headers: {'Content-Type': 'application/json', 'X-Sig': 'abc', 'Host': 'evil.example'}});
    const form = await (await fetch({url: 'BASE/echo', method: 'PUT',
        body: new URLSearchParams({a: '1', b: 'x y'}), headers: [['x-list', 'a'], ['x-list', 'b']]})).json();
    const bytes = await (await fetch('BASE/echo', {method: 'POST', body: new Uint8Array([104, 105])})).json();
    return {echo: await r.json(), form: [form.method, form.body, form.headers['content-type'], form.headers['x-list']],
            bytes: bytes.body};
  })())JS"));
  ASSERT_EQ(o.kind, Outcome::Kind::kValue) << Json(o);
  const auto& fields = o.value.struct_value().fields();
  const auto& echo = fields.at("echo").struct_value().fields();
  EXPECT_EQ(echo.at("method").string_value(), "POST");
  EXPECT_EQ(echo.at("body").string_value(), R"({"k":"v"})");
  const auto& headers = echo.at("headers").struct_value().fields();
  EXPECT_EQ(headers.at("content-type").string_value(), "application/json");
  EXPECT_EQ(headers.at("x-sig").string_value(), "abc");
  // A script cannot name another virtual host behind an allowed address.
  EXPECT_EQ(headers.at("host").string_value(), absl::StrCat("127.0.0.1:", server_->port()));
  EXPECT_EQ(SortedJson(fields.at("form")),
            R"(["PUT","a=1&b=x+y","application/x-www-form-urlencoded;charset=UTF-8","a, b"])");
  EXPECT_EQ(fields.at("bytes").string_value(), "hi");
}

TEST_F(FetchTest, HostNotOnTheListIsRejectedBeforeAnyConnection) {
  auto pool = MakePool(Options());
  Outcome o = RunJs(*pool, Js(R"JS((async () => {
    const out = [];
    for (const url of ['OTHER/text', 'http://127.0.0.1:1/text', 'file:///etc/passwd',
                       'ftp://127.0.0.1/', 'http://user:pw@127.0.0.1/', '/relative']) {
      try { await fetch(url); out.push('fetched'); } catch (e) { out.push(e.name + ': ' + e.message); }
    }
    return out;
  })())JS"));
  ASSERT_EQ(o.kind, Outcome::Kind::kValue) << Json(o);
  const auto& out = o.value.list_value().values();
  ASSERT_EQ(out.size(), 6);
  EXPECT_THAT(out[0].string_value(), HasSubstr("TypeError: fetch to http://localhost:"));
  EXPECT_THAT(out[0].string_value(), HasSubstr("is not on the daemon's --allow_fetch list"));
  EXPECT_THAT(out[1].string_value(), HasSubstr("not allowed"));
  EXPECT_THAT(out[2].string_value(), HasSubstr("http and https only"));
  EXPECT_THAT(out[3].string_value(), HasSubstr("http and https only"));
  EXPECT_THAT(out[4].string_value(), HasSubstr("credentials"));
  EXPECT_THAT(out[5].string_value(), HasSubstr("Invalid URL"));
  EXPECT_TRUE(server_->Seen().empty()) << "the server saw " << server_->Seen()[0].path;
}

TEST_F(FetchTest, RedirectsAreFollowedOnlyToAllowedHosts) {
  auto pool = MakePool(Options());
  Outcome o = RunJs(*pool, Js(R"JS((async () => {
    const ok = await fetch('BASE/redirect?to=' + encodeURIComponent('BASE/json'));
    let refused;
    try { await fetch('BASE/redirect?to=' + encodeURIComponent('OTHER/text')); }
    catch (e) { refused = e.name + ': ' + e.message; }
    const manual = await fetch('BASE/redirect?to=' + encodeURIComponent('OTHER/text'), {redirect: 'manual'});
    let error;
    try { await fetch('BASE/redirect?to=/json', {redirect: 'error'}); } catch (e) { error = e.name; }
    return {json: await ok.json(), redirected: ok.redirected, url: ok.url, refused,
            manual: [manual.status, manual.headers.get('location')], error};
  })())JS"));
  ASSERT_EQ(o.kind, Outcome::Kind::kValue) << Json(o);
  const auto& fields = o.value.struct_value().fields();
  EXPECT_EQ(SortedJson(fields.at("json")), R"({"a":1,"list":[1,2,3]})");
  EXPECT_TRUE(fields.at("redirected").bool_value());
  EXPECT_EQ(fields.at("url").string_value(), server_->Url("/json"));
  EXPECT_THAT(fields.at("refused").string_value(),
              HasSubstr("TypeError: fetch failed: redirected to http://localhost:"));
  EXPECT_EQ(fields.at("manual").list_value().values(0).number_value(), 302);
  EXPECT_EQ(fields.at("error").string_value(), "TypeError");
  // The server never saw the request to the host that is not on the list.
  EXPECT_EQ(server_->Seen("/text").size(), 0u);
  EXPECT_EQ(server_->Seen("/json").size(), 1u);
  EXPECT_EQ(server_->Seen("/redirect").size(), 4u);
}

TEST_F(FetchTest, ResponseBodyIsCapped) {
  engine::PoolOptions options = Options();
  options.fetch.max_response_bytes = 1 << 20;
  auto pool = MakePool(options);
  Outcome o = RunJs(*pool, Js(R"JS((async () => {
    const small = (await (await fetch('BASE/big?n=1048576')).arrayBuffer()).byteLength;
    let big;
    try { await fetch('BASE/big?n=1048577'); } catch (e) { big = e.name + ': ' + e.message; }
    return {small, big};
  })())JS"));
  ASSERT_EQ(o.kind, Outcome::Kind::kValue) << Json(o);
  const auto& fields = o.value.struct_value().fields();
  EXPECT_EQ(fields.at("small").number_value(), 1 << 20);
  EXPECT_THAT(fields.at("big").string_value(),
              HasSubstr("TypeError: fetch failed: the response body is larger than 1048576 bytes"));
}

TEST_F(FetchTest, SlowServerHitsTheDeadlineAndTheWorkerStaysUsable) {
  auto pool = MakePool(Options());
  absl::Time start = absl::Now();
  Outcome o = RunJs(*pool, Js("(async () => (await fetch('BASE/slow')).text())()"),
                    absl::Milliseconds(400));
  absl::Duration took = absl::Now() - start;
  EXPECT_EQ(o.kind, Outcome::Kind::kFailed);
  EXPECT_TRUE(absl::IsDeadlineExceeded(o.status)) << o.status;
  EXPECT_LT(took, absl::Seconds(2));
  EXPECT_EQ(FetchesInFlight(*pool), 0u);  // the transfer was aborted and freed
  EXPECT_EQ(Json(RunJs(*pool, "1+1")), "2");
  EXPECT_EQ(Json(RunJs(*pool, Js("(async () => (await fetch('BASE/text')).text())()"))),
            "\"hello from jscore\"");
}

TEST_F(FetchTest, AnAwaitingFetchHoldsNoWorker) {
  auto pool = MakePool(Options(/*workers=*/1));
  engine::EvaluateSpec spec;
  spec.source = Js("(async () => (await fetch('BASE/slow')).text())()");
  PendingJob slow = MakeJob(spec, absl::Seconds(20));
  ASSERT_TRUE(pool->Submit(slow.job).ok());
  ASSERT_TRUE(server_->WaitFor("/slow", absl::Seconds(10)));
  EXPECT_EQ(FetchesInFlight(*pool), 1u);
  // The only worker runs other jobs while the fetch waits.
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(Json(RunJs(*pool, absl::StrCat(i, "*2"))), absl::StrCat(i * 2));
  EXPECT_FALSE(slow.done->HasBeenNotified());
  server_->ReleaseSlow();
  EXPECT_EQ(Json(slow.Wait()), "\"late\"");
  EXPECT_EQ(FetchesInFlight(*pool), 0u);
}

TEST_F(FetchTest, AJobThatEndsAbortsItsTransfers) {
  auto pool = MakePool(Options());
  // Not awaited: the job ends with its value and the transfer goes with it.
  EXPECT_EQ(Json(RunJs(*pool, Js("fetch('BASE/slow'); 7"))), "7");
  EXPECT_EQ(FetchesInFlight(*pool), 0u);
  // $terminate while a fetch is pending.
  Outcome hook = RunJs(*pool, Js("(async () => { const p = fetch('BASE/slow'); "
                                 "setTimeout(() => $terminate('stop'), 50); await p; })()"));
  EXPECT_EQ(hook.kind, Outcome::Kind::kHook);
  EXPECT_EQ(FetchesInFlight(*pool), 0u);
  // Cancelled by the client.
  engine::EvaluateSpec spec;
  spec.source = Js("(async () => (await fetch('BASE/slow')).text())()");
  PendingJob cancelled = MakeJob(spec, absl::Seconds(20));
  size_t slow_before = server_->Seen("/slow").size();
  ASSERT_TRUE(pool->Submit(cancelled.job).ok());
  for (int i = 0; i < 1000 && server_->Seen("/slow").size() == slow_before; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  pool->Cancel(cancelled.job);
  Outcome c = cancelled.Wait();
  EXPECT_TRUE(absl::IsCancelled(c.status)) << Json(c);
  EXPECT_EQ(FetchesInFlight(*pool), 0u);
  // AbortController.
  EXPECT_EQ(Json(RunJs(*pool, Js(R"JS((async () => {
    const c = new AbortController();
    const p = fetch('BASE/slow', {signal: c.signal});
    setTimeout(() => c.abort(), 20);
    try { await p; return 'fetched'; } catch (e) { return e.name; }
  })())JS"))),
            "\"AbortError\"");
  EXPECT_EQ(FetchesInFlight(*pool), 0u);
  EXPECT_EQ(Json(RunJs(*pool, "'still here'")), "\"still here\"");
}

TEST_F(FetchTest, ShutdownWithAFetchInFlight) {
  auto pool = MakePool(Options());
  engine::EvaluateSpec spec;
  spec.source = Js("(async () => (await fetch('BASE/slow')).text())()");
  PendingJob slow = MakeJob(spec, absl::Seconds(20));
  ASSERT_TRUE(pool->Submit(slow.job).ok());
  ASSERT_TRUE(server_->WaitFor("/slow", absl::Seconds(10)));
  pool->Shutdown(absl::Milliseconds(100));
  Outcome o = slow.Wait();
  EXPECT_TRUE(absl::IsUnavailable(o.status)) << Json(o);
}

// Innocent jobs start over on a new isolate, but not one that made a request: its
// effects may be outside its context, so it fails (UNAVAILABLE) instead of repeating.
TEST_F(FetchTest, AJobThatMadeARequestIsNotRerunAfterAnIsolateReplacement) {
  auto pool = MakePool(Options());
  engine::EvaluateSpec spec;
  spec.source = Js("(async () => (await fetch('BASE/slow')).text())()");
  PendingJob fetching = MakeJob(spec, absl::Seconds(20));
  ASSERT_TRUE(pool->Submit(fetching.job).ok());
  ASSERT_TRUE(server_->WaitFor("/slow", absl::Seconds(10)));
  Outcome bomb = RunJs(*pool, "let a = []; while (true) a.push(new Array(1e6).fill(1))");
  EXPECT_EQ(bomb.status.code(), absl::StatusCode::kResourceExhausted);
  Outcome o = fetching.Wait();
  EXPECT_TRUE(absl::IsUnavailable(o.status)) << Json(o);
  EXPECT_EQ(FetchesInFlight(*pool), 0u);
  EXPECT_EQ(server_->Seen("/slow").size(), 1u);
  EXPECT_EQ(Json(RunJs(*pool, Js("(async () => (await fetch('BASE/text')).status)()"))), "200");
}

TEST_F(FetchTest, XmlHttpRequestAsync) {
  auto pool = MakePool(Options());
  Outcome o = RunJs(*pool, Js(R"JS(new Promise((resolve) => {
    const x = new XMLHttpRequest();
    const states = [];
    x.onreadystatechange = () => states.push(x.readyState);
    x.open('POST', 'BASE/echo');
    x.setRequestHeader('X-A', '1');
    x.setRequestHeader('X-A', '2');
    x.onload = function () {
      const echo = JSON.parse(this.responseText);
      resolve({status: x.status, statusText: x.statusText, states, method: echo.method, body: echo.body,
               xa: echo.headers['x-a'], ct: x.getResponseHeader('Content-Type'),
               all: x.getAllResponseHeaders().includes('content-type: application/json\r\n'),
               done: x.readyState === XMLHttpRequest.DONE, url: x.responseURL});
    };
    x.onerror = () => resolve('error');
    x.send('payload');
  }))JS"));
  EXPECT_EQ(Json(o), Js(R"({"all":true,"body":"payload","ct":"application/json","done":true,)"
                        R"("method":"POST","states":[1,2,3,4],"status":200,"statusText":"OK",)"
                        R"("url":"BASE/echo","xa":"1, 2"})"));
  Outcome refused = RunJs(*pool, Js(R"JS(new Promise((resolve) => {
    const x = new XMLHttpRequest();
    x.open('GET', 'OTHER/text');
    x.addEventListener('error', () => resolve(['error', x.readyState, x.status]));
    x.onload = () => resolve('loaded');
    x.send();
  }))JS"));
  EXPECT_EQ(Json(refused), R"(["error",4,0])");
  EXPECT_THAT(refused.console.empty() ? "" : refused.console[0].text, HasSubstr("not allowed"));
  Outcome json = RunJs(*pool, Js(R"JS(new Promise((resolve) => {
    const x = new XMLHttpRequest();
    x.open('GET', 'BASE/json', true);
    x.responseType = 'json';
    x.onloadend = () => resolve(x.response);
    x.send();
  }))JS"));
  EXPECT_EQ(Json(json), R"({"a":1,"list":[1,2,3]})");
  Outcome sync =
      RunJs(*pool, Js("try { new XMLHttpRequest().open('GET', 'BASE/text', false); 'opened' } "
                      "catch (e) { e.name + ': ' + e.message }"));
  EXPECT_THAT(Json(sync),
              HasSubstr("InvalidAccessError: jscore does not support synchronous XMLHttpRequest"));
  EXPECT_TRUE(server_->Seen("/text").empty());
}

TEST_F(FetchTest, HeadersAndResponseWithoutTheNetwork) {
  auto pool = MakePool(Options());
  EXPECT_EQ(Json(RunJs(*pool, R"JS((async () => {
    const h = new Headers({'B': '2', 'a': '1'});
    h.append('a', '3');
    h.set('c', ' 4 ');
    h.delete('b');
    let bad;
    try { h.set('x', 'a\r\nInjected: 1'); } catch (e) { bad = e.name; }
    const r = new Response('{"v":1}', {status: 201, headers: h});
    const clone = r.clone();
    return {entries: [...h], bad, status: r.status, ok: r.ok, json: await r.json(),
            text: await clone.text(), ct: Response.json({z: 1}).headers.get('content-type'),
            name: String(fetch), proto: Object.prototype.toString.call(h)};
  })())JS")),
            R"({"bad":"TypeError","ct":"application/json","entries":[["a","1, 3"],["c","4"]],)"
            R"("json":{"v":1},"name":"function fetch() { [native code] }","ok":true,)"
            R"("proto":"[object Headers]","status":201,"text":"{\"v\":1}"})");
}

TEST(FetchAllowlistTest, ParsesAndMatches) {
  auto list =
      engine::FetchAllowlist::Parse(" api.example.com , 127.1:8080,*.cdn.example:*, [::1]:9000 ");
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(list->ToString(), "api.example.com,127.0.0.1:8080,*.cdn.example:*,[::1]:9000");
  EXPECT_TRUE(list->Check("https://API.example.com/x").ok());
  EXPECT_TRUE(list->Check("http://api.example.com:80/").ok());
  EXPECT_FALSE(list->Check("http://api.example.com:8080/").ok());  // default ports only
  EXPECT_TRUE(list->Check("http://127.0.0.1:8080/").ok());
  EXPECT_TRUE(list->Check("http://0x7f.1:8080/").ok());  // the same address
  EXPECT_FALSE(list->Check("http://127.0.0.1:8081/").ok());
  EXPECT_TRUE(list->Check("https://a.b.cdn.example:4443/").ok());
  EXPECT_FALSE(list->Check("https://cdn.example/").ok());  // subdomains only
  EXPECT_FALSE(list->Check("https://evilcdn.example/").ok());
  EXPECT_TRUE(list->Check("http://[::1]:9000/").ok());
  EXPECT_FALSE(list->Check("http://api.example.com.evil.net/").ok());
  EXPECT_FALSE(list->Check("http://evil.net\\@api.example.com/").ok());
  EXPECT_TRUE(absl::IsPermissionDenied(list->Check("http://other.example/").status()));
  for (const char* bad : {"http://x.com", "x.com:0", "x.com:99999", "::1", "a b", "*.[::1]"}) {
    EXPECT_FALSE(engine::FetchAllowlist::Parse(bad).ok()) << bad;
  }
  EXPECT_TRUE(engine::FetchAllowlist::Parse("")->empty());
}

}  // namespace
}  // namespace jscore::testing
