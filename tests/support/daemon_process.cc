#include "tests/support/daemon_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"

extern char** environ;

namespace jscore::testing {

std::unique_ptr<DaemonProcess> StartDaemon(const std::vector<std::string>& flags) {
  absl::StatusOr<std::unique_ptr<DaemonProcess>> daemon = DaemonProcess::Start(flags);
  EXPECT_TRUE(daemon.ok()) << daemon.status();
  return daemon.ok() ? std::move(*daemon) : nullptr;
}

std::string ProcessTempDir() {
  static const std::string dir = [] {
    const char* base = getenv("TMPDIR");
    std::string pattern = absl::StrCat(base != nullptr ? base : "/tmp", "/jscore-test-XXXXXX");
    return std::string(mkdtemp(pattern.data()));
  }();
  return dir;
}

uint64_t RssKb(pid_t pid) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    absl::string_view v = line;
    uint64_t kb = 0;
    if (absl::ConsumePrefix(&v, "VmRSS:") &&
        absl::SimpleAtoi(absl::StripSuffix(absl::StripAsciiWhitespace(v), " kB"), &kb)) {
      return kb;
    }
  }
  return 0;
}

bool IsServing(const std::shared_ptr<grpc::Channel>& channel, absl::Duration deadline) {
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, request, &response);
  return status.ok() && response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
}

absl::StatusOr<std::unique_ptr<DaemonProcess>> DaemonProcess::Start(
    const std::vector<std::string>& flags, absl::Duration ready_bound, ClientOptions client) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return absl::InternalError("pipe failed");
  std::vector<std::string> args = {JSCORED_PATH, "--listen=127.0.0.1:0"};
  args.insert(args.end(), flags.begin(), flags.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  // The daemon must not inherit the test's blocked signals.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t empty;
  sigemptyset(&empty);
  posix_spawnattr_setsigmask(&attr, &empty);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  pid_t pid;
  int rc = posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(pipe_fds[1]);
  if (rc != 0) {
    close(pipe_fds[0]);
    return absl::InternalError(absl::StrCat("could not start ", JSCORED_PATH, ": ", strerror(rc)));
  }
  auto daemon = std::unique_ptr<DaemonProcess>(new DaemonProcess());
  daemon->pid_ = pid;
  daemon->client_ = std::move(client);

  // Read stdout until "jscored listening on HOST:PORT" (a "jscored metrics on" line
  // may come first), within the bound.
  absl::Time deadline = absl::Now() + ready_bound;
  constexpr char kListening[] = "jscored listening on ";
  constexpr char kMetrics[] = "jscored metrics on ";
  std::string out;
  while (!absl::StrContains(out, kListening) ||
         out.find('\n', out.find(kListening)) == std::string::npos) {
    int left_ms = static_cast<int>(absl::ToInt64Milliseconds(deadline - absl::Now()));
    if (left_ms <= 0) break;
    pollfd p{pipe_fds[0], POLLIN, 0};
    if (poll(&p, 1, left_ms) <= 0) break;
    char buf[256];
    ssize_t n = read(pipe_fds[0], buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, n);
  }
  close(pipe_fds[0]);
  auto value_after = [&out](const char* prefix) -> std::string {
    size_t at = out.find(prefix);
    if (at == std::string::npos) return "";
    size_t start = at + std::strlen(prefix);
    size_t end = out.find('\n', start);
    return end == std::string::npos ? "" : out.substr(start, end - start);
  };
  daemon->address_ = value_after(kListening);
  daemon->metrics_address_ = value_after(kMetrics);
  if (daemon->address_.empty()) {
    return absl::UnavailableError(absl::StrCat("jscored did not report its address: ", out));
  }

  auto channel = daemon->NewChannel();
  while (absl::Now() < deadline) {
    if (IsServing(channel, absl::Seconds(1))) return daemon;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::DeadlineExceededError("jscored did not become healthy in time");
}

DaemonProcess::~DaemonProcess() {
  if (pid_ > 0 && !reaped_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

std::shared_ptr<grpc::Channel> DaemonProcess::NewChannel() const {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  args.SetMaxSendMessageSize(64 << 20);
  // A distinct channel per call so that tests can have many independent connections.
  static std::atomic<int> unique{0};
  args.SetInt("jscore.test.unique", unique++);
  if (!client_.ssl_target_name.empty()) args.SetSslTargetNameOverride(client_.ssl_target_name);
  return grpc::CreateCustomChannel(
      address_, client_.credentials ? client_.credentials : grpc::InsecureChannelCredentials(),
      args);
}

std::unique_ptr<v1::JsCore::Stub> DaemonProcess::NewStub() const {
  return v1::JsCore::NewStub(NewChannel());
}

int DaemonProcess::Terminate(absl::Duration bound) {
  if (pid_ <= 0 || reaped_) return -1;
  kill(pid_, SIGTERM);
  absl::Time deadline = absl::Now() + bound;
  int status = 0;
  while (absl::Now() < deadline) {
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      reaped_ = true;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  reaped_ = true;
  return -1;
}

}  // namespace jscore::testing
