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
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "engine/json_value.h"
#include "google/protobuf/struct.pb.h"

namespace jscore::engine {

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

// What to do. Plain data: it crosses from the front end's thread to a worker.
struct JobSpec {
  JobKind kind = JobKind::kEvaluate;
  std::string source;
  std::string filename = "<eval>";
  // Evaluate: set as global variables before the script runs.
  std::vector<std::pair<std::string, google::protobuf::Value>> globals;
  // Evaluate: the globals as one JSON object, defined in its key order (after `globals`).
  std::optional<JsonValue> globals_json;
  Environment environment = Environment::kStandard;
  std::string program;   // program id (Call, CreateSession)
  std::string session;   // session id (Evaluate/Call in a session, DeleteSession; set by
                         // Pool::Submit for CreateSession)
  std::string function;  // Call: dotted path (internal/call_target.h)
  std::vector<google::protobuf::Value> args;  // Call
  std::optional<JsonValue> args_json;         // Call: a JSON array (instead of `args`)
  // Evaluate, Call: how the outcome carries the result, hook data and thrown values
  // (kProtobuf: Outcome::value + annotations; kJson: Outcome::value_json).
  ValueEncoding value_encoding = ValueEncoding::kProtobuf;
  bool fresh = false;  // Call: in a fresh copy of the program's context
  // LoadProgram, Evaluate (fresh): path -> source of the CommonJS, ES and JSON modules
  // that require() and import reach (engine/README.md, "Modules").
  std::map<std::string, std::string> modules;
  SourceType source_type = SourceType::kScript;  // LoadProgram, Evaluate (fresh)
  bool validate_only = false;                    // LoadProgram: check, keep nothing
  absl::Duration ttl = absl::ZeroDuration();     // CreateSession: idle time to live
  // Evaluate, Call, CreateSession: seeds Math.random and crypto randomness (0: not
  // seeded) and freezes Date/performance clocks at an epoch millisecond (0: real time).
  uint64_t random_seed = 0;
  int64_t frozen_time_ms = 0;
  // Evaluate (fresh), CreateSession, LoadProgram: the browser profile, when set.
  std::optional<BrowserProfile> browser;
  // Evaluate (fresh), Call (program): record undefined global reads (Outcome::probed_missing).
  bool probe = false;
  // The caller that sent the job, as the front end authenticated it ("" : the shared,
  // unnamed caller). Programs and sessions belong to their caller: another caller
  // cannot reach them (Pool::Route refuses them as not loaded / unknown).
  std::string owner;
};

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
  // With JobSpec::probe: undefined names the script read, in first-read order.
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
  uint64_t id_ = 0;         // set by Pool::Submit
  absl::Time enqueued_at_;  // set by Pool::Submit
  std::atomic<bool> cancel_requested_{false};
  std::atomic<int> running_on_{-1};  // worker index while a worker holds it
};

}  // namespace jscore::engine

#endif  // JSCORE_ENGINE_JOB_H_
