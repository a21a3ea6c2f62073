// Web Crypto internals shared by crypto.subtle (crypto_subtle.cc) and CryptoKey
// (crypto_key.cc): algorithm normalization, key usages, key records.
#ifndef JSCORE_ENGINE_EXTENSIONS_CRYPTO_CRYPTO_WEBCRYPTO_H_
#define JSCORE_ENGINE_EXTENSIONS_CRYPTO_CRYPTO_WEBCRYPTO_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/extensions/crypto/crypto_cipher.h"
#include "engine/internal/js_scope.h"
#include "v8.h"

namespace jscore::engine::extensions::crypto::webcrypto {

// Convention of the functions below: false with `failure->name` set is a Web Crypto
// error to reject with; false with it empty means a JS exception is pending (a user
// getter threw, or the job is being terminated).

// An AlgorithmIdentifier (a string, or an object with `name`): the canonical name of
// a recognized algorithm ("aes-gcm" -> "AES-GCM") and the object (empty for a
// string). Unknown names are NotSupportedError.
bool NormalizeAlgorithm(internal::JsScope& scope, v8::Local<v8::Value> algorithm, std::string* name,
                        v8::Local<v8::Object>* params, Failure* failure);
// `params[member]` as a hash name ("SHA-1", "SHA-256", "SHA-384", "SHA-512").
bool HashMember(internal::JsScope& scope, v8::Local<v8::Object> params, const char* member,
                std::string* hash, Failure* failure);
// `params[member]` as bytes (a BufferSource). Absent: `*present` false, or a
// TypeError when `required`.
bool BytesMember(internal::JsScope& scope, v8::Local<v8::Object> params, const char* member,
                 bool required, Bytes* out, bool* present, Failure* failure);
// `params[member]` as an integer (WebIDL [EnforceRange] unsigned long/octet).
bool IntMember(internal::JsScope& scope, v8::Local<v8::Object> params, const char* member,
               bool required, int64_t* out, bool* present, Failure* failure);
const EVP_MD* HashMd(std::string_view hash);

enum Usage : uint32_t {
  kEncrypt = 1 << 0,
  kDecrypt = 1 << 1,
  kSign = 1 << 2,
  kVerify = 1 << 3,
  kDeriveKey = 1 << 4,
  kDeriveBits = 1 << 5,
  kWrapKey = 1 << 6,
  kUnwrapKey = 1 << 7,
};
// A sequence of KeyUsage strings; unknown strings are a TypeError. `names`, when
// given, receives them in order (duplicates kept, as Node reports them).
bool ParseUsages(internal::JsScope& scope, v8::Local<v8::Value> value, uint32_t* usages,
                 Failure* failure, std::vector<std::string>* names = nullptr);

// What a CryptoKey holds, hidden from scripts (a private symbol on the object).
struct KeyRecord {
  std::string algorithm;  // "HMAC", "AES-GCM", "RSA-OAEP"...
  std::string hash;       // HMAC, RSA-OAEP
  Bytes material;         // the secret bytes, or a public key's DER SPKI
  bool is_public = false;
  bool extractable = false;
  uint32_t usages = 0;
  std::vector<std::string> usage_names;  // as given at import/generation
  int length_bits = 0;                   // HMAC and AES
};

// The record of a CryptoKey made here; false for anything else.
bool ReadKey(internal::JsScope& scope, v8::Local<v8::Value> value, KeyRecord* key);

// CryptoKey's interface object and prototype (type, extractable, algorithm, usages).
bool BuildKeyInterface(internal::JsScope& scope, v8::Local<v8::Function>* interface_object,
                       v8::Local<v8::Object>* prototype);

// importKey / generateKey / exportKey, after the algorithm was normalized. `key`
// comes back as a CryptoKey with `prototype`.
bool ImportKey(internal::JsScope& scope, std::string_view format, v8::Local<v8::Value> key_data,
               const std::string& algorithm, v8::Local<v8::Object> params, bool extractable,
               uint32_t usages, const std::vector<std::string>& usage_names,
               v8::Local<v8::Object> prototype, v8::Local<v8::Value>* key, Failure* failure);
bool GenerateKey(internal::JsScope& scope, const std::string& algorithm,
                 v8::Local<v8::Object> params, bool extractable, uint32_t usages,
                 const std::vector<std::string>& usage_names, v8::Local<v8::Object> prototype,
                 v8::Local<v8::Value>* key, Failure* failure);
bool ExportKey(internal::JsScope& scope, std::string_view format, const KeyRecord& key,
               v8::Local<v8::Value>* out, Failure* failure);

}  // namespace jscore::engine::extensions::crypto::webcrypto

#endif  // JSCORE_ENGINE_EXTENSIONS_CRYPTO_CRYPTO_WEBCRYPTO_H_
