// JsonValue -> JS (json_value_codec.h): V8's JSON parser builds the value in the
// text's order, then the types tree turns its annotated places into their JS types.
// Worker thread only.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/status_macros.h"
#include "engine/internal/json_value_codec.h"

namespace jscore::engine::internal {
namespace {

// Own enumerable string keys, as strings (JSON.parse makes nothing else).
constexpr auto kOwnKeys = static_cast<v8::PropertyFilter>(v8::ONLY_ENUMERABLE | v8::SKIP_SYMBOLS);
// A BigInt's decimal digits stop here (the conversion is quadratic in them).
constexpr size_t kMaxBigIntDigits = 20000;
// Building a BigInt is quadratic in its 18-digit chunks: one value's BigInts may cost at
// most this many chunk products in total (about 50 ms), so that a request full of huge
// BigInts cannot hold its worker outside any deadline.
constexpr uint64_t kMaxBigIntWork = 50'000'000;
// Dates are ±8.64e15 ms around the epoch (ECMA-262 21.4.1.1).
constexpr double kMaxTimeMs = 8.64e15;

// Decimal text ("-123") to the sign and 64-bit words BigInt::NewFromWords takes.
bool ParseBigInt(absl::string_view text, int* sign, std::vector<uint64_t>* words) {
  *sign = 0;
  if (!text.empty() && text[0] == '-') {
    *sign = 1;
    text.remove_prefix(1);
  }
  if (text.empty() || text.size() > kMaxBigIntDigits) return false;
  words->assign(1, 0);
  for (size_t i = 0; i < text.size();) {
    size_t chunk = std::min<size_t>(18, text.size() - i);
    uint64_t value = 0;
    uint64_t scale = 1;
    for (size_t j = 0; j < chunk; ++j, ++i) {
      char c = text[i];
      if (c < '0' || c > '9') return false;
      value = value * 10 + static_cast<uint64_t>(c - '0');
      scale *= 10;
    }
    unsigned __int128 carry = value;
    for (uint64_t& word : *words) {
      unsigned __int128 product = static_cast<unsigned __int128>(word) * scale + carry;
      word = static_cast<uint64_t>(product);
      carry = product >> 64;
    }
    if (carry != 0) words->push_back(static_cast<uint64_t>(carry));
  }
  return true;
}

// ISO-8601 / RFC 3339 ("2024-05-01T12:00:00.000Z", "+275760-09-13T00:00:00Z",
// "2024-05-01T14:00:00+02:00"; no offset means UTC) to epoch milliseconds.
bool ParseIsoDate(std::string text, double* ms) {
  if (!text.empty() && (text.back() == 'Z' || text.back() == 'z')) {
    text.back() = '+';
    text += "00:00";
  } else if (text.size() < 6 || (text[text.size() - 6] != '+' && text[text.size() - 6] != '-')) {
    text += "+00:00";
  }
  // JS writes years past 9999 (and before 0) with a sign and six digits ("+275760-...");
  // absl's %Y takes a '-' but not a '+'.
  if (!text.empty() && text[0] == '+') text.erase(0, 1);
  absl::Time t;
  std::string error;
  if (!absl::ParseTime("%Y-%m-%d%ET%H:%M:%E*S%Ez", text, &t, &error)) return false;
  // Whole milliseconds, floored in integer arithmetic (a double of the milliseconds since
  // 1970 is not exact, so flooring it could lose one).
  double value = static_cast<double>(
      absl::ToInt64Milliseconds(absl::Floor(t - absl::UnixEpoch(), absl::Milliseconds(1))));
  if (!(std::abs(value) <= kMaxTimeMs)) return false;
  *ms = value;
  return true;
}

class TypesApplier {
 public:
  TypesApplier(JsScope& scope, absl::string_view what) : scope_(scope), what_(what) {}

  // Replaces `*place` (at `path`) as the types node says.
  absl::Status Apply(v8::Local<v8::Value>* place, v8::Local<v8::Value> node) {
    v8::Local<v8::Context> context = scope_.context();
    v8::Local<v8::Value> kind;
    v8::Local<v8::Value> children;
    if (node->IsString()) {
      kind = node;
    } else if (node->IsArray() && node.As<v8::Array>()->Length() == 2) {
      v8::Local<v8::Array> pair = node.As<v8::Array>();
      if (!pair->Get(context, 0).ToLocal(&kind) || !pair->Get(context, 1).ToLocal(&children)) {
        return absl::AbortedError("types read failed");
      }
      if (!(kind->IsNull() || kind->IsString()) || !children->IsObject() || children->IsArray()) {
        return Bad("is not a types node");
      }
    } else {
      return Bad("is not a types node");
    }
    if (!children.IsEmpty()) {
      if (!(*place)->IsObject())
        return Bad("has children in the types tree but is not an array or object");
      v8::Local<v8::Object> target = place->As<v8::Object>();
      v8::Local<v8::Object> nodes = children.As<v8::Object>();
      v8::Local<v8::Array> keys;
      if (!nodes->GetOwnPropertyNames(context, kOwnKeys, v8::KeyConversionMode::kConvertToString)
               .ToLocal(&keys))
        return absl::AbortedError("keys");
      for (uint32_t i = 0; i < keys->Length(); ++i) {
        v8::HandleScope handles(scope_.isolate());
        v8::Local<v8::Value> key;
        v8::Local<v8::Value> child_node;
        v8::Local<v8::Value> child;
        if (!keys->Get(context, i).ToLocal(&key) ||
            !nodes->Get(context, key).ToLocal(&child_node)) {
          return absl::AbortedError("types read failed");
        }
        size_t mark = path_.size();
        path_.push_back('/');
        path_ += scope_.ToUtf8(key).substr(0, 256);
        v8::Local<v8::Name> name = key.As<v8::Name>();
        v8::Maybe<bool> has = target->HasOwnProperty(context, name);
        if (has.IsNothing()) return absl::AbortedError("has failed");
        if (!has.FromJust()) return Bad("is named by the types tree but is not in the value");
        if (!target->Get(context, key).ToLocal(&child)) return absl::AbortedError("get failed");
        RETURN_IF_ERROR(Apply(&child, child_node));
        if (target->CreateDataProperty(context, name, child).IsNothing()) {
          return absl::AbortedError("set failed");
        }
        path_.resize(mark);
      }
    }
    if (kind->IsString()) return Convert(scope_.Utf8(kind.As<v8::String>()), place);
    return absl::OkStatus();
  }

 private:
  // Replaces the JSON value at `place` by the JS value the types tree's `kind` names.
  absl::Status Convert(const std::string& kind, v8::Local<v8::Value>* place) {
    v8::Isolate* isolate = scope_.isolate();
    if (kind == "undefined") {
      *place = v8::Undefined(isolate);
    } else if (kind == "nan") {
      *place = v8::Number::New(isolate, std::nan(""));
    } else if (kind == "infinity") {
      *place = v8::Number::New(isolate, HUGE_VAL);
    } else if (kind == "-infinity") {
      *place = v8::Number::New(isolate, -HUGE_VAL);
    } else if (kind == "bigint") {
      return ToBigInt(place);
    } else if (kind == "date") {
      return ToDate(place);
    } else if (kind == "bytes") {
      return ToBytes(place);
    } else if (kind == "map") {
      return ToMap(place);
    } else if (kind == "set") {
      return ToSet(place);
    } else {
      return Bad(absl::StrCat("has an unknown type \"", kind.substr(0, 64), "\""));
    }
    return absl::OkStatus();
  }

  absl::Status ToBigInt(v8::Local<v8::Value>* place) {
    v8::Local<v8::Value> v = *place;
    int sign = 0;
    std::vector<uint64_t> words;
    std::string text =
        v->IsString() ? scope_.Utf8(v.As<v8::String>())
        : v->IsNumber() && std::trunc(v.As<v8::Number>()->Value()) == v.As<v8::Number>()->Value()
            ? absl::StrFormat("%.0f", v.As<v8::Number>()->Value())
            : std::string();
    if (!ParseBigInt(text, &sign, &words)) {
      return Bad(absl::StrCat("is not a BigInt (decimal digits, at most ", kMaxBigIntDigits, ")"));
    }
    uint64_t chunks = text.size() / 18 + 1;
    bigint_work_ += chunks * chunks;
    if (bigint_work_ > kMaxBigIntWork) {
      return Bad("is a BigInt too many: the value's BigInts have too many digits in total");
    }
    v8::Local<v8::BigInt> big;
    if (!v8::BigInt::NewFromWords(scope_.context(), sign, static_cast<int>(words.size()),
                                  words.data())
             .ToLocal(&big)) {
      return absl::AbortedError("BigInt failed");
    }
    *place = big;
    return absl::OkStatus();
  }

  absl::Status ToDate(v8::Local<v8::Value>* place) {
    v8::Local<v8::Value> v = *place;
    double ms = std::nan("");
    if (v->IsNumber()) {
      ms = v.As<v8::Number>()->Value();
    } else if (v->IsString()) {
      if (!ParseIsoDate(scope_.Utf8(v.As<v8::String>()), &ms)) {
        return Bad("is not an ISO-8601 date");
      }
    } else if (!v->IsNull()) {
      return Bad("is not an ISO-8601 date");
    }
    v8::Local<v8::Value> date;
    if (!v8::Date::New(scope_.context(), ms).ToLocal(&date)) {
      return absl::AbortedError("Date failed");
    }
    *place = date;
    return absl::OkStatus();
  }

  absl::Status ToBytes(v8::Local<v8::Value>* place) {
    v8::Local<v8::Value> v = *place;
    if (!v->IsArray()) return Bad("is not a list of bytes");
    v8::Local<v8::Context> context = scope_.context();
    v8::Local<v8::Array> list = v.As<v8::Array>();
    uint32_t length = list->Length();
    v8::Local<v8::ArrayBuffer> buffer = v8::ArrayBuffer::New(scope_.isolate(), length);
    auto* data = static_cast<uint8_t*>(buffer->GetBackingStore()->Data());
    for (uint32_t i = 0; i < length; ++i) {
      v8::Local<v8::Value> byte;
      if (!list->Get(context, i).ToLocal(&byte)) return absl::AbortedError("get failed");
      double d = byte->IsNumber() ? byte.As<v8::Number>()->Value() : -1;
      if (!(d >= 0 && d <= 255 && d == std::trunc(d))) return Bad("is not a list of bytes");
      data[i] = static_cast<uint8_t>(d);
    }
    *place = v8::Uint8Array::New(buffer, 0, length);
    return absl::OkStatus();
  }

  absl::Status ToMap(v8::Local<v8::Value>* place) {
    v8::Local<v8::Value> v = *place;
    if (!v->IsObject() || v->IsArray()) return Bad("is not an object (for a Map)");
    v8::Isolate* isolate = scope_.isolate();
    v8::Local<v8::Context> context = scope_.context();
    v8::Local<v8::Object> object = v.As<v8::Object>();
    v8::Local<v8::Array> keys;
    if (!object->GetOwnPropertyNames(context, kOwnKeys, v8::KeyConversionMode::kConvertToString)
             .ToLocal(&keys)) {
      return absl::AbortedError("keys");
    }
    v8::Local<v8::Map> map = v8::Map::New(isolate);
    for (uint32_t i = 0; i < keys->Length(); ++i) {
      v8::HandleScope handles(isolate);
      v8::Local<v8::Value> key;
      v8::Local<v8::Value> value;
      if (!keys->Get(context, i).ToLocal(&key) || !object->Get(context, key).ToLocal(&value) ||
          map->Set(context, key, value).IsEmpty()) {
        return absl::AbortedError("map failed");
      }
    }
    *place = map;
    return absl::OkStatus();
  }

  absl::Status ToSet(v8::Local<v8::Value>* place) {
    v8::Local<v8::Value> v = *place;
    if (!v->IsArray()) return Bad("is not a list (for a Set)");
    v8::Isolate* isolate = scope_.isolate();
    v8::Local<v8::Context> context = scope_.context();
    v8::Local<v8::Array> list = v.As<v8::Array>();
    v8::Local<v8::Set> set = v8::Set::New(isolate);
    for (uint32_t i = 0; i < list->Length(); ++i) {
      v8::HandleScope handles(isolate);
      v8::Local<v8::Value> element;
      if (!list->Get(context, i).ToLocal(&element) || set->Add(context, element).IsEmpty()) {
        return absl::AbortedError("set failed");
      }
    }
    *place = set;
    return absl::OkStatus();
  }

  absl::Status Bad(absl::string_view problem) const {
    return absl::InvalidArgumentError(absl::StrCat(what_, " at \"", path_, "\" ", problem));
  }

  JsScope& scope_;
  absl::string_view what_;
  std::string path_;
  uint64_t bigint_work_ = 0;
};

// JSON.parse of `text` (the daemon checked it; a failure here is still an error).
absl::Status Parse(JsScope& scope, const std::string& text, absl::string_view what,
                   v8::Local<v8::Value>* out) {
  if (text.size() > static_cast<size_t>(v8::String::kMaxLength)) {
    return absl::InvalidArgumentError(absl::StrCat(what, " is too large"));
  }
  v8::Local<v8::String> source;
  if (!v8::String::NewFromUtf8(scope.isolate(), text.data(), v8::NewStringType::kNormal,
                               static_cast<int>(text.size()))
           .ToLocal(&source)) {
    return absl::AbortedError("string failed");
  }
  v8::TryCatch try_catch(scope.isolate());
  if (v8::JSON::Parse(scope.context(), source).ToLocal(out)) return absl::OkStatus();
  if (try_catch.HasTerminated()) {
    try_catch.ReThrow();
    return absl::AbortedError("terminated");
  }
  return absl::InvalidArgumentError(absl::StrCat(what, " is not valid JSON"));
}

}  // namespace

absl::StatusOr<v8::Local<v8::Value>> FromJsonValue(JsScope& scope, const JsonValue& value,
                                                   absl::string_view what) {
  v8::Local<v8::Value> out;
  RETURN_IF_ERROR(Parse(scope, value.json, what, &out));
  if (value.types.empty()) return out;
  v8::Local<v8::Value> types;
  RETURN_IF_ERROR(Parse(scope, value.types, absl::StrCat(what, ".types"), &types));
  RETURN_IF_ERROR(TypesApplier(scope, what).Apply(&out, types));
  return out;
}

absl::Status SetJsonGlobals(JsScope& scope, const JsonValue& globals) {
  v8::Local<v8::Context> context = scope.context();
  ASSIGN_OR_RETURN(v8::Local<v8::Value> value, FromJsonValue(scope, globals, "globals_json"));
  if (!value->IsObject() || value->IsArray()) {
    return absl::InvalidArgumentError("globals_json must be a JSON object");
  }
  v8::Local<v8::Object> object = value.As<v8::Object>();
  v8::Local<v8::Array> names;
  if (!object->GetOwnPropertyNames(context, kOwnKeys, v8::KeyConversionMode::kConvertToString)
           .ToLocal(&names))
    return absl::AbortedError("keys");
  for (uint32_t i = 0; i < names->Length(); ++i) {
    v8::Local<v8::Value> name;
    v8::Local<v8::Value> global;
    if (!names->Get(context, i).ToLocal(&name)) return absl::AbortedError("keys");
    if (name->IsString() && name.As<v8::String>()->Length() == 0) {
      return absl::InvalidArgumentError("a global has an empty name");
    }
    if (!object->Get(context, name).ToLocal(&global) ||
        context->Global()->Set(context, name, global).IsNothing()) {
      return absl::AbortedError("setting a global failed");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v8::Local<v8::Value>>> JsonArguments(JsScope& scope,
                                                                const JsonValue& args) {
  v8::Local<v8::Context> context = scope.context();
  ASSIGN_OR_RETURN(v8::Local<v8::Value> value, FromJsonValue(scope, args, "args_json"));
  if (!value->IsArray()) return absl::InvalidArgumentError("args_json must be a JSON array");
  v8::Local<v8::Array> list = value.As<v8::Array>();
  std::vector<v8::Local<v8::Value>> argv;
  argv.reserve(list->Length());
  for (uint32_t i = 0; i < list->Length(); ++i) {
    v8::Local<v8::Value> arg;
    if (!list->Get(context, i).ToLocal(&arg))
      return absl::AbortedError("reading an argument failed");
    argv.push_back(arg);
  }
  return argv;
}

}  // namespace jscore::engine::internal
