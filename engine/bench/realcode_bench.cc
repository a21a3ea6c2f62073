// The real-code workload (bench/realcode/) below gRPC: crypto-js 4.2.0 plus an
// obfuscated signer, `loopSign(P, n)` called n signatures per call, on a raw V8
// isolate of this thread and through engine::Pool (one worker, calls one after
// another). Prints the process CPU per signature of each, which is what bench/run's
// real-code row divides jscored's daemon CPU by.
//
//   engine_realcode_bench --program=PROGRAM.js [--signatures=2000] [--n=1,10,100] [--rounds=2]
//                         [--v8_flags='--log-maps --logfile=maps.log'] [--only=raw|engine]
//                         [--gap=300us]
//
// CPU is the whole process's (V8's background threads included), so the engine side
// also counts the Pool's hand-off to its worker thread; --gap sleeps between calls
// (as a client's round trip leaves a worker idle), for both.
//
// The program is made at bench time (bench/realcode/prepare); it is never committed.
// Output: one JSON object per line,
//   {"system":"raw_v8"|"engine","n":N,"calls":C,"cpu_us_per_signature":X,"result":...}
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "engine/job.h"
#include "engine/platform.h"
#include "engine/pool.h"
#include "v8.h"

ABSL_FLAG(std::string, program, "", "the real-code program (bench/realcode/prepare makes it)");
ABSL_FLAG(int, signatures, 2000, "signatures per measurement (calls = signatures / n)");
ABSL_FLAG(std::string, n, "1,10,100", "signatures per call (loopSign's n), comma-separated");
ABSL_FLAG(int, rounds, 2, "rounds; raw V8 and the engine alternate within each");
ABSL_FLAG(std::string, v8_flags, "", "V8 flags for both (e.g. --trace-deopt)");
ABSL_FLAG(std::string, only, "", "raw or engine: measure only that one");
ABSL_FLAG(absl::Duration, gap, absl::ZeroDuration(),
          "idle time between calls (as a client's round trip leaves the worker)");

namespace {

using jscore::engine::JobSpec;
using jscore::engine::Outcome;

constexpr char kParams[][2][16] = {
    {"uid", "10086"}, {"q", "jscore bench"}, {"page", "3"}, {"sort", "desc"}, {"v", "2.1"}};

double ProcessCpuUs() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

void Report(const char* system, int n, int calls, double cpu_us, const std::string& result) {
  std::printf(
      "{\"system\":\"%s\",\"n\":%d,\"calls\":%d,\"cpu_us_per_signature\":%.1f,"
      "\"result\":%s}\n",
      system, n, calls, cpu_us / (static_cast<double>(calls) * n), result.c_str());
  std::fflush(stdout);
}

// A bare context on an isolate of this thread: the program's top level once, then
// loopSign(P, n) with P built per call (as a Call's argument is).
class RawV8 {
 public:
  explicit RawV8(const std::string& program)
      : allocator_(v8::ArrayBuffer::Allocator::NewDefaultAllocator()) {
    v8::Isolate::CreateParams params;
    params.array_buffer_allocator = allocator_.get();
    isolate_ = v8::Isolate::New(params);
    v8::Isolate::Scope isolate_scope(isolate_);
    v8::HandleScope handles(isolate_);
    v8::Local<v8::Context> context = v8::Context::New(isolate_);
    v8::Context::Scope context_scope(context);
    v8::Local<v8::String> source =
        v8::String::NewFromUtf8(isolate_, program.data(), v8::NewStringType::kNormal,
                                static_cast<int>(program.size()))
            .ToLocalChecked();
    v8::Script::Compile(context, source).ToLocalChecked()->Run(context).ToLocalChecked();
    v8::Local<v8::Value> fn =
        context->Global()
            ->Get(context, v8::String::NewFromUtf8Literal(isolate_, "loopSign"))
            .ToLocalChecked();
    context_.Reset(isolate_, context);
    loop_sign_.Reset(isolate_, fn.As<v8::Function>());
  }
  ~RawV8() {
    context_.Reset();
    loop_sign_.Reset();
    isolate_->Dispose();
  }

  // Returns the last result as JSON.
  std::string Run(int n, int calls, absl::Duration gap) {
    v8::Isolate::Scope isolate_scope(isolate_);
    v8::HandleScope handles(isolate_);
    v8::Local<v8::Context> context = context_.Get(isolate_);
    v8::Context::Scope context_scope(context);
    v8::Local<v8::Function> fn = loop_sign_.Get(isolate_);
    std::string out;
    for (int i = 0; i < calls; ++i) {
      if (gap > absl::ZeroDuration()) absl::SleepFor(gap);
      v8::HandleScope call_scope(isolate_);
      v8::Local<v8::Object> params = v8::Object::New(isolate_);
      for (const auto& [key, value] : kParams) {
        params
            ->Set(context, v8::String::NewFromUtf8(isolate_, key).ToLocalChecked(),
                  v8::String::NewFromUtf8(isolate_, value).ToLocalChecked())
            .Check();
      }
      v8::Local<v8::Value> argv[] = {params, v8::Number::New(isolate_, n)};
      v8::Local<v8::Value> result = fn->Call(context, context->Global(), 2, argv).ToLocalChecked();
      if (i + 1 == calls) {
        v8::String::Utf8Value json(isolate_, v8::JSON::Stringify(context, result).ToLocalChecked());
        out.assign(*json, json.length());
      }
    }
    return out;
  }

 private:
  std::unique_ptr<v8::ArrayBuffer::Allocator> allocator_;
  v8::Isolate* isolate_;
  v8::Global<v8::Context> context_;
  v8::Global<v8::Function> loop_sign_;
};

Outcome RunJob(jscore::engine::Pool& pool, const JobSpec& spec) {
  Outcome out;
  absl::Notification done;
  auto job =
      std::make_shared<jscore::engine::Job>(spec, absl::Now() + absl::Seconds(30), [&](Outcome o) {
        out = std::move(o);
        done.Notify();
      });
  if (absl::Status s = pool.Submit(job); !s.ok()) return Outcome::Failed(s);
  done.WaitForNotification();
  return out;
}

// The result's string form for the report (plain strings and numbers of this workload).
std::string ValueJson(const google::protobuf::Value& v) {
  if (!v.has_struct_value()) return "null";
  std::string out = "{";
  for (const char* key : {"sign", "nonce", "ts"}) {
    auto it = v.struct_value().fields().find(key);
    if (it == v.struct_value().fields().end()) continue;
    if (out.size() > 1) out += ",";
    out += "\"" + std::string(key) + "\":";
    if (it->second.has_string_value()) {
      out += "\"" + it->second.string_value() + "\"";
    } else {
      out += std::to_string(static_cast<int64_t>(it->second.number_value()));
    }
  }
  return out + "}";
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::ifstream in(absl::GetFlag(FLAGS_program), std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const std::string program = text.str();
  if (program.empty()) {
    std::fprintf(stderr, "engine_realcode_bench: --program must name the program file\n");
    return 2;
  }
  std::vector<int> ns;
  for (absl::string_view part : absl::StrSplit(absl::GetFlag(FLAGS_n), ',')) {
    int n = 0;
    if (!absl::SimpleAtoi(part, &n) || n <= 0) {
      std::fprintf(stderr, "engine_realcode_bench: bad --n\n");
      return 2;
    }
    ns.push_back(n);
  }
  const std::string only = absl::GetFlag(FLAGS_only);
  const absl::Duration gap = absl::GetFlag(FLAGS_gap);
  jscore::engine::PlatformOptions platform_options;
  platform_options.v8_flags = absl::GetFlag(FLAGS_v8_flags);
  auto platform = jscore::engine::Platform::Create(platform_options);
  if (!platform.ok()) return 1;

  RawV8 raw(program);
  jscore::engine::PoolOptions options;
  options.workers = 1;
  auto pool = jscore::engine::Pool::Create(**platform, options).value();
  jscore::engine::LoadProgramSpec load;
  load.source = program;
  Outcome loaded = RunJob(*pool, load);
  if (loaded.kind != Outcome::Kind::kValue) {
    std::fprintf(stderr, "engine_realcode_bench: LoadProgram failed: %s\n",
                 loaded.status.ToString().c_str());
    return 1;
  }
  jscore::engine::CallSpec call;
  call.program = loaded.id;
  call.function = "loopSign";
  google::protobuf::Value params;
  for (const auto& [key, value] : kParams) {
    (*params.mutable_struct_value()->mutable_fields())[key].set_string_value(value);
  }
  call.args = {params, google::protobuf::Value()};

  const int signatures = absl::GetFlag(FLAGS_signatures);
  for (int round = 0; round <= absl::GetFlag(FLAGS_rounds); ++round) {
    for (int n : ns) {
      const int calls = round == 0 ? std::max(1, 200 / n) : std::max(1, signatures / n);
      const bool warmup = round == 0;
      if (only != "engine") {
        double t0 = ProcessCpuUs();
        std::string result = raw.Run(n, calls, gap);
        if (!warmup) Report("raw_v8", n, calls, ProcessCpuUs() - t0, result);
      }
      if (only != "raw") {
        call.args[1].set_number_value(n);
        double t0 = ProcessCpuUs();
        Outcome last;
        for (int i = 0; i < calls; ++i) {
          if (gap > absl::ZeroDuration()) absl::SleepFor(gap);
          last = RunJob(*pool, call);
          if (last.kind != Outcome::Kind::kValue) {
            std::fprintf(stderr, "engine_realcode_bench: Call failed: %s %s\n",
                         last.status.ToString().c_str(), last.error.message.c_str());
            return 1;
          }
        }
        if (!warmup) Report("engine", n, calls, ProcessCpuUs() - t0, ValueJson(last.value));
      }
    }
  }
  pool->Shutdown(absl::Seconds(5));
  return 0;
}
