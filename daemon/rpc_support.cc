#include "daemon/rpc_support.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <random>
#include <string>

#include "common/status_code_name.h"
#include "daemon/log.h"

namespace jscore::daemon {
namespace {

bool UsableRequestId(absl::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

std::string NewRequestId() {
  // A random prefix per process and a counter: unique here, and two daemons'
  // ids are unlikely to meet.
  static const uint32_t prefix = std::random_device{}();
  static std::atomic<uint32_t> counter{0};
  // Hex by hand: StrFormat's parsing was a measurable part of a call's cost.
  const uint64_t value = (uint64_t{prefix} << 32) | counter.fetch_add(1, std::memory_order_relaxed);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(16, '0');
  for (int i = 0; i < 16; ++i) id[15 - i] = kHex[(value >> (4 * i)) & 0xf];
  return id;
}

bool IsLimit(grpc::StatusCode code) {
  return code == grpc::StatusCode::DEADLINE_EXCEEDED ||
         code == grpc::StatusCode::RESOURCE_EXHAUSTED;
}

}  // namespace

absl::Time GrpcDeadline(const grpc::CallbackServerContext& context) {
  auto deadline = context.deadline();
  if (deadline == std::chrono::system_clock::time_point::max()) return absl::InfiniteFuture();
  return absl::FromChrono(deadline);
}

std::string TakeRequestId(grpc::CallbackServerContext& context) {
  std::string id;
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(kRequestIdKey);
  if (it != metadata.end()) id.assign(it->second.data(), it->second.size());
  if (!UsableRequestId(id)) id = NewRequestId();
  context.AddTrailingMetadata(kRequestIdKey, id);
  return id;
}

void NoteRequest(Method method, const grpc::Status& status, absl::Duration took,
                 absl::Duration slow, absl::string_view request_id) {
  grpc::StatusCode code = status.error_code();
  if (IsLimit(code)) {
    Log(LogLevel::kWarn, "limit_hit",
        {{"method", MethodName(method)},
         {"code", StatusCodeName(code)},
         {"ms", absl::ToInt64Milliseconds(took)},
         {"request_id", request_id},
         {"message", status.error_message()}});
  } else {
    const LogLevel level = took >= slow ? LogLevel::kInfo : LogLevel::kDebug;
    if (!LogEnabled(level)) return;  // the fields below cost allocations on every call
    Log(level, took >= slow ? "slow_request" : "request",
        {{"method", MethodName(method)},
         {"code", StatusCodeName(code)},
         {"ms", absl::ToInt64Milliseconds(took)},
         {"request_id", request_id}});
  }
}

void NoteBatchItem(grpc::StatusCode code, absl::string_view message, absl::Duration took,
                   absl::Duration slow, absl::string_view request_id, absl::string_view item_id) {
  if (IsLimit(code)) {
    Log(LogLevel::kWarn, "limit_hit",
        {{"method", MethodName(Method::kBatchItem)},
         {"code", StatusCodeName(code)},
         {"ms", absl::ToInt64Milliseconds(took)},
         {"request_id", request_id},
         {"item", item_id},
         {"message", message}});
  } else if (took >= slow) {
    Log(LogLevel::kInfo, "slow_request",
        {{"method", MethodName(Method::kBatchItem)},
         {"code", StatusCodeName(code)},
         {"ms", absl::ToInt64Milliseconds(took)},
         {"request_id", request_id},
         {"item", item_id}});
  }
}

}  // namespace jscore::daemon
