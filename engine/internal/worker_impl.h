// Worker::Impl and JobRun: the worker thread's state (isolate, loop, jobs in flight).
#ifndef JSCORE_ENGINE_INTERNAL_WORKER_IMPL_H_
#define JSCORE_ENGINE_INTERNAL_WORKER_IMPL_H_

#include <uv.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <list>
#include <memory>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "engine/internal/context_host.h"
#include "engine/internal/context_state.h"
#include "engine/internal/counting_allocator.h"
#include "engine/internal/fifo_job_queue.h"
#include "engine/internal/http_client.h"
#include "engine/internal/job_queue.h"
#include "engine/internal/js_scope.h"
#include "engine/internal/platform_impl.h"
#include "engine/internal/program_cache.h"
#include "engine/internal/program_context_cache.h"
#include "engine/internal/section.h"
#include "engine/internal/session_store.h"
#include "engine/internal/session_table.h"
#include "engine/internal/thread_checker.h"
#include "engine/job.h"
#include "engine/pool_options.h"
#include "engine/watchdog.h"
#include "engine/worker.h"
#include "v8.h"

namespace jscore::engine {

// A context and the microtask queue it was built with. V8 keeps a raw pointer to
// the queue inside the context, so the queue lives until the context is collected
// (the weak handle empties) or the isolate goes away.
struct ContextRecord {
  v8::Global<v8::Context> weak;
  std::unique_ptr<v8::MicrotaskQueue> microtasks;
  std::unique_ptr<internal::ContextState> state;  // what its extensions keep
};

// How a context is built beyond its environment.
struct ContextOptions {
  // With the probe's global interceptor (never pre-built; see extensions/probe.h).
  bool probe = false;
};

struct Timer;

// One job's life on its worker: its context, its timers, its console lines and, while
// it awaits, its promise; the watch of its sections (internal::Section). Owned by
// Worker::Impl; worker thread only.
class JobRun final : public internal::ContextHost, public internal::SectionWatch {
 public:
  JobRun(Worker::Impl& worker, std::shared_ptr<Job> job) : worker_(worker), job(std::move(job)) {}
  ~JobRun() override;

  int AddTimer(internal::JsScope& scope, v8::Local<v8::Function> callback,
               std::vector<v8::Global<v8::Value>> args, double delay_ms, bool repeat) override;
  void ClearTimer(int id) override;
  void AddConsoleLine(ConsoleLine::Level level, std::string text) override;
  void TerminateWithHook(internal::JsScope& scope, v8::Local<v8::Value> data) override;
  absl::StatusOr<uint64_t> StartHttp(internal::HttpRequest request, HttpDone done) override;
  void AbortHttp(uint64_t id) override;
  // Worker::Impl::BeginSection/EndSection for this run.
  void BeginSection() override;
  SectionEnd EndSection() override;

  // Closes every libuv handle this run owns (they free themselves when closed).
  void CloseHandles();

  Worker::Impl& worker_;
  std::shared_ptr<Job> job;
  v8::Global<v8::Context> context;
  v8::MicrotaskQueue* microtasks = nullptr;  // owned by the context's ContextRecord
  v8::Global<v8::Promise> promise;           // the returned promise, while awaited
  std::unordered_map<int, Timer*> timers;
  int next_timer_id = 1;
  uv_timer_t* deadline_timer = nullptr;  // armed while parked
  // HTTP transfers in flight (fetch, XMLHttpRequest), by HttpClient id: aborted
  // with the run, so no `done` ever reaches a finished job or a dead context.
  std::unordered_map<uint64_t, HttpDone> http_calls;
  bool did_io = false;  // made a request: never started over from scratch
  std::vector<ConsoleLine> console;
  size_t console_bytes = 0;
  bool console_truncated = false;
  std::optional<Outcome> hook;  // $terminate's data, while its termination unwinds
  absl::Time started;
  absl::Duration cpu;
  bool parked = false;
  // Heap this job's sections grew the isolate by (used heap at each section's end
  // minus at its start, summed): what it holds, for charging a heap-limit event.
  int64_t heap_growth = 0;
  // Stopped by a heap-limit event it did not cause: Complete starts it over instead.
  bool restart = false;
  // Program and session contexts are shared: several runs (a program's) or one run
  // at a time (a session's) use them, so the host is re-attached per section.
  bool shared_context = false;
  std::string program_id;                // set when running in a cached program context
  internal::Session* session = nullptr;  // set when running in a session
};

// A pending setTimeout/setInterval. Freed by its libuv close callback.
struct Timer {
  uv_timer_t handle;
  JobRun* run;
  int id;
  bool repeat;
  v8::Global<v8::Function> callback;
  std::vector<v8::Global<v8::Value>> args;
};

struct Worker::Impl {
  Impl(int index, Platform::Impl& platform, const WorkerShared& shared, const PoolOptions& options);
  ~Impl();  // closes the loop (any thread, once nobody holds the Impl)
  // Starts the thread (which holds `impl` until it ends) and waits until it is ready.
  static absl::Status Launch(const std::shared_ptr<Impl>& impl);

  // ---- worker thread: lifecycle (worker.cc) ----
  void ThreadMain();
  absl::Status CreateIsolate();
  void DisposeIsolate();
  void ReplaceIsolate(const char* why);
  // Puts a run's job back on the shared queue to start over (its isolate is going
  // away); false when the queue is full.
  bool RequeueFromScratch(JobRun* run);
  void OnWake();
  void Drain();
  // Right after jobs ran and the queues emptied: polls them for at most
  // `options.spin_before_sleep`; true if work came meanwhile (invariant 32).
  bool SpinForWork();
  // Fails what the worker holds, tears down, lets uv_run return. Once retired
  // (`retired_seen`) it touches only this Impl: whoever retired it answered its jobs.
  void StopOnThread();
  // Any thread: marks this thread retired if it is inside a section (of `job_id`,
  // unless 0) and returns every job it holds or keeps waiting, now the caller's to
  // answer; nullopt (nothing done) when it is not in such a section.
  std::optional<std::vector<std::shared_ptr<Job>>> MarkRetired(uint64_t job_id);
  // The pool's objects this Impl was given, for its successor.
  WorkerShared Shared() const {
    return WorkerShared{shared_queue, own_queue,     watchdog,
                        programs,     session_table, fetch_transfers};
  }
  void StartPrebuilding();
  void PrebuildOne();
  void SweepDeadContexts();
  // A new context with the standard (or bare) environment, or empty on failure.
  v8::MaybeLocal<v8::Context> NewContext(Environment environment, v8::MicrotaskQueue** queue,
                                         const ContextOptions& context_options = {});

  // ---- worker thread: starting each kind of job (worker_jobs.cc) ----
  // Takes the job (unless answered already), finds its session, enters it in `runs`
  // and hands it to its kind's runner (runners::StartJob: evaluate_runner.h,
  // call_runner.h, program_runner.h, session_runner.h).
  void RunJob(std::shared_ptr<Job> job);
  // Takes a prebuilt context or builds one; attaches `run` as its host.
  bool AcquireFreshContext(JobRun& run, Environment environment);
  // Drops the cached contexts of programs unloaded since `programs_generation`.
  void DropUnloadedPrograms();
  // ---- worker thread: the sessions' lives and waiting lists (session_waiting.cc) ----
  // The run's job ended: its session is idle again; the job waiting next, if any,
  // goes to `released`.
  void ReleaseSession(JobRun* run);
  // `job` arrived while the session is busy: waits, or is answered at once (full list,
  // deadline passed, cancelled).
  void WaitForSession(internal::Session* session, std::shared_ptr<Job> job);
  // A job left a waiting list: no longer listed for Worker::AnswerOverdueWaiting.
  void UnlistWaiting(const Job* job);
  // Fails every job waiting for `session` with `why`.
  void DropWaiting(internal::Session* session, const absl::Status& why);
  void ArmWaitingTimer(absl::Time deadline);
  // Answers waiting jobs whose deadline passed or that were cancelled.
  void SweepWaiting();
  void ArmSessionTimer(absl::Duration ttl);
  // Forgets the sessions idle past their ttl (SessionStore::Expire), tells the table.
  void ExpireSessions();
  // Forgets every session (its waiting jobs answered NOT_FOUND saying `why`).
  void LoseAllSessions(const std::string& why);

  // ---- worker thread: running jobs (job_run.cc) ----
  // The sync part is done: finish now, or park until the promise settles.
  void Settle(JobRun* run);
  // Inside a section: the outcome of a script's or call's result, or nullopt (and
  // `run->promise` set) when it is a pending promise.
  std::optional<Outcome> OutcomeOf(internal::JsScope& scope, v8::TryCatch& try_catch, JobRun* run,
                                   v8::Local<v8::Value> result);
  // ---- worker thread, inside the job's section: values out (job_values.cc) ----
  // Converts a settled value (or rejection) into an outcome.
  Outcome SettledOutcome(internal::JsScope& scope, v8::TryCatch& try_catch, const Job& job,
                         v8::Local<v8::Value> value, bool rejected);
  // An outcome of `kind` (kValue, kHook) carrying `value` in the job's encoding
  // (Outcome::value + annotations + undefined, or value_json); a non-OK status as
  // internal::ToJsonValue's.
  absl::StatusOr<Outcome> ConvertValue(internal::JsScope& scope, const Job& job,
                                       v8::Local<v8::Value> value, Outcome::Kind kind);
  // The outcome of a ConvertValue that failed: the JS error it threw, a TypeError
  // (cycle) or RangeError (depth, size) whose message starts with `prefix`, or
  // DEADLINE_EXCEEDED.
  Outcome ConversionFailed(internal::JsScope& scope, v8::TryCatch& try_catch, const Job& job,
                           const absl::Status& status, absl::string_view prefix);
  // A JS exception as a JsError; a thrown non-Error keeps its value (JsError::thrown).
  JsError ErrorFromException(internal::JsScope& scope, const Job& job,
                             v8::Local<v8::Value> exception, v8::Local<v8::Message> message);
  // A parked run's promise settled: converts (in a section of its own) and completes.
  void Finish(JobRun* run);
  // After the first section: complete with `outcome`, or await the pending promise.
  void AfterStart(JobRun* run, std::optional<Outcome> outcome);
  // Every job ends here, exactly once; frees `run`. Call with no JsScope open.
  void Complete(JobRun* run, Outcome outcome);
  // Fails a job that never got a context (shutdown).
  void Drop(const std::shared_ptr<Job>& job, absl::Status status);
  void Park(JobRun* run);
  void SettleSiblings(JobRun* run);
  void MaybeReplaceIsolate();
  // After a timer's or a fetch's callback ran: completes the job if the callback
  // ended it (`ended`), else settles it; then the isolate and the queues.
  void AfterCallback(JobRun* run, std::optional<Outcome> ended);
  void FireTimer(Timer* timer);
  // A transfer of `run` ended: runs its `done` in a section, then settles the run.
  void FireHttp(JobRun* run, uint64_t id, internal::HttpResult result);
  void PublishHttpInFlight();
  size_t UsedHeap();
  // After a heap-limit event: the run holding the most heap (largest `heap_growth`),
  // chosen once per event; null when no job is held.
  JobRun* ChargeHeapLimit();
  // The run's job leaves `held_jobs` (and `parked_jobs`).
  void UnlistHeld(JobRun* run);
  void ParkedDeadline(JobRun* run);
  void ScanCancelled();
  void BeginSection(JobRun& run);
  SectionEnd EndSection(JobRun& run);
  // Runs the context's microtasks and V8's pending foreground tasks.
  void Checkpoint(JobRun& run);
  static absl::Status SectionStatus(SectionEnd end, const PoolOptions& options);
  // The outcome of a section that did not complete: the hook data of $terminate, or
  // the failure SectionStatus names.
  Outcome EndedOutcome(JobRun& run, SectionEnd end);
  // Inside a section, after JS threw (not terminated): the JS error, or the value of
  // an uncaught $return(v).
  Outcome ThrownOutcome(internal::JsScope& scope, v8::TryCatch& try_catch, const Job& job);
  // $terminate from inside `run`'s section: terminates it unless a deadline, a
  // cancellation or shutdown got there first (the first reason wins).
  void StopForHook(JobRun& run);

  // ---- worker thread: per-job settings of a context (job_settings.cc) ----
  // Whether the job wants a context of its own, never a pre-built or cached one.
  static bool NeedsOwnContext(const ContextSettings* settings);
  // Whether a Call on a program must run in a fresh copy of the program's context.
  static bool NeedsFreshProgramContext(const ContextSettings& settings);
  // Inside the job's first section, before its code: seeds, freezes the clock,
  // installs the browser profile, starts the probe. Returns false when JS threw or
  // was terminated (see the TryCatch).
  bool ApplyJobSettings(internal::JsScope& scope, JobRun& run);
  // At completion: stops the probe and hands its names to `outcome`; gives a session
  // its own clock back.
  void EndJobSettings(v8::Local<v8::Context> context, JobRun& run, Outcome& outcome);

  // ---- immutable after construction ----
  const int index;
  Platform::Impl& platform;  // outlives a retired thread (see Platform::Impl)
  internal::JobQueue& shared_queue;
  internal::FifoJobQueue& own_queue;  // jobs pinned here (sessions)
  Watchdog& watchdog;
  ProgramCache& programs;
  SessionTable& session_table;
  std::atomic<int>& fetch_transfers;  // the pool's count, shared by every worker
  const PoolOptions options;

  // ---- shared with other threads ----
  std::thread thread;
  absl::Notification ready;
  absl::Status start_status;           // written before `ready`
  absl::Notification exited;           // ThreadMain returned
  std::atomic<bool> accepting{false};  // parked in uv_run with spare capacity
  std::atomic<bool> spinning{false};   // polling the queues before it sleeps (SpinForWork)
  std::atomic<bool> stop_requested{false};
  std::atomic<bool> cancel_scan{false};  // a parked job may have been cancelled
  std::atomic<uint32_t> inflight{0};
  std::atomic<uint64_t> completed{0};
  std::atomic<uint64_t> heap_used{0};
  std::atomic<uint64_t> heap_limit{0};
  std::atomic<uint32_t> replacements{0};
  std::atomic<uint32_t> prebuilt_count{0};
  std::atomic<uint64_t> timeouts{0};
  std::atomic<uint32_t> http_in_flight{0};
  uv_async_t wake;         // uv_async_send is the one libuv call other threads make
  bool wake_open = false;  // the loop and `wake` exist (written before `ready`)
  // libuv's idle-time metric (UV_METRICS_IDLE_TIME) is on for `loop`: Stats() reads
  // it from other threads (uv_metrics_idle_time takes the loop's metrics lock).
  std::atomic<bool> loop_metrics{false};
  uint64_t loop_started_ns = 0;  // uv_hrtime() when the metric started; before the flag

  // Every parked job (from Park to Complete), for Worker::AnswerOverdue.
  absl::Mutex parked_mu;
  std::vector<std::shared_ptr<Job>> parked_jobs ABSL_GUARDED_BY(parked_mu);
  // Every job this worker holds (RunJob to Complete), for Worker::Retire.
  std::vector<std::shared_ptr<Job>> held_jobs ABSL_GUARDED_BY(parked_mu);
  // Every job in a session's waiting list, for Worker::AnswerOverdueWaiting.
  std::vector<std::shared_ptr<Job>> waiting_jobs ABSL_GUARDED_BY(parked_mu);

  absl::Mutex interrupt_mu;
  uint64_t running_job ABSL_GUARDED_BY(interrupt_mu) = 0;  // 0: no JS running
  v8::Isolate* running_isolate ABSL_GUARDED_BY(interrupt_mu) = nullptr;
  bool interrupted ABSL_GUARDED_BY(interrupt_mu) = false;
  // Set by Worker::Retire/JoinUntil while this thread was stuck in a section; from
  // the end of that section the thread touches nothing outside this Impl.
  bool retired ABSL_GUARDED_BY(interrupt_mu) = false;
  InterruptReason interrupt_reason ABSL_GUARDED_BY(interrupt_mu) = InterruptReason::kDeadline;
  // Set (under interrupt_mu) whenever the running section is terminated, cleared when
  // a section begins or ends: native callbacks' loops read it (internal/stop_flag.h).
  std::atomic<bool> stop_section{false};

  // The worker thread (bound at the start of ThreadMain): what the methods above marked
  // "worker thread" assert in builds without NDEBUG (JSCORE_DCHECK_ON_WORKER_THREAD).
  internal::ThreadChecker worker_thread;

  // ---- worker thread only ----
  uv_loop_t loop;
  uv_idle_t prebuild_idle;
  // fetch/XMLHttpRequest transfers; null unless --allow_fetch names hosts.
  std::unique_ptr<internal::HttpClient> http;
  // Transfers of this worker counted in `fetch_transfers` (reserved before a start,
  // given back by PublishHttpInFlight once they are over).
  // Atomic: Worker::Retire takes them over (exchange(0)) from the watchdog thread.
  std::atomic<int> http_counted{0};
  bool prebuilding = false;
  v8::Isolate* isolate = nullptr;
  std::unique_ptr<internal::CountingAllocator> allocator;
  bool heap_limit_hit = false;
  absl::Time section_started;
  size_t section_heap = 0;         // used heap when the running section began
  JobRun* heap_culprit = nullptr;  // chosen by ChargeHeapLimit, until it completes
  bool heap_charged = false;       // this isolate's heap-limit event has its culprit
  uint64_t jobs_on_isolate = 0;
  std::list<std::unique_ptr<ContextRecord>> contexts;  // every live context's record
  struct Prebuilt {
    v8::Global<v8::Context> context;
    v8::MicrotaskQueue* microtasks;
  };
  std::vector<Prebuilt> prebuilt;
  // Every job this worker holds, running or parked; Complete() erases (and frees) it.
  std::unordered_map<JobRun*, std::unique_ptr<JobRun>> runs;
  std::deque<std::shared_ptr<Job>> released;  // session jobs let go by their predecessor
  internal::SessionStore sessions{options.max_waiting_per_session};
  uv_timer_t session_timer;
  absl::Time session_timer_due = absl::InfiniteFuture();
  uv_timer_t waiting_timer;  // the earliest deadline among session waiting lists
  absl::Time waiting_timer_due = absl::InfiniteFuture();
  internal::ProgramContextCache program_contexts{options.program_contexts_per_worker,
                                                 options.program_context_memory_mb << 20};
  uint64_t programs_generation = 0;  // of `programs`, when last looked (Drain, a program call)
  bool stopping = false;
  bool retired_seen = false;     // EndSection saw `retired`: see RetiredStop
  bool replace_pending = false;  // a heap-limit event: replace once no JS is on the stack
};

}  // namespace jscore::engine

#endif  // JSCORE_ENGINE_INTERNAL_WORKER_IMPL_H_
