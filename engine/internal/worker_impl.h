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
#include "engine/job.h"
#include "engine/pool.h"
#include "engine/program_cache.h"
#include "engine/session_table.h"
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
struct Session;

// One job's life on its worker: its context, its timers, its console lines and, while
// it awaits, its promise. Owned by Worker::Impl; worker thread only.
class JobRun final : public internal::ContextHost {
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

  // Closes every libuv handle this run owns (they free themselves when closed).
  void CloseHandles();

  Worker::Impl& worker_;
  std::shared_ptr<Job> job;
  v8::Global<v8::Context> context;
  v8::MicrotaskQueue* microtasks = nullptr;  // owned by the context's ContextRecord
  v8::Global<v8::Promise> promise;           // the returned promise, while awaited
  std::unordered_map<int, Timer*> timers;
  int next_timer_id = 1;
  uv_timer_t* deadline_timer = nullptr;      // armed while parked
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
  // Program and session contexts are shared: several runs (a program's) or one run
  // at a time (a session's) use them, so the host is re-attached per section.
  bool shared_context = false;
  std::string program_id;     // set when running in a cached program context
  Session* session = nullptr;  // set when running in a session
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

// A session's context, pinned to this worker. Jobs for it run one at a time, in
// arrival order.
struct Session {
  std::string id;
  v8::Global<v8::Context> context;
  v8::MicrotaskQueue* microtasks = nullptr;
  absl::Duration ttl;
  absl::Time last_used;
  bool busy = false;                            // a job of this session is in flight
  std::deque<std::shared_ptr<Job>> waiting;     // arrived while busy
};

// A program's context on this worker (top level run once), kept in an LRU.
struct ProgramContext {
  std::shared_ptr<const Program> program;
  v8::Global<v8::Context> context;
  v8::MicrotaskQueue* microtasks = nullptr;
  size_t approx_bytes = 0;
  std::list<std::string>::iterator lru_position;
};

// How a synchronous stretch of JavaScript ended, seen from outside the script.
// kHook: the script called $terminate (the run's `hook` holds the outcome).
enum class SectionEnd { kCompleted, kDeadline, kCancelled, kHeapLimit, kTerminated, kHook };

struct Worker::Impl {
  Impl(int index, Platform& platform, const WorkerShared& shared, const PoolOptions& options);

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
  void StopOnThread();
  void StartPrebuilding();
  void PrebuildOne();
  void SweepDeadContexts();
  // A new context with the standard (or bare) environment, or empty on failure.
  v8::MaybeLocal<v8::Context> NewContext(Environment environment, v8::MicrotaskQueue** queue,
                                         const ContextOptions& context_options = {});

  // ---- worker thread: starting each kind of job (worker_jobs.cc) ----
  void RunJob(std::shared_ptr<Job> job);
  // Takes a prebuilt context or builds one; attaches `run` as its host.
  bool AcquireFreshContext(JobRun& run, Environment environment);
  void StartEvaluate(JobRun* run);
  void StartCall(JobRun* run);
  void LoadProgram(JobRun* run);
  void CreateSession(JobRun* run);
  void DeleteSession(JobRun* run);
  // The run's context for its program: cached, or built now (top level run under
  // the run's deadline). Returns a failure outcome when it cannot.
  std::optional<Outcome> EnterProgramContext(JobRun* run, bool fresh);
  // Gives the run a new context for `program` and runs its top level in it.
  std::optional<Outcome> BuildProgramContext(JobRun* run, std::shared_ptr<const Program> program);
  void EvictProgramContexts();
  void DropUnloadedPrograms();
  void ReleaseSession(JobRun* run);
  void ArmSessionTimer(absl::Duration ttl);
  void ExpireSessions();
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
  // Converts `value` in the job's encoding into outcome->value (+ annotations,
  // undefined) or outcome->value_json; a non-OK status as internal::ToJsonValue's.
  absl::Status ConvertValue(internal::JsScope& scope, const Job& job, v8::Local<v8::Value> value,
                            Outcome* outcome);
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
  static bool NeedsOwnContext(const JobSpec& spec);
  // Whether a Call on a program must run in a fresh copy of the program's context.
  static bool NeedsFreshProgramContext(const JobSpec& spec);
  // Inside the job's first section, before its code: seeds, freezes the clock,
  // installs the browser profile, starts the probe. Returns false when JS threw or
  // was terminated (see the TryCatch).
  bool ApplyJobSettings(internal::JsScope& scope, JobRun& run);
  // At completion: stops the probe and hands its names to `outcome`; gives a session
  // its own clock back.
  void EndJobSettings(v8::Local<v8::Context> context, JobRun& run, Outcome& outcome);

  // ---- immutable after construction ----
  const int index;
  Platform& platform;
  internal::JobQueue& shared_queue;
  internal::FifoJobQueue& own_queue;  // jobs pinned here (sessions)
  Watchdog& watchdog;
  ProgramCache& programs;
  SessionTable& session_table;
  const PoolOptions options;

  // ---- shared with other threads ----
  std::thread thread;
  absl::Notification ready;
  absl::Status start_status;              // written before `ready`
  std::atomic<bool> accepting{false};     // parked in uv_run with spare capacity
  std::atomic<bool> stop_requested{false};
  std::atomic<bool> cancel_scan{false};   // a parked job may have been cancelled
  std::atomic<uint32_t> inflight{0};
  std::atomic<uint64_t> completed{0};
  std::atomic<uint64_t> heap_used{0};
  std::atomic<uint64_t> heap_limit{0};
  std::atomic<uint32_t> replacements{0};
  std::atomic<uint32_t> prebuilt_count{0};
  std::atomic<uint64_t> timeouts{0};
  std::atomic<uint32_t> http_in_flight{0};
  uv_async_t wake;  // uv_async_send is the one libuv call other threads make
  // libuv's idle-time metric (UV_METRICS_IDLE_TIME) is on for `loop`: Stats() reads
  // it from other threads (uv_metrics_idle_time takes the loop's metrics lock).
  std::atomic<bool> loop_metrics{false};
  uint64_t loop_started_ns = 0;  // uv_hrtime() when the metric started; before the flag

  // Every parked job (from Park to Complete), for Worker::AnswerOverdue.
  absl::Mutex parked_mu;
  std::vector<std::shared_ptr<Job>> parked_jobs ABSL_GUARDED_BY(parked_mu);

  absl::Mutex interrupt_mu;
  uint64_t running_job ABSL_GUARDED_BY(interrupt_mu) = 0;  // 0: no JS running
  v8::Isolate* running_isolate ABSL_GUARDED_BY(interrupt_mu) = nullptr;
  bool interrupted ABSL_GUARDED_BY(interrupt_mu) = false;
  InterruptReason interrupt_reason ABSL_GUARDED_BY(interrupt_mu) = InterruptReason::kDeadline;

  // ---- worker thread only ----
  uv_loop_t loop;
  uv_idle_t prebuild_idle;
  // fetch/XMLHttpRequest transfers; null unless --allow_fetch names hosts.
  std::unique_ptr<internal::HttpClient> http;
  bool prebuilding = false;
  v8::Isolate* isolate = nullptr;
  std::unique_ptr<internal::CountingAllocator> allocator;
  bool heap_limit_hit = false;
  absl::Time section_started;
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
  std::unordered_map<std::string, std::unique_ptr<Session>> sessions;
  uv_timer_t session_timer;
  absl::Time session_timer_due = absl::InfiniteFuture();
  std::unordered_map<std::string, ProgramContext> program_contexts;
  std::list<std::string> program_lru;  // most recently used first
  size_t program_context_bytes = 0;
  uint64_t programs_generation = 0;
  std::atomic<uint32_t> program_context_count{0};
  std::atomic<uint32_t> session_count{0};
  bool stopping = false;
  bool replace_pending = false;  // a heap-limit event: replace once no JS is on the stack
};

}  // namespace jscore::engine

#endif  // JSCORE_ENGINE_INTERNAL_WORKER_IMPL_H_
