// Smoke test of bench/loadgen: runs jscore_loadgen against a real jscored (closed
// and open loop) and checks its JSON report.
#include <sys/wait.h>

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/support/daemon_process.h"

namespace jscore::testing {
namespace {

struct LoadgenRun {
  int exit_code = -1;
  std::string output;
};

std::string ShellQuote(const std::string& s) {
  return absl::StrCat("'", absl::StrReplaceAll(s, {{"'", "'\\''"}}), "'");
}

// Runs the loadgen with `flags` and returns its exit code and stdout (plus stderr
// when `with_stderr`). The loadgen bounds its own run time (duration + timeout).
LoadgenRun RunLoadgen(const std::vector<std::string>& flags, bool with_stderr = false) {
  std::vector<std::string> words = {ShellQuote(JSCORE_LOADGEN_PATH)};
  for (const auto& flag : flags) words.push_back(ShellQuote(flag));
  std::string command = absl::StrJoin(words, " ");
  if (with_stderr) command += " 2>&1";
  LoadgenRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) run.output.append(buffer, n);
  int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

// The report line (the one that starts with '{') parsed into a Struct.
bool ParseReport(const std::string& output, google::protobuf::Struct* report) {
  size_t at = output.rfind("\n{");
  at = at == std::string::npos ? output.find('{') : at + 1;
  if (at == std::string::npos) return false;
  std::string line = output.substr(at, output.find('\n', at) - at);
  return google::protobuf::util::JsonStringToMessage(line, report).ok();
}

double Number(const google::protobuf::Struct& s, const std::string& key) {
  auto it = s.fields().find(key);
  EXPECT_NE(it, s.fields().end()) << "missing " << key;
  return it == s.fields().end() ? -1 : it->second.number_value();
}

const google::protobuf::Struct& Latency(const google::protobuf::Struct& report) {
  return report.fields().at("latency_us").struct_value();
}

void ExpectCleanReport(const google::protobuf::Struct& report) {
  EXPECT_GT(Number(report, "ok"), 0);
  EXPECT_EQ(Number(report, "count"), Number(report, "ok"));
  EXPECT_EQ(Number(report, "errors"), 0);
  EXPECT_EQ(Number(report, "mismatches"), 0);
  EXPECT_EQ(Number(report, "js_errors"), 0);
  EXPECT_EQ(Number(report, "unfinished"), 0);
  EXPECT_TRUE(report.fields().at("rpc_errors").struct_value().fields().empty());
  EXPECT_GT(Number(report, "throughput"), 0);
  const auto& latency = Latency(report);
  EXPECT_GT(Number(latency, "p50"), 0);
  EXPECT_LE(Number(latency, "min"), Number(latency, "p50"));
  EXPECT_LE(Number(latency, "p50"), Number(latency, "p99"));
  EXPECT_LE(Number(latency, "p99"), Number(latency, "max"));
  EXPECT_GT(Number(latency, "mean"), 0);
}

class LoadgenSmokeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto daemon = DaemonProcess::Start({"--workers=2"});
    ASSERT_TRUE(daemon.ok()) << daemon.status();
    daemon_ = std::move(*daemon);
  }

  std::string Target() const { return absl::StrCat("--target=", daemon_->address()); }

  std::unique_ptr<DaemonProcess> daemon_;
};

TEST_F(LoadgenSmokeTest, ClosedLoopReportsCleanRun) {
  LoadgenRun run = RunLoadgen({Target(), "--workload=evaluate", "--source=1+1", "--concurrency=8",
                               "--duration=2s", "--warmup=500ms", "--expect_json=2", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  google::protobuf::Struct report;
  ASSERT_TRUE(ParseReport(run.output, &report)) << run.output;
  ExpectCleanReport(report);
  EXPECT_EQ(report.fields().at("mode").string_value(), "closed");
  EXPECT_EQ(Number(report, "concurrency"), 8);
  EXPECT_GT(Number(report, "window_s"), 1.5);
  EXPECT_FALSE(absl::StrContains(run.output, "NaN"));
  EXPECT_FALSE(absl::StrContains(run.output, "Infinity"));
}

TEST_F(LoadgenSmokeTest, OpenLoopKeepsTheSchedule) {
  LoadgenRun run = RunLoadgen(
      {Target(), "--rate=200", "--duration=1s", "--warmup=200ms", "--expect_json=2", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  google::protobuf::Struct report;
  ASSERT_TRUE(ParseReport(run.output, &report)) << run.output;
  ExpectCleanReport(report);
  EXPECT_EQ(report.fields().at("mode").string_value(), "open");
  // 200/s for 1 s: the schedule holds 200 sends (one more at most from rounding).
  EXPECT_GE(Number(report, "sent"), 199);
  EXPECT_LE(Number(report, "sent"), 201);
  EXPECT_EQ(Number(report, "dropped"), 0);
}

TEST_F(LoadgenSmokeTest, MismatchesCountAsErrors) {
  LoadgenRun run = RunLoadgen({Target(), "--source=({b: [1, NaN], a: 'x'})", "--requests=20",
                               "--warmup=0s", "--concurrency=2", "--expect_json=3", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  google::protobuf::Struct report;
  ASSERT_TRUE(ParseReport(run.output, &report)) << run.output;
  EXPECT_EQ(Number(report, "count"), 20);
  EXPECT_EQ(Number(report, "ok"), 0);
  EXPECT_EQ(Number(report, "mismatches"), 20);
  EXPECT_EQ(Number(report, "errors"), 20);
  EXPECT_EQ(Number(report, "throughput"), 0);

  // Keys are sorted and NaN is null, so this one matches.
  run = RunLoadgen({Target(), "--source=({b: [1, NaN], a: 'x'})", "--requests=20", "--warmup=0s",
                    "--concurrency=2", R"(--expect_json={"b": [1, null], "a": "x"})", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  ASSERT_TRUE(ParseReport(run.output, &report)) << run.output;
  EXPECT_EQ(Number(report, "ok"), 20);
  EXPECT_EQ(Number(report, "errors"), 0);
}

// The call workload needs LoadProgram; until the daemon serves it the loadgen must
// stop with a clear message instead of reporting a run full of errors.
TEST_F(LoadgenSmokeTest, CallWorkloadRunsOrSaysUnimplemented) {
  LoadgenRun run = RunLoadgen(
      {Target(), "--workload=call", "--program_source=function add(a, b) { return a + b; }",
       "--function=add", "--args_json=[1, 2]", "--expect_json=3", "--requests=50", "--warmup=0s",
       "--json"},
      /*with_stderr=*/true);
  if (run.exit_code == 3) {
    EXPECT_TRUE(absl::StrContains(run.output, "UNIMPLEMENTED")) << run.output;
    return;
  }
  ASSERT_EQ(run.exit_code, 0) << run.output;
  google::protobuf::Struct report;
  ASSERT_TRUE(ParseReport(run.output, &report)) << run.output;
  ExpectCleanReport(report);
}

TEST(LoadgenUsageTest, RejectsBadFlags) {
  EXPECT_EQ(RunLoadgen({"--workload=nope"}).exit_code, 2);
  EXPECT_EQ(RunLoadgen({"--channels=0"}).exit_code, 2);
  EXPECT_EQ(RunLoadgen({"--workload=call"}).exit_code, 2);
  EXPECT_EQ(RunLoadgen({"--expect_json={"}).exit_code, 2);
}

}  // namespace
}  // namespace jscore::testing
