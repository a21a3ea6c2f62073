// Web Crypto and never_jscore's helpers: every vector of tests/crypto_vectors/
// vectors.json (made by Node's webcrypto and crypto, see generate.mjs) through
// jscore, compared byte for byte; RSA-OAEP ciphertexts are decrypted with OpenSSL.
// Then what Node cannot vouch for: random values, UUIDs, shapes and errors.
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/engine/engine_test_support.h"

namespace jscore::testing {
namespace {

using engine::JobSpec;
using engine::Outcome;
using google::protobuf::Value;

std::unique_ptr<engine::Pool> NewPool() {
  auto pool = engine::Pool::Create(TestPlatform(), SmallPool(2));
  EXPECT_TRUE(pool.ok()) << pool.status();
  return pool.ok() ? std::move(*pool) : nullptr;
}

Outcome RunSource(engine::Pool& pool, const std::string& source) {
  engine::EvaluateSpec spec;
  spec.source = source;
  PendingJob p = MakeJob(std::move(spec));
  absl::Status status = pool.Submit(p.job);
  if (!status.ok()) return Outcome::Failed(status);
  return p.Wait();
}

std::string Field(const Value& object, const std::string& name) {
  auto it = object.struct_value().fields().find(name);
  return it == object.struct_value().fields().end() ? "" : it->second.string_value();
}

std::string FromHex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

// OpenSSL's RSA-OAEP decryption of a jscore ciphertext with the vector's private key.
std::string RsaOaepDecrypt(const Value& check, const std::string& ciphertext_hex) {
  std::string der = FromHex(Field(check, "pkcs8"));
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der.size())), EVP_PKEY_free);
  if (!key) return "<bad key>";
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new(key.get(), nullptr), EVP_PKEY_CTX_free);
  const EVP_MD* md = Field(check, "hash") == "SHA-1" ? EVP_sha1() : EVP_sha256();
  std::string label = FromHex(Field(check, "label"));
  if (!ctx || EVP_PKEY_decrypt_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) != 1 ||
      EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), md) != 1 ||
      EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), md) != 1) {
    return "<bad context>";
  }
  if (!label.empty()) {
    auto* copy = static_cast<unsigned char*>(OPENSSL_malloc(label.size()));
    std::memcpy(copy, label.data(), label.size());
    EVP_PKEY_CTX_set0_rsa_oaep_label(ctx.get(), copy, static_cast<int>(label.size()));
  }
  std::string ciphertext = FromHex(ciphertext_hex);
  size_t length = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(ciphertext.data());
  if (EVP_PKEY_decrypt(ctx.get(), nullptr, &length, in, ciphertext.size()) != 1) return "<no size>";
  std::string out(length, '\0');
  if (EVP_PKEY_decrypt(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &length, in,
                       ciphertext.size()) != 1) {
    return "<decryption failed>";
  }
  out.resize(length);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : out) {
    hex.push_back(kDigits[c >> 4]);
    hex.push_back(kDigits[c & 15]);
  }
  return hex;
}

TEST(CryptoVectorsTest, EveryVectorMatchesNode) {
  std::ifstream file(JSCORE_CRYPTO_VECTORS);
  ASSERT_TRUE(file) << "cannot read " << JSCORE_CRYPTO_VECTORS;
  std::stringstream text;
  text << file.rdbuf();
  Value root;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(text.str(), &root).ok());
  const std::string prelude = Field(root, "prelude");
  const auto& vectors = root.struct_value().fields().at("vectors").list_value().values();
  ASSERT_GE(vectors.size(), 150);

  auto pool = NewPool();
  ASSERT_NE(pool, nullptr);
  // All at once: the pool spreads them over its workers.
  std::vector<PendingJob> jobs;
  for (const Value& vector : vectors) {
    engine::EvaluateSpec spec;
    spec.source = "(async () => {\n" + prelude + "\n" + Field(vector, "script") + "\n})()";
    spec.filename = Field(vector, "name");
    jobs.push_back(MakeJob(std::move(spec)));
    ASSERT_TRUE(pool->Submit(jobs.back().job).ok());
  }
  int checked = 0;
  for (int i = 0; i < vectors.size(); ++i) {  // RepeatedPtrField: int size
    const Value& vector = vectors[i];
    const std::string name = Field(vector, "name");
    Outcome o = jobs[i].Wait();
    ASSERT_EQ(o.kind, Outcome::Kind::kValue) << name << ": " << Json(o);
    const auto& fields = vector.struct_value().fields();
    if (auto check = fields.find("check"); check != fields.end()) {
      ASSERT_EQ(Field(check->second, "kind"), "rsa-oaep-decrypt") << name;
      EXPECT_EQ(
          o.value.string_value().size(),
          2 * static_cast<size_t>(
                  check->second.struct_value().fields().at("ciphertext_bytes").number_value()))
          << name;
      EXPECT_EQ(RsaOaepDecrypt(check->second, o.value.string_value()),
                Field(check->second, "plaintext"))
          << name;
    } else {
      EXPECT_EQ(SortedJson(o.value), SortedJson(fields.at("expected"))) << name;
    }
    ++checked;
  }
  EXPECT_EQ(checked, static_cast<int>(vectors.size()));
}

class CryptoTest : public ::testing::Test {
 protected:
  void SetUp() override { pool_ = NewPool(); }
  std::string Eval(const std::string& source) { return Json(RunSource(*pool_, source)); }
  std::unique_ptr<engine::Pool> pool_;
};

TEST_F(CryptoTest, GetRandomValuesFillsIntegerArraysInPlace) {
  EXPECT_EQ(Eval(R"(
    const a = new Uint8Array(64), b = new Uint32Array(16), c = new BigUint64Array(2);
    const same = crypto.getRandomValues(a) === a && crypto.getRandomValues(b) === b && crypto.getRandomValues(c) === c;
    const view = new Uint8Array(new ArrayBuffer(32), 8, 8);
    crypto.getRandomValues(view);
    [same, a.some((x) => x !== 0), b.some((x) => x !== 0), new Uint8Array(view.buffer, 0, 8).every((x) => x === 0),
     crypto.getRandomValues(new Uint8Array(65536)).length, crypto.getRandomValues(new Int8Array(0)).length])"),
            "[true,true,true,true,65536,0]");
  EXPECT_EQ(
      Eval(R"(
    const names = [];
    for (const bad of [new Float32Array(1), new Float64Array(1), new DataView(new ArrayBuffer(4)), [1], 1,
                       new Uint8Array(65537)]) {
      try { crypto.getRandomValues(bad); names.push('ok'); } catch (e) { names.push(e.name + ':' + e.code); }
    }
    names)"),
      R"(["TypeMismatchError:17","TypeMismatchError:17","TypeMismatchError:17","TypeMismatchError:17",)"
      R"("TypeMismatchError:17","QuotaExceededError:22"])");
}

TEST_F(CryptoTest, RandomUuidsAreVersion4AndDistinct) {
  EXPECT_EQ(Eval(R"(
    const seen = new Set();
    let ok = true;
    for (let i = 0; i < 1000; i++) {
      const u = crypto.randomUUID();
      ok = ok && /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(u);
      seen.add(u);
    }
    [ok, seen.size])"),
            "[true,1000]");
}

TEST_F(CryptoTest, TheCryptoGlobalsLookLikeABrowsers) {
  EXPECT_EQ(
      Eval(R"(
    [Object.prototype.toString.call(crypto), Object.prototype.toString.call(crypto.subtle),
     crypto instanceof Crypto, crypto.subtle instanceof SubtleCrypto, crypto.subtle === crypto.subtle,
     String(crypto.getRandomValues), String(crypto.subtle.digest), typeof CryptoKey,
     Object.keys(globalThis).includes('crypto'), Object.keys(globalThis).includes('CryptoKey'),
     (() => { try { new CryptoKey(); return 'constructed'; } catch (e) { return e.name; } })()])"),
      R"(["[object Crypto]","[object SubtleCrypto]",true,true,true,)"
      R"("function getRandomValues() { [native code] }","function digest() { [native code] }","function",)"
      R"(true,false,"TypeError"])");
}

TEST_F(CryptoTest, SubtlePromisesAreSettledAndErrorsAreDomExceptions) {
  EXPECT_EQ(Eval(R"((async () => {
    const p = crypto.subtle.digest('SHA-256', new Uint8Array(0));
    const e = await crypto.subtle.digest('MD5', new Uint8Array(0)).catch((e) => e);
    return [p instanceof Promise, e instanceof DOMException, e instanceof Error, e.name, e.code,
            await crypto.subtle.digest('SHA-1').catch((e) => e.name)];
  })())"),
            R"([true,true,true,"NotSupportedError",9,"TypeError"])");
}

TEST_F(CryptoTest, KeyMaterialStaysOpaque) {
  EXPECT_EQ(Eval(R"((async () => {
    const key = await crypto.subtle.importKey('raw', new Uint8Array(16), 'AES-GCM', false, ['encrypt']);
    return [Object.getOwnPropertyNames(key).length, Object.getOwnPropertySymbols(key).length, JSON.stringify(key),
            await crypto.subtle.exportKey('raw', key).catch((e) => e.name),
            await crypto.subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(12) }, { type: 'secret' }, new Uint8Array(1))
                .catch((e) => e.name)];
  })())"),
            R"([0,0,"{}","InvalidAccessError","TypeError"])");
}

TEST_F(CryptoTest, SyncHelpersKnownAnswersAndNodeSemantics) {
  EXPECT_EQ(
      Eval(
          "[md5('Hello World'), sha1('abc'), String(md5), Object.keys(globalThis).includes('md5'), "
          "Object.keys(globalThis).includes('CryptoUtils')]"),
      R"(["b10a8db164e0754105b7a99be72e3fe5","a9993e364706816aba3e25717850c26c9cd0d89d",)"
      R"("function md5() { [native code] }",false,false])");
  EXPECT_EQ(
      Eval(R"js(
    const h = CryptoUtils.createHash('sha256').update('a');
    const out = [h.update('b') === h, h.digest('hex')];
    try { h.digest('hex'); } catch (e) { out.push(e.message); }
    try { CryptoUtils.createHash('nope'); } catch (e) { out.push(e.message); }
    try { CryptoUtils.urlDecode('%E0%A4%A'); } catch (e) { out.push(e.name); }
    out.push(CryptoUtils.urlEncode("a b&c/d?é~*'()"), CryptoUtils.createHash('SHA-256').update('').digest().constructor.name);
    out)js"),
      R"([true,"fb8e20fc2e4c3f248c60c39bd652f3c1347298bb977b8b4d5903b85055620603","Digest already called",)"
      R"js("Digest method not supported","URIError","a%20b%26c%2Fd%3F%C3%A9~*'()","Uint8Array"])js");
}

TEST_F(CryptoTest, ArrayBufferLimitIsARangeErrorNotACrash) {
  engine::PoolOptions options = SmallPool(1);
  options.array_buffer_limit_mb = 2;
  auto pool = engine::Pool::Create(TestPlatform(), options);
  ASSERT_TRUE(pool.ok());
  Outcome o = RunSource(**pool, R"((async () => {
    const keep = [new Uint8Array(1536 * 1024)];
    const key = await crypto.subtle.importKey('raw', new Uint8Array(16), 'AES-CTR', false, ['encrypt']);
    return crypto.subtle.encrypt({ name: 'AES-CTR', counter: new Uint8Array(16), length: 64 }, key,
                                 new Uint8Array(400 * 1024)).then(() => 'fit', (e) => e.name);
  })())");
  EXPECT_EQ(Json(o), R"("RangeError")");
}

}  // namespace
}  // namespace jscore::testing
