// In-process tests of daemon/command_line.h: config files and --help.
#include "daemon/command_line.h"

#include <fstream>
#include <string>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

ABSL_DECLARE_FLAG(int32_t, workers);
ABSL_DECLARE_FLAG(bool, insecure_listen);
ABSL_DECLARE_FLAG(absl::Duration, max_timeout);

namespace jscore::daemon {
namespace {

using ::testing::HasSubstr;

std::string WriteFile(const std::string& name, const std::string& text) {
  std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(CommandLineTest, ConfigFileFormsAndPrecedenceWithinTheFile) {
  std::string path = WriteFile("forms.conf",
                               "# comment\n  workers = 3  \n--insecure_listen\n"
                               "--max_timeout 90s # trailing\nworkers=4\n");
  ASSERT_TRUE(ApplyConfigFile(path).ok());
  EXPECT_EQ(absl::GetFlag(FLAGS_workers), 4);  // the later line wins
  EXPECT_TRUE(absl::GetFlag(FLAGS_insecure_listen));
  EXPECT_EQ(absl::GetFlag(FLAGS_max_timeout), absl::Seconds(90));
}

TEST(CommandLineTest, ConfigFileErrorsNameTheLine) {
  absl::Status bad = ApplyConfigFile(WriteFile("bad.conf", "workers = 1\n\nworkers = many\n"));
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.message(), HasSubstr("bad.conf:3: --workers=many"));
  absl::Status unknown = ApplyConfigFile(WriteFile("unknown.conf", "nope = 1\n"));
  EXPECT_THAT(unknown.message(), HasSubstr("unknown.conf:1: unknown flag --nope"));
  absl::Status missing_value = ApplyConfigFile(WriteFile("novalue.conf", "--workers\n"));
  EXPECT_THAT(missing_value.message(), HasSubstr("novalue.conf:1: --workers needs a value"));
  EXPECT_THAT(ApplyConfigFile("/nonexistent/jscored.conf").message(), HasSubstr("cannot read"));
}

TEST(CommandLineTest, HelpAndVersionAndConfigAreTakenOutOfArgv) {
  const char* argv[] = {"jscored",     "--config",        "a.conf",
                        "--workers=2", "--config=b.conf", "--version"};
  CommandLine line = PrepareCommandLine(6, const_cast<char**>(argv));
  EXPECT_EQ(line.action, CommandLine::Action::kVersion);
  EXPECT_THAT(line.config_files, ::testing::ElementsAre("a.conf", "b.conf"));
  EXPECT_THAT(line.args, ::testing::ElementsAre("jscored", "--workers=2"));
  const char* help[] = {"jscored", "--version", "--help"};
  EXPECT_EQ(PrepareCommandLine(3, const_cast<char**>(help)).action, CommandLine::Action::kHelp);
}

TEST(CommandLineTest, HelpGroupsEveryDaemonFlagOnce) {
  std::string help = HelpText("jscored test\n");
  EXPECT_THAT(help, HasSubstr("\nSecurity:\n  --tls_cert (default: none)\n"));
  EXPECT_THAT(help, HasSubstr("--max_result_bytes (default: 4 MiB)"));
  size_t first = help.find("  --workers (");
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(help.find("  --workers (", first + 1), std::string::npos);
}

}  // namespace
}  // namespace jscore::daemon
