#include "engine/pool.h"

#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "engine/internal/job_queue.h"
#include "engine/watchdog.h"
#include "engine/worker.h"

namespace jscore::engine {

absl::StatusOr<std::unique_ptr<Pool>> Pool::Create(Platform& platform, const PoolOptions& options) {
  if (options.workers < 1 || options.workers > 1024) {
    return absl::InvalidArgumentError("workers must be between 1 and 1024");
  }
  if (options.queue_capacity < 1) return absl::InvalidArgumentError("queue capacity must be > 0");
  if (options.max_inflight_per_worker < 1) {
    return absl::InvalidArgumentError("max in-flight jobs per worker must be > 0");
  }
  if (options.heap_limit_mb < 16) return absl::InvalidArgumentError("heap limit must be >= 16 MB");
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
      queue_(std::make_unique<internal::JobQueue>(options.queue_capacity)) {
  watchdog_ = std::make_unique<Watchdog>(options.workers, [this](int slot, uint64_t token) {
    workers_[slot]->Interrupt(token, InterruptReason::kDeadline);
  });
  for (int i = 0; i < options.workers; ++i) {
    workers_.push_back(std::make_unique<Worker>(i, platform_, *queue_, *watchdog_, options_));
  }
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
  if (!queue_->TryPush(job)) {
    submitting_.fetch_sub(1, std::memory_order_seq_cst);
    rejected_.fetch_add(1, std::memory_order_relaxed);
    return absl::ResourceExhaustedError(absl::StrCat(
        "the job queue is full (", queue_->capacity(), " jobs waiting); retry later"));
  }
  std::atomic_thread_fence(std::memory_order_seq_cst);
  WakeOneIdleWorker();
  submitting_.fetch_sub(1, std::memory_order_seq_cst);
  return absl::OkStatus();
}

void Pool::WakeOneIdleWorker() {
  size_t n = workers_.size();
  size_t start = wake_cursor_.fetch_add(1, std::memory_order_relaxed);
  for (size_t i = 0; i < n; ++i) {
    if (workers_[(start + i) % n]->WakeIfIdle()) return;
  }
  // Every worker is busy; each looks at the queue again before it goes idle.
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
  while (submitting_.load(std::memory_order_seq_cst) > 0) std::this_thread::yield();
  absl::Time deadline = absl::Now() + grace;
  auto busy = [this] {
    if (queue_->size() > 0) return true;
    for (auto& w : workers_) {
      if (w->InFlight() > 0) return true;
    }
    return false;
  };
  while (busy() && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(5));
  for (auto& w : workers_) w->Stop();
  for (auto& w : workers_) w->Join();
  shut_down_workers_.store(true, std::memory_order_release);
  watchdog_.reset();
}

PoolStats Pool::Stats() const {
  PoolStats stats;
  stats.queue_depth = queue_->size();
  stats.queue_capacity = queue_->capacity();
  stats.jobs_rejected = rejected_.load(std::memory_order_relaxed);
  for (const auto& w : workers_) {
    stats.workers.push_back(w->Stats());
    stats.jobs_completed += stats.workers.back().jobs_completed;
    stats.timeouts += stats.workers.back().timeouts;
  }
  return stats;
}

}  // namespace jscore::engine
