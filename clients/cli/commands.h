// The `jscore` CLI's commands and what they share (connection, flags, exit codes).
#ifndef JSCORE_CLIENTS_CLI_COMMANDS_H_
#define JSCORE_CLIENTS_CLI_COMMANDS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "jscore/v1/jscore.pb.h"

namespace jscore::cli {

// Exit codes scripts can rely on (README, "CLI").
enum ExitCode : int {
  kOk = 0,
  kScriptFailed = 1,  // the script threw, or (batch) some item failed
  kUsage = 2,
  kRpcFailed = 3,  // the daemon answered with an error status, or is unreachable
  kNotServing = 4,
  kHooked = 5,  // the script stopped itself with $terminate(data); the data is printed
};

// JSON values the CLI sends (arguments, globals) are checked here for syntax; the
// daemon applies its own depth limit (--max_result_depth, at most 1000).
constexpr int kMaxArgumentDepth = 1001;

std::shared_ptr<grpc::Channel> Connect();
absl::Duration Timeout();
void SetDeadline(grpc::ClientContext& context, absl::Duration extra = absl::Seconds(1));
google::protobuf::Duration ToProto(absl::Duration d);
int RpcFailure(const grpc::Status& status);
// Reads a file ("-" for stdin); false with a message on stderr when it cannot.
bool ReadFile(const std::string& path, std::string* out);

// The LoadProgramRequest of --program_file `file` holding `source`: its type from
// --program_type, else from the file's extension (.mjs: an ES module, .cjs: CommonJS).
// False, with a message on stderr, for an unknown --program_type.
bool ProgramLoad(const std::string& file, std::string source, v1::LoadProgramRequest* load);

// One JSON line for a response: {"value": ...} or {"error": {...}}.
std::string ResponseJson(const v1::EvaluateResponse& response);

int Eval(const std::vector<std::string>& args);
int Call(const std::vector<std::string>& args);
int Health();
int Stats();
int Batch(const std::vector<std::string>& args);

}  // namespace jscore::cli

#endif  // JSCORE_CLIENTS_CLI_COMMANDS_H_
