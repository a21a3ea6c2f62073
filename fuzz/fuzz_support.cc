#include "fuzz/fuzz_support.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/json_text.h"
#include "google/protobuf/stubs/logging.h"

namespace jscore::fuzz {
namespace {

using google::protobuf::Value;
using Kind = engine::TypeAnnotation::Kind;

void AppendSegment(std::string& path, std::string_view segment) {
  path.push_back('/');
  for (char c : segment) {
    if (c == '~') {
      path += "~0";
    } else if (c == '/') {
      path += "~1";
    } else {
      path.push_back(c);
    }
  }
}

// Walks the value: UTF-8 everywhere, and every NaN/infinite number annotated.
void CheckNode(const Value& v, std::string& path,
               const std::set<std::pair<std::string, Kind>>& notes) {
  switch (v.kind_case()) {
    case Value::kNumberValue:
      if (std::isnan(v.number_value())) {
        Require(notes.count({path, Kind::kNaN}) == 1,
                absl::StrCat("NaN without annotation at ", path));
      }
      if (std::isinf(v.number_value())) {
        Require(notes.count({path, Kind::kInfinity}) == 1,
                absl::StrCat("Infinity without annotation at ", path));
      }
      return;
    case Value::kStringValue:
      Require(IsValidUtf8(v.string_value()), absl::StrCat("invalid UTF-8 string at ", path));
      return;
    case Value::kListValue: {
      size_t mark = path.size();
      for (int i = 0; i < v.list_value().values_size(); ++i) {
        AppendSegment(path, absl::StrCat(i));
        CheckNode(v.list_value().values(i), path, notes);
        path.resize(mark);
      }
      return;
    }
    case Value::kStructValue: {
      size_t mark = path.size();
      for (const auto& [key, field] : v.struct_value().fields()) {
        Require(IsValidUtf8(key), absl::StrCat("invalid UTF-8 key under ", path));
        AppendSegment(path, key);
        CheckNode(field, path, notes);
        path.resize(mark);
      }
      return;
    }
    default:
      return;
  }
}

bool IsDecimalInteger(const std::string& s) {
  size_t i = (!s.empty() && s[0] == '-') ? 1 : 0;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

void CheckAnnotation(const Value& root, const engine::TypeAnnotation& note) {
  const Value* node = Resolve(root, note.path);
  std::string where =
      absl::StrCat("annotation ", static_cast<int>(note.kind), " at \"", note.path, "\"");
  Require(node != nullptr, absl::StrCat(where, " names no node of the value"));
  switch (note.kind) {
    case Kind::kUndefined:
      Require(node->has_null_value(), absl::StrCat(where, ": undefined is not null"));
      break;
    case Kind::kBigInt:
      Require(node->has_string_value() && IsDecimalInteger(node->string_value()),
              absl::StrCat(where, ": a BigInt is not a decimal string"));
      break;
    case Kind::kDate:
      Require(node->has_string_value() || node->has_null_value(),
              absl::StrCat(where, ": a Date is neither a string nor null"));
      break;
    case Kind::kBytes:
      Require(node->has_list_value(), absl::StrCat(where, ": bytes are not a list"));
      for (const Value& b : node->list_value().values()) {
        Require(b.has_number_value() && b.number_value() >= 0 && b.number_value() <= 255 &&
                    b.number_value() == std::floor(b.number_value()),
                absl::StrCat(where, ": a byte is not an integer in 0..255"));
      }
      break;
    case Kind::kNaN:
      Require(node->has_number_value() && std::isnan(node->number_value()),
              absl::StrCat(where, ": not a NaN number"));
      break;
    case Kind::kInfinity:
      Require(node->has_number_value() && std::isinf(node->number_value()),
              absl::StrCat(where, ": not an infinite number"));
      break;
    case Kind::kMap:
      Require(node->has_struct_value(), absl::StrCat(where, ": a Map is not a struct"));
      break;
    case Kind::kSet:
      Require(node->has_list_value(), absl::StrCat(where, ": a Set is not a list"));
      break;
  }
}

}  // namespace

void Require(bool ok, std::string_view what) {
  if (ok) return;
  std::fprintf(stderr, "jscore fuzz invariant violated: %.*s\n", static_cast<int>(what.size()),
               what.data());
  std::abort();
}

engine::Platform& FuzzPlatform() {
  static engine::Platform* platform = [] {
    // Inputs that do not parse (invalid UTF-8 in a proto3 string...) would each log a
    // line; the invariants, not protobuf's log, decide what is a finding.
    google::protobuf::SetLogHandler(nullptr);
    engine::PlatformOptions options;
    // Extra V8 flags to chase a finding (fuzz/README.md), e.g. "--stress-compaction".
    if (const char* flags = std::getenv("JSCORE_FUZZ_V8_FLAGS")) options.v8_flags = flags;
    auto created = engine::Platform::Create(options);
    Require(created.ok(), "engine::Platform::Create failed");
    return created->release();
  }();
  return *platform;
}

engine::Pool& FuzzPool() {
  static engine::Pool* pool = [] {
    engine::PoolOptions options;
    options.workers = 1;
    options.queue_capacity = 16;
    options.max_inflight_per_worker = 16;
    options.prebuilt_contexts = 2;
    options.heap_limit_mb = 64;
    options.array_buffer_limit_mb = 64;
    options.max_result_bytes = 1 << 20;
    options.max_programs = 8;
    options.program_contexts_per_worker = 4;
    options.program_context_memory_mb = 64;
    options.max_sessions = 8;
    options.default_session_ttl = absl::Seconds(2);
    options.max_timers_per_job = 100;
    auto created = engine::Pool::Create(FuzzPlatform(), options);
    Require(created.ok(), "engine::Pool::Create failed");
    return created->release();
  }();
  return *pool;
}

engine::Outcome RunJob(engine::Pool& pool, engine::JobSpec spec, absl::Time deadline,
                       absl::Duration slack) {
  auto done = std::make_shared<absl::Notification>();
  auto outcome = std::make_shared<engine::Outcome>();
  auto completions = std::make_shared<std::atomic<int>>(0);
  auto job = std::make_shared<engine::Job>(
      std::move(spec), deadline, [done, outcome, completions](engine::Outcome o) {
        Require(completions->fetch_add(1) == 0, "a job completed twice");
        *outcome = std::move(o);
        done->Notify();
      });
  absl::Status submitted = pool.Submit(job);
  if (!submitted.ok()) return engine::Outcome::Failed(submitted);
  absl::Duration bound = std::max(deadline - absl::Now(), absl::ZeroDuration()) + slack;
  if (!done->WaitForNotificationWithTimeout(bound)) {
    engine::PoolStats stats = pool.Stats();
    std::string workers;
    for (const auto& w : stats.workers) {
      absl::StrAppend(&workers, " [worker ", w.id, ": completed ", w.jobs_completed, ", in flight ",
                      w.jobs_in_flight, ", heap ", w.heap_used_bytes >> 20, " MiB, replaced ",
                      w.isolate_replacements, "]");
    }
    Require(false, absl::StrCat("a job did not complete within its deadline plus ",
                                absl::FormatDuration(slack), "; queue depth ", stats.queue_depth,
                                ", completed ", stats.jobs_completed, workers));
  }
  return std::move(*outcome);
}

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int n;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (s.size() - i - 1 < static_cast<size_t>(n)) return false;  // truncated
    for (int k = 1; k <= n; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

const Value* Resolve(const Value& root, std::string_view pointer) {
  const Value* node = &root;
  while (!pointer.empty()) {
    if (pointer[0] != '/') return nullptr;
    pointer.remove_prefix(1);
    size_t end = pointer.find('/');
    std::string_view raw = pointer.substr(0, end);
    pointer = end == std::string_view::npos ? std::string_view() : pointer.substr(end);
    std::string segment;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '~' && i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
        segment.push_back(raw[i + 1] == '0' ? '~' : '/');
        ++i;
      } else {
        segment.push_back(raw[i]);
      }
    }
    if (node->has_struct_value()) {
      auto it = node->struct_value().fields().find(segment);
      if (it == node->struct_value().fields().end()) return nullptr;
      node = &it->second;
    } else if (node->has_list_value()) {
      int index;
      if (!absl::SimpleAtoi(segment, &index) || index < 0 ||
          index >= node->list_value().values_size() || absl::StrCat(index) != segment) {
        return nullptr;
      }
      node = &node->list_value().values(index);
    } else {
      return nullptr;
    }
  }
  return node;
}

void CheckOutcome(const engine::Outcome& outcome) {
  switch (outcome.kind) {
    case engine::Outcome::Kind::kValue:
    case engine::Outcome::Kind::kHook: {
      if (outcome.value_json.has_value()) {
        // The JSON encoding (the request asked for it): the value is ordered JSON text
        // plus a types tree, both whole JSON values; `value` and `annotations` stay empty.
        Require(CheckJsonText(outcome.value_json->json, 1000, "value_json").ok(),
                "value_json is not one JSON value");
        Require(outcome.value_json->types.empty() ||
                    CheckJsonText(outcome.value_json->types, 2002, "types").ok(),
                "the types tree is not one JSON value");
        Require(outcome.annotations.empty(), "a JSON-encoded result has annotations");
        break;
      }
      if (outcome.undefined) {
        Require(outcome.value.has_null_value(), "undefined result is not null");
        Require(outcome.annotations.empty(), "undefined result has annotations");
      }
      std::set<std::pair<std::string, Kind>> notes;
      for (const auto& note : outcome.annotations) {
        Require(IsValidUtf8(note.path), "annotation path is not UTF-8");
        CheckAnnotation(outcome.value, note);
        notes.emplace(note.path, note.kind);
      }
      std::string path;
      CheckNode(outcome.value, path, notes);
      break;
    }
    case engine::Outcome::Kind::kJsError:
      Require(IsValidUtf8(outcome.error.name), "JS error name is not UTF-8");
      Require(IsValidUtf8(outcome.error.message), "JS error message is not UTF-8");
      Require(IsValidUtf8(outcome.error.stack), "JS error stack is not UTF-8");
      Require(IsValidUtf8(outcome.error.source_line), "JS error source line is not UTF-8");
      break;
    case engine::Outcome::Kind::kFailed:
      switch (outcome.status.code()) {
        case absl::StatusCode::kInvalidArgument:
        case absl::StatusCode::kDeadlineExceeded:
        case absl::StatusCode::kResourceExhausted:
        case absl::StatusCode::kCancelled:
        case absl::StatusCode::kUnavailable:
        case absl::StatusCode::kNotFound:
        case absl::StatusCode::kFailedPrecondition:
        case absl::StatusCode::kUnimplemented:
          break;
        default:
          Require(false, absl::StrCat("undocumented failure: ", outcome.status.ToString()));
      }
      break;
  }
  for (const auto& line : outcome.console) {
    Require(IsValidUtf8(line.text), "console line is not UTF-8");
  }
}

}  // namespace jscore::fuzz
