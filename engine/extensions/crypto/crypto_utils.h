// never_jscore 2.x's synchronous crypto helpers: md5/sha1/sha256/sha512 and
// CryptoUtils (hashes, HMACs, base64, hex, URL encoding, createHash/createHmac).
#ifndef JSCORE_ENGINE_EXTENSIONS_CRYPTO_CRYPTO_UTILS_H_
#define JSCORE_ENGINE_EXTENSIONS_CRYPTO_CRYPTO_UTILS_H_

#include "engine/internal/js_scope.h"

namespace jscore::engine::extensions::crypto {

// Installs `md5`, `sha1`, `sha256`, `sha512` and `CryptoUtils` as lazy, non-enumerable
// globals (built on first read). Inputs are strings (hashed as UTF-8) or
// BufferSources; other values are hashed as their string form. Results:
//  - md5(x) ... sha512(x), CryptoUtils.md5/sha1/sha256/sha512(x): lowercase hex;
//  - CryptoUtils.hmacMd5/hmacSha1/hmacSha256/hmacSha512(key, data): lowercase hex;
//  - base64Encode(x) / hexEncode(x): text; base64Decode(s) / hexDecode(s): the
//    decoded bytes as a UTF-8 string;
//  - urlEncode(s) / urlDecode(s): encodeURIComponent / decodeURIComponent;
//  - createHash(alg) / createHmac(alg, key): Node's objects: update(data, inputEncoding)
//    chains, digest(encoding) gives 'hex', 'base64', 'base64url', 'latin1' or 'utf8'
//    text, or a Uint8Array with no encoding (Node's Buffer). Algorithms are OpenSSL's
//    names (md5, sha1, sha256, sha384, sha512, sha3-256...).
void InstallCryptoUtils(internal::JsScope& scope);

}  // namespace jscore::engine::extensions::crypto

#endif  // JSCORE_ENGINE_EXTENSIONS_CRYPTO_CRYPTO_UTILS_H_
