#include "daemon/request_mapping.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/status_macros.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/util/time_util.h"

namespace jscore::daemon {
namespace {

using google::protobuf::util::TimeUtil;

constexpr size_t kMaxFilenameBytes = 1024;

v1::TypeAnnotation::Kind ToProtoKind(engine::TypeAnnotation::Kind kind) {
  using K = engine::TypeAnnotation::Kind;
  switch (kind) {
    case K::kUndefined:
      return v1::TypeAnnotation::KIND_UNDEFINED;
    case K::kBigInt:
      return v1::TypeAnnotation::KIND_BIGINT;
    case K::kDate:
      return v1::TypeAnnotation::KIND_DATE;
    case K::kBytes:
      return v1::TypeAnnotation::KIND_BYTES;
    case K::kNaN:
      return v1::TypeAnnotation::KIND_NAN;
    case K::kInfinity:
      return v1::TypeAnnotation::KIND_INFINITY;
    case K::kMap:
      return v1::TypeAnnotation::KIND_MAP;
    case K::kSet:
      return v1::TypeAnnotation::KIND_SET;
  }
  return v1::TypeAnnotation::KIND_UNSPECIFIED;
}

google::protobuf::Duration ToProtoDuration(absl::Duration d) {
  return TimeUtil::NanosecondsToDuration(absl::ToInt64Nanoseconds(d));
}

constexpr size_t kMaxNameBytes = 1024;
constexpr int kMaxModules = 1000;

// Dates are ±8.64e15 ms around the epoch (ECMA-262 21.4.1.1).
constexpr int64_t kMaxTimeMs = 8640000000000000;
constexpr size_t kMaxProfileStringBytes = 16 << 10;
constexpr int kMaxLanguages = 32;
constexpr int kMaxScreenSide = 100000;

absl::Status CheckFrozenTime(int64_t frozen_time_ms) {
  if (frozen_time_ms < -kMaxTimeMs || frozen_time_ms > kMaxTimeMs) {
    return absl::InvalidArgumentError("frozen_time_ms is outside the range of a JS Date");
  }
  return absl::OkStatus();
}

// The browser profile of a request or session, when PROFILE_BROWSER asks for one.
absl::StatusOr<std::optional<engine::BrowserProfile>> BrowserFromRequest(
    v1::Profile profile, bool has_browser, const v1::BrowserProfile& browser) {
  if (profile == v1::PROFILE_DEFAULT) {
    if (has_browser)
      return absl::InvalidArgumentError("browser is set but profile is not PROFILE_BROWSER");
    return std::optional<engine::BrowserProfile>();
  }
  if (profile != v1::PROFILE_BROWSER) return absl::InvalidArgumentError("unknown profile");
  for (const std::string* s : {&browser.user_agent(), &browser.url(), &browser.cookie(),
                               &browser.referrer(), &browser.platform()}) {
    if (s->size() > kMaxProfileStringBytes) {
      return absl::InvalidArgumentError("a browser profile string is longer than 16 KiB");
    }
  }
  if (browser.languages_size() > kMaxLanguages) {
    return absl::InvalidArgumentError("a browser profile has at most 32 languages");
  }
  if (browser.screen_width() < 0 || browser.screen_height() < 0 ||
      browser.screen_width() > kMaxScreenSide || browser.screen_height() > kMaxScreenSide) {
    return absl::InvalidArgumentError("screen sizes must be between 0 and 100000");
  }
  engine::BrowserProfile out;
  out.user_agent = browser.user_agent();
  out.url = browser.url();
  out.cookie = browser.cookie();
  out.referrer = browser.referrer();
  out.platform = browser.platform();
  for (const std::string& language : browser.languages()) {
    if (language.empty() || language.size() > 64) {
      return absl::InvalidArgumentError("a browser profile language is empty or too long");
    }
    out.languages.push_back(language);
  }
  out.screen_width = browser.screen_width();
  out.screen_height = browser.screen_height();
  return std::optional<engine::BrowserProfile>(std::move(out));
}

// A request's probe, for the requests that have one (overload resolution prefers the
// `int` overload when `request.probe()` exists).
template <typename Request>
auto ProbeOf(const Request& request, int) -> decltype(request.probe()) {
  return request.probe();
}
template <typename Request>
bool ProbeOf(const Request& /*request*/, long) {  // NOLINT(runtime/int): overload rank
  return false;
}

// A request's browser profile, for the requests that have one (as ProbeOf).
template <typename Request>
auto BrowserOf(const Request& request, int)
    -> decltype(BrowserFromRequest(request.profile(), request.has_browser(), request.browser())) {
  return BrowserFromRequest(request.profile(), request.has_browser(), request.browser());
}
template <typename Request>
absl::StatusOr<std::optional<engine::BrowserProfile>> BrowserOf(const Request& /*request*/,
                                                                long) {  // NOLINT(runtime/int)
  return std::optional<engine::BrowserProfile>();
}

// The context settings of Evaluate, Call and CreateSession requests, read in one
// place: a new per-request setting is one more line here (and in ContextSettings).
template <typename Request>
absl::StatusOr<engine::ContextSettings> SettingsFromRequest(const Request& request) {
  RETURN_IF_ERROR(CheckFrozenTime(request.frozen_time_ms()));
  engine::ContextSettings settings;
  settings.random_seed = request.random_seed();
  settings.frozen_time_ms = request.frozen_time_ms();
  ASSIGN_OR_RETURN(settings.browser, BrowserOf(request, 0));
  settings.probe = ProbeOf(request, 0);
  return settings;
}

bool IsProgramId(const std::string& id) {
  if (id.size() != 64) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

absl::StatusOr<engine::ValueEncoding> EncodingFromRequest(v1::ValueEncoding encoding) {
  switch (encoding) {
    case v1::VALUE_ENCODING_PROTOBUF:
      return engine::ValueEncoding::kProtobuf;
    case v1::VALUE_ENCODING_JSON:
      return engine::ValueEncoding::kJson;
    default:
      return absl::InvalidArgumentError("unknown value_encoding");
  }
}

// A request's JsValue (globals_json, args_json): nullopt when not sent (empty text),
// else checked against the depth limit (one more level: the object or array that
// holds the values) and required to be `top` ('{' or '[').
// `take`, when set, is `value` itself, which may be emptied: its texts are moved, not
// copied.
absl::StatusOr<std::optional<engine::JsonValue>> JsonFromRequest(const v1::JsValue& value,
                                                                 absl::string_view what, char top,
                                                                 size_t max_members,
                                                                 const DaemonConfig& config,
                                                                 v1::JsValue* take = nullptr) {
  if (value.json().empty()) {
    if (!value.types().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(what, " has types but no json"));
    }
    return std::optional<engine::JsonValue>();
  }
  engine::JsonValue out;
  if (take != nullptr) {
    out.json = std::move(*take->mutable_json());
    out.types = std::move(*take->mutable_types());
  } else {
    out = engine::JsonValue{value.json(), value.types()};
  }
  absl::StatusOr<engine::JsonShape> shape =
      engine::CheckJsonValue(out, config.pool.max_result_depth + 1, what);
  if (!shape.ok()) return shape.status();
  if (shape->top != top) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, top == '{' ? " must be a JSON object" : " must be a JSON array"));
  }
  if (shape->top_members > max_members) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " has ", shape->top_members, " members; the limit is ", max_members));
  }
  return std::optional<engine::JsonValue>(std::move(out));
}

// One JSON Pointer segment (RFC 6901), cut to 256 bytes.
void AppendPathSegment(absl::string_view segment, std::string& path) {
  path.push_back('/');
  for (char c : segment.substr(0, 256)) {
    if (c == '~') {
      path += "~0";
    } else if (c == '/') {
      path += "~1";
    } else {
      path.push_back(c);
    }
  }
}

// A google.protobuf.Value argument or global nested deeper than `max_depth` lists and
// structs: INVALID_ARGUMENT naming `what` and the path ("args" at "/0/a"). Recursion
// stops at the limit.
absl::Status CheckValueDepth(const google::protobuf::Value& value, int max_depth,
                             absl::string_view what, std::string& path, int depth = 0) {
  using google::protobuf::Value;
  if (value.kind_case() != Value::kListValue && value.kind_case() != Value::kStructValue) {
    return absl::OkStatus();
  }
  if (depth + 1 > max_depth) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " is nested deeper than ", max_depth, " levels at \"", path, "\""));
  }
  size_t mark = path.size();
  if (value.kind_case() == Value::kListValue) {
    for (int i = 0; i < value.list_value().values_size(); ++i) {
      absl::StrAppend(&path, "/", i);
      RETURN_IF_ERROR(
          CheckValueDepth(value.list_value().values(i), max_depth, what, path, depth + 1));
      path.resize(mark);
    }
    return absl::OkStatus();
  }
  for (const auto& [name, field] : value.struct_value().fields()) {
    AppendPathSegment(name, path);
    RETURN_IF_ERROR(CheckValueDepth(field, max_depth, what, path, depth + 1));
    path.resize(mark);
  }
  return absl::OkStatus();
}

// A request the gRPC layer could not parse (proto/request_parsing.h).
absl::Status CheckParsed(const google::protobuf::Message& request) {
  std::string failure = v1::RequestParseFailure(request);
  if (failure.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(failure);
}

void ToJsonValue(engine::JsonValue value, v1::JsValue* out) {
  out->set_json(std::move(value.json));
  out->set_types(std::move(value.types));
}

// Moves `value` (a heap message) into the response's value or hook_data. On a
// response that lives on an arena (MessagePool), a plain move would copy the whole
// tree into the arena; the tree is handed over instead, owned by the arena, which
// deletes it when it is reset.
void PutValue(google::protobuf::Value value, bool hook, v1::EvaluateResponse* response) {
  google::protobuf::Arena* arena = response->GetArena();
  if (arena == nullptr) {
    *(hook ? response->mutable_hook_data() : response->mutable_value()) = std::move(value);
    return;
  }
  auto* owned = new google::protobuf::Value(std::move(value));  // a swap, not a copy
  arena->Own(owned);
  if (hook) {
    response->unsafe_arena_set_allocated_hook_data(owned);
  } else {
    response->unsafe_arena_set_allocated_value(owned);
  }
}

void ToJsError(engine::JsError error, v1::JsError* out) {
  if (error.thrown) ToJsonValue(std::move(*error.thrown), out->mutable_thrown());
  out->set_name(std::move(error.name));
  out->set_message(std::move(error.message));
  out->set_stack(std::move(error.stack));
  out->set_line(error.line);
  out->set_column(error.column);
  out->set_source_line(std::move(error.source_line));
}

absl::StatusOr<engine::SourceType> SourceTypeFromRequest(v1::SourceType type) {
  switch (type) {
    case v1::SOURCE_TYPE_SCRIPT:
      return engine::SourceType::kScript;
    case v1::SOURCE_TYPE_MODULE:
      return engine::SourceType::kModule;
    case v1::SOURCE_TYPE_COMMONJS:
      return engine::SourceType::kCommonJs;
    default:
      return absl::InvalidArgumentError("unknown source type");
  }
}

// Copies a request's modules, checking their count, names and total size (with the
// source's `source_bytes`).
absl::Status CopyModules(const google::protobuf::Map<std::string, std::string>& modules,
                         size_t source_bytes, const DaemonConfig& config,
                         std::map<std::string, std::string>* out) {
  if (modules.size() > static_cast<size_t>(kMaxModules)) {
    return absl::InvalidArgumentError(absl::StrCat("too many modules (limit ", kMaxModules, ")"));
  }
  size_t total = source_bytes;
  for (const auto& [name, source] : modules) {
    if (name.empty() || name.size() > kMaxNameBytes) {
      return absl::InvalidArgumentError("a module name is empty or longer than 1024 bytes");
    }
    total += source.size();
    out->emplace(name, source);
  }
  if (total > config.max_source_bytes) {
    return absl::InvalidArgumentError(absl::StrCat("program source and modules are ", total,
                                                   " bytes; the limit is ",
                                                   config.max_source_bytes));
  }
  return absl::OkStatus();
}

// The spec of an Evaluate. With `take` (`request` itself, owned by the caller), the
// source, globals and JSON texts are moved out of the request instead of copied.
absl::StatusOr<engine::JobSpec> EvaluateSpec(const v1::EvaluateRequest& request,
                                             const DaemonConfig& config,
                                             v1::EvaluateRequest* take) {
  RETURN_IF_ERROR(CheckParsed(request));
  if (request.source().size() > config.max_source_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "source is ", request.source().size(), " bytes; the limit is ", config.max_source_bytes));
  }
  if (request.filename().size() > kMaxFilenameBytes) {
    return absl::InvalidArgumentError("filename is longer than 1024 bytes");
  }
  if (request.globals_size() > static_cast<int>(config.max_globals)) {
    return absl::InvalidArgumentError(absl::StrCat("too many globals (", request.globals_size(),
                                                   "; the limit is ", config.max_globals, ")"));
  }
  if (request.session().size() > kMaxNameBytes)
    return absl::InvalidArgumentError("session id too long");
  engine::EvaluateSpec spec;
  ASSIGN_OR_RETURN(spec.settings, SettingsFromRequest(request));
  if (!request.session().empty() && spec.settings.browser.has_value()) {
    return absl::InvalidArgumentError(
        "a session's profile is chosen when it is created (CreateSession), not per evaluation");
  }
  if (!request.session().empty() && request.probe()) {
    return absl::UnimplementedError(
        "probe is not available inside a session; probe a fresh evaluation or a program call");
  }
  if (!request.session().empty() &&
      (request.type() != v1::SOURCE_TYPE_SCRIPT || request.modules_size() > 0)) {
    return absl::InvalidArgumentError(
        "type and modules apply to fresh evaluations (a session's modules come with its program)");
  }
  ASSIGN_OR_RETURN(spec.source_type, SourceTypeFromRequest(request.type()));
  if (auto s = CopyModules(request.modules(), request.source().size(), config, &spec.modules);
      !s.ok()) {
    return s;
  }
  spec.session = request.session();
  spec.source = take != nullptr ? std::move(*take->mutable_source()) : request.source();
  if (!request.filename().empty()) spec.filename = request.filename();
  spec.environment = request.extensions() == v1::EXTENSIONS_NONE ? engine::Environment::kBare
                                                                 : engine::Environment::kStandard;
  spec.globals.reserve(request.globals_size());
  for (const auto& [name, value] : request.globals()) {
    if (name.empty()) return absl::InvalidArgumentError("a global has an empty name");
    std::string path;
    AppendPathSegment(name, path);
    RETURN_IF_ERROR(CheckValueDepth(value, config.pool.max_result_depth, "globals", path));
    if (take == nullptr) spec.globals.emplace_back(name, value);
  }
  if (take != nullptr) {
    for (auto& [name, value] : *take->mutable_globals()) {
      spec.globals.emplace_back(name, std::move(value));
    }
  }
  absl::StatusOr<std::optional<engine::JsonValue>> globals_json = JsonFromRequest(
      request.globals_json(), "globals_json", '{', config.max_globals, config,
      take != nullptr && take->has_globals_json() ? take->mutable_globals_json() : nullptr);
  if (!globals_json.ok()) return globals_json.status();
  if (globals_json->has_value() && request.globals_size() > 0) {
    return absl::InvalidArgumentError("set globals or globals_json, not both");
  }
  spec.globals_json = std::move(*globals_json);
  ASSIGN_OR_RETURN(spec.value_encoding, EncodingFromRequest(request.value_encoding()));
  return spec;
}

// The spec of a Call. With `take` (`request` itself, owned by the caller), the
// arguments are moved out of the request instead of copied.
absl::StatusOr<engine::JobSpec> CallSpec(const v1::CallRequest& request, const DaemonConfig& config,
                                         v1::CallRequest* take) {
  RETURN_IF_ERROR(CheckParsed(request));
  engine::CallSpec spec;
  if (request.target_case() == v1::CallRequest::kProgram) {
    if (!IsProgramId(request.program())) {
      return absl::InvalidArgumentError("program must be a program id (64 lowercase hex digits)");
    }
    spec.program = request.program();
  } else if (request.target_case() == v1::CallRequest::kSession) {
    if (request.session().empty() || request.session().size() > kMaxNameBytes) {
      return absl::InvalidArgumentError("session must be a session id");
    }
    if (request.fresh())
      return absl::InvalidArgumentError("fresh applies to programs, not sessions");
    spec.session = request.session();
  } else {
    return absl::InvalidArgumentError("a call names a program or a session");
  }
  if (request.function().empty() || request.function().size() > kMaxNameBytes) {
    return absl::InvalidArgumentError(
        "function must name a function (a dotted path, <= 1024 bytes)");
  }
  ASSIGN_OR_RETURN(spec.settings, SettingsFromRequest(request));
  if (spec.settings.probe && request.target_case() == v1::CallRequest::kSession) {
    return absl::UnimplementedError(
        "probe is not available inside a session; probe a fresh evaluation or a program call");
  }
  spec.function = request.function();
  for (int i = 0; i < request.args_size(); ++i) {
    std::string path = absl::StrCat("/", i);
    RETURN_IF_ERROR(CheckValueDepth(request.args(i), config.pool.max_result_depth, "args", path));
  }
  if (take != nullptr) {
    spec.args.reserve(request.args_size());
    for (auto& arg : *take->mutable_args()) spec.args.push_back(std::move(arg));
  } else {
    spec.args.assign(request.args().begin(), request.args().end());
  }
  absl::StatusOr<std::optional<engine::JsonValue>> args_json = JsonFromRequest(
      request.args_json(), "args_json", '[', SIZE_MAX, config,
      take != nullptr && take->has_args_json() ? take->mutable_args_json() : nullptr);
  if (!args_json.ok()) return args_json.status();
  if (args_json->has_value() && request.args_size() > 0) {
    return absl::InvalidArgumentError("set args or args_json, not both");
  }
  spec.args_json = std::move(*args_json);
  ASSIGN_OR_RETURN(spec.value_encoding, EncodingFromRequest(request.value_encoding()));
  spec.fresh = request.fresh();
  return spec;
}

}  // namespace

absl::StatusOr<engine::JobSpec> SpecFromRequest(const v1::EvaluateRequest& request,
                                                const DaemonConfig& config) {
  return EvaluateSpec(request, config, nullptr);
}

absl::StatusOr<engine::JobSpec> SpecFromRequest(v1::EvaluateRequest&& request,
                                                const DaemonConfig& config) {
  return EvaluateSpec(request, config, &request);
}

absl::StatusOr<engine::JobSpec> SpecFromRequest(const v1::CallRequest& request,
                                                const DaemonConfig& config) {
  return CallSpec(request, config, nullptr);
}

absl::StatusOr<engine::JobSpec> SpecFromRequest(v1::CallRequest&& request,
                                                const DaemonConfig& config) {
  return CallSpec(request, config, &request);
}

absl::StatusOr<engine::JobSpec> SpecFromRequest(const v1::LoadProgramRequest& request,
                                                const DaemonConfig& config) {
  engine::LoadProgramSpec spec;
  if (auto s = CopyModules(request.modules(), request.source().size(), config, &spec.modules);
      !s.ok()) {
    return s;
  }
  ASSIGN_OR_RETURN(spec.source_type, SourceTypeFromRequest(request.type()));
  absl::StatusOr<std::optional<engine::BrowserProfile>> browser =
      BrowserFromRequest(request.profile(), request.has_browser(), request.browser());
  if (!browser.ok()) return browser.status();
  spec.browser = std::move(*browser);
  if (request.filename().size() > kMaxFilenameBytes) {
    return absl::InvalidArgumentError("filename is longer than 1024 bytes");
  }
  spec.source = request.source();
  spec.filename = request.filename().empty() ? "<program>" : request.filename();
  spec.validate_only = request.validate_only();
  return spec;
}

absl::StatusOr<engine::JobSpec> SpecFromRequest(const v1::CreateSessionRequest& request,
                                                const DaemonConfig& config) {
  if (request.source().size() > config.max_source_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "source is ", request.source().size(), " bytes; the limit is ", config.max_source_bytes));
  }
  if (!request.program().empty() && !IsProgramId(request.program())) {
    return absl::InvalidArgumentError("program must be a program id (64 lowercase hex digits)");
  }
  if (request.ttl().seconds() < 0 || request.ttl().nanos() < 0) {
    return absl::InvalidArgumentError("ttl must not be negative");
  }
  engine::CreateSessionSpec spec;
  ASSIGN_OR_RETURN(spec.settings, SettingsFromRequest(request));
  spec.program = request.program();
  spec.source = request.source();
  spec.filename = "<session>";
  spec.environment = request.extensions() == v1::EXTENSIONS_NONE ? engine::Environment::kBare
                                                                 : engine::Environment::kStandard;
  spec.ttl = absl::Seconds(request.ttl().seconds()) + absl::Nanoseconds(request.ttl().nanos());
  return spec;
}

absl::StatusOr<engine::JobSpec> SpecFromRequest(const v1::DeleteSessionRequest& request,
                                                const DaemonConfig& /*config*/) {
  if (request.session().empty() || request.session().size() > kMaxNameBytes) {
    return absl::InvalidArgumentError("session must be a session id");
  }
  engine::DeleteSessionSpec spec;
  spec.session = request.session();
  return spec;
}

absl::StatusOr<absl::Time> DeadlineFor(const google::protobuf::Duration& timeout,
                                       absl::Time grpc_deadline, absl::Time now,
                                       const DaemonConfig& config) {
  if (timeout.seconds() < 0 || timeout.nanos() < 0) {
    return absl::InvalidArgumentError("timeout must not be negative");
  }
  absl::Duration wanted = absl::Seconds(timeout.seconds()) + absl::Nanoseconds(timeout.nanos());
  if (wanted == absl::ZeroDuration()) wanted = config.default_timeout;
  wanted = std::min(wanted, config.max_timeout);
  return std::min(now + wanted, grpc_deadline);
}

absl::Status FillResponse(engine::Outcome outcome, v1::EvaluateResponse* response) {
  if (outcome.kind == engine::Outcome::Kind::kFailed) return outcome.status;
  if (outcome.kind == engine::Outcome::Kind::kValue ||
      outcome.kind == engine::Outcome::Kind::kHook) {
    bool hook = outcome.kind == engine::Outcome::Kind::kHook;
    if (outcome.value_json) {
      ToJsonValue(std::move(*outcome.value_json),
                  hook ? response->mutable_hook_data_json() : response->mutable_value_json());
    } else {
      PutValue(std::move(outcome.value), hook, response);
    }
    response->set_undefined(outcome.undefined);
    for (const auto& a : outcome.annotations) {
      auto* out = response->add_annotations();
      out->set_path(a.path);
      out->set_kind(ToProtoKind(a.kind));
    }
  } else {
    ToJsError(std::move(outcome.error), response->mutable_error());
  }
  for (auto& line : outcome.console) {
    auto* out = response->add_console();
    out->set_level(static_cast<v1::ConsoleLine::Level>(line.level));
    out->set_text(std::move(line.text));
  }
  response->set_console_truncated(outcome.console_truncated);
  for (auto& name : outcome.probed_missing) response->add_probed_missing(std::move(name));
  auto* stats = response->mutable_stats();
  *stats->mutable_queue_wait() = ToProtoDuration(outcome.stats.queue_wait);
  *stats->mutable_wall_time() = ToProtoDuration(outcome.stats.wall_time);
  *stats->mutable_cpu_time() = ToProtoDuration(outcome.stats.cpu_time);
  stats->set_worker(outcome.stats.worker);
  return absl::OkStatus();
}

}  // namespace jscore::daemon

namespace jscore::daemon {

absl::Status FillResponse(engine::Outcome outcome, v1::LoadProgramResponse* response) {
  if (outcome.kind == engine::Outcome::Kind::kFailed) return outcome.status;
  if (outcome.kind == engine::Outcome::Kind::kJsError) {
    ToJsError(std::move(outcome.error), response->mutable_error());
  } else {
    response->set_program(std::move(outcome.id));
  }
  return absl::OkStatus();
}

absl::Status FillResponse(engine::Outcome outcome, v1::CreateSessionResponse* response) {
  if (outcome.kind == engine::Outcome::Kind::kFailed) return outcome.status;
  if (outcome.kind == engine::Outcome::Kind::kJsError) {
    ToJsError(std::move(outcome.error), response->mutable_error());
  } else {
    response->set_session(std::move(outcome.id));
    response->set_worker(outcome.stats.worker);
  }
  return absl::OkStatus();
}

absl::Status FillResponse(engine::Outcome outcome, v1::DeleteSessionResponse* /*response*/) {
  return outcome.kind == engine::Outcome::Kind::kFailed ? outcome.status : absl::OkStatus();
}

}  // namespace jscore::daemon
