#include "daemon/status_mapping.h"

#include <optional>
#include <string>

#include "engine/errors.h"
#include "jscore/v1/jscore.pb.h"

namespace jscore::daemon {

std::optional<v1::ErrorDetail> ErrorDetailFor(const absl::Status& status,
                                              const std::string& replica) {
  std::string program = engine::NotLoadedProgram(status);
  if (program.empty()) return std::nullopt;
  v1::ErrorDetail detail;
  detail.set_reason(v1::ErrorDetail::PROGRAM_NOT_LOADED);
  detail.set_program(program);
  detail.set_replica(replica);
  return detail;
}

grpc::Status ToGrpcStatus(const absl::Status& status, grpc::CallbackServerContext* context,
                          const std::string& replica) {
  if (status.ok()) return grpc::Status::OK;
  if (context != nullptr) {
    if (std::optional<v1::ErrorDetail> detail = ErrorDetailFor(status, replica)) {
      context->AddTrailingMetadata("jscore-error-detail-bin", detail->SerializeAsString());
    }
  }
  // absl and gRPC share the canonical code numbering (0..16).
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

}  // namespace jscore::daemon
