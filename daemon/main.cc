// jscored: the jscore daemon. Parses flags (daemon/command_line.h), starts the engine and the
// gRPC server, and stops gracefully on SIGTERM or SIGINT.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "daemon/command_line.h"
#include "daemon/config.h"
#include "daemon/log.h"
#include "daemon/server.h"
#include "daemon/version.h"
#include "engine/platform.h"

int main(int argc, char** argv) {
  // Debian's abseil is built without NDEBUG, so every absl::Mutex lock (gRPC's too)
  // would also update the deadlock detector's lock graph: 1-4% of the daemon's CPU
  // under load (bench/FINDINGS.md). The test binaries keep the detector on.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::SetProgramUsageMessage("jscored: a JavaScript evaluation daemon (gRPC, V8); see --help");
  const std::string version_line = absl::StrCat("jscored ", jscore::daemon::kVersion, " (V8 ",
                                                jscore::engine::V8Version(), ")\n");
  jscore::daemon::CommandLine command_line = jscore::daemon::PrepareCommandLine(argc, argv);
  if (command_line.action == jscore::daemon::CommandLine::Action::kHelp) {
    std::fputs(jscore::daemon::HelpText(version_line).c_str(), stdout);
    return 0;
  }
  if (command_line.action == jscore::daemon::CommandLine::Action::kVersion) {
    std::fputs(version_line.c_str(), stdout);
    return 0;
  }
  // Config files first, so that the command line (parsed next) overrides them.
  for (const std::string& file : command_line.config_files) {
    if (absl::Status s = jscore::daemon::ApplyConfigFile(file); !s.ok()) {
      std::fprintf(stderr, "jscored: %s\n", std::string(s.message()).c_str());
      return 2;
    }
  }
  std::vector<char*> arg_pointers;
  for (auto& a : command_line.args) arg_pointers.push_back(a.data());
  absl::ParseCommandLine(static_cast<int>(arg_pointers.size()), arg_pointers.data());

  using jscore::daemon::Log;
  using jscore::daemon::LogLevel;
  auto config = jscore::daemon::ConfigFromFlags();
  if (!config.ok()) {
    std::fprintf(stderr, "jscored: %s\n", std::string(config.status().message()).c_str());
    return 2;
  }
  // Every thread started from here on inherits the mask; main waits for the signal.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  jscore::engine::PlatformOptions platform_options;
  platform_options.background_threads = config->v8_background_threads;
  auto platform = jscore::engine::Platform::Create(platform_options);
  if (!platform.ok()) {
    Log(LogLevel::kError, "start_failed", {{"error", platform.status().ToString()}});
    return 1;
  }
  auto server = jscore::daemon::Server::Start(*config, **platform);
  if (!server.ok()) {
    Log(LogLevel::kError, "start_failed", {{"error", server.status().ToString()}});
    return 1;
  }
  // Tests and scripts read these lines: the metrics address (if any) comes first.
  std::string metrics = (*server)->metrics_address();
  if (!metrics.empty()) std::printf("jscored metrics on %s\n", metrics.c_str());
  std::printf("jscored listening on %s\n", (*server)->address().c_str());
  std::fflush(stdout);
  Log(LogLevel::kInfo, "start",
      {{"listen", (*server)->address()},
       {"workers", config->pool.workers},
       {"metrics", metrics.empty() ? "off" : metrics},
       {"allow_fetch",
        config->pool.fetch.allowlist.empty() ? "off" : config->pool.fetch.allowlist.ToString()},
       {"version", jscore::daemon::kVersion}});

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  Log(LogLevel::kInfo, "stopping", {{"signal", signal_number}});
  (*server)->Shutdown();
  server->reset();
  Log(LogLevel::kInfo, "stop");
  return 0;
}
