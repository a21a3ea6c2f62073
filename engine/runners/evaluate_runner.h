// The Evaluate runner: how an Evaluate job starts on its worker.
#ifndef JSCORE_ENGINE_RUNNERS_EVALUATE_RUNNER_H_
#define JSCORE_ENGINE_RUNNERS_EVALUATE_RUNNER_H_

#include "engine/job.h"
#include "engine/worker.h"

namespace jscore::engine {

class JobRun;

namespace runners {

// Starts `run`'s Evaluate: in its session's context, or a fresh one (pre-built, or
// built for it when it probes); then, in one section, its context settings, its
// globals and its source (a script, or an unkept program when it has modules or is
// not a script). Completes the run or leaves it awaiting (Worker::Impl::AfterStart).
// Worker thread only (tests/engine/pool_test.cc, json_value_test.cc, determinism_test.cc).
void StartJob(Worker::Impl& worker, JobRun* run, const EvaluateSpec& spec);

}  // namespace runners
}  // namespace jscore::engine

#endif  // JSCORE_ENGINE_RUNNERS_EVALUATE_RUNNER_H_
