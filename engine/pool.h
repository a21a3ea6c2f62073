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
#include "engine/job.h"
#include "engine/platform.h"
#include "engine/pool_options.h"
#include "engine/stats.h"

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
  // Where `job` goes: kSharedQueue, or the index of the worker that owns its session.
  static constexpr int kSharedQueue = -1;
  absl::StatusOr<int> Route(const std::shared_ptr<Job>& job);
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
