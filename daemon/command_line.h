// The daemon's command line around absl's flags: --config files (with line numbers in
// their errors) and a grouped --help. Used by main() only, before any other thread runs.
#ifndef JSCORE_DAEMON_COMMAND_LINE_H_
#define JSCORE_DAEMON_COMMAND_LINE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace jscore::daemon {

// What main() should do after PrepareCommandLine.
struct CommandLine {
  enum class Action { kRun, kHelp, kVersion };
  Action action = Action::kRun;
  // --config files, in the order given (--config=FILE or --config FILE).
  std::vector<std::string> config_files;
  // argv without --config, --help, --version: for absl::ParseCommandLine.
  std::vector<std::string> args;
};

// Splits out what absl does not handle the way jscored documents it.
CommandLine PrepareCommandLine(int argc, char** argv);

// Sets daemon flags from a config file: one flag per line, `--name=value`,
// `name = value` or `--name value` (spaces around `=` allowed; the leading `--` optional),
// a bare `--name` for a true boolean, blank lines and `#` comments. An unknown flag, a
// value that does not parse or an unreadable file is an error naming FILE:LINE.
absl::Status ApplyConfigFile(const std::string& path);

// The --help text: the usage line, then every flag of the daemon grouped by what it
// governs, with its default (sizes in KiB/MiB/GiB) and its help.
std::string HelpText(absl::string_view version_line);

}  // namespace jscore::daemon

#endif  // JSCORE_DAEMON_COMMAND_LINE_H_
