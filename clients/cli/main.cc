// jscore: the command-line client of jscored.
//
//   jscore eval 'code'        jscore eval -f file.js (or --file)
//   jscore health             jscore stats
//
// Output is JSON on stdout. Exit codes: 0 ok; 1 the script threw (the JsError is
// printed as JSON on stdout); 2 usage error; 3 the daemon answered with an error
// status (printed on stderr); 4 the daemon is not serving.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "clients/cli/json_writer.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "jscore/v1/jscore.grpc.pb.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "jscored address");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(10), "Evaluation timeout (also the RPC deadline)");
ABSL_FLAG(std::string, file, "", "For eval: read the script from this file ('-' for stdin)");

namespace {

constexpr int kOk = 0;
constexpr int kScriptThrew = 1;
constexpr int kUsage = 2;
constexpr int kRpcFailed = 3;
constexpr int kNotServing = 4;

int RpcFailure(const grpc::Status& status) {
  std::fprintf(stderr, "jscore: %s: %s\n", absl::StrCat(status.error_code()).c_str(),
               status.error_message().c_str());
  return kRpcFailed;
}

std::shared_ptr<grpc::Channel> Connect() {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  args.SetMaxSendMessageSize(64 << 20);
  return grpc::CreateCustomChannel(absl::GetFlag(FLAGS_target), grpc::InsecureChannelCredentials(),
                                   args);
}

void SetDeadline(grpc::ClientContext& context, absl::Duration extra = absl::Seconds(1)) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::GetFlag(FLAGS_timeout) + extra));
}

int Eval(const std::vector<std::string>& args) {
  std::string source;
  std::string file = absl::GetFlag(FLAGS_file);
  if (!file.empty()) {
    std::stringstream buffer;
    if (file == "-") {
      buffer << std::cin.rdbuf();
    } else {
      std::ifstream in(file, std::ios::binary);
      if (!in) {
        std::fprintf(stderr, "jscore: cannot read %s\n", file.c_str());
        return kUsage;
      }
      buffer << in.rdbuf();
    }
    source = buffer.str();
  } else if (args.size() == 1) {
    source = args[0];
  } else {
    std::fprintf(stderr, "jscore: usage: jscore eval 'code' | jscore eval --file=FILE\n");
    return kUsage;
  }
  jscore::v1::EvaluateRequest request;
  request.set_source(source);
  request.set_filename(file.empty() ? "<cli>" : file);
  int64_t ns = absl::ToInt64Nanoseconds(absl::GetFlag(FLAGS_timeout));
  request.mutable_timeout()->set_seconds(ns / 1000000000);
  request.mutable_timeout()->set_nanos(static_cast<int32_t>(ns % 1000000000));
  auto stub = jscore::v1::JsCore::NewStub(Connect());
  grpc::ClientContext context;
  SetDeadline(context);
  jscore::v1::EvaluateResponse response;
  grpc::Status status = stub->Evaluate(&context, request, &response);
  if (!status.ok()) return RpcFailure(status);
  for (const auto& line : response.console()) std::fprintf(stderr, "%s\n", line.text().c_str());
  if (response.has_error()) {
    const auto& e = response.error();
    std::printf("{\"error\":{\"name\":%s,\"message\":%s,\"line\":%d,\"column\":%d,\"stack\":%s}}\n",
                jscore::cli::JsonString(e.name()).c_str(),
                jscore::cli::JsonString(e.message()).c_str(), e.line(), e.column(),
                jscore::cli::JsonString(e.stack()).c_str());
    return kScriptThrew;
  }
  std::printf("%s\n", jscore::cli::ToJson(response.value()).c_str());
  return kOk;
}

int Health() {
  auto stub = grpc::health::v1::Health::NewStub(Connect());
  grpc::ClientContext context;
  SetDeadline(context);
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, {}, &response);
  if (!status.ok()) return RpcFailure(status);
  bool serving = response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
  std::printf("{\"status\":\"%s\"}\n", serving ? "SERVING" : "NOT_SERVING");
  return serving ? kOk : kNotServing;
}

int Stats() {
  auto stub = jscore::v1::JsCore::NewStub(Connect());
  grpc::ClientContext context;
  SetDeadline(context);
  jscore::v1::GetStatsResponse response;
  grpc::Status status = stub->GetStats(&context, {}, &response);
  if (!status.ok()) return RpcFailure(status);
  std::string workers;
  for (const auto& w : response.workers()) {
    if (!workers.empty()) workers += ",";
    workers += absl::StrCat("{\"id\":", w.id(), ",\"jobs_completed\":", w.jobs_completed(),
                            ",\"jobs_in_flight\":", w.jobs_in_flight(),
                            ",\"heap_used_bytes\":", w.heap_used_bytes(),
                            ",\"isolate_replacements\":", w.isolate_replacements(), "}");
  }
  std::printf("{\"version\":%s,\"queue_depth\":%llu,\"queue_capacity\":%llu,"
              "\"jobs_completed\":%llu,\"jobs_rejected\":%llu,\"timeouts\":%llu,\"workers\":[%s]}\n",
              jscore::cli::JsonString(response.version()).c_str(),
              static_cast<unsigned long long>(response.queue_depth()),
              static_cast<unsigned long long>(response.queue_capacity()),
              static_cast<unsigned long long>(response.jobs_completed()),
              static_cast<unsigned long long>(response.jobs_rejected()),
              static_cast<unsigned long long>(response.timeouts()), workers.c_str());
  return kOk;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "jscore: command-line client of jscored.\n"
      "  jscore [--target=HOST:PORT] [--timeout=10s] eval 'code'\n"
      "  jscore eval --file=script.js\n"
      "  jscore health | jscore stats\n"
      "Exit codes: 0 ok, 1 script threw, 2 usage, 3 RPC error, 4 not serving.");
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  std::vector<std::string> args(positional.begin() + 1, positional.end());
  if (args.empty()) {
    std::fprintf(stderr, "%s\n", absl::ProgramUsageMessage().data());
    return kUsage;
  }
  std::string command = args[0];
  args.erase(args.begin());
  if (command == "eval") return Eval(args);
  if (command == "health") return Health();
  if (command == "stats") return Stats();
  std::fprintf(stderr, "jscore: unknown command '%s'\n", command.c_str());
  return kUsage;
}
