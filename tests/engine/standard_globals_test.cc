// The standard environment's globals, pinned: which names it adds to a context, in
// which order, with which property attributes once touched (a lazy global reports a
// data property from its first read on), and that V8's own globals before them are
// those of a bare context. A change to how the environment is installed (lazy
// properties, templates, a snapshot) must leave all of it as it is.
#include <string>

#include "gtest/gtest.h"
#include "tests/engine/web_api_test_fixture.h"

namespace jscore::testing {
namespace {

// Names from `first` on, each with its kind and attributes (w, e, c or -).
constexpr char kDescribe[] = R"(
  (first) => {
    const names = Object.getOwnPropertyNames(globalThis);
    const from = first ? names.indexOf(first) : names.length;
    const describe = (n) => {
      const d = Object.getOwnPropertyDescriptor(globalThis, n);
      return n + ':' + ('value' in d ? typeof d.value : 'accessor') + ':' +
             (d.writable ? 'w' : '-') + (d.enumerable ? 'e' : '-') + (d.configurable ? 'c' : '-');
    };
    return [names.slice(0, from), names.slice(from).map(describe)];
  })";

class StandardGlobalsTest : public WebApiTest {};

TEST_F(StandardGlobalsTest, StandardGlobalsKeepTheirOrderAndAttributes) {
  std::string standard = Eval(std::string("(") + kDescribe + ")('setTimeout')[1]");
  // Every global is a writable, configurable data property (the lazy ones once read);
  // only `crypto` is enumerable, as in browsers and Node.
  EXPECT_EQ(standard,
            "["
            R"("setTimeout:function:w-c","setInterval:function:w-c",)"
            R"("clearTimeout:function:w-c","clearInterval:function:w-c",)"
            R"("queueMicrotask:function:w-c","console:object:w-c","performance:object:w-c",)"
            R"("DOMException:function:w-c","atob:function:w-c","btoa:function:w-c",)"
            R"("TextEncoder:function:w-c","TextDecoder:function:w-c",)"
            R"("structuredClone:function:w-c","URL:function:w-c",)"
            R"("URLSearchParams:function:w-c","Event:function:w-c","CustomEvent:function:w-c",)"
            R"("EventTarget:function:w-c","AbortController:function:w-c",)"
            R"("AbortSignal:function:w-c","crypto:object:wec","Crypto:function:w-c",)"
            R"("SubtleCrypto:function:w-c","CryptoKey:function:w-c","md5:function:w-c",)"
            R"("sha1:function:w-c","sha256:function:w-c","sha512:function:w-c",)"
            R"("CryptoUtils:object:w-c","$return:function:w-c","$exit:function:w-c",)"
            R"("$terminate:function:w-c")"
            "]");
}

TEST_F(StandardGlobalsTest, EcmaScriptGlobalsComeFirstAsInABareContext) {
  std::string ours = Eval(std::string("(") + kDescribe + ")('setTimeout')[0]");
  engine::EvaluateSpec spec;
  spec.environment = engine::Environment::kBare;
  spec.source = std::string("(") + kDescribe + ")('')[0]";
  PendingJob p = MakeJob(std::move(spec));
  ASSERT_TRUE(pool_->Submit(p.job).ok());
  std::string bare = Json(p.Wait());
  EXPECT_EQ(ours, bare);
  EXPECT_NE(bare.find("\"FinalizationRegistry\""), std::string::npos) << bare;
  EXPECT_EQ(bare.find("\"console\""), std::string::npos) << bare;
}

// Reading them all (which builds every lazy global) changes neither the names nor
// their order, and a second fresh context lists the same.
TEST_F(StandardGlobalsTest, TouchingEveryGlobalKeepsTheList) {
  const std::string list = "Object.getOwnPropertyNames(globalThis).join()";
  std::string before = Eval(list);
  std::string after = Eval(
      "for (const n of Object.getOwnPropertyNames(globalThis)) "
      "void globalThis[n]; " +
      list);
  EXPECT_EQ(before, after);
  EXPECT_EQ(Eval(list), before);
  EXPECT_NE(before.find("setTimeout"), std::string::npos) << before;
}

}  // namespace
}  // namespace jscore::testing
