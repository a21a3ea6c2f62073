// jscore_loadgen: an async gRPC load generator for jscored.
//
//   jscore_loadgen --concurrency=64 --duration=10s              closed loop, Evaluate "1+1"
//   jscore_loadgen --rate=5000 --duration=10s --json            open loop, one JSON object
//   jscore_loadgen --workload=call --program_source='function f(a,b){return a+b}'
//                  --function=f --args_json='[1,2]' --expect_json=3
//   jscore_loadgen --workload=batch --program_source=... --function=f --concurrency=256
//                                                              the same calls through one Batch
//                                                              stream
//
// Exit codes: 0 the run completed (errors, if any, are in the report); 2 usage;
// 3 setup failed (cannot connect, the workload's RPC is not served, bad program).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "bench/loadgen/batch_runner.h"
#include "bench/loadgen/json.h"
#include "bench/loadgen/report.h"
#include "bench/loadgen/runner.h"
#include "bench/loadgen/workload.h"
#include "common/status_code_name.h"
#include "grpcpp/grpcpp.h"
#include "jscore/v1/jscore.grpc.pb.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "jscored address");
ABSL_FLAG(std::string, workload, "evaluate",
          "evaluate (Evaluate --source), call (LoadProgram once, then Call --function) or "
          "batch (one Batch stream of --batch_item items, --concurrency of them unanswered)");
ABSL_FLAG(bool, batch_pack, true,
          "batch: items ready together share a message, and results come packed "
          "(BatchRequest.more, BatchResponse.more); false: one item or result per message");
ABSL_FLAG(
    std::string, batch_item, "call",
    "batch: what each item is, call (as --workload=call) or evaluate (as --workload=evaluate)");
ABSL_FLAG(std::string, source, "1+1", "evaluate: the script");
ABSL_FLAG(std::string, program_source, "", "call: the program loaded with LoadProgram");
ABSL_FLAG(std::string, program_file, "",
          "call: read the program from this file instead (for programs past the 128 KB a "
          "command-line argument may hold)");
ABSL_FLAG(std::string, function, "", "call: the function to call (dotted path from the global)");
ABSL_FLAG(std::string, args_json, "[]", "call: the arguments, a JSON array");
ABSL_FLAG(bool, json_values, false,
          "Send arguments as args_json and ask for JSON-encoded results (JsValue, as the "
          "jscore clients do) instead of google.protobuf.Value");
ABSL_FLAG(int, concurrency, 8, "closed loop: requests outstanding at all times");
ABSL_FLAG(double, rate, 0,
          "open loop when > 0: requests per second on a fixed schedule (--concurrency is ignored)");
ABSL_FLAG(int64_t, max_outstanding, 10000,
          "open loop: a scheduled send is dropped while this many requests are in flight");
ABSL_FLAG(int64_t, requests, 0, "measured requests to send (0: no limit)");
ABSL_FLAG(absl::Duration, duration, absl::ZeroDuration(),
          "length of the measured phase (0: 5s, or no limit when --requests is set); the run "
          "stops at whichever of --requests and --duration comes first");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(1), "load before the measured phase, not recorded");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(5),
          "per request: the gRPC deadline and the request's timeout");
ABSL_FLAG(int, channels, 4, "gRPC channels (each its own connection) the load is spread over");
ABSL_FLAG(bool, json, false, "print one JSON object on stdout instead of a summary");
ABSL_FLAG(
    bool, histogram, false,
    "with --json: add the latency histogram, [[upper_us, count], ...] over non-empty buckets");
ABSL_FLAG(std::string, expect_json, "",
          "when set, an answer whose value (compact JSON, sorted keys) differs counts as a "
          "mismatch (an error)");

namespace jscore::loadgen {
namespace {

constexpr int kUsage = 2;
constexpr int kSetupFailed = 3;
constexpr absl::Duration kDefaultDuration = absl::Seconds(5);
constexpr absl::Duration kConnectBound = absl::Seconds(10);

int Usage(const std::string& message) {
  std::fprintf(stderr, "jscore_loadgen: %s\n", message.c_str());
  return kUsage;
}

int SetupFailed(const std::string& message) {
  std::fprintf(stderr, "jscore_loadgen: %s\n", message.c_str());
  return kSetupFailed;
}

// Distinct channel arguments make gRPC open one connection per channel instead
// of sharing a subchannel.
std::shared_ptr<grpc::Channel> NewChannel(const std::string& target, int index) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  args.SetMaxSendMessageSize(64 << 20);
  args.SetInt("jscore.loadgen.channel", index);
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
}

// Status codes after which repeating the request is pointless.
bool IsFatal(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::UNIMPLEMENTED:
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::FAILED_PRECONDITION:
      return true;
    default:
      return false;
  }
}

// One request before the run: a workload that cannot work is a clear error, not
// a report full of failures. Returns an exit code, or 0 to go on.
int Probe(const Workload& workload, v1::JsCore::Stub& stub, absl::Duration timeout,
          const std::optional<std::string>& expect_json) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  v1::EvaluateResponse response;
  grpc::Status status = workload.Send(stub, &context, &response);
  if (!status.ok()) {
    std::string what =
        absl::StrCat(workload.method(), " answered ", StatusCodeName(status.error_code()));
    if (!status.error_message().empty()) absl::StrAppend(&what, ": ", status.error_message());
    if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED) {
      absl::StrAppend(&what, " (this daemon does not serve the ", workload.name(),
                      " workload yet)");
    }
    if (IsFatal(status.error_code())) return SetupFailed(what);
    std::fprintf(stderr, "jscore_loadgen: warning: the probe request failed: %s\n", what.c_str());
    return 0;
  }
  if (response.has_error()) {
    std::fprintf(stderr, "jscore_loadgen: warning: the script throws: %s: %s\n",
                 response.error().name().c_str(), response.error().message().c_str());
  } else if (expect_json && ResultJson(response) != *expect_json) {
    std::fprintf(stderr, "jscore_loadgen: warning: the probe answered %s, --expect_json is %s\n",
                 ResultJson(response).c_str(), expect_json->c_str());
  }
  return 0;
}

int Main() {
  const std::string target = absl::GetFlag(FLAGS_target);
  RunOptions run;
  run.rate = absl::GetFlag(FLAGS_rate);
  run.mode = run.rate > 0 ? LoopMode::kOpen : LoopMode::kClosed;
  run.concurrency = absl::GetFlag(FLAGS_concurrency);
  run.max_outstanding = absl::GetFlag(FLAGS_max_outstanding);
  run.requests = absl::GetFlag(FLAGS_requests);
  run.warmup = absl::GetFlag(FLAGS_warmup);
  run.timeout = absl::GetFlag(FLAGS_timeout);
  absl::Duration duration = absl::GetFlag(FLAGS_duration);
  const int channels = absl::GetFlag(FLAGS_channels);

  if (!std::isfinite(run.rate) || run.rate < 0) return Usage("--rate must be >= 0");
  if (run.mode == LoopMode::kClosed && run.concurrency < 1)
    return Usage("--concurrency must be >= 1");
  if (run.max_outstanding < 1) return Usage("--max_outstanding must be >= 1");
  if (run.requests < 0) return Usage("--requests must be >= 0");
  if (duration < absl::ZeroDuration()) return Usage("--duration must be >= 0");
  if (run.warmup < absl::ZeroDuration() || run.warmup == absl::InfiniteDuration()) {
    return Usage("--warmup must be finite and >= 0");
  }
  if (run.timeout <= absl::ZeroDuration() || run.timeout == absl::InfiniteDuration()) {
    return Usage("--timeout must be finite and > 0");
  }
  if (channels < 1) return Usage("--channels must be >= 1");
  if (duration == absl::ZeroDuration()) {
    duration = run.requests > 0 ? absl::InfiniteDuration() : kDefaultDuration;
  }
  run.duration = duration;

  WorkloadOptions work;
  const std::string workload_name = absl::GetFlag(FLAGS_workload);
  const bool batch = workload_name == "batch";
  // The batch workload sends the request of the evaluate or call workload as items.
  const std::string item_name = batch ? absl::GetFlag(FLAGS_batch_item) : workload_name;
  if (item_name == "evaluate") {
    work.kind = WorkloadKind::kEvaluate;
  } else if (item_name == "call") {
    work.kind = WorkloadKind::kCall;
  } else if (batch) {
    return Usage(absl::StrCat("--batch_item must be evaluate or call, not '", item_name, "'"));
  } else {
    return Usage(
        absl::StrCat("--workload must be evaluate, call or batch, not '", workload_name, "'"));
  }
  if (batch && run.mode == LoopMode::kOpen) {
    return Usage("--workload=batch is a closed loop: use --concurrency, not --rate");
  }
  work.source = absl::GetFlag(FLAGS_source);
  work.program_source = absl::GetFlag(FLAGS_program_source);
  if (const std::string file = absl::GetFlag(FLAGS_program_file); !file.empty()) {
    if (!work.program_source.empty())
      return Usage("--program_file and --program_source exclude each other");
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in.good() && !in.eof()) return Usage(absl::StrCat("--program_file: cannot read ", file));
    work.program_source = text.str();
    if (work.program_source.empty())
      return Usage(absl::StrCat("--program_file: ", file, " is empty or unreadable"));
  }
  work.function = absl::GetFlag(FLAGS_function);
  work.args_json = absl::GetFlag(FLAGS_args_json);
  work.json_values = absl::GetFlag(FLAGS_json_values);
  work.timeout = run.timeout;
  if (work.kind == WorkloadKind::kCall) {
    if (work.program_source.empty() || work.function.empty()) {
      return Usage("--workload=call needs --program_source (or --program_file) and --function");
    }
    if (auto args = ParseJsonArray(work.args_json); !args.ok()) {
      return Usage(absl::StrCat("--args_json: ", args.status().message()));
    }
  }

  const std::string expect = absl::GetFlag(FLAGS_expect_json);
  if (!expect.empty()) {
    // Normalised, so that '{"b": 1, "a": 2}' matches the sorted compact form.
    auto value = ParseJsonValue(expect);
    if (!value.ok()) return Usage(absl::StrCat("--expect_json: ", value.status().message()));
    run.expect_json = ValueToJson(*value);
  }

  std::vector<std::unique_ptr<v1::JsCore::Stub>> stubs;
  for (int i = 0; i < channels; ++i) {
    auto channel = NewChannel(target, i);
    if (!channel->WaitForConnected(absl::ToChronoTime(absl::Now() + kConnectBound))) {
      return SetupFailed(absl::StrCat("cannot connect to ", target, " within ",
                                      absl::FormatDuration(kConnectBound)));
    }
    stubs.push_back(v1::JsCore::NewStub(channel));
  }

  auto workload = Workload::Create(work, stubs);
  if (!workload.ok()) return SetupFailed(std::string(workload.status().message()));
  if (int code = Probe(**workload, *stubs[0], run.timeout, run.expect_json); code != 0) {
    return code;
  }

  RunSetup setup;
  setup.target = target;
  setup.workload = batch ? "batch" : std::string((*workload)->name());
  setup.channels = channels;
  setup.concurrency = run.mode == LoopMode::kClosed ? run.concurrency : 0;
  setup.rate = run.rate;
  setup.duration_seconds =
      duration == absl::InfiniteDuration() ? 0 : absl::ToDoubleSeconds(duration);
  setup.requests = run.requests;
  setup.warmup_seconds = absl::ToDoubleSeconds(run.warmup);
  setup.histogram = absl::GetFlag(FLAGS_histogram);
  if (batch) setup.channels = 1;

  RunResult result;
  if (batch) {
    // One stream on the first channel; the runner is leaked if the stream is stuck.
    auto runner = std::make_unique<BatchRunner>(run, (*workload)->BatchItem(), *stubs[0],
                                                absl::GetFlag(FLAGS_batch_pack));
    result = runner->Run();
    if (result.unfinished > 0) (void)runner.release();
  } else {
    auto runner = std::make_unique<Runner>(run, **workload, std::move(stubs));
    result = runner->Run();
    if (result.unfinished > 0) (void)runner.release();
  }
  std::string report =
      absl::GetFlag(FLAGS_json) ? ReportJson(setup, result) + "\n" : ReportText(setup, result);
  std::fputs(report.c_str(), stdout);
  std::fflush(stdout);
  if (result.unfinished > 0) {
    // RPCs still hold pointers into the (leaked) runner: do not tear anything down.
    std::fflush(stderr);
    std::_Exit(0);
  }
  return 0;
}

}  // namespace
}  // namespace jscore::loadgen

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "jscore_loadgen: load generator for jscored (gRPC).\n"
      "  closed loop: jscore_loadgen --target=HOST:PORT --concurrency=64 --duration=10s\n"
      "  open loop:   jscore_loadgen --rate=5000 --duration=10s --json\n"
      "Reports ok/errors by status, throughput and latency percentiles (microseconds).");
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() > 1) {
    std::fprintf(stderr, "jscore_loadgen: unexpected argument '%s'\n", positional[1]);
    return 2;
  }
  return jscore::loadgen::Main();
}
