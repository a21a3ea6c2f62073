// LatencyHistogram: a lock-free log-linear histogram of latencies in microseconds.
#ifndef JSCORE_BENCH_LOADGEN_HISTOGRAM_H_
#define JSCORE_BENCH_LOADGEN_HISTOGRAM_H_

#include <array>
#include <atomic>
#include <cstdint>

namespace jscore::loadgen {

// HdrHistogram-style buckets: values below 2^kSubBucketBits µs are exact; above,
// every power of two is split into 2^kSubBucketBits linear sub-buckets, so a
// reported value is within 1/128 (< 0.8%) of the recorded one. Values up to
// 2^kMaxBits µs (~67 s) are bucketed; larger ones land in the last bucket (the
// exact maximum is kept beside the buckets).
//
// Record() may be called from any number of threads at once (relaxed atomics:
// counts are exact, there is no ordering between them). The read methods are
// meant for after the writers are done; read concurrently they give a
// slightly inconsistent but safe snapshot.
class LatencyHistogram {
 public:
  static constexpr int kSubBucketBits = 7;
  static constexpr int kMaxBits = 26;
  static constexpr int kBuckets = (kMaxBits - kSubBucketBits + 1) << kSubBucketBits;

  LatencyHistogram() = default;
  LatencyHistogram(const LatencyHistogram&) = delete;
  LatencyHistogram& operator=(const LatencyHistogram&) = delete;

  // Any thread.
  void Record(uint64_t micros);

  uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  // 0 when empty.
  uint64_t min() const;
  uint64_t max() const { return max_.load(std::memory_order_relaxed); }
  // Exact mean of the recorded values; 0 when empty.
  double mean() const;
  // The value at quantile q in [0, 1]: the highest value equivalent to the bucket
  // holding the ceil(q * count)-th smallest recording, clamped to [min, max], so
  // that percentiles are monotonic and never exceed max. 0 when empty.
  uint64_t ValueAtQuantile(double q) const;

  // Recordings in bucket `index` (0 <= index < kBuckets).
  uint64_t BucketCount(int index) const { return buckets_[index].load(std::memory_order_relaxed); }

  // Bucket arithmetic, exposed for tests and for the report.
  static int BucketIndex(uint64_t micros);
  static uint64_t BucketLowest(int index);
  static uint64_t BucketHighest(int index);

 private:
  std::array<std::atomic<uint64_t>, kBuckets> buckets_{};
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_{0};
  std::atomic<uint64_t> min_{UINT64_MAX};
  std::atomic<uint64_t> max_{0};
};

}  // namespace jscore::loadgen

#endif  // JSCORE_BENCH_LOADGEN_HISTOGRAM_H_
