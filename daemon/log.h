// Log: one line per notable event on stderr, plain or JSON, with levels.
#ifndef JSCORE_DAEMON_LOG_H_
#define JSCORE_DAEMON_LOG_H_

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace jscore::daemon {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };
enum class LogFormat { kPlain, kJson };

// Set once in main() before any thread logs.
void ConfigureLog(LogFormat format, LogLevel min_level);
bool ParseLogLevel(absl::string_view text, LogLevel* level);

// Any thread. `event` is a short snake_case name ("start", "slow_request"); fields are
// key/value pairs. Writes one whole line per call.
void Log(LogLevel level, absl::string_view event,
         std::initializer_list<std::pair<absl::string_view, std::string>> fields = {});

}  // namespace jscore::daemon

#endif  // JSCORE_DAEMON_LOG_H_
