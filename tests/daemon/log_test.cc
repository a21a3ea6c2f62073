// In-process tests of daemon/log.h: JSON lines keep numbers and booleans typed.
#include "daemon/log.h"

#include <fcntl.h>
#include <unistd.h>

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jscore::daemon {
namespace {

using ::testing::HasSubstr;

// Runs `log` with stderr sent to a pipe; returns what it wrote.
template <typename F>
std::string CaptureStderr(F log) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  int saved = dup(STDERR_FILENO);
  dup2(fds[1], STDERR_FILENO);
  log();
  dup2(saved, STDERR_FILENO);
  close(saved);
  close(fds[1]);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  return out;
}

TEST(LogTest, JsonLinesWriteNumbersAndBooleansUnquoted) {
  ConfigureLog(LogFormat::kJson, LogLevel::kDebug);
  std::string line = CaptureStderr([] {
    Log(LogLevel::kInfo, "slow_request",
        {{"method", "Call"},
         {"code", "OK"},
         {"ms", int64_t{1234}},
         {"ratio", 0.5},
         {"tls", true},
         {"note", std::string("say \"hi\"")}});
  });
  EXPECT_THAT(line, HasSubstr(R"("event":"slow_request","method":"Call","code":"OK","ms":1234,)"
                              R"("ratio":0.5,"tls":true,"note":"say \"hi\""})"));
  EXPECT_EQ(line.back(), '\n');
}

TEST(LogTest, PlainLinesQuoteOnlyWhatNeedsIt) {
  ConfigureLog(LogFormat::kPlain, LogLevel::kInfo);
  std::string line = CaptureStderr([] {
    Log(LogLevel::kWarn, "limit_hit",
        {{"code", "DEADLINE_EXCEEDED"}, {"ms", 7}, {"message", "a b"}});
    Log(LogLevel::kDebug, "hidden", {});
  });
  EXPECT_THAT(line, HasSubstr(" warn limit_hit code=DEADLINE_EXCEEDED ms=7 message=\"a b\"\n"));
  EXPECT_THAT(line, ::testing::Not(HasSubstr("hidden")));
}

}  // namespace
}  // namespace jscore::daemon
