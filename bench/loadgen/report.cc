// Report: JSON and text renderings of a RunResult.
#include "bench/loadgen/report.h"

#include <cmath>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "bench/loadgen/json.h"

namespace jscore::loadgen {
namespace {

// Quantiles reported, with their JSON key and text label.
struct Quantile {
  double q;
  const char* key;
};
constexpr Quantile kQuantiles[] = {{0.50, "p50"}, {0.90, "p90"}, {0.99, "p99"}, {0.999, "p999"}};

const char* ModeName(LoopMode mode) { return mode == LoopMode::kClosed ? "closed" : "open"; }

// Rounded to 0.1 and never NaN/Infinity.
std::string Rounded(double d) {
  if (!std::isfinite(d)) return "0";
  return JsonNumber(std::round(d * 10) / 10);
}

double CpuPercent(const RunResult& result) {
  if (!(result.window_seconds > 0)) return 0;
  return 100 * result.client_cpu_seconds / result.window_seconds;
}

}  // namespace

std::string ReportJson(const RunSetup& setup, const RunResult& result) {
  const LatencyHistogram& latency = *result.latency;
  std::vector<std::string> codes;
  for (const auto& [code, count] : result.rpc_errors) {
    codes.push_back(absl::StrCat(JsonQuote(code), ":", count));
  }
  std::vector<std::string> quantiles;
  for (const Quantile& q : kQuantiles) {
    quantiles.push_back(absl::StrCat("\"", q.key, "\":", latency.ValueAtQuantile(q.q)));
  }
  std::string histogram;
  if (setup.histogram) {
    std::vector<std::string> buckets;
    for (int i = 0; i < LatencyHistogram::kBuckets; ++i) {
      uint64_t n = latency.BucketCount(i);
      if (n == 0) continue;
      buckets.push_back(absl::StrCat("[", LatencyHistogram::BucketHighest(i), ",", n, "]"));
    }
    histogram = absl::StrCat(",\"histogram\":[", absl::StrJoin(buckets, ","), "]");
  }
  return absl::StrCat(
      "{\"target\":", JsonQuote(setup.target), ",\"workload\":", JsonQuote(setup.workload),
      ",\"mode\":\"", ModeName(result.mode), "\",\"channels\":", setup.channels,
      ",\"concurrency\":", setup.concurrency, ",\"rate\":", JsonNumber(setup.rate),
      ",\"duration_s\":", JsonNumber(setup.duration_seconds), ",\"requests\":", setup.requests,
      ",\"warmup_s\":", JsonNumber(setup.warmup_seconds),
      ",\"window_s\":", JsonNumber(std::round(result.window_seconds * 1e6) / 1e6),
      ",\"sent\":", result.sent, ",\"count\":", result.count, ",\"ok\":", result.ok,
      ",\"errors\":", result.errors(), ",\"rpc_errors\":{", absl::StrJoin(codes, ","),
      "},\"js_errors\":", result.js_errors, ",\"mismatches\":", result.mismatches,
      ",\"late\":", result.late, ",\"max_late_us\":", result.max_late_us,
      ",\"dropped\":", result.dropped, ",\"unfinished\":", result.unfinished,
      ",\"throughput\":", Rounded(result.throughput()),
      ",\"latency_us\":{\"count\":", latency.count(), ",\"min\":", latency.min(), ",",
      absl::StrJoin(quantiles, ","), ",\"max\":", latency.max(),
      ",\"mean\":", Rounded(latency.mean()),
      "},\"client_cpu_s\":", JsonNumber(std::round(result.client_cpu_seconds * 1000) / 1000),
      ",\"client_cpu_percent\":", Rounded(CpuPercent(result)), histogram, "}");
}

std::string ReportText(const RunSetup& setup, const RunResult& result) {
  const LatencyHistogram& latency = *result.latency;
  std::string load = result.mode == LoopMode::kClosed
                         ? absl::StrCat("closed loop, concurrency ", setup.concurrency)
                         : absl::StrFormat("open loop, %.1f/s", setup.rate);
  std::string out = absl::StrFormat("%s against %s: %s, %d channel(s)\n", setup.workload,
                                    setup.target, load, setup.channels);
  absl::StrAppendFormat(&out, "window     %.3f s (after %.1f s warmup)\n", result.window_seconds,
                        setup.warmup_seconds);
  absl::StrAppendFormat(&out, "answers    %d: ok %d, errors %d (js %d, mismatches %d", result.count,
                        result.ok, result.errors(), result.js_errors, result.mismatches);
  for (const auto& [code, count] : result.rpc_errors) {
    absl::StrAppendFormat(&out, ", %s %d", code, count);
  }
  out += ")\n";
  if (result.mode == LoopMode::kOpen) {
    absl::StrAppendFormat(&out, "schedule   sent %d, late (>1 ms) %d, max late %d us, dropped %d\n",
                          result.sent, result.late, result.max_late_us, result.dropped);
  }
  if (result.unfinished > 0) {
    absl::StrAppendFormat(&out, "unfinished %d requests never answered\n", result.unfinished);
  }
  absl::StrAppendFormat(&out, "throughput %.1f ok/s\n", result.throughput());
  absl::StrAppendFormat(&out, "latency us min %d", latency.min());
  for (const Quantile& q : kQuantiles) {
    absl::StrAppendFormat(&out, "  %s %d", q.key, latency.ValueAtQuantile(q.q));
  }
  absl::StrAppendFormat(&out, "  max %d  mean %.1f\n", latency.max(), latency.mean());
  absl::StrAppendFormat(&out, "client cpu %.2f s (%.0f%% of one core)\n", result.client_cpu_seconds,
                        CpuPercent(result));
  return out;
}

}  // namespace jscore::loadgen
