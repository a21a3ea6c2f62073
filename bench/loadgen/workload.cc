// Workload: Evaluate and Call request builders; LoadProgram setup for Call.
#include "bench/loadgen/workload.h"

#include <iterator>
#include <utility>

#include "absl/strings/str_cat.h"
#include "bench/loadgen/json.h"
#include "common/status_code_name.h"

namespace jscore::loadgen {
namespace {

class EvaluateWorkload final : public Workload {
 public:
  explicit EvaluateWorkload(v1::EvaluateRequest request) : request_(std::move(request)) {}

  absl::string_view name() const override { return "evaluate"; }
  absl::string_view method() const override { return "Evaluate"; }

  void Start(v1::JsCore::Stub& stub, grpc::ClientContext* context, v1::EvaluateResponse* response,
             Done done) const override {
    stub.async()->Evaluate(context, &request_, response, std::move(done));
  }

  grpc::Status Send(v1::JsCore::Stub& stub, grpc::ClientContext* context,
                    v1::EvaluateResponse* response) const override {
    return stub.Evaluate(context, request_, response);
  }

  v1::BatchRequest BatchItem() const override {
    v1::BatchRequest item;
    *item.mutable_evaluate() = request_;
    return item;
  }

 private:
  const v1::EvaluateRequest request_;
};

class CallWorkload final : public Workload {
 public:
  explicit CallWorkload(v1::CallRequest request) : request_(std::move(request)) {}

  absl::string_view name() const override { return "call"; }
  absl::string_view method() const override { return "Call"; }

  void Start(v1::JsCore::Stub& stub, grpc::ClientContext* context, v1::EvaluateResponse* response,
             Done done) const override {
    stub.async()->Call(context, &request_, response, std::move(done));
  }

  grpc::Status Send(v1::JsCore::Stub& stub, grpc::ClientContext* context,
                    v1::EvaluateResponse* response) const override {
    return stub.Call(context, request_, response);
  }

  v1::BatchRequest BatchItem() const override {
    v1::BatchRequest item;
    *item.mutable_call() = request_;
    return item;
  }

 private:
  const v1::CallRequest request_;
};

absl::StatusOr<std::string> LoadProgram(const WorkloadOptions& options, v1::JsCore::Stub& stub) {
  v1::LoadProgramRequest request;
  request.set_source(options.program_source);
  request.set_filename("<loadgen>");
  v1::LoadProgramResponse response;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + options.timeout + absl::Seconds(5)));
  grpc::Status status = stub.LoadProgram(&context, request, &response);
  if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED) {
    return absl::UnimplementedError(absl::StrCat(
        "LoadProgram answered UNIMPLEMENTED",
        status.error_message().empty() ? "" : absl::StrCat(" (", status.error_message(), ")"),
        ": this daemon does not serve programs yet, and --workload=call needs them"));
  }
  if (!status.ok()) {
    return absl::UnavailableError(absl::StrCat(
        "LoadProgram failed: ", StatusCodeName(status.error_code()), ": ", status.error_message()));
  }
  if (response.has_error()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the program does not compile: ", response.error().name(), ": ",
                     response.error().message()));
  }
  if (response.program().empty()) {
    return absl::InternalError("LoadProgram answered OK without a program id");
  }
  return response.program();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Workload>> Workload::Create(
    const WorkloadOptions& options, const std::vector<std::unique_ptr<v1::JsCore::Stub>>& stubs) {
  if (stubs.empty()) return absl::InvalidArgumentError("no channel");
  switch (options.kind) {
    case WorkloadKind::kEvaluate: {
      v1::EvaluateRequest request;
      request.set_source(options.source);
      request.set_filename("<loadgen>");
      if (options.json_values) request.set_value_encoding(v1::VALUE_ENCODING_JSON);
      SetDuration(options.timeout, request.mutable_timeout());
      return std::make_unique<EvaluateWorkload>(std::move(request));
    }
    case WorkloadKind::kCall: {
      if (options.program_source.empty() || options.function.empty()) {
        return absl::InvalidArgumentError("--workload=call needs --program_source and --function");
      }
      auto args = ParseJsonArray(options.args_json);
      if (!args.ok())
        return absl::InvalidArgumentError(absl::StrCat("--args_json: ", args.status().message()));
      auto program = LoadProgram(options, *stubs[0]);
      if (!program.ok()) return program.status();
      for (size_t i = 1; i < stubs.size(); ++i) {
        auto again = LoadProgram(options, *stubs[i]);
        if (!again.ok()) return again.status();
        if (*again != *program) {
          return absl::InternalError(absl::StrCat("LoadProgram answered ", *again, " on channel ",
                                                  i, " but ", *program, " on channel 0"));
        }
      }
      v1::CallRequest request;
      request.set_program(*program);
      request.set_function(options.function);
      if (options.json_values) {
        request.mutable_args_json()->set_json(options.args_json);
        request.set_value_encoding(v1::VALUE_ENCODING_JSON);
      } else {
        *request.mutable_args() = std::move(*args->mutable_values());
      }
      SetDuration(options.timeout, request.mutable_timeout());
      return std::make_unique<CallWorkload>(std::move(request));
    }
  }
  return absl::InvalidArgumentError("unknown workload");
}

std::string ResultJson(const v1::EvaluateResponse& response) {
  if (!response.has_value_json()) return ValueToJson(response.value());
  absl::StatusOr<google::protobuf::Value> value = ParseJsonValue(response.value_json().json());
  return value.ok() ? ValueToJson(*value) : "<unparsable value_json>";
}

void SetDuration(absl::Duration d, google::protobuf::Duration* out) {
  int64_t ns = absl::ToInt64Nanoseconds(d);
  out->set_seconds(ns / 1000000000);
  out->set_nanos(static_cast<int32_t>(ns % 1000000000));
}

}  // namespace jscore::loadgen
