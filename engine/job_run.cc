// Running one job's JavaScript on its worker: context, script, timers, awaiting,
// conversion of the result, and completion. All on the worker thread.
#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/extensions/hooks/hooks.h"
#include "engine/internal/js_error.h"
#include "engine/internal/platform_impl.h"
#include "engine/internal/section.h"
#include "engine/internal/value_codec.h"
#include "engine/internal/worker_impl.h"

namespace jscore::engine {

using internal::JsScope;

namespace {

Outcome ErrorOutcome(JsError error) {
  Outcome o;
  o.kind = Outcome::Kind::kJsError;
  o.error = std::move(error);
  return o;
}

JsError SimpleError(std::string name, std::string message) {
  JsError e;
  e.name = std::move(name);
  e.message = std::move(message);
  e.stack = absl::StrCat(e.name, ": ", e.message);
  return e;
}

void CloseAndDelete(uv_handle_t* handle) {
  uv_close(handle, [](uv_handle_t* h) { delete reinterpret_cast<Timer*>(h->data); });
}

}  // namespace

// ---- JobRun: the ContextHost of a job's context ----

JobRun::~JobRun() { CloseHandles(); }

int JobRun::AddTimer(JsScope& scope, v8::Local<v8::Function> callback,
                     std::vector<v8::Global<v8::Value>> args, double delay_ms, bool repeat) {
  if (static_cast<int>(timers.size()) >= worker_.options.max_timers_per_job) return 0;
  auto* timer = new Timer{};
  timer->handle.data = timer;
  timer->run = this;
  timer->id = next_timer_id++;
  timer->repeat = repeat;
  timer->callback.Reset(scope.isolate(), callback);
  timer->args = std::move(args);
  uv_timer_init(&worker_.loop, &timer->handle);
  uint64_t ms = static_cast<uint64_t>(std::min(delay_ms, 2147483647.0));
  uint64_t interval = repeat ? std::max<uint64_t>(ms, 1) : 0;
  uv_timer_start(
      &timer->handle,
      [](uv_timer_t* handle) {
        auto* t = static_cast<Timer*>(handle->data);
        t->run->worker_.FireTimer(t);
      },
      ms, interval);
  timers.emplace(timer->id, timer);
  return timer->id;
}

void JobRun::ClearTimer(int id) {
  auto it = timers.find(id);
  if (it == timers.end()) return;
  Timer* timer = it->second;
  timers.erase(it);
  timer->callback.Reset();
  timer->args.clear();
  CloseAndDelete(reinterpret_cast<uv_handle_t*>(&timer->handle));
}

void JobRun::AddConsoleLine(ConsoleLine::Level level, std::string text) {
  if (console_truncated) return;
  if (console.size() >= worker_.options.max_console_lines ||
      console_bytes + text.size() > worker_.options.max_console_bytes) {
    console_truncated = true;
    return;
  }
  console_bytes += text.size();
  console.push_back(ConsoleLine{level, std::move(text)});
}

void JobRun::TerminateWithHook(JsScope& scope, v8::Local<v8::Value> data) {
  {
    v8::TryCatch try_catch(scope.isolate());
    absl::StatusOr<Outcome> outcome = worker_.ConvertValue(scope, *job, data, Outcome::Kind::kHook);
    if (try_catch.HasTerminated()) {
      try_catch.ReThrow();  // a deadline or cancellation got there first
      return;
    }
    hook = outcome.ok()
               ? *std::move(outcome)
               : worker_.ConversionFailed(scope, try_catch, *job, outcome.status(), "$terminate: ");
  }
  worker_.StopForHook(*this);
}

void JobRun::BeginSection() { worker_.BeginSection(*this); }

SectionEnd JobRun::EndSection() { return worker_.EndSection(*this); }

void JobRun::CloseHandles() {
  while (!timers.empty()) ClearTimer(timers.begin()->first);
  if (!http_calls.empty()) {
    for (auto& [id, done] : http_calls) worker_.http->Abort(id);
    http_calls.clear();  // drops the `done`s (and their handles) on the worker thread
    worker_.PublishHttpInFlight();
  }
  if (deadline_timer != nullptr) {
    uv_close(reinterpret_cast<uv_handle_t*>(deadline_timer),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
    deadline_timer = nullptr;
  }
}

// ---- sections: synchronous stretches of JS under the watchdog ----

void Worker::Impl::BeginSection(JobRun& run) {
  JSCORE_DCHECK_ON_WORKER_THREAD();
  const Job& job = *run.job;
  if (run.shared_context) {
    v8::HandleScope handles(isolate);
    internal::ContextHost::Attach(run.context.Get(isolate), &run);
  }
  {
    absl::MutexLock lock(&interrupt_mu);
    running_job = job.id_;
    running_isolate = isolate;
    interrupted = false;
    stop_section.store(false, std::memory_order_relaxed);
    if (retired_seen) {  // a retired thread runs no more JavaScript
      interrupted = true;
      interrupt_reason = InterruptReason::kShutdown;
      stop_section.store(true, std::memory_order_relaxed);
      isolate->TerminateExecution();
    } else if (job.cancel_requested()) {  // a cancel that raced with the start
      interrupted = true;
      interrupt_reason = InterruptReason::kCancelled;
      stop_section.store(true, std::memory_order_relaxed);
      isolate->TerminateExecution();
    }
  }
  // The slot is the new thread's once this one is retired.
  if (!retired_seen) watchdog.Arm(index, job.id_, job.deadline());
  section_heap = UsedHeap();
  // The thread-CPU clock is a system call; the wall clock of a synchronous section
  // is the same figure (a worker runs one section at a time) at a fraction of the cost.
  section_started = absl::Now();
}

SectionEnd Worker::Impl::EndSection(JobRun& run) {
  JSCORE_DCHECK_ON_WORKER_THREAD();
  run.cpu += absl::Now() - section_started;
  bool was_interrupted;
  InterruptReason reason;
  bool was_retired;
  {
    absl::MutexLock lock(&interrupt_mu);
    was_interrupted = interrupted;
    reason = interrupt_reason;
    was_retired = retired;
    running_job = 0;
    running_isolate = nullptr;
    interrupted = false;
    stop_section.store(false, std::memory_order_relaxed);
  }
  if (was_retired && !retired_seen) {
    // Retired while stuck in this section (Worker::Retire): from here on this thread
    // touches nothing outside its Impl; it ends at its next wake-up (StopOnThread).
    retired_seen = true;
    uv_async_send(&wake);
  }
  // Checked under interrupt_mu above: once retired, the slot is the new thread's.
  if (!retired_seen) watchdog.Disarm(index);
  bool terminating = isolate->IsExecutionTerminating();
  if (was_interrupted || heap_limit_hit || terminating) isolate->CancelTerminateExecution();
  run.heap_growth += static_cast<int64_t>(UsedHeap()) - static_cast<int64_t>(section_heap);
  if (heap_limit_hit) {
    // The isolate is replaced after this section. The job holding the most heap is
    // charged; any other job stopped by it starts over (Complete), never fails.
    JobRun* culprit = ChargeHeapLimit();
    if (culprit != &run) run.restart = true;
    return SectionEnd::kHeapLimit;
  }
  if (was_interrupted) {
    switch (reason) {
      case InterruptReason::kDeadline:
        timeouts.fetch_add(1, std::memory_order_relaxed);
        return SectionEnd::kDeadline;
      case InterruptReason::kCancelled:
        return SectionEnd::kCancelled;
      case InterruptReason::kShutdown:
        return SectionEnd::kTerminated;
      case InterruptReason::kHook:
        return SectionEnd::kHook;
    }
  }
  return terminating ? SectionEnd::kTerminated : SectionEnd::kCompleted;
}

absl::Status Worker::Impl::SectionStatus(SectionEnd end, const PoolOptions& options) {
  switch (end) {
    case SectionEnd::kCompleted:
      return absl::OkStatus();
    case SectionEnd::kDeadline:
      return absl::DeadlineExceededError("the script ran past its deadline and was stopped");
    case SectionEnd::kCancelled:
      return absl::CancelledError("cancelled by the client");
    case SectionEnd::kHeapLimit:
      return absl::ResourceExhaustedError(
          absl::StrCat("the script exceeded the heap limit (", options.heap_limit_mb,
                       " MB) and was stopped; the worker's isolate is replaced"));
    case SectionEnd::kTerminated:
      return absl::UnavailableError("the server is shutting down");
    case SectionEnd::kHook:
      return absl::InternalError("$terminate ended the job without hook data");
  }
  return absl::InternalError("unknown section end");
}

Outcome Worker::Impl::EndedOutcome(JobRun& run, SectionEnd end) {
  if (end == SectionEnd::kHook && run.hook) {
    Outcome hook = std::move(*run.hook);
    run.hook.reset();
    return hook;
  }
  return Outcome::Failed(SectionStatus(end, options));
}

void Worker::Impl::StopForHook(JobRun& run) {
  absl::MutexLock lock(&interrupt_mu);
  if (running_job != run.job->id_ || running_isolate == nullptr || interrupted) return;
  interrupted = true;
  interrupt_reason = InterruptReason::kHook;
  stop_section.store(true, std::memory_order_relaxed);
  isolate->TerminateExecution();
}

void Worker::Impl::Checkpoint(JobRun& run) {
  v8::Platform* v8_platform = platform.v8_platform.get();
  run.microtasks->PerformCheckpoint(isolate);
  // V8 may clear a termination once it has unwound; after $terminate (run.hook set)
  // nothing more of the job may run.
  while (!isolate->IsExecutionTerminating() && !run.hook &&
         v8::platform::PumpMessageLoop(v8_platform, isolate,
                                       v8::platform::MessageLoopBehavior::kDoNotWait)) {
    run.microtasks->PerformCheckpoint(isolate);
  }
}

// ---- the life of a job after its start (worker_jobs.cc starts it) ----

void Worker::Impl::Settle(JobRun* run) {
  JSCORE_DCHECK_ON_WORKER_THREAD();
  if (run->shared_context) SettleSiblings(run);
  {
    v8::HandleScope handles(isolate);
    if (run->promise.Get(isolate)->State() == v8::Promise::kPending) {
      if (run->timers.empty() && run->http_calls.empty()) {
        return Complete(
            run, ErrorOutcome(SimpleError("Error",
                                          "the script's promise can never settle: nothing is "
                                          "pending that could resolve it")));
      }
      return Park(run);
    }
  }
  Finish(run);
}

std::optional<Outcome> Worker::Impl::OutcomeOf(JsScope& scope, v8::TryCatch& try_catch, JobRun* run,
                                               v8::Local<v8::Value> result) {
  if (!result->IsPromise())
    return SettledOutcome(scope, try_catch, *run->job, result, /*rejected=*/false);
  v8::Local<v8::Promise> promise = result.As<v8::Promise>();
  switch (promise->State()) {
    case v8::Promise::kPending:
      run->promise.Reset(isolate, promise);
      return std::nullopt;
    case v8::Promise::kFulfilled:
      return SettledOutcome(scope, try_catch, *run->job, promise->Result(), /*rejected=*/false);
    case v8::Promise::kRejected:
      return SettledOutcome(scope, try_catch, *run->job, promise->Result(), /*rejected=*/true);
  }
  return std::nullopt;
}

void Worker::Impl::Finish(JobRun* run) {
  Outcome outcome;
  {
    internal::Section section(isolate, run->context, *run);
    v8::Local<v8::Promise> promise = run->promise.Get(isolate);
    outcome = SettledOutcome(section.scope(), section.try_catch(), *run->job, promise->Result(),
                             promise->State() == v8::Promise::kRejected);
    SectionEnd end = section.End();
    if (end != SectionEnd::kCompleted) outcome = EndedOutcome(*run, end);
  }
  Complete(run, std::move(outcome));
}

void Worker::Impl::AfterStart(JobRun* run, std::optional<Outcome> outcome) {
  if (!outcome) return Settle(run);  // a pending promise
  if (run->shared_context) SettleSiblings(run);
  Complete(run, std::move(*outcome));
}

// Runs sharing a context share its microtask queue: one run's section may settle
// another's promise. Finish those now.
void Worker::Impl::SettleSiblings(JobRun* run) {
  std::vector<JobRun*> settled;
  {
    v8::HandleScope handles(isolate);
    v8::Local<v8::Context> context = run->context.Get(isolate);
    for (auto& [other, owned] : runs) {
      if (other == run || !other->parked || other->promise.IsEmpty()) continue;
      if (other->context.Get(isolate) != context) continue;
      if (other->promise.Get(isolate)->State() != v8::Promise::kPending) settled.push_back(other);
    }
  }
  for (JobRun* other : settled) Finish(other);
}

void Worker::Impl::Park(JobRun* run) {
  JSCORE_DCHECK_ON_WORKER_THREAD();
  if (run->parked) return;
  run->parked = true;
  {
    absl::MutexLock lock(&parked_mu);
    parked_jobs.push_back(run->job);
  }
  run->deadline_timer = new uv_timer_t;
  uv_timer_init(&loop, run->deadline_timer);
  run->deadline_timer->data = run;
  absl::Duration left = run->job->deadline() - absl::Now();
  uint64_t ms = left <= absl::ZeroDuration()
                    ? 0
                    : static_cast<uint64_t>(std::ceil(absl::ToDoubleMilliseconds(left)));
  uv_timer_start(
      run->deadline_timer,
      [](uv_timer_t* handle) {
        auto* r = static_cast<JobRun*>(handle->data);
        r->worker_.ParkedDeadline(r);
      },
      ms, 0);
}

void Worker::Impl::ParkedDeadline(JobRun* run) {
  timeouts.fetch_add(1, std::memory_order_relaxed);
  Complete(run, Outcome::Failed(absl::DeadlineExceededError(
                    "the script's promise did not settle before the deadline")));
  Drain();
}

void Worker::Impl::AfterCallback(JobRun* run, std::optional<Outcome> ended) {
  if (ended) {
    Complete(run, std::move(*ended));
  } else {
    Settle(run);
  }
  MaybeReplaceIsolate();
  Drain();
}

void Worker::Impl::FireTimer(Timer* timer) {
  JSCORE_DCHECK_ON_WORKER_THREAD();
  JobRun* run = timer->run;
  // Thousands of due timers can run in one loop turn: none may run past the deadline.
  if (absl::Now() >= run->job->deadline()) return ParkedDeadline(run);
  std::optional<Outcome> ended;  // the timer ended the job (threw, $return, $terminate...)
  {
    internal::Section section(isolate, run->context, *run);
    v8::Local<v8::Function> callback = timer->callback.Get(isolate);
    std::vector<v8::Local<v8::Value>> argv;
    for (auto& arg : timer->args) argv.push_back(arg.Get(isolate));
    if (!timer->repeat) run->ClearTimer(timer->id);  // `timer` is gone after this
    bool ok = !callback
                   ->Call(section.context(), v8::Undefined(isolate), static_cast<int>(argv.size()),
                          argv.data())
                   .IsEmpty();
    if (ok) Checkpoint(*run);
    v8::TryCatch& try_catch = section.try_catch();
    if (!ok && try_catch.HasCaught() && !try_catch.HasTerminated()) {
      // An uncaught exception in a timer fails the evaluation (as it would crash Node);
      // an uncaught $return(v) ends it with v.
      ended = ThrownOutcome(section.scope(), try_catch, *run->job);
    }
    SectionEnd end = section.End();
    if (end != SectionEnd::kCompleted) ended = EndedOutcome(*run, end);
  }
  AfterCallback(run, std::move(ended));
}

void Worker::Impl::FireHttp(JobRun* run, uint64_t id, internal::HttpResult result) {
  auto it = run->http_calls.find(id);
  if (it == run->http_calls.end()) return;
  JobRun::HttpDone done = std::move(it->second);
  run->http_calls.erase(it);
  PublishHttpInFlight();
  if (absl::Now() >= run->job->deadline()) return ParkedDeadline(run);
  std::optional<Outcome> ended;  // the callback ended the job (threw, $return, $terminate...)
  {
    internal::Section section(isolate, run->context, *run);
    v8::TryCatch& try_catch = section.try_catch();
    done(section.scope(), std::move(result));
    done = nullptr;  // its handles go while the context is entered
    bool ok = !try_catch.HasCaught();
    if (ok) Checkpoint(*run);
    if (!ok && !try_catch.HasTerminated()) {
      ended = ThrownOutcome(section.scope(), try_catch, *run->job);
    }
    SectionEnd end = section.End();
    if (end != SectionEnd::kCompleted) ended = EndedOutcome(*run, end);
  }
  AfterCallback(run, std::move(ended));
}

void Worker::Impl::ScanCancelled() {
  std::vector<JobRun*> cancelled;
  for (auto& [run, owned] : runs) {
    if (run->job->cancel_requested()) cancelled.push_back(run);
  }
  for (JobRun* run : cancelled) {
    Complete(run, Outcome::Failed(absl::CancelledError("cancelled by the client")));
  }
}

void Worker::Impl::Complete(JobRun* run, Outcome outcome) {
  JSCORE_DCHECK_ON_WORKER_THREAD();
  if (run->restart) {
    // Stopped because another job filled the heap: start over on a new isolate, or
    // (a session's job, or one that made a request) say so.
    run->restart = false;
    if (run->session == nullptr && RequeueFromScratch(run)) return;
    outcome = Outcome::Failed(absl::UnavailableError(
        "another evaluation filled the worker's heap; its isolate is replaced; retry"));
  }
  Job& job = *run->job;
  outcome.console = std::move(run->console);
  outcome.console_truncated = run->console_truncated;
  outcome.stats.queue_wait = run->started - job.enqueued_at_;
  outcome.stats.wall_time = absl::Now() - run->started;
  outcome.stats.cpu_time = run->cpu;
  outcome.stats.worker = index;

  run->CloseHandles();
  run->promise.Reset();
  run->hook.reset();
  if (!run->context.IsEmpty()) {
    v8::HandleScope handles(isolate);
    v8::Local<v8::Context> context = run->context.Get(isolate);
    EndJobSettings(context, *run, outcome);
    if (internal::ContextHost::From(context) == run) {
      internal::ContextHost::Attach(context, nullptr);
    }
    run->context.Reset();
    if (!run->shared_context) isolate->ContextDisposedNotification();
  }
  // A program context whose script was stopped mid-way may be half-mutated: rebuild
  // it on next use.
  if (!run->program_id.empty() && outcome.kind == Outcome::Kind::kFailed &&
      (absl::IsDeadlineExceeded(outcome.status) || absl::IsCancelled(outcome.status))) {
    program_contexts.Remove(run->program_id);
  }
  if (run->session != nullptr) ReleaseSession(run);
  job.running_on_.store(-1, std::memory_order_seq_cst);
  UnlistHeld(run);
  // None if the watchdog answered; a retired thread answers nothing (its retirer did).
  Job::Completion done = retired_seen ? nullptr : job.TakeCompletion();
  if (heap_culprit == run) heap_culprit = nullptr;
  runs.erase(run);  // frees run
  inflight.fetch_sub(1, std::memory_order_relaxed);
  completed.fetch_add(1, std::memory_order_relaxed);
  if ((completed.load(std::memory_order_relaxed) & 15) == 0 && isolate != nullptr) {
    v8::HeapStatistics heap;
    isolate->GetHeapStatistics(&heap);
    heap_used.store(heap.used_heap_size(), std::memory_order_relaxed);
  }
  if (done) done(std::move(outcome));
}

void Worker::Impl::Drop(const std::shared_ptr<Job>& job, absl::Status status) {
  if (retired_seen) return;  // its retirer answered every job it held
  Outcome outcome = Outcome::Failed(std::move(status));
  outcome.stats.queue_wait = absl::Now() - job->enqueued_at_;
  outcome.stats.worker = index;
  Job::Completion done = job->TakeCompletion();
  if (done) done(std::move(outcome));
}

}  // namespace jscore::engine
