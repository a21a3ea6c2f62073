// The OpenSSL resources the crypto extensions use, each wrapped once in an RAII
// alias, and the digest lookup they share.
#ifndef JSCORE_ENGINE_EXTENSIONS_CRYPTO_CRYPTO_OPENSSL_H_
#define JSCORE_ENGINE_EXTENSIONS_CRYPTO_CRYPTO_OPENSSL_H_

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <memory>
#include <string>
#include <string_view>

namespace jscore::engine::extensions::crypto::openssl {

struct Free {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
  void operator()(EVP_CIPHER_CTX* p) const { EVP_CIPHER_CTX_free(p); }
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
  void operator()(BIGNUM* p) const { BN_free(p); }
  void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
  void operator()(unsigned char* p) const { OPENSSL_free(p); }
};

using MdCtx = std::unique_ptr<EVP_MD_CTX, Free>;
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, Free>;
using Pkey = std::unique_ptr<EVP_PKEY, Free>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, Free>;
using BigNum = std::unique_ptr<BIGNUM, Free>;
using ParamBuilder = std::unique_ptr<OSSL_PARAM_BLD, Free>;
using Params = std::unique_ptr<OSSL_PARAM, Free>;
using Buffer = std::unique_ptr<unsigned char, Free>;  // OPENSSL_malloc'd bytes

// Bytes are carried in std::string throughout the crypto extensions.
using Bytes = std::string;

inline const unsigned char* Data(std::string_view bytes) {
  return reinterpret_cast<const unsigned char*>(bytes.data());
}

// A digest by its Node/OpenSSL name ("md5", "sha1", "sha256", "SHA-256"...), or null.
const EVP_MD* DigestByName(std::string_view name);

// One-shot digest and HMAC; false only when OpenSSL fails.
bool Digest(const EVP_MD* md, std::string_view data, Bytes* out);
bool Hmac(const EVP_MD* md, std::string_view key, std::string_view data, Bytes* out);

}  // namespace jscore::engine::extensions::crypto::openssl

#endif  // JSCORE_ENGINE_EXTENSIONS_CRYPTO_CRYPTO_OPENSSL_H_
