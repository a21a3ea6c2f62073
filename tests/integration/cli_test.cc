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

// Runs a shell command line (its own quoting, environment and target); `out` is
// stdout, and stderr too when the command redirects it (2>&1).
CliRun Shell(const std::string& command) {
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
  std::string esm =
      "export default (x) => x + 1;\nexport const Lib = { encrypt: (s) => '<' + s + '>' };";
  std::string mjs = WriteTemp("sign.mjs", esm);
  EXPECT_EQ(Cli(d, absl::StrCat("call -p ", mjs, " default 41")).out, "42\n");
  EXPECT_EQ(Cli(d, absl::StrCat("call -p ", mjs, " Lib.encrypt '\"m\"'")).out, "\"<m>\"\n");
  std::string module_js = WriteTemp("module.js", esm);
  EXPECT_EQ(Cli(d, absl::StrCat("--program_type=module call -p ", module_js, " default 1")).out,
            "2\n");
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
  CliRun globals =
      Cli(d, absl::StrCat("batch ", WriteTemp("globals.jsonl",
                                              "{\"id\":\"g\",\"source\":\"Object.keys(cfg).join()"
                                              "\",\"globals\":{\"cfg\":{\"b\":1,\"a\":2}}}\n")));
  EXPECT_EQ(globals.out, "{\"id\":\"g\",\"value\":\"b,a\"}\n");
  CliRun thrown = Cli(d, "eval 'throw {code: 7}'");
  EXPECT_EQ(thrown.exit_code, 1);
  EXPECT_THAT(thrown.out, HasSubstr("\"thrown\":{\"code\":7}"));
  EXPECT_EQ(Cli(d, absl::StrCat("call -p ", program, " keys '{\"a\":'")).exit_code, 2);
}

// Issue 17: --help exits 0 with the usage; a usage error (unknown flag, bad value, no
// command) exits 2, not 1 (the script threw); errors name their status; $terminate's
// data exits 5.
TEST(CliTest, ExitCodesAsDocumented) {
  const std::string cli = JSCORE_CLI_PATH;
  CliRun help = Shell(cli + " --help 2>/dev/null");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("Exit codes: 0 ok"));
  EXPECT_THAT(help.out, HasSubstr("--globals"));
  EXPECT_THAT(help.out, HasSubstr("JSCORE_TARGET"));
  CliRun unknown = Shell(cli + " --no_such_flag eval 1 2>&1");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.out, HasSubstr("unknown flag --no_such_flag"));
  EXPECT_EQ(Shell(cli + " --timeout=soon eval 1 2>/dev/null").exit_code, 2);
  EXPECT_EQ(Shell(cli + " 2>/dev/null").exit_code, 2);
  EXPECT_EQ(Shell(cli + " eval 1 --timeout 2>/dev/null").exit_code, 2);  // no value

  auto daemon = DaemonProcess::Start({"--workers=1", "--default_timeout=1s", "--max_timeout=1s"});
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  DaemonProcess& d = **daemon;
  CliRun hooked = Cli(d, "eval '$terminate({sig: \"x1\"}); \"not reached\"'");
  EXPECT_EQ(hooked.exit_code, 5);
  EXPECT_EQ(hooked.out, "{\"sig\":\"x1\"}\n");
  EXPECT_EQ(Cli(d, "eval '({sig: 1})'").exit_code, 0);
  // A status by its name; the timeout says which limit applied (--max_timeout here).
  CliRun timeout = Shell(
      absl::StrCat(cli, " --target=", d.address(), " --timeout=30s eval 'while (true) {}' 2>&1"));
  EXPECT_EQ(timeout.exit_code, 3);
  EXPECT_THAT(timeout.out, HasSubstr("jscore: DEADLINE_EXCEEDED: "));
  EXPECT_THAT(timeout.out,
              HasSubstr("timed out after 1 s (--max_timeout caps the requested 30 s)"));
  EXPECT_THAT(timeout.out, ::testing::Not(HasSubstr("jscore: 4:")));
  // Nothing listens on port 1: UNAVAILABLE, by name.
  CliRun down = Shell(cli + " --target=127.0.0.1:1 --timeout=2s health 2>&1");
  EXPECT_EQ(down.exit_code, 3);
  EXPECT_THAT(down.out, HasSubstr("jscore: UNAVAILABLE: "));
}

// eval --globals: a JSON object whose members become globals, in its key order.
TEST(CliTest, EvalTakesGlobalsInOrder) {
  auto daemon = DaemonProcess::Start({"--workers=1"});
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  DaemonProcess& d = **daemon;
  CliRun run = Cli(d, R"(--globals '{"zeta":1,"alpha":{"y":2,"x":[3]}}' eval )"
                      R"('[Object.keys(alpha).join(), zeta + alpha.x[0], typeof beta]')");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.out, "[\"y,x\",4,\"undefined\"]\n");
  CliRun after =
      Cli(d, R"(eval 'Object.keys(cfg).join()' --globals='{"b":1,"a":2,"cfg":{"q":1,"p":2}}')");
  EXPECT_EQ(after.out, "\"q,p\"\n");
  EXPECT_EQ(Cli(d, "--globals '[1]' eval 1").exit_code, 2);
  EXPECT_EQ(Cli(d, "--globals '{\"a\":' eval 1").exit_code, 2);
}

// JSCORE_TARGET and JSCORE_TOKEN_FILE stand in for --target and --token_file; the
// flags win when given.
TEST(CliTest, EnvironmentDefaults) {
  const std::string token = "cli-env-token-0123456789abcdef";
  std::string token_file = WriteTemp("cli_env_token", token + "\n");
  auto daemon = DaemonProcess::Start({"--workers=1", "--auth_token_file=" + token_file});
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  const std::string cli = JSCORE_CLI_PATH;
  const std::string env =
      absl::StrCat("JSCORE_TARGET=", (*daemon)->address(), " JSCORE_TOKEN_FILE=", token_file, " ");
  CliRun ok = Shell(env + cli + " eval '6*7' 2>&1");
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_EQ(ok.out, "42\n");
  CliRun no_token =
      Shell(absl::StrCat("JSCORE_TARGET=", (*daemon)->address(), " ", cli, " eval 1 2>&1"));
  EXPECT_EQ(no_token.exit_code, 3);
  EXPECT_THAT(no_token.out, HasSubstr("UNAUTHENTICATED"));
  // --target wins over JSCORE_TARGET (which points nowhere here).
  CliRun flag = Shell(absl::StrCat("JSCORE_TARGET=127.0.0.1:1 JSCORE_TOKEN_FILE=", token_file, " ",
                                   cli, " --target=", (*daemon)->address(), " eval 1 2>&1"));
  EXPECT_EQ(flag.exit_code, 0) << flag.out;
  CliRun nowhere =
      Shell(absl::StrCat("JSCORE_TARGET=127.0.0.1:1 ", cli, " --timeout=2s eval 1 2>&1"));
  EXPECT_EQ(nowhere.exit_code, 3);
}

// stats prints 64-bit counters as JSON numbers, not strings.
TEST(CliTest, StatsPrintsNumbersAsNumbers) {
  auto daemon = DaemonProcess::Start({"--workers=1", "--queue_capacity=321"});
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  DaemonProcess& d = **daemon;
  ASSERT_EQ(Cli(d, "eval 1").exit_code, 0);
  CliRun stats = Cli(d, "stats");
  EXPECT_EQ(stats.exit_code, 0);
  EXPECT_THAT(stats.out, HasSubstr("\"queue_capacity\":321,"));
  EXPECT_THAT(stats.out, ::testing::ContainsRegex("\"jobs_completed\":[1-9][0-9]*,"));
  EXPECT_THAT(stats.out, ::testing::ContainsRegex("\"heap_limit_bytes\":[1-9][0-9]*,"));
  EXPECT_THAT(stats.out, HasSubstr("{\"method\":\"Evaluate\",\"code\":0,\"count\":1}"));
  EXPECT_THAT(stats.out, ::testing::Not(::testing::ContainsRegex("\":\"[0-9]+\"")));
}

}  // namespace
}  // namespace jscore::testing
