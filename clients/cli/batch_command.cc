// jscore batch: JSON lines in, JSON lines out, through one Batch stream.
//
// Input, one object per line:
//   {"id": "a", "source": "1+1", "globals": {"x": 1}, "timeout_ms": 500}   an evaluation
//   {"id": "b", "function": "sign", "args": ["x", 1]}                       a call into
//       --program_file's program (or "program": ID, or "session": ID)
// Output, one object per line, in completion order:
//   {"id":"a","value":2}  {"id":"b","error":{...}}
//   {"id":"c","status":"DEADLINE_EXCEEDED","message":"..."}
// A line without "id" gets its line number. With a terminal on stderr, a progress bar
// shows the count, the rate and (for a file) the ETA.
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "clients/cli/commands.h"
#include "clients/cli/json_writer.h"
#include "common/json_text.h"
#include "common/status_code_name.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "jscore/v1/jscore.grpc.pb.h"

ABSL_FLAG(int32_t, window, 256, "batch: items sent ahead of the results received");
ABSL_DECLARE_FLAG(std::string, program_file);

namespace jscore::cli {
namespace {

// Builds a BatchRequest from one input line, or returns why not. "args" and
// "globals" travel as their JSON text (args_json, globals_json), so that object keys
// keep the order they are written in; the other fields are read as before.
std::string ParseLine(const std::string& line, int64_t number, const std::string& program,
                      v1::BatchRequest* item) {
  std::vector<JsonMember> members;
  absl::StatusOr<JsonShape> shape =
      CheckJsonText(line, kMaxArgumentDepth + 1, "the line", &members);
  if (!shape.ok() || shape->top != '{') {
    item->set_id(absl::StrCat(number));
    return shape.ok() ? "the line is not a JSON object" : std::string(shape.status().message());
  }
  std::string args_json;
  std::string globals_json;
  std::string rest = "{";
  for (const JsonMember& member : members) {
    if (member.key == "args") {
      args_json = std::string(member.value);
    } else if (member.key == "globals") {
      globals_json = std::string(member.value);
    } else {
      if (rest.size() > 1) rest += ",";
      absl::StrAppend(&rest, "\"", member.key, "\":", member.value);
    }
  }
  rest += "}";
  google::protobuf::Struct object;
  if (!google::protobuf::util::JsonStringToMessage(rest, &object).ok()) {
    item->set_id(absl::StrCat(number));
    return "the line's fields could not be read";
  }
  const auto& f = object.fields();
  auto text = [&f](const char* key) {
    auto it = f.find(key);
    if (it == f.end()) return std::string();
    return it->second.has_string_value() ? it->second.string_value()
                                         : absl::StrCat(it->second.number_value());
  };
  item->set_id(f.count("id") ? text("id") : absl::StrCat(number));
  if (f.count("source")) {
    auto* e = item->mutable_evaluate();
    e->set_source(text("source"));
    e->set_filename(absl::StrCat("<line ", number, ">"));
    e->set_value_encoding(v1::VALUE_ENCODING_JSON);
    if (!globals_json.empty() && globals_json[0] == '{') {
      e->mutable_globals_json()->set_json(globals_json);
    }
    if (f.count("timeout_ms")) {
      *e->mutable_timeout() = ToProto(absl::Milliseconds(f.at("timeout_ms").number_value()));
    } else {
      *e->mutable_timeout() = ToProto(Timeout());
    }
    return "";
  }
  if (f.count("function")) {
    auto* c = item->mutable_call();
    c->set_function(text("function"));
    if (f.count("session")) {
      c->set_session(text("session"));
    } else if (f.count("program")) {
      c->set_program(text("program"));
    } else if (!program.empty()) {
      c->set_program(program);
    } else {
      return "a call needs --program_file, \"program\" or \"session\"";
    }
    c->set_value_encoding(v1::VALUE_ENCODING_JSON);
    if (!args_json.empty() && args_json[0] == '[') c->mutable_args_json()->set_json(args_json);
    *c->mutable_timeout() = ToProto(
        f.count("timeout_ms") ? absl::Milliseconds(f.at("timeout_ms").number_value()) : Timeout());
    return "";
  }
  return "the line has neither \"source\" nor \"function\"";
}

// The progress bar on stderr (only when it is a terminal).
class Progress {
 public:
  explicit Progress(int64_t total)
      : total_(total), enabled_(isatty(STDERR_FILENO)), start_(absl::Now()) {}
  void Update(int64_t done, bool last = false) {
    if (!enabled_) return;
    absl::Time now = absl::Now();
    if (!last && now - printed_ < absl::Milliseconds(100)) return;
    printed_ = now;
    double rate = done / std::max(1e-3, absl::ToDoubleSeconds(now - start_));
    std::string bar;
    if (total_ > 0) {
      int filled = static_cast<int>(30.0 * done / total_);
      bar = absl::StrCat("[", std::string(filled, '#'), std::string(30 - filled, '-'), "] ", done,
                         "/", total_, absl::StrFormat(" %.0f/s", rate),
                         absl::StrFormat(" ETA %.0fs", rate > 0 ? (total_ - done) / rate : 0.0));
    } else {
      bar = absl::StrCat(done, " done", absl::StrFormat(" %.0f/s", rate));
    }
    std::fprintf(stderr, "\r%s\033[K%s", bar.c_str(), last ? "\n" : "");
  }

 private:
  const int64_t total_;
  const bool enabled_;
  const absl::Time start_;
  absl::Time printed_ = absl::InfinitePast();
};

int64_t CountLines(const std::string& path) {
  std::ifstream in(path);
  int64_t n = 0;
  std::string line;
  while (std::getline(in, line)) n += !line.empty();
  return n;
}

}  // namespace

int Batch(const std::vector<std::string>& args) {
  std::string path = args.empty() ? "-" : args[0];
  std::ifstream file;
  if (path != "-") {
    file.open(path);
    if (!file) {
      std::fprintf(stderr, "jscore: cannot read %s\n", path.c_str());
      return kUsage;
    }
  }
  std::istream& in = path == "-" ? std::cin : file;
  auto stub = v1::JsCore::NewStub(Connect());

  std::string program;
  if (std::string program_file = absl::GetFlag(FLAGS_program_file); !program_file.empty()) {
    std::string source;
    if (!ReadFile(program_file, &source)) return kUsage;
    v1::LoadProgramRequest load;
    if (!ProgramLoad(program_file, std::move(source), &load)) return kUsage;
    v1::LoadProgramResponse loaded;
    grpc::ClientContext context;
    SetDeadline(context);
    grpc::Status status = stub->LoadProgram(&context, load, &loaded);
    if (!status.ok()) return RpcFailure(status);
    if (loaded.has_error()) {
      std::fprintf(stderr, "jscore: %s: %s: %s\n", program_file.c_str(),
                   loaded.error().name().c_str(), loaded.error().message().c_str());
      return kScriptFailed;
    }
    program = loaded.program();
  }

  const int window = std::max(1, absl::GetFlag(FLAGS_window));
  grpc::ClientContext context;
  SetDeadline(context, absl::Hours(24) - Timeout());  // the stream lives as long as the input
  auto stream = stub->Batch(&context);
  std::mutex mu;  // guards the counters and stdout
  std::condition_variable room;
  int64_t sent = 0;
  int64_t received = 0;
  int64_t failed = 0;
  Progress progress(path == "-" ? 0 : CountLines(path));

  // Writer: parse lines and send them, never more than `window` ahead of the results.
  std::thread writer([&] {
    std::string line;
    int64_t number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      v1::BatchRequest item;
      std::string bad = ParseLine(line, number, program, &item);
      std::unique_lock<std::mutex> lock(mu);
      if (!bad.empty()) {
        std::printf("{\"id\":%s,\"status\":\"INVALID_ARGUMENT\",\"message\":%s}\n",
                    JsonString(item.id()).c_str(), JsonString(bad).c_str());
        failed++;
        continue;
      }
      room.wait(lock, [&] { return sent - received < window; });
      sent++;
      lock.unlock();
      if (!stream->Write(item)) break;  // the stream ended (its status says why)
    }
    stream->WritesDone();
  });

  v1::BatchResponse response;
  while (stream->Read(&response)) {
    std::string out;
    bool ok = response.code() == 0 && !response.result().has_error();
    if (response.code() != 0) {
      out = absl::StrCat("{\"id\":", JsonString(response.id()), ",\"status\":\"",
                         StatusCodeName(response.code()),
                         "\",\"message\":", JsonString(response.message()), "}");
    } else {
      std::string body = ResponseJson(response.result());  // {"value":...} or {"error":...}
      out = absl::StrCat("{\"id\":", JsonString(response.id()), ",", body.substr(1));
    }
    std::lock_guard<std::mutex> lock(mu);
    std::printf("%s\n", out.c_str());
    received++;
    if (!ok) failed++;
    progress.Update(received);
    room.notify_one();
  }
  writer.join();
  grpc::Status status = stream->Finish();
  progress.Update(received, /*last=*/true);
  std::fflush(stdout);
  if (!status.ok()) return RpcFailure(status);
  return failed > 0 ? kScriptFailed : kOk;
}

}  // namespace jscore::cli
