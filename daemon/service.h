// JsCoreService: the gRPC callback handlers of jscore.v1.JsCore.
#ifndef JSCORE_DAEMON_SERVICE_H_
#define JSCORE_DAEMON_SERVICE_H_

#include "daemon/config.h"
#include "daemon/job_runner.h"
#include "daemon/message_pool.h"
#include "daemon/metrics.h"
#include "daemon/rpc_support.h"
#include "daemon/security.h"
#include "daemon/stream_limits.h"
#include "engine/pool.h"
#include "jscore/v1/jscore.grpc.pb.h"

namespace jscore::daemon {

// Handlers run on gRPC's threads; each authenticates the caller, validates, builds a
// Job owned by that caller, submits it and returns its reactor at once (no V8 work
// and no blocking here). The worker that completes the job finishes the RPC. The
// pool, config, authenticator, metrics, address and stream limits must outlive the
// service.
// jscore.v1.JsCore with every method on the callback API, Batch as bytes (its
// messages are counted before they are parsed: BatchReactor). A method added to the
// proto must be added here too.
using JsCoreServiceBase = v1::JsCore::WithCallbackMethod_Evaluate<
    v1::JsCore::WithCallbackMethod_LoadProgram<v1::JsCore::WithCallbackMethod_UnloadProgram<
        v1::JsCore::WithCallbackMethod_Call<v1::JsCore::WithCallbackMethod_CreateSession<
            v1::JsCore::WithCallbackMethod_DeleteSession<v1::JsCore::WithRawCallbackMethod_Batch<
                v1::JsCore::WithCallbackMethod_GetStats<v1::JsCore::Service>>>>>>>>;

class JsCoreService final : public JsCoreServiceBase {
 public:
  JsCoreService(engine::Pool& pool, const DaemonConfig& config, const TokenAuthenticator& auth,
                Metrics& metrics, const ReplicaAddress& replica, StreamLimits& stream_limits)
      : pool_(pool),
        runner_(pool),
        config_(config),
        auth_(auth),
        metrics_(metrics),
        replica_(replica),
        stream_limits_(stream_limits) {
    SetMessageAllocatorFor_Evaluate(&evaluate_messages_);
    SetMessageAllocatorFor_Call(&call_messages_);
  }

  grpc::ServerUnaryReactor* Evaluate(grpc::CallbackServerContext* context,
                                     const v1::EvaluateRequest* request,
                                     v1::EvaluateResponse* response) override;
  grpc::ServerUnaryReactor* Call(grpc::CallbackServerContext* context,
                                 const v1::CallRequest* request,
                                 v1::EvaluateResponse* response) override;
  grpc::ServerUnaryReactor* LoadProgram(grpc::CallbackServerContext* context,
                                        const v1::LoadProgramRequest* request,
                                        v1::LoadProgramResponse* response) override;
  grpc::ServerUnaryReactor* UnloadProgram(grpc::CallbackServerContext* context,
                                          const v1::UnloadProgramRequest* request,
                                          v1::UnloadProgramResponse* response) override;
  grpc::ServerUnaryReactor* CreateSession(grpc::CallbackServerContext* context,
                                          const v1::CreateSessionRequest* request,
                                          v1::CreateSessionResponse* response) override;
  grpc::ServerUnaryReactor* DeleteSession(grpc::CallbackServerContext* context,
                                          const v1::DeleteSessionRequest* request,
                                          v1::DeleteSessionResponse* response) override;
  grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* Batch(
      grpc::CallbackServerContext* context) override;
  grpc::ServerUnaryReactor* GetStats(grpc::CallbackServerContext* context,
                                     const v1::GetStatsRequest* request,
                                     v1::GetStatsResponse* response) override;

 private:
  // Validates `request`, runs it as a job, and finishes the RPC with FillResponse.
  // With `take` (the same message, mutable: MessagePool), its large parts are moved
  // into the job instead of copied.
  template <typename Request, typename Response>
  grpc::ServerUnaryReactor* RunJob(Method method, grpc::CallbackServerContext* context,
                                   const Request& request,
                                   const google::protobuf::Duration& timeout, Response* response,
                                   Request* take = nullptr);

  // Requests and responses of the two hot methods, reused across calls. Up to
  // kPooledMessages pairs each are kept, none holding more than kMaxPooledBytes.
  static constexpr size_t kPooledMessages = 128;
  static constexpr size_t kMaxPooledBytes = 16 << 10;
  MessagePool<v1::EvaluateRequest, v1::EvaluateResponse> evaluate_messages_{kPooledMessages,
                                                                            kMaxPooledBytes};
  MessagePool<v1::CallRequest, v1::EvaluateResponse> call_messages_{kPooledMessages,
                                                                    kMaxPooledBytes};

  engine::Pool& pool_;
  PoolJobRunner runner_;  // pool_, for the Batch streams
  const DaemonConfig& config_;
  const TokenAuthenticator& auth_;
  Metrics& metrics_;
  const ReplicaAddress& replica_;
  StreamLimits& stream_limits_;
};

}  // namespace jscore::daemon

#endif  // JSCORE_DAEMON_SERVICE_H_
