#include "engine/extensions/crypto/crypto_utils.h"

#include <cctype>
#include <string>

#include "engine/extensions/crypto/crypto_bytes.h"
#include "engine/extensions/crypto/crypto_common.h"
#include "engine/extensions/crypto/crypto_openssl.h"

namespace jscore::engine::extensions::crypto {
namespace {

using internal::JsScope;
using openssl::Bytes;

void ThrowType(JsScope& scope, const std::string& message) {
  scope.isolate()->ThrowException(v8::Exception::TypeError(scope.Str(message)));
}

// Bytes of an argument: strings as UTF-8 (or `encoding`), BufferSources as they are,
// anything else by its string form. False when JS threw.
bool ArgumentBytes(JsScope& scope, v8::Local<v8::Value> value, Bytes* out,
                   const std::string& encoding = "utf8") {
  if (!value->IsString() && InputBytes(scope, value, out)) return true;
  v8::Local<v8::String> text;
  if (!value->ToString(scope.context()).ToLocal(&text)) return false;
  if (encoding == "hex") {
    *out = HexDecode(scope.Utf8(text));
  } else if (encoding == "base64" || encoding == "base64url") {
    if (!Base64Decode(scope.Utf8(text), out)) out->clear();
  } else if (encoding == "latin1" || encoding == "binary" || encoding == "ascii") {
    return InputBytes(scope, text, out, StringBytes::kLatin1);
  } else {
    *out = scope.Utf8(text);
  }
  return true;
}

// md5(x), sha1(x)...: info.Data() is the digest name.
void HexDigest(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  if (info.Length() < 1) return ThrowType(scope, "a string or bytes to hash is required");
  Bytes data, digest;
  if (!ArgumentBytes(scope, info[0], &data)) return;
  const EVP_MD* md = openssl::DigestByName(scope.Utf8(info.Data().As<v8::String>()));
  if (md == nullptr || !openssl::Digest(md, data, &digest))
    return ThrowType(scope, "digest failed");
  info.GetReturnValue().Set(scope.Str(HexEncode(digest)));
}

// hmacSha256(key, data)...: info.Data() is the digest name.
void HexHmac(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  if (info.Length() < 2) return ThrowType(scope, "a key and a message are required");
  Bytes key, data, mac;
  if (!ArgumentBytes(scope, info[0], &key) || !ArgumentBytes(scope, info[1], &data)) return;
  const EVP_MD* md = openssl::DigestByName(scope.Utf8(info.Data().As<v8::String>()));
  if (md == nullptr || !openssl::Hmac(md, key, data, &mac)) return ThrowType(scope, "hmac failed");
  info.GetReturnValue().Set(scope.Str(HexEncode(mac)));
}

// The decoded bytes as UTF-8 text (invalid sequences become U+FFFD).
void SetUtf8(const v8::FunctionCallbackInfo<v8::Value>& info, JsScope& scope, const Bytes& bytes) {
  info.GetReturnValue().Set(scope.Str(bytes));
}

void Base64EncodeFn(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  Bytes data;
  if (info.Length() < 1 || !ArgumentBytes(scope, info[0], &data)) return;
  info.GetReturnValue().Set(scope.Str(Base64Encode(data)));
}

void Base64DecodeFn(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::String> text;
  if (info.Length() < 1 || !info[0]->ToString(scope.context()).ToLocal(&text)) return;
  Bytes bytes;
  if (!Base64Decode(scope.Utf8(text), &bytes)) return ThrowType(scope, "invalid base64 input");
  SetUtf8(info, scope, bytes);
}

void HexEncodeFn(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  Bytes data;
  if (info.Length() < 1 || !ArgumentBytes(scope, info[0], &data)) return;
  info.GetReturnValue().Set(scope.Str(HexEncode(data)));
}

void HexDecodeFn(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::String> text;
  if (info.Length() < 1 || !info[0]->ToString(scope.context()).ToLocal(&text)) return;
  SetUtf8(info, scope, HexDecode(scope.Utf8(text)));
}

// encodeURIComponent: everything but A-Z a-z 0-9 - _ . ! ~ * ' ( ) as %XX of UTF-8.
void UrlEncodeFn(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::String> text;
  if (info.Length() < 1 || !info[0]->ToString(scope.context()).ToLocal(&text)) return;
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : scope.Utf8(text)) {
    if (std::isalnum(c) ||
        std::string_view("-_.!~*'()").find(static_cast<char>(c)) != std::string_view::npos) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  info.GetReturnValue().Set(scope.Str(out));
}

void ThrowUriError(JsScope& scope) {
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::String> message = scope.Str("URI malformed");
  v8::Local<v8::String> key = scope.Str("URIError");
  bool has = false;
  v8::Local<v8::Value> constructor;
  v8::Local<v8::Object> error;
  v8::Local<v8::Value> argv[] = {message};
  if (context->Global()->HasRealNamedProperty(context, key).To(&has) && has &&
      context->Global()->GetRealNamedProperty(context, key).ToLocal(&constructor) &&
      constructor->IsFunction() &&
      constructor.As<v8::Function>()->NewInstance(context, 1, argv).ToLocal(&error)) {
    scope.isolate()->ThrowException(error);
    return;
  }
  if (!scope.isolate()->IsExecutionTerminating()) {
    scope.isolate()->ThrowException(v8::Exception::Error(message));
  }
}

// decodeURIComponent: %XX sequences must form valid UTF-8, else a URIError.
void UrlDecodeFn(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::String> text;
  if (info.Length() < 1 || !info[0]->ToString(scope.context()).ToLocal(&text)) return;
  std::string in = scope.Utf8(text);
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    Bytes byte = i + 2 < in.size() ? HexDecode(in.substr(i + 1, 2)) : Bytes();
    if (byte.size() != 1) return ThrowUriError(scope);
    out += byte;
    i += 2;
  }
  // Reject what decodeURIComponent rejects: bytes that are not UTF-8.
  v8::Local<v8::String> decoded;
  if (!v8::String::NewFromUtf8(isolate, out.data(), v8::NewStringType::kNormal,
                               static_cast<int>(out.size()))
           .ToLocal(&decoded) ||
      scope.Utf8(decoded) != out) {
    return ThrowUriError(scope);
  }
  info.GetReturnValue().Set(decoded);
}

// ---- createHash / createHmac ----

// The state hidden on a Hash/Hmac object: [algorithm, key or undefined, chunks, done].
enum HashSlot { kHashAlgorithm, kHashKey, kHashChunks, kHashDone, kHashSlots };

v8::Local<v8::Private> HashKey(v8::Isolate* isolate) {
  return v8::Private::ForApi(isolate, v8::String::NewFromUtf8Literal(isolate, "jscore:hash"));
}

bool HashState(JsScope& scope, v8::Local<v8::Value> self, v8::Local<v8::Array>* state) {
  v8::Local<v8::Value> value;
  if (!self->IsObject() ||
      !self.As<v8::Object>()
           ->GetPrivate(scope.context(), HashKey(scope.isolate()))
           .ToLocal(&value) ||
      !value->IsArray()) {
    ThrowType(scope, "Illegal invocation");
    return false;
  }
  *state = value.As<v8::Array>();
  return true;
}

bool CheckNotDone(JsScope& scope, v8::Local<v8::Array> state) {
  v8::Local<v8::Value> done;
  if (!state->Get(scope.context(), kHashDone).ToLocal(&done)) return false;
  if (done->IsTrue()) {
    scope.isolate()->ThrowException(v8::Exception::Error(scope.Str("Digest already called")));
    return false;
  }
  return true;
}

void HashUpdate(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Array> state;
  if (!HashState(scope, info.This(), &state) || !CheckNotDone(scope, state)) return;
  std::string encoding =
      info.Length() > 1 && info[1]->IsString() ? scope.Utf8(info[1].As<v8::String>()) : "utf8";
  Bytes data;
  v8::Local<v8::Value> chunks;
  v8::Local<v8::ArrayBuffer> chunk;
  if (info.Length() < 1 || !ArgumentBytes(scope, info[0], &data, encoding) ||
      !state->Get(scope.context(), kHashChunks).ToLocal(&chunks) ||
      !NewArrayBuffer(scope, data).ToLocal(&chunk)) {
    return;
  }
  v8::Local<v8::Array> list = chunks.As<v8::Array>();
  if (list->Set(scope.context(), list->Length(), chunk).IsNothing()) return;
  info.GetReturnValue().Set(info.This());
}

void HashDigest(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Array> state;
  if (!HashState(scope, info.This(), &state) || !CheckNotDone(scope, state)) return;
  v8::Local<v8::Value> algorithm, key, chunks;
  if (!state->Get(context, kHashAlgorithm).ToLocal(&algorithm) ||
      !state->Get(context, kHashKey).ToLocal(&key) ||
      !state->Get(context, kHashChunks).ToLocal(&chunks) ||
      state->Set(context, kHashDone, v8::True(isolate)).IsNothing()) {
    return;
  }
  Bytes data, piece, result, key_bytes;
  v8::Local<v8::Array> list = chunks.As<v8::Array>();
  for (uint32_t i = 0; i < list->Length(); ++i) {
    v8::Local<v8::Value> chunk;
    if (!list->Get(context, i).ToLocal(&chunk) || !BufferSourceBytes(chunk, &piece)) return;
    data += piece;
  }
  const EVP_MD* md = openssl::DigestByName(scope.Utf8(algorithm.As<v8::String>()));
  bool ok = key->IsUndefined()
                ? openssl::Digest(md, data, &result)
                : BufferSourceBytes(key, &key_bytes) && openssl::Hmac(md, key_bytes, data, &result);
  if (!ok) return ThrowType(scope, "digest failed");
  std::string encoding =
      info.Length() > 0 && info[0]->IsString() ? scope.Utf8(info[0].As<v8::String>()) : "";
  if (encoding.empty() || encoding == "buffer") {
    v8::Local<v8::Uint8Array> bytes;
    if (NewUint8Array(scope, result).ToLocal(&bytes)) info.GetReturnValue().Set(bytes);
  } else if (encoding == "hex") {
    info.GetReturnValue().Set(scope.Str(HexEncode(result)));
  } else if (encoding == "base64" || encoding == "base64url") {
    info.GetReturnValue().Set(scope.Str(Base64Encode(result, encoding == "base64url")));
  } else if (encoding == "latin1" || encoding == "binary") {
    info.GetReturnValue().Set(Latin1String(scope, result));
  } else if (encoding == "utf8" || encoding == "utf-8") {
    info.GetReturnValue().Set(scope.Str(result));
  } else {
    ThrowType(scope, "Unknown encoding: " + encoding);
  }
}

// createHash(alg) and createHmac(alg, key); info.Data() is the shared prototype.
void CreateHash(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Context> context = scope.context();
  bool hmac = info.Length() > 1;
  v8::Local<v8::String> name;
  if (info.Length() < 1 || !info[0]->ToString(context).ToLocal(&name)) {
    if (info.Length() < 1) ThrowType(scope, "The \"algorithm\" argument must be of type string");
    return;
  }
  if (openssl::DigestByName(scope.Utf8(name)) == nullptr) {
    isolate->ThrowException(
        v8::Exception::Error(scope.Str(hmac ? "Invalid digest: " + scope.Utf8(name)
                                            : std::string("Digest method not supported"))));
    return;
  }
  v8::Local<v8::Value> key = v8::Undefined(isolate);
  if (hmac) {
    Bytes key_bytes;
    v8::Local<v8::ArrayBuffer> buffer;
    if (!ArgumentBytes(scope, info[1], &key_bytes) ||
        !NewArrayBuffer(scope, key_bytes).ToLocal(&buffer))
      return;
    key = buffer;
  }
  v8::Local<v8::Value> slots[kHashSlots] = {name, key, v8::Array::New(isolate), v8::False(isolate)};
  v8::Local<v8::Object> object =
      v8::Object::New(isolate, info.Data().As<v8::Object>(), nullptr, nullptr, 0);
  if (object->SetPrivate(context, HashKey(isolate), v8::Array::New(isolate, slots, kHashSlots))
          .IsNothing()) {
    return;
  }
  info.GetReturnValue().Set(object);
}

void CreateHmac(const v8::FunctionCallbackInfo<v8::Value>& info) {
  if (info.Length() < 2) {
    v8::Isolate* isolate = info.GetIsolate();
    isolate->ThrowException(v8::Exception::TypeError(
        v8::String::NewFromUtf8Literal(isolate, "The \"key\" argument is required")));
    return;
  }
  CreateHash(info);
}

v8::MaybeLocal<v8::Object> BuildCryptoUtils(JsScope& scope) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Object> utils = v8::Object::New(isolate);
  v8::Local<v8::Object> hash_prototype = v8::Object::New(isolate);
  struct Named {
    const char* name;
    const char* digest;
    v8::FunctionCallback callback;
    int length;
  };
  const Named kFunctions[] = {
      {"md5", "md5", HexDigest, 1},
      {"sha1", "sha1", HexDigest, 1},
      {"sha256", "sha256", HexDigest, 1},
      {"sha512", "sha512", HexDigest, 1},
      {"hmacMd5", "md5", HexHmac, 2},
      {"hmacSha1", "sha1", HexHmac, 2},
      {"hmacSha256", "sha256", HexHmac, 2},
      {"hmacSha512", "sha512", HexHmac, 2},
      {"base64Encode", nullptr, Base64EncodeFn, 1},
      {"base64Decode", nullptr, Base64DecodeFn, 1},
      {"hexEncode", nullptr, HexEncodeFn, 1},
      {"hexDecode", nullptr, HexDecodeFn, 1},
      {"urlEncode", nullptr, UrlEncodeFn, 1},
      {"urlDecode", nullptr, UrlDecodeFn, 1},
  };
  for (const Named& f : kFunctions) {
    v8::Local<v8::Value> data =
        f.digest ? scope.Str(f.digest).As<v8::Value>() : v8::Local<v8::Value>();
    if (!DefineMethod(scope, utils, f.name, f.callback, data, f.length, v8::None)) return {};
  }
  if (!DefineMethod(scope, hash_prototype, "update", HashUpdate, {}, 1) ||
      !DefineMethod(scope, hash_prototype, "digest", HashDigest, {}, 0) ||
      !DefineMethod(scope, utils, "createHash", CreateHash, hash_prototype, 1, v8::None) ||
      !DefineMethod(scope, utils, "createHmac", CreateHmac, hash_prototype, 2, v8::None)) {
    return {};
  }
  return utils;
}

// Lazy getters: info.Data() names what to build ("CryptoUtils" or a digest).
void LazyGlobal(v8::Local<v8::Name> /*name*/, const v8::PropertyCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::String> what = info.Data().As<v8::String>();
  std::string name = scope.Utf8(what);
  if (name == "CryptoUtils") {
    v8::Local<v8::Object> utils;
    if (BuildCryptoUtils(scope).ToLocal(&utils)) info.GetReturnValue().Set(utils);
    return;
  }
  v8::Local<v8::Function> fn;
  if (NativeFunction(scope, name, HexDigest, what, 1).ToLocal(&fn)) info.GetReturnValue().Set(fn);
}

}  // namespace

void InstallCryptoUtils(JsScope& scope) {
  v8::Local<v8::Context> context = scope.context();
  for (const char* name : {"md5", "sha1", "sha256", "sha512", "CryptoUtils"}) {
    v8::Local<v8::String> key = scope.Str(name);
    if (context->Global()
            ->SetLazyDataProperty(context, key, LazyGlobal, key, v8::DontEnum)
            .IsNothing()) {
      return;
    }
  }
}

}  // namespace jscore::engine::extensions::crypto
