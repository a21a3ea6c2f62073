// The Evaluate runner (evaluate_runner.h). Worker thread only.
#include "engine/runners/evaluate_runner.h"

#include <memory>
#include <optional>
#include <utility>

#include "engine/internal/context_state.h"
#include "engine/internal/json_value_codec.h"
#include "engine/internal/program_code.h"
#include "engine/internal/require.h"
#include "engine/internal/section.h"
#include "engine/internal/value_codec.h"
#include "engine/internal/worker_impl.h"
#include "engine/runners/runner_outcomes.h"

namespace jscore::engine::runners {
namespace {

// Inside an Evaluate's section: a module graph, or a script with require(),
// compiled as a program that is not kept (no code caches) and run.
bool RunUnkeptProgram(internal::JsScope& scope, const EvaluateSpec& spec,
                      v8::Local<v8::Value>* result) {
  auto program = std::make_shared<Program>();
  program->source = spec.source;
  program->filename = spec.filename;
  program->modules = spec.modules;
  program->type = spec.source_type;
  bool ok = CompileProgram(scope, program.get(), /*make_caches=*/false);
  if (internal::ContextState* state = internal::ContextState::From(scope.context())) {
    state->modules = program;
  }
  if (ok && program->files != nullptr && !program->files->empty()) {
    InstallRequire(scope);
  }
  return ok && RunProgram(scope, *program).ToLocal(result);
}

}  // namespace

void StartJob(Worker::Impl& worker, JobRun* run, const EvaluateSpec& spec) {
  JSCORE_DCHECK_ON_WORKER_THREAD_OF(worker);
  if (run->session != nullptr) {
    run->context.Reset(worker.isolate, run->session->context);
    run->microtasks = run->session->microtasks;
    run->shared_context = true;
  } else if (!worker.AcquireFreshContext(*run, spec.environment)) {
    return worker.Complete(
        run,
        Outcome::Failed(absl::ResourceExhaustedError("the engine could not create a context")));
  }
  std::optional<Outcome> outcome;
  {
    internal::Section section(worker.isolate, run->context, *run);
    internal::JsScope& scope = section.scope();
    v8::Local<v8::Context> context = section.context();
    v8::TryCatch& try_catch = section.try_catch();
    bool ok = worker.ApplyJobSettings(scope, *run);
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
    if (ok &&
        !v8::String::NewFromUtf8(worker.isolate, spec.source.data(), v8::NewStringType::kNormal,
                                 static_cast<int>(spec.source.size()))
             .ToLocal(&source)) {
      ok = false;
    }
    if (ok && spec.source_type == SourceType::kScript && spec.modules.empty()) {
      v8::ScriptOrigin origin(worker.isolate, scope.Str(spec.filename));
      v8::Local<v8::Script> script;
      ok = v8::Script::Compile(context, source, &origin).ToLocal(&script) &&
           script->Run(context).ToLocal(&result);
    } else if (ok) {
      ok = RunUnkeptProgram(scope, spec, &result);
    }
    if (ok) worker.Checkpoint(*run);
    if (!ok && try_catch.HasCaught() && !try_catch.HasTerminated()) {
      // Reading the error may run user getters: still inside the section.
      outcome = worker.ThrownOutcome(scope, try_catch, *run->job);
    }
    if (ok) {
      outcome = worker.OutcomeOf(scope, try_catch, run, result);
    } else if (!outcome && absl::IsInvalidArgument(globals_status)) {
      outcome = Outcome::Failed(globals_status);
    } else if (!outcome) {
      JsError e;
      e.name = "RangeError";
      e.message = "the source could not be prepared (too large?)";
      outcome = JsErrorOutcome(std::move(e));
    }
    SectionEnd end = section.End();
    if (end != SectionEnd::kCompleted) outcome = worker.EndedOutcome(*run, end);
  }
  worker.AfterStart(run, std::move(outcome));
}

}  // namespace jscore::engine::runners
