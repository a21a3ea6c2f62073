// Starting each kind of job on its worker: fresh, program and session contexts,
// Evaluate, Call, LoadProgram, CreateSession, DeleteSession. What follows the start
// (awaiting, converting, completing) is in job_run.cc.
#include <algorithm>
#include <optional>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/extensions/browser/browser_profile.h"
#include "engine/extensions/hooks/hooks.h"
#include "engine/internal/call_target.h"
#include "engine/internal/context_state.h"
#include "engine/internal/js_error.h"
#include "engine/internal/json_value_codec.h"
#include "engine/internal/program_code.h"
#include "engine/internal/require.h"
#include "engine/internal/section.h"
#include "engine/internal/value_codec.h"
#include "engine/internal/worker_impl.h"

namespace jscore::engine {

using internal::JsScope;

namespace {

Outcome JsErrorOutcome(JsError error) {
  Outcome o;
  o.kind = Outcome::Kind::kJsError;
  o.error = std::move(error);
  return o;
}

JsError TypeError(std::string message) {
  JsError e;
  e.name = "TypeError";
  e.message = std::move(message);
  e.stack = "TypeError: " + e.message;
  return e;
}

Outcome IdOutcome(std::string id) {
  Outcome o;
  o.kind = Outcome::Kind::kValue;
  o.value.set_string_value(id);
  o.id = std::move(id);
  return o;
}

// Inside an Evaluate's section: a module graph, or a script with require(),
// compiled as a program that is not kept (no code caches) and run.
bool RunUnkeptProgram(JsScope& scope, const EvaluateSpec& spec, v8::Local<v8::Value>* result) {
  auto program = std::make_shared<Program>();
  program->source = spec.source;
  program->filename = spec.filename;
  program->modules = spec.modules;
  program->type = spec.source_type;
  bool ok = internal::CompileProgram(scope, program.get(), /*make_caches=*/false);
  if (internal::ContextState* state = internal::ContextState::From(scope.context())) {
    state->modules = program;
  }
  if (ok && program->files != nullptr && !program->files->empty()) {
    internal::InstallRequire(scope);
  }
  return ok && internal::RunProgram(scope, *program).ToLocal(result);
}

}  // namespace

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
  switch (spec.kind()) {
    case JobKind::kEvaluate:
      return StartEvaluate(run);
    case JobKind::kCall:
      return StartCall(run);
    case JobKind::kLoadProgram:
      return LoadProgram(run);
    case JobKind::kCreateSession:
      return CreateSession(run);
    case JobKind::kDeleteSession:
      return DeleteSession(run);
  }
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

void Worker::Impl::StartEvaluate(JobRun* run) {
  const EvaluateSpec& spec = std::get<EvaluateSpec>(run->job->spec().what);
  if (run->session != nullptr) {
    run->context.Reset(isolate, run->session->context);
    run->microtasks = run->session->microtasks;
    run->shared_context = true;
  } else if (!AcquireFreshContext(*run, spec.environment)) {
    return Complete(
        run,
        Outcome::Failed(absl::ResourceExhaustedError("the engine could not create a context")));
  }
  std::optional<Outcome> outcome;
  {
    internal::Section section(isolate, run->context, *run);
    JsScope& scope = section.scope();
    v8::Local<v8::Context> context = section.context();
    v8::TryCatch& try_catch = section.try_catch();
    bool ok = ApplyJobSettings(scope, *run);
    for (const auto& [name, value] : spec.globals) {
      if (!ok) break;
      v8::Local<v8::Value> js;
      if (!internal::FromProtoValue(scope, value).ToLocal(&js) ||
          context->Global()->Set(context, scope.Str(name), js).IsNothing()) {
        ok = false;
        break;
      }
    }
    absl::Status globals_status;
    if (ok && spec.globals_json) {
      globals_status = internal::SetJsonGlobals(scope, *spec.globals_json);
      ok = globals_status.ok();
    }
    v8::Local<v8::String> source;
    v8::Local<v8::Value> result;
    if (ok && !v8::String::NewFromUtf8(isolate, spec.source.data(), v8::NewStringType::kNormal,
                                       static_cast<int>(spec.source.size()))
                   .ToLocal(&source)) {
      ok = false;
    }
    if (ok && spec.source_type == SourceType::kScript && spec.modules.empty()) {
      v8::ScriptOrigin origin(isolate, scope.Str(spec.filename));
      v8::Local<v8::Script> script;
      ok = v8::Script::Compile(context, source, &origin).ToLocal(&script) &&
           script->Run(context).ToLocal(&result);
    } else if (ok) {
      ok = RunUnkeptProgram(scope, spec, &result);
    }
    if (ok) Checkpoint(*run);
    if (!ok && try_catch.HasCaught() && !try_catch.HasTerminated()) {
      // Reading the error may run user getters: still inside the section.
      outcome = ThrownOutcome(scope, try_catch, *run->job);
    }
    if (ok) {
      outcome = OutcomeOf(scope, try_catch, run, result);
    } else if (!outcome && absl::IsInvalidArgument(globals_status)) {
      outcome = Outcome::Failed(globals_status);
    } else if (!outcome) {
      JsError e;
      e.name = "RangeError";
      e.message = "the source could not be prepared (too large?)";
      outcome = JsErrorOutcome(std::move(e));
    }
    SectionEnd end = section.End();
    if (end != SectionEnd::kCompleted) outcome = EndedOutcome(*run, end);
  }
  AfterStart(run, std::move(outcome));
}

void Worker::Impl::StartCall(JobRun* run) {
  const CallSpec& spec = std::get<CallSpec>(run->job->spec().what);
  if (run->session != nullptr) {
    run->context.Reset(isolate, run->session->context);
    run->microtasks = run->session->microtasks;
    run->shared_context = true;
  } else if (std::optional<Outcome> failed =
                 EnterProgramContext(run, spec.fresh || NeedsFreshProgramContext(spec.settings))) {
    return Complete(run, std::move(*failed));
  }
  std::optional<Outcome> outcome;
  {
    std::optional<Outcome> failed;
    internal::Section section(isolate, run->context, *run);
    JsScope& scope = section.scope();
    v8::Local<v8::Context> context = section.context();
    v8::TryCatch& try_catch = section.try_catch();
    v8::Local<v8::Function> function;
    v8::Local<v8::Value> holder;
    v8::Local<v8::Value> result;
    bool found = false;
    bool ok = false;
    // A program's settings were applied before its top level (BuildProgramContext);
    // when applying a session's throws or is terminated, the TryCatch and section.End() say so.
    bool prepared = run->session == nullptr || ApplyJobSettings(scope, *run);
    std::optional<JsError> missing;
    absl::Status args_status;
    if (prepared)
      missing = internal::ResolveCallTarget(scope, spec.function, &function, &holder, &found);
    if (missing) {
      failed = JsErrorOutcome(std::move(*missing));
    } else if (found) {
      std::vector<v8::Local<v8::Value>> argv;
      argv.reserve(spec.args.size());
      ok = true;
      for (const auto& arg : spec.args) {
        v8::Local<v8::Value> js;
        if (!internal::FromProtoValue(scope, arg).ToLocal(&js)) {
          ok = false;
          break;
        }
        argv.push_back(js);
      }
      if (ok && spec.args_json) {
        args_status = internal::JsonArguments(scope, *spec.args_json, &argv);
        ok = args_status.ok();
      }
      ok = ok && function->Call(context, holder, static_cast<int>(argv.size()), argv.data())
                     .ToLocal(&result);
      if (ok) Checkpoint(*run);
    }
    if (!failed && !ok && try_catch.HasCaught() && !try_catch.HasTerminated()) {
      failed = ThrownOutcome(scope, try_catch, *run->job);
    }
    if (!failed && !ok) {
      failed =
          Outcome::Failed(absl::IsInvalidArgument(args_status)
                              ? args_status
                              : absl::InvalidArgumentError("the arguments could not be converted"));
    }
    std::optional<Outcome> settled =
        failed ? std::move(failed) : OutcomeOf(scope, try_catch, run, result);
    SectionEnd end = section.End();
    if (end != SectionEnd::kCompleted) settled = EndedOutcome(*run, end);
    outcome = std::move(settled);
  }
  AfterStart(run, std::move(outcome));
}

std::optional<Outcome> Worker::Impl::EnterProgramContext(JobRun* run, bool fresh) {
  JSCORE_DCHECK_ON_WORKER_THREAD();
  const std::string& id = std::get<CallSpec>(run->job->spec().what).program;
  // A cached context stands for a loaded program once the contexts of unloaded ones
  // are dropped (one atomic read when nothing was unloaded): a hit needs no
  // ProgramCache lookup (Pool::Route already made one).
  if (programs.generation() != programs_generation) DropUnloadedPrograms();
  if (internal::ProgramContext* cached = fresh ? nullptr : program_contexts.Use(id)) {
    run->context.Reset(isolate, cached->context);
    run->microtasks = cached->microtasks;
    run->shared_context = true;
    run->program_id = id;
    return std::nullopt;
  }
  std::shared_ptr<const Program> program = programs.Get(id);
  if (program == nullptr) {
    return Outcome::Failed(ProgramNotLoadedError(id));
  }
  v8::HeapStatistics before;
  isolate->GetHeapStatistics(&before);
  if (std::optional<Outcome> failed = BuildProgramContext(run, program)) return failed;
  if (fresh) return std::nullopt;  // the run's own copy, dropped with it
  v8::HeapStatistics after;
  isolate->GetHeapStatistics(&after);
  internal::ProgramContext entry;
  entry.program = program;
  entry.context.Reset(isolate, run->context);
  entry.microtasks = run->microtasks;
  entry.approx_bytes =
      program->source.size() + (after.used_heap_size() > before.used_heap_size()
                                    ? after.used_heap_size() - before.used_heap_size()
                                    : 0);
  program_contexts.Insert(id, std::move(entry));  // evicts past its bounds, never this one
  run->shared_context = true;
  run->program_id = id;
  return std::nullopt;
}

std::optional<Outcome> Worker::Impl::BuildProgramContext(JobRun* run,
                                                         std::shared_ptr<const Program> program) {
  if (!AcquireFreshContext(*run, Environment::kStandard)) {
    return Outcome::Failed(absl::ResourceExhaustedError("the engine could not create a context"));
  }
  std::optional<Outcome> failed;
  internal::Section section(isolate, run->context, *run);
  JsScope& scope = section.scope();
  v8::Local<v8::Context> context = section.context();
  v8::TryCatch& try_catch = section.try_catch();
  bool ok = ApplyJobSettings(scope, *run);
  if (ok && program->browser)
    ok = extensions::browser::InstallBrowserProfile(scope, *program->browser);
  if (internal::ContextState* state = internal::ContextState::From(context))
    state->modules = program;
  if (ok && program->files != nullptr && !program->files->empty()) internal::InstallRequire(scope);
  v8::Local<v8::Value> result;
  ok = ok && internal::RunProgram(scope, *program).ToLocal(&result);
  if (ok) Checkpoint(*run);
  if (ok && program->type == SourceType::kModule && result->IsPromise()) {
    // The module graph's evaluation (top-level await) settles within its microtasks.
    v8::Local<v8::Promise> evaluated = result.As<v8::Promise>();
    if (evaluated->State() == v8::Promise::kRejected) {
      JsError error = internal::ExceptionToJsError(
          scope, evaluated->Result(), v8::Exception::CreateMessage(isolate, evaluated->Result()));
      error.message = "while evaluating the program's modules: " + error.message;
      failed = JsErrorOutcome(std::move(error));
    } else if (evaluated->State() == v8::Promise::kPending) {
      JsError error = TypeError(
          "the program's module graph did not finish evaluating (a top-level await of a "
          "program may wait for promises and import(), not for timers or I/O)");
      failed = JsErrorOutcome(std::move(error));
    }
  }
  v8::Local<v8::Value> returned;
  if (!ok && try_catch.HasCaught() && !try_catch.HasTerminated() &&
      !extensions::hooks::ReturnedValue(scope, try_catch.Exception(), &returned)) {
    // ($return at the top level only ends the top level early.)
    JsError error =
        ErrorFromException(scope, *run->job, try_catch.Exception(), try_catch.Message());
    std::string where;
    if (!try_catch.Message().IsEmpty() &&
        try_catch.Message()->GetScriptResourceName()->IsString()) {
      where = scope.Utf8(try_catch.Message()->GetScriptResourceName().As<v8::String>());
    }
    error.message =
        absl::StrCat("while running the program's top level",
                     where.empty() || where == program->filename
                         ? ""
                         : absl::StrCat(" (in ", where, ":", error.line, ":", error.column, ")"),
                     ": ", error.message);
    failed = JsErrorOutcome(std::move(error));
  }
  SectionEnd end = section.End();
  if (end != SectionEnd::kCompleted) failed = EndedOutcome(*run, end);
  return failed;
}

void Worker::Impl::DropUnloadedPrograms() {
  programs_generation = programs.generation();
  program_contexts.DropUnloaded(
      programs_generation, [this](const std::string& id) { return programs.Get(id) != nullptr; });
}

void Worker::Impl::LoadProgram(JobRun* run) {
  const LoadProgramSpec& spec = std::get<LoadProgramSpec>(run->job->spec().what);
  const std::string& owner = run->job->spec().owner;
  std::string id = ProgramId(spec.source, spec.modules, spec.source_type, spec.browser, owner);
  if (!spec.validate_only && programs.Get(id) != nullptr) return Complete(run, IdOutcome(id));
  if (!AcquireFreshContext(*run, Environment::kBare)) {
    return Complete(
        run,
        Outcome::Failed(absl::ResourceExhaustedError("the engine could not create a context")));
  }
  auto program = std::make_shared<Program>();
  program->id = id;
  program->owner = owner;
  program->source = spec.source;
  program->filename = spec.filename;
  program->modules = spec.modules;
  program->type = spec.source_type;
  program->browser = spec.browser;
  std::optional<Outcome> failed;
  {
    internal::Section section(isolate, run->context, *run);
    JsScope& scope = section.scope();
    v8::TryCatch& try_catch = section.try_catch();
    bool ok = internal::CompileProgram(scope, program.get(), /*make_caches=*/!spec.validate_only);
    if (!ok && try_catch.HasCaught() && !try_catch.HasTerminated()) {
      failed = JsErrorOutcome(
          ErrorFromException(scope, *run->job, try_catch.Exception(), try_catch.Message()));
    }
    SectionEnd end = section.End();
    if (end != SectionEnd::kCompleted) failed = EndedOutcome(*run, end);
  }
  if (failed) return Complete(run, std::move(*failed));
  if (!spec.validate_only && !programs.Put(std::move(program))) {
    return Complete(run, Outcome::Failed(absl::ResourceExhaustedError(
                             "too many programs loaded; unload some first")));
  }
  Complete(run, IdOutcome(id));
}

void Worker::Impl::CreateSession(JobRun* run) {
  JSCORE_DCHECK_ON_WORKER_THREAD();
  const CreateSessionSpec& spec = std::get<CreateSessionSpec>(run->job->spec().what);
  const size_t heap_before = UsedHeap();
  std::optional<Outcome> failed;
  if (!spec.program.empty()) {
    std::shared_ptr<const Program> program = programs.Get(spec.program);
    if (program == nullptr) {
      failed = Outcome::Failed(ProgramNotLoadedError(spec.program));
    } else {
      failed = BuildProgramContext(run, program);
    }
  } else if (!AcquireFreshContext(*run, spec.environment)) {
    failed = Outcome::Failed(absl::ResourceExhaustedError("the engine could not create a context"));
  }
  // A session from a program got its settings before the program's top level.
  bool apply_settings = spec.program.empty();
  if (!failed && (!spec.source.empty() || apply_settings)) {
    internal::Section section(isolate, run->context, *run);
    JsScope& scope = section.scope();
    v8::TryCatch& try_catch = section.try_catch();
    v8::ScriptOrigin origin(isolate, scope.Str(spec.filename));
    v8::Local<v8::Script> script;
    v8::Local<v8::Value> ignored;
    bool ok = !apply_settings || ApplyJobSettings(scope, *run);
    ok = ok &&
         (spec.source.empty() ||
          (v8::Script::Compile(scope.context(), scope.Str(spec.source), &origin).ToLocal(&script) &&
           script->Run(scope.context()).ToLocal(&ignored)));
    if (ok) Checkpoint(*run);
    v8::Local<v8::Value> returned;
    if (!ok && try_catch.HasCaught() && !try_catch.HasTerminated() &&
        !extensions::hooks::ReturnedValue(scope, try_catch.Exception(), &returned)) {
      // ($return in the session's source only ends the source early.)
      failed = JsErrorOutcome(
          ErrorFromException(scope, *run->job, try_catch.Exception(), try_catch.Message()));
    }
    SectionEnd end = section.End();
    if (end != SectionEnd::kCompleted) failed = EndedOutcome(*run, end);
  }
  if (failed && failed->kind == Outcome::Kind::kHook) {
    JsError error;
    error.name = "Error";
    error.message = "$terminate was called while the session was being created";
    error.stack = "Error: " + error.message;
    failed = JsErrorOutcome(std::move(error));
  }
  run->shared_context = true;  // the context lives on as the session's
  if (failed) {
    if (!retired_seen) session_table.Remove(spec.session, "its creation failed");
    return Complete(run, std::move(*failed));
  }
  auto session = std::make_unique<internal::Session>();
  session->id = spec.session;
  session->context.Reset(isolate, run->context);
  session->microtasks = run->microtasks;
  session->ttl = spec.ttl > absl::ZeroDuration() ? spec.ttl : options.default_session_ttl;
  // What it holds: the heap its creation added (context, program, source), counted
  // against the workers' session budget (SessionTable, at least its floor).
  size_t heap_after = UsedHeap();
  session->bytes = heap_after > heap_before ? heap_after - heap_before : 0;
  if (!retired_seen) session_table.SetBytes(spec.session, session->bytes);
  absl::Duration ttl = session->ttl;
  sessions.Add(std::move(session));  // used now
  ArmSessionTimer(ttl);
  Complete(run, IdOutcome(spec.session));
}

void Worker::Impl::DeleteSession(JobRun* run) {
  internal::Session* session = run->session;
  run->session = nullptr;
  std::string id = session->id;
  DropWaiting(session, absl::NotFoundError(absl::StrCat("session ", id, " is gone: deleted")));
  if (!retired_seen) session_table.Remove(id, "deleted");
  sessions.Remove(id);
  Outcome done;
  done.kind = Outcome::Kind::kValue;
  done.id = id;
  Complete(run, std::move(done));
}

}  // namespace jscore::engine
