// A worker's sessions over time (internal::SessionStore holds them): released after
// each job, expired after their idle ttl, lost with their isolate; and their waiting
// lists: jobs that arrived while the session's previous job was still in flight.
// Bounded (PoolOptions::max_waiting_per_session), and reached by deadlines (a libuv
// timer while the worker is free, the watchdog's Worker::AnswerOverdue while it runs
// JavaScript) and by cancellation.
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

void Worker::Impl::WaitForSession(internal::Session* session, std::shared_ptr<Job> job) {
  JSCORE_DCHECK_ON_WORKER_THREAD();
  if (job->cancel_requested()) return Drop(job, CancelledWhileWaiting());
  if (job->deadline() <= sessions.Now()) {
    timeouts.fetch_add(1, std::memory_order_relaxed);
    return Drop(job, WaitedPastDeadline());
  }
  if (session->waiting.size() >= sessions.max_waiting()) {
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
  sessions.Enqueue(*session, std::move(job));  // room checked above
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

void Worker::Impl::DropWaiting(internal::Session* session, const absl::Status& why) {
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
  JSCORE_DCHECK_ON_WORKER_THREAD();
  waiting_timer_due = absl::InfiniteFuture();
  absl::Time next;
  for (const std::shared_ptr<Job>& job : sessions.TakeOverdue(&next)) {
    bool cancelled = job->cancel_requested();
    UnlistWaiting(job.get());
    job->running_on_.store(-1, std::memory_order_seq_cst);
    if (!cancelled) timeouts.fetch_add(1, std::memory_order_relaxed);
    Drop(job, cancelled ? CancelledWhileWaiting() : WaitedPastDeadline());
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

void Worker::Impl::ReleaseSession(JobRun* run) {
  internal::Session* session = run->session;
  run->session = nullptr;
  // What the job's sections left in the heap stays with the session.
  std::shared_ptr<Job> next = sessions.Release(*session, run->heap_growth);
  if (!retired_seen) session_table.SetBytes(session->id, session->bytes);
  // Still listed in waiting_jobs until RunJob starts it (Worker::Retire answers it).
  if (next != nullptr) released.push_back(std::move(next));
}

void Worker::Impl::ArmSessionTimer(absl::Duration ttl) {
  absl::Time due = sessions.Now() + ttl;
  if (due >= session_timer_due) return;
  session_timer_due = due;
  uint64_t ms = static_cast<uint64_t>(std::max<int64_t>(0, absl::ToInt64Milliseconds(ttl))) + 1;
  uv_timer_start(
      &session_timer,
      [](uv_timer_t* handle) { static_cast<Impl*>(handle->data)->ExpireSessions(); }, ms, 0);
}

void Worker::Impl::ExpireSessions() {
  JSCORE_DCHECK_ON_WORKER_THREAD();
  session_timer_due = absl::InfiniteFuture();
  absl::Duration next;
  for (const std::string& id : sessions.Expire(&next)) {
    if (!retired_seen) session_table.Remove(id, "expired after its idle ttl");
  }
  if (next != absl::InfiniteDuration()) ArmSessionTimer(next);
}

void Worker::Impl::LoseAllSessions(const std::string& why) {
  for (std::unique_ptr<internal::Session>& session : sessions.TakeAll()) {
    DropWaiting(session.get(),
                absl::NotFoundError(absl::StrCat("session ", session->id, " is gone: ", why)));
    if (!retired_seen) session_table.Remove(session->id, why);
  }
}

}  // namespace jscore::engine
