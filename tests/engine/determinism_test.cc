// Deterministic runs: random_seed makes Math.random and crypto randomness
// reproducible; frozen_time_ms stands Date and performance.now still. Neither leaks
// into the next job on the worker.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/engine_test_support.h"

namespace jscore::testing {
namespace {

using engine::JobSpec;
using engine::Outcome;
using ::testing::HasSubstr;

constexpr int64_t kFrozen = 1700000000123;  // 2023-11-14T22:13:20.123Z

class DeterminismTest : public ::testing::Test {
 protected:
  void SetUp() override { pool_ = NewPool(1); }
  static std::unique_ptr<engine::Pool> NewPool(int workers) {
    auto pool = engine::Pool::Create(TestPlatform(), SmallPool(workers));
    EXPECT_TRUE(pool.ok()) << pool.status();
    return pool.ok() ? std::move(*pool) : nullptr;
  }
  static Outcome Submit(engine::Pool& pool, JobSpec spec) {
    PendingJob p = MakeJob(std::move(spec));
    absl::Status status = pool.Submit(p.job);
    if (!status.ok()) return Outcome::Failed(status);
    return p.Wait();
  }
  Outcome Run(const std::string& source, uint64_t seed = 0, int64_t frozen = 0,
              const std::string& session = "") {
    engine::EvaluateSpec spec;
    spec.source = source;
    spec.settings.random_seed = seed;
    spec.settings.frozen_time_ms = frozen;
    spec.session = session;
    return Submit(*pool_, std::move(spec));
  }
  std::string NewSession(uint64_t seed, int64_t frozen) {
    engine::CreateSessionSpec spec;
    spec.settings.random_seed = seed;
    spec.settings.frozen_time_ms = frozen;
    Outcome o = Submit(*pool_, std::move(spec));
    EXPECT_EQ(o.kind, Outcome::Kind::kValue) << Json(o);
    return o.id;
  }
  std::unique_ptr<engine::Pool> pool_;
};

constexpr char kRandoms[] = "[Math.random(), Math.random(), Math.random()]";

TEST_F(DeterminismTest, SeededMathRandomIsXoshiroFromSplitMix) {
  // Known answers (an independent SplitMix64 + xoshiro256** in Python): the same on
  // any worker, machine or restart.
  EXPECT_EQ(Json(Run(std::string(kRandoms) + ".map(String)", 42)),
            R"(["0.08386297105988216","0.3789802506626686","0.6800434110281394"])");
  EXPECT_EQ(Json(Run("Array.from(crypto.getRandomValues(new Uint8Array(8)))", 7)),
            "[90,118,249,78,247,250,88,179]");
}

TEST_F(DeterminismTest, SameSeedSameSequenceOnAnyPool) {
  const std::string script =
      std::string("[") + kRandoms +
      ", Array.from(crypto.getRandomValues(new Uint32Array(4))), crypto.randomUUID()]";
  std::string first = Json(Run(script, 1234));
  auto other = NewPool(2);
  for (int i = 0; i < 4; ++i) {
    engine::EvaluateSpec spec;
    spec.source = script;
    spec.settings.random_seed = 1234;
    EXPECT_EQ(Json(Submit(*other, std::move(spec))), first);
  }
  EXPECT_NE(Json(Run(script, 1235)), first);
  EXPECT_NE(Json(Run(script)), Json(Run(script)));  // unseeded: real randomness
  EXPECT_THAT(Json(Run("crypto.randomUUID()", 9)),
              ::testing::MatchesRegex(
                  R"("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")"));
}

TEST_F(DeterminismTest, TheSeedDoesNotLeakIntoTheNextJob) {
  std::string seeded = Json(Run(kRandoms, 42));
  for (int i = 0; i < 3; ++i) EXPECT_NE(Json(Run(kRandoms)), seeded);
  EXPECT_EQ(Json(Run("String(Math.random)")), R"("function random() { [native code] }")");
  EXPECT_EQ(Json(Run("String(Math.random)", 42)), R"("function random() { [native code] }")");
}

TEST_F(DeterminismTest, FrozenTimeStandsStill) {
  Outcome o = Run(R"(
    const a = Date.now(), d = new Date();
    for (let i = 0; i < 1e5; i++) {}
    [a, Date.now(), d.getTime(), new Date().toISOString(), Date() === new Date(Date.now()).toString(),
     performance.now(), performance.now(), performance.timeOrigin])",
                  0, kFrozen);
  EXPECT_EQ(
      Json(o),
      R"([1700000000123,1700000000123,1700000000123,"2023-11-14T22:13:20.123Z",true,0,0,1700000000123])");
}

TEST_F(DeterminismTest, TheFrozenDateStillBehavesLikeDate) {
  Outcome o = Run(R"(
    class Later extends Date { later() { return this.getTime() + 1; } }
    [new Date(0).getTime(), new Date(2020, 0, 1).getFullYear(), new Date('2001-02-03T04:05:06Z').getTime(),
     new Date() instanceof Date, new Later().later(), new Later() instanceof Date, Date.UTC(2000, 0),
     Date.parse('2000-01-01T00:00:00Z'), Date.length, Date.name, String(Date), String(Date.now),
     Object.prototype.toString.call(new Date()), Date.prototype.constructor === Date, typeof Date()])",
                  0, kFrozen);
  EXPECT_EQ(Json(o),
            R"([0,2020,981173106000,true,1700000000124,true,946684800000,946684800000,7,"Date",)"
            R"("function Date() { [native code] }","function now() { [native code] }",)"
            R"("[object Date]",true,"string"])");
}

TEST_F(DeterminismTest, TheClockDoesNotLeakIntoTheNextJob) {
  EXPECT_EQ(Json(Run("Date.now()", 0, kFrozen)), "1700000000123");
  Outcome real = Run("[Date.now(), String(Date)]");
  ASSERT_EQ(real.kind, Outcome::Kind::kValue);
  EXPECT_GT(real.value.list_value().values(0).number_value(), 1.7e12 + 1e9);
  EXPECT_EQ(real.value.list_value().values(1).string_value(), "function Date() { [native code] }");
}

TEST_F(DeterminismTest, SessionsKeepTheirSeedAndClockAndRequestsOverrideForOneJob) {
  std::string session = NewSession(42, kFrozen);
  // The sequence runs on across the session's requests.
  EXPECT_EQ(Json(Run("Math.random()", 0, 0, session)), "0.083862971059882163");
  EXPECT_EQ(Json(Run("Math.random()", 0, 0, session)), "0.37898025066266861");
  EXPECT_EQ(Json(Run("Date.now()", 0, 0, session)), "1700000000123");
  // A request's own clock holds for that request only; its seed restarts the sequence.
  EXPECT_EQ(Json(Run("[Date.now(), Math.random()]", 42, 5000, session)),
            "[5000,0.083862971059882163]");
  EXPECT_EQ(Json(Run("[Date.now(), Math.random()]", 0, 0, session)),
            "[1700000000123,0.37898025066266861]");

  // A session made without either gets them for one request, then real time again.
  std::string plain = NewSession(0, 0);
  EXPECT_EQ(Json(Run("Date.now()", 0, 777, plain)), "777");
  Outcome after = Run("Date.now()", 0, 0, plain);
  EXPECT_GT(after.value.number_value(), 1.7e12);
}

TEST_F(DeterminismTest, ProgramCallsWithSettingsRunInAFreshCopy) {
  engine::LoadProgramSpec load;
  load.source =
      "var calls = 0; var born = Date.now(); function f() { calls++; return [calls, born, "
      "Date.now(), Math.random()]; }";
  Outcome loaded = Submit(*pool_, std::move(load));
  ASSERT_EQ(loaded.kind, Outcome::Kind::kValue);
  auto call = [&](uint64_t seed, int64_t frozen) {
    engine::CallSpec spec;
    spec.program = loaded.id;
    spec.function = "f";
    spec.settings.random_seed = seed;
    spec.settings.frozen_time_ms = frozen;
    return Submit(*pool_, std::move(spec));
  };
  EXPECT_EQ(call(0, 0).value.list_value().values(0).number_value(), 1);
  EXPECT_EQ(call(0, 0).value.list_value().values(0).number_value(), 2);
  // The program's top level ran in the seeded, frozen copy too.
  std::string seeded = Json(call(42, kFrozen));
  EXPECT_EQ(seeded, "[1,1700000000123,1700000000123,0.083862971059882163]");
  EXPECT_EQ(Json(call(42, kFrozen)), seeded);
  // The cached context never saw the settings.
  Outcome cached = call(0, 0);
  EXPECT_EQ(cached.value.list_value().values(0).number_value(), 3);
  EXPECT_GT(cached.value.list_value().values(2).number_value(), 1.7e12 + 1e9);
}

TEST_F(DeterminismTest, BareContextsCanBeSeededToo) {
  engine::EvaluateSpec spec;
  spec.source = "[typeof console, Math.random(), Date.now()]";
  spec.environment = engine::Environment::kBare;
  spec.settings.random_seed = 42;
  spec.settings.frozen_time_ms = 1;
  EXPECT_EQ(Json(Submit(*pool_, std::move(spec))), R"(["undefined",0.083862971059882163,1])");
}

}  // namespace
}  // namespace jscore::testing
