#include "daemon/command_line.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <utility>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace jscore::daemon {
namespace {

// Flags by the part of the daemon they govern, in the order --help prints them. A flag
// that no group names (a new one) is printed under "Other", so none is ever hidden.
struct Group {
  const char* title;
  std::vector<const char*> flags;
};

const std::vector<Group>& Groups() {
  static const auto* groups = new std::vector<Group>{
      {"Serving",
       {"listen", "advertise_address", "workers", "worker_spin", "v8_background_threads",
        "shutdown_grace"}},
      {"Requests and their limits",
       {"queue_capacity", "max_inflight_per_worker", "default_timeout", "max_timeout",
        "max_message_bytes", "max_source_bytes", "max_result_bytes", "max_result_depth",
        "max_globals", "batch_window"}},
      {"Isolates and memory",
       {"heap_limit_mb", "array_buffer_limit_mb", "prebuilt_contexts", "recycle_after_jobs"}},
      {"Programs and sessions",
       {"max_programs", "program_contexts_per_worker", "program_context_memory_mb", "max_sessions",
        "session_ttl"}},
      {"Security", {"tls_cert", "tls_key", "tls_client_ca", "auth_token_file", "insecure_listen"}},
      {"Outbound HTTP (fetch, XMLHttpRequest)",
       {"allow_fetch", "fetch_max_response_bytes", "fetch_max_redirects"}},
      {"Observability", {"metrics_listen", "log_format", "log_level", "slow_request"}},
  };
  return *groups;
}

// A flag of the daemon (not one of gRPC's, abseil's or a library's).
bool IsDaemonFlag(const absl::CommandLineFlag& flag) {
  return absl::StrContains(flag.Filename(), "daemon/");
}

// "67108864" for a *_bytes flag reads as "64 MiB".
std::string ShowDefault(const absl::CommandLineFlag& flag) {
  std::string value = flag.DefaultValue();
  if (value.empty()) return "none";
  uint64_t bytes = 0;
  if (absl::EndsWith(flag.Name(), "_bytes") && absl::SimpleAtoi(value, &bytes) && bytes > 0) {
    static constexpr std::pair<uint64_t, const char*> kUnits[] = {
        {1ull << 30, "GiB"}, {1ull << 20, "MiB"}, {1ull << 10, "KiB"}};
    for (const auto& [unit, name] : kUnits) {
      if (bytes % unit == 0) return absl::StrCat(bytes / unit, " ", name);
    }
  }
  return value;
}

void AppendFlag(absl::string_view name, absl::string_view shown_default, absl::string_view help,
                std::string* out) {
  absl::StrAppend(out, "  --", name, " (default: ", shown_default, ")\n      ", help, "\n");
}

std::string StripComment(const std::string& line) {
  size_t hash = line.find('#');
  return hash == std::string::npos ? line : line.substr(0, hash);
}

}  // namespace

CommandLine PrepareCommandLine(int argc, char** argv) {
  CommandLine result;
  result.args.push_back(argc > 0 ? argv[0] : "jscored");
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (absl::StartsWith(arg, "--config=")) {
      result.config_files.push_back(arg.substr(9));
    } else if (arg == "--config" && i + 1 < argc) {
      result.config_files.push_back(argv[++i]);
    } else if (arg == "--help" || arg == "-h" || arg == "--helpfull" || arg == "--helpshort") {
      result.action = CommandLine::Action::kHelp;
    } else if (arg == "--version") {
      if (result.action == CommandLine::Action::kRun) result.action = CommandLine::Action::kVersion;
    } else {
      result.args.push_back(std::move(arg));
    }
  }
  return result;
}

absl::Status ApplyConfigFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("--config ", path, ": cannot read it"));
  std::string raw;
  for (int line_number = 1; std::getline(in, raw); ++line_number) {
    std::string line(absl::StripAsciiWhitespace(StripComment(raw)));
    if (line.empty()) continue;
    auto where = [&] { return absl::StrCat(path, ":", line_number, ": "); };
    if (absl::StartsWith(line, "--")) line.erase(0, 2);
    size_t split = line.find_first_of("= \t");
    std::string name(absl::StripAsciiWhitespace(line.substr(0, split)));
    std::string value;
    bool has_value = split != std::string::npos;
    if (has_value) {
      std::string rest(absl::StripAsciiWhitespace(line.substr(split)));
      if (absl::StartsWith(rest, "="))
        rest = std::string(absl::StripAsciiWhitespace(rest.substr(1)));
      value = rest;
    }
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr || !IsDaemonFlag(*flag)) {
      return absl::InvalidArgumentError(absl::StrCat(where(), "unknown flag --", name));
    }
    if (!has_value) {
      if (!flag->IsOfType<bool>()) {
        return absl::InvalidArgumentError(absl::StrCat(where(), "--", name, " needs a value"));
      }
      value = "true";
    }
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      return absl::InvalidArgumentError(absl::StrCat(where(), "--", name, "=", value, ": ", error));
    }
  }
  return absl::OkStatus();
}

std::string HelpText(absl::string_view version_line) {
  std::string out = absl::StrCat(
      version_line,
      "\nUsage: jscored [--config=FILE] [--flag=value ...]\n"
      "Flags come from the built-in defaults, then each --config FILE (one flag per line:\n"
      "`--name=value` or `name = value`, # comments), then the command line; the last wins.\n"
      "Durations are written 500ms, 5s, 10m; sizes in bytes unless the name says _mb.\n\n"
      "General:\n");
  AppendFlag("config", "none", "a file of flags, read before the command line", &out);
  AppendFlag("version", "false", "print the version (and V8's) and exit", &out);
  AppendFlag("help", "false", "print this and exit", &out);

  std::map<std::string, absl::CommandLineFlag*> ungrouped;
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    if (IsDaemonFlag(*flag)) ungrouped.emplace(std::string(name), flag);
  }
  auto print_group = [&](absl::string_view title,
                         const std::vector<absl::CommandLineFlag*>& flags) {
    if (flags.empty()) return;
    absl::StrAppend(&out, "\n", title, ":\n");
    for (const absl::CommandLineFlag* flag : flags) {
      AppendFlag(flag->Name(), ShowDefault(*flag), flag->Help(), &out);
    }
  };
  for (const Group& group : Groups()) {
    std::vector<absl::CommandLineFlag*> flags;
    for (const char* name : group.flags) {
      auto it = ungrouped.find(name);
      if (it == ungrouped.end()) continue;
      flags.push_back(it->second);
      ungrouped.erase(it);
    }
    print_group(group.title, flags);
  }
  std::vector<absl::CommandLineFlag*> rest;
  for (const auto& [name, flag] : ungrouped) rest.push_back(flag);
  print_group("Other", rest);
  return out;
}

}  // namespace jscore::daemon
