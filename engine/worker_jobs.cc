// RunJob: how a job taken from a queue starts on its worker (answered already,
// waiting for its session, cancelled or late while queued), then its kind's runner
// (runners::StartJob: evaluate_runner.h, call_runner.h, program_runner.h,
// session_runner.h); and what the runners share: a fresh context, the dropping of
// unloaded programs' contexts. What follows the start (awaiting, converting,
// completing) is in job_run.cc. Worker thread only.
#include <memory>
#include <string>
#include <utility>
#include <variant>

#include "engine/internal/worker_impl.h"
#include "engine/runners/call_runner.h"
#include "engine/runners/evaluate_runner.h"
#include "engine/runners/program_runner.h"
#include "engine/runners/session_runner.h"

namespace jscore::engine {

void Worker::Impl::RunJob(std::shared_ptr<Job> job) {
  JSCORE_DCHECK_ON_WORKER_THREAD();
  const JobSpec& spec = job->spec();
  // A pinned (session) job is listed from Submit until it starts (or waits again).
  UnlistWaiting(job.get());
  if (job->Answered()) {  // its deadline passed, or it was cancelled, while it waited
    if (spec.kind() == JobKind::kCreateSession) {
      session_table.Remove(spec.session(), "never created (answered before it started)");
    }
    return;
  }
  // A session runs one job at a time, in arrival order.
  internal::Session* session = nullptr;
  if (!spec.session().empty() && spec.kind() != JobKind::kCreateSession) {
    session = sessions.Find(spec.session());
    if (session == nullptr) {
      absl::StatusOr<int> owner = session_table.Find(spec.session());
      return Drop(job, owner.ok() ? absl::NotFoundError("unknown session " + spec.session())
                                  : owner.status());
    }
    if (session->busy) return WaitForSession(session, std::move(job));
    session->busy = true;
  }

  job->running_on_.store(index, std::memory_order_seq_cst);
  inflight.fetch_add(1, std::memory_order_relaxed);
  {
    absl::MutexLock lock(&parked_mu);
    held_jobs.push_back(job);
  }
  auto owned = std::make_unique<JobRun>(*this, std::move(job));
  JobRun* run = owned.get();
  runs.emplace(run, std::move(owned));
  run->session = session;
  run->started = absl::Now();
  jobs_on_isolate++;

  const Job& j = *run->job;
  if (j.cancel_requested()) {
    return Complete(run, Outcome::Failed(absl::CancelledError("cancelled by the client")));
  }
  if (run->started >= j.deadline()) {
    timeouts.fetch_add(1, std::memory_order_relaxed);
    return Complete(run, Outcome::Failed(absl::DeadlineExceededError(
                             "the deadline passed while the job waited in the queue")));
  }
  std::visit([this, run](const auto& kind_spec) { runners::StartJob(*this, run, kind_spec); },
             run->job->spec().what);
}

bool Worker::Impl::AcquireFreshContext(JobRun& run, Environment environment) {
  v8::HandleScope handles(isolate);
  v8::Local<v8::Context> context;
  const ContextSettings* settings = run.job->spec().settings();
  if (NeedsOwnContext(settings)) {
    ContextOptions context_options;
    context_options.probe = settings->probe;
    if (!NewContext(environment, &run.microtasks, context_options).ToLocal(&context)) return false;
  } else if (environment == Environment::kStandard && !prebuilt.empty()) {
    Prebuilt p = std::move(prebuilt.back());
    prebuilt.pop_back();
    prebuilt_count.store(prebuilt.size(), std::memory_order_relaxed);
    context = p.context.Get(isolate);
    run.microtasks = p.microtasks;
  } else if (!NewContext(environment, &run.microtasks).ToLocal(&context)) {
    return false;
  }
  internal::ContextHost::Attach(context, &run);
  run.context.Reset(isolate, context);
  return true;
}

void Worker::Impl::DropUnloadedPrograms() {
  programs_generation = programs.generation();
  program_contexts.DropUnloaded(
      programs_generation, [this](const std::string& id) { return programs.Get(id) != nullptr; });
}

}  // namespace jscore::engine
