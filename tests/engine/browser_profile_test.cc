// The browser profile (window, navigator, location, document, screen, storage) and
// the environment probe (undefined names a script read).
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/engine_test_support.h"

namespace jscore::testing {
namespace {

using engine::BrowserProfile;
using engine::JobSpec;
using engine::Outcome;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class BrowserProfileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pool = engine::Pool::Create(TestPlatform(), SmallPool(1));
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = std::move(*pool);
  }
  Outcome Submit(JobSpec spec) {
    PendingJob p = MakeJob(std::move(spec));
    absl::Status status = pool_->Submit(p.job);
    if (!status.ok()) return Outcome::Failed(status);
    return p.Wait();
  }
  Outcome Browse(const std::string& source, BrowserProfile profile = {}, bool probe = false) {
    engine::EvaluateSpec spec;
    spec.source = source;
    spec.settings.browser = std::move(profile);
    spec.settings.probe = probe;
    return Submit(std::move(spec));
  }
  Outcome Probe(const std::string& source) {
    engine::EvaluateSpec spec;
    spec.source = source;
    spec.settings.probe = true;
    return Submit(std::move(spec));
  }
  std::unique_ptr<engine::Pool> pool_;
};

TEST_F(BrowserProfileTest, WindowIsTheGlobalObject) {
  EXPECT_EQ(
      Json(Browse(R"(
    [window === globalThis, self === window, top === window, parent === window, frames === window,
     window.window === window, Object.prototype.toString.call(window), window instanceof Window,
     typeof window.addEventListener, typeof chrome, window.innerWidth, window.origin])")),
      R"([true,true,true,true,true,true,"[object Window]",true,"function","object",1920,"https://example.com"])");
}

TEST_F(BrowserProfileTest, NavigatorFollowsTheProfile) {
  BrowserProfile profile;
  profile.user_agent =
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/120.0.0.0 Safari/537.36";
  profile.platform = "MacIntel";
  profile.languages = {"de-DE", "de", "en"};
  EXPECT_EQ(
      Json(Browse(R"(
    [navigator.userAgent.includes('Chrome/120'), navigator.appVersion.startsWith('5.0 (Macintosh'),
     navigator.platform, navigator.language, navigator.languages, Object.isFrozen(navigator.languages),
     navigator.webdriver, navigator.hardwareConcurrency, navigator.cookieEnabled, navigator.vendor,
     navigator.userAgentData.platform, navigator.userAgentData.brands[1].version, navigator.plugins.length,
     navigator instanceof Navigator, Object.prototype.toString.call(navigator),
     Object.getOwnPropertyNames(navigator).length,
     String(Object.getOwnPropertyDescriptor(Navigator.prototype, 'webdriver').get),
     navigator.javaEnabled()])",
                  profile)),
      R"([true,true,"MacIntel","de-DE",["de-DE","de","en"],true,false,8,true,"Google Inc.","macOS","120",5,)"
      R"(true,"[object Navigator]",0,"function get webdriver() { [native code] }",false])");
}

TEST_F(BrowserProfileTest, LocationComesFromTheUrl) {
  BrowserProfile profile;
  profile.url = "HTTPS://Shop.Example.COM:443/cart/view?id=7&x=%20#top";
  EXPECT_EQ(
      Json(Browse(R"(
    [location.href, location.protocol, location.host, location.hostname, location.port, location.pathname,
     location.search, location.hash, location.origin, String(location), document.location === location,
     document.URL, document.domain, window.isSecureContext])",
                  profile)),
      R"(["https://shop.example.com/cart/view?id=7&x=%20#top","https:","shop.example.com","shop.example.com","",)"
      R"("/cart/view","?id=7&x=%20","#top","https://shop.example.com",)"
      R"("https://shop.example.com/cart/view?id=7&x=%20#top",true,)"
      R"("https://shop.example.com/cart/view?id=7&x=%20#top","shop.example.com",true])");
  profile.url = "http://127.0.0.1:8080";
  EXPECT_EQ(Json(Browse("[location.href, location.host, location.port, location.origin]", profile)),
            R"(["http://127.0.0.1:8080/","127.0.0.1:8080","8080","http://127.0.0.1:8080"])");
}

TEST_F(BrowserProfileTest, DocumentCookiesBehaveLikeAJar) {
  BrowserProfile profile;
  profile.cookie = "session=abc; theme=dark";
  profile.referrer = "https://www.google.com/";
  EXPECT_EQ(Json(Browse(R"(
    const seen = [document.cookie];
    document.cookie = 'theme=light; path=/';
    document.cookie = 'fresh=1; Max-Age=3600';
    seen.push(document.cookie);
    document.cookie = 'session=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
    document.cookie = 'fresh=; max-age=0';
    seen.push(document.cookie, document.referrer, document.readyState, document.hidden,
              document instanceof HTMLDocument, document instanceof Document,
              Object.getOwnPropertyDescriptor(document, 'cookie') === undefined);
    seen)",
                        profile)),
            R"(["session=abc; theme=dark","session=abc; theme=light; fresh=1","theme=light",)"
            R"("https://www.google.com/","complete",false,true,true,true])");
}

TEST_F(BrowserProfileTest, CreateElementGivesInertElements) {
  EXPECT_EQ(
      Json(Browse(R"(
    const div = document.createElement('div');
    div.setAttribute('id', 'main');
    div.setAttribute('data-x', 1);
    div.style.color = 'red';
    div.style.setProperty('width', '10px');
    const child = document.createElement('SPAN');
    const canvas = document.createElement('canvas');
    [div.tagName, div.nodeName, div.id, div.getAttribute('data-x'), div.getAttribute('missing'),
     div.hasAttribute('id'), div.style.color, div.style.getPropertyValue('width'),
     div.appendChild(child) === child, child.tagName, div instanceof HTMLElement, div instanceof Element,
     canvas.getContext('2d'), canvas.width, canvas.toDataURL(), document.body.tagName,
     document.documentElement.tagName, div.ownerDocument === document, document.getElementById('main'),
     document.querySelectorAll('div').length, String(document.createElement)])")),
      R"(["DIV","DIV","main","1",null,true,"red","10px",true,"SPAN",true,true,null,300,"data:,",)"
      R"("BODY","HTML",true,null,0,"function createElement() { [native code] }"])");
}

TEST_F(BrowserProfileTest, ScreenAndStorage) {
  BrowserProfile profile;
  profile.screen_width = 1366;
  profile.screen_height = 768;
  EXPECT_EQ(Json(Browse(R"(
    localStorage.setItem('a', 1);
    localStorage.setItem('b', {});
    sessionStorage.setItem('s', 'x');
    const out = [screen.width, screen.height, screen.availHeight, screen.colorDepth, window.outerWidth,
                 localStorage.getItem('a'), localStorage.getItem('b'), localStorage.getItem('none'),
                 localStorage.length, localStorage.key(1), sessionStorage.length, sessionStorage.getItem('a')];
    localStorage.removeItem('a');
    out.push(localStorage.length);
    localStorage.clear();
    out.push(localStorage.length, localStorage instanceof Storage);
    out)",
                        profile)),
            R"([1366,768,728,24,1366,"1","[object Object]",null,2,"b",1,null,1,0,true])");
}

TEST_F(BrowserProfileTest, NothingJscoreSpecificIsEnumerable) {
  Outcome o = Browse(R"(
    const keys = Object.keys(globalThis);
    const ours = ['md5', 'sha1', 'sha256', 'sha512', 'CryptoUtils', '$return', '$exit', '$terminate', 'console'];
    [ours.filter((k) => keys.includes(k)), ours.every((k) => k in globalThis),
     ['window', 'self', 'document', 'navigator', 'location', 'screen', 'localStorage'].every((k) => keys.includes(k)),
     keys.filter((k) => /jscore/i.test(k))])");
  EXPECT_EQ(Json(o), "[[],true,true,[]]");
}

TEST_F(BrowserProfileTest, TheProfileDoesNotLeakIntoTheNextJob) {
  EXPECT_EQ(Json(Browse("typeof window + typeof document")), R"("objectobject")");
  engine::EvaluateSpec plain;
  plain.source =
      "[typeof window, typeof document, typeof navigator, typeof location, typeof Window, "
      "Object.prototype.toString.call(globalThis)]";
  EXPECT_EQ(Json(Submit(std::move(plain))),
            R"(["undefined","undefined","undefined","undefined","undefined","[object Object]"])");
}

TEST_F(BrowserProfileTest, SessionsKeepTheirProfile) {
  engine::CreateSessionSpec create;
  create.settings.browser = BrowserProfile{};
  create.settings.browser->cookie = "a=1";
  Outcome session = Submit(std::move(create));
  ASSERT_EQ(session.kind, Outcome::Kind::kValue);
  engine::EvaluateSpec set;
  set.session = session.id;
  set.source = "document.cookie = 'b=2'; localStorage.setItem('k', 'v'); 1";
  ASSERT_EQ(Json(Submit(std::move(set))), "1");
  engine::EvaluateSpec get;
  get.session = session.id;
  get.source = "[document.cookie, localStorage.getItem('k'), navigator.webdriver]";
  EXPECT_EQ(Json(Submit(std::move(get))), R"(["a=1; b=2","v",false])");
}

TEST_F(BrowserProfileTest, ProbeListsUndefinedGlobalReads) {
  Outcome o = Probe(R"(
    var declared = 1;
    function f() {}
    let lexical = 2;
    globalThis.assigned = 3;
    const seen = [typeof chrome, typeof window, typeof declared, typeof lexical, typeof assigned,
                  'ontouchstart' in globalThis, globalThis.__nightmare, typeof setTimeout, typeof Math];
    try { _phantom; } catch (e) { seen.push(e.name); }
    typeof chrome;
    seen)");
  ASSERT_EQ(o.kind, Outcome::Kind::kValue) << Json(o);
  EXPECT_EQ(
      Json(o),
      R"(["undefined","undefined","number","number","number",false,null,"function","object","ReferenceError"])");
  EXPECT_THAT(o.probed_missing,
              ElementsAre("chrome", "window", "ontouchstart", "__nightmare", "_phantom"));
}

TEST_F(BrowserProfileTest, ProbeWithTheProfileListsNavigatorAndDocumentMisses) {
  Outcome o = Browse(R"(
    [navigator.userAgent.length > 0, navigator.webdriver, navigator.brave, document.all, document.readyState,
     'callPhantom' in window, window.outerWidth > 0, screen.mozOrientation, typeof navigator.permissions])",
                     BrowserProfile{}, /*probe=*/true);
  ASSERT_EQ(o.kind, Outcome::Kind::kValue) << Json(o);
  EXPECT_EQ(Json(o), R"([true,false,null,null,"complete",false,true,null,"undefined"])");
  EXPECT_THAT(o.probed_missing, ElementsAre("navigator.brave", "document.all", "callPhantom",
                                            "screen.mozOrientation", "navigator.permissions"));
}

TEST_F(BrowserProfileTest, ProbeIsOffUnlessAskedAndNeverCountsJscoresOwnSetUp) {
  engine::EvaluateSpec plain;
  plain.source = "typeof nothingHere";
  Outcome o = Submit(std::move(plain));
  EXPECT_TRUE(o.probed_missing.empty());
  Outcome quiet = Probe("1");
  EXPECT_TRUE(quiet.probed_missing.empty()) << ::testing::PrintToString(quiet.probed_missing);
}

}  // namespace
}  // namespace jscore::testing
