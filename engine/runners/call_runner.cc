// The Call runner (call_runner.h). Worker thread only.
#include "engine/runners/call_runner.h"

#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "engine/internal/call_target.h"
#include "engine/internal/json_value_codec.h"
#include "engine/internal/section.h"
#include "engine/internal/value_codec.h"
#include "engine/internal/worker_impl.h"
#include "engine/runners/program_runner.h"
#include "engine/runners/runner_outcomes.h"

namespace jscore::engine::runners {
namespace {

// The run's context for its program: cached, or built now (top level run under
// the run's deadline). Returns a failure outcome when it cannot.
std::optional<Outcome> EnterProgramContext(Worker::Impl& worker, JobRun* run, const CallSpec& spec,
                                           bool fresh) {
  const std::string& id = spec.program;
  // A cached context stands for a loaded program once the contexts of unloaded ones
  // are dropped (one atomic read when nothing was unloaded): a hit needs no
  // ProgramCache lookup, and a miss uses the program Pool::Route found.
  if (worker.programs.generation() != worker.programs_generation) worker.DropUnloadedPrograms();
  if (internal::ProgramContext* cached = fresh ? nullptr : worker.program_contexts.Use(id)) {
    run->context.Reset(worker.isolate, cached->context);
    run->microtasks = cached->microtasks;
    run->shared_context = true;
    run->program_id = id;
    return std::nullopt;
  }
  std::shared_ptr<const Program> program = ResolvedProgram(worker, *run->job, id);
  if (program == nullptr) {
    return Outcome::Failed(ProgramNotLoadedError(id));
  }
  v8::HeapStatistics before;
  worker.isolate->GetHeapStatistics(&before);
  if (std::optional<Outcome> failed = BuildProgramContext(worker, run, program)) return failed;
  if (fresh) return std::nullopt;  // the run's own copy, dropped with it
  v8::HeapStatistics after;
  worker.isolate->GetHeapStatistics(&after);
  internal::ProgramContext entry;
  entry.program = program;
  entry.context.Reset(worker.isolate, run->context);
  entry.microtasks = run->microtasks;
  entry.approx_bytes =
      program->source.size() + (after.used_heap_size() > before.used_heap_size()
                                    ? after.used_heap_size() - before.used_heap_size()
                                    : 0);
  worker.program_contexts.Insert(id, std::move(entry));  // evicts past its bounds, never this one
  run->shared_context = true;
  run->program_id = id;
  return std::nullopt;
}

}  // namespace

void StartJob(Worker::Impl& worker, JobRun* run, const CallSpec& spec) {
  JSCORE_DCHECK_ON_WORKER_THREAD_OF(worker);
  if (run->session != nullptr) {
    run->context.Reset(worker.isolate, run->session->context);
    run->microtasks = run->session->microtasks;
    run->shared_context = true;
  } else if (std::optional<Outcome> failed = EnterProgramContext(
                 worker, run, spec, spec.fresh || worker.NeedsFreshProgramContext(spec.settings))) {
    return worker.Complete(run, std::move(*failed));
  }
  std::optional<Outcome> outcome;
  {
    std::optional<Outcome> failed;
    internal::Section section(worker.isolate, run->context, *run);
    internal::JsScope& scope = section.scope();
    v8::Local<v8::Context> context = section.context();
    v8::TryCatch& try_catch = section.try_catch();
    v8::Local<v8::Value> result;
    bool ok = false;
    // A program's settings were applied before its top level (BuildProgramContext);
    // when applying a session's throws or is terminated, the TryCatch and section.End() say so.
    bool prepared = run->session == nullptr || worker.ApplyJobSettings(scope, *run);
    absl::Status args_status;
    internal::CallTarget target;
    if (prepared && internal::ResolveCallTarget(scope, spec.function).To(&target)) {
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
        absl::StatusOr<std::vector<v8::Local<v8::Value>>> json_args =
            internal::JsonArguments(scope, *spec.args_json);
        args_status = json_args.status();
        ok = json_args.ok();
        if (ok) argv.insert(argv.end(), json_args->begin(), json_args->end());
      }
      ok = ok &&
           target.function->Call(context, target.holder, static_cast<int>(argv.size()), argv.data())
               .ToLocal(&result);
      if (ok) worker.Checkpoint(*run);
    }
    if (!failed && !ok && try_catch.HasCaught() && !try_catch.HasTerminated()) {
      failed = worker.ThrownOutcome(scope, try_catch, *run->job);
    }
    if (!failed && !ok) {
      failed =
          Outcome::Failed(absl::IsInvalidArgument(args_status)
                              ? args_status
                              : absl::InvalidArgumentError("the arguments could not be converted"));
    }
    std::optional<Outcome> settled =
        failed ? std::move(failed) : worker.OutcomeOf(scope, try_catch, run, result);
    SectionEnd end = section.End();
    if (end != SectionEnd::kCompleted) settled = worker.EndedOutcome(*run, end);
    outcome = std::move(settled);
  }
  worker.AfterStart(run, std::move(outcome));
}

}  // namespace jscore::engine::runners
