// The LoadProgram runner, and a program's context built for a Call or a session.
#ifndef JSCORE_ENGINE_RUNNERS_PROGRAM_RUNNER_H_
#define JSCORE_ENGINE_RUNNERS_PROGRAM_RUNNER_H_

#include <memory>
#include <optional>
#include <string>

#include "engine/job.h"
#include "engine/worker.h"

namespace jscore::engine {

class JobRun;
struct Program;

namespace runners {

// Starts and completes `run`'s LoadProgram: an already loaded program answers its
// id; otherwise the source and modules are compiled once in a bare context (one
// section; code caches unless `validate_only`) and the program is put in the
// ProgramCache. Worker thread only (tests/engine/program_session_test.cc,
// program_modules_test.cc).
void StartJob(Worker::Impl& worker, JobRun* run, const LoadProgramSpec& spec);

// The program `id` a Call or CreateSession names: the one Pool::Route resolved
// (Job::program), while no program was unloaded since it did (the ProgramCache's
// generation is still the job's); else looked up again, null when it was unloaded
// meanwhile. Worker thread only.
std::shared_ptr<const Program> ResolvedProgram(Worker::Impl& worker, const Job& job,
                                               const std::string& id);

// Gives `run` a new standard context for `program` and runs the program's top level
// in it (one section, after the run's context settings and the program's browser
// profile). Returns a failure outcome when the context cannot be made or the top
// level throws, is stopped, or leaves its module graph unsettled. Worker thread only.
std::optional<Outcome> BuildProgramContext(Worker::Impl& worker, JobRun* run,
                                           std::shared_ptr<const Program> program);

}  // namespace runners
}  // namespace jscore::engine

#endif  // JSCORE_ENGINE_RUNNERS_PROGRAM_RUNNER_H_
