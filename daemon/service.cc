#include "daemon/service.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "daemon/batch_reactor.h"
#include "daemon/request_mapping.h"
#include "daemon/rpc_support.h"
#include "daemon/status_mapping.h"
#include "daemon/timeout_message.h"
#include "daemon/version.h"

namespace jscore::daemon {
namespace {

// One unary RPC that runs a job. Deletes itself in OnDone, which gRPC calls last,
// after Finish (from the worker thread) and after OnCancel if there was one.
class JobReactor final : public grpc::ServerUnaryReactor {
 public:
  JobReactor(engine::Pool& pool, grpc::CallbackServerContext* context, Method method,
             Metrics& metrics, const DaemonConfig& config, const ReplicaAddress& replica)
      : pool_(pool),
        context_(context),
        method_(method),
        metrics_(metrics),
        config_(config),
        replica_(replica),
        request_id_(TakeRequestId(*context)) {}

  const ReplicaAddress& replica() const { return replica_; }

  // Handler thread, before Submit: where the job's deadline came from.
  void SetOrigin(const DeadlineOrigin& origin) { origin_ = origin; }

  // Worker (or watchdog) thread, once: finishes with the job's result, a deadline
  // naming the limit that set it.
  void FinishJob(absl::Status status) {
    FinishWith(NameTimeoutLimit(std::move(status), origin_, config_));
  }

  // Handler thread: submits the job, or finishes at once with the admission error.
  void Submit(std::shared_ptr<engine::Job> job) {
    job_ = std::move(job);
    absl::Status status = pool_.Submit(job_);
    if (!status.ok()) FinishWith(status);
  }

  // Any thread, once.
  void FinishWith(const absl::Status& status) {
    grpc::Status answer =
        status.ok() ? grpc::Status::OK : ToGrpcStatus(status, context_, replica_.Get());
    absl::Duration took = absl::Now() - started_;
    metrics_.Record(method_, answer.error_code(), took);
    NoteRequest(method_, answer, took, config_.slow_request, request_id_);
    Finish(answer);
  }

  void OnCancel() override {
    if (job_ != nullptr) pool_.Cancel(job_);
  }
  void OnDone() override { delete this; }

  // Both reactions are short and never block (OnCancel sets a flag and at most sends a
  // wake-up, OnDone deletes), so gRPC may run them on the thread that completes the
  // call, as it does for its own DefaultReactor: OnDone then runs at the end of Finish
  // on the worker thread, instead of being handed to gRPC's executor thread (one
  // wake-up and two context switches per call; bench/FINDINGS.md "Hand-offs per call").
  bool InternalInlineable() override { return true; }

 private:
  engine::Pool& pool_;
  grpc::CallbackServerContext* context_;
  const Method method_;
  Metrics& metrics_;
  const DaemonConfig& config_;
  const ReplicaAddress& replica_;
  DeadlineOrigin origin_;
  const std::string request_id_;
  const absl::Time started_ = absl::Now();
  std::shared_ptr<engine::Job> job_;
};

// A session's response names the replica that holds it; other responses carry no
// address.
template <typename Response>
void NameReplica(Response* /*response*/, const ReplicaAddress& /*replica*/) {}
void NameReplica(v1::CreateSessionResponse* response, const ReplicaAddress& replica) {
  response->set_replica(replica.Get());
}

}  // namespace

template <typename Request, typename Response>
grpc::ServerUnaryReactor* JsCoreService::RunJob(Method method, grpc::CallbackServerContext* context,
                                                const Request& request,
                                                const google::protobuf::Duration& timeout,
                                                Response* response, Request* take) {
  auto* reactor = new JobReactor(pool_, context, method, metrics_, config_, replica_);
  absl::StatusOr<std::string> caller = auth_.Authenticate(*context);
  if (!caller.ok()) {
    reactor->FinishWith(caller.status());
    return reactor;
  }
  if (take != &request) take = nullptr;  // only the call's own request may be emptied
  // The deadline first: `timeout` may be a part of the request that `take` empties.
  const DeadlineOrigin origin = OriginOf(timeout, GrpcDeadline(*context), absl::Now());
  absl::StatusOr<absl::Time> deadline =
      DeadlineFor(timeout, origin.grpc_deadline, origin.start, config_);
  absl::StatusOr<engine::JobSpec> spec = take != nullptr
                                             ? SpecFromRequest(std::move(*take), config_)
                                             : SpecFromRequest(request, config_);
  if (!spec.ok() || !deadline.ok()) {
    reactor->FinishWith(!spec.ok() ? spec.status() : deadline.status());
    return reactor;
  }
  spec->owner = std::move(*caller);
  reactor->SetOrigin(origin);
  // Two pointers: small enough for std::function to hold without a heap allocation.
  auto job = std::make_shared<engine::Job>(
      std::move(*spec), *deadline, [reactor, response](engine::Outcome outcome) {
        absl::Status status = FillResponse(std::move(outcome), response);
        if (status.ok()) NameReplica(response, reactor->replica());
        reactor->FinishJob(std::move(status));
      });
  reactor->Submit(std::move(job));
  return reactor;
}

grpc::ServerUnaryReactor* JsCoreService::Evaluate(grpc::CallbackServerContext* context,
                                                  const v1::EvaluateRequest* request,
                                                  v1::EvaluateResponse* response) {
  return RunJob(Method::kEvaluate, context, *request, request->timeout(), response,
                MessagePool<v1::EvaluateRequest, v1::EvaluateResponse>::MutableRequest(*context));
}

grpc::ServerUnaryReactor* JsCoreService::Call(grpc::CallbackServerContext* context,
                                              const v1::CallRequest* request,
                                              v1::EvaluateResponse* response) {
  return RunJob(Method::kCall, context, *request, request->timeout(), response,
                MessagePool<v1::CallRequest, v1::EvaluateResponse>::MutableRequest(*context));
}

grpc::ServerUnaryReactor* JsCoreService::LoadProgram(grpc::CallbackServerContext* context,
                                                     const v1::LoadProgramRequest* request,
                                                     v1::LoadProgramResponse* response) {
  return RunJob(Method::kLoadProgram, context, *request, google::protobuf::Duration(), response);
}

grpc::ServerUnaryReactor* JsCoreService::CreateSession(grpc::CallbackServerContext* context,
                                                       const v1::CreateSessionRequest* request,
                                                       v1::CreateSessionResponse* response) {
  return RunJob(Method::kCreateSession, context, *request, google::protobuf::Duration(), response);
}

grpc::ServerUnaryReactor* JsCoreService::DeleteSession(grpc::CallbackServerContext* context,
                                                       const v1::DeleteSessionRequest* request,
                                                       v1::DeleteSessionResponse* response) {
  return RunJob(Method::kDeleteSession, context, *request, google::protobuf::Duration(), response);
}

grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* JsCoreService::Batch(
    grpc::CallbackServerContext* context) {
  return new BatchReactor(runner_, config_, context, auth_.Authenticate(*context), metrics_,
                          stream_limits_);
}

grpc::ServerUnaryReactor* JsCoreService::UnloadProgram(grpc::CallbackServerContext* context,
                                                       const v1::UnloadProgramRequest* request,
                                                       v1::UnloadProgramResponse* /*response*/) {
  auto* reactor = context->DefaultReactor();
  absl::Time started = absl::Now();
  const std::string request_id = TakeRequestId(*context);
  absl::StatusOr<std::string> caller = auth_.Authenticate(*context);
  absl::Status status = caller.status();
  if (status.ok() && !pool_.UnloadProgram(request->program(), *caller)) {
    status = absl::NotFoundError(absl::StrCat("program not loaded: ", request->program()));
  }
  grpc::Status answer = ToGrpcStatus(status);
  metrics_.Record(Method::kUnloadProgram, answer.error_code(), absl::Now() - started);
  NoteRequest(Method::kUnloadProgram, answer, absl::Now() - started, config_.slow_request,
              request_id);
  reactor->Finish(answer);
  return reactor;
}

grpc::ServerUnaryReactor* JsCoreService::GetStats(grpc::CallbackServerContext* context,
                                                  const v1::GetStatsRequest* /*request*/,
                                                  v1::GetStatsResponse* response) {
  auto* reactor = context->DefaultReactor();
  TakeRequestId(*context);  // returned in the trailing metadata
  if (absl::Status allowed = auth_.Check(*context); !allowed.ok()) {
    metrics_.Record(Method::kGetStats, grpc::StatusCode::UNAUTHENTICATED, absl::ZeroDuration());
    reactor->Finish(ToGrpcStatus(allowed));
    return reactor;
  }
  metrics_.Record(Method::kGetStats, grpc::StatusCode::OK, absl::ZeroDuration());
  engine::PoolStats stats = pool_.Stats();
  for (const auto& w : stats.workers) {
    auto* out = response->add_workers();
    out->set_id(w.id);
    out->set_jobs_completed(w.jobs_completed);
    out->set_jobs_in_flight(w.jobs_in_flight);
    out->set_heap_used_bytes(w.heap_used_bytes);
    out->set_heap_limit_bytes(w.heap_limit_bytes);
    out->set_isolate_replacements(w.isolate_replacements);
    out->set_prebuilt_contexts(w.prebuilt_contexts);
    out->set_programs(w.program_contexts);
    out->set_sessions(w.sessions);
    out->set_busy_seconds(static_cast<double>(w.busy_ns) / 1e9);
    out->set_fetches_in_flight(w.fetches_in_flight);
  }
  response->set_queue_depth(stats.queue_depth);
  response->set_queue_capacity(stats.queue_capacity);
  response->set_jobs_completed(stats.jobs_completed);
  response->set_jobs_rejected(stats.jobs_rejected);
  response->set_timeouts(stats.timeouts);
  response->set_programs(stats.programs);
  response->set_sessions(stats.sessions);
  response->set_version(kVersion);
  response->set_replica(replica_.Get());
  for (const Metrics::Count& c : metrics_.Counts()) {
    auto* out = response->add_requests();
    out->set_method(MethodName(c.method));
    out->set_code(c.code);
    out->set_count(c.count);
  }
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace jscore::daemon
