// Metrics: request counts and latency histograms per method, and the Prometheus text
// exposition of them with the engine's gauges.
#ifndef JSCORE_DAEMON_METRICS_H_
#define JSCORE_DAEMON_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "engine/pool.h"
#include "grpcpp/support/status.h"

namespace jscore::daemon {

enum class Method {
  kEvaluate,
  kCall,
  kLoadProgram,
  kUnloadProgram,
  kCreateSession,
  kDeleteSession,
  kBatch,      // whole streams
  kBatchItem,  // items inside streams
  kGetStats,
};
constexpr int kMethodCount = 9;
const char* MethodName(Method method);

// Owned by the Server; any thread records (lock-free atomics) and renders.
class Metrics {
 public:
  struct Count {
    Method method;
    int code;
    uint64_t count;
  };

  void Record(Method method, grpc::StatusCode code, absl::Duration latency);
  // Non-zero (method, code) counts, for GetStats.
  std::vector<Count> Counts() const;
  // Prometheus text format 0.0.4.
  std::string RenderPrometheus(const engine::PoolStats& pool) const;

 private:
  static constexpr int kCodes = 17;
  static constexpr std::array<double, 18> kBucketsSeconds = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
      0.1,    0.25,    0.5,    1,     2.5,    5,     10,   30,    60};
  struct PerMethod {
    std::array<std::atomic<uint64_t>, kCodes> by_code{};
    std::array<std::atomic<uint64_t>, kBucketsSeconds.size() + 1> buckets{};  // last: +Inf
    std::atomic<uint64_t> sum_ns{0};
  };
  std::array<PerMethod, kMethodCount> methods_;
};

}  // namespace jscore::daemon

#endif  // JSCORE_DAEMON_METRICS_H_
