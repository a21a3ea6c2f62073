// CryptoKey objects and their import, generation and export; algorithm and usage
// normalization for crypto.subtle.
#include <openssl/rand.h>

#include <cctype>
#include <string>
#include <vector>

#include "engine/extensions/crypto/crypto_bytes.h"
#include "engine/extensions/crypto/crypto_common.h"
#include "engine/extensions/crypto/crypto_webcrypto.h"

namespace jscore::engine::extensions::crypto::webcrypto {
namespace {

using internal::JsScope;

// The record hidden on each key: [algorithm, hash, material, is_public, extractable,
// usages mask, length, algorithm object, usages array].
enum KeySlot {
  kAlgorithm,
  kHash,
  kMaterial,
  kIsPublic,
  kExtractable,
  kUsageMask,
  kLength,
  kAlgorithmObject,
  kUsagesArray,
  kKeySlots
};

v8::Local<v8::Private> KeyKey(v8::Isolate* isolate) {
  return v8::Private::ForApi(isolate, v8::String::NewFromUtf8Literal(isolate, "jscore:CryptoKey"));
}

bool Fail(Failure* failure, std::string name, std::string message) {
  failure->name = std::move(name);
  failure->message = std::move(message);
  return false;
}

constexpr const char* kAlgorithms[] = {
    "SHA-1",    "SHA-256", "SHA-384",           "SHA-512", "HMAC",  "AES-CBC", "AES-GCM", "AES-CTR",
    "RSA-OAEP", "AES-KW",  "RSASSA-PKCS1-v1_5", "RSA-PSS", "ECDSA", "ECDH",    "HKDF",    "PBKDF2",
    "Ed25519",  "X25519",
};

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) !=
        std::toupper(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

struct UsageName {
  const char* name;
  Usage bit;
};
constexpr UsageName kUsageNames[] = {
    {"encrypt", kEncrypt}, {"decrypt", kDecrypt},     {"sign", kSign},
    {"verify", kVerify},   {"deriveKey", kDeriveKey}, {"deriveBits", kDeriveBits},
    {"wrapKey", kWrapKey}, {"unwrapKey", kUnwrapKey},
};

bool IsAes(std::string_view algorithm) { return algorithm.substr(0, 4) == "AES-"; }

uint32_t AllowedUsages(const std::string& algorithm, bool is_public) {
  if (algorithm == "HMAC") return kSign | kVerify;
  if (IsAes(algorithm)) return kEncrypt | kDecrypt | kWrapKey | kUnwrapKey;
  if (algorithm == "RSA-OAEP") return is_public ? (kEncrypt | kWrapKey) : (kDecrypt | kUnwrapKey);
  return 0;
}

bool CheckUsages(const std::string& algorithm, bool is_public, uint32_t usages, Failure* failure) {
  if ((usages & ~AllowedUsages(algorithm, is_public)) != 0) {
    std::string kind = algorithm == "HMAC" ? "an HMAC" : IsAes(algorithm) ? "an AES" : "an RSA";
    return Fail(failure, "SyntaxError", "Unsupported key usage for " + kind + " key");
  }
  if (!is_public && usages == 0) {
    return Fail(failure, "SyntaxError", "Usages cannot be empty when importing a secret key.");
  }
  return true;
}

// The usages array in the order given (duplicates kept, as Node does).
v8::Local<v8::Array> UsagesArray(JsScope& scope, const std::vector<std::string>& names) {
  std::vector<v8::Local<v8::Value>> values;
  for (const std::string& name : names) values.push_back(scope.Str(name));
  return v8::Array::New(scope.isolate(), values.data(), values.size());
}

bool SetField(JsScope& scope, v8::Local<v8::Object> on, const char* name,
              v8::Local<v8::Value> value) {
  return !on->Set(scope.context(), scope.Str(name), value).IsNothing();
}

v8::Local<v8::Object> HashObject(JsScope& scope, const std::string& hash) {
  v8::Local<v8::Object> object = v8::Object::New(scope.isolate());
  (void)SetField(scope, object, "name", scope.Str(hash));
  return object;
}

// Builds the key object; `usage_names` keeps the caller's order.
bool NewKey(JsScope& scope, v8::Local<v8::Object> prototype, const KeyRecord& key,
            const std::vector<std::string>& usage_names, v8::Local<v8::Value>* out) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Object> algorithm = v8::Object::New(isolate);
  bool ok = SetField(scope, algorithm, "name", scope.Str(key.algorithm));
  if (key.algorithm == "HMAC") {
    ok = ok && SetField(scope, algorithm, "hash", HashObject(scope, key.hash)) &&
         SetField(scope, algorithm, "length", v8::Integer::New(isolate, key.length_bits));
  } else if (IsAes(key.algorithm)) {
    ok = ok && SetField(scope, algorithm, "length", v8::Integer::New(isolate, key.length_bits));
  } else if (key.algorithm == "RSA-OAEP") {
    int bits = 0;
    Bytes exponent, modulus;
    v8::Local<v8::Uint8Array> exponent_array;
    ok = ok && RsaPublicNumbers(key.material, &bits, &exponent, &modulus) &&
         NewUint8Array(scope, exponent).ToLocal(&exponent_array) &&
         SetField(scope, algorithm, "modulusLength", v8::Integer::New(isolate, bits)) &&
         SetField(scope, algorithm, "publicExponent", exponent_array) &&
         SetField(scope, algorithm, "hash", HashObject(scope, key.hash));
  }
  v8::Local<v8::ArrayBuffer> material;
  if (!ok || !NewArrayBuffer(scope, key.material).ToLocal(&material)) return false;
  v8::Local<v8::Value> slots[kKeySlots] = {
      scope.Str(key.algorithm),
      scope.Str(key.hash),
      material,
      v8::Boolean::New(isolate, key.is_public),
      v8::Boolean::New(isolate, key.extractable),
      v8::Integer::NewFromUnsigned(isolate, key.usages),
      v8::Integer::New(isolate, key.length_bits),
      algorithm,
      UsagesArray(scope, usage_names),
  };
  v8::Local<v8::Array> record = v8::Array::New(isolate, slots, kKeySlots);
  v8::Local<v8::Object> object = v8::Object::New(isolate, prototype, nullptr, nullptr, 0);
  if (object->SetPrivate(context, KeyKey(isolate), record).IsNothing()) return false;
  *out = object;
  return true;
}

v8::MaybeLocal<v8::Array> RecordOf(JsScope& scope, v8::Local<v8::Value> value) {
  if (!value->IsObject()) return {};
  v8::Local<v8::Value> record;
  if (!value.As<v8::Object>()
           ->GetPrivate(scope.context(), KeyKey(scope.isolate()))
           .ToLocal(&record) ||
      !record->IsArray()) {
    return {};
  }
  return record.As<v8::Array>();
}

// CryptoKey.prototype getters: info.Data() is the record slot to return.
void KeyGetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Array> record;
  if (!RecordOf(scope, info.This()).ToLocal(&record)) {
    isolate->ThrowException(v8::Exception::TypeError(scope.Str("Illegal invocation")));
    return;
  }
  int slot = info.Data().As<v8::Int32>()->Value();
  v8::Local<v8::Value> value;
  if (slot == kIsPublic) {
    if (!record->Get(scope.context(), kIsPublic).ToLocal(&value)) return;
    info.GetReturnValue().Set(scope.Str(value->IsTrue() ? "public" : "secret"));
    return;
  }
  if (record->Get(scope.context(), static_cast<uint32_t>(slot)).ToLocal(&value)) {
    info.GetReturnValue().Set(value);
  }
}

// A JWK member as a string; absent: `*present` false.
bool JwkString(JsScope& scope, v8::Local<v8::Object> jwk, const char* name, std::string* out,
               bool* present, Failure* failure) {
  v8::Local<v8::Value> value;
  if (!jwk->Get(scope.context(), scope.Str(name)).ToLocal(&value)) return false;
  *present = !value->IsUndefined();
  if (!*present) return true;
  if (!value->IsString())
    return Fail(failure, "DataError", std::string("Invalid JWK \"") + name + "\" Parameter");
  *out = scope.Utf8(value.As<v8::String>());
  return true;
}

bool JwkBytes(JsScope& scope, v8::Local<v8::Object> jwk, const char* name, Bytes* out,
              Failure* failure) {
  std::string text;
  bool present = false;
  if (!JwkString(scope, jwk, name, &text, &present, failure)) return false;
  if (!present || !Base64Decode(text, out)) {
    return Fail(failure, "DataError", std::string("Invalid JWK \"") + name + "\" Parameter");
  }
  return true;
}

// The checks every JWK import makes: kty, use, key_ops, ext.
bool CheckJwk(JsScope& scope, v8::Local<v8::Object> jwk, const char* kty, const char* use,
              bool extractable, uint32_t usages, Failure* failure) {
  std::string value;
  bool present = false;
  if (!JwkString(scope, jwk, "kty", &value, &present, failure)) return false;
  if (value != kty) return Fail(failure, "DataError", "Invalid JWK \"kty\" Parameter");
  if (!JwkString(scope, jwk, "use", &value, &present, failure)) return false;
  if (present && usages != 0 && value != use) {
    return Fail(failure, "DataError", "Invalid JWK \"use\" Parameter");
  }
  v8::Local<v8::Value> ops, ext;
  if (!jwk->Get(scope.context(), scope.Str("key_ops")).ToLocal(&ops)) return false;
  if (!ops->IsUndefined()) {
    uint32_t listed = 0;
    if (!ParseUsages(scope, ops, &listed, failure)) {
      if (!failure->name.empty()) failure->name = "DataError";
      return false;
    }
    if ((usages & ~listed) != 0)
      return Fail(failure, "DataError", "Key operations and usage mismatch");
  }
  if (!jwk->Get(scope.context(), scope.Str("ext")).ToLocal(&ext)) return false;
  if (ext->IsFalse() && extractable)
    return Fail(failure, "DataError", "JWK \"ext\" Parameter and extractable mismatch");
  return true;
}

std::string JwkAlg(const KeyRecord& key) {
  if (key.algorithm == "HMAC") return "HS" + key.hash.substr(4);
  if (IsAes(key.algorithm)) return "A" + std::to_string(key.length_bits) + key.algorithm.substr(4);
  if (key.hash == "SHA-1") return "RSA-OAEP";
  return "RSA-OAEP-" + key.hash.substr(4);
}

}  // namespace

bool NormalizeAlgorithm(JsScope& scope, v8::Local<v8::Value> algorithm, std::string* name,
                        v8::Local<v8::Object>* params, Failure* failure) {
  v8::Local<v8::Value> name_value = algorithm;
  if (algorithm->IsObject()) {
    *params = algorithm.As<v8::Object>();
    if (!params->As<v8::Object>()->Get(scope.context(), scope.Str("name")).ToLocal(&name_value))
      return false;
    if (name_value->IsUndefined()) {
      return Fail(failure, "TypeError", "Algorithm: name: Missing or not a string");
    }
  } else if (!algorithm->IsString()) {
    return Fail(failure, "TypeError", "Algorithm: not a string or an object");
  }
  v8::Local<v8::String> text;
  if (!name_value->ToString(scope.context()).ToLocal(&text)) return false;
  std::string given = scope.Utf8(text);
  for (const char* known : kAlgorithms) {
    if (EqualsIgnoringCase(given, known)) {
      *name = known;
      return true;
    }
  }
  return Fail(failure, "NotSupportedError", "Unrecognized algorithm name");
}

namespace {

// Reads `params[member]` into `*value`. False when JS threw or a required member is
// absent (`*failure` then says so); true with `*value` empty when an optional one is.
bool MemberValue(JsScope& scope, v8::Local<v8::Object> params, const char* member, bool required,
                 v8::Local<v8::Value>* value, Failure* failure) {
  if (!params.IsEmpty() && !params->Get(scope.context(), scope.Str(member)).ToLocal(value)) {
    return false;
  }
  if (params.IsEmpty() || (*value)->IsUndefined()) {
    *value = {};
    return required ? Fail(failure, "TypeError", std::string("'") + member + "' is required")
                    : true;
  }
  return true;
}

}  // namespace

bool HashMember(JsScope& scope, v8::Local<v8::Object> params, const char* member, std::string* hash,
                Failure* failure) {
  v8::Local<v8::Value> value;
  if (!MemberValue(scope, params, member, /*required=*/true, &value, failure)) return false;
  v8::Local<v8::Object> ignored;
  if (!NormalizeAlgorithm(scope, value, hash, &ignored, failure)) return false;
  if (HashMd(*hash) == nullptr)
    return Fail(failure, "NotSupportedError", "Unrecognized algorithm name");
  return true;
}

bool BytesMember(JsScope& scope, v8::Local<v8::Object> params, const char* member, bool required,
                 Bytes* out, bool* present, Failure* failure) {
  v8::Local<v8::Value> value;
  *present = false;
  if (!MemberValue(scope, params, member, required, &value, failure)) return false;
  if (value.IsEmpty()) return true;
  if (!BufferSourceBytes(value, out)) {
    return Fail(failure, "TypeError",
                std::string("'") + member + "' is not an ArrayBuffer, TypedArray or DataView");
  }
  *present = true;
  return true;
}

bool IntMember(JsScope& scope, v8::Local<v8::Object> params, const char* member, bool required,
               int64_t* out, bool* present, Failure* failure) {
  v8::Local<v8::Value> value;
  *present = false;
  if (!MemberValue(scope, params, member, required, &value, failure)) return false;
  if (value.IsEmpty()) return true;
  v8::Local<v8::Number> number;
  if (!value->ToNumber(scope.context()).ToLocal(&number)) return false;
  double d = number->Value();
  if (!(d >= 0 && d <= 4294967295.0)) {
    return Fail(failure, "TypeError", std::string("'") + member + "' is out of range");
  }
  *out = static_cast<int64_t>(d);
  *present = true;
  return true;
}

const EVP_MD* HashMd(std::string_view hash) {
  if (hash == "SHA-1") return EVP_sha1();
  if (hash == "SHA-256") return EVP_sha256();
  if (hash == "SHA-384") return EVP_sha384();
  if (hash == "SHA-512") return EVP_sha512();
  return nullptr;
}

bool ParseUsages(JsScope& scope, v8::Local<v8::Value> value, uint32_t* usages, Failure* failure,
                 std::vector<std::string>* names) {
  *usages = 0;
  if (!value->IsArray())
    return Fail(failure, "TypeError", "keyUsages must be a sequence of KeyUsage");
  v8::Local<v8::Array> array = value.As<v8::Array>();
  for (uint32_t i = 0; i < array->Length(); ++i) {
    v8::Local<v8::Value> item;
    if (!array->Get(scope.context(), i).ToLocal(&item)) return false;
    std::string name = item->IsString() ? scope.Utf8(item.As<v8::String>()) : std::string();
    bool known = false;
    for (const UsageName& u : kUsageNames) {
      if (name == u.name) {
        *usages |= u.bit;
        known = true;
      }
    }
    if (!known)
      return Fail(failure, "TypeError",
                  "'" + name + "' is not a valid enum value of type KeyUsage");
    if (names != nullptr) names->push_back(name);
  }
  return true;
}

bool ReadKey(JsScope& scope, v8::Local<v8::Value> value, KeyRecord* key) {
  v8::Local<v8::Array> record;
  if (!RecordOf(scope, value).ToLocal(&record)) return false;
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Value> slots[kKeySlots];
  for (uint32_t i = 0; i < kKeySlots; ++i) {
    if (!record->Get(context, i).ToLocal(&slots[i])) return false;
  }
  key->algorithm = scope.Utf8(slots[kAlgorithm].As<v8::String>());
  key->hash = scope.Utf8(slots[kHash].As<v8::String>());
  v8::Local<v8::ArrayBuffer> material = slots[kMaterial].As<v8::ArrayBuffer>();
  key->material.assign(static_cast<const char*>(material->Data()), material->ByteLength());
  key->is_public = slots[kIsPublic]->IsTrue();
  key->extractable = slots[kExtractable]->IsTrue();
  key->usages = slots[kUsageMask].As<v8::Uint32>()->Value();
  key->length_bits = slots[kLength].As<v8::Int32>()->Value();
  key->usage_names.clear();
  v8::Local<v8::Array> names = slots[kUsagesArray].As<v8::Array>();  // scripts cannot reach it
  for (uint32_t i = 0; i < names->Length(); ++i) {
    v8::Local<v8::Value> name;
    if (!names->Get(context, i).ToLocal(&name)) return false;
    key->usage_names.push_back(scope.Utf8(name.As<v8::String>()));
  }
  return true;
}

bool BuildKeyInterface(JsScope& scope, v8::Local<v8::Function>* interface_object,
                       v8::Local<v8::Object>* prototype) {
  v8::Isolate* isolate = scope.isolate();
  *prototype = v8::Object::New(isolate);
  struct Getter {
    const char* name;
    KeySlot slot;
  };
  constexpr Getter kGetters[] = {{"type", kIsPublic},
                                 {"extractable", kExtractable},
                                 {"algorithm", kAlgorithmObject},
                                 {"usages", kUsagesArray}};
  for (const Getter& g : kGetters) {
    v8::Local<v8::Function> getter;
    if (!NativeFunction(scope, std::string("get ") + g.name, KeyGetter,
                        v8::Integer::New(isolate, g.slot))
             .ToLocal(&getter)) {
      return false;
    }
    (*prototype)->SetAccessorProperty(scope.Str(g.name), getter, {}, v8::DontEnum);
  }
  return InterfaceObject(scope, "CryptoKey", *prototype).ToLocal(interface_object);
}

namespace {

// A JWK's optional "alg" must name the algorithm being imported.
bool CheckJwkAlg(JsScope& scope, v8::Local<v8::Object> jwk_object, const KeyRecord& record,
                 Failure* failure) {
  std::string alg;
  bool present = false;
  if (!JwkString(scope, jwk_object, "alg", &alg, &present, failure)) return false;
  if (present && alg != JwkAlg(record)) {
    return Fail(failure, "DataError", "JWK \"alg\" does not match the requested algorithm");
  }
  return true;
}

// HMAC's optional params.length, which may only drop bits of the last byte.
bool ApplyHmacLength(JsScope& scope, v8::Local<v8::Object> params, KeyRecord* record,
                     Failure* failure) {
  if (record->material.empty()) {
    return Fail(failure, "DataError", "Zero-length key is not supported");
  }
  int64_t length = 0;
  bool present = false;
  if (!IntMember(scope, params, "length", false, &length, &present, failure)) return false;
  if (present) {
    if (length > record->length_bits || length <= record->length_bits - 8) {
      return Fail(failure, "DataError", "Invalid key length");
    }
    record->length_bits = static_cast<int>(length);
  }
  return true;
}

// HMAC and AES keys, from "raw" bytes or an "oct" JWK (jwk_object non-empty).
bool ImportSecretKey(JsScope& scope, std::string_view format, v8::Local<v8::Object> jwk_object,
                     v8::Local<v8::Object> params, KeyRecord* record, Failure* failure) {
  const std::string& algorithm = record->algorithm;
  bool jwk = !jwk_object.IsEmpty();
  if (format != "raw" && !jwk) {
    return Fail(failure, "NotSupportedError",
                "Unable to import a secret key with format " + std::string(format));
  }
  if (algorithm == "HMAC" && !HashMember(scope, params, "hash", &record->hash, failure))
    return false;
  if (!CheckUsages(algorithm, false, record->usages, failure)) return false;
  if (jwk) {
    if (!CheckJwk(scope, jwk_object, "oct", IsAes(algorithm) ? "enc" : "sig", record->extractable,
                  record->usages, failure) ||
        !JwkBytes(scope, jwk_object, "k", &record->material, failure)) {
      return false;
    }
  }
  record->length_bits = static_cast<int>(record->material.size() * 8);
  if (IsAes(algorithm) && record->length_bits != 128 && record->length_bits != 192 &&
      record->length_bits != 256) {
    return Fail(failure, "DataError", "Invalid key length");
  }
  if (algorithm == "HMAC" && !ApplyHmacLength(scope, params, record, failure)) return false;
  return !jwk || CheckJwkAlg(scope, jwk_object, *record, failure);
}

// RSA-OAEP public keys, from "spki" DER or an "RSA" JWK without "d" (jwk_object
// non-empty).
bool ImportRsaOaepKey(JsScope& scope, std::string_view format, v8::Local<v8::Object> jwk_object,
                      v8::Local<v8::Object> params, KeyRecord* record, Failure* failure) {
  bool jwk = !jwk_object.IsEmpty();
  if (!HashMember(scope, params, "hash", &record->hash, failure)) return false;
  if (format != "spki" && !jwk) {
    return Fail(failure, "NotSupportedError",
                "Unable to import RSA key with format " + std::string(format));
  }
  record->is_public = true;
  if (jwk) {
    bool present = false;
    std::string ignored;
    if (!CheckJwk(scope, jwk_object, "RSA", "enc", record->extractable, record->usages, failure) ||
        !JwkString(scope, jwk_object, "d", &ignored, &present, failure)) {
      return false;
    }
    if (present) return Fail(failure, "NotSupportedError", "RSA private keys are not supported");
    Bytes n, e;
    if (!JwkBytes(scope, jwk_object, "n", &n, failure) ||
        !JwkBytes(scope, jwk_object, "e", &e, failure) ||
        !RsaSpkiFromJwk(n, e, &record->material, failure) ||
        !CheckJwkAlg(scope, jwk_object, *record, failure)) {
      return false;
    }
  } else if (!RsaSpkiFromDer(Bytes(record->material), &record->material, failure)) {
    return false;
  }
  return CheckUsages(record->algorithm, true, record->usages, failure);
}

}  // namespace

bool ImportKey(JsScope& scope, std::string_view format, v8::Local<v8::Value> key_data,
               const std::string& algorithm, v8::Local<v8::Object> params, bool extractable,
               uint32_t usages, const std::vector<std::string>& usage_names,
               v8::Local<v8::Object> prototype, v8::Local<v8::Value>* key, Failure* failure) {
  KeyRecord record;
  record.algorithm = algorithm;
  record.extractable = extractable;
  record.usages = usages;
  bool jwk = format == "jwk";
  if (jwk && !key_data->IsObject())
    return Fail(failure, "TypeError", "keyData must be a JsonWebKey");
  if (!jwk && !BufferSourceBytes(key_data, &record.material)) {
    return Fail(failure, "TypeError", "keyData must be an ArrayBuffer, TypedArray or DataView");
  }
  v8::Local<v8::Object> jwk_object = jwk ? key_data.As<v8::Object>() : v8::Local<v8::Object>();
  if (algorithm == "HMAC" || IsAes(algorithm)) {
    if (!ImportSecretKey(scope, format, jwk_object, params, &record, failure)) return false;
  } else if (algorithm == "RSA-OAEP") {
    if (!ImportRsaOaepKey(scope, format, jwk_object, params, &record, failure)) return false;
  } else {
    return Fail(failure, "NotSupportedError", "Unrecognized algorithm name");
  }
  return NewKey(scope, prototype, record, usage_names, key);
}

bool GenerateKey(JsScope& scope, const std::string& algorithm, v8::Local<v8::Object> params,
                 bool extractable, uint32_t usages, const std::vector<std::string>& usage_names,
                 v8::Local<v8::Object> prototype, v8::Local<v8::Value>* key, Failure* failure) {
  KeyRecord record;
  record.algorithm = algorithm;
  record.extractable = extractable;
  record.usages = usages;
  int64_t length = 0;
  bool present = false;
  if (algorithm == "HMAC") {
    if (!HashMember(scope, params, "hash", &record.hash, failure) ||
        !IntMember(scope, params, "length", false, &length, &present, failure)) {
      return false;
    }
    if (!present) length = (record.hash == "SHA-384" || record.hash == "SHA-512") ? 1024 : 512;
    if (length == 0) return Fail(failure, "OperationError", "Zero-length key is not supported");
  } else if (IsAes(algorithm)) {
    if (!IntMember(scope, params, "length", true, &length, &present, failure)) return false;
    if (length != 128 && length != 192 && length != 256) {
      return Fail(failure, "OperationError", "AES key length must be 128, 192, or 256 bits");
    }
  } else {
    return Fail(failure, "NotSupportedError", "generateKey supports HMAC and AES keys here");
  }
  if (!CheckUsages(algorithm, false, usages, failure)) return false;
  record.length_bits = static_cast<int>(length);
  record.material.resize(static_cast<size_t>((length + 7) / 8));
  RandomBytes(scope, reinterpret_cast<uint8_t*>(record.material.data()), record.material.size());
  return NewKey(scope, prototype, record, usage_names, key);
}

bool ExportKey(JsScope& scope, std::string_view format, const KeyRecord& key,
               v8::Local<v8::Value>* out, Failure* failure) {
  if (!key.extractable) return Fail(failure, "InvalidAccessError", "key is not extractable");
  v8::Local<v8::ArrayBuffer> buffer;
  if ((format == "raw" && !key.is_public) || (format == "spki" && key.is_public)) {
    if (!NewArrayBuffer(scope, key.material).ToLocal(&buffer)) return false;
    *out = buffer;
    return true;
  }
  if (format != "jwk") {
    return Fail(failure, "NotSupportedError",
                "Unable to export a " + key.algorithm + " key as " + std::string(format));
  }
  v8::Local<v8::Object> jwk = v8::Object::New(scope.isolate());
  bool ok = SetField(scope, jwk, "key_ops", UsagesArray(scope, key.usage_names)) &&
            SetField(scope, jwk, "ext", v8::True(scope.isolate()));
  if (key.is_public) {
    int bits = 0;
    Bytes exponent, modulus;
    ok = ok && RsaPublicNumbers(key.material, &bits, &exponent, &modulus) &&
         SetField(scope, jwk, "kty", scope.Str("RSA")) &&
         SetField(scope, jwk, "n", scope.Str(Base64Encode(modulus, /*url=*/true))) &&
         SetField(scope, jwk, "e", scope.Str(Base64Encode(exponent, /*url=*/true)));
  } else {
    ok = ok && SetField(scope, jwk, "kty", scope.Str("oct")) &&
         SetField(scope, jwk, "k", scope.Str(Base64Encode(key.material, /*url=*/true)));
  }
  ok = ok && SetField(scope, jwk, "alg", scope.Str(JwkAlg(key)));
  if (!ok) return false;
  *out = jwk;
  return true;
}

}  // namespace jscore::engine::extensions::crypto::webcrypto
