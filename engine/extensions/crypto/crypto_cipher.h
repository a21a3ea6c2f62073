// The Web Crypto ciphers on OpenSSL, byte for byte as Node's webcrypto: AES-CBC,
// AES-GCM, AES-CTR, and RSA-OAEP encryption with a public key. No V8 here.
#ifndef JSCORE_ENGINE_EXTENSIONS_CRYPTO_CRYPTO_CIPHER_H_
#define JSCORE_ENGINE_EXTENSIONS_CRYPTO_CRYPTO_CIPHER_H_

#include <string>
#include <string_view>

#include "engine/extensions/crypto/crypto_openssl.h"

namespace jscore::engine::extensions::crypto::webcrypto {

using openssl::Bytes;

// Why an operation failed: a DOMException name ("OperationError", "DataError"...)
// or "TypeError", and a message.
struct Failure {
  std::string name;
  std::string message;
};

enum class Direction { kEncrypt, kDecrypt };

// Keys are 16, 24 or 32 bytes (the caller checked). Each returns false and fills
// `failure` on bad parameters (OperationError) or a failed decryption.
bool AesCbc(Direction direction, std::string_view key, std::string_view iv, std::string_view data,
            Bytes* out, Failure* failure);
// `tag_bits` is one of 32, 64, 96, 104, 112, 120, 128; the tag follows the ciphertext.
bool AesGcm(Direction direction, std::string_view key, std::string_view iv,
            std::string_view additional_data, int tag_bits, std::string_view data, Bytes* out,
            Failure* failure);
// The rightmost `length_bits` (1..128) of the 16-byte `counter` count blocks and wrap
// to zero once (Chromium's and Node's rule); more blocks than that is an error.
bool AesCtr(std::string_view key, std::string_view counter, int length_bits, std::string_view data,
            Bytes* out, Failure* failure);

// RSA public keys, kept as DER SubjectPublicKeyInfo.
bool RsaSpkiFromDer(std::string_view der, Bytes* spki, Failure* failure);
bool RsaSpkiFromJwk(std::string_view n, std::string_view e, Bytes* spki, Failure* failure);
// The modulus length in bits, the public exponent and modulus (big-endian bytes).
bool RsaPublicNumbers(std::string_view spki, int* modulus_bits, Bytes* exponent, Bytes* modulus);
bool RsaOaepEncrypt(std::string_view spki, const EVP_MD* md, std::string_view label,
                    std::string_view data, Bytes* out, Failure* failure);

}  // namespace jscore::engine::extensions::crypto::webcrypto

#endif  // JSCORE_ENGINE_EXTENSIONS_CRYPTO_CRYPTO_CIPHER_H_
