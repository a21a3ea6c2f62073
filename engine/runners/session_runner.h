// The CreateSession and DeleteSession runners.
#ifndef JSCORE_ENGINE_RUNNERS_SESSION_RUNNER_H_
#define JSCORE_ENGINE_RUNNERS_SESSION_RUNNER_H_

#include "engine/job.h"
#include "engine/worker.h"

namespace jscore::engine {

class JobRun;

namespace runners {

// Starts and completes `run`'s CreateSession: a context from its program
// (program_runner.h) or a fresh one, its settings and source run once (one section),
// then a Session in the worker's SessionStore, its bytes told to the SessionTable
// and its ttl timer armed. A failed creation removes the id the pool reserved.
// Worker thread only (tests/engine/program_session_test.cc, session_waiting_test.cc).
void StartJob(Worker::Impl& worker, JobRun* run, const CreateSessionSpec& spec);

// Completes `run`'s DeleteSession (its session, found by RunJob, in `run->session`):
// answers the jobs waiting for it NOT_FOUND, forgets it in the SessionTable and the
// SessionStore. Worker thread only (tests/engine/program_session_test.cc).
void StartJob(Worker::Impl& worker, JobRun* run, const DeleteSessionSpec& spec);

}  // namespace runners
}  // namespace jscore::engine

#endif  // JSCORE_ENGINE_RUNNERS_SESSION_RUNNER_H_
