#include "daemon/metrics.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status_code_name.h"
#include "daemon/process_metrics.h"

namespace jscore::daemon {
namespace {

void Metric(std::string& out, const char* name, const char* type, const char* help) {
  absl::StrAppend(&out, "# HELP ", name, " ", help, "\n# TYPE ", name, " ", type, "\n");
}

}  // namespace

const char* MethodName(Method method) {
  switch (method) {
    case Method::kEvaluate:
      return "Evaluate";
    case Method::kCall:
      return "Call";
    case Method::kLoadProgram:
      return "LoadProgram";
    case Method::kUnloadProgram:
      return "UnloadProgram";
    case Method::kCreateSession:
      return "CreateSession";
    case Method::kDeleteSession:
      return "DeleteSession";
    case Method::kBatch:
      return "Batch";
    case Method::kBatchItem:
      return "BatchItem";
    case Method::kGetStats:
      return "GetStats";
  }
  return "Unknown";
}

void Metrics::Record(Method method, grpc::StatusCode code, absl::Duration latency) {
  PerMethod& m = methods_[static_cast<int>(method)];
  int c = static_cast<int>(code);
  m.by_code[c >= 0 && c < kCodes ? c : 2].fetch_add(1, std::memory_order_relaxed);
  double seconds = absl::ToDoubleSeconds(latency);
  size_t bucket = 0;
  while (bucket < kBucketsSeconds.size() && seconds > kBucketsSeconds[bucket]) ++bucket;
  m.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  m.sum_ns.fetch_add(static_cast<uint64_t>(absl::ToInt64Nanoseconds(latency)),
                     std::memory_order_relaxed);
}

std::vector<Metrics::Count> Metrics::Counts() const {
  std::vector<Count> out;
  for (int i = 0; i < kMethodCount; ++i) {
    for (int c = 0; c < kCodes; ++c) {
      uint64_t n = methods_[i].by_code[c].load(std::memory_order_relaxed);
      if (n > 0) out.push_back({static_cast<Method>(i), c, n});
    }
  }
  return out;
}

std::string Metrics::RenderPrometheus(const engine::PoolStats& pool) const {
  std::string out;
  Metric(out, "jscore_requests_total", "counter",
         "RPCs (and batch items) by method and status code.");
  for (const Count& c : Counts()) {
    absl::StrAppend(&out, "jscore_requests_total{method=\"", MethodName(c.method), "\",code=\"",
                    StatusCodeName(static_cast<grpc::StatusCode>(c.code)), "\"} ", c.count, "\n");
  }
  Metric(out, "jscore_request_duration_seconds", "histogram", "Time from request to answer.");
  for (int i = 0; i < kMethodCount; ++i) {
    const PerMethod& m = methods_[i];
    uint64_t cumulative = 0;
    std::string rows;
    for (size_t b = 0; b <= kBucketsSeconds.size(); ++b) {
      cumulative += m.buckets[b].load(std::memory_order_relaxed);
      std::string le =
          b < kBucketsSeconds.size() ? absl::StrFormat("%g", kBucketsSeconds[b]) : "+Inf";
      absl::StrAppend(&rows, "jscore_request_duration_seconds_bucket{method=\"",
                      MethodName(static_cast<Method>(i)), "\",le=\"", le, "\"} ", cumulative, "\n");
    }
    if (cumulative == 0) continue;
    out += rows;
    absl::StrAppend(&out, "jscore_request_duration_seconds_sum{method=\"",
                    MethodName(static_cast<Method>(i)), "\"} ",
                    absl::StrFormat("%.9f", m.sum_ns.load(std::memory_order_relaxed) / 1e9), "\n",
                    "jscore_request_duration_seconds_count{method=\"",
                    MethodName(static_cast<Method>(i)), "\"} ", cumulative, "\n");
  }
  Metric(out, "jscore_queue_depth", "gauge", "Jobs waiting for a worker.");
  absl::StrAppend(&out, "jscore_queue_depth ", pool.queue_depth, "\n");
  Metric(out, "jscore_queue_capacity", "gauge", "Jobs that may wait before admission fails.");
  absl::StrAppend(&out, "jscore_queue_capacity ", pool.queue_capacity, "\n");
  Metric(out, "jscore_jobs_rejected_total", "counter", "Jobs refused because the queue was full.");
  absl::StrAppend(&out, "jscore_jobs_rejected_total ", pool.jobs_rejected, "\n");
  Metric(out, "jscore_timeouts_total", "counter", "Jobs stopped at their deadline.");
  absl::StrAppend(&out, "jscore_timeouts_total ", pool.timeouts, "\n");
  Metric(out, "jscore_programs", "gauge", "Loaded programs.");
  absl::StrAppend(&out, "jscore_programs ", pool.programs, "\n");
  Metric(out, "jscore_sessions", "gauge", "Open sessions.");
  absl::StrAppend(&out, "jscore_sessions ", pool.sessions, "\n");
  auto per_worker = [&](const char* name, const char* type, const char* help, auto getter) {
    Metric(out, name, type, help);
    for (const auto& w : pool.workers) {
      absl::StrAppend(&out, name, "{worker=\"", w.id, "\"} ", getter(w), "\n");
    }
  };
  per_worker("jscore_worker_jobs_completed_total", "counter", "Jobs a worker completed.",
             [](const auto& w) { return w.jobs_completed; });
  per_worker("jscore_worker_jobs_in_flight", "gauge", "Jobs a worker holds (running or awaiting).",
             [](const auto& w) { return static_cast<uint64_t>(w.jobs_in_flight); });
  per_worker("jscore_worker_fetches_in_flight", "gauge",
             "HTTP transfers of fetch/XMLHttpRequest a worker has in flight (--allow_fetch).",
             [](const auto& w) { return static_cast<uint64_t>(w.fetches_in_flight); });
  per_worker("jscore_worker_heap_used_bytes", "gauge", "V8 heap in use (sampled).",
             [](const auto& w) { return w.heap_used_bytes; });
  per_worker("jscore_worker_heap_limit_bytes", "gauge", "V8 heap limit.",
             [](const auto& w) { return w.heap_limit_bytes; });
  per_worker("jscore_worker_isolate_replacements_total", "counter",
             "Isolates replaced (heap limit or recycling).",
             [](const auto& w) { return static_cast<uint64_t>(w.isolate_replacements); });
  per_worker("jscore_worker_program_contexts", "gauge", "Program contexts a worker keeps.",
             [](const auto& w) { return static_cast<uint64_t>(w.program_contexts); });
  per_worker("jscore_worker_sessions", "gauge", "Sessions pinned to a worker.",
             [](const auto& w) { return static_cast<uint64_t>(w.sessions); });
  // Busy ratio over a window: rate(jscore_worker_busy_seconds_total[1m]).
  per_worker("jscore_worker_busy_seconds_total", "counter",
             "Time a worker was not waiting for work (busy ratio: its rate).",
             [](const auto& w) { return absl::StrFormat("%.6f", w.busy_ns / 1e9); });
  AppendProcessMetrics(out);
  return out;
}

}  // namespace jscore::daemon
