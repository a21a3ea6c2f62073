// crypto.subtle: digest, importKey, exportKey, generateKey, sign, verify, encrypt and
// decrypt for the algorithms signature scripts use (SHA-*, HMAC, AES-CBC/GCM/CTR,
// RSA-OAEP encryption), byte for byte as Node's webcrypto.
#ifndef JSCORE_ENGINE_EXTENSIONS_CRYPTO_CRYPTO_SUBTLE_H_
#define JSCORE_ENGINE_EXTENSIONS_CRYPTO_CRYPTO_SUBTLE_H_

#include "engine/internal/js_scope.h"
#include "v8.h"

namespace jscore::engine::extensions::crypto {

// The SubtleCrypto instance (methods on SubtleCrypto.prototype) and the SubtleCrypto
// and CryptoKey interface objects. Every method does its (bounded) work at once and
// returns a promise that settles in a later task of the job, as in browsers and
// Node (a job that ends first drops that task with its timers); failures reject with
// DOMException-like errors named as browsers name them (NotSupportedError,
// OperationError, DataError, InvalidAccessError, SyntaxError) or a TypeError.
struct SubtleCryptoObjects {
  v8::Local<v8::Object> subtle;
  v8::Local<v8::Function> subtle_interface;
  v8::Local<v8::Function> key_interface;
};
bool BuildSubtleCrypto(internal::JsScope& scope, SubtleCryptoObjects* out);

}  // namespace jscore::engine::extensions::crypto

#endif  // JSCORE_ENGINE_EXTENSIONS_CRYPTO_CRYPTO_SUBTLE_H_
