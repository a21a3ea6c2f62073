#include "engine/extensions/crypto/crypto_cipher.h"

#include <openssl/core_names.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstring>

namespace jscore::engine::extensions::crypto::webcrypto {
namespace {

using openssl::Data;

bool Fail(Failure* failure, std::string message, std::string name = "OperationError") {
  failure->name = std::move(name);
  failure->message = std::move(message);
  return false;
}

const EVP_CIPHER* Aes(std::string_view mode, size_t key_bytes) {
  if (mode == "cbc") {
    return key_bytes == 16   ? EVP_aes_128_cbc()
           : key_bytes == 24 ? EVP_aes_192_cbc()
                             : EVP_aes_256_cbc();
  }
  if (mode == "gcm") {
    return key_bytes == 16   ? EVP_aes_128_gcm()
           : key_bytes == 24 ? EVP_aes_192_gcm()
                             : EVP_aes_256_gcm();
  }
  return key_bytes == 16   ? EVP_aes_128_ctr()
         : key_bytes == 24 ? EVP_aes_192_ctr()
                           : EVP_aes_256_ctr();
}

// One EVP pass: init (with the IV length set for GCM), optional AAD, update, final.
struct CipherRun {
  const EVP_CIPHER* cipher;
  Direction direction;
  std::string_view key;
  std::string_view iv;
  bool padding = false;
  std::string_view aad{};
  std::string_view tag{};  // GCM decryption
};

bool RunCipher(const CipherRun& run, std::string_view data, Bytes* out) {
  openssl::CipherCtx ctx(EVP_CIPHER_CTX_new());
  int enc = run.direction == Direction::kEncrypt ? 1 : 0;
  bool gcm = EVP_CIPHER_get_mode(run.cipher) == EVP_CIPH_GCM_MODE;
  if (!ctx || EVP_CipherInit_ex(ctx.get(), run.cipher, nullptr, nullptr, nullptr, enc) != 1) {
    return false;
  }
  if (gcm && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(run.iv.size()),
                                 nullptr) != 1) {
    return false;
  }
  if (EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, Data(run.key), Data(run.iv), enc) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), run.padding ? 1 : 0) != 1) {
    return false;
  }
  int length = 0;
  if (gcm && !run.aad.empty() &&
      EVP_CipherUpdate(ctx.get(), nullptr, &length, Data(run.aad),
                       static_cast<int>(run.aad.size())) != 1) {
    return false;
  }
  size_t start = out->size();
  out->resize(start + data.size() + EVP_MAX_BLOCK_LENGTH);
  auto* dest = reinterpret_cast<unsigned char*>(out->data() + start);
  int written = 0;
  if (!data.empty() &&
      EVP_CipherUpdate(ctx.get(), dest, &written, Data(data), static_cast<int>(data.size())) != 1) {
    return false;
  }
  if (gcm && run.direction == Direction::kDecrypt &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(run.tag.size()),
                          const_cast<char*>(run.tag.data())) != 1) {
    return false;
  }
  int final_length = 0;
  if (EVP_CipherFinal_ex(ctx.get(), dest + written, &final_length) != 1) return false;
  out->resize(start + written + final_length);
  return true;
}

constexpr size_t kBlock = 16;

}  // namespace

bool AesCbc(Direction direction, std::string_view key, std::string_view iv, std::string_view data,
            Bytes* out, Failure* failure) {
  if (iv.size() != kBlock) return Fail(failure, "algorithm.iv must contain exactly 16 bytes");
  out->clear();
  CipherRun run{Aes("cbc", key.size()), direction, key, iv};
  run.padding = true;
  if (!RunCipher(run, data, out)) {
    return Fail(failure, direction == Direction::kDecrypt ? "The provided data is too small."
                                                          : "Cipher job failed");
  }
  return true;
}

bool AesGcm(Direction direction, std::string_view key, std::string_view iv,
            std::string_view additional_data, int tag_bits, std::string_view data, Bytes* out,
            Failure* failure) {
  static constexpr int kTagBits[] = {32, 64, 96, 104, 112, 120, 128};
  if (std::find(std::begin(kTagBits), std::end(kTagBits), tag_bits) == std::end(kTagBits)) {
    return Fail(failure, std::to_string(tag_bits) + " is not a valid AES-GCM tag length");
  }
  // Node (whose bytes we match) refuses IVs shorter than 96 bits; OpenSSL refuses
  // those past its maximum.
  if (iv.size() < 12) return Fail(failure, "Invalid initialization vector");
  size_t tag_bytes = static_cast<size_t>(tag_bits / 8);
  out->clear();
  CipherRun run{Aes("gcm", key.size()), direction, key, iv};
  run.aad = additional_data;
  if (direction == Direction::kEncrypt) {
    // A context of our own (not RunCipher's), to read the tag afterwards.
    openssl::CipherCtx ctx(EVP_CIPHER_CTX_new());
    int length = 0;
    if (!ctx || EVP_EncryptInit_ex(ctx.get(), run.cipher, nullptr, nullptr, nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(iv.size()),
                            nullptr) != 1 ||
        EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, Data(key), Data(iv)) != 1 ||
        (!additional_data.empty() &&
         EVP_EncryptUpdate(ctx.get(), nullptr, &length, Data(additional_data),
                           static_cast<int>(additional_data.size())) != 1)) {
      return Fail(failure, "Cipher job failed");
    }
    out->resize(data.size() + EVP_MAX_BLOCK_LENGTH);
    auto* dest = reinterpret_cast<unsigned char*>(out->data());
    int written = 0, final_length = 0;
    if ((!data.empty() && EVP_EncryptUpdate(ctx.get(), dest, &written, Data(data),
                                            static_cast<int>(data.size())) != 1) ||
        EVP_EncryptFinal_ex(ctx.get(), dest + written, &final_length) != 1) {
      return Fail(failure, "Cipher job failed");
    }
    out->resize(written + final_length);
    unsigned char tag[16];
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(tag_bytes), tag) !=
        1) {
      return Fail(failure, "Cipher job failed");
    }
    out->append(reinterpret_cast<const char*>(tag), tag_bytes);
    return true;
  }
  if (data.size() < tag_bytes) return Fail(failure, "The provided data is too small.");
  run.tag = data.substr(data.size() - tag_bytes);
  if (!RunCipher(run, data.substr(0, data.size() - tag_bytes), out)) {
    out->clear();
    return Fail(failure, "The operation failed for an operation-specific reason");
  }
  return true;
}

bool AesCtr(std::string_view key, std::string_view counter, int length_bits, std::string_view data,
            Bytes* out, Failure* failure) {
  if (counter.size() != kBlock)
    return Fail(failure, "algorithm.counter must contain exactly 16 bytes");
  if (length_bits < 1 || length_bits > 128) {
    return Fail(failure, "algorithm.length must be between 1 and 128");
  }
  using u128 = unsigned __int128;
  u128 block = 0;
  for (unsigned char c : counter) block = block << 8 | c;
  u128 mask = length_bits == 128 ? ~u128{0} : ((u128{1} << length_bits) - 1);
  u128 current = block & mask;
  u128 blocks = (data.size() + kBlock - 1) / kBlock;
  out->clear();
  const EVP_CIPHER* cipher = Aes("ctr", key.size());
  // With 128 counter bits OpenSSL's own wrap-around is the rule. Otherwise there are
  // 2^length counters, `remaining` of them before the counter wraps to zero.
  u128 remaining = 0;
  if (length_bits < 128) {
    if (blocks > (u128{1} << length_bits)) return Fail(failure, "The counter would repeat");
    remaining = (u128{1} << length_bits) - current;
  }
  if (length_bits == 128 || blocks <= remaining) {
    CipherRun run{cipher, Direction::kEncrypt, key, counter};
    if (!RunCipher(run, data, out)) return Fail(failure, "Cipher job failed");
    return true;
  }
  size_t first = static_cast<size_t>(remaining) * kBlock;
  CipherRun run{cipher, Direction::kEncrypt, key, counter};
  if (!RunCipher(run, data.substr(0, first), out)) return Fail(failure, "Cipher job failed");
  u128 wrapped = block & ~mask;
  std::string zeroed(kBlock, '\0');
  for (int i = kBlock - 1; i >= 0; --i) {
    zeroed[i] = static_cast<char>(wrapped & 0xff);
    wrapped >>= 8;
  }
  CipherRun rest{cipher, Direction::kEncrypt, key, zeroed};
  if (!RunCipher(rest, data.substr(first), out)) return Fail(failure, "Cipher job failed");
  return true;
}

namespace {

bool IsRsa(EVP_PKEY* key) { return EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA; }

bool ToDer(EVP_PKEY* key, Bytes* spki) {
  unsigned char* raw = nullptr;
  int length = i2d_PUBKEY(key, &raw);
  openssl::Buffer der(raw);
  if (length <= 0 || !der) return false;
  spki->assign(reinterpret_cast<const char*>(der.get()), static_cast<size_t>(length));
  return true;
}

openssl::Pkey ParseSpki(std::string_view der) {
  const unsigned char* p = Data(der);
  openssl::Pkey key(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  if (key && p != Data(der) + der.size()) key.reset();  // trailing bytes
  return key;
}

}  // namespace

bool RsaSpkiFromDer(std::string_view der, Bytes* spki, Failure* failure) {
  openssl::Pkey key = ParseSpki(der);
  if (!key) return Fail(failure, "Invalid keyData", "DataError");
  if (!IsRsa(key.get())) return Fail(failure, "Invalid key type", "DataError");
  if (!ToDer(key.get(), spki)) return Fail(failure, "Invalid keyData", "DataError");
  return true;
}

bool RsaSpkiFromJwk(std::string_view n, std::string_view e, Bytes* spki, Failure* failure) {
  openssl::BigNum modulus(BN_bin2bn(Data(n), static_cast<int>(n.size()), nullptr));
  openssl::BigNum exponent(BN_bin2bn(Data(e), static_cast<int>(e.size()), nullptr));
  openssl::ParamBuilder builder(OSSL_PARAM_BLD_new());
  if (!modulus || !exponent || !builder || BN_is_zero(modulus.get()) ||
      BN_is_zero(exponent.get()) ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, modulus.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, exponent.get()) != 1) {
    return Fail(failure, "Invalid JWK RSA key", "DataError");
  }
  openssl::Params params(OSSL_PARAM_BLD_to_param(builder.get()));
  openssl::PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return Fail(failure, "Invalid JWK RSA key", "DataError");
  }
  openssl::Pkey key(raw);
  if (!ToDer(key.get(), spki)) return Fail(failure, "Invalid JWK RSA key", "DataError");
  return true;
}

bool RsaPublicNumbers(std::string_view spki, int* modulus_bits, Bytes* exponent, Bytes* modulus) {
  openssl::Pkey key = ParseSpki(spki);
  if (!key) return false;
  BIGNUM* n = nullptr;
  BIGNUM* e = nullptr;
  if (EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_RSA_N, &n) != 1) return false;
  openssl::BigNum owned_n(n);
  if (EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_RSA_E, &e) != 1) return false;
  openssl::BigNum owned_e(e);
  *modulus_bits = BN_num_bits(n);
  exponent->resize(BN_num_bytes(e));
  BN_bn2bin(e, reinterpret_cast<unsigned char*>(exponent->data()));
  modulus->resize(BN_num_bytes(n));
  BN_bn2bin(n, reinterpret_cast<unsigned char*>(modulus->data()));
  return true;
}

bool RsaOaepEncrypt(std::string_view spki, const EVP_MD* md, std::string_view label,
                    std::string_view data, Bytes* out, Failure* failure) {
  openssl::Pkey key = ParseSpki(spki);
  if (!key) return Fail(failure, "Invalid key");
  openssl::PkeyCtx ctx(EVP_PKEY_CTX_new(key.get(), nullptr));
  if (!ctx || EVP_PKEY_encrypt_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) != 1 ||
      EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), md) != 1 ||
      EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), md) != 1) {
    return Fail(failure, "Cipher job failed");
  }
  if (!label.empty()) {
    openssl::Buffer copy(static_cast<unsigned char*>(OPENSSL_malloc(label.size())));
    if (!copy) return Fail(failure, "Cipher job failed");
    std::memcpy(copy.get(), label.data(), label.size());
    if (EVP_PKEY_CTX_set0_rsa_oaep_label(ctx.get(), copy.get(), static_cast<int>(label.size())) !=
        1) {
      return Fail(failure, "Cipher job failed");
    }
    (void)copy.release();  // the context owns it now
  }
  size_t length = 0;
  if (EVP_PKEY_encrypt(ctx.get(), nullptr, &length, Data(data), data.size()) != 1) {
    return Fail(failure, "Cipher job failed");
  }
  out->resize(length);
  if (EVP_PKEY_encrypt(ctx.get(), reinterpret_cast<unsigned char*>(out->data()), &length,
                       Data(data), data.size()) != 1) {
    out->clear();
    return Fail(failure, "The operation failed for an operation-specific reason");
  }
  out->resize(length);
  return true;
}

}  // namespace jscore::engine::extensions::crypto::webcrypto
