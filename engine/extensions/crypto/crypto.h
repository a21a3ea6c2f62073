// Web Crypto's globals: `crypto` (getRandomValues, randomUUID, subtle) and the
// Crypto, SubtleCrypto and CryptoKey interfaces.
#ifndef JSCORE_ENGINE_EXTENSIONS_CRYPTO_CRYPTO_H_
#define JSCORE_ENGINE_EXTENSIONS_CRYPTO_CRYPTO_H_

#include "engine/internal/js_scope.h"

namespace jscore::engine::extensions::crypto {

// Installs the four globals as lazy data properties: nothing is built until a script
// first reads one of them, and then all are built together (so `crypto instanceof
// Crypto` holds). Randomness is seeded when the context's ContextState says so.
void InstallCrypto(internal::JsScope& scope);

}  // namespace jscore::engine::extensions::crypto

#endif  // JSCORE_ENGINE_EXTENSIONS_CRYPTO_CRYPTO_H_
