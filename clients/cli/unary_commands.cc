// jscore eval / call / health / stats.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/cli/commands.h"
#include "clients/cli/json_writer.h"
#include "common/json_text.h"
#include "common/status_code_name.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "jscore/v1/jscore.grpc.pb.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "jscored address (else $JSCORE_TARGET)");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(10),
          "Evaluation timeout (the RPC deadline is one second longer)");
ABSL_FLAG(std::string, file, "", "eval: read the script from this file ('-' for stdin)");
ABSL_FLAG(std::string, globals, "",
          "eval: a JSON object whose members become global variables, defined in its order");
ABSL_FLAG(std::string, program_file, "",
          "call, batch: load this file as a program (LoadProgram) and call into it");
ABSL_FLAG(std::string, program_type, "",
          "call, batch: what --program_file is: script, commonjs or module (an ES module; "
          "default: module for a .mjs file, commonjs for .cjs, else script)");
ABSL_FLAG(std::string, tls_ca, "", "Talk TLS, trusting the CAs in this PEM file");
ABSL_FLAG(std::string, tls_server_name, "", "With --tls_ca: the name to check the certificate for");
ABSL_FLAG(std::string, token_file, "",
          "Send the bearer token in this file's first line (else $JSCORE_TOKEN_FILE)");

namespace jscore::cli {

std::shared_ptr<grpc::Channel> Connect() {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  args.SetMaxSendMessageSize(64 << 20);
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (std::string ca_file = absl::GetFlag(FLAGS_tls_ca); !ca_file.empty()) {
    grpc::SslCredentialsOptions options;
    if (!ReadFile(ca_file, &options.pem_root_certs)) std::exit(kUsage);
    credentials = grpc::SslCredentials(options);
    std::string name = absl::GetFlag(FLAGS_tls_server_name);
    if (!name.empty()) args.SetSslTargetNameOverride(name);
  }
  return grpc::CreateCustomChannel(absl::GetFlag(FLAGS_target), credentials, args);
}

absl::Duration Timeout() { return absl::GetFlag(FLAGS_timeout); }

void SetDeadline(grpc::ClientContext& context, absl::Duration extra) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + Timeout() + extra));
  static const std::string token = [] {
    std::string path = absl::GetFlag(FLAGS_token_file);
    std::string text;
    if (path.empty() || !ReadFile(path, &text)) return std::string();
    return std::string(absl::StripAsciiWhitespace(text.substr(0, text.find('\n'))));
  }();
  if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
}

google::protobuf::Duration ToProto(absl::Duration d) {
  google::protobuf::Duration out;
  int64_t ns = absl::ToInt64Nanoseconds(d);
  out.set_seconds(ns / 1000000000);
  out.set_nanos(static_cast<int32_t>(ns % 1000000000));
  return out;
}

int RpcFailure(const grpc::Status& status) {
  std::fprintf(stderr, "jscore: %s: %s\n", StatusCodeName(status.error_code()),
               status.error_message().c_str());
  return kRpcFailed;
}

bool ReadFile(const std::string& path, std::string* out) {
  std::stringstream buffer;
  if (path == "-") {
    buffer << std::cin.rdbuf();
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "jscore: cannot read %s\n", path.c_str());
      return false;
    }
    buffer << in.rdbuf();
  }
  *out = buffer.str();
  return true;
}

std::string ValueText(const v1::EvaluateResponse& response) {
  if (response.has_value_json()) return response.value_json().json();
  if (response.has_hook_data_json()) return response.hook_data_json().json();
  return ToJson(response.has_hook_data() ? response.hook_data() : response.value());
}

std::string ResponseJson(const v1::EvaluateResponse& response) {
  if (response.has_error()) {
    const auto& e = response.error();
    std::string thrown;
    if (e.has_thrown() && !e.thrown().json().empty()) {
      thrown = absl::StrCat(",\"thrown\":", e.thrown().json());
    }
    return absl::StrCat("{\"error\":{\"name\":", JsonString(e.name()),
                        ",\"message\":", JsonString(e.message()), thrown, ",\"line\":", e.line(),
                        ",\"column\":", e.column(), ",\"stack\":", JsonString(e.stack()), "}}");
  }
  bool hook = response.has_hook_data() || response.has_hook_data_json();
  return absl::StrCat(hook ? "{\"hook\":" : "{\"value\":", ValueText(response), "}");
}

namespace {

// The JSON arguments args[first..] as one JSON array (each checked), or "" and `error`.
std::string JsonArguments(const std::vector<std::string>& args, size_t first, std::string* error) {
  std::string out = "[";
  for (size_t i = first; i < args.size(); ++i) {
    absl::StatusOr<JsonShape> shape =
        CheckJsonText(args[i], kMaxArgumentDepth, absl::StrCat("argument ", i));
    if (!shape.ok()) {
      *error = std::string(shape.status().message());
      return "";
    }
    if (i > first) out += ",";
    out += args[i];
  }
  return out + "]";
}

}  // namespace

namespace {

// Prints a unary evaluation's outcome: the value alone (or the error object) on
// stdout, console lines on stderr.
int PrintOutcome(const v1::EvaluateResponse& response) {
  for (const auto& line : response.console()) std::fprintf(stderr, "%s\n", line.text().c_str());
  if (response.has_error()) {
    std::printf("%s\n", ResponseJson(response).c_str());
    return kScriptFailed;
  }
  std::printf("%s\n", ValueText(response).c_str());
  return response.has_hook_data() || response.has_hook_data_json() ? kHooked : kOk;
}

}  // namespace

int Eval(const std::vector<std::string>& args) {
  std::string source;
  std::string file = absl::GetFlag(FLAGS_file);
  if (!file.empty()) {
    if (!ReadFile(file, &source)) return kUsage;
  } else if (args.size() == 1) {
    source = args[0];
  } else {
    std::fprintf(stderr, "jscore: usage: jscore eval 'code' | jscore eval --file=FILE\n");
    return kUsage;
  }
  v1::EvaluateRequest request;
  request.set_source(source);
  request.set_filename(file.empty() ? "<cli>" : file);
  request.set_value_encoding(v1::VALUE_ENCODING_JSON);
  *request.mutable_timeout() = ToProto(Timeout());
  if (std::string globals = absl::GetFlag(FLAGS_globals); !globals.empty()) {
    // Sent as written (globals_json): the globals are defined in the object's order.
    absl::StatusOr<JsonShape> shape = CheckJsonText(globals, kMaxArgumentDepth, "--globals");
    if (!shape.ok() || shape->top != '{') {
      std::fprintf(stderr, "jscore: %s\n",
                   shape.ok() ? "--globals must be a JSON object"
                              : std::string(shape.status().message()).c_str());
      return kUsage;
    }
    request.mutable_globals_json()->set_json(globals);
  }
  auto stub = v1::JsCore::NewStub(Connect());
  grpc::ClientContext context;
  SetDeadline(context);
  v1::EvaluateResponse response;
  grpc::Status status = stub->Evaluate(&context, request, &response);
  if (!status.ok()) return RpcFailure(status);
  return PrintOutcome(response);
}

bool ProgramLoad(const std::string& file, std::string source, v1::LoadProgramRequest* load) {
  std::string type = absl::AsciiStrToLower(absl::GetFlag(FLAGS_program_type));
  if (type.empty()) {
    type = absl::EndsWith(file, ".mjs")   ? "module"
           : absl::EndsWith(file, ".cjs") ? "commonjs"
                                          : "script";
  }
  if (type == "module") {
    load->set_type(v1::SOURCE_TYPE_MODULE);
  } else if (type == "commonjs") {
    load->set_type(v1::SOURCE_TYPE_COMMONJS);
  } else if (type != "script") {
    std::fprintf(stderr, "jscore: --program_type=%s: not script, commonjs or module\n",
                 type.c_str());
    return false;
  }
  load->set_source(std::move(source));
  load->set_filename(file);
  return true;
}

// jscore call --program_file=sign.js sign '"a"' 1   (arguments are JSON)
int Call(const std::vector<std::string>& args) {
  std::string program_file = absl::GetFlag(FLAGS_program_file);
  if (program_file.empty() || args.empty()) {
    std::fprintf(stderr, "jscore: usage: jscore call -p FILE FUNCTION [JSON_ARG...]\n");
    return kUsage;
  }
  std::string source;
  if (!ReadFile(program_file, &source)) return kUsage;
  auto stub = v1::JsCore::NewStub(Connect());
  v1::LoadProgramRequest load;
  if (!ProgramLoad(program_file, std::move(source), &load)) return kUsage;
  v1::LoadProgramResponse loaded;
  {
    grpc::ClientContext context;
    SetDeadline(context);
    grpc::Status status = stub->LoadProgram(&context, load, &loaded);
    if (!status.ok()) return RpcFailure(status);
  }
  if (loaded.has_error()) {
    v1::EvaluateResponse as_response;
    *as_response.mutable_error() = loaded.error();
    std::printf("%s\n", ResponseJson(as_response).c_str());
    return kScriptFailed;
  }
  v1::CallRequest request;
  request.set_program(loaded.program());
  request.set_function(args[0]);
  *request.mutable_timeout() = ToProto(Timeout());
  // The arguments travel as their JSON text, in order: object keys keep the order
  // they are written in, numbers stay numbers.
  std::string error;
  std::string json_args = JsonArguments(args, 1, &error);
  if (!error.empty()) {
    std::fprintf(stderr, "jscore: %s\n", error.c_str());
    return kUsage;
  }
  request.mutable_args_json()->set_json(json_args);
  request.set_value_encoding(v1::VALUE_ENCODING_JSON);
  grpc::ClientContext context;
  SetDeadline(context);
  v1::EvaluateResponse response;
  grpc::Status status = stub->Call(&context, request, &response);
  if (!status.ok()) return RpcFailure(status);
  return PrintOutcome(response);
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
  auto stub = v1::JsCore::NewStub(Connect());
  grpc::ClientContext context;
  SetDeadline(context);
  v1::GetStatsResponse response;
  grpc::Status status = stub->GetStats(&context, {}, &response);
  if (!status.ok()) return RpcFailure(status);
  // Numbers as numbers (protobuf's JSON printer writes 64-bit integers as strings).
  std::printf("%s\n", MessageJson(response).c_str());
  return kOk;
}

}  // namespace jscore::cli
