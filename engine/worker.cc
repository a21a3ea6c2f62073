// Worker lifecycle: the thread, its libuv loop, its isolate, and taking jobs.
// Running one job's JavaScript is in job_run.cc.
#include "engine/worker.h"

#include <sched.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "engine/extensions/environment.h"
#include "engine/extensions/hooks/probe.h"
#include "engine/internal/es_modules.h"
#include "engine/internal/platform_impl.h"
#include "engine/internal/stop_flag.h"
#include "engine/internal/worker_impl.h"

namespace jscore::engine {

using internal::JsScope;

// ---- the public face: called from other threads ----

Worker::Worker(int index, Platform& platform, const WorkerShared& shared,
               const PoolOptions& options)
    : impl_(std::make_shared<Impl>(index, platform.impl(), shared, options)) {}

Worker::~Worker() { Join(); }

// The wake handle outlives the thread so that late wake-ups from other threads are
// harmless; it is closed when the last holder lets go, when nobody can send any more.
Worker::Impl::~Impl() {
  if (ready.HasBeenNotified() && wake_open) {
    uv_close(reinterpret_cast<uv_handle_t*>(&wake), nullptr);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
  }
}

absl::Status Worker::Start() { return Impl::Launch(impl_); }

absl::Status Worker::Impl::Launch(const std::shared_ptr<Impl>& impl) {
  // The thread holds its Impl: a retired thread keeps it after the Worker let go.
  impl->thread = std::thread([impl] {
    impl->ThreadMain();
    impl->exited.Notify();
  });
  impl->ready.WaitForNotification();
  return impl->start_status;
}

bool Worker::WakeIfIdle() {
  std::shared_ptr<Impl> impl = Current();
  // A spinning worker looks at the queues again before it sleeps (SpinForWork).
  if (impl->spinning.load(std::memory_order_seq_cst)) return true;
  if (!impl->accepting.load(std::memory_order_acquire)) return false;
  if (!impl->accepting.exchange(false, std::memory_order_seq_cst)) return false;
  std::atomic_thread_fence(std::memory_order_seq_cst);  // libuv 1.44 needs it before send
  uv_async_send(&impl->wake);
  return true;
}

void Worker::Interrupt(uint64_t job_id, InterruptReason reason) {
  std::shared_ptr<Impl> impl = Current();
  {
    absl::MutexLock lock(&impl->interrupt_mu);
    if (impl->running_job == job_id && impl->running_isolate != nullptr) {
      // The script already ended itself with $terminate: that is its outcome.
      if (impl->interrupted && impl->interrupt_reason == InterruptReason::kHook) return;
      impl->interrupted = true;
      impl->interrupt_reason = reason;
      impl->stop_section.store(true, std::memory_order_relaxed);
      impl->running_isolate->TerminateExecution();
      return;
    }
  }
  if (reason == InterruptReason::kCancelled) {
    impl->cancel_scan.store(true, std::memory_order_seq_cst);
    std::atomic_thread_fence(std::memory_order_seq_cst);
    uv_async_send(&impl->wake);
  }
}

void Worker::Stop() {
  std::shared_ptr<Impl> impl = Current();
  impl->stop_requested.store(true, std::memory_order_seq_cst);
  {
    absl::MutexLock lock(&impl->interrupt_mu);
    if (impl->running_isolate != nullptr) {
      impl->interrupted = true;
      impl->interrupt_reason = InterruptReason::kShutdown;
      impl->stop_section.store(true, std::memory_order_relaxed);
      impl->running_isolate->TerminateExecution();
    }
  }
  std::atomic_thread_fence(std::memory_order_seq_cst);
  // A worker that never started (or failed to) has no loop to wake.
  if (impl->ready.HasBeenNotified() && impl->wake_open) uv_async_send(&impl->wake);
}

void Worker::Join() {
  std::shared_ptr<Impl> impl = Current();
  if (impl->thread.joinable()) impl->thread.join();
}

bool Worker::WouldTakeWork() const { return Current()->accepting.load(std::memory_order_acquire); }

uint32_t Worker::InFlight() const { return Current()->inflight.load(std::memory_order_acquire); }

void Worker::AnswerOverdue(absl::Time now) {
  std::shared_ptr<Impl> impl = Current();
  std::vector<std::shared_ptr<Job>> overdue;
  {
    absl::MutexLock lock(&impl->parked_mu);
    for (const auto& job : impl->parked_jobs) {
      if (job->deadline() + kLateAnswer <= now) overdue.push_back(job);
    }
  }
  for (const auto& job : overdue) {
    Job::Completion done = job->TakeCompletion();
    if (!done) continue;
    Outcome outcome = Outcome::Failed(
        absl::DeadlineExceededError("the script's promise did not settle before the deadline"));
    outcome.stats.wall_time = now - job->enqueued_at_;
    outcome.stats.worker = impl->index;
    done(std::move(outcome));
  }
}

WorkerStatsSnapshot Worker::Stats() const {
  std::shared_ptr<Impl> impl = Current();
  WorkerStatsSnapshot s;
  s.id = impl->index;
  s.jobs_completed = impl->completed.load(std::memory_order_relaxed);
  s.jobs_in_flight = impl->inflight.load(std::memory_order_relaxed);
  s.heap_used_bytes = impl->heap_used.load(std::memory_order_relaxed);
  s.heap_limit_bytes = impl->heap_limit.load(std::memory_order_relaxed);
  s.isolate_replacements = impl->replacements.load(std::memory_order_relaxed);
  s.prebuilt_contexts = impl->prebuilt_count.load(std::memory_order_relaxed);
  s.timeouts = impl->timeouts.load(std::memory_order_relaxed);
  s.program_contexts = impl->program_contexts.published_count();
  s.sessions = impl->sessions.published_count();
  if (impl->loop_metrics.load(std::memory_order_acquire)) {
    uint64_t alive = uv_hrtime() - impl->loop_started_ns;
    uint64_t idle = uv_metrics_idle_time(&impl->loop);
    s.busy_ns = alive > idle ? alive - idle : 0;
  }
  s.fetches_in_flight = impl->http_in_flight.load(std::memory_order_relaxed);
  s.retirements = retirements_.load(std::memory_order_relaxed);
  return s;
}

// ---- the worker thread ----

Worker::Impl::Impl(int index, Platform::Impl& platform, const WorkerShared& shared,
                   const PoolOptions& options)
    : index(index),
      platform(platform),
      shared_queue(shared.shared_queue),
      own_queue(shared.own_queue),
      watchdog(shared.watchdog),
      programs(shared.programs),
      session_table(shared.sessions),
      fetch_transfers(shared.fetch_transfers),
      options(options) {}

namespace {

// V8's largest single object: a FixedArray or FixedDoubleArray of 2^27 elements
// (1 GiB), with room to spare.
constexpr size_t kLargestObjectBytes = size_t{1536} << 20;

size_t NearHeapLimit(void* data, size_t current_limit, size_t /*initial_limit*/) {
  auto* impl = static_cast<Worker::Impl*>(data);
  // Room to unwind the terminated script; the isolate is replaced right after. The
  // allocation that hit the limit must still fit, or V8 aborts the whole process
  // ("Fatal javascript OOM"): one `new Array(2 ** 26).fill(1)` is 512 MiB at once.
  // So the first time the margin takes V8's largest object; the script stops at its
  // next instruction and the memory goes with the replaced isolate.
  size_t margin =
      impl->heap_limit_hit ? std::max<size_t>(current_limit / 2, 64 << 20) : kLargestObjectBytes;
  impl->heap_limit_hit = true;
  impl->stop_section.store(true, std::memory_order_relaxed);
  impl->isolate->TerminateExecution();
  return current_limit + margin;
}

}  // namespace

// Order (CONVENTIONS.md 5): loop -> isolate -> contexts; teardown in reverse.
void Worker::Impl::ThreadMain() {
  worker_thread.Bind();  // the thread its JSCORE_DCHECK_ON_WORKER_THREAD()s expect
  // Every libuv call that can fail here is checked: a failure (out of file
  // descriptors, say) is the worker's start status, never a crash.
  int rc = uv_loop_init(&loop);
  if (rc != 0) {
    start_status = absl::ResourceExhaustedError(
        absl::StrCat("worker ", index, ": libuv could not create its loop: ", uv_strerror(rc)));
    ready.Notify();
    return;
  }
  if (uv_loop_configure(&loop, UV_METRICS_IDLE_TIME) == 0) {
    loop_started_ns = uv_hrtime();
    loop_metrics.store(true, std::memory_order_release);
  }
  rc = uv_async_init(&loop, &wake,
                     [](uv_async_t* handle) { static_cast<Impl*>(handle->data)->OnWake(); });
  if (rc != 0) {
    start_status = absl::ResourceExhaustedError(absl::StrCat(
        "worker ", index, ": libuv could not create its wake-up handle: ", uv_strerror(rc)));
    loop_metrics.store(false, std::memory_order_release);
    uv_loop_close(&loop);
    ready.Notify();
    return;
  }
  wake_open = true;
  wake.data = this;
  // These cannot fail in libuv 1.44 (they only link the handle into the loop).
  uv_idle_init(&loop, &prebuild_idle);
  prebuild_idle.data = this;
  uv_timer_init(&loop, &session_timer);
  session_timer.data = this;
  uv_timer_init(&loop, &waiting_timer);
  waiting_timer.data = this;

  start_status = CreateIsolate();
  if (start_status.ok() && !options.fetch.allowlist.empty()) {
    http = internal::HttpClient::Create(&loop, options.fetch);
    if (http == nullptr) {
      start_status = absl::InternalError("libcurl could not start (fetch)");
      DisposeIsolate();
    }
  }
  if (!start_status.ok()) {
    uv_close(reinterpret_cast<uv_handle_t*>(&prebuild_idle), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&session_timer), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&waiting_timer), nullptr);
    uv_unref(reinterpret_cast<uv_handle_t*>(&wake));
    uv_run(&loop, UV_RUN_DEFAULT);
    ready.Notify();
    return;
  }
  ready.Notify();
  Drain();
  uv_run(&loop, UV_RUN_DEFAULT);
}

absl::Status Worker::Impl::CreateIsolate() {
  allocator = std::make_unique<internal::CountingAllocator>(options.array_buffer_limit_mb << 20);
  v8::Isolate::CreateParams params;
  params.array_buffer_allocator = allocator.get();
  params.constraints.ConfigureDefaultsFromHeapSize(0, options.heap_limit_mb << 20);
  isolate = v8::Isolate::New(params);
  if (isolate == nullptr) return absl::ResourceExhaustedError("V8 could not create an isolate");
  platform.live_isolates.fetch_add(1, std::memory_order_acq_rel);
  isolate->Enter();
  isolate->SetMicrotasksPolicy(v8::MicrotasksPolicy::kExplicit);
  isolate->AddNearHeapLimitCallback(NearHeapLimit, this);
  internal::InstallDynamicImport(isolate);
  internal::AttachStopFlag(isolate, &stop_section);
  heap_limit.store(options.heap_limit_mb << 20, std::memory_order_relaxed);
  heap_limit_hit = false;
  heap_culprit = nullptr;
  heap_charged = false;
  jobs_on_isolate = 0;
  return absl::OkStatus();
}

void Worker::Impl::DisposeIsolate() {
  if (isolate == nullptr) return;
  sessions.TakeAll();  // gone with the isolate (their waiting jobs were answered before)
  program_contexts.Clear();
  prebuilt.clear();
  prebuilt_count.store(0, std::memory_order_relaxed);
  // Queues are unlinked from the isolate's list before it goes away.
  contexts.clear();
  isolate->Exit();
  // The default platform keeps a foreground task runner per isolate until told.
  v8::platform::NotifyIsolateShutdown(platform.v8_platform.get(), isolate);
  isolate->Dispose();
  platform.live_isolates.fetch_sub(1, std::memory_order_acq_rel);
  isolate = nullptr;
  allocator.reset();
}

void Worker::Impl::ReplaceIsolate(const char* why) {
  JSCORE_DCHECK_ON_WORKER_THREAD();
  std::vector<JobRun*> victims;
  for (auto& [run, owned] : runs) victims.push_back(run);
  // At a heap-limit event the job holding the most heap fails, whether it ran or was
  // parked (see engine/README.md, "Memory"); it is never run again.
  JobRun* culprit = heap_limit_hit ? ChargeHeapLimit() : nullptr;
  for (JobRun* run : victims) {
    if (run == culprit) {
      Complete(run, Outcome::Failed(absl::ResourceExhaustedError(absl::StrCat(
                        "the evaluation held the most heap (", run->heap_growth >> 20,
                        " MB) when its worker reached the heap limit (", options.heap_limit_mb,
                        " MB) and was stopped; the worker's isolate is replaced"))));
      continue;
    }
    // A job outside a session that made no request has had no effect beyond its own
    // context: run it again from the start rather than fail it.
    if (run->session == nullptr && RequeueFromScratch(run)) continue;
    Complete(run, Outcome::Failed(absl::UnavailableError(absl::StrCat(
                      "the worker's JavaScript engine was replaced (", why, "); retry"))));
  }
  LoseAllSessions(absl::StrCat("its worker's isolate was replaced (", why, ")"));
  DisposeIsolate();
  replacements.fetch_add(1, std::memory_order_relaxed);
  absl::Status status = CreateIsolate();
  JSCORE_CHECK(status.ok());  // a fresh isolate with the same limits as at start
}

bool Worker::Impl::RequeueFromScratch(JobRun* run) {
  // A job that made a request (fetch) may have had effects outside its context:
  // never repeat it behind the caller's back.
  if (run->did_io || retired_seen) return false;
  std::shared_ptr<Job> job = run->job;
  job->running_on_.store(-1, std::memory_order_seq_cst);
  if (!shared_queue.TryPush(job)) return false;  // the queue is full: fail it instead
  run->CloseHandles();
  run->promise.Reset();
  if (!run->context.IsEmpty()) {
    v8::HandleScope handles(isolate);
    v8::Local<v8::Context> context = run->context.Get(isolate);
    if (internal::ContextHost::From(context) == run)
      internal::ContextHost::Attach(context, nullptr);
    run->context.Reset();
  }
  UnlistHeld(run);
  runs.erase(run);
  inflight.fetch_sub(1, std::memory_order_relaxed);
  return true;
}

void Worker::Impl::MaybeReplaceIsolate() {
  if (retired_seen) return;  // the isolate goes with the thread (RetiredStop)
  if (heap_limit_hit) replace_pending = true;
  bool recycle = options.recycle_after_jobs > 0 && jobs_on_isolate >= options.recycle_after_jobs &&
                 runs.empty();
  if (replace_pending) {
    replace_pending = false;
    ReplaceIsolate("heap limit reached");
  } else if (recycle) {
    ReplaceIsolate("recycled");
  }
}

void Worker::Impl::OnWake() {
  if (retired_seen) {
    if (!stopping) StopOnThread();
    return;
  }
  if (stop_requested.load(std::memory_order_acquire)) {
    if (!stopping) StopOnThread();
    return;
  }
  if (cancel_scan.exchange(false)) {
    ScanCancelled();
    SweepWaiting();
  }
  Drain();
}

// How long Drain takes jobs before the loop gets a turn.
constexpr absl::Duration kDrainSlice = absl::Milliseconds(4);

// Takes jobs while there is capacity; then says "idle" without losing a wake-up:
// a producer pushes then looks for an accepting worker, and we set accepting then
// look at the queue again (both seq_cst), so one of us sees the other.
void Worker::Impl::Drain() {
  if (retired_seen) return;  // OnWake ends the thread; nothing is taken any more
  if (programs.generation() != programs_generation) DropUnloadedPrograms();
  auto has_capacity = [this] {
    return runs.size() < static_cast<size_t>(options.max_inflight_per_worker);
  };
  // Session jobs released by their predecessor first, then pinned jobs, then shared.
  auto next = [this](std::shared_ptr<Job>& job) {
    if (!released.empty()) {
      job = std::move(released.front());
      released.pop_front();
      return true;
    }
    return own_queue.TryPop(job) || shared_queue.TryPop(job);
  };
  // A slice at a time: past it, the loop gets a turn (due timers, fetch I/O, session
  // expiry) and this runs again from the wake sent to itself, so a queue that never
  // empties cannot starve the jobs parked on this worker.
  const absl::Time slice_end = absl::Now() + kDrainSlice;
  bool ran = false;  // since the last spin: a worker spins only right after work
  for (;;) {
    accepting.store(false, std::memory_order_seq_cst);
    std::shared_ptr<Job> job;
    while (!stopping && !retired_seen && has_capacity() && next(job)) {
      ran = true;
      RunJob(std::move(job));
      MaybeReplaceIsolate();
      if (!stopping && !retired_seen && absl::Now() >= slice_end) {
        uv_async_send(&wake);
        return;
      }
    }
    if (stopping || retired_seen || !has_capacity()) return;
    if (std::exchange(ran, false) && SpinForWork()) continue;
    accepting.store(true, std::memory_order_seq_cst);
    if (shared_queue.size() == 0 && own_queue.size() == 0 && released.empty()) break;
    if (!accepting.exchange(false, std::memory_order_seq_cst)) return;  // a wake is on its way
  }
  if (static_cast<int>(prebuilt.size()) < options.prebuilt_contexts) StartPrebuilding();
}

// Invariant 31. While `spinning`, producers count this worker as awake and send no
// wake-up; it clears `spinning` before Drain sets `accepting` and looks at the queues
// once more (both seq_cst), so a job pushed meanwhile is seen either here or there.
// sched_yield lets the gRPC threads that bring the next job run on this core first.
bool Worker::Impl::SpinForWork() {
  if (options.spin_before_sleep <= absl::ZeroDuration()) return false;
  auto waiting = [this] { return shared_queue.size() > 0 || own_queue.size() > 0; };
  spinning.store(true, std::memory_order_seq_cst);
  const absl::Time end = absl::Now() + options.spin_before_sleep;
  bool found = waiting();
  while (!found && !stop_requested.load(std::memory_order_relaxed) && absl::Now() < end) {
    sched_yield();
    found = waiting();
  }
  spinning.store(false, std::memory_order_seq_cst);
  return found;
}

void Worker::Impl::StartPrebuilding() {
  if (prebuilding || stopping) return;
  prebuilding = true;
  uv_idle_start(&prebuild_idle,
                [](uv_idle_t* handle) { static_cast<Impl*>(handle->data)->PrebuildOne(); });
}

// One context per loop iteration, so a job that arrives meanwhile waits for one
// context build at most.
void Worker::Impl::PrebuildOne() {
  if (retired_seen) {
    uv_idle_stop(&prebuild_idle);
    prebuilding = false;
    return;
  }
  bool work_waiting = shared_queue.size() > 0 || own_queue.size() > 0 || !released.empty();
  if (stopping || work_waiting || static_cast<int>(prebuilt.size()) >= options.prebuilt_contexts) {
    uv_idle_stop(&prebuild_idle);
    prebuilding = false;
    if (!stopping && work_waiting) Drain();
    return;
  }
  v8::HandleScope handles(isolate);
  v8::MicrotaskQueue* queue = nullptr;
  v8::Local<v8::Context> context;
  if (!NewContext(Environment::kStandard, &queue).ToLocal(&context)) {
    uv_idle_stop(&prebuild_idle);
    prebuilding = false;
    return;
  }
  prebuilt.push_back(Prebuilt{v8::Global<v8::Context>(isolate, context), queue});
  prebuilt_count.store(prebuilt.size(), std::memory_order_relaxed);
}

v8::MaybeLocal<v8::Context> Worker::Impl::NewContext(Environment environment,
                                                     v8::MicrotaskQueue** queue,
                                                     const ContextOptions& context_options) {
  v8::EscapableHandleScope handles(isolate);
  auto record = std::make_unique<ContextRecord>();
  record->microtasks = v8::MicrotaskQueue::New(isolate, v8::MicrotasksPolicy::kExplicit);
  record->state = std::make_unique<internal::ContextState>();
  v8::Local<v8::ObjectTemplate> global_template;
  if (context_options.probe) {
    global_template = extensions::hooks::ProbeGlobalTemplate(isolate);
    record->state->probe_built = true;
  }
  v8::Local<v8::Context> context =
      v8::Context::New(isolate, nullptr, global_template, {}, {}, record->microtasks.get());
  if (context.IsEmpty()) return {};
  internal::ContextHost::Attach(context, nullptr);
  internal::ContextState::Attach(context, record->state.get());
  {
    JsScope scope(isolate, context);
    if (environment == Environment::kStandard) {
      extensions::InstallStandardEnvironment(scope, /*with_fetch=*/http != nullptr);
    } else {
      extensions::StripToBareEcmaScript(scope);
    }
  }
  record->weak.Reset(isolate, context);
  record->weak.SetWeak();
  *queue = record->microtasks.get();
  contexts.push_back(std::move(record));
  if (contexts.size() > 64 + 2 * runs.size()) SweepDeadContexts();
  return handles.Escape(context);
}

// Frees the microtask queues of contexts the GC has collected.
void Worker::Impl::SweepDeadContexts() {
  contexts.remove_if([](const std::unique_ptr<ContextRecord>& r) { return r->weak.IsEmpty(); });
}

void Worker::Impl::StopOnThread() {
  stopping = true;
  accepting.store(false, std::memory_order_seq_cst);
  uv_idle_stop(&prebuild_idle);
  std::vector<JobRun*> left;
  for (auto& [run, owned] : runs) left.push_back(run);
  for (JobRun* run : left) {
    Complete(run, Outcome::Failed(absl::UnavailableError("the server is shutting down")));
  }
  absl::Status closing = absl::UnavailableError("the server is shutting down");
  sessions.ForEach([&](internal::Session& session) { DropWaiting(&session, closing); });
  uv_timer_stop(&waiting_timer);
  for (auto& job : released) Drop(job, closing);
  released.clear();
  std::shared_ptr<Job> job;
  if (!retired_seen) {  // the queues are the pool's (and the slot's new thread's)
    while (own_queue.TryPop(job)) Drop(job, closing);
    while (shared_queue.TryPop(job)) Drop(job, closing);
  }
  DisposeIsolate();
  if (http != nullptr) {
    http->Close();          // every run is complete: no transfer is left
    PublishHttpInFlight();  // (a retired thread's count was taken over: nothing left)
    http.reset();
  }
  uv_close(reinterpret_cast<uv_handle_t*>(&prebuild_idle), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&session_timer), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&waiting_timer), nullptr);
  uv_unref(reinterpret_cast<uv_handle_t*>(&wake));  // uv_run returns once the rest is closed
}

}  // namespace jscore::engine
