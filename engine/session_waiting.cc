// A session's waiting list: jobs that arrived while the session's previous job was
// still in flight. Bounded (PoolOptions::max_waiting_per_session), and reached by
// deadlines (a libuv timer while the worker is free, the watchdog's
// Worker::AnswerOverdue while it runs JavaScript) and by cancellation.
#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/internal/worker_impl.h"

namespace jscore::engine {

namespace {

absl::Status WaitedPastDeadline() {
  return absl::DeadlineExceededError(
      "the deadline passed while the job waited for its session (its previous job, or "
      "its worker, was busy)");
}

absl::Status CancelledWhileWaiting() { return absl::CancelledError("cancelled by the client"); }

}  // namespace

void Worker::Impl::WaitForSession(Session* session, std::shared_ptr<Job> job) {
  if (job->cancel_requested()) return Drop(job, CancelledWhileWaiting());
  absl::Time now = absl::Now();
  if (job->deadline() <= now) {
    timeouts.fetch_add(1, std::memory_order_relaxed);
    return Drop(job, WaitedPastDeadline());
  }
  if (session->waiting.size() >= options.max_waiting_per_session) {
    return Drop(job, absl::ResourceExhaustedError(absl::StrCat(
                         "session ", session->id, " already has ", session->waiting.size(),
                         " jobs waiting behind its running job (--max_waiting_per_session); "
                         "retry later")));
  }
  // Pool::Cancel reaches a job through the worker it names (Worker::Interrupt then
  // asks this thread to scan for cancelled jobs).
  job->running_on_.store(index, std::memory_order_seq_cst);
  {
    absl::MutexLock lock(&parked_mu);
    waiting_jobs.push_back(job);
  }
  absl::Time deadline = job->deadline();
  session->waiting.push_back(std::move(job));
  ArmWaitingTimer(deadline);
}

void Worker::ListPinned(const std::shared_ptr<Job>& job) {
  std::shared_ptr<Impl> impl = Current();
  absl::MutexLock lock(&impl->parked_mu);
  impl->waiting_jobs.push_back(job);
}

void Worker::UnlistPinned(const Job* job) { Current()->UnlistWaiting(job); }

void Worker::Impl::UnlistWaiting(const Job* job) {
  absl::MutexLock lock(&parked_mu);
  auto it = std::find_if(waiting_jobs.begin(), waiting_jobs.end(),
                         [job](const std::shared_ptr<Job>& j) { return j.get() == job; });
  if (it != waiting_jobs.end()) {
    *it = std::move(waiting_jobs.back());
    waiting_jobs.pop_back();
  }
}

void Worker::Impl::DropWaiting(Session* session, const absl::Status& why) {
  for (auto& waiting : session->waiting) {
    UnlistWaiting(waiting.get());
    Drop(waiting, why);
  }
  session->waiting.clear();
}

void Worker::Impl::ArmWaitingTimer(absl::Time deadline) {
  if (stopping || deadline >= waiting_timer_due) return;
  waiting_timer_due = deadline;
  int64_t ms = std::max<int64_t>(
      0, absl::ToInt64Milliseconds(absl::Ceil(deadline - absl::Now(), absl::Milliseconds(1))));
  uv_timer_start(
      &waiting_timer, [](uv_timer_t* handle) { static_cast<Impl*>(handle->data)->SweepWaiting(); },
      static_cast<uint64_t>(ms), 0);
}

void Worker::Impl::SweepWaiting() {
  waiting_timer_due = absl::InfiniteFuture();
  absl::Time now = absl::Now();
  absl::Time next = absl::InfiniteFuture();
  for (auto& [id, session] : sessions) {
    auto& list = session->waiting;
    for (auto it = list.begin(); it != list.end();) {
      std::shared_ptr<Job> job = *it;
      bool cancelled = job->cancel_requested();
      if (!cancelled && job->deadline() > now) {
        next = std::min(next, job->deadline());
        ++it;
        continue;
      }
      it = list.erase(it);
      UnlistWaiting(job.get());
      job->running_on_.store(-1, std::memory_order_seq_cst);
      if (!cancelled) timeouts.fetch_add(1, std::memory_order_relaxed);
      Drop(job, cancelled ? CancelledWhileWaiting() : WaitedPastDeadline());
    }
  }
  if (next != absl::InfiniteFuture()) ArmWaitingTimer(next);
}

void Worker::AnswerOverdueWaiting(absl::Time now) {
  std::shared_ptr<Impl> impl = Current();
  std::vector<std::shared_ptr<Job>> answer;
  {
    absl::MutexLock lock(&impl->parked_mu);
    for (const auto& job : impl->waiting_jobs) {
      if (job->cancel_requested() || job->deadline() + kLateAnswer <= now) answer.push_back(job);
    }
  }
  for (const auto& job : answer) {
    Job::Completion done = job->TakeCompletion();
    if (!done) continue;
    Outcome outcome =
        Outcome::Failed(job->cancel_requested() ? CancelledWhileWaiting() : WaitedPastDeadline());
    outcome.stats.queue_wait = now - job->enqueued_at_;
    outcome.stats.worker = impl->index;
    done(std::move(outcome));
  }
}

}  // namespace jscore::engine
