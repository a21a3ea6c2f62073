// The CreateSession and DeleteSession runners (session_runner.h). Worker thread only.
#include "engine/runners/session_runner.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/extensions/hooks/hooks.h"
#include "engine/internal/section.h"
#include "engine/internal/worker_impl.h"
#include "engine/runners/program_runner.h"
#include "engine/runners/runner_outcomes.h"

namespace jscore::engine::runners {

void StartJob(Worker::Impl& worker, JobRun* run, const CreateSessionSpec& spec) {
  JSCORE_DCHECK_ON_WORKER_THREAD_OF(worker);
  const size_t heap_before = worker.UsedHeap();
  std::optional<Outcome> failed;
  if (!spec.program.empty()) {
    std::shared_ptr<const Program> program = ResolvedProgram(worker, *run->job, spec.program);
    if (program == nullptr) {
      failed = Outcome::Failed(ProgramNotLoadedError(spec.program));
    } else {
      failed = BuildProgramContext(worker, run, program);
    }
  } else if (!worker.AcquireFreshContext(*run, spec.environment)) {
    failed = Outcome::Failed(absl::ResourceExhaustedError("the engine could not create a context"));
  }
  // A session from a program got its settings before the program's top level.
  bool apply_settings = spec.program.empty();
  if (!failed && (!spec.source.empty() || apply_settings)) {
    internal::Section section(worker.isolate, run->context, *run);
    internal::JsScope& scope = section.scope();
    v8::TryCatch& try_catch = section.try_catch();
    v8::ScriptOrigin origin(worker.isolate, scope.Str(spec.filename));
    v8::Local<v8::Script> script;
    v8::Local<v8::Value> ignored;
    bool ok = !apply_settings || worker.ApplyJobSettings(scope, *run);
    ok = ok &&
         (spec.source.empty() ||
          (v8::Script::Compile(scope.context(), scope.Str(spec.source), &origin).ToLocal(&script) &&
           script->Run(scope.context()).ToLocal(&ignored)));
    if (ok) worker.Checkpoint(*run);
    v8::Local<v8::Value> returned;
    if (!ok && try_catch.HasCaught() && !try_catch.HasTerminated() &&
        !extensions::hooks::ReturnedValue(scope, try_catch.Exception(), &returned)) {
      // ($return in the session's source only ends the source early.)
      failed = JsErrorOutcome(
          worker.ErrorFromException(scope, *run->job, try_catch.Exception(), try_catch.Message()));
    }
    SectionEnd end = section.End();
    if (end != SectionEnd::kCompleted) failed = worker.EndedOutcome(*run, end);
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
    if (!worker.retired_seen) worker.session_table.Remove(spec.session, "its creation failed");
    return worker.Complete(run, std::move(*failed));
  }
  auto session = std::make_unique<internal::Session>();
  session->id = spec.session;
  session->context.Reset(worker.isolate, run->context);
  session->microtasks = run->microtasks;
  session->ttl = spec.ttl > absl::ZeroDuration() ? spec.ttl : worker.options.default_session_ttl;
  // What it holds: the heap its creation added (context, program, source), counted
  // against the workers' session budget (SessionTable, at least its floor).
  size_t heap_after = worker.UsedHeap();
  session->bytes = heap_after > heap_before ? heap_after - heap_before : 0;
  if (!worker.retired_seen) worker.session_table.SetBytes(spec.session, session->bytes);
  absl::Duration ttl = session->ttl;
  worker.sessions.Add(std::move(session));  // used now
  worker.ArmSessionTimer(ttl);
  worker.Complete(run, IdOutcome(spec.session));
}

void StartJob(Worker::Impl& worker, JobRun* run, const DeleteSessionSpec& /*spec*/) {
  JSCORE_DCHECK_ON_WORKER_THREAD_OF(worker);
  internal::Session* session = run->session;
  run->session = nullptr;
  std::string id = session->id;
  worker.DropWaiting(session,
                     absl::NotFoundError(absl::StrCat("session ", id, " is gone: deleted")));
  if (!worker.retired_seen) worker.session_table.Remove(id, "deleted");
  worker.sessions.Remove(id);
  Outcome done;
  done.kind = Outcome::Kind::kValue;
  done.id = id;
  worker.Complete(run, std::move(done));
}

}  // namespace jscore::engine::runners
