// Report: a RunResult as one JSON object or as a human-readable summary.
#ifndef JSCORE_BENCH_LOADGEN_REPORT_H_
#define JSCORE_BENCH_LOADGEN_REPORT_H_

#include <string>

#include "bench/loadgen/runner.h"

namespace jscore::loadgen {

// How the run was set up, echoed in the report.
struct RunSetup {
  std::string target;
  std::string workload;  // "evaluate", "call" or "batch"
  int channels = 0;
  int concurrency = 0;          // closed loop
  double rate = 0;              // open loop
  double duration_seconds = 0;  // 0: bounded by --requests only
  int64_t requests = 0;
  double warmup_seconds = 0;
  // Add the latency histogram: "histogram":[[upper_us, count], ...] over the
  // non-empty buckets, in increasing order (for CDF plots).
  bool histogram = false;
};

// One line of JSON (no trailing newline). Every number is finite: NaN and
// Infinity never appear. Latencies are integers in microseconds except the mean.
std::string ReportJson(const RunSetup& setup, const RunResult& result);

// A few lines for a terminal.
std::string ReportText(const RunSetup& setup, const RunResult& result);

}  // namespace jscore::loadgen

#endif  // JSCORE_BENCH_LOADGEN_REPORT_H_
