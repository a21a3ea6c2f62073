// The sandbox: nothing reachable from a context's global object can touch files,
// processes, the environment or the network.
#include <algorithm>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/engine_test_support.h"

namespace jscore::testing {
namespace {

using engine::Outcome;

// Walks every own property (enumerable or not, symbols aside) of the global object,
// its prototype chain and what hangs off them, a few levels deep, and lists the
// property names found anywhere that belong to I/O capabilities.
constexpr char kWalker[] = R"JS(
(() => {
  const forbidden = new Set([
    'process', 'require', 'module', 'Buffer', 'Deno', 'Bun', 'fs', 'child_process', 'net',
    'http', 'https', 'dgram', 'dns', 'os', 'fetch', 'XMLHttpRequest', 'WebSocket',
    'EventSource', 'importScripts', 'Worker', 'SharedWorker', 'sendBeacon', 'readFile',
    'writeFile', 'readFileSync', 'spawn', 'execSync', 'execFile', 'env', 'getenv', 'readline',
    'quit', 'system', 'dlopen', 'binding', 'internalBinding',
  ]);  // names of I/O capabilities in Node, Deno, browsers and V8's d8 shell
  const seen = new Set();
  const found = [];
  let visited = 0;
  function walk(value, path, depth) {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return;
    if (seen.has(value) || depth > 4 || visited > 200000) return;
    seen.add(value);
    visited++;
    let names = [];
    try { names = Object.getOwnPropertyNames(value); } catch (e) { return; }
    for (const name of names) {
      if (forbidden.has(name)) found.push(path + '.' + name);
      let child;
      try {
        const d = Object.getOwnPropertyDescriptor(value, name);
        child = d && ('value' in d ? d.value : (d.get ? d.get.call(value) : undefined));
      } catch (e) { continue; }
      walk(child, path + '.' + name, depth + 1);
    }
    let proto;
    try { proto = Object.getPrototypeOf(value); } catch (e) { return; }
    walk(proto, path + '.__proto__', depth + 1);
  }
  walk(globalThis, 'globalThis', 0);
  return {found, visited};
})()
)JS";

TEST(SandboxTest, NoIoCapabilityIsReachableFromGlobalThis) {
  auto pool = engine::Pool::Create(TestPlatform(), SmallPool(1));
  ASSERT_TRUE(pool.ok());
  Outcome o = RunJs(**pool, kWalker, absl::Seconds(30));
  ASSERT_EQ(o.kind, Outcome::Kind::kValue) << Json(o);
  const auto& fields = o.value.struct_value().fields();
  EXPECT_GT(fields.at("visited").number_value(), 100);  // the walk really walked
  std::string found;
  for (const auto& v : fields.at("found").list_value().values()) found += v.string_value() + " ";
  EXPECT_EQ(found, "") << "capabilities reachable from globalThis";
}

// With --allow_fetch the only I/O that appears is fetch and XMLHttpRequest, and they
// reach only the listed hosts (refused before any connection: no network needed).
TEST(SandboxTest, WithAllowFetchOnlyFetchAndXhrAppearAndOnlyForListedHosts) {
  engine::PoolOptions options = SmallPool(1);
  auto allowlist = engine::FetchAllowlist::Parse("127.0.0.1:1");
  ASSERT_TRUE(allowlist.ok());
  options.fetch.allowlist = *allowlist;
  auto pool = engine::Pool::Create(TestPlatform(), options);
  ASSERT_TRUE(pool.ok());
  Outcome o = RunJs(**pool, kWalker, absl::Seconds(30));
  ASSERT_EQ(o.kind, Outcome::Kind::kValue) << Json(o);
  std::vector<std::string> found;
  for (const auto& v : o.value.struct_value().fields().at("found").list_value().values()) {
    found.push_back(v.string_value());
  }
  std::sort(found.begin(), found.end());
  EXPECT_EQ(found, (std::vector<std::string>{"globalThis.XMLHttpRequest", "globalThis.fetch"}));
  Outcome refused = RunJs(**pool, R"JS((async () => {
    const out = [];
    for (const url of ['http://example.com/', 'https://127.0.0.1/', 'http://127.0.0.1:2/',
                       'file:///etc/passwd', 'http://localhost:1/']) {
      try { await fetch(url); out.push('fetched ' + url); } catch (e) { out.push(e.name); }
    }
    const x = new XMLHttpRequest();
    x.open('GET', 'http://example.com/');
    await new Promise((resolve) => { x.onerror = resolve; x.onload = resolve; x.send(); });
    out.push(x.status);
    return out;
  })())JS");
  EXPECT_EQ(Json(refused), R"(["TypeError","TypeError","TypeError","TypeError","TypeError",0])");
}

TEST(SandboxTest, NoModuleLoadingOrDynamicImport) {
  auto pool = engine::Pool::Create(TestPlatform(), SmallPool(1));
  ASSERT_TRUE(pool.ok());
  Outcome o = RunJs(**pool,
                    "(async () => { try { await import('fs'); return 'imported'; } "
                    "catch (e) { return 'refused'; } })()");
  EXPECT_EQ(Json(o), "\"refused\"");
  EXPECT_EQ(Json(RunJs(**pool, "[typeof require, typeof process, typeof fetch, typeof WebSocket]")),
            R"(["undefined","undefined","undefined","undefined"])");
}

}  // namespace
}  // namespace jscore::testing
