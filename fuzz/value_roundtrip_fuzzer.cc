// Fuzz target: google.protobuf.Value -> JS (engine FromProtoValue) -> Value
// (ToProtoValue), the mapping used for arguments and injected globals and, back, for
// results (ARCHITECTURE.md "Values").
//
// The input is one of:
//   'J' + JSON text         parsed with protobuf's JSON parser;
//   'P' + a serialized Value;
//   anything else           a Value built from the bytes (FuzzedDataProvider), which
//                           reaches what JSON cannot say: NaN, ±Infinity, -0, unset
//                           kinds, invalid UTF-8, nesting past the limit.
// Invariants: a Value nested 1001 containers deep or more is refused (the daemon checks
// --max_result_depth, at most 1000, before this), anything else is accepted; converting
// back succeeds, except past protobuf's 92 message levels, which is OUT_OF_RANGE (the
// JSON encoding carries those); the result is exact (the same value, with unset
// kinds as null and -0 as 0) when every string is valid UTF-8, with exactly one
// annotation per NaN or infinite number; in any case it passes CheckOutcome.
//
// White box: this target calls engine internals on an isolate of its own (like
// engine/bench), so it includes V8; no other code outside engine/ does.
#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/internal/js_scope.h"
#include "engine/internal/platform_impl.h"
#include "engine/internal/value_codec.h"
#include "fuzz/fuzz_support.h"
#include "google/protobuf/util/json_util.h"
#include "libplatform/libplatform.h"
#include "v8.h"

namespace jscore::fuzz {
namespace {

using google::protobuf::Value;
using Kind = engine::TypeAnnotation::Kind;

constexpr int kMaxContainerDepth =
    1001;  // FromProtoValue's limit (kMaxInputDepth in value_codec.cc)
constexpr int kMaxValueMessageLevels = 92;  // ToProtoValue's (engine/internal/value_codec.cc)
constexpr int kBuildDepthCap = 1030;        // the builder goes a little past it

// One isolate and one context, made on the fuzzing thread and kept (entered) for the
// life of the process.
struct Host {
  std::unique_ptr<v8::ArrayBuffer::Allocator> allocator;
  v8::Isolate* isolate = nullptr;
  v8::Global<v8::Context> context;
};

Host& TheHost() {
  static Host* host = [] {
    FuzzPlatform();
    auto* h = new Host;
    h->allocator.reset(v8::ArrayBuffer::Allocator::NewDefaultAllocator());
    v8::Isolate::CreateParams params;
    params.array_buffer_allocator = h->allocator.get();
    params.constraints.ConfigureDefaultsFromHeapSize(0, 256 << 20);
    h->isolate = v8::Isolate::New(params);
    h->isolate->Enter();
    v8::HandleScope handles(h->isolate);
    h->context.Reset(h->isolate, v8::Context::New(h->isolate));
    return h;
  }();
  return *host;
}

// ---- a Value from bytes ----

Value Build(FuzzedDataProvider& in, int depth) {
  Value v;
  if (in.remaining_bytes() == 0) {
    v.set_null_value(google::protobuf::NULL_VALUE);
    return v;
  }
  switch (in.ConsumeIntegralInRange<int>(0, 8)) {
    case 0:
      v.set_null_value(google::protobuf::NULL_VALUE);
      break;
    case 1:
      v.set_bool_value(in.ConsumeBool());
      break;
    case 2: {  // any double: NaN payloads, ±Infinity, -0, subnormals
      uint64_t bits = in.ConsumeIntegral<uint64_t>();
      double d;
      std::memcpy(&d, &bits, sizeof d);
      v.set_number_value(d);
      break;
    }
    case 3:
      v.set_number_value(in.ConsumeIntegral<int32_t>());
      break;
    case 4:
      v.set_string_value(in.ConsumeRandomLengthString(64));
      break;
    case 5: {
      auto* list = v.mutable_list_value();
      int n = in.ConsumeIntegralInRange<int>(0, 6);
      for (int i = 0; i < n && depth < kBuildDepthCap; ++i)
        *list->add_values() = Build(in, depth + 1);
      break;
    }
    case 6: {
      auto* fields = v.mutable_struct_value()->mutable_fields();
      int n = in.ConsumeIntegralInRange<int>(0, 6);
      for (int i = 0; i < n && depth < kBuildDepthCap; ++i) {
        std::string key = in.ConsumeRandomLengthString(16);
        (*fields)[key] = Build(in, depth + 1);
      }
      break;
    }
    case 7: {  // a chain of single-element lists: reaches the depth limit cheaply
      if (depth >= kBuildDepthCap) break;
      int levels = in.ConsumeIntegralInRange<int>(1, kBuildDepthCap - depth);
      Value inner = Build(in, depth + levels);
      for (int i = 0; i < levels; ++i) {
        Value outer;
        *outer.mutable_list_value()->add_values() = std::move(inner);
        inner = std::move(outer);
      }
      v = std::move(inner);
      break;
    }
    default:
      break;  // KIND_NOT_SET
  }
  return v;
}

// ---- what the round trip must give back ----

// The deepest protobuf message level of any Value in v, counted as ToProtoValue does:
// v itself is `level`; a list's elements sit 2 levels below it (Value > ListValue >
// Value), a struct's 3 (Value > Struct > entry > Value).
int MessageLevels(const Value& v, int level = 1) {
  int deepest = level;
  if (v.has_list_value()) {
    for (const Value& e : v.list_value().values())
      deepest = std::max(deepest, MessageLevels(e, level + 2));
  } else if (v.has_struct_value()) {
    for (const auto& [k, e] : v.struct_value().fields()) {
      deepest = std::max(deepest, MessageLevels(e, level + 3));
    }
  }
  return deepest;
}

int ContainerDepth(const Value& v) {  // -1 for a scalar, 0 for a flat container
  int deepest = -1;
  if (v.has_list_value()) {
    deepest = 0;
    for (const Value& e : v.list_value().values())
      deepest = std::max(deepest, ContainerDepth(e) + 1);
  } else if (v.has_struct_value()) {
    deepest = 0;
    for (const auto& [k, e] : v.struct_value().fields()) {
      deepest = std::max(deepest, ContainerDepth(e) + 1);
    }
  }
  return deepest;
}

bool AllUtf8(const Value& v) {
  if (v.has_string_value()) return IsValidUtf8(v.string_value());
  if (v.has_list_value()) {
    for (const Value& e : v.list_value().values()) {
      if (!AllUtf8(e)) return false;
    }
  }
  if (v.has_struct_value()) {
    for (const auto& [k, e] : v.struct_value().fields()) {
      if (!IsValidUtf8(k) || !AllUtf8(e)) return false;
    }
  }
  return true;
}

// Unset kinds read as null; -0 comes back as 0 (both compare equal as doubles);
// NaN as NaN.
bool Same(const Value& want, const Value& got) {
  switch (want.kind_case()) {
    case Value::KIND_NOT_SET:
    case Value::kNullValue:
      return got.has_null_value();
    case Value::kBoolValue:
      return got.has_bool_value() && got.bool_value() == want.bool_value();
    case Value::kNumberValue:
      if (!got.has_number_value()) return false;
      if (std::isnan(want.number_value())) return std::isnan(got.number_value());
      return got.number_value() == want.number_value() &&
             !(got.number_value() == 0 && std::signbit(got.number_value()));
    case Value::kStringValue:
      return got.has_string_value() && got.string_value() == want.string_value();
    case Value::kListValue: {
      if (!got.has_list_value()) return false;
      const auto& a = want.list_value().values();
      const auto& b = got.list_value().values();
      if (a.size() != b.size()) return false;
      for (int i = 0; i < a.size(); ++i) {
        if (!Same(a[i], b[i])) return false;
      }
      return true;
    }
    case Value::kStructValue: {
      if (!got.has_struct_value()) return false;
      const auto& a = want.struct_value().fields();
      const auto& b = got.struct_value().fields();
      if (a.size() != b.size()) return false;
      for (const auto& [k, e] : a) {
        auto it = b.find(k);
        if (it == b.end() || !Same(e, it->second)) return false;
      }
      return true;
    }
  }
  return false;
}

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

void ExpectedNotes(const Value& v, std::string& path,
                   std::multiset<std::pair<std::string, Kind>>* out) {
  if (v.has_number_value()) {
    if (std::isnan(v.number_value())) out->emplace(path, Kind::kNaN);
    if (std::isinf(v.number_value())) out->emplace(path, Kind::kInfinity);
  } else if (v.has_list_value()) {
    size_t mark = path.size();
    for (int i = 0; i < v.list_value().values_size(); ++i) {
      AppendSegment(path, absl::StrCat(i));
      ExpectedNotes(v.list_value().values(i), path, out);
      path.resize(mark);
    }
  } else if (v.has_struct_value()) {
    size_t mark = path.size();
    for (const auto& [k, e] : v.struct_value().fields()) {
      AppendSegment(path, k);
      ExpectedNotes(e, path, out);
      path.resize(mark);
    }
  }
}

void RoundTrip(const Value& value) {
  Host& host = TheHost();
  {
    engine::internal::JsScope scope(host.isolate, host.context);
    v8::TryCatch try_catch(host.isolate);
    v8::Local<v8::Value> js;
    bool accepted = engine::internal::FromProtoValue(scope, value).ToLocal(&js);
    bool too_deep = ContainerDepth(value) >= kMaxContainerDepth;
    Require(accepted != too_deep, too_deep ? "FromProtoValue accepted nesting past its limit"
                                           : "FromProtoValue refused a valid value");
    if (!accepted) return;
    Require(!try_catch.HasCaught(), "FromProtoValue threw");

    engine::internal::ConversionLimits limits;
    limits.max_bytes = 64 << 20;
    limits.max_depth = kMaxContainerDepth;
    absl::StatusOr<engine::internal::ConvertedValue> result =
        engine::internal::ToProtoValue(scope, js, limits);
    absl::Status status = result.status();
    if (MessageLevels(value) > kMaxValueMessageLevels) {
      // Deeper than a protobuf reader would parse: refused with a clear error (the JSON
      // encoding carries such values). Keys that are not UTF-8 can collapse into one JS
      // key and drop the deep part, so then an answer is fine too.
      Require(absl::IsOutOfRange(status) || (status.ok() && !AllUtf8(value)),
              absl::StrCat("ToProtoValue answered ", status.ToString(),
                           " for a value past the message-level cap"));
      if (!status.ok()) return;
    }
    Require(status.ok(), absl::StrCat("ToProtoValue failed: ", status.ToString()));
    engine::internal::ConvertedValue& converted = *result;
    Require(!converted.undefined, "a Value came back as undefined");

    engine::Outcome outcome;
    outcome.kind = engine::Outcome::Kind::kValue;
    outcome.value = converted.value;
    outcome.annotations = converted.annotations;
    CheckOutcome(outcome);

    if (AllUtf8(value)) {
      Require(Same(value, converted.value), "the round trip changed a JSON-like value");
      std::multiset<std::pair<std::string, Kind>> want;
      std::string path;
      ExpectedNotes(value, path, &want);
      std::multiset<std::pair<std::string, Kind>> got;
      for (const auto& note : converted.annotations) got.emplace(note.path, note.kind);
      Require(want == got, "the round trip's annotations are not one per NaN/Infinity");
    }
  }
  while (v8::platform::PumpMessageLoop(FuzzPlatform().impl().v8_platform.get(), host.isolate)) {
  }
}

}  // namespace
}  // namespace jscore::fuzz

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  jscore::fuzz::TheHost();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using google::protobuf::Value;
  Value value;
  if (size > 0 && data[0] == 'J') {
    std::string json(reinterpret_cast<const char*>(data) + 1, size - 1);
    if (!google::protobuf::util::JsonStringToMessage(json, &value).ok()) return 0;
  } else if (size > 0 && data[0] == 'P') {
    if (!value.ParseFromArray(data + 1, static_cast<int>(size - 1))) return 0;
  } else {
    FuzzedDataProvider in(data, size);
    value = jscore::fuzz::Build(in, 0);
  }
  jscore::fuzz::RoundTrip(value);
  return 0;
}
