// The one place that knows both absl::Status and grpc::Status codes.
#ifndef JSCORE_DAEMON_STATUS_MAPPING_H_
#define JSCORE_DAEMON_STATUS_MAPPING_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/status.h"
#include "jscore/v1/jscore.pb.h"

namespace jscore::daemon {

// Same code, same message. With a `context`, an error a client can act on also gets
// its jscore.v1.ErrorDetail (naming `replica`, this server's advertised address) as
// trailing metadata "jscore-error-detail-bin" (call it before Finish).
grpc::Status ToGrpcStatus(const absl::Status& status,
                          grpc::CallbackServerContext* context = nullptr,
                          const std::string& replica = std::string());

// The jscore.v1.ErrorDetail that ToGrpcStatus attaches for `status`, if any: today a
// program this server does not hold (PROGRAM_NOT_LOADED, naming the program and
// `replica`); nullopt for every other status.
std::optional<v1::ErrorDetail> ErrorDetailFor(const absl::Status& status,
                                              const std::string& replica);

}  // namespace jscore::daemon

#endif  // JSCORE_DAEMON_STATUS_MAPPING_H_
