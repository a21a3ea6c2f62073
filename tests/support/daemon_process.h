// DaemonProcess: a real jscored on a free loopback port, for integration tests.
#ifndef JSCORE_TESTS_SUPPORT_DAEMON_PROCESS_H_
#define JSCORE_TESTS_SUPPORT_DAEMON_PROCESS_H_

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "jscore/v1/jscore.grpc.pb.h"

namespace jscore::testing {

// How the test talks to the daemon (TLS, a name to check its certificate against).
struct ClientOptions {
  std::shared_ptr<grpc::ChannelCredentials> credentials;  // null: insecure
  std::string ssl_target_name;                            // overrides the host name check
};

// Started by a test on its own thread; the destructor kills and reaps the process
// if the test did not stop it. The daemon binds port 0 and tells its address on
// stdout; Start returns once the health check answers SERVING (bounded).
class DaemonProcess {
 public:
  static absl::StatusOr<std::unique_ptr<DaemonProcess>> Start(
      const std::vector<std::string>& flags, absl::Duration ready_bound = absl::Seconds(30),
      ClientOptions client = {});
  ~DaemonProcess();

  const std::string& address() const { return address_; }
  // The metrics endpoint, when started with --metrics_listen ("" otherwise).
  const std::string& metrics_address() const { return metrics_address_; }
  pid_t pid() const { return pid_; }
  std::shared_ptr<grpc::Channel> NewChannel() const;
  std::unique_ptr<v1::JsCore::Stub> NewStub() const;

  // Sends SIGTERM and waits (bounded) for the exit; returns the exit status, or -1
  // if it had to be killed.
  int Terminate(absl::Duration bound = absl::Seconds(30));

 private:
  DaemonProcess() = default;
  pid_t pid_ = -1;
  std::string address_;
  std::string metrics_address_;
  ClientOptions client_;
  bool reaped_ = false;
};

// The one way a test starts its daemon: DaemonProcess::Start with the default
// readiness bound. When the daemon does not start, it records a non-fatal test
// failure naming why and returns null, so that the caller writes
// `auto daemon = StartDaemon({...}); ASSERT_NE(daemon, nullptr);`.
std::unique_ptr<DaemonProcess> StartDaemon(const std::vector<std::string>& flags = {});

// A directory of this test process's own (made once, under the test temp dir), so
// that tests running in parallel never share files.
std::string ProcessTempDir();

// The resident set of process `pid` in kB (/proc/PID/status VmRSS; 0 if unreadable).
uint64_t RssKb(pid_t pid);

// Checks grpc.health.v1 once with a deadline; true when SERVING.
bool IsServing(const std::shared_ptr<grpc::Channel>& channel, absl::Duration deadline);

}  // namespace jscore::testing

#endif  // JSCORE_TESTS_SUPPORT_DAEMON_PROCESS_H_
