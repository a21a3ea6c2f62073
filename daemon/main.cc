// jscored: the jscore daemon. Parses flags, starts the engine and the gRPC server,
// and stops gracefully on SIGTERM or SIGINT.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <string>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/str_cat.h"
#include "daemon/config.h"
#include "daemon/server.h"
#include "daemon/version.h"
#include "engine/platform.h"

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("jscored: a JavaScript evaluation daemon (gRPC, V8).\n"
                               "Usage: jscored [--listen=127.0.0.1:50051] [flags]");
  absl::FlagsUsageConfig usage;
  usage.version_string = [] {
    return absl::StrCat("jscored ", jscore::daemon::kVersion, " (V8 ",
                        jscore::engine::V8Version(), ")\n");
  };
  absl::SetFlagsUsageConfig(usage);
  absl::ParseCommandLine(argc, argv);

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
    std::fprintf(stderr, "jscored: %s\n", platform.status().ToString().c_str());
    return 1;
  }
  auto server = jscore::daemon::Server::Start(*config, **platform);
  if (!server.ok()) {
    std::fprintf(stderr, "jscored: %s\n", server.status().ToString().c_str());
    return 1;
  }
  std::printf("jscored listening on %s\n", (*server)->address().c_str());
  std::fflush(stdout);
  std::fprintf(stderr, "jscored: serving on %s with %d workers\n", (*server)->address().c_str(),
               config->pool.workers);

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  std::fprintf(stderr, "jscored: signal %d, shutting down\n", signal_number);
  (*server)->Shutdown();
  server->reset();
  std::fprintf(stderr, "jscored: stopped\n");
  return 0;
}
