// jscore_echo_server: a jscore.v1.JsCore server that answers every Evaluate, Call and
// Batch item with the number 2 and never touches V8. What jscored achieves beside it
// is what gRPC itself leaves for the JavaScript: the transport limit of the bench.
//
//   jscore_echo_server --listen=127.0.0.1:0     prints "jscore_echo_server listening on
//   127.0.0.1:PORT"
//
// Built like jscored's server (callback API, same message size limits, one
// ServerBuilder with default threads), so the difference is the engine. Stops on
// SIGTERM or SIGINT.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <deque>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/grpcpp.h"
#include "jscore/v1/jscore.grpc.pb.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:0", "address to serve on (port 0 picks one)");

namespace jscore::bench {
namespace {

constexpr int kMaxMessageBytes = 64 << 20;  // jscored's --max_message_bytes default

void FillAnswer(v1::EvaluateResponse* response) { response->mutable_value()->set_number_value(2); }

// One Batch stream: reads a message, writes its answers, reads the next. A message
// may carry more items (BatchRequest.more): a stream that asked for packed results
// (packed_results on its first message) gets them all in one BatchResponse, as
// jscored packs what is ready; otherwise one answer per message, one write at a time
// (gRPC allows no more). The client's messages wait in the transport meanwhile, so
// the stream is never idle while items remain. Lives on gRPC's threads (one reaction
// at a time: a read, then the writes, then the next read); deletes itself in OnDone.
class EchoBatch final : public grpc::ServerBidiReactor<v1::BatchRequest, v1::BatchResponse> {
 public:
  EchoBatch() { StartRead(&request_); }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status::OK);
      return;
    }
    if (first_) packed_ = request_.packed_results();
    first_ = false;
    answers_.clear();
    Answer(request_.id());
    for (const v1::BatchRequest& item : request_.more()) {
      if (packed_) {
        v1::BatchResponse* more = answers_.front().add_more();
        more->set_id(item.id());
        FillAnswer(more->mutable_result());
      } else {
        Answer(item.id());
      }
    }
    next_ = 0;
    StartWrite(&answers_[next_++]);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the client went away"));
      return;
    }
    if (next_ < answers_.size()) {
      StartWrite(&answers_[next_++]);
    } else {
      StartRead(&request_);
    }
  }

  void OnDone() override { delete this; }

 private:
  void Answer(const std::string& id) {
    answers_.emplace_back();
    answers_.back().set_id(id);
    FillAnswer(answers_.back().mutable_result());
  }

  v1::BatchRequest request_;
  std::deque<v1::BatchResponse> answers_;  // of the message read last
  size_t next_ = 0;
  bool first_ = true;
  bool packed_ = false;
};

class EchoService final : public v1::JsCore::CallbackService {
 public:
  grpc::ServerUnaryReactor* Evaluate(grpc::CallbackServerContext* context,
                                     const v1::EvaluateRequest*,
                                     v1::EvaluateResponse* response) override {
    FillAnswer(response);
    return Done(context);
  }

  grpc::ServerUnaryReactor* LoadProgram(grpc::CallbackServerContext* context,
                                        const v1::LoadProgramRequest*,
                                        v1::LoadProgramResponse* response) override {
    response->set_program("echo");
    return Done(context);
  }

  grpc::ServerUnaryReactor* Call(grpc::CallbackServerContext* context, const v1::CallRequest*,
                                 v1::EvaluateResponse* response) override {
    FillAnswer(response);
    return Done(context);
  }

  grpc::ServerBidiReactor<v1::BatchRequest, v1::BatchResponse>* Batch(
      grpc::CallbackServerContext*) override {
    return new EchoBatch;
  }

 private:
  static grpc::ServerUnaryReactor* Done(grpc::CallbackServerContext* context) {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

int Main() {
  // Threads started from here on inherit the mask; main waits for the signal.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  EchoService service;
  grpc::ServerBuilder builder;
  int port = 0;
  const std::string listen = absl::GetFlag(FLAGS_listen);
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  builder.SetMaxReceiveMessageSize(kMaxMessageBytes);
  builder.SetMaxSendMessageSize(kMaxMessageBytes);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "jscore_echo_server: cannot listen on %s\n", listen.c_str());
    return 1;
  }
  std::string host = listen.substr(0, listen.rfind(':'));
  std::printf("jscore_echo_server listening on %s:%d\n", host.c_str(), port);
  std::fflush(stdout);

  int signal = 0;
  sigwait(&signals, &signal);
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  return 0;
}

}  // namespace
}  // namespace jscore::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "jscore_echo_server: jscore.v1.JsCore answering 2 to everything, without V8.\n"
      "Usage: jscore_echo_server [--listen=127.0.0.1:0]");
  absl::ParseCommandLine(argc, argv);
  return jscore::bench::Main();
}
