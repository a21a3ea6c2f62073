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

}  // namespace

absl::StatusOr<engine::EvaluateSpec> SpecFromRequest(const v1::EvaluateRequest& request,
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
  if (!request.session().empty()) {
    return absl::UnimplementedError("sessions are not implemented by this server yet");
  }
  if (request.random_seed() != 0 || request.frozen_time_ms() != 0 ||
      request.profile() != v1::PROFILE_DEFAULT) {
    return absl::UnimplementedError(
        "random_seed, frozen_time_ms and profile are not implemented by this server yet");
  }
  engine::EvaluateSpec spec;
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
    auto* error = response->mutable_error();
    error->set_name(std::move(outcome.error.name));
    error->set_message(std::move(outcome.error.message));
    error->set_stack(std::move(outcome.error.stack));
    error->set_line(outcome.error.line);
    error->set_column(outcome.error.column);
    error->set_source_line(std::move(outcome.error.source_line));
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
