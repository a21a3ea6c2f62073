// The one place that knows both absl::Status and grpc::Status codes.
#ifndef JSCORE_DAEMON_STATUS_MAPPING_H_
#define JSCORE_DAEMON_STATUS_MAPPING_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace jscore::daemon {

grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace jscore::daemon

#endif  // JSCORE_DAEMON_STATUS_MAPPING_H_
