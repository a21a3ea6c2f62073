// Requests to engine Jobs and engine Outcomes to responses (no V8 here, no RPC state).
#ifndef JSCORE_DAEMON_REQUEST_MAPPING_H_
#define JSCORE_DAEMON_REQUEST_MAPPING_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "daemon/config.h"
#include "engine/job.h"
#include "jscore/v1/jscore.pb.h"

namespace jscore::daemon {

// Each validates a request (sizes, fields) and builds what the engine runs: a JobSpec
// holding the kind's spec (engine/job.h). The context settings of Evaluate, Call and
// CreateSession (engine::ContextSettings) are read by one function for all three
// (SettingsFromRequest in request_mapping.cc).
// The rvalue forms give the same spec but move the request's large parts (source,
// arguments, globals, JSON texts) into it instead of copying them, leaving the
// request in an unspecified state.
absl::StatusOr<engine::JobSpec> SpecFromRequest(const v1::EvaluateRequest& request,
                                                const DaemonConfig& config);
absl::StatusOr<engine::JobSpec> SpecFromRequest(v1::EvaluateRequest&& request,
                                                const DaemonConfig& config);
absl::StatusOr<engine::JobSpec> SpecFromRequest(const v1::CallRequest& request,
                                                const DaemonConfig& config);
absl::StatusOr<engine::JobSpec> SpecFromRequest(v1::CallRequest&& request,
                                                const DaemonConfig& config);
absl::StatusOr<engine::JobSpec> SpecFromRequest(const v1::LoadProgramRequest& request,
                                                const DaemonConfig& config);
absl::StatusOr<engine::JobSpec> SpecFromRequest(const v1::CreateSessionRequest& request,
                                                const DaemonConfig& config);
absl::StatusOr<engine::JobSpec> SpecFromRequest(const v1::DeleteSessionRequest& request,
                                                const DaemonConfig& config);

// The job's deadline: the smallest of the request's timeout (or the default), the
// server maximum, and the gRPC deadline. A negative timeout is INVALID_ARGUMENT.
absl::StatusOr<absl::Time> DeadlineFor(const google::protobuf::Duration& timeout,
                                       absl::Time grpc_deadline, absl::Time now,
                                       const DaemonConfig& config);

// Each fills its response from a value or JS error outcome, or returns the failure.
absl::Status FillResponse(engine::Outcome outcome, v1::EvaluateResponse* response);
absl::Status FillResponse(engine::Outcome outcome, v1::LoadProgramResponse* response);
absl::Status FillResponse(engine::Outcome outcome, v1::CreateSessionResponse* response);
absl::Status FillResponse(engine::Outcome outcome, v1::DeleteSessionResponse* response);

}  // namespace jscore::daemon

#endif  // JSCORE_DAEMON_REQUEST_MAPPING_H_
