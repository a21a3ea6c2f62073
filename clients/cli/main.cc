// jscore: the command-line client of jscored.
//
//   jscore eval 'code'                 jscore eval --file=script.js
//   jscore call -p sign.js sign '"a"' 1
//   jscore batch in.jsonl > out.jsonl  jscore health | jscore stats
//
// Output is JSON on stdout; see commands.h for the exit codes.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/cli/commands.h"

ABSL_DECLARE_FLAG(std::string, target);
ABSL_DECLARE_FLAG(std::string, token_file);

namespace jscore::cli {
namespace {

constexpr char kUsageText[] =
    "jscore: command-line client of jscored.\n"
    "  jscore [--target=HOST:PORT] [--timeout=10s] eval 'code' [--globals='{\"a\":1}']\n"
    "  jscore eval --file=script.js          (-f FILE; a script starting with '-' goes after --)\n"
    "  jscore call -p sign.js sign '\"a\"' 1   (arguments are JSON)\n"
    "  jscore batch [--program_file=sign.js] [--window=256] in.jsonl > out.jsonl\n"
    "  jscore health | jscore stats\n"
    "TLS and auth: --tls_ca=ca.pem [--tls_server_name=NAME] --token_file=token\n"
    "Environment: JSCORE_TARGET and JSCORE_TOKEN_FILE stand in for --target and\n"
    "--token_file when those are not given.\n"
    "Exit codes: 0 ok, 1 the script threw (batch: some item failed), 2 usage,\n"
    "3 the daemon answered an error status (or is unreachable), 4 not serving,\n"
    "5 the script stopped itself with $terminate(data) (the data is printed).\n";

void PrintHelp() {
  std::printf("%s\nFlags:\n", kUsageText);
  std::map<std::string, absl::CommandLineFlag*> sorted;
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    if (absl::StrContains(flag->Filename(), "clients/cli/")) sorted[std::string(name)] = flag;
  }
  for (const auto& [name, flag] : sorted) {
    std::string value = flag->DefaultValue();
    std::printf("  --%s  %s%s\n", name.c_str(), flag->Help().c_str(),
                value.empty() ? "" : absl::StrCat(" (default: ", value, ")").c_str());
  }
}

int UsageError(const std::string& message) {
  std::fprintf(stderr, "jscore: %s (jscore --help shows the usage)\n", message.c_str());
  return kUsage;
}

// Parses flags (--name=value, --name value, --bool, --nobool; -p FILE and -f FILE)
// anywhere on the line; `--` ends them. Returns the exit code when the program should
// stop now (help, a usage error), else -1 with `positional` filled.
int ParseFlags(int argc, char** argv, std::vector<std::string>* positional,
               std::set<std::string>* given) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      for (++i; i < argc; ++i) positional->push_back(argv[i]);
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      positional->push_back(arg);
      continue;
    }
    if (arg == "-p" || arg == "-f") {
      if (i + 1 >= argc) return UsageError(arg + " needs a file");
      arg = absl::StrCat(arg == "-p" ? "--program_file=" : "--file=", argv[++i]);
    }
    std::string body = arg.substr(arg[1] == '-' ? 2 : 1);
    size_t eq = body.find('=');
    std::string name = body.substr(0, eq);
    if (name == "help" || name == "h" || name == "helpfull" || name == "?") {
      PrintHelp();
      return kOk;
    }
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    std::string value;
    if (flag != nullptr && eq != std::string::npos) {
      value = body.substr(eq + 1);
    } else if (flag != nullptr && flag->IsOfType<bool>()) {
      value = "true";
    } else if (flag != nullptr) {
      if (i + 1 >= argc) return UsageError(absl::StrCat("--", name, " needs a value"));
      value = argv[++i];
    } else if (absl::StartsWith(name, "no") && eq == std::string::npos &&
               (flag = absl::FindCommandLineFlag(name.substr(2))) != nullptr &&
               flag->IsOfType<bool>()) {
      name = name.substr(2);
      value = "false";
    } else {
      return UsageError(absl::StrCat("unknown flag ", arg.substr(0, arg.find('='))));
    }
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      return UsageError(absl::StrCat("bad value for --", name, ": ", error));
    }
    given->insert(name);
  }
  return -1;
}

// JSCORE_TARGET and JSCORE_TOKEN_FILE, for the flags the command line did not give.
void ApplyEnvironment(const std::set<std::string>& given) {
  const char* target = std::getenv("JSCORE_TARGET");
  if (!given.count("target") && target != nullptr && *target != '\0') {
    absl::SetFlag(&FLAGS_target, target);
  }
  const char* token_file = std::getenv("JSCORE_TOKEN_FILE");
  if (!given.count("token_file") && token_file != nullptr && *token_file != '\0') {
    absl::SetFlag(&FLAGS_token_file, token_file);
  }
}

}  // namespace
}  // namespace jscore::cli

int main(int argc, char** argv) {
  using namespace jscore::cli;  // NOLINT: main only
  std::vector<std::string> args;
  std::set<std::string> given;
  if (int code = ParseFlags(argc, argv, &args, &given); code >= 0) return code;
  ApplyEnvironment(given);
  if (args.empty()) return UsageError("no command given");
  std::string command = args[0];
  args.erase(args.begin());
  if (command == "eval") return Eval(args);
  if (command == "call") return Call(args);
  if (command == "batch") return Batch(args);
  if (command == "health") return Health();
  if (command == "stats") return Stats();
  return UsageError(absl::StrCat("unknown command '", command, "'"));
}
