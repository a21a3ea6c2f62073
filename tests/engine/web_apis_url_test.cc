// URL and URLSearchParams on known answers (real-world inputs, components, setters,
// live search params).
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/engine/web_api_test_fixture.h"

namespace jscore::testing {
namespace {

using engine::Outcome;

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
    engine::EvaluateSpec spec;
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

}  // namespace
}  // namespace jscore::testing
