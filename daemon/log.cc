#include "daemon/log.h"

#include <unistd.h>

#include <atomic>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace jscore::daemon {
namespace {

std::atomic<LogFormat> g_format{LogFormat::kPlain};
std::atomic<LogLevel> g_min_level{LogLevel::kInfo};

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

std::string JsonQuoted(absl::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20) {
      absl::StrAppend(&out, "\\u00", c < 0x10 ? "0" : "", absl::Hex(c));
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out + "\"";
}

// Plain values with spaces or quotes are quoted, so that lines stay parseable.
std::string PlainValue(absl::string_view s) {
  if (s.find_first_of(" \"=\n") == absl::string_view::npos && !s.empty()) return std::string(s);
  return JsonQuoted(s);
}

}  // namespace

bool LogEnabled(LogLevel level) { return level >= g_min_level.load(std::memory_order_relaxed); }

void ConfigureLog(LogFormat format, LogLevel min_level) {
  g_format.store(format);
  g_min_level.store(min_level);
}

bool ParseLogLevel(absl::string_view text, LogLevel* level) {
  for (LogLevel l : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError}) {
    if (text == LevelName(l)) {
      *level = l;
      return true;
    }
  }
  return false;
}

void Log(LogLevel level, absl::string_view event,
         std::initializer_list<std::pair<absl::string_view, LogValue>> fields) {
  if (level < g_min_level.load(std::memory_order_relaxed)) return;
  std::string ts = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  std::string line;
  if (g_format.load(std::memory_order_relaxed) == LogFormat::kJson) {
    line = absl::StrCat("{\"ts\":\"", ts, "\",\"level\":\"", LevelName(level),
                        "\",\"event\":", JsonQuoted(event));
    for (const auto& [key, value] : fields) {
      absl::StrAppend(&line, ",", JsonQuoted(key), ":",
                      value.literal() ? value.text() : JsonQuoted(value.text()));
    }
    line += "}\n";
  } else {
    line = absl::StrCat(ts, " ", LevelName(level), " ", event);
    for (const auto& [key, value] : fields) {
      absl::StrAppend(&line, " ", key, "=", PlainValue(value.text()));
    }
    line += "\n";
  }
  // One write(2) per line: lines from different threads never interleave.
  (void)!write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace jscore::daemon
