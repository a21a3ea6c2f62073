// The LoadProgram runner and BuildProgramContext (program_runner.h). Worker thread only.
#include "engine/runners/program_runner.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/extensions/browser/browser_profile.h"
#include "engine/extensions/hooks/hooks.h"
#include "engine/internal/context_state.h"
#include "engine/internal/js_error.h"
#include "engine/internal/program_code.h"
#include "engine/internal/require.h"
#include "engine/internal/section.h"
#include "engine/internal/worker_impl.h"
#include "engine/runners/runner_outcomes.h"

namespace jscore::engine::runners {
namespace {

JsError TypeError(std::string message) {
  JsError e;
  e.name = "TypeError";
  e.message = std::move(message);
  e.stack = "TypeError: " + e.message;
  return e;
}

}  // namespace

void StartJob(Worker::Impl& worker, JobRun* run, const LoadProgramSpec& spec) {
  JSCORE_DCHECK_ON_WORKER_THREAD_OF(worker);
  const std::string& owner = run->job->spec().owner;
  std::string id = ProgramId(spec.source, spec.modules, spec.source_type, spec.browser, owner);
  if (!spec.validate_only && worker.programs.Get(id) != nullptr)
    return worker.Complete(run, IdOutcome(id));
  if (!worker.AcquireFreshContext(*run, Environment::kBare)) {
    return worker.Complete(
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
    internal::Section section(worker.isolate, run->context, *run);
    internal::JsScope& scope = section.scope();
    v8::TryCatch& try_catch = section.try_catch();
    bool ok = internal::CompileProgram(scope, program.get(), /*make_caches=*/!spec.validate_only);
    if (!ok && try_catch.HasCaught() && !try_catch.HasTerminated()) {
      failed = JsErrorOutcome(
          worker.ErrorFromException(scope, *run->job, try_catch.Exception(), try_catch.Message()));
    }
    SectionEnd end = section.End();
    if (end != SectionEnd::kCompleted) failed = worker.EndedOutcome(*run, end);
  }
  if (failed) return worker.Complete(run, std::move(*failed));
  if (!spec.validate_only && !worker.programs.Put(std::move(program))) {
    return worker.Complete(run, Outcome::Failed(absl::ResourceExhaustedError(
                                    "too many worker.programs loaded; unload some first")));
  }
  worker.Complete(run, IdOutcome(id));
}

std::shared_ptr<const Program> ResolvedProgram(Worker::Impl& worker, const Job& job,
                                               const std::string& id) {
  if (job.program() != nullptr && job.program()->id == id &&
      job.program_generation() == worker.programs.generation()) {
    return job.program();
  }
  return worker.programs.Get(id);
}

std::optional<Outcome> BuildProgramContext(Worker::Impl& worker, JobRun* run,
                                           std::shared_ptr<const Program> program) {
  if (!worker.AcquireFreshContext(*run, Environment::kStandard)) {
    return Outcome::Failed(absl::ResourceExhaustedError("the engine could not create a context"));
  }
  std::optional<Outcome> failed;
  internal::Section section(worker.isolate, run->context, *run);
  internal::JsScope& scope = section.scope();
  v8::Local<v8::Context> context = section.context();
  v8::TryCatch& try_catch = section.try_catch();
  bool ok = worker.ApplyJobSettings(scope, *run);
  if (ok && program->browser)
    ok = extensions::browser::InstallBrowserProfile(scope, *program->browser);
  if (internal::ContextState* state = internal::ContextState::From(context))
    state->modules = program;
  if (ok && program->files != nullptr && !program->files->empty()) internal::InstallRequire(scope);
  v8::Local<v8::Value> result;
  ok = ok && internal::RunProgram(scope, *program).ToLocal(&result);
  if (ok) worker.Checkpoint(*run);
  if (ok && program->type == SourceType::kModule && result->IsPromise()) {
    // The module graph's evaluation (top-level await) settles within its microtasks.
    v8::Local<v8::Promise> evaluated = result.As<v8::Promise>();
    if (evaluated->State() == v8::Promise::kRejected) {
      JsError error = internal::ExceptionToJsError(
          scope, evaluated->Result(),
          v8::Exception::CreateMessage(worker.isolate, evaluated->Result()));
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
        worker.ErrorFromException(scope, *run->job, try_catch.Exception(), try_catch.Message());
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
  if (end != SectionEnd::kCompleted) failed = worker.EndedOutcome(*run, end);
  return failed;
}

}  // namespace jscore::engine::runners
