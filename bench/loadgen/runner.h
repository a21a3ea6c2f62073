// Runner: drives a Workload against jscored in a closed or open loop and counts.
#ifndef JSCORE_BENCH_LOADGEN_RUNNER_H_
#define JSCORE_BENCH_LOADGEN_RUNNER_H_

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "bench/loadgen/histogram.h"
#include "bench/loadgen/workload.h"
#include "grpcpp/grpcpp.h"
#include "jscore/v1/jscore.grpc.pb.h"

namespace jscore::loadgen {

enum class LoopMode {
  kClosed,  // `concurrency` requests outstanding at all times
  kOpen,    // a fixed send schedule at `rate` per second, whatever the answers do
};

struct RunOptions {
  LoopMode mode = LoopMode::kClosed;
  int concurrency = 8;
  double rate = 0;
  int64_t max_outstanding = 10000;
  // Measured requests to send; 0: no limit.
  int64_t requests = 0;
  // Length of the measured phase; InfiniteDuration(): until `requests` are sent.
  absl::Duration duration = absl::Seconds(5);
  // Load before the measured phase; its answers are not recorded.
  absl::Duration warmup = absl::Seconds(1);
  // gRPC deadline of each request.
  absl::Duration timeout = absl::Seconds(5);
  // When set, an OK answer whose value (compact JSON, sorted keys) differs is a
  // mismatch.
  std::optional<std::string> expect_json;
};

// What one run measured; plain data, filled when Run() returns.
struct RunResult {
  LoopMode mode = LoopMode::kClosed;
  // Measured requests started, and (open loop) scheduled sends that were late or
  // dropped because `max_outstanding` were in flight.
  uint64_t sent = 0;
  uint64_t late = 0;
  uint64_t dropped = 0;
  uint64_t max_late_us = 0;
  // Measured answers: ok + rpc errors + js errors + mismatches.
  uint64_t count = 0;
  uint64_t ok = 0;
  uint64_t js_errors = 0;
  uint64_t mismatches = 0;
  std::map<std::string, uint64_t> rpc_errors;  // by status code name
  // Measured requests still in flight when the run gave up waiting for them.
  uint64_t unfinished = 0;
  // From the start of the measured phase to the last measured answer.
  double window_seconds = 0;
  // CPU time (user + system) of this process during the measured window.
  double client_cpu_seconds = 0;
  // Latency of every measured answer with RPC status OK (js errors and mismatches
  // included). Closed loop: from the send. Open loop: from the scheduled send time,
  // so that a late sender does not hide latency (no coordinated omission).
  std::shared_ptr<const LatencyHistogram> latency;

  uint64_t rpc_error_count() const;
  uint64_t errors() const { return rpc_error_count() + js_errors + mismatches; }
  // ok answers per second of the window; 0 when the window is empty.
  double throughput() const;
};

// Owned by main(); Run() is called once, on the main thread, and blocks. RPC
// completions run on gRPC's callback threads and touch only the atomics below (and,
// closed loop, start the next request). The stubs and the workload must outlive
// the runner. If RPCs are still in flight after the drain bound (their deadlines
// make this a bug in the daemon or in gRPC), result.unfinished > 0 and the runner
// must be leaked, not destroyed.
class Runner {
 public:
  Runner(RunOptions options, const Workload& workload,
         std::vector<std::unique_ptr<v1::JsCore::Stub>> stubs);
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  RunResult Run();

 private:
  using Clock = std::chrono::steady_clock;
  struct Call;
  enum class Phase { kWarmup, kMeasure, kStopped };

  void RunClosed();
  void RunOpen();
  // Closed loop: starts the next request unless the run is stopping.
  void MaybeIssueClosed();
  void Issue(bool measured, Clock::time_point intended_start);
  void OnDone(Call* call, const grpc::Status& status);
  void Record(const Call& call, const grpc::Status& status, Clock::time_point now);
  void WaitForDrain();

  const RunOptions options_;
  const Workload& workload_;
  const std::vector<std::unique_ptr<v1::JsCore::Stub>> stubs_;
  const std::shared_ptr<LatencyHistogram> latency_ = std::make_shared<LatencyHistogram>();

  Clock::time_point measure_start_;
  double cpu_at_measure_start_ = 0;
  std::atomic<Phase> phase_{Phase::kWarmup};
  std::atomic<uint64_t> next_stub_{0};
  std::atomic<int64_t> outstanding_{0};
  std::atomic<int64_t> measured_outstanding_{0};
  std::atomic<int64_t> measured_issued_{0};
  absl::Notification requests_exhausted_;

  std::atomic<uint64_t> sent_{0};
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> ok_{0};
  std::atomic<uint64_t> js_errors_{0};
  std::atomic<uint64_t> mismatches_{0};
  std::array<std::atomic<uint64_t>, 17> rpc_errors_{};
  std::atomic<int64_t> last_answer_ns_{0};  // since measure_start_
  // Open loop; written by the scheduling (main) thread only.
  uint64_t late_ = 0;
  uint64_t dropped_ = 0;
  uint64_t max_late_us_ = 0;
};

}  // namespace jscore::loadgen

#endif  // JSCORE_BENCH_LOADGEN_RUNNER_H_
