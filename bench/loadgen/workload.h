// Workload: the RPC the loadgen repeats (Evaluate, or LoadProgram once then Call).
#ifndef JSCORE_BENCH_LOADGEN_WORKLOAD_H_
#define JSCORE_BENCH_LOADGEN_WORKLOAD_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "jscore/v1/jscore.grpc.pb.h"

namespace jscore::loadgen {

enum class WorkloadKind { kEvaluate, kCall };

struct WorkloadOptions {
  WorkloadKind kind = WorkloadKind::kEvaluate;
  // kEvaluate: the script.
  std::string source = "1+1";
  // kCall: the program (loaded once with LoadProgram), the function to call and its
  // arguments as a JSON array.
  std::string program_source;
  std::string function;
  std::string args_json = "[]";
  // Send arguments as CallRequest.args_json and ask for VALUE_ENCODING_JSON results (the
  // encoding the jscore clients use), instead of google.protobuf.Value both ways.
  bool json_values = false;
  // Sent as the request's timeout; the caller also sets it as the gRPC deadline.
  absl::Duration timeout = absl::Seconds(5);
};

// One request, built once and sent many times. Create() runs on the main thread
// and may make setup RPCs (LoadProgram); afterwards the workload is immutable and
// Start() may be called from any thread at once (the shared request is only read:
// gRPC serializes it inside Start). The workload must outlive every RPC it started.
class Workload {
 public:
  using Done = std::function<void(grpc::Status)>;

  // Fails with a message fit for the user when the request cannot be built or the
  // setup RPC fails (UNIMPLEMENTED included). A call workload loads its program
  // through every stub: each is its own connection and, behind a load balancer or a
  // server with several processes (SO_REUSEPORT, Node's cluster), may reach a
  // different replica, which must hold the program (as the client libraries re-send
  // it on FAILED_PRECONDITION).
  static absl::StatusOr<std::unique_ptr<Workload>> Create(
      const WorkloadOptions& options, const std::vector<std::unique_ptr<v1::JsCore::Stub>>& stubs);
  virtual ~Workload() = default;

  // "evaluate" or "call".
  virtual absl::string_view name() const = 0;
  // The RPC method, for messages ("Evaluate", "Call").
  virtual absl::string_view method() const = 0;

  // Any thread. Starts one RPC; `done` runs once, on a gRPC thread, after which
  // `response` holds the answer. `context` and `response` must live until then.
  virtual void Start(v1::JsCore::Stub& stub, grpc::ClientContext* context,
                     v1::EvaluateResponse* response, Done done) const = 0;

  // Blocking: one RPC, for the probe before the run.
  virtual grpc::Status Send(v1::JsCore::Stub& stub, grpc::ClientContext* context,
                            v1::EvaluateResponse* response) const = 0;

  // The same request as one item of a Batch stream (id left empty).
  virtual v1::BatchRequest BatchItem() const = 0;
};

// The response's result as compact JSON with sorted keys (as ValueToJson prints it),
// whichever encoding carries it; for --expect_json. Thread-safe.
std::string ResultJson(const v1::EvaluateResponse& response);

// Fills a google.protobuf.Duration.
void SetDuration(absl::Duration d, google::protobuf::Duration* out);

}  // namespace jscore::loadgen

#endif  // JSCORE_BENCH_LOADGEN_WORKLOAD_H_
