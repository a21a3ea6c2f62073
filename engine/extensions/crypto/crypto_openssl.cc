#include "engine/extensions/crypto/crypto_openssl.h"

#include <openssl/hmac.h>

#include <cctype>
#include <string>

namespace jscore::engine::extensions::crypto::openssl {

const EVP_MD* DigestByName(std::string_view name) {
  std::string key;
  for (char c : name) {
    if (c != '-' && c != '_')
      key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (key == "md5") return EVP_md5();
  if (key == "sha1") return EVP_sha1();
  if (key == "sha224") return EVP_sha224();
  if (key == "sha256") return EVP_sha256();
  if (key == "sha384") return EVP_sha384();
  if (key == "sha512") return EVP_sha512();
  if (key == "sha3256") return EVP_sha3_256();
  if (key == "sha3512") return EVP_sha3_512();
  if (key.empty() || name.size() > 64) return nullptr;
  return EVP_get_digestbyname(std::string(name).c_str());
}

bool Digest(const EVP_MD* md, std::string_view data, Bytes* out) {
  out->resize(EVP_MAX_MD_SIZE);
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(out->data()), &length,
                 md, nullptr) != 1) {
    return false;
  }
  out->resize(length);
  return true;
}

bool Hmac(const EVP_MD* md, std::string_view key, std::string_view data, Bytes* out) {
  out->resize(EVP_MAX_MD_SIZE);
  unsigned int length = 0;
  static const unsigned char kEmpty = 0;
  const void* key_data = key.empty() ? static_cast<const void*>(&kEmpty) : key.data();
  if (HMAC(md, key_data, static_cast<int>(key.size()), data.empty() ? &kEmpty : Data(data),
           data.size(), reinterpret_cast<unsigned char*>(out->data()), &length) == nullptr) {
    return false;
  }
  out->resize(length);
  return true;
}

}  // namespace jscore::engine::extensions::crypto::openssl
