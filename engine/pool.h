// Pool: the engine's front door. Owns the workers, the shared job queue and the
// watchdog.
#ifndef JSCORE_ENGINE_POOL_H_
#define JSCORE_ENGINE_POOL_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "engine/fetch_policy.h"
#include "engine/job.h"
#include "engine/platform.h"

namespace jscore::engine {

namespace internal {
class FifoJobQueue;
class JobQueue;
}  // namespace internal
class ProgramCache;
struct Program;
class SessionTable;
class Watchdog;
class Worker;

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

// Created on the main thread after the Platform (which must outlive it). Submit,
// Cancel and Stats may be called from any thread. Shutdown (or the destructor) runs
// on the thread that owns the Pool; after it every submitted job has completed.
class Pool {
 public:
  static absl::StatusOr<std::unique_ptr<Pool>> Create(Platform& platform,
                                                      const PoolOptions& options);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // Queues the job: session jobs on their worker's queue, the rest on the shared one.
  // Fails at once (and the job's completion never runs) with RESOURCE_EXHAUSTED when
  // the queue is full or --max_sessions are open, NOT_FOUND for an unknown session,
  // FAILED_PRECONDITION (message starting "program not loaded") for a program this
  // pool does not hold, UNAVAILABLE after Shutdown began.
  absl::Status Submit(std::shared_ptr<Job> job);

  // Any thread: forgets a program of `owner` (JobSpec::owner); workers drop its
  // contexts. False if unknown or another caller's.
  bool UnloadProgram(const std::string& id, const std::string& owner = "");

  // Drops the job if still queued, terminates it if running; its completion then
  // reports CANCELLED. Harmless after completion.
  void Cancel(const std::shared_ptr<Job>& job);

  // Stops admitting, lets queued and running jobs finish for up to `grace`, then
  // fails what is left with UNAVAILABLE and joins the workers.
  void Shutdown(absl::Duration grace);

  PoolStats Stats() const;
  const PoolOptions& options() const { return options_; }
  // Any thread: the loaded program `id` (null if unknown), to inspect its code caches.
  std::shared_ptr<const Program> ProgramForTest(const std::string& id) const;

 private:
  Pool(Platform& platform, const PoolOptions& options);
  void WakeOneIdleWorker();
  // Watchdog thread: fails queued jobs whose deadline passed while every worker is
  // busy, instead of leaving their callers waiting until a worker frees up.
  void ReapExpiredQueuedJobs();
  // Watchdog thread: answers parked jobs whose workers are too busy to
  // (Worker::AnswerOverdue).
  void AnswerOverdueParkedJobs();
  absl::Status Route(const std::shared_ptr<Job>& job, int* worker);
  // Watchdog thread: the deadline of `token`, running on `slot`, passed `overrun` ago.
  void OnOverrun(int slot, uint64_t token, absl::Duration overrun);

  Platform& platform_;
  const PoolOptions options_;
  std::unique_ptr<internal::JobQueue> queue_;
  std::vector<std::unique_ptr<internal::FifoJobQueue>> worker_queues_;
  std::unique_ptr<ProgramCache> programs_;
  std::unique_ptr<SessionTable> sessions_;
  std::unique_ptr<Watchdog> watchdog_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::atomic<int> fetch_transfers_{0};  // every worker's, against fetch.max_in_flight
  std::atomic<bool> admitting_{true};
  std::atomic<bool> constructed_{false};  // workers_ is complete (the watchdog may scan it)
  std::atomic<uint64_t> next_job_id_{1};
  std::atomic<uint64_t> rejected_{0};
  std::atomic<uint64_t> reaped_{0};
  absl::Mutex reap_mu_;
  absl::Time last_reap_ ABSL_GUARDED_BY(reap_mu_) = absl::InfinitePast();
  std::atomic<unsigned> wake_cursor_{0};
  std::atomic<int> submitting_{0};  // Submit calls under way (Shutdown waits them out)
  std::atomic<bool> shut_down_workers_{false};
  // Retire (watchdog thread) and Shutdown's stop of the workers exclude each other.
  absl::Mutex retire_mu_;
  bool stopping_workers_ ABSL_GUARDED_BY(retire_mu_) = false;
  bool shut_down_ = false;  // owner thread only
};

}  // namespace jscore::engine

#endif  // JSCORE_ENGINE_POOL_H_
