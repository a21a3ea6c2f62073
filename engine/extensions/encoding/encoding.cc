#include "engine/extensions/encoding/encoding.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "absl/strings/ascii.h"
#include "engine/extensions/web/dom_exception.h"
#include "engine/extensions/web/web_support.h"
#include "engine/internal/stop_flag.h"

namespace jscore::engine::extensions::encoding {
namespace {

using internal::JsScope;
using web::Slot;

constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// 0-63 for the alphabet, -1 for anything else.
int Base64Value(char16_t c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool IsAsciiWhitespace(char16_t c) {
  return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

bool RequireArgs(JsScope& scope, const v8::FunctionCallbackInfo<v8::Value>& info, const char* what,
                 int count) {
  if (info.Length() >= count) return true;
  web::ThrowTypeError(scope, std::string("Failed to execute '") + what +
                                 "': " + std::to_string(count) + " argument" +
                                 (count > 1 ? "s" : "") + " required, but only " +
                                 std::to_string(info.Length()) + " present.");
  return false;
}

// atob(data): the HTML standard's forgiving-base64 decode; each byte becomes one
// code unit of the result.
void Atob(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  if (!RequireArgs(scope, info, "atob", 1)) return;
  v8::Local<v8::String> input;
  if (!info[0]->ToString(scope.context()).ToLocal(&input)) return;
  std::u16string data = web::Utf16(scope, input);
  std::u16string clean;
  clean.reserve(data.size());
  for (char16_t c : data) {
    if (!IsAsciiWhitespace(c)) clean.push_back(c);
  }
  if (clean.size() % 4 == 0 && !clean.empty() && clean.back() == '=') {
    clean.pop_back();
    if (clean.back() == '=') clean.pop_back();
  }
  if (clean.size() % 4 == 1) {
    return web::ThrowDomException(scope, "The string to be decoded is not correctly encoded.",
                                  "InvalidCharacterError");
  }
  std::string out;
  out.reserve(clean.size() / 4 * 3 + 3);
  uint32_t buffer = 0;
  int bits = 0;
  size_t seen = 0;
  for (char16_t c : clean) {
    if ((++seen & 0xFFFF) == 0 && internal::StopRequested(isolate)) return;  // deadline
    int v = Base64Value(c);
    if (v < 0) {
      return web::ThrowDomException(scope, "The string to be decoded is not correctly encoded.",
                                    "InvalidCharacterError");
    }
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  v8::Local<v8::String> result;
  if (!v8::String::NewFromOneByte(isolate, reinterpret_cast<const uint8_t*>(out.data()),
                                  v8::NewStringType::kNormal, static_cast<int>(out.size()))
           .ToLocal(&result)) {
    return web::ThrowRangeError(scope, "Invalid string length");
  }
  info.GetReturnValue().Set(result);
}

// btoa(data): base64 of the string's code units, which must all be Latin-1.
void Btoa(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  if (!RequireArgs(scope, info, "btoa", 1)) return;
  v8::Local<v8::String> input;
  if (!info[0]->ToString(scope.context()).ToLocal(&input)) return;
  std::u16string data = web::Utf16(scope, input);
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  for (size_t i = 0; i < data.size(); i += 3) {
    if ((i & 0xFFFF) == 0 && internal::StopRequested(isolate)) return;  // deadline
    uint32_t chunk = 0;
    size_t n = std::min<size_t>(3, data.size() - i);
    for (size_t k = 0; k < 3; ++k) {
      char16_t c = k < n ? data[i + k] : 0;
      if (c > 0xFF) {
        return web::ThrowDomException(
            scope, "The string to be encoded contains characters outside of the Latin1 range.",
            "InvalidCharacterError");
      }
      chunk = (chunk << 8) | c;
    }
    out.push_back(kBase64Alphabet[(chunk >> 18) & 63]);
    out.push_back(kBase64Alphabet[(chunk >> 12) & 63]);
    out.push_back(n > 1 ? kBase64Alphabet[(chunk >> 6) & 63] : '=');
    out.push_back(n > 2 ? kBase64Alphabet[chunk & 63] : '=');
  }
  v8::Local<v8::String> result;
  if (!web::NewStringUtf8(scope, out).ToLocal(&result)) return;
  info.GetReturnValue().Set(result);
}

void LazyFunction(v8::Local<v8::Name> /*name*/, const v8::PropertyCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  bool decode = info.Data()->IsTrue();
  v8::Local<v8::Function> fn;
  if (web::NewFunction(scope, decode ? "atob" : "btoa", decode ? Atob : Btoa, 1).ToLocal(&fn)) {
    info.GetReturnValue().Set(fn);
  }
}

// ---- TextEncoder ----

constexpr char kEncoderKey[] = "jscore.TextEncoder";

void EncoderConstruct(const v8::FunctionCallbackInfo<v8::Value>& info) {
  if (!web::RequireNew(info, "TextEncoder")) return;
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Array> state;
  (void)web::NewState(scope, info.This(), kEncoderKey, 0, &state);
}

void EncodingGetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Array> state;
  if (!web::GetState(scope, info.This(), kEncoderKey, &state, web::OnMismatch::kQuiet) &&
      !web::GetState(scope, info.This(), "jscore.TextDecoder", &state)) {
    return;
  }
  info.GetReturnValue().Set(scope.Str("utf-8"));
}

// The USVString conversion of an optional argument (undefined → "").
bool InputString(JsScope& scope, v8::Local<v8::Value> value, v8::Local<v8::String>* out) {
  if (value->IsUndefined()) {
    *out = v8::String::Empty(scope.isolate());
    return true;
  }
  return value->ToString(scope.context()).ToLocal(out);
}

void Encode(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Array> state;
  if (!web::GetState(scope, info.This(), kEncoderKey, &state)) return;
  v8::Local<v8::String> input;
  if (!InputString(scope, web::Arg(info, 0), &input)) return;
  size_t length = static_cast<size_t>(input->Utf8Length(isolate));
  uint8_t* bytes = nullptr;
  v8::Local<v8::Uint8Array> array;
  if (!web::NewUint8Array(scope, length, &bytes).ToLocal(&array)) return;
  if (length > 0) {
    input->WriteUtf8(isolate, reinterpret_cast<char*>(bytes), static_cast<int>(length), nullptr,
                     v8::String::NO_NULL_TERMINATION | v8::String::REPLACE_INVALID_UTF8);
  }
  info.GetReturnValue().Set(array);
}

// encodeInto(source, destination): writes whole code points while they fit.
void EncodeInto(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Array> state;
  if (!web::GetState(scope, info.This(), kEncoderKey, &state)) return;
  if (!RequireArgs(scope, info, "encodeInto", 2)) return;
  v8::Local<v8::String> input;
  if (!info[0]->ToString(scope.context()).ToLocal(&input)) return;
  if (!info[1]->IsUint8Array()) {
    return web::ThrowTypeError(scope, "The \"dest\" argument must be an instance of Uint8Array.");
  }
  v8::Local<v8::Uint8Array> dest = info[1].As<v8::Uint8Array>();
  std::shared_ptr<v8::BackingStore> store = dest->Buffer()->GetBackingStore();
  uint8_t* out = static_cast<uint8_t*>(store->Data()) + dest->ByteOffset();
  size_t capacity = dest->ByteLength();
  std::u16string units = web::Utf16(scope, input);
  size_t read = 0, written = 0;
  while (read < units.size()) {
    uint32_t cp = units[read];
    size_t width = 1;
    if (cp >= 0xD800 && cp <= 0xDBFF && read + 1 < units.size() && units[read + 1] >= 0xDC00 &&
        units[read + 1] <= 0xDFFF) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (units[read + 1] - 0xDC00);
      width = 2;
    } else if (cp >= 0xD800 && cp <= 0xDFFF) {
      cp = 0xFFFD;
    }
    size_t need = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (written + need > capacity) break;
    if (need == 1) {
      out[written] = static_cast<uint8_t>(cp);
    } else if (need == 2) {
      out[written] = static_cast<uint8_t>(0xC0 | (cp >> 6));
      out[written + 1] = static_cast<uint8_t>(0x80 | (cp & 0x3F));
    } else if (need == 3) {
      out[written] = static_cast<uint8_t>(0xE0 | (cp >> 12));
      out[written + 1] = static_cast<uint8_t>(0x80 | ((cp >> 6) & 0x3F));
      out[written + 2] = static_cast<uint8_t>(0x80 | (cp & 0x3F));
    } else {
      out[written] = static_cast<uint8_t>(0xF0 | (cp >> 18));
      out[written + 1] = static_cast<uint8_t>(0x80 | ((cp >> 12) & 0x3F));
      out[written + 2] = static_cast<uint8_t>(0x80 | ((cp >> 6) & 0x3F));
      out[written + 3] = static_cast<uint8_t>(0x80 | (cp & 0x3F));
    }
    written += need;
    read += width;
  }
  v8::Local<v8::Object> result = v8::Object::New(isolate);
  v8::Local<v8::Context> context = scope.context();
  if (result->CreateDataProperty(context, scope.Str("read"), v8::Number::New(isolate, read))
          .IsNothing() ||
      result->CreateDataProperty(context, scope.Str("written"), v8::Number::New(isolate, written))
          .IsNothing()) {
    return;
  }
  info.GetReturnValue().Set(result);
}

v8::MaybeLocal<v8::Value> BuildTextEncoder(JsScope& scope, v8::Local<v8::Array> realm) {
  static constexpr web::Method kMethods[] = {{"encode", Encode, 0}, {"encodeInto", EncodeInto, 2}};
  static constexpr web::Accessor kAccessors[] = {{"encoding", EncodingGetter, nullptr}};
  web::ClassSpec spec;
  spec.name = "TextEncoder";
  spec.constructor = EncoderConstruct;
  spec.methods = kMethods;
  spec.accessors = kAccessors;
  v8::Local<v8::Function> ctor;
  if (!web::BuildClass(scope, spec, realm).ToLocal(&ctor)) return {};
  return ctor;
}

// ---- TextDecoder ----

constexpr char kDecoderKey[] = "jscore.TextDecoder";
enum DecoderSlot { kFatal, kIgnoreBom, kPending, kBomSeen, kDecoderSlots };

// The Encoding standard's UTF-8 decoder over `bytes`, appending UTF-16 to `out`.
// When `stream`, an incomplete sequence at the end is left in `*pending` (its
// bytes); otherwise it is an error. Returns false on the first error when `fatal`.
bool DecodeUtf8(const uint8_t* bytes, size_t size, bool stream, bool fatal, std::u16string* out,
                std::string* pending) {
  uint32_t code_point = 0;
  int needed = 0, seen = 0;
  uint8_t lower = 0x80, upper = 0xBF;
  size_t sequence_start = 0;
  auto emit = [out](uint32_t cp) {
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out->push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out->push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out->push_back(static_cast<char16_t>(cp));
    }
  };
  for (size_t i = 0; i < size; ++i) {
    uint8_t b = bytes[i];
    if (needed == 0) {
      sequence_start = i;
      if (b < 0x80) {
        out->push_back(b);
      } else if (b >= 0xC2 && b <= 0xDF) {
        needed = 1;
        code_point = b & 0x1F;
      } else if (b >= 0xE0 && b <= 0xEF) {
        if (b == 0xE0) lower = 0xA0;
        if (b == 0xED) upper = 0x9F;
        needed = 2;
        code_point = b & 0xF;
      } else if (b >= 0xF0 && b <= 0xF4) {
        if (b == 0xF0) lower = 0x90;
        if (b == 0xF4) upper = 0x8F;
        needed = 3;
        code_point = b & 0x7;
      } else {
        if (fatal) return false;
        out->push_back(0xFFFD);
      }
      continue;
    }
    if (b < lower || b > upper) {
      code_point = 0;
      needed = seen = 0;
      lower = 0x80;
      upper = 0xBF;
      if (fatal) return false;
      out->push_back(0xFFFD);
      --i;  // the byte starts over
      continue;
    }
    lower = 0x80;
    upper = 0xBF;
    code_point = (code_point << 6) | (b & 0x3F);
    if (++seen == needed) {
      emit(code_point);
      code_point = 0;
      needed = seen = 0;
    }
  }
  if (needed != 0) {
    if (stream) {
      pending->assign(reinterpret_cast<const char*>(bytes) + sequence_start, size - sequence_start);
    } else {
      if (fatal) return false;
      out->push_back(0xFFFD);
    }
  }
  return true;
}

bool BoolAt(JsScope& scope, v8::Local<v8::Array> state, int slot) {
  return web::At(scope, state, slot)->IsTrue();
}

void DecoderConstruct(const v8::FunctionCallbackInfo<v8::Value>& info) {
  if (!web::RequireNew(info, "TextDecoder")) return;
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  std::string label = "utf-8";
  if (info.Length() > 0 && !info[0]->IsUndefined()) {
    v8::Local<v8::String> s;
    if (!info[0]->ToString(scope.context()).ToLocal(&s)) return;
    label = scope.Utf8(s);
  }
  // WebIDL converts the options before the constructor's steps run.
  v8::Local<v8::Value> fatal, ignore_bom;
  if (!web::GetOption(scope, web::Arg(info, 1), "fatal", &fatal) ||
      !web::GetOption(scope, web::Arg(info, 1), "ignoreBOM", &ignore_bom)) {
    return;
  }
  // "get an encoding": strip leading and trailing ASCII whitespace (TAB, LF, FF, CR,
  // SPACE; not VT, which absl's set includes), then match case-insensitively.
  constexpr std::string_view kAsciiWhitespace = "\t\n\f\r ";
  std::string_view trimmed = label;
  size_t first = trimmed.find_first_not_of(kAsciiWhitespace);
  trimmed = first == std::string_view::npos ? std::string_view() : trimmed.substr(first);
  trimmed = trimmed.substr(0, trimmed.find_last_not_of(kAsciiWhitespace) + 1);
  std::string normalized = absl::AsciiStrToLower(std::string(trimmed));
  if (normalized != "utf-8" && normalized != "utf8" && normalized != "unicode-1-1-utf-8" &&
      normalized != "unicode11utf8" && normalized != "unicode20utf8" &&
      normalized != "x-unicode20utf8") {
    return web::ThrowRangeError(scope, "The \"" + label + "\" encoding is not supported");
  }
  v8::Local<v8::Array> state;
  if (!web::NewState(scope, info.This(), kDecoderKey, kDecoderSlots, &state) ||
      !web::Put(scope, state, kFatal, v8::Boolean::New(isolate, fatal->BooleanValue(isolate))) ||
      !web::Put(scope, state, kIgnoreBom,
                v8::Boolean::New(isolate, ignore_bom->BooleanValue(isolate))) ||
      !web::Put(scope, state, kPending, v8::String::Empty(isolate)) ||
      !web::Put(scope, state, kBomSeen, v8::False(isolate))) {
    return;
  }
}

void DecoderFlag(const v8::FunctionCallbackInfo<v8::Value>& info, int slot) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Array> state;
  if (!web::GetState(scope, info.This(), kDecoderKey, &state)) return;
  info.GetReturnValue().Set(BoolAt(scope, state, slot));
}
void FatalGetter(const v8::FunctionCallbackInfo<v8::Value>& info) { DecoderFlag(info, kFatal); }
void IgnoreBomGetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  DecoderFlag(info, kIgnoreBom);
}

void Decode(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Array> state;
  if (!web::GetState(scope, info.This(), kDecoderKey, &state)) return;
  v8::Local<v8::Value> input = web::Arg(info, 0);
  const uint8_t* data = nullptr;
  size_t size = 0;
  std::shared_ptr<v8::BackingStore> store;  // keeps the bytes alive while decoding
  if (input->IsArrayBufferView()) {
    v8::Local<v8::ArrayBufferView> view = input.As<v8::ArrayBufferView>();
    store = view->Buffer()->GetBackingStore();
    data = static_cast<const uint8_t*>(store->Data()) + view->ByteOffset();
    size = view->ByteLength();
  } else if (input->IsArrayBuffer()) {
    store = input.As<v8::ArrayBuffer>()->GetBackingStore();
    data = static_cast<const uint8_t*>(store->Data());
    size = store->ByteLength();
  } else if (input->IsSharedArrayBuffer()) {
    store = input.As<v8::SharedArrayBuffer>()->GetBackingStore();
    data = static_cast<const uint8_t*>(store->Data());
    size = store->ByteLength();
  } else if (!input->IsUndefined()) {
    return web::ThrowTypeError(
        scope, "The \"input\" argument must be an instance of ArrayBuffer or ArrayBufferView.");
  }
  v8::Local<v8::Value> stream_value;
  if (!web::GetOption(scope, web::Arg(info, 1), "stream", &stream_value)) return;
  bool stream = stream_value->BooleanValue(isolate);
  bool fatal = BoolAt(scope, state, kFatal);

  std::string bytes;
  v8::Local<v8::Value> pending_value = web::At(scope, state, kPending);
  if (pending_value->IsString() && pending_value.As<v8::String>()->Length() > 0) {
    v8::Local<v8::String> p = pending_value.As<v8::String>();
    bytes.resize(p->Length());
    p->WriteOneByte(isolate, reinterpret_cast<uint8_t*>(bytes.data()), 0, p->Length(),
                    v8::String::NO_NULL_TERMINATION);
  }
  if (!bytes.empty()) {
    bytes.append(reinterpret_cast<const char*>(data), size);
    data = reinterpret_cast<const uint8_t*>(bytes.data());
    size = bytes.size();
  }
  std::u16string out;
  out.reserve(size);
  std::string pending;
  bool ok = DecodeUtf8(data, size, stream, fatal, &out, &pending);
  bool bom_seen = BoolAt(scope, state, kBomSeen);
  if (ok && !BoolAt(scope, state, kIgnoreBom) && !bom_seen && !out.empty()) {
    if (out[0] == 0xFEFF) out.erase(0, 1);
    bom_seen = true;
  }
  if (!ok || !stream) {
    pending.clear();
    bom_seen = false;
  }
  v8::Local<v8::String> pending_string;
  if (!v8::String::NewFromOneByte(isolate, reinterpret_cast<const uint8_t*>(pending.data()),
                                  v8::NewStringType::kNormal, static_cast<int>(pending.size()))
           .ToLocal(&pending_string) ||
      !web::Put(scope, state, kPending, pending_string) ||
      !web::Put(scope, state, kBomSeen, v8::Boolean::New(isolate, bom_seen))) {
    return;
  }
  if (!ok) {
    return web::ThrowTypeError(scope, "The encoded data was not valid for encoding utf-8");
  }
  v8::Local<v8::String> result;
  if (!web::NewString(scope, out).ToLocal(&result)) return;
  info.GetReturnValue().Set(result);
}

v8::MaybeLocal<v8::Value> BuildTextDecoder(JsScope& scope, v8::Local<v8::Array> realm) {
  static constexpr web::Method kMethods[] = {{"decode", Decode, 0}};
  static constexpr web::Accessor kAccessors[] = {{"encoding", EncodingGetter, nullptr},
                                                 {"fatal", FatalGetter, nullptr},
                                                 {"ignoreBOM", IgnoreBomGetter, nullptr}};
  web::ClassSpec spec;
  spec.name = "TextDecoder";
  spec.constructor = DecoderConstruct;
  spec.methods = kMethods;
  spec.accessors = kAccessors;
  v8::Local<v8::Function> ctor;
  if (!web::BuildClass(scope, spec, realm).ToLocal(&ctor)) return {};
  return ctor;
}

}  // namespace

void InstallEncoding(JsScope& scope) {
  v8::Isolate* isolate = scope.isolate();
  (void)web::DefineLazyGlobal(scope, "atob", LazyFunction, v8::True(isolate));
  (void)web::DefineLazyGlobal(scope, "btoa", LazyFunction, v8::False(isolate));
  (void)web::DefineLazyGlobal<Slot::kTextEncoder, BuildTextEncoder>(scope, "TextEncoder");
  (void)web::DefineLazyGlobal<Slot::kTextDecoder, BuildTextDecoder>(scope, "TextDecoder");
}

}  // namespace jscore::engine::extensions::encoding
