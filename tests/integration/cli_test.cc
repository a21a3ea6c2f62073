// The `jscore` command-line client against a real jscored: output and exit codes.
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/daemon_process.h"

namespace jscore::testing {
namespace {

using ::testing::HasSubstr;

struct CliRun {
  int exit_code;
  std::string out;
};

// Runs the CLI through the shell (arguments are quoted by the caller).
CliRun Cli(const DaemonProcess& daemon, const std::string& args) {
  std::string command =
      absl::StrCat(JSCORE_CLI_PATH, " --target=", daemon.address(), " ", args, " 2>/dev/null");
  FILE* pipe = popen(command.c_str(), "r");
  CliRun run{-1, ""};
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) run.out.append(buf, n);
  int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

std::string WriteTemp(const std::string& name, const std::string& text) {
  std::string path = absl::StrCat(ProcessTempDir(), "/", name);
  std::ofstream(path) << text;
  return path;
}

TEST(CliTest, EvalCallHealthAndExitCodes) {
  auto daemon = DaemonProcess::Start({"--workers=1"});
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  DaemonProcess& d = **daemon;
  EXPECT_EQ(Cli(d, "eval '1+2'").out, "3\n");
  CliRun obj = Cli(d, "eval '({b: [1, \"x\"], a: 10n})'");
  EXPECT_EQ(obj.out, "{\"b\":[1,\"x\"],\"a\":\"10\"}\n");  // in JS order
  CliRun threw = Cli(d, "eval 'throw new TypeError(\"bad\")'");
  EXPECT_EQ(threw.exit_code, 1);
  EXPECT_THAT(threw.out, HasSubstr("\"name\":\"TypeError\""));
  EXPECT_EQ(Cli(d, "--timeout=200ms eval 'while(true){}'").exit_code, 3);
  EXPECT_EQ(Cli(d, "eval").exit_code, 2);
  EXPECT_EQ(Cli(d, "nonsense").exit_code, 2);
  std::string program = WriteTemp("sign.js", "function sign(a, b) { return a + ':' + b }");
  EXPECT_EQ(Cli(d, absl::StrCat("call -p ", program, " sign '\"a\"' 1")).out, "\"a:1\"\n");
  // Every kind of program: a script's const/class, an ES module (.mjs, or --program_type),
  // CommonJS (.cjs).
  std::string lexical = WriteTemp("lexical.js",
                                  "const Lib = { k: 'K', encrypt(s) { return this.k + s } };\n"
                                  "class C { static make(v) { return v * 2 } }");
  EXPECT_EQ(Cli(d, absl::StrCat("call -p ", lexical, " Lib.encrypt '\"x\"'")).out, "\"Kx\"\n");
  EXPECT_EQ(Cli(d, absl::StrCat("call -p ", lexical, " C.make 21")).out, "42\n");
  std::string esm = "export default (x) => x + 1;\nexport const Lib = { encrypt: (s) => '<' + s + '>' };";
  std::string mjs = WriteTemp("sign.mjs", esm);
  EXPECT_EQ(Cli(d, absl::StrCat("call -p ", mjs, " default 41")).out, "42\n");
  EXPECT_EQ(Cli(d, absl::StrCat("call -p ", mjs, " Lib.encrypt '\"m\"'")).out, "\"<m>\"\n");
  std::string module_js = WriteTemp("module.js", esm);
  EXPECT_EQ(Cli(d, absl::StrCat("--program_type=module call -p ", module_js, " default 1")).out, "2\n");
  EXPECT_EQ(Cli(d, absl::StrCat("call -p ", module_js, " default 1")).exit_code, 1);  // a script
  std::string cjs = WriteTemp("sign.cjs", "module.exports = { sign: (s) => 'cjs:' + s };");
  EXPECT_EQ(Cli(d, absl::StrCat("call -p ", cjs, " sign '\"c\"'")).out, "\"cjs:c\"\n");
  EXPECT_EQ(Cli(d, absl::StrCat("--program_type=wasm call -p ", cjs, " sign")).exit_code, 2);
  CliRun health = Cli(d, "health");
  EXPECT_EQ(health.exit_code, 0);
  EXPECT_EQ(health.out, "{\"status\":\"SERVING\"}\n");
  EXPECT_THAT(Cli(d, "stats").out, HasSubstr("\"queue_capacity\""));
}

TEST(CliTest, BatchJsonLines) {
  auto daemon = DaemonProcess::Start({"--workers=2"});
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  std::string program = WriteTemp("sign2.js", "function sign(a, b) { return a + ':' + b }");
  std::string lines;
  for (int i = 0; i < 500; ++i) {
    absl::StrAppend(&lines, "{\"id\":\"c", i, "\",\"function\":\"sign\",\"args\":[", i, ",1]}\n");
    absl::StrAppend(&lines, "{\"id\":\"e", i, "\",\"source\":\"", i, " * 2\"}\n");
  }
  std::string input = WriteTemp("in.jsonl", lines);
  CliRun ok = Cli(**daemon, absl::StrCat("batch -p ", program, " ", input));
  EXPECT_EQ(ok.exit_code, 0);
  std::vector<std::string> out = absl::StrSplit(ok.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(out.size(), 1000u);
  std::set<std::string> unique(out.begin(), out.end());
  for (int i = 0; i < 500; ++i) {
    EXPECT_TRUE(unique.count(absl::StrCat("{\"id\":\"c", i, "\",\"value\":\"", i, ":1\"}"))) << i;
    EXPECT_TRUE(unique.count(absl::StrCat("{\"id\":\"e", i, "\",\"value\":", i * 2, "}"))) << i;
  }
  std::string mixed = WriteTemp("mixed.jsonl", "{\"source\":\"1\"}\nnot json\n");
  CliRun partly = Cli(**daemon, absl::StrCat("batch ", mixed));
  EXPECT_EQ(partly.exit_code, 1);
  EXPECT_THAT(partly.out, HasSubstr("{\"id\":\"1\",\"value\":1}"));
  EXPECT_THAT(partly.out, HasSubstr("\"status\":\"INVALID_ARGUMENT\""));
}

// Values keep their order both ways: `call` arguments and batch lines are sent as the
// JSON text they are written in, results printed in JS order; numbers stay numbers.
TEST(CliTest, ValuesKeepTheirOrder) {
  auto daemon = DaemonProcess::Start({"--workers=2"});
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  DaemonProcess& d = **daemon;
  std::string program = WriteTemp(
      "keys.js", "function keys(a) { return [Object.keys(a).join(), JSON.stringify(a)]; }");
  const std::string arg = R"({"zeta":1,"alpha":{"y":2,"x":[3.5,{"q":4,"p":5}]},"mid":"m"})";
  std::string escaped;
  for (char c : arg) escaped += c == '"' ? std::string("\\\"") : std::string(1, c);
  const std::string expected = absl::StrCat(R"(["zeta,alpha,mid",")", escaped, "\"]");
  CliRun call = Cli(d, absl::StrCat("call -p ", program, " keys '", arg, "'"));
  EXPECT_EQ(call.exit_code, 0);
  EXPECT_EQ(call.out, expected + "\n");
  // 200 identical calls through one batch stream: one answer, the caller's order.
  std::string lines;
  for (int i = 0; i < 200; ++i) {
    absl::StrAppend(&lines, "{\"id\":\"k", i, "\",\"function\":\"keys\",\"args\":[", arg, "]}\n");
  }
  CliRun batch = Cli(d, absl::StrCat("batch -p ", program, " ", WriteTemp("keys.jsonl", lines)));
  EXPECT_EQ(batch.exit_code, 0);
  std::vector<std::string> out = absl::StrSplit(batch.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(out.size(), 200u);
  std::set<std::string> values;
  for (const std::string& line : out) values.insert(line.substr(line.find(",\"value\":")));
  ASSERT_EQ(values.size(), 1u);
  EXPECT_EQ(*values.begin(), absl::StrCat(",\"value\":", expected, "}"));
  // Globals in a batch line, in order; a thrown value is printed with the error.
  CliRun globals = Cli(d, absl::StrCat("batch ", WriteTemp("globals.jsonl",
      "{\"id\":\"g\",\"source\":\"Object.keys(cfg).join()\",\"globals\":{\"cfg\":{\"b\":1,\"a\":2}}}\n")));
  EXPECT_EQ(globals.out, "{\"id\":\"g\",\"value\":\"b,a\"}\n");
  CliRun thrown = Cli(d, "eval 'throw {code: 7}'");
  EXPECT_EQ(thrown.exit_code, 1);
  EXPECT_THAT(thrown.out, HasSubstr("\"thrown\":{\"code\":7}"));
  EXPECT_EQ(Cli(d, absl::StrCat("call -p ", program, " keys '{\"a\":'")).exit_code, 2);
}

}  // namespace
}  // namespace jscore::testing
