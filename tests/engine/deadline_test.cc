// Deadlines around native callbacks (issue 15, item 1): a loop whose body is one of
// our native functions on a big input is stopped at its deadline like any other
// script, and the worker keeps serving.
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "engine/pool.h"
#include "gtest/gtest.h"
#include "tests/engine/engine_test_support.h"

namespace jscore {
namespace {

using engine::Outcome;
using testing::Json;
using testing::RunJs;

// Each hostile loop, with the data it works on built first (outside the timing).
struct HostileLoop {
  const char* name;
  const char* source;
};

const HostileLoop kLoops[] = {
    {"console_log_20k_keys",
     "const o = {}; for (let i = 0; i < 20000; i++) o['k' + i] = i; for (;;) console.log(o);"},
    {"console_dir_20k_keys",
     "const o = {}; for (let i = 0; i < 20000; i++) o['k' + i] = i; for (;;) console.dir(o);"},
    {"console_log_format_big_string",
     "const big = 'x'.repeat(8 << 20); for (;;) console.log('%s', big);"},
    {"sha256_big", "const big = 'x'.repeat(8 << 20); for (;;) sha256(big);"},
    {"btoa_big", "const big = 'x'.repeat(8 << 20); for (;;) btoa(big);"},
    {"atob_big", "const big = btoa('x'.repeat(6 << 20)); for (;;) atob(big);"},
    {"url_search_params_20k_keys",
     "const o = {}; for (let i = 0; i < 20000; i++) o['k' + i] = 'v' + i;"
     "for (;;) new URLSearchParams(o).toString();"},
    // encodeInto: encode() would make a 16 MB buffer per call, and the ArrayBuffer
    // limit (not the deadline) would end the loop.
    {"text_encoder_big",
     "const big = 'é'.repeat(8 << 20); const e = new TextEncoder();"
     "const out = new Uint8Array(16 << 20); for (;;) e.encodeInto(big, out);"},
    {"text_decoder_big",
     "const b = new Uint8Array(8 << 20).fill(65); const d = new TextDecoder();"
     "for (;;) d.decode(b);"},
    {"structured_clone_big",
     "const a = []; for (let i = 0; i < 300000; i++) a.push({i, s: 'v' + i});"
     "for (;;) structuredClone(a);"},
};

class DeadlineTest : public ::testing::TestWithParam<HostileLoop> {};

// The hostile loop gets DEADLINE_EXCEEDED within its timeout + 250 ms (the setup of
// its data counts: it is inside the timeout too), and evaluations on the other worker
// beside it keep their answers.
TEST_P(DeadlineTest, NativeLoopStopsAtItsDeadline) {
  auto pool = engine::Pool::Create(testing::TestPlatform(), testing::SmallPool(2));
  ASSERT_TRUE(pool.ok()) << pool.status();
  engine::Pool& p = **pool;
  const absl::Duration timeout = absl::Milliseconds(500);
  engine::EvaluateSpec spec;
  spec.source = GetParam().source;
  testing::PendingJob hostile = testing::MakeJob(std::move(spec), timeout);
  absl::Time start = absl::Now();
  ASSERT_TRUE(p.Submit(hostile.job).ok());
  int normal = 0;
  while (!hostile.done->HasBeenNotified() && absl::Now() - start < absl::Seconds(5)) {
    Outcome o = RunJs(p, "[1, 2, 3].map(x => x * " + std::to_string(normal) + ")");
    ASSERT_EQ(Json(o), "[" + std::to_string(normal) + "," + std::to_string(2 * normal) + "," +
                           std::to_string(3 * normal) + "]");
    ++normal;
  }
  ASSERT_TRUE(hostile.done->WaitForNotificationWithTimeout(absl::Seconds(30)));
  absl::Duration took = absl::Now() - start;
  Outcome o = *hostile.outcome;
  EXPECT_EQ(o.status.code(), absl::StatusCode::kDeadlineExceeded) << Json(o);
#ifndef JSCORE_SANITIZED  // sanitizer builds run several times slower: outcomes only
  EXPECT_LE(took, timeout + absl::Milliseconds(250)) << GetParam().name;
#endif
  // Both workers still serve.
  for (int i = 0; i < 4; ++i) EXPECT_EQ(Json(RunJs(p, "6 * 7")), "42");
}

INSTANTIATE_TEST_SUITE_P(NativeCallbacks, DeadlineTest, ::testing::ValuesIn(kLoops),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace jscore
