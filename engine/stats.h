// WorkerStatsSnapshot and PoolStats: what the pool and each worker report (plain data,
// copied out under their own locks; the daemon's metrics read them).
#ifndef JSCORE_ENGINE_STATS_H_
#define JSCORE_ENGINE_STATS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace jscore::engine {

struct WorkerStatsSnapshot {
  int id = 0;
  uint64_t jobs_completed = 0;
  uint32_t jobs_in_flight = 0;
  uint64_t heap_used_bytes = 0;
  uint64_t heap_limit_bytes = 0;
  uint32_t isolate_replacements = 0;
  uint32_t prebuilt_contexts = 0;
  uint64_t timeouts = 0;
  uint32_t program_contexts = 0;
  uint32_t sessions = 0;
  // Time the thread spent outside its loop's wait for events (libuv's idle-time
  // metric), since the worker started.
  uint64_t busy_ns = 0;
  uint32_t fetches_in_flight = 0;  // HTTP transfers of fetch/XMLHttpRequest
  // Threads of this slot retired because a job overran its deadline inside code that
  // ignores termination (Worker::Retire).
  uint32_t retirements = 0;
};

struct PoolStats {
  std::vector<WorkerStatsSnapshot> workers;
  uint64_t queue_depth = 0;
  uint64_t queue_capacity = 0;
  uint64_t jobs_completed = 0;
  uint64_t jobs_rejected = 0;
  uint64_t timeouts = 0;
  uint64_t programs = 0;
  uint64_t sessions = 0;
};

}  // namespace jscore::engine

#endif  // JSCORE_ENGINE_STATS_H_
