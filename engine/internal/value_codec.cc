#include "engine/internal/value_codec.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/status_macros.h"

namespace jscore::engine::internal {
namespace {

using google::protobuf::Value;

// The daemon checks arguments and globals against --max_result_depth (at most 1000).
constexpr int kMaxInputDepth = 1001;
// The deepest google.protobuf.Value of a result, in protobuf message levels from the
// result (1). A response adds up to three (BatchResponse > more > EvaluateResponse) and
// protobuf parsers stop at 100: a few to spare.
constexpr int kMaxValueMessageLevels = 92;
constexpr uint32_t kDeadlineCheckEvery = 256;

// JSON Pointer escaping of one path segment (RFC 6901).
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

// One conversion: walks the value depth first, keeping the path and the ancestors
// (for cycle detection).
class Encoder {
 public:
  Encoder(JsScope& scope, const ConversionLimits& limits, ConvertedValue* out)
      : scope_(scope), limits_(limits), out_(out) {}

  absl::Status Encode(v8::Local<v8::Value> v, Value* out, int depth) {
    bytes_ += 8;
    if (++steps_ % kDeadlineCheckEvery == 0 && absl::Now() > limits_.deadline) {
      return absl::DeadlineExceededError("the result's conversion ran past the deadline");
    }
    if (message_levels_ > kMaxValueMessageLevels) {
      return absl::OutOfRangeError(absl::StrCat(
          "result is nested too deep for google.protobuf.Value at \"", ShownPath(),
          "\" (protobuf parsers stop at 100 message levels; VALUE_ENCODING_JSON carries up to ",
          limits_.max_depth, " levels)"));
    }
    if (!v->IsObject() || v->IsFunction()) return EncodePrimitive(v, out);
    if (depth + 1 > limits_.max_depth) {  // the root container is level 1
      return absl::OutOfRangeError(absl::StrCat("result is nested deeper than ", limits_.max_depth,
                                                " levels at \"", ShownPath(), "\""));
    }
    v8::Local<v8::Object> object = v.As<v8::Object>();
    for (const auto& ancestor : ancestors_) {
      if (ancestor == object) {
        return absl::InvalidArgumentError(
            absl::StrCat("result contains a cycle at \"", ShownPath(), "\""));
      }
    }
    if (v->IsDate()) {
      double ms = v.As<v8::Date>()->ValueOf();
      Annotate(TypeAnnotation::Kind::kDate);
      if (std::isnan(ms)) {
        out->set_null_value(google::protobuf::NULL_VALUE);
      } else {
        out->set_string_value(FormatIsoDate(ms));
        bytes_ += out->string_value().size();
      }
      return CheckSize();
    }
    if (IsBoxedPrimitive(v)) return Encode(UnboxedPrimitive(scope_.isolate(), object), out, depth);
    if (v->IsArrayBuffer() || v->IsSharedArrayBuffer() || v->IsUint8Array() ||
        v->IsUint8ClampedArray() || v->IsDataView()) {
      return EncodeBytes(v, out);
    }
    ancestors_.push_back(object);
    absl::Status status = EncodeContainer(object, out, depth);
    ancestors_.pop_back();
    return status;
  }

 private:
  // A value that is not an object (functions count as one here: they become null).
  absl::Status EncodePrimitive(v8::Local<v8::Value> v, Value* out) {
    if (v->IsUndefined()) {
      out->set_null_value(google::protobuf::NULL_VALUE);
      Annotate(TypeAnnotation::Kind::kUndefined);
    } else if (v->IsBoolean()) {
      out->set_bool_value(v->IsTrue());
    } else if (v->IsNumber()) {
      double d = v.As<v8::Number>()->Value();
      if (std::isnan(d)) Annotate(TypeAnnotation::Kind::kNaN);
      if (std::isinf(d)) Annotate(TypeAnnotation::Kind::kInfinity);
      out->set_number_value(d == 0 ? 0.0 : d);  // -0 becomes 0, as JSON does
    } else if (v->IsString()) {
      // UTF-8 takes at least a byte per UTF-16 unit: refuse before copying, then
      // count what is sent.
      v8::Local<v8::String> s = v.As<v8::String>();
      if (bytes_ + s->Length() > limits_.max_bytes) {
        bytes_ += s->Length();
        return CheckSize();
      }
      out->set_string_value(scope_.Utf8(s));
      bytes_ += out->string_value().size();
    } else if (v->IsBigInt()) {
      Annotate(TypeAnnotation::Kind::kBigInt);
      std::string digits = scope_.ToUtf8(v);
      bytes_ += digits.size();
      out->set_string_value(std::move(digits));
    } else {  // null, a symbol or a function
      out->set_null_value(google::protobuf::NULL_VALUE);
    }
    return CheckSize();
  }

  // An array, typed array, Map, Set or plain object (after its toJSON, as
  // JSON.stringify honours it); `object` is on the ancestors' list meanwhile.
  absl::Status EncodeContainer(v8::Local<v8::Object> object, Value* out, int depth) {
    if (object->IsArray() || object->IsTypedArray()) return EncodeArrayLike(object, out, depth);
    if (object->IsMap()) {
      Annotate(TypeAnnotation::Kind::kMap);
      return EncodePairs(object.As<v8::Map>()->AsArray(), out, depth);
    }
    if (object->IsSet()) {
      Annotate(TypeAnnotation::Kind::kSet);
      return EncodeArrayLike(object.As<v8::Set>()->AsArray(), out, depth);
    }
    v8::Local<v8::Context> context = scope_.context();
    v8::Local<v8::Value> to_json;
    if (!object->Get(context, scope_.Str("toJSON")).ToLocal(&to_json)) {
      return absl::AbortedError("toJSON lookup threw");
    }
    if (!to_json->IsFunction()) return EncodeObject(object, out, depth);
    v8::Local<v8::Value> replaced;
    v8::Local<v8::Value> argv[] = {scope_.Str(LastSegment())};
    if (!to_json.As<v8::Function>()->Call(context, object, 1, argv).ToLocal(&replaced)) {
      return absl::AbortedError("toJSON threw");
    }
    return Encode(replaced, out, depth + 1);
  }

  // The children of a struct (Value > Struct > entry > Value) and of a list
  // (Value > ListValue > Value) sit this many protobuf message levels further down.
  static constexpr int kStructLevels = 3;
  static constexpr int kListLevels = 2;

  absl::Status EncodeArrayLike(v8::Local<v8::Object> array, Value* out, int depth) {
    Levels levels(message_levels_, kListLevels);
    v8::Local<v8::Context> context = scope_.context();
    uint32_t length = 0;
    if (array->IsArray()) {
      length = array.As<v8::Array>()->Length();
    } else if (array->IsTypedArray()) {
      length = static_cast<uint32_t>(array.As<v8::TypedArray>()->Length());
    }
    auto* list = out->mutable_list_value();
    size_t mark = path_.size();
    for (uint32_t i = 0; i < length; ++i) {
      v8::HandleScope handles(scope_.isolate());
      v8::Local<v8::Value> element;
      if (!array->Get(context, i).ToLocal(&element)) return absl::AbortedError("getter threw");
      AppendSegment(path_, absl::StrCat(i));
      absl::Status s = Encode(element, list->add_values(), depth + 1);
      path_.resize(mark);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }

  // A Map's [k0, v0, k1, v1, ...] as a struct with stringified keys. Keys that
  // stringify alike (1 and "1") make one field holding the last one's value, as in
  // Object.fromEntries. Linear: one pass finds each distinct key's last entry (hashed
  // by V8's string hash), one encodes those.
  absl::Status EncodePairs(v8::Local<v8::Array> pairs, Value* out, int depth) {
    Levels levels(message_levels_, kStructLevels);
    v8::Local<v8::Context> context = scope_.context();
    auto* fields = out->mutable_struct_value()->mutable_fields();
    uint32_t count = pairs->Length() / 2;
    std::vector<v8::Local<v8::String>> names(count);
    std::vector<uint32_t> last(count, UINT32_MAX);  // set on each distinct key's first entry
    std::unordered_map<int, std::vector<uint32_t>> distinct_by_hash;
    for (uint32_t i = 0; i < count; ++i) {
      if (++steps_ % kDeadlineCheckEvery == 0 && absl::Now() > limits_.deadline) {
        return absl::DeadlineExceededError("the result's conversion ran past the deadline");
      }
      v8::Local<v8::Value> key;
      if (!pairs->Get(context, 2 * i).ToLocal(&key)) return absl::AbortedError("map read threw");
      if (key->IsSymbol()) continue;  // no JSON form, as symbol-keyed properties
      if (!key->ToString(context).ToLocal(&names[i])) return absl::AbortedError("key threw");
      std::vector<uint32_t>& bucket = distinct_by_hash[names[i]->GetIdentityHash()];
      bool seen = false;
      for (uint32_t first : bucket) {
        if (names[first]->StringEquals(names[i])) {
          last[first] = i;
          seen = true;
          break;
        }
      }
      if (!seen) {
        bucket.push_back(i);
        last[i] = i;
      }
    }
    size_t mark = path_.size();
    for (uint32_t i = 0; i < count; ++i) {
      if (last[i] == UINT32_MAX) continue;
      v8::HandleScope handles(scope_.isolate());
      v8::Local<v8::Value> value;
      if (!pairs->Get(context, 2 * last[i] + 1).ToLocal(&value)) {
        return absl::AbortedError("map read threw");
      }
      std::string name = scope_.Utf8(names[i]);
      bytes_ += name.size();
      AppendSegment(path_, name);
      absl::Status s = Encode(value, &(*fields)[name], depth + 1);
      path_.resize(mark);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::Status EncodeObject(v8::Local<v8::Object> object, Value* out, int depth) {
    Levels levels(message_levels_, kStructLevels);
    v8::Local<v8::Context> context = scope_.context();
    v8::Local<v8::Array> keys;
    if (!object
             ->GetOwnPropertyNames(
                 context, static_cast<v8::PropertyFilter>(v8::ONLY_ENUMERABLE | v8::SKIP_SYMBOLS),
                 v8::KeyConversionMode::kConvertToString)
             .ToLocal(&keys)) {
      return absl::AbortedError("ownKeys threw");
    }
    auto* fields = out->mutable_struct_value()->mutable_fields();
    size_t mark = path_.size();
    for (uint32_t i = 0; i < keys->Length(); ++i) {
      v8::HandleScope handles(scope_.isolate());
      v8::Local<v8::Value> key;
      v8::Local<v8::Value> value;
      if (!keys->Get(context, i).ToLocal(&key) || !object->Get(context, key).ToLocal(&value)) {
        return absl::AbortedError("getter threw");
      }
      if (value->IsFunction() || value->IsSymbol()) continue;  // dropped, as JSON does
      std::string name = scope_.ToUtf8(key);
      bytes_ += name.size();
      AppendSegment(path_, name);
      absl::Status s = Encode(value, &(*fields)[name], depth + 1);
      path_.resize(mark);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::Status EncodeBytes(v8::Local<v8::Value> v, Value* out) {
    std::shared_ptr<v8::BackingStore> store;
    size_t offset = 0;
    size_t length = 0;
    if (v->IsArrayBuffer()) {
      store = v.As<v8::ArrayBuffer>()->GetBackingStore();
      length = store->ByteLength();
    } else if (v->IsSharedArrayBuffer()) {
      store = v.As<v8::SharedArrayBuffer>()->GetBackingStore();
      length = store->ByteLength();
    } else {
      auto view = v.As<v8::ArrayBufferView>();
      store = view->Buffer()->GetBackingStore();
      offset = view->ByteOffset();
      length = view->ByteLength();
    }
    Annotate(TypeAnnotation::Kind::kBytes);
    bytes_ += length * 11;  // a number Value in a ListValue: tag, length, tag, 8 bytes
    RETURN_IF_ERROR(CheckSize());
    auto* list = out->mutable_list_value();
    const auto* data = static_cast<const uint8_t*>(store->Data());
    for (size_t i = 0; i < length && data != nullptr; ++i) {
      list->add_values()->set_number_value(data[offset + i]);
    }
    return absl::OkStatus();
  }

  // Each annotation carries its path: both count toward the size limit.
  void Annotate(TypeAnnotation::Kind kind) {
    bytes_ += path_.size() + 4;
    out_->annotations.push_back({path_, kind});
  }

  // Scoped: the message levels below a struct or a list.
  class Levels {
   public:
    Levels(int& levels, int add) : levels_(levels), add_(add) { levels_ += add_; }
    ~Levels() { levels_ -= add_; }

   private:
    int& levels_;
    int add_;
  };

  // The path for an error message: at most 1 KiB (a key can be megabytes long).
  std::string ShownPath() const {
    if (path_.size() <= 1024) return path_;
    size_t cut = 1024;
    while (cut > 0 && (static_cast<unsigned char>(path_[cut]) & 0xC0) == 0x80) --cut;
    return path_.substr(0, cut) + "...";
  }

  std::string LastSegment() const {
    size_t slash = path_.rfind('/');
    return slash == std::string::npos ? std::string() : path_.substr(slash + 1);
  }

  absl::Status CheckSize() const {
    if (bytes_ <= limits_.max_bytes) return absl::OkStatus();
    return absl::OutOfRangeError(absl::StrCat("result is larger than ", limits_.max_bytes,
                                              " bytes (at \"", ShownPath(), "\")"));
  }

  JsScope& scope_;
  const ConversionLimits& limits_;
  ConvertedValue* out_;
  std::string path_;
  std::vector<v8::Local<v8::Object>> ancestors_;
  size_t bytes_ = 0;
  uint32_t steps_ = 0;
  int message_levels_ = 1;  // of the Value being encoded (the result itself is 1)
};

}  // namespace

// As Date.prototype.toISOString: years outside 0..9999 take six digits and a sign.
bool IsBoxedPrimitive(v8::Local<v8::Value> value) {
  return value->IsNumberObject() || value->IsStringObject() || value->IsBooleanObject() ||
         value->IsBigIntObject();
}

v8::Local<v8::Value> UnboxedPrimitive(v8::Isolate* isolate, v8::Local<v8::Object> boxed) {
  if (boxed->IsNumberObject())
    return v8::Number::New(isolate, boxed.As<v8::NumberObject>()->ValueOf());
  if (boxed->IsStringObject()) return boxed.As<v8::StringObject>()->ValueOf();
  if (boxed->IsBooleanObject()) {
    return v8::Boolean::New(isolate, boxed.As<v8::BooleanObject>()->ValueOf());
  }
  return boxed.As<v8::BigIntObject>()->ValueOf();
}

std::string FormatIsoDate(double ms) {
  absl::Time t = absl::FromUnixMillis(static_cast<int64_t>(ms));
  absl::CivilSecond civil = absl::ToCivilSecond(t, absl::UTCTimeZone());
  int64_t year = civil.year();
  std::string rest = absl::FormatTime("-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone());
  if (year >= 0 && year <= 9999) return absl::StrFormat("%04d", year) + rest;
  return absl::StrFormat("%c%06d", year < 0 ? '-' : '+', year < 0 ? -year : year) + rest;
}

absl::StatusOr<ConvertedValue> ToProtoValue(JsScope& scope, v8::Local<v8::Value> value,
                                            const ConversionLimits& limits) {
  ConvertedValue out;
  out.undefined = value->IsUndefined();
  Encoder encoder(scope, limits, &out);
  RETURN_IF_ERROR(encoder.Encode(value, &out.value, 0));
  if (out.undefined) out.annotations.clear();  // said by `undefined` already
  return out;
}

v8::MaybeLocal<v8::Value> FromProtoValueAt(JsScope& scope, const google::protobuf::Value& value,
                                           int depth) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Context> context = scope.context();
  switch (value.kind_case()) {
    case Value::kNullValue:
    case Value::KIND_NOT_SET:
      return v8::Null(isolate);
    case Value::kBoolValue:
      return v8::Boolean::New(isolate, value.bool_value());
    case Value::kNumberValue:
      return v8::Number::New(isolate, value.number_value());
    case Value::kStringValue: {
      const std::string& s = value.string_value();
      if (s.size() > static_cast<size_t>(v8::String::kMaxLength)) return {};
      v8::Local<v8::String> out;
      if (!v8::String::NewFromUtf8(isolate, s.data(), v8::NewStringType::kNormal,
                                   static_cast<int>(s.size()))
               .ToLocal(&out)) {
        return {};
      }
      return out;
    }
    case Value::kListValue: {
      if (depth >= kMaxInputDepth) return {};
      const auto& list = value.list_value();
      v8::Local<v8::Array> array = v8::Array::New(isolate, list.values_size());
      for (int i = 0; i < list.values_size(); ++i) {
        v8::Local<v8::Value> element;
        if (!FromProtoValueAt(scope, list.values(i), depth + 1).ToLocal(&element)) return {};
        if (array->Set(context, i, element).IsNothing()) return {};
      }
      return array;
    }
    case Value::kStructValue: {
      if (depth >= kMaxInputDepth) return {};
      // A protobuf map iterates in an order of its own that differs from one message
      // to the next (protobuf seeds each map's hash), so the same arguments in
      // another request would get their keys in another order: another hidden class
      // each time, which sends the program's inline caches megamorphic and makes V8
      // build new maps on every call (bench/FINDINGS.md, "real code"). Sorted keys
      // give the same keys the same shape, call after call.
      const auto& fields = value.struct_value().fields();
      absl::InlinedVector<const google::protobuf::MapPair<std::string, Value>*, 16> entries;
      entries.reserve(fields.size());
      for (const auto& entry : fields) entries.push_back(&entry);
      std::sort(entries.begin(), entries.end(),
                [](const auto* a, const auto* b) { return a->first < b->first; });
      v8::Local<v8::Object> object = v8::Object::New(isolate);
      for (const auto* entry : entries) {
        v8::Local<v8::Value> element;
        if (!FromProtoValueAt(scope, entry->second, depth + 1).ToLocal(&element)) return {};
        if (object->CreateDataProperty(context, scope.Str(entry->first), element).IsNothing()) {
          return {};
        }
      }
      return object;
    }
  }
  return v8::Null(isolate);
}

v8::MaybeLocal<v8::Value> FromProtoValue(JsScope& scope, const google::protobuf::Value& value) {
  return FromProtoValueAt(scope, value, 0);
}

}  // namespace jscore::engine::internal
