// JobRunner: what the daemon's streams need of the engine to run jobs (submit,
// cancel), so that a stream's logic can be tested against a fake runner.
#ifndef JSCORE_DAEMON_JOB_RUNNER_H_
#define JSCORE_DAEMON_JOB_RUNNER_H_

#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "engine/job.h"
#include "engine/pool.h"

namespace jscore::daemon {

// Runs jobs and completes each exactly once, on a thread of its own (never inside
// Submit or Cancel). Any thread may call Submit and Cancel; the runner must outlive
// every stream that uses it. The contract is engine::Pool's (engine/pool.h).
class JobRunner {
 public:
  virtual ~JobRunner() = default;

  // The job Submit takes: `on_complete` runs once, when the job completes (a fake
  // runner keeps it to complete the job itself).
  virtual std::shared_ptr<engine::Job> MakeJob(engine::JobSpec spec, absl::Time deadline,
                                               engine::Job::Completion on_complete) {
    return std::make_shared<engine::Job>(std::move(spec), deadline, std::move(on_complete));
  }

  // Queues `job`; on failure (RESOURCE_EXHAUSTED, NOT_FOUND, FAILED_PRECONDITION,
  // UNAVAILABLE once the daemon is stopping) its completion never runs.
  virtual absl::Status Submit(std::shared_ptr<engine::Job> job) = 0;
  // Drops or terminates `job`; its completion then reports CANCELLED (if it has not
  // completed already). Harmless after completion.
  virtual void Cancel(const std::shared_ptr<engine::Job>& job) = 0;
};

// The daemon's runner: the engine's Pool. Owned beside the Pool's user (the
// service); the Pool must outlive it.
class PoolJobRunner final : public JobRunner {
 public:
  explicit PoolJobRunner(engine::Pool& pool) : pool_(pool) {}

  absl::Status Submit(std::shared_ptr<engine::Job> job) override {
    return pool_.Submit(std::move(job));
  }
  void Cancel(const std::shared_ptr<engine::Job>& job) override { pool_.Cancel(job); }

 private:
  engine::Pool& pool_;
};

}  // namespace jscore::daemon

#endif  // JSCORE_DAEMON_JOB_RUNNER_H_
