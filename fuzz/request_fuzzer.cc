// Fuzz target: bytes -> a request, through the daemon's validation
// (daemon/request_mapping.h: SpecFromRequest, DeadlineFor) and, when valid, into an
// engine Pool, then the outcome back into a response (FillResponse): what a unary RPC
// handler does (daemon/service.cc), without gRPC.
//
// Input: one byte that picks the request type (modulo 5: Evaluate, Call, LoadProgram,
// CreateSession, DeleteSession), then the serialized request.
// Invariants: validation never crashes; a negative timeout is refused; a deadline
// lies between now and now + --max_timeout; a job completes once and in time; the
// outcome passes CheckOutcome; the response serializes and parses back.
//
// A fixture program (kFixture below) is loaded at start, so that Call requests that
// name it (the seeds do) reach a program context. Programs and sessions that an input
// creates are dropped again, so that the state stays small across iterations.
//
// With JSCORE_FUZZ_WRITE_SEEDS=DIR in the environment the binary writes its seed
// inputs into DIR and exits (fuzz/README.md: regenerating the corpora).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "daemon/config.h"
#include "daemon/request_mapping.h"
#include "fuzz/fuzz_support.h"
#include "google/protobuf/text_format.h"
#include "jscore/v1/jscore.pb.h"

namespace jscore::fuzz {
namespace {

constexpr char kFixture[] = R"js(
function echo(...args) { return args; }
function add(a, b) { return a + b; }
var api = {
  nested: { id(x) { return x; } },
  async later(x) { await null; return x; },
  counter: 0,
  bump() { return ++this.counter; },
};
)js";

enum RequestType { kEvaluate, kCall, kLoadProgram, kCreateSession, kDeleteSession, kTypes };

daemon::DaemonConfig& Config() {
  static daemon::DaemonConfig* config = [] {
    auto* c = new daemon::DaemonConfig;
    c->default_timeout = absl::Milliseconds(100);
    c->max_timeout = absl::Milliseconds(250);
    c->max_source_bytes = 64 << 10;
    c->max_globals = 100;
    return c;
  }();
  return *config;
}

std::string& FixtureId() {
  static std::string* id = [] {
    engine::LoadProgramSpec spec;
    spec.source = kFixture;
    spec.filename = "<fixture>";
    engine::Outcome loaded = RunJob(FuzzPool(), std::move(spec), absl::Now() + absl::Seconds(10));
    Require(loaded.kind == engine::Outcome::Kind::kValue && !loaded.id.empty(),
            absl::StrCat("the fixture program did not load: ", loaded.status.ToString(), " ",
                         loaded.error.message));
    return new std::string(loaded.id);
  }();
  return *id;
}

// The response must serialize and parse back.
template <typename Response>
void CheckResponse(const Response& response) {
  std::string bytes;
  Require(response.SerializeToString(&bytes), "a response does not serialize");
  Response parsed;
  Require(parsed.ParseFromString(bytes), "a response does not parse back");
}

// Validation, deadline, the job, the response: the path of JsCoreService::RunJob.
template <typename Request, typename Response>
void Handle(const Request& request, const google::protobuf::Duration& timeout,
            engine::Outcome* outcome_out) {
  const daemon::DaemonConfig& config = Config();
  absl::Time now = absl::Now();
  absl::StatusOr<engine::JobSpec> spec = daemon::SpecFromRequest(request, config);
  absl::StatusOr<absl::Time> deadline =
      daemon::DeadlineFor(timeout, absl::InfiniteFuture(), now, config);
  if (timeout.seconds() < 0 || timeout.nanos() < 0) {
    Require(!deadline.ok(), "a negative timeout was accepted");
  }
  if (deadline.ok()) {
    Require(*deadline >= now && *deadline <= now + config.max_timeout,
            "a deadline outside [now, now + max_timeout]");
  }
  if (!spec.ok() || !deadline.ok()) {
    absl::Status refused = !spec.ok() ? spec.status() : deadline.status();
    Require(!refused.ok(), "validation refused with an OK status");
    return;
  }
  engine::Outcome outcome = RunJob(FuzzPool(), std::move(*spec), *deadline);
  CheckOutcome(outcome);
  *outcome_out = outcome;
  Response response;
  absl::Status status = daemon::FillResponse(std::move(outcome), &response);
  Require(status.ok() == (outcome_out->kind != engine::Outcome::Kind::kFailed),
          "FillResponse's status disagrees with the outcome");
  if (status.ok()) CheckResponse(response);
}

void Cleanup(RequestType type, const engine::Outcome& outcome) {
  if (outcome.kind != engine::Outcome::Kind::kValue || outcome.id.empty()) return;
  if (type == kLoadProgram && outcome.id != FixtureId()) {
    FuzzPool().UnloadProgram(outcome.id);
  } else if (type == kCreateSession) {
    engine::DeleteSessionSpec spec;
    spec.session = outcome.id;
    RunJob(FuzzPool(), std::move(spec), absl::Now() + absl::Seconds(5));
  }
}

void RunOne(const uint8_t* data, size_t size) {
  if (size == 0) return;
  auto type = static_cast<RequestType>(data[0] % kTypes);
  const void* bytes = data + 1;
  int length = static_cast<int>(size - 1);
  engine::Outcome outcome;
  switch (type) {
    case kEvaluate: {
      v1::EvaluateRequest request;
      if (!request.ParseFromArray(bytes, length)) return;
      Handle<v1::EvaluateRequest, v1::EvaluateResponse>(request, request.timeout(), &outcome);
      break;
    }
    case kCall: {
      v1::CallRequest request;
      if (!request.ParseFromArray(bytes, length)) return;
      Handle<v1::CallRequest, v1::EvaluateResponse>(request, request.timeout(), &outcome);
      break;
    }
    case kLoadProgram: {
      v1::LoadProgramRequest request;
      if (!request.ParseFromArray(bytes, length)) return;
      Handle<v1::LoadProgramRequest, v1::LoadProgramResponse>(request, {}, &outcome);
      break;
    }
    case kCreateSession: {
      v1::CreateSessionRequest request;
      if (!request.ParseFromArray(bytes, length)) return;
      Handle<v1::CreateSessionRequest, v1::CreateSessionResponse>(request, {}, &outcome);
      break;
    }
    case kDeleteSession: {
      v1::DeleteSessionRequest request;
      if (!request.ParseFromArray(bytes, length)) return;
      Handle<v1::DeleteSessionRequest, v1::DeleteSessionResponse>(request, {}, &outcome);
      break;
    }
    case kTypes:
      return;
  }
  Cleanup(type, outcome);
}

// ---- seeds (JSCORE_FUZZ_WRITE_SEEDS) ----

struct Seed {
  const char* name;
  RequestType type;
  const char* text;  // text format; "$FIXTURE" is replaced by the fixture's id
};

constexpr Seed kSeeds[] = {
    {"evaluate_arith", kEvaluate, R"pb(source: "1 + 2")pb"},
    {"evaluate_globals", kEvaluate,
     R"pb(source: "[a, b.c, typeof d]"
          globals {
            key: "a"
            value { number_value: 1.5 }
          }
          globals {
            key: "b"
            value {
              struct_value {
                fields {
                  key: "c"
                  value {
                    list_value {
                      values { string_value: "x" }
                      values { null_value: NULL_VALUE }
                      values { bool_value: true }
                    }
                  }
                }
              }
            }
          }
          timeout { nanos: 50000000 })pb"},
    {"evaluate_async", kEvaluate,
     R"pb(source: "(async () => { await new Promise(r => setTimeout(r, 5)); return new Map([[1, 2n]]) })()")pb"},
    {"evaluate_throws", kEvaluate, R"pb(source: "throw new TypeError('bad')" filename: "t.js")pb"},
    {"evaluate_bare_seeded", kEvaluate, R"pb(source: "[Math.random(), Date.now()]"
                                             extensions: EXTENSIONS_NONE
                                             random_seed: 42
                                             frozen_time_ms: 1700000000000)pb"},
    {"evaluate_browser", kEvaluate,
     R"pb(source: "[navigator.userAgent, location.href, document.cookie]"
          profile: PROFILE_BROWSER
          browser {
            url: "https://example.com/a?b=1"
            cookie: "k=v"
            languages: "fr-FR"
            screen_width: 800
          })pb"},
    {"evaluate_probe", kEvaluate, R"pb(source: "typeof missingThing" probe: true)pb"},
    {"evaluate_session_unknown", kEvaluate, R"pb(source: "1" session: "nope")pb"},
    {"evaluate_loop", kEvaluate, R"pb(source: "for (;;) {}"
                                      timeout { nanos: 20000000 })pb"},
    {"evaluate_negative_timeout", kEvaluate, R"pb(source: "1"
                                                  timeout { seconds: -1 })pb"},
    {"call_echo", kCall,
     R"pb(program: "$FIXTURE"
          function: "echo"
          args { number_value: 1 }
          args { string_value: "é" }
          args { list_value { values { struct_value {} } } })pb"},
    {"call_nested", kCall, R"pb(program: "$FIXTURE"
                                function: "api.nested.id"
                                args { bool_value: false })pb"},
    {"call_async_fresh", kCall, R"pb(program: "$FIXTURE"
                                     function: "api.later"
                                     fresh: true
                                     args { null_value: NULL_VALUE })pb"},
    {"call_missing", kCall, R"pb(program: "$FIXTURE" function: "nope.none")pb"},
    {"call_bad_id", kCall, R"pb(program: "abc" function: "echo")pb"},
    {"call_session", kCall, R"pb(session: "s" function: "f")pb"},
    {"load_program", kLoadProgram,
     R"pb(source: "var m = require('m'); function f(x) { return m.twice(x) }"
          modules { key: "m" value: "exports.twice = x => 2 * x" }
          filename: "p.js")pb"},
    {"load_validate_only", kLoadProgram, R"pb(source: "function (" validate_only: true)pb"},
    {"create_session", kCreateSession, R"pb(source: "var n = 0"
                                            ttl { seconds: 1 })pb"},
    {"create_session_program", kCreateSession,
     R"pb(program: "$FIXTURE" extensions: EXTENSIONS_NONE)pb"},
    {"delete_session", kDeleteSession, R"pb(session: "gone")pb"},
};

template <typename Request>
std::string Encode(const std::string& text) {
  Request request;
  Require(google::protobuf::TextFormat::ParseFromString(text, &request),
          absl::StrCat("bad seed text: ", text));
  return request.SerializeAsString();
}

void WriteSeeds(const std::string& dir) {
  for (const Seed& seed : kSeeds) {
    std::string text = absl::StrReplaceAll(seed.text, {{"$FIXTURE", FixtureId()}});
    std::string body;
    switch (seed.type) {
      case kEvaluate:
        body = Encode<v1::EvaluateRequest>(text);
        break;
      case kCall:
        body = Encode<v1::CallRequest>(text);
        break;
      case kLoadProgram:
        body = Encode<v1::LoadProgramRequest>(text);
        break;
      case kCreateSession:
        body = Encode<v1::CreateSessionRequest>(text);
        break;
      case kDeleteSession:
        body = Encode<v1::DeleteSessionRequest>(text);
        break;
      case kTypes:
        break;
    }
    std::ofstream out(absl::StrCat(dir, "/", seed.name), std::ios::binary);
    out.put(static_cast<char>(seed.type));
    out << body;
    Require(out.good(), absl::StrCat("could not write a seed into ", dir));
  }
  std::printf("wrote %zu seeds into %s\n", sizeof kSeeds / sizeof kSeeds[0], dir.c_str());
}

}  // namespace
}  // namespace jscore::fuzz

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  jscore::fuzz::FixtureId();
  if (const char* dir = std::getenv("JSCORE_FUZZ_WRITE_SEEDS")) {
    jscore::fuzz::WriteSeeds(dir);
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  jscore::fuzz::RunOne(data, size);
  return 0;
}
