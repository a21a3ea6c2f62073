// The Call runner: how a Call job starts on its worker.
#ifndef JSCORE_ENGINE_RUNNERS_CALL_RUNNER_H_
#define JSCORE_ENGINE_RUNNERS_CALL_RUNNER_H_

#include "engine/job.h"
#include "engine/worker.h"

namespace jscore::engine {

class JobRun;

namespace runners {

// Starts `run`'s Call: in its session's context, or its program's (the worker's
// cached context, a fresh copy when the call sets a seed, a clock or a probe or
// asks for one, or a new context built now: program_runner.h); then, in one
// section, resolves the function (call_target.h), converts the arguments and calls
// it. Completes the run or leaves it awaiting (Worker::Impl::AfterStart).
// Worker thread only (tests/engine/program_session_test.cc, program_modules_test.cc).
void StartJob(Worker::Impl& worker, JobRun* run, const CallSpec& spec);

}  // namespace runners
}  // namespace jscore::engine

#endif  // JSCORE_ENGINE_RUNNERS_CALL_RUNNER_H_
