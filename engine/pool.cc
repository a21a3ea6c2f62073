#include "engine/pool.h"

#include <cstdio>
#include <thread>
#include <utility>
#include <variant>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "engine/internal/fifo_job_queue.h"
#include "engine/internal/job_queue.h"
#include "engine/internal/program_cache.h"
#include "engine/internal/session_table.h"
#include "engine/watchdog.h"
#include "engine/worker.h"

namespace jscore::engine {

namespace {
// The least a session is counted for: an empty context's heap on V8 10.2 (about
// 150 KB measured; a session that took a pre-built context shows no growth).
constexpr size_t kSessionFloorBytes = 160 << 10;
}  // namespace

absl::StatusOr<std::unique_ptr<Pool>> Pool::Create(Platform& platform, const PoolOptions& options) {
  if (options.workers < 1 || options.workers > 1024) {
    return absl::InvalidArgumentError("workers must be between 1 and 1024");
  }
  if (options.queue_capacity < 1) return absl::InvalidArgumentError("queue capacity must be > 0");
  if (options.max_inflight_per_worker < 1) {
    return absl::InvalidArgumentError("max in-flight jobs per worker must be > 0");
  }
  if (options.heap_limit_mb < 16) return absl::InvalidArgumentError("heap limit must be >= 16 MB");
  if (options.session_memory_mb >= options.heap_limit_mb) {
    return absl::InvalidArgumentError("the sessions' heap budget must be below the heap limit");
  }
  if (options.fetch.max_in_flight < 1) {
    return absl::InvalidArgumentError("fetch transfers in flight must be > 0");
  }
  auto pool = std::unique_ptr<Pool>(new Pool(platform, options));
  for (auto& worker : pool->workers_) {
    absl::Status status = worker->Start();
    if (!status.ok()) {
      pool->Shutdown(absl::ZeroDuration());
      return status;
    }
  }
  return pool;
}

Pool::Pool(Platform& platform, const PoolOptions& options)
    : platform_(platform),
      options_(options),
      queue_(std::make_unique<internal::JobQueue>(options.queue_capacity)),
      programs_(std::make_unique<ProgramCache>(options.max_programs)),
      sessions_(std::make_unique<SessionTable>(
          options.max_sessions, options.workers,
          (options.session_memory_mb > 0 ? options.session_memory_mb : options.heap_limit_mb / 2)
              << 20,
          kSessionFloorBytes)) {
  watchdog_ = std::make_unique<Watchdog>(
      options.workers,
      [this](int slot, uint64_t token, absl::Duration overrun) { OnOverrun(slot, token, overrun); },
      [this] {
        // The watchdog's thread starts before workers_ is filled: nothing to scan yet.
        if (!constructed_.load(std::memory_order_acquire)) return;
        ReapExpiredQueuedJobs();
        AnswerOverdueParkedJobs();
      });
  for (int i = 0; i < options.workers; ++i) {
    worker_queues_.push_back(std::make_unique<internal::FifoJobQueue>(options.queue_capacity));
    WorkerShared shared{*queue_,    *worker_queues_.back(), *watchdog_, *programs_,
                        *sessions_, fetch_transfers_};
    workers_.push_back(std::make_unique<Worker>(i, platform_, shared, options_));
  }
  constructed_.store(true, std::memory_order_release);
}

Pool::~Pool() {
  Shutdown(absl::ZeroDuration());
  workers_.clear();
}

absl::Status Pool::Submit(std::shared_ptr<Job> job) {
  submitting_.fetch_add(1, std::memory_order_seq_cst);
  if (!admitting_.load(std::memory_order_seq_cst)) {
    submitting_.fetch_sub(1, std::memory_order_seq_cst);
    return absl::UnavailableError("the server is shutting down");
  }
  job->id_ = next_job_id_.fetch_add(1, std::memory_order_relaxed);
  job->enqueued_at_ = absl::Now();
  absl::StatusOr<int> routed = Route(job);
  if (!routed.ok()) {
    submitting_.fetch_sub(1, std::memory_order_seq_cst);
    return routed.status();
  }
  const int worker = *routed;
  if (worker >= 0) workers_[worker]->ListPinned(job);  // deadlines reach it while queued
  bool pushed = worker < 0 ? queue_->TryPush(job) : worker_queues_[worker]->TryPush(job);
  if (!pushed) {
    if (worker >= 0) workers_[worker]->UnlistPinned(job.get());
    submitting_.fetch_sub(1, std::memory_order_seq_cst);
    rejected_.fetch_add(1, std::memory_order_relaxed);
    if (job->spec_.kind() == JobKind::kCreateSession) {
      sessions_->Remove(job->spec_.session(), "never created (queue full)");
    }
    return absl::ResourceExhaustedError(absl::StrCat(
        "the job queue is full (", options_.queue_capacity, " jobs waiting); retry later"));
  }
  std::atomic_thread_fence(std::memory_order_seq_cst);
  if (worker < 0) {
    WakeOneIdleWorker();
  } else {
    workers_[worker]->WakeIfIdle();  // if busy, it looks at its queue before it sleeps
  }
  submitting_.fetch_sub(1, std::memory_order_seq_cst);
  return absl::OkStatus();
}

// Decides where a job goes: the shared queue, or the worker that owns its session.
// Checks what can be checked before queueing.
absl::StatusOr<int> Pool::Route(const std::shared_ptr<Job>& job) {
  JobSpec& spec = job->spec_;
  // Another caller's program is answered as not loaded: it does not exist for this one.
  // The program found goes to the worker with the job: it looks it up no more while
  // nothing was unloaded since (the generation is read first, so an unload after it
  // shows in a newer one).
  auto require_program = [this, &job, &spec](const std::string& id) -> absl::Status {
    job->program_generation_ = programs_->generation();
    std::shared_ptr<const Program> program = programs_->Get(id);
    if (program == nullptr || program->owner != spec.owner) return ProgramNotLoadedError(id);
    job->program_ = std::move(program);
    return absl::OkStatus();
  };
  if (std::holds_alternative<LoadProgramSpec>(spec.what)) return kSharedQueue;
  if (auto* create = std::get_if<CreateSessionSpec>(&spec.what)) {
    if (!create->program.empty()) RETURN_IF_ERROR(require_program(create->program));
    ASSIGN_OR_RETURN(auto created, sessions_->Create(spec.owner));
    create->session = created.first;
    return created.second;
  }
  if (!spec.session().empty()) return sessions_->Find(spec.session(), spec.owner);
  if (const auto* call = std::get_if<CallSpec>(&spec.what)) {
    RETURN_IF_ERROR(require_program(call->program));
    return kSharedQueue;
  }
  if (spec.kind() == JobKind::kDeleteSession) return absl::InvalidArgumentError("no session named");
  return kSharedQueue;
}

bool Pool::UnloadProgram(const std::string& id, const std::string& owner) {
  std::shared_ptr<const Program> program = programs_->Get(id);
  if (program == nullptr || program->owner != owner) return false;
  return programs_->Erase(id);
}

void Pool::WakeOneIdleWorker() {
  size_t n = workers_.size();
  size_t start = wake_cursor_.fetch_add(1, std::memory_order_relaxed);
  for (size_t i = 0; i < n; ++i) {
    if (workers_[(start + i) % n]->WakeIfIdle()) return;
  }
  // Every worker is busy; each looks at the queue again before it goes idle.
}

void Pool::AnswerOverdueParkedJobs() {
  absl::MutexLock lock(&reap_mu_);  // Shutdown waits for a scan under way
  if (!admitting_.load(std::memory_order_seq_cst)) return;
  absl::Time now = absl::Now();
  for (auto& w : workers_) {
    w->AnswerOverdue(now);
    w->AnswerOverdueWaiting(now);
  }
}

void Pool::ReapExpiredQueuedJobs() {
  absl::MutexLock lock(&reap_mu_);  // Shutdown waits for a reap under way
  if (!admitting_.load(std::memory_order_seq_cst)) return;
  absl::Time now = absl::Now();
  if (now - last_reap_ < absl::Milliseconds(20) || queue_->size() == 0) return;
  last_reap_ = now;
  for (auto& w : workers_) {
    if (w->WouldTakeWork()) return;  // an idle worker will get to the queue first
  }
  // Every job taken out is ours alone until it is put back: no worker can see it.
  std::vector<std::shared_ptr<Job>> keep;
  std::shared_ptr<Job> job;
  size_t budget = queue_->size();
  while (budget-- > 0 && queue_->TryPop(job)) {
    if (job->deadline_ > now) {
      keep.push_back(std::move(job));
      continue;
    }
    reaped_.fetch_add(1, std::memory_order_relaxed);
    Outcome outcome = Outcome::Failed(absl::DeadlineExceededError(
        "the deadline passed while the job waited in the queue (every worker was busy)"));
    outcome.stats.queue_wait = now - job->enqueued_at_;
    Job::Completion done = job->TakeCompletion();
    if (done) done(std::move(outcome));
  }
  if (keep.empty()) return;
  for (auto& kept : keep) queue_->PushBack(std::move(kept));
  // A worker may have gone idle while these were out of the queue: wake one, or they
  // would wait for the next submission.
  std::atomic_thread_fence(std::memory_order_seq_cst);
  WakeOneIdleWorker();
}

void Pool::OnOverrun(int slot, uint64_t token, absl::Duration overrun) {
  Worker& worker = *workers_[slot];
  if (overrun < options_.retire_after_overrun) {
    return worker.Interrupt(token, InterruptReason::kDeadline);
  }
  absl::MutexLock lock(&retire_mu_);
  if (stopping_workers_) return worker.Interrupt(token, InterruptReason::kDeadline);
  absl::StatusOr<bool> retired = worker.Retire(token);
  if (!retired.ok()) {
    std::fprintf(stderr, "jscore: worker %d could not be replaced: %s\n", slot,
                 retired.status().ToString().c_str());
    worker.Interrupt(token, InterruptReason::kDeadline);
  }
}

void Pool::Cancel(const std::shared_ptr<Job>& job) {
  job->cancel_requested_.store(true, std::memory_order_seq_cst);
  int worker = job->running_on_.load(std::memory_order_seq_cst);
  if (worker >= 0 && !shut_down_workers_.load(std::memory_order_acquire)) {
    workers_[worker]->Interrupt(job->id_, InterruptReason::kCancelled);
  }
}

void Pool::Shutdown(absl::Duration grace) {
  if (shut_down_) return;
  shut_down_ = true;
  admitting_.store(false, std::memory_order_seq_cst);
  { absl::MutexLock lock(&reap_mu_); }  // no reap holds jobs out of the queue past here
  while (submitting_.load(std::memory_order_seq_cst) > 0) std::this_thread::yield();
  absl::Time deadline = absl::Now() + grace;
  auto busy = [this] {
    if (queue_->size() > 0) return true;
    for (auto& q : worker_queues_) {
      if (q->size() > 0) return true;
    }
    for (auto& w : workers_) {
      if (w->InFlight() > 0) return true;
    }
    return false;
  };
  while (busy() && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(5));
  {
    absl::MutexLock lock(&retire_mu_);  // a retirement under way ends first
    stopping_workers_ = true;
  }
  for (auto& w : workers_) w->Stop();
  // Bounded: a thread stuck in a builtin that ignores termination is left behind
  // (its jobs answered), so shutdown ends within grace + stop_margin.
  absl::Time join_by = absl::Now() + options_.stop_margin;
  for (auto& w : workers_) w->JoinUntil(join_by);
  shut_down_workers_.store(true, std::memory_order_release);
  watchdog_.reset();
  // Whatever a left-behind worker could not drain.
  absl::Status closing = absl::UnavailableError("the server is shutting down");
  std::shared_ptr<Job> job;
  auto drop = [&closing](const std::shared_ptr<Job>& dropped) {
    Job::Completion done = dropped->TakeCompletion();
    if (done) done(Outcome::Failed(closing));
  };
  while (queue_->TryPop(job)) drop(job);
  for (auto& q : worker_queues_) {
    while (q->TryPop(job)) drop(job);
  }
}

std::shared_ptr<const Program> Pool::ProgramForTest(const std::string& id) const {
  return programs_->Get(id);
}

PoolStats Pool::Stats() const {
  PoolStats stats;
  stats.queue_depth = queue_->size();
  stats.queue_capacity = queue_->capacity();
  stats.jobs_rejected = rejected_.load(std::memory_order_relaxed);
  stats.timeouts = reaped_.load(std::memory_order_relaxed);
  stats.programs = programs_->size();
  stats.sessions = sessions_->size();
  for (const auto& w : workers_) {
    stats.workers.push_back(w->Stats());
    stats.jobs_completed += stats.workers.back().jobs_completed;
    stats.timeouts += stats.workers.back().timeouts;
  }
  return stats;
}

}  // namespace jscore::engine
