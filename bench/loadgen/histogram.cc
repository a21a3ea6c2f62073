// LatencyHistogram: bucket arithmetic, lock-free recording and quantiles.
#include "bench/loadgen/histogram.h"

#include <algorithm>
#include <cmath>

namespace jscore::loadgen {
namespace {

constexpr uint64_t kSubBuckets = uint64_t{1} << LatencyHistogram::kSubBucketBits;

int BucketShift(int index) { return std::max(0, (index >> LatencyHistogram::kSubBucketBits) - 1); }

}  // namespace

int LatencyHistogram::BucketIndex(uint64_t micros) {
  if (micros < kSubBuckets) return static_cast<int>(micros);
  int msb = 63 - __builtin_clzll(micros);
  if (msb >= kMaxBits) return kBuckets - 1;
  int shift = msb - kSubBucketBits;
  // The mantissa is in [kSubBuckets, 2 * kSubBuckets): bucket = shift rows of
  // kSubBuckets above the exact range, plus the mantissa.
  uint64_t mantissa = micros >> shift;
  return static_cast<int>((static_cast<uint64_t>(shift) << kSubBucketBits) + mantissa);
}

uint64_t LatencyHistogram::BucketLowest(int index) {
  int shift = BucketShift(index);
  uint64_t mantissa =
      static_cast<uint64_t>(index) - (static_cast<uint64_t>(shift) << kSubBucketBits);
  return mantissa << shift;
}

uint64_t LatencyHistogram::BucketHighest(int index) {
  int shift = BucketShift(index);
  uint64_t mantissa =
      static_cast<uint64_t>(index) - (static_cast<uint64_t>(shift) << kSubBucketBits);
  return ((mantissa + 1) << shift) - 1;
}

void LatencyHistogram::Record(uint64_t micros) {
  buckets_[BucketIndex(micros)].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(micros, std::memory_order_relaxed);
  uint64_t seen = max_.load(std::memory_order_relaxed);
  while (micros > seen && !max_.compare_exchange_weak(seen, micros, std::memory_order_relaxed)) {
  }
  seen = min_.load(std::memory_order_relaxed);
  while (micros < seen && !min_.compare_exchange_weak(seen, micros, std::memory_order_relaxed)) {
  }
}

uint64_t LatencyHistogram::min() const {
  return count() == 0 ? 0 : min_.load(std::memory_order_relaxed);
}

double LatencyHistogram::mean() const {
  uint64_t n = count();
  if (n == 0) return 0;
  return static_cast<double>(sum_.load(std::memory_order_relaxed)) / static_cast<double>(n);
}

uint64_t LatencyHistogram::ValueAtQuantile(double q) const {
  uint64_t n = count();
  if (n == 0) return 0;
  if (!(q >= 0)) q = 0;  // also catches NaN
  q = std::min(q, 1.0);
  uint64_t rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(n)));
  rank = std::clamp<uint64_t>(rank, 1, n);
  uint64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += buckets_[i].load(std::memory_order_relaxed);
    if (seen >= rank) return std::clamp(BucketHighest(i), min(), max());
  }
  return max();
}

}  // namespace jscore::loadgen
