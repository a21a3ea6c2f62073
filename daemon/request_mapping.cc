#include "daemon/request_mapping.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"

namespace jscore::daemon {
namespace {

using google::protobuf::util::TimeUtil;

constexpr size_t kMaxFilenameBytes = 1024;

v1::TypeAnnotation::Kind ToProtoKind(engine::TypeAnnotation::Kind kind) {
  using K = engine::TypeAnnotation::Kind;
  switch (kind) {
    case K::kUndefined: return v1::TypeAnnotation::KIND_UNDEFINED;
    case K::kBigInt: return v1::TypeAnnotation::KIND_BIGINT;
    case K::kDate: return v1::TypeAnnotation::KIND_DATE;
    case K::kBytes: return v1::TypeAnnotation::KIND_BYTES;
    case K::kNaN: return v1::TypeAnnotation::KIND_NAN;
    case K::kInfinity: return v1::TypeAnnotation::KIND_INFINITY;
    case K::kMap: return v1::TypeAnnotation::KIND_MAP;
    case K::kSet: return v1::TypeAnnotation::KIND_SET;
  }
  return v1::TypeAnnotation::KIND_UNSPECIFIED;
}

google::protobuf::Duration ToProtoDuration(absl::Duration d) {
  return TimeUtil::NanosecondsToDuration(absl::ToInt64Nanoseconds(d));
}

constexpr size_t kMaxNameBytes = 1024;
constexpr int kMaxModules = 1000;

absl::Status CheckDeterminism(uint64_t seed, int64_t frozen_time_ms, v1::Profile profile) {
  if (seed != 0 || frozen_time_ms != 0 || profile != v1::PROFILE_DEFAULT) {
    return absl::UnimplementedError(
        "random_seed, frozen_time_ms and profile are not implemented by this server yet");
  }
  return absl::OkStatus();
}

bool IsProgramId(const std::string& id) {
  if (id.size() != 64) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

void ToJsError(engine::JsError error, v1::JsError* out) {
  out->set_name(std::move(error.name));
  out->set_message(std::move(error.message));
  out->set_stack(std::move(error.stack));
  out->set_line(error.line);
  out->set_column(error.column);
  out->set_source_line(std::move(error.source_line));
}

}  // namespace

absl::StatusOr<engine::JobSpec> SpecFromRequest(const v1::EvaluateRequest& request,
                                                const DaemonConfig& config) {
  if (request.source().size() > config.max_source_bytes) {
    return absl::InvalidArgumentError(absl::StrCat("source is ", request.source().size(),
                                                   " bytes; the limit is ",
                                                   config.max_source_bytes));
  }
  if (request.filename().size() > kMaxFilenameBytes) {
    return absl::InvalidArgumentError("filename is longer than 1024 bytes");
  }
  if (request.globals_size() > static_cast<int>(config.max_globals)) {
    return absl::InvalidArgumentError(absl::StrCat("too many globals (", request.globals_size(),
                                                   "; the limit is ", config.max_globals, ")"));
  }
  if (request.session().size() > kMaxNameBytes) return absl::InvalidArgumentError("session id too long");
  if (auto s = CheckDeterminism(request.random_seed(), request.frozen_time_ms(), request.profile());
      !s.ok()) {
    return s;
  }
  engine::JobSpec spec;
  spec.kind = engine::JobKind::kEvaluate;
  spec.session = request.session();
  spec.source = request.source();
  if (!request.filename().empty()) spec.filename = request.filename();
  spec.environment = request.extensions() == v1::EXTENSIONS_NONE ? engine::Environment::kBare
                                                                 : engine::Environment::kStandard;
  spec.globals.reserve(request.globals_size());
  for (const auto& [name, value] : request.globals()) {
    if (name.empty()) return absl::InvalidArgumentError("a global has an empty name");
    spec.globals.emplace_back(name, value);
  }
  return spec;
}

absl::StatusOr<engine::JobSpec> SpecFromRequest(const v1::CallRequest& request,
                                                const DaemonConfig& config) {
  engine::JobSpec spec;
  spec.kind = engine::JobKind::kCall;
  if (request.target_case() == v1::CallRequest::kProgram) {
    if (!IsProgramId(request.program())) {
      return absl::InvalidArgumentError("program must be a program id (64 lowercase hex digits)");
    }
    spec.program = request.program();
  } else if (request.target_case() == v1::CallRequest::kSession) {
    if (request.session().empty() || request.session().size() > kMaxNameBytes) {
      return absl::InvalidArgumentError("session must be a session id");
    }
    if (request.fresh()) return absl::InvalidArgumentError("fresh applies to programs, not sessions");
    spec.session = request.session();
  } else {
    return absl::InvalidArgumentError("a call names a program or a session");
  }
  if (request.function().empty() || request.function().size() > kMaxNameBytes) {
    return absl::InvalidArgumentError("function must name a function (a dotted path, <= 1024 bytes)");
  }
  if (auto s = CheckDeterminism(request.random_seed(), request.frozen_time_ms(), v1::PROFILE_DEFAULT);
      !s.ok()) {
    return s;
  }
  spec.function = request.function();
  spec.args.assign(request.args().begin(), request.args().end());
  spec.fresh = request.fresh();
  return spec;
}

absl::StatusOr<engine::JobSpec> SpecFromRequest(const v1::LoadProgramRequest& request,
                                                const DaemonConfig& config) {
  size_t total = request.source().size();
  if (request.modules_size() > kMaxModules) {
    return absl::InvalidArgumentError(absl::StrCat("too many modules (limit ", kMaxModules, ")"));
  }
  engine::JobSpec spec;
  spec.kind = engine::JobKind::kLoadProgram;
  for (const auto& [name, source] : request.modules()) {
    if (name.empty() || name.size() > kMaxNameBytes) {
      return absl::InvalidArgumentError("a module name is empty or longer than 1024 bytes");
    }
    total += source.size();
    spec.modules.emplace(name, source);
  }
  if (total > config.max_source_bytes) {
    return absl::InvalidArgumentError(absl::StrCat("program source and modules are ", total,
                                                   " bytes; the limit is ", config.max_source_bytes));
  }
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
    return absl::InvalidArgumentError(absl::StrCat("source is ", request.source().size(),
                                                   " bytes; the limit is ", config.max_source_bytes));
  }
  if (!request.program().empty() && !IsProgramId(request.program())) {
    return absl::InvalidArgumentError("program must be a program id (64 lowercase hex digits)");
  }
  if (request.ttl().seconds() < 0 || request.ttl().nanos() < 0) {
    return absl::InvalidArgumentError("ttl must not be negative");
  }
  if (auto s = CheckDeterminism(request.random_seed(), request.frozen_time_ms(), request.profile());
      !s.ok()) {
    return s;
  }
  engine::JobSpec spec;
  spec.kind = engine::JobKind::kCreateSession;
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
  engine::JobSpec spec;
  spec.kind = engine::JobKind::kDeleteSession;
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
  if (outcome.kind == engine::Outcome::Kind::kValue) {
    *response->mutable_value() = std::move(outcome.value);
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
