#include "engine/extensions/crypto/crypto_bytes.h"

#include <cstring>

namespace jscore::engine::extensions::crypto {

using internal::JsScope;

bool BufferSourceBytes(v8::Local<v8::Value> value, std::string* out) {
  if (value->IsArrayBuffer()) {
    v8::Local<v8::ArrayBuffer> buffer = value.As<v8::ArrayBuffer>();
    out->assign(static_cast<const char*>(buffer->Data()), buffer->ByteLength());
    return true;
  }
  if (value->IsArrayBufferView()) {
    v8::Local<v8::ArrayBufferView> view = value.As<v8::ArrayBufferView>();
    out->resize(view->ByteLength());
    out->resize(view->CopyContents(out->data(), out->size()));
    return true;
  }
  if (value->IsSharedArrayBuffer()) {
    v8::Local<v8::SharedArrayBuffer> buffer = value.As<v8::SharedArrayBuffer>();
    out->assign(static_cast<const char*>(buffer->Data()), buffer->ByteLength());
    return true;
  }
  return false;
}

bool InputBytes(JsScope& scope, v8::Local<v8::Value> value, std::string* out, StringBytes strings) {
  if (value->IsString()) {
    v8::Local<v8::String> s = value.As<v8::String>();
    if (strings == StringBytes::kUtf8) {
      *out = scope.Utf8(s);
      return true;
    }
    int length = s->Length();
    std::u16string units(length, u'\0');
    s->Write(scope.isolate(), reinterpret_cast<uint16_t*>(units.data()), 0, length,
             v8::String::NO_NULL_TERMINATION);
    out->resize(length);
    for (int i = 0; i < length; ++i) (*out)[i] = static_cast<char>(units[i] & 0xff);
    return true;
  }
  return BufferSourceBytes(value, out);
}

v8::MaybeLocal<v8::ArrayBuffer> NewArrayBuffer(JsScope& scope, std::string_view bytes) {
  v8::Isolate* isolate = scope.isolate();
  if (bytes.empty()) return v8::ArrayBuffer::New(isolate, 0);
  v8::ArrayBuffer::Allocator* allocator = isolate->GetArrayBufferAllocator();
  void* data = allocator->AllocateUninitialized(bytes.size());
  if (data == nullptr) {
    isolate->ThrowException(v8::Exception::RangeError(scope.Str("Array buffer allocation failed")));
    return {};
  }
  std::memcpy(data, bytes.data(), bytes.size());
  std::unique_ptr<v8::BackingStore> store = v8::ArrayBuffer::NewBackingStore(
      data, bytes.size(),
      [](void* data, size_t length, void* deleter_data) {
        static_cast<v8::ArrayBuffer::Allocator*>(deleter_data)->Free(data, length);
      },
      allocator);
  return v8::ArrayBuffer::New(isolate, std::move(store));
}

v8::MaybeLocal<v8::Uint8Array> NewUint8Array(JsScope& scope, std::string_view bytes) {
  v8::Local<v8::ArrayBuffer> buffer;
  if (!NewArrayBuffer(scope, bytes).ToLocal(&buffer)) return {};
  return v8::Uint8Array::New(buffer, 0, bytes.size());
}

v8::Local<v8::String> Latin1String(JsScope& scope, std::string_view bytes) {
  v8::Local<v8::String> out;
  if (!v8::String::NewFromOneByte(scope.isolate(), reinterpret_cast<const uint8_t*>(bytes.data()),
                                  v8::NewStringType::kNormal, static_cast<int>(bytes.size()))
           .ToLocal(&out)) {
    return v8::String::Empty(scope.isolate());
  }
  return out;
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

}  // namespace

std::string HexDecode(std::string_view hex) {
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    int hi = HexValue(hex[i]);
    int lo = HexValue(hex[i + 1]);
    if (hi < 0 || lo < 0) break;
    out.push_back(static_cast<char>(hi << 4 | lo));
  }
  return out;
}

std::string Base64Encode(std::string_view bytes, bool url) {
  const char* alphabet = url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                             : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  auto byte = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(bytes[k])); };
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    out.push_back(alphabet[n >> 18 & 63]);
    out.push_back(alphabet[n >> 12 & 63]);
    out.push_back(alphabet[n >> 6 & 63]);
    out.push_back(alphabet[n & 63]);
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t n = byte(i) << 16 | (rest == 2 ? byte(i + 1) << 8 : 0);
    out.push_back(alphabet[n >> 18 & 63]);
    out.push_back(alphabet[n >> 12 & 63]);
    if (rest == 2) out.push_back(alphabet[n >> 6 & 63]);
    if (!url) out.append(rest == 2 ? "=" : "==");
  }
  return out;
}

bool Base64Decode(std::string_view text, std::string* out) {
  out->clear();
  uint32_t accumulator = 0;
  int bits = 0;
  size_t digits = 0;
  bool padding = false;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f') continue;
    if (c == '=') {
      padding = true;
      continue;
    }
    int v = Base64Value(c);
    if (v < 0 || padding) return false;
    accumulator = accumulator << 6 | static_cast<uint32_t>(v);
    bits += 6;
    ++digits;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>(accumulator >> bits & 0xff));
    }
  }
  return digits % 4 != 1;
}

}  // namespace jscore::engine::extensions::crypto
