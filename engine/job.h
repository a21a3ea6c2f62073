// Job: one unit of work handed from a front end to the Pool, and its Outcome.
#ifndef JSCORE_ENGINE_JOB_H_
#define JSCORE_ENGINE_JOB_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "engine/json_value.h"
#include "google/protobuf/struct.pb.h"

namespace jscore::engine {

struct Program;  // internal/program_cache.h

enum class Environment { kStandard, kBare };

// PROFILE_BROWSER's page (extensions/browser/browser_profile.h). Empty strings, empty
// languages and zero sizes take the defaults of a desktop Chrome on Windows.
struct BrowserProfile {
  std::string user_agent;
  std::string url;
  std::string cookie;
  std::string referrer;
  std::string platform;
  std::vector<std::string> languages;
  int screen_width = 0;
  int screen_height = 0;
};

// How a program's (or a fresh Evaluate's) source is run.
enum class SourceType {
  kScript,    // a classic script; Call names its top-level bindings
  kModule,    // an ES module, the root of a graph over `modules`; Call names its exports
  kCommonJs,  // a CommonJS module (require, module.exports); Call names module.exports' properties
};

enum class JobKind {
  kEvaluate,       // run `source` (fresh context, or `session`'s)
  kCall,           // call `function` of `program` or `session`
  kLoadProgram,    // compile `source` + `modules`; the outcome's id names the program
  kCreateSession,  // a context on one worker, from `program` and/or `source`
  kDeleteSession,
};

// What a job sets on the context it runs in (engine/job_settings.cc applies them).
// Evaluate, Call and CreateSession carry one; a new per-request setting is a field here.
struct ContextSettings {
  // Seeds Math.random and crypto randomness (0: not seeded).
  uint64_t random_seed = 0;
  // Freezes Date/performance clocks at an epoch millisecond (0: real time).
  int64_t frozen_time_ms = 0;
  // Evaluate (fresh), CreateSession: the browser profile, when set.
  std::optional<BrowserProfile> browser;
  // Evaluate (fresh), Call (program): record undefined global reads (Outcome::probed_missing).
  bool probe = false;
};

// Run `source` in a fresh context, or in `session`'s.
struct EvaluateSpec {
  std::string source;
  std::string filename = "<eval>";
  // Set as global variables before the script runs.
  std::vector<std::pair<std::string, google::protobuf::Value>> globals;
  // The globals as one JSON object, defined in its key order (after `globals`).
  std::optional<JsonValue> globals_json;
  Environment environment = Environment::kStandard;
  std::string session;  // session id; empty: a fresh context
  // How the outcome carries the result, hook data and thrown values
  // (kProtobuf: Outcome::value + annotations; kJson: Outcome::value_json).
  ValueEncoding value_encoding = ValueEncoding::kProtobuf;
  // Fresh only: path -> source of the CommonJS, ES and JSON modules that require()
  // and import reach (engine/README.md, "Modules"), and how `source` is run.
  std::map<std::string, std::string> modules;
  SourceType source_type = SourceType::kScript;
  ContextSettings settings;
};

// Call `function` of `program` or of `session` (exactly one is set).
struct CallSpec {
  std::string program;   // program id
  std::string session;   // session id
  std::string function;  // dotted path (internal/call_target.h)
  std::vector<google::protobuf::Value> args;
  std::optional<JsonValue> args_json;                       // a JSON array (instead of `args`)
  ValueEncoding value_encoding = ValueEncoding::kProtobuf;  // as EvaluateSpec's
  bool fresh = false;  // in a fresh copy of the program's context
  ContextSettings settings;
};

// Compile `source` + `modules`; the outcome's id names the program.
struct LoadProgramSpec {
  std::string source;
  std::string filename = "<eval>";
  std::map<std::string, std::string> modules;  // as EvaluateSpec's
  SourceType source_type = SourceType::kScript;
  bool validate_only = false;  // check, keep nothing
  // The program's browser profile (part of its id), set up in each of its contexts.
  std::optional<BrowserProfile> browser;
};

// A context on one worker, from `program` and/or `source`, kept for `ttl` idle.
struct CreateSessionSpec {
  std::string program;  // program id, or empty
  std::string source;   // run once at creation
  std::string filename = "<eval>";
  Environment environment = Environment::kStandard;  // without a program
  absl::Duration ttl = absl::ZeroDuration();         // idle time to live (0: the default)
  ContextSettings settings;
  std::string session;  // set by Pool::Submit: the new session's id
};

struct DeleteSessionSpec {
  std::string session;
};

// What to do. Plain data: it crosses from the front end's thread to a worker. One
// spec per job kind (`what`, in JobKind's order); it converts from each of them.
struct JobSpec {
  using What =
      std::variant<EvaluateSpec, CallSpec, LoadProgramSpec, CreateSessionSpec, DeleteSessionSpec>;

  JobSpec() = default;                                        // an empty Evaluate
  JobSpec(EvaluateSpec spec) : what(std::move(spec)) {}       // NOLINT: implicit
  JobSpec(CallSpec spec) : what(std::move(spec)) {}           // NOLINT: implicit
  JobSpec(LoadProgramSpec spec) : what(std::move(spec)) {}    // NOLINT: implicit
  JobSpec(CreateSessionSpec spec) : what(std::move(spec)) {}  // NOLINT: implicit
  JobSpec(DeleteSessionSpec spec) : what(std::move(spec)) {}  // NOLINT: implicit

  JobKind kind() const { return static_cast<JobKind>(what.index()); }
  // The session the job runs in, deletes or (CreateSession, once submitted) created;
  // empty for none.
  const std::string& session() const;
  // The settings of the context it runs in; null for LoadProgram and DeleteSession.
  const ContextSettings* settings() const;
  // How the outcome carries values (kProtobuf for the kinds that return none).
  ValueEncoding value_encoding() const;

  What what;
  // The caller that sent the job, as the front end authenticated it ("" : the shared,
  // unnamed caller). Programs and sessions belong to their caller: another caller
  // cannot reach them (Pool::Route refuses them as not loaded / unknown).
  std::string owner;
};

inline const std::string& JobSpec::session() const {
  static const std::string kNone;
  return std::visit(
      [](const auto& spec) -> const std::string& {
        if constexpr (std::is_same_v<std::decay_t<decltype(spec)>, LoadProgramSpec>) {
          return kNone;
        } else {
          return spec.session;
        }
      },
      what);
}

inline const ContextSettings* JobSpec::settings() const {
  if (const auto* s = std::get_if<EvaluateSpec>(&what)) return &s->settings;
  if (const auto* s = std::get_if<CallSpec>(&what)) return &s->settings;
  if (const auto* s = std::get_if<CreateSessionSpec>(&what)) return &s->settings;
  return nullptr;
}

inline ValueEncoding JobSpec::value_encoding() const {
  if (const auto* s = std::get_if<EvaluateSpec>(&what)) return s->value_encoding;
  if (const auto* s = std::get_if<CallSpec>(&what)) return s->value_encoding;
  return ValueEncoding::kProtobuf;
}

// One place in a result whose JS type JSON cannot express.
struct TypeAnnotation {
  enum class Kind { kUndefined, kBigInt, kDate, kBytes, kNaN, kInfinity, kMap, kSet };
  std::string path;  // JSON Pointer into the value ("" is the value itself)
  Kind kind;
};

struct JsError {
  std::string name;
  std::string message;
  std::string stack;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based; 0 when unknown
  std::string source_line;
  // The script threw something that is not an Error: that value (name is then empty
  // and message is the value as console.log writes it).
  std::optional<JsonValue> thrown;
};

struct ConsoleLine {
  enum class Level { kLog, kInfo, kWarn, kError, kDebug, kTrace };
  Level level = Level::kLog;
  std::string text;
};

struct ExecStats {
  absl::Duration queue_wait;
  absl::Duration wall_time;
  absl::Duration cpu_time;
  int worker = -1;
};

// How a job ended. Exactly one of: a value, a JS error, hook data (all with status
// OK), or a non-OK status (deadline, heap limit, cancellation, shutdown...).
struct Outcome {
  // kHook: the script stopped itself with $terminate(v); `value` (and `undefined`,
  // `annotations`) hold v.
  enum class Kind { kValue, kJsError, kFailed, kHook };
  Kind kind = Kind::kFailed;
  absl::Status status;  // non-OK only for kFailed
  google::protobuf::Value value;
  bool undefined = false;
  std::vector<TypeAnnotation> annotations;
  // Instead of `value` and `annotations` when the job asked for ValueEncoding::kJson
  // (`undefined` is set as well).
  std::optional<JsonValue> value_json;
  JsError error;
  std::vector<ConsoleLine> console;
  bool console_truncated = false;
  ExecStats stats;
  std::string id;  // LoadProgram: the program id; CreateSession: the session id
  // With ContextSettings::probe: undefined names the script read, in first-read order.
  std::vector<std::string> probed_missing;

  static Outcome Failed(absl::Status status) {
    Outcome o;
    o.kind = Kind::kFailed;
    o.status = std::move(status);
    return o;
  }
};

// A job is created by a front end, submitted to the Pool, run by one worker, and
// completed exactly once: `on_complete` runs on the worker thread that ran it (or
// that dropped it) or, for a job whose deadline passed while it awaited and its
// worker was busy with another job's JavaScript, on the watchdog thread (the worker
// cleans up later, answering nothing). It must not block, and must not call back
// into the Pool synchronously for the same job. Shared between the front end (which may cancel it)
// and the worker, hence held by shared_ptr; only the atomics change after Submit.
class Job {
 public:
  using Completion = std::function<void(Outcome)>;

  Job(JobSpec spec, absl::Time deadline, Completion on_complete)
      : spec_(std::move(spec)), deadline_(deadline), on_complete_(std::move(on_complete)) {}
  Job(const Job&) = delete;
  Job& operator=(const Job&) = delete;

  const JobSpec& spec() const { return spec_; }
  absl::Time deadline() const { return deadline_; }
  bool cancel_requested() const { return cancel_requested_.load(std::memory_order_acquire); }
  // Engine-internal: the program a Call or CreateSession names, as Pool::Submit found
  // it (null for the other jobs and for a session's Call), and the ProgramCache
  // generation read before that lookup; the worker uses it while no program was
  // unloaded since (runners/program_runner.h, ResolvedProgram).
  const std::shared_ptr<const Program>& program() const { return program_; }
  uint64_t program_generation() const { return program_generation_; }

 private:
  friend class Pool;
  friend class Worker;

  // The completion, once: whoever answers takes it; later takers get none.
  Completion TakeCompletion() {
    absl::MutexLock lock(&answer_mu_);
    Completion taken = std::move(on_complete_);
    on_complete_ = nullptr;
    return taken;
  }
  // Whether someone answered already (the watchdog or a retirer, while it waited).
  bool Answered() {
    absl::MutexLock lock(&answer_mu_);
    return on_complete_ == nullptr;
  }

  JobSpec spec_;
  absl::Time deadline_;
  absl::Mutex answer_mu_;
  Completion on_complete_ ABSL_GUARDED_BY(answer_mu_);
  uint64_t id_ = 0;                         // set by Pool::Submit
  absl::Time enqueued_at_;                  // set by Pool::Submit
  std::shared_ptr<const Program> program_;  // set by Pool::Submit (Route)
  uint64_t program_generation_ = 0;         // set by Pool::Submit (Route)
  std::atomic<bool> cancel_requested_{false};
  std::atomic<int> running_on_{-1};  // worker index while a worker holds it
};

}  // namespace jscore::engine

#endif  // JSCORE_ENGINE_JOB_H_
