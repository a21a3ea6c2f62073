// jscore: the command-line client of jscored.
//
//   jscore eval 'code'                 jscore eval --file=script.js
//   jscore call -p sign.js sign '"a"' 1
//   jscore batch in.jsonl > out.jsonl  jscore health | jscore stats
//
// Output is JSON on stdout; see commands.h for the exit codes.
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "clients/cli/commands.h"

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "jscore: command-line client of jscored.\n"
      "  jscore [--target=HOST:PORT] [--timeout=10s] eval 'code'\n"
      "  jscore eval --file=script.js\n"
      "  jscore call -p sign.js sign '\"a\"' 1        (arguments are JSON)\n"
      "  jscore batch [--program_file=sign.js] [--window=256] in.jsonl > out.jsonl\n"
      "  jscore health | jscore stats\n"
      "TLS and auth: --tls_ca=ca.pem [--tls_server_name=NAME] --token_file=token\n"
      "Exit codes: 0 ok, 1 the script threw (batch: some item failed), 2 usage,\n"
      "3 RPC error or daemon unreachable, 4 not serving.");
  // -p is short for --program_file.
  std::vector<std::string> rewritten;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-p" && i + 1 < argc) {
      rewritten.push_back(std::string("--program_file=") + argv[++i]);
    } else if (arg == "-f" && i + 1 < argc) {
      rewritten.push_back(std::string("--file=") + argv[++i]);
    } else {
      rewritten.push_back(arg);
    }
  }
  std::vector<char*> rewritten_argv;
  for (auto& a : rewritten) rewritten_argv.push_back(a.data());
  std::vector<char*> positional =
      absl::ParseCommandLine(static_cast<int>(rewritten_argv.size()), rewritten_argv.data());
  std::vector<std::string> args(positional.begin() + 1, positional.end());
  if (args.empty()) {
    std::fprintf(stderr, "%s\n", absl::ProgramUsageMessage().data());
    return jscore::cli::kUsage;
  }
  std::string command = args[0];
  args.erase(args.begin());
  if (command == "eval") return jscore::cli::Eval(args);
  if (command == "call") return jscore::cli::Call(args);
  if (command == "batch") return jscore::cli::Batch(args);
  if (command == "health") return jscore::cli::Health();
  if (command == "stats") return jscore::cli::Stats();
  std::fprintf(stderr, "jscore: unknown command '%s'\n", command.c_str());
  return jscore::cli::kUsage;
}
