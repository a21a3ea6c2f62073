// JS -> JsonValue (json_value_codec.h): one pass over the value writing the JSON text
// and, beside it, the sparse types tree. Worker thread only.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "engine/internal/json_value_codec.h"

namespace jscore::engine::internal {
namespace {

constexpr uint32_t kDeadlineCheckEvery = 256;

// Number::toString (ECMA-262 6.1.6.1.20) from the shortest round-trip digits, so
// that the text is what JSON.stringify writes.
void AppendNumber(double d, std::string& out) {
  if (d == 0) {  // -0 too, as JSON.stringify
    out.push_back('0');
    return;
  }
  char buffer[40];
  auto [end, error] =
      std::to_chars(buffer, buffer + sizeof(buffer), d, std::chars_format::scientific);
  absl::string_view text(buffer, end - buffer);
  if (text[0] == '-') {
    out.push_back('-');
    text.remove_prefix(1);
  }
  size_t e = text.find('e');
  std::string digits;
  for (char c : text.substr(0, e)) {
    if (c != '.') digits.push_back(c);
  }
  int exponent = 0;
  absl::string_view exp_text = text.substr(e + 1);
  bool negative_exp = exp_text[0] == '-';
  for (char c : exp_text.substr(1)) exponent = exponent * 10 + (c - '0');
  if (negative_exp) exponent = -exponent;
  int k = static_cast<int>(digits.size());
  int n = exponent + 1;
  if (k <= n && n <= 21) {
    out += digits;
    out.append(n - k, '0');
  } else if (0 < n && n <= 21) {
    out.append(digits, 0, n);
    out.push_back('.');
    out.append(digits, n);
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(-n, '0');
    out += digits;
  } else {
    out.push_back(digits[0]);
    if (k > 1) {
      out.push_back('.');
      out.append(digits, 1);
    }
    out.push_back('e');
    out.push_back(n - 1 >= 0 ? '+' : '-');
    absl::StrAppend(&out, std::abs(n - 1));
  }
}

// UTF-8 text as a JSON string body (without quotes).
void AppendEscaped(absl::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
    }
  }
  out.append(text.data() + run, text.size() - run);
}

class JsonEncoder {
 public:
  JsonEncoder(JsScope& scope, const ConversionLimits& limits, JsonValue* out)
      : scope_(scope), limits_(limits), json_(out->json), types_(out->types) {}

  absl::Status Run(v8::Local<v8::Value> value) { return Encode(value, Key{}, true); }

 private:
  // Where a value sits in its parent: the root, an array index, or an object key
  // already written to json_ (its quoted text at [pos, pos + len)).
  struct Key {
    enum class Kind { kRoot, kIndex, kSpan } kind = Kind::kRoot;
    uint32_t index = 0;
    size_t pos = 0;
    size_t len = 0;
    v8::Local<v8::Value> name;  // kSpan: the key itself (for toJSON)
  };
  // An open container. The types tree is written lazily: a frame is "opened" in it
  // (`key:[kind-or-null,{`) only when an annotated place turns up below it; opened
  // frames are always a prefix of frames_.
  struct Frame {
    v8::Local<v8::Object> object;
    Key key;
    const char* kind = nullptr;  // "map", "set" or none
    bool opened = false;
    bool any_child = false;  // in the types tree
  };

  absl::Status Encode(v8::Local<v8::Value> v, const Key& key, bool allow_to_json) {
    if (++steps_ % kDeadlineCheckEvery == 0 && absl::Now() > limits_.deadline) {
      return absl::DeadlineExceededError("the result's conversion ran past the deadline");
    }
    if (!v->IsObject() || v->IsFunction()) return EncodePrimitive(v, key);
    v8::Local<v8::Object> object = v.As<v8::Object>();
    if (v->IsDate()) {
      double ms = v.As<v8::Date>()->ValueOf();
      Leaf(key, "date");
      if (std::isnan(ms)) {
        json_ += "null";
      } else {
        json_.push_back('"');
        json_ += FormatIsoDate(ms);
        json_.push_back('"');
      }
      return CheckSize(key);
    }
    if (IsBoxedPrimitive(v)) return Encode(UnboxedPrimitive(scope_.isolate(), object), key, false);
    bool is_map = v->IsMap();
    bool is_set = v->IsSet();
    if (allow_to_json && !v->IsArray() && !v->IsTypedArray() && !is_map && !is_set) {
      // toJSON, as JSON.stringify honours it (once: not on what it returns).
      v8::Local<v8::Value> replaced;
      bool replaces = false;
      RETURN_IF_ERROR(CallToJson(object, key, &replaces, &replaced));
      if (replaces) return Encode(replaced, key, false);
    }
    // A cycle always runs into the depth limit: only then are the ancestors compared,
    // which keeps the walk linear.
    if (static_cast<int>(frames_.size()) + 1 > limits_.max_depth) return DepthError(object, key);
    if (v->IsArrayBuffer() || v->IsSharedArrayBuffer() || v->IsUint8Array() ||
        v->IsUint8ClampedArray() || v->IsDataView()) {
      return EncodeBytes(v, key);
    }
    frames_.push_back(Frame{object, key, is_map ? "map" : is_set ? "set" : nullptr});
    absl::Status status;
    if (v->IsArray() || v->IsTypedArray()) {
      status = EncodeArray(object);
    } else if (is_map) {
      status = EncodeMap(v.As<v8::Map>());
    } else if (is_set) {
      status = EncodeArray(v.As<v8::Set>()->AsArray());
    } else {
      status = EncodeObject(object);
    }
    if (!status.ok()) return status;
    return PopFrame();
  }

  // A value that is not an object (functions count as one here: they become null).
  absl::Status EncodePrimitive(v8::Local<v8::Value> v, const Key& key) {
    if (v->IsString()) return AppendString(v.As<v8::String>(), key);
    if (v->IsBigInt()) {
      v8::Local<v8::String> digits;
      if (!v->ToString(scope_.context()).ToLocal(&digits)) return absl::AbortedError("threw");
      Leaf(key, "bigint");
      return AppendString(digits, key);
    }
    if (v->IsUndefined()) {
      json_ += "null";
      Leaf(key, "undefined");
    } else if (v->IsBoolean()) {
      json_ += v->IsTrue() ? "true" : "false";
    } else if (v->IsNumber()) {
      double d = v.As<v8::Number>()->Value();
      if (std::isnan(d)) {
        json_ += "null";
        Leaf(key, "nan");
      } else if (std::isinf(d)) {
        json_ += "null";
        Leaf(key, d > 0 ? "infinity" : "-infinity");
      } else {
        AppendNumber(d, json_);
      }
    } else {  // null, a symbol or a function
      json_ += "null";
    }
    return CheckSize(key);
  }

  // Calls `object.toJSON(key)` if it is a function: `*replaces` says whether it was.
  absl::Status CallToJson(v8::Local<v8::Object> object, const Key& key, bool* replaces,
                          v8::Local<v8::Value>* replaced) {
    v8::Local<v8::Context> context = scope_.context();
    v8::Local<v8::Value> to_json;
    if (!object->Get(context, scope_.Str("toJSON")).ToLocal(&to_json)) {
      return absl::AbortedError("toJSON lookup threw");
    }
    *replaces = to_json->IsFunction();
    if (!*replaces) return absl::OkStatus();
    v8::Local<v8::Value> argv[] = {KeyName(key)};
    if (!to_json.As<v8::Function>()->Call(context, object, 1, argv).ToLocal(replaced)) {
      return absl::AbortedError("toJSON threw");
    }
    return absl::OkStatus();
  }

  absl::Status EncodeArray(v8::Local<v8::Object> array) {
    v8::Local<v8::Context> context = scope_.context();
    uint32_t length = 0;
    if (array->IsArray()) {
      length = array.As<v8::Array>()->Length();
    } else if (array->IsTypedArray()) {
      length = static_cast<uint32_t>(array.As<v8::TypedArray>()->Length());
    }
    json_.push_back('[');
    for (uint32_t i = 0; i < length; ++i) {
      v8::HandleScope handles(scope_.isolate());
      if (i > 0) json_.push_back(',');
      v8::Local<v8::Value> element;
      if (!array->Get(context, i).ToLocal(&element)) return absl::AbortedError("getter threw");
      Key key;
      key.kind = Key::Kind::kIndex;
      key.index = i;
      RETURN_IF_ERROR(Encode(element, key, true));
    }
    json_.push_back(']');
    return absl::OkStatus();
  }

  absl::Status EncodeObject(v8::Local<v8::Object> object) {
    v8::Local<v8::Context> context = scope_.context();
    v8::Local<v8::Array> keys;
    if (!object
             ->GetOwnPropertyNames(
                 context, static_cast<v8::PropertyFilter>(v8::ONLY_ENUMERABLE | v8::SKIP_SYMBOLS),
                 v8::KeyConversionMode::kConvertToString)
             .ToLocal(&keys)) {
      return absl::AbortedError("ownKeys threw");
    }
    json_.push_back('{');
    bool first = true;
    for (uint32_t i = 0; i < keys->Length(); ++i) {
      v8::HandleScope handles(scope_.isolate());
      v8::Local<v8::Value> name;
      v8::Local<v8::Value> value;
      if (!keys->Get(context, i).ToLocal(&name) || !object->Get(context, name).ToLocal(&value)) {
        return absl::AbortedError("getter threw");
      }
      if (value->IsFunction() || value->IsSymbol()) continue;  // dropped, as JSON does
      v8::Local<v8::String> name_string;
      if (!name->ToString(context).ToLocal(&name_string)) return absl::AbortedError("key threw");
      if (!first) json_.push_back(',');
      first = false;
      RETURN_IF_ERROR(EncodeMember(name_string, value));
    }
    json_.push_back('}');
    return absl::OkStatus();
  }

  // A Map as an object with stringified keys, in the Map's order. Keys that stringify
  // alike (1 and "1") make one member, at the first one's place with the last one's
  // value (as Object.fromEntries). Linear: one pass to find the distinct keys (hashed
  // by V8's string hash), one to write them.
  absl::Status EncodeMap(v8::Local<v8::Map> map) {
    v8::Local<v8::Context> context = scope_.context();
    v8::Local<v8::Array> pairs = map->AsArray();
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
    json_.push_back('{');
    bool first = true;
    for (uint32_t i = 0; i < count; ++i) {
      if (last[i] == UINT32_MAX) continue;
      v8::HandleScope handles(scope_.isolate());
      v8::Local<v8::Value> value;
      if (!pairs->Get(context, 2 * last[i] + 1).ToLocal(&value)) {
        return absl::AbortedError("map read threw");
      }
      if (!first) json_.push_back(',');
      first = false;
      RETURN_IF_ERROR(EncodeMember(names[i], value));
    }
    json_.push_back('}');
    return absl::OkStatus();
  }

  absl::Status EncodeMember(v8::Local<v8::String> name, v8::Local<v8::Value> value) {
    Key key;
    key.kind = Key::Kind::kSpan;
    key.pos = json_.size();
    key.name = name;
    RETURN_IF_ERROR(AppendString(name, frames_.back().key));
    key.len = json_.size() - key.pos;
    json_.push_back(':');
    return Encode(value, key, true);
  }

  absl::Status EncodeBytes(v8::Local<v8::Value> v, const Key& key) {
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
    Leaf(key, "bytes");
    // Each byte takes at least two characters ("0,"): refuse before writing.
    if (Size() + 2 * length > limits_.max_bytes + 1) return SizeError(key);
    const auto* data = static_cast<const uint8_t*>(store->Data());
    json_.push_back('[');
    for (size_t i = 0; i < length && data != nullptr; ++i) {
      if (i > 0) json_.push_back(',');
      absl::StrAppend(&json_, data[offset + i]);
    }
    json_.push_back(']');
    return CheckSize(key);
  }

  // A JSON string; `key` (where the string goes) only names the place in errors.
  absl::Status AppendString(v8::Local<v8::String> s, const Key& key) {
    // UTF-8 takes at least one byte per UTF-16 unit: refuse before copying.
    size_t units = static_cast<size_t>(s->Length());
    if (Size() + units + 2 > limits_.max_bytes) return SizeError(key);
    scratch_.resize(units * 3);
    int written =
        s->WriteUtf8(scope_.isolate(), scratch_.data(), static_cast<int>(scratch_.size()), nullptr,
                     v8::String::NO_NULL_TERMINATION | v8::String::REPLACE_INVALID_UTF8);
    json_.push_back('"');
    AppendEscaped(absl::string_view(scratch_.data(), written), json_);
    json_.push_back('"');
    if (scratch_.size() > (64 << 10)) std::string().swap(scratch_);
    return CheckSize(key);
  }

  // ---- the types tree ----

  // `key:` for a member of `parent` in the types tree (nothing for the root).
  void TypesMember(const Key& key, Frame* parent) {
    if (parent == nullptr) return;
    if (parent->any_child) types_.push_back(',');
    parent->any_child = true;
    if (key.kind == Key::Kind::kIndex) {
      absl::StrAppend(&types_, "\"", key.index, "\"");
    } else {
      types_.append(json_, key.pos, key.len);
    }
    types_.push_back(':');
  }

  void OpenFrames() {
    for (size_t i = opened_; i < frames_.size(); ++i) {
      Frame& frame = frames_[i];
      TypesMember(frame.key, i == 0 ? nullptr : &frames_[i - 1]);
      types_.push_back('[');
      if (frame.kind == nullptr) {
        types_ += "null";
      } else {
        absl::StrAppend(&types_, "\"", frame.kind, "\"");
      }
      types_ += ",{";
      frame.opened = true;
    }
    opened_ = frames_.size();
  }

  // The place at `key` (a child of the innermost frame, or the root) is of `kind`.
  void Leaf(const Key& key, const char* kind) {
    OpenFrames();
    TypesMember(key, frames_.empty() ? nullptr : &frames_.back());
    absl::StrAppend(&types_, "\"", kind, "\"");
  }

  absl::Status PopFrame() {
    Frame frame = frames_.back();
    frames_.pop_back();
    if (frame.opened) {
      types_ += "}]";
      opened_ = frames_.size();
    } else if (frame.kind != nullptr) {
      Leaf(frame.key, frame.kind);
    }
    return CheckSize(frame.key);
  }

  // ---- sizes, depth and paths ----

  // Past the depth limit: a cycle (named at the first place an object repeats one of
  // its ancestors) or a value that is simply too deep.
  absl::Status DepthError(v8::Local<v8::Object> object, const Key& key) {
    for (size_t j = 1; j <= frames_.size(); ++j) {
      v8::Local<v8::Object> candidate = j < frames_.size() ? frames_[j].object : object;
      for (size_t i = 0; i < j; ++i) {
        if (frames_[i].object != candidate) continue;
        std::string path;
        for (size_t f = 0; f < j && f < frames_.size(); ++f) AppendSegment(frames_[f].key, path);
        AppendSegment(j < frames_.size() ? frames_[j].key : key, path);
        return absl::InvalidArgumentError(
            absl::StrCat("result contains a cycle at \"", path, "\""));
      }
    }
    return absl::OutOfRangeError(absl::StrCat("result is nested deeper than ", limits_.max_depth,
                                              " levels at \"", Path(key), "\""));
  }

  size_t Size() const { return json_.size() + types_.size(); }

  absl::Status CheckSize(const Key& key) const {
    if (Size() <= limits_.max_bytes) return absl::OkStatus();
    return SizeError(key);
  }

  absl::Status SizeError(const Key& key) const {
    return absl::OutOfRangeError(absl::StrCat("result is larger than ", limits_.max_bytes,
                                              " bytes (at \"", Path(key), "\")"));
  }

  void AppendSegment(const Key& key, std::string& path) const {
    if (key.kind == Key::Kind::kRoot) return;
    path.push_back('/');
    if (key.kind == Key::Kind::kIndex) {
      absl::StrAppend(&path, key.index);
      return;
    }
    // The key as written in the JSON text, without its quotes, cut to 256 bytes.
    absl::string_view text(json_.data() + key.pos + 1, key.len >= 2 ? key.len - 2 : 0);
    for (char c : text.substr(0, 256)) {
      if (c == '~') {
        path += "~0";
      } else if (c == '/') {
        path += "~1";
      } else {
        path.push_back(c);
      }
    }
  }

  // The JSON Pointer of the place at `key` below the open frames.
  std::string Path(const Key& key) const {
    std::string path;
    for (const Frame& frame : frames_) AppendSegment(frame.key, path);
    AppendSegment(key, path);
    return path;
  }

  v8::Local<v8::Value> KeyName(const Key& key) const {
    if (key.kind == Key::Kind::kSpan && !key.name.IsEmpty()) return key.name;
    if (key.kind == Key::Kind::kIndex) return scope_.Str(absl::StrCat(key.index));
    return scope_.Str("");
  }

  JsScope& scope_;
  const ConversionLimits& limits_;
  std::string& json_;
  std::string& types_;
  std::vector<Frame> frames_;
  size_t opened_ = 0;
  uint32_t steps_ = 0;
  std::string scratch_;
};

}  // namespace

absl::StatusOr<ConvertedJson> ToJsonValue(JsScope& scope, v8::Local<v8::Value> value,
                                          const ConversionLimits& limits) {
  ConvertedJson out;
  out.undefined = value->IsUndefined();
  RETURN_IF_ERROR(JsonEncoder(scope, limits, &out.value).Run(value));
  return out;
}

}  // namespace jscore::engine::internal
