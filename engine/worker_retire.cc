// The last resort for code that ignores termination: retiring a worker's thread
// (Worker::Retire) and leaving one behind at shutdown (Worker::JoinUntil).
//
// What a retired thread may touch: only its own Worker::Impl (which it holds until
// it ends) and the platform's Impl. The handover is decided under its interrupt_mu
// while it is provably inside a section: EndSection takes that mutex first, sees
// `retired`, and from then on the thread answers no job (Complete and Drop skip the
// completion), arms no watchdog slot, takes nothing from the pool's queues, calls
// nothing of the SessionTable or the ProgramCache, and gives back no fetch count (its
// retirer took the count over). It ends at its next wake-up: StopOnThread frees its
// runs, disposes its isolate and closes its handles; the last holder of the Impl
// closes its loop.
#include <cstdio>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/internal/worker_impl.h"

namespace jscore::engine {

void Worker::Answer(const std::shared_ptr<Job>& job, absl::Status status, int worker) {
  Job::Completion done = job->TakeCompletion();
  if (!done) return;
  Outcome outcome = Outcome::Failed(std::move(status));
  outcome.stats.worker = worker;
  done(std::move(outcome));
}

std::optional<std::vector<std::shared_ptr<Job>>> Worker::Impl::MarkRetired(uint64_t job_id) {
  absl::MutexLock lock(&interrupt_mu);
  if (retired || running_job == 0 || running_isolate == nullptr) return std::nullopt;
  if (job_id != 0 && running_job != job_id) return std::nullopt;
  retired = true;
  interrupted = true;
  interrupt_reason = InterruptReason::kDeadline;
  stop_section.store(true, std::memory_order_relaxed);
  running_isolate->TerminateExecution();  // in case V8 does look, after all
  // Taken while the thread cannot leave its section (it needs interrupt_mu first), so
  // no job leaves these lists unanswered: from EndSection on it answers none.
  absl::MutexLock parked_lock(&parked_mu);
  std::vector<std::shared_ptr<Job>> jobs = held_jobs;
  jobs.insert(jobs.end(), waiting_jobs.begin(), waiting_jobs.end());
  return jobs;
}

absl::StatusOr<bool> Worker::Retire(uint64_t job_id) {
  std::shared_ptr<Impl> old = Current();
  std::optional<std::vector<std::shared_ptr<Job>>> jobs = old->MarkRetired(job_id);
  if (!jobs) return false;
  retirements_.fetch_add(1, std::memory_order_relaxed);  // counted before any answer
  const int index = old->index;
  old->watchdog.DisarmIfToken(index, job_id);
  old->fetch_transfers.fetch_sub(old->http_counted.exchange(0), std::memory_order_relaxed);
  std::string why = absl::StrCat("worker ", index, " was replaced: a job ran ",
                                 absl::FormatDuration(old->options.retire_after_overrun),
                                 " past its deadline inside a builtin that cannot be interrupted");
  for (const auto& job : *jobs) {
    if (job->id_ == job_id) {
      Answer(job,
             absl::DeadlineExceededError(
                 "the script overran its deadline inside a builtin that ignores termination "
                 "(e.g. a huge Array.prototype.fill); its worker was replaced"),
             index);
    } else {
      Answer(job, absl::UnavailableError(absl::StrCat("the ", why, "; retry")), index);
    }
  }
  old->session_table.RemoveWorker(index, why);

  auto fresh = std::make_shared<Impl>(index, old->platform, old->Shared(), old->options);
  absl::Status started = Impl::Launch(fresh);
  old->thread.detach();               // it ends on its own, holding its Impl; nobody joins it
  if (!started.ok()) return started;  // the slot keeps the retired Impl: it takes no job
  std::atomic_store(&impl_, fresh);
  // A job pushed for this slot while the old Impl was current woke nobody: look now.
  WakeIfIdle();
  std::fprintf(stderr, "jscore: %s\n", why.c_str());
  return true;
}

bool Worker::JoinUntil(absl::Time deadline) {
  std::shared_ptr<Impl> impl = Current();
  if (!impl->thread.joinable()) return true;
  if (!impl->exited.WaitForNotificationWithDeadline(deadline)) {
    // Only a thread inside JavaScript is left behind; anything else is teardown,
    // which ends.
    std::optional<std::vector<std::shared_ptr<Job>>> jobs = impl->MarkRetired(0);
    if (jobs) {
      for (const auto& job : *jobs) {
        Answer(job, absl::UnavailableError("the server is shutting down"), impl->index);
      }
      impl->thread.detach();
      std::fprintf(stderr,
                   "jscore: worker %d is still inside a builtin that ignores termination; "
                   "left behind at shutdown\n",
                   impl->index);
      return false;
    }
  }
  impl->thread.join();
  return true;
}

}  // namespace jscore::engine
