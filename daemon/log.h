// Log: one line per notable event on stderr, plain or JSON, with levels.
#ifndef JSCORE_DAEMON_LOG_H_
#define JSCORE_DAEMON_LOG_H_

#include <initializer_list>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace jscore::daemon {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };
enum class LogFormat { kPlain, kJson };

// Set once in main() before any thread logs.
void ConfigureLog(LogFormat format, LogLevel min_level);
bool ParseLogLevel(absl::string_view text, LogLevel* level);

// A field's value: text, or a number or boolean that JSON lines write as one (unquoted).
class LogValue {
 public:
  LogValue(std::string text) : text_(std::move(text)) {}             // NOLINT: implicit on purpose
  LogValue(absl::string_view text) : text_(text) {}                  // NOLINT
  LogValue(const char* text) : text_(text) {}                        // NOLINT
  LogValue(bool b) : text_(b ? "true" : "false"), literal_(true) {}  // NOLINT
  template <typename T, typename = std::enable_if_t<std::is_arithmetic_v<T>>>
  LogValue(T number) : text_(absl::StrCat(number)), literal_(true) {}  // NOLINT

  const std::string& text() const { return text_; }
  // Written as a JSON literal (number, true, false) rather than a string.
  bool literal() const { return literal_; }

 private:
  std::string text_;
  bool literal_ = false;
};

// Any thread. `event` is a short snake_case name ("start", "slow_request"); fields are
// key/value pairs. Writes one whole line per call. A status code is always written by
// its name ("DEADLINE_EXCEEDED"), under the key "code".
void Log(LogLevel level, absl::string_view event,
         std::initializer_list<std::pair<absl::string_view, LogValue>> fields = {});

// Any thread: whether Log at `level` writes anything, so that a caller on a hot path
// builds its fields only for a line that is written.
bool LogEnabled(LogLevel level);

}  // namespace jscore::daemon

#endif  // JSCORE_DAEMON_LOG_H_
