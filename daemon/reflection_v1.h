// ReflectionV1Service: gRPC server reflection v1 (grpc.reflection.v1), answered from the
// process's generated descriptor pool, beside gRPC's own v1alpha plugin (Debian's gRPC
// 1.51 ships only v1alpha).
#ifndef JSCORE_DAEMON_REFLECTION_V1_H_
#define JSCORE_DAEMON_REFLECTION_V1_H_

#include <set>
#include <string>
#include <vector>

#include "grpc/reflection/v1/reflection.grpc.pb.h"

namespace jscore::daemon {

// One answer to one request of a reflection stream. `sent` holds the files this
// stream already sent: a file's dependencies go once per stream (the file asked for
// always goes). Any thread; touches only the generated pool (read-only).
grpc::reflection::v1::ServerReflectionResponse AnswerReflection(
    const grpc::reflection::v1::ServerReflectionRequest& request,
    const std::vector<std::string>& services, std::set<std::string>* sent);

// Registered on the server by Server::Start; lives as long as it. Each stream is a
// reactor that reads a request, writes its answer, and reads the next (one at a time,
// on gRPC's threads; no blocking). Authentication is the reflection guard's
// (security.h), as for v1alpha.
class ReflectionV1Service final : public grpc::reflection::v1::ServerReflection::CallbackService {
 public:
  // `services`: the fully-qualified names list_services answers.
  explicit ReflectionV1Service(std::vector<std::string> services)
      : services_(std::move(services)) {}

  grpc::ServerBidiReactor<grpc::reflection::v1::ServerReflectionRequest,
                          grpc::reflection::v1::ServerReflectionResponse>*
  ServerReflectionInfo(grpc::CallbackServerContext* context) override;

 private:
  const std::vector<std::string> services_;
};

}  // namespace jscore::daemon

#endif  // JSCORE_DAEMON_REFLECTION_V1_H_
