// Worker: one thread that owns one V8 isolate and one libuv loop, and runs jobs.
#ifndef JSCORE_ENGINE_WORKER_H_
#define JSCORE_ENGINE_WORKER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
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
class Watchdog;

class ProgramCache;
class SessionTable;

// What the Pool shares with every worker; all of it outlives the workers.
struct WorkerShared {
  internal::JobQueue& shared_queue;
  internal::FifoJobQueue& own_queue;  // this worker's pinned jobs (sessions)
  Watchdog& watchdog;
  ProgramCache& programs;
  SessionTable& sessions;
  // HTTP transfers in flight across the pool (FetchOptions::max_in_flight).
  std::atomic<int>& fetch_transfers;
};

// Why a running job is being stopped: from outside its thread, or (kHook) by the
// script itself through $terminate.
enum class InterruptReason { kDeadline, kCancelled, kShutdown, kHook };

// Owned by the Pool. Everything V8 and libuv is created, used and destroyed on the
// worker's own thread (see engine/README.md, "Worker lifecycle"). The methods below
// are the only ones other threads call. What `shared` names, and the platform,
// must outlive the worker.
class Worker {
 public:
  Worker(int index, Platform& platform, const WorkerShared& shared, const PoolOptions& options);
  ~Worker();  // joins the thread (Stop must have been called)
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Owner thread: starts the thread and waits until its isolate is ready.
  absl::Status Start();

  // Any thread: wakes the worker if it is idle with spare capacity. Returns false
  // when it is busy (it will look at its queues again when it is done); true, with no
  // wake-up sent, when it is spinning (engine/README.md invariant 32).
  bool WakeIfIdle();

  // Any thread (watchdog, cancellation): stops the job `job_id` if this worker is
  // still running it; a parked job is failed by the worker's loop.
  void Interrupt(uint64_t job_id, InterruptReason reason);

  // Any thread: fail the jobs this worker holds and those left in the shared queue
  // with UNAVAILABLE, tear down, and let the thread end. The Pool calls it after
  // its grace period.
  void Stop();
  void Join();
  // Owner thread, after Stop: waits until `deadline` for the thread to end. A thread
  // still inside JavaScript then (a V8 builtin that ignores termination) is left to
  // finish on its own, like a retired one (see Retire), and its jobs are answered
  // UNAVAILABLE; returns false in that case.
  bool JoinUntil(absl::Time deadline);

  // Watchdog thread: the last resort for code that ignores termination. `job_id` has
  // overrun its deadline by PoolOptions::retire_after_overrun and is still running:
  // the worker's current thread is retired. Its jobs are answered (that job
  // DEADLINE_EXCEEDED, the others UNAVAILABLE), its sessions are forgotten (NOT_FOUND,
  // saying why), and a new thread with a fresh isolate takes its place and its queue.
  // The old thread finishes on its own: when V8 returns it disposes its isolate and
  // ends, touching nothing but its own state (never the pool, the queues or a job's
  // completion), and nobody joins it. Returns false, doing nothing, when the job is no
  // longer running; an error when no new thread could start (the old one stays).
  absl::StatusOr<bool> Retire(uint64_t job_id);

  // Any thread: true when the worker is idle with spare capacity (it would take a
  // queued job at once).
  bool WouldTakeWork() const;

  // Watchdog thread: answers DEADLINE_EXCEEDED for the parked jobs (awaiting a
  // promise, a timer, a fetch) whose deadline passed `kLateAnswer` ago: the worker
  // would have answered them itself by then unless it is running another job's
  // JavaScript, which may last up to that job's own deadline. The worker stops and
  // frees them later, answering nothing more.
  void AnswerOverdue(absl::Time now);
  static constexpr absl::Duration kLateAnswer = absl::Milliseconds(25);
  // Watchdog thread: the same for session jobs waiting for their session (in this
  // worker's queue, or behind the session's running job): DEADLINE_EXCEEDED, and
  // CANCELLED for those cancelled meanwhile. Such a job never starts afterwards.
  void AnswerOverdueWaiting(absl::Time now);
  // Any thread (Pool::Submit), before the job is pushed on this worker's queue: lists
  // it for AnswerOverdueWaiting until it starts.
  void ListPinned(const std::shared_ptr<Job>& job);
  void UnlistPinned(const Job* job);  // it could not be pushed after all

  // Any thread: jobs this worker holds (running or parked).
  uint32_t InFlight() const;
  WorkerStatsSnapshot Stats() const;

  struct Impl;  // engine/internal/worker_impl.h

 private:
  // The current thread's state. Replaced (atomically) only by Retire; a retired
  // Impl lives on while its thread or a caller still holds it.
  std::shared_ptr<Impl> Current() const { return std::atomic_load(&impl_); }
  // Answers a job a retired thread held (it no longer can), unless already answered.
  static void Answer(const std::shared_ptr<Job>& job, absl::Status status, int worker);

  std::shared_ptr<Impl> impl_;
  std::atomic<uint32_t> retirements_{0};
};

}  // namespace jscore::engine

#endif  // JSCORE_ENGINE_WORKER_H_
