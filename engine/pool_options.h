// PoolOptions: how big the engine's pool is and what each job may use. Plain data,
// read by the Pool and by each worker (apart from pool.h, so that the workers need not
// know the Pool).
#ifndef JSCORE_ENGINE_POOL_OPTIONS_H_
#define JSCORE_ENGINE_POOL_OPTIONS_H_

#include <cstddef>
#include <cstdint>

#include "absl/time/time.h"
#include "engine/fetch_policy.h"

namespace jscore::engine {

struct PoolOptions {
  int workers = 2;
  size_t queue_capacity = 4096;
  // Jobs one worker keeps in flight while they await promises or timers.
  int max_inflight_per_worker = 256;
  // A worker whose queues just emptied after it ran jobs polls them this long before
  // it sleeps, so that under load the next job needs no wake-up (0: never, the
  // default until a quiet-machine A/B shows a gain, bench/FINDINGS.md; at most 1 ms).
  // An idle worker never spins (engine/README.md invariant 32).
  absl::Duration spin_before_sleep = absl::ZeroDuration();
  // Contexts each worker keeps built while idle, so bursts skip context creation.
  int prebuilt_contexts = 4;
  size_t heap_limit_mb = 256;
  // Bytes of ArrayBuffer backing stores per isolate.
  size_t array_buffer_limit_mb = 256;
  size_t max_result_bytes = 4 << 20;
  int max_result_depth = 100;
  int max_timers_per_job = 10000;
  size_t max_console_lines = 1000;
  size_t max_console_bytes = 64 << 10;
  size_t max_programs = 1000;
  // Program contexts each worker keeps (LRU), by count and by approximate heap bytes.
  size_t program_contexts_per_worker = 64;
  size_t program_context_memory_mb = 256;
  size_t max_sessions = 10000;
  // Heap one worker's sessions may hold, by their measured estimates (0: half of
  // heap_limit_mb); CreateSession past it is RESOURCE_EXHAUSTED.
  size_t session_memory_mb = 0;
  // Jobs one session holds waiting behind its running job; past it, RESOURCE_EXHAUSTED.
  size_t max_waiting_per_session = 64;
  absl::Duration default_session_ttl = absl::Minutes(10);
  // Replace a worker's isolate every N jobs (0: never; heap-limit events always do).
  uint64_t recycle_after_jobs = 0;
  // A job still running synchronously this long past its deadline (inside a V8
  // builtin that ignores termination, e.g. new Array(2**26).fill(1)) retires its
  // worker's thread: a new thread takes its place (Worker::Retire).
  absl::Duration retire_after_overrun = absl::Seconds(3);
  // At Shutdown, how long after the grace the workers may take to end; a thread
  // still inside JavaScript then is left behind (Worker::JoinUntil).
  absl::Duration stop_margin = absl::Seconds(2);
  // fetch and XMLHttpRequest: they exist only when fetch.allowlist names hosts.
  FetchOptions fetch;
};

}  // namespace jscore::engine

#endif  // JSCORE_ENGINE_POOL_OPTIONS_H_
