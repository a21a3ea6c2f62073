#include "engine/extensions/crypto/crypto_subtle.h"

#include <openssl/crypto.h>

#include <string>
#include <vector>

#include "engine/extensions/crypto/crypto_bytes.h"
#include "engine/extensions/crypto/crypto_common.h"
#include "engine/extensions/crypto/crypto_webcrypto.h"
#include "engine/internal/context_host.h"

namespace jscore::engine::extensions::crypto {
namespace {

using internal::JsScope;
using webcrypto::Bytes;
using webcrypto::Direction;
using webcrypto::Failure;
using webcrypto::KeyRecord;

bool Fail(Failure* failure, std::string name, std::string message) {
  failure->name = std::move(name);
  failure->message = std::move(message);
  return false;
}

// What one method does between reading its arguments and settling its promise:
// true with `*result` set, or false (see webcrypto's convention).
using Body = bool (*)(JsScope& scope, const v8::FunctionCallbackInfo<v8::Value>& info,
                      v8::Local<v8::Value>* result, Failure* failure);

// Settles the promise of a SubtleCrypto call; data is [resolver, value, fulfilled].
void SettleLater(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  if (!info.Data()->IsArray()) return;
  v8::Local<v8::Array> data = info.Data().As<v8::Array>();
  v8::Local<v8::Value> resolver, value, fulfilled;
  if (!data->Get(context, 0).ToLocal(&resolver) || !resolver->IsPromise() ||
      !data->Get(context, 1).ToLocal(&value) || !data->Get(context, 2).ToLocal(&fulfilled)) {
    return;
  }
  v8::Local<v8::Promise::Resolver> target = resolver.As<v8::Promise::Resolver>();
  // Nothing only when the job is being stopped: there is no one left to tell.
  (void)(fulfilled->IsTrue() ? target->Resolve(context, value) : target->Reject(context, value))
      .IsNothing();
}

// Settles `resolver` with `value` in a later task, as browsers and Node do (their
// work runs off the thread): a `.then` runs after the microtasks queued after the
// call. The task is one of the job's timers (delay 0), so it keeps a parked job
// alive, is bounded by the job's deadline and is dropped with the job. Without a
// job (or with its timers full) it becomes a microtask: still after the call.
bool SettleInLaterTask(JsScope& scope, v8::Local<v8::Promise::Resolver> resolver,
                       v8::Local<v8::Value> value, bool fulfilled) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Value> parts[] = {resolver, value, v8::Boolean::New(isolate, fulfilled)};
  v8::Local<v8::Array> data = v8::Array::New(isolate, parts, 3);
  v8::Local<v8::Function> settle;
  if (!v8::Function::New(scope.context(), SettleLater, data, 0, v8::ConstructorBehavior::kThrow)
           .ToLocal(&settle)) {
    return false;
  }
  internal::ContextHost* host = internal::ContextHost::From(scope.context());
  if (host != nullptr && host->AddTimer(scope, settle, {}, 0, /*repeat=*/false) != 0) return true;
  v8::MicrotaskQueue* queue = scope.context()->GetMicrotaskQueue();
  if (queue == nullptr) return false;
  queue->EnqueueMicrotask(isolate, settle);
  return true;
}

// Runs `body` and returns a promise settled with its outcome in a later task (the
// work itself is synchronous and bounded by the job's deadline). A terminated job
// keeps terminating; anything else (even a throwing getter) rejects the promise.
void Promised(const v8::FunctionCallbackInfo<v8::Value>& info, Body body, int required,
              const char* method) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Promise::Resolver> resolver;
  if (!v8::Promise::Resolver::New(context).ToLocal(&resolver)) return;
  v8::Local<v8::Value> result;
  Failure failure;
  v8::TryCatch try_catch(isolate);
  bool ok;
  if (info.Length() < required) {
    ok = Fail(&failure, "TypeError",
              std::string("Failed to execute '") + method +
                  "' on 'SubtleCrypto': " + std::to_string(required) +
                  " arguments required, but only " + std::to_string(info.Length()) + " present.");
  } else {
    ok = body(scope, info, &result, &failure);
  }
  if (try_catch.HasTerminated() || isolate->IsExecutionTerminating()) {
    try_catch.ReThrow();
    return;
  }
  if (!ok) {
    if (failure.name.empty() && try_catch.HasCaught()) {
      result = try_catch.Exception();
    } else {
      result = DomException(scope, failure.name.empty() ? "OperationError" : failure.name,
                            failure.message.empty() ? "The operation failed" : failure.message);
    }
    try_catch.Reset();
  }
  if (!SettleInLaterTask(scope, resolver, result, ok)) return;
  info.GetReturnValue().Set(resolver->GetPromise());
}

bool DataArgument(v8::Local<v8::Value> value, Bytes* out, Failure* failure) {
  if (BufferSourceBytes(value, out)) return true;
  return Fail(failure, "TypeError", "data is not an ArrayBuffer, TypedArray or DataView");
}

bool KeyArgument(JsScope& scope, v8::Local<v8::Value> value, KeyRecord* key, Failure* failure) {
  if (webcrypto::ReadKey(scope, value, key)) return true;
  return Fail(failure, "TypeError", "key is not of type CryptoKey");
}

bool Resolve(JsScope& scope, const Bytes& bytes, v8::Local<v8::Value>* result) {
  v8::Local<v8::ArrayBuffer> buffer;
  if (!NewArrayBuffer(scope, bytes).ToLocal(&buffer)) return false;
  *result = buffer;
  return true;
}

bool Digest(JsScope& scope, const v8::FunctionCallbackInfo<v8::Value>& info,
            v8::Local<v8::Value>* result, Failure* failure) {
  std::string name;
  v8::Local<v8::Object> params;
  Bytes data, digest;
  if (!webcrypto::NormalizeAlgorithm(scope, info[0], &name, &params, failure)) return false;
  const EVP_MD* md = webcrypto::HashMd(name);
  if (md == nullptr) return Fail(failure, "NotSupportedError", "Unrecognized algorithm name");
  if (!DataArgument(info[1], &data, failure)) return false;
  if (!openssl::Digest(md, data, &digest)) return Fail(failure, "OperationError", "digest failed");
  return Resolve(scope, digest, result);
}

bool FormatArgument(JsScope& scope, v8::Local<v8::Value> value, std::string* format,
                    Failure* failure) {
  *format = value->IsString() ? scope.Utf8(value.As<v8::String>()) : "";
  if (*format == "raw" || *format == "spki" || *format == "pkcs8" || *format == "jwk") return true;
  return Fail(failure, "TypeError",
              "'" + *format + "' is not a valid enum value of type KeyFormat");
}

bool ImportKey(JsScope& scope, const v8::FunctionCallbackInfo<v8::Value>& info,
               v8::Local<v8::Value>* result, Failure* failure) {
  std::string format, name;
  v8::Local<v8::Object> params;
  uint32_t usages = 0;
  std::vector<std::string> usage_names;
  if (!FormatArgument(scope, info[0], &format, failure) ||
      !webcrypto::NormalizeAlgorithm(scope, info[2], &name, &params, failure) ||
      !webcrypto::ParseUsages(scope, info[4], &usages, failure, &usage_names)) {
    return false;
  }
  return webcrypto::ImportKey(scope, format, info[1], name, params,
                              info[3]->BooleanValue(scope.isolate()), usages, usage_names,
                              info.Data().As<v8::Object>(), result, failure);
}

bool GenerateKey(JsScope& scope, const v8::FunctionCallbackInfo<v8::Value>& info,
                 v8::Local<v8::Value>* result, Failure* failure) {
  std::string name;
  v8::Local<v8::Object> params;
  uint32_t usages = 0;
  std::vector<std::string> usage_names;
  if (!webcrypto::NormalizeAlgorithm(scope, info[0], &name, &params, failure) ||
      !webcrypto::ParseUsages(scope, info[2], &usages, failure, &usage_names)) {
    return false;
  }
  return webcrypto::GenerateKey(scope, name, params, info[1]->BooleanValue(scope.isolate()), usages,
                                usage_names, info.Data().As<v8::Object>(), result, failure);
}

bool ExportKey(JsScope& scope, const v8::FunctionCallbackInfo<v8::Value>& info,
               v8::Local<v8::Value>* result, Failure* failure) {
  std::string format;
  KeyRecord key;
  if (!FormatArgument(scope, info[0], &format, failure) ||
      !KeyArgument(scope, info[1], &key, failure)) {
    return false;
  }
  return webcrypto::ExportKey(scope, format, key, result, failure);
}

// sign and verify: HMAC.
bool Mac(JsScope& scope, const v8::FunctionCallbackInfo<v8::Value>& info, bool verify,
         v8::Local<v8::Value>* result, Failure* failure) {
  std::string name;
  v8::Local<v8::Object> params;
  KeyRecord key;
  Bytes signature, data, mac;
  if (!webcrypto::NormalizeAlgorithm(scope, info[0], &name, &params, failure) ||
      !KeyArgument(scope, info[1], &key, failure) ||
      (verify && !DataArgument(info[2], &signature, failure)) ||
      !DataArgument(info[verify ? 3 : 2], &data, failure)) {
    return false;
  }
  if (name != "HMAC") return Fail(failure, "NotSupportedError", "Unrecognized algorithm name");
  uint32_t usage = verify ? webcrypto::kVerify : webcrypto::kSign;
  if (key.algorithm != name || (key.usages & usage) == 0) {
    return Fail(failure, "InvalidAccessError",
                std::string("Unable to use this key to ") + (verify ? "verify" : "sign"));
  }
  if (!openssl::Hmac(webcrypto::HashMd(key.hash), key.material, data, &mac)) {
    return Fail(failure, "OperationError", "HMAC failed");
  }
  if (verify) {
    bool same = signature.size() == mac.size() &&
                CRYPTO_memcmp(signature.data(), mac.data(), mac.size()) == 0;
    *result = v8::Boolean::New(scope.isolate(), same);
    return true;
  }
  return Resolve(scope, mac, result);
}

bool Sign(JsScope& scope, const v8::FunctionCallbackInfo<v8::Value>& info,
          v8::Local<v8::Value>* result, Failure* failure) {
  return Mac(scope, info, /*verify=*/false, result, failure);
}

bool Verify(JsScope& scope, const v8::FunctionCallbackInfo<v8::Value>& info,
            v8::Local<v8::Value>* result, Failure* failure) {
  return Mac(scope, info, /*verify=*/true, result, failure);
}

bool Cipher(JsScope& scope, const v8::FunctionCallbackInfo<v8::Value>& info, Direction direction,
            v8::Local<v8::Value>* result, Failure* failure) {
  std::string name;
  v8::Local<v8::Object> params;
  KeyRecord key;
  Bytes data, iv, extra, out;
  bool present = false;
  int64_t number = 0;
  if (!webcrypto::NormalizeAlgorithm(scope, info[0], &name, &params, failure)) return false;
  // The algorithm's parameters first (a missing one is a TypeError), then the key.
  if (name == "AES-CBC" || name == "AES-GCM") {
    if (!webcrypto::BytesMember(scope, params, "iv", true, &iv, &present, failure)) return false;
  } else if (name == "AES-CTR") {
    if (!webcrypto::BytesMember(scope, params, "counter", true, &iv, &present, failure) ||
        !webcrypto::IntMember(scope, params, "length", true, &number, &present, failure)) {
      return false;
    }
  } else if (name != "RSA-OAEP") {
    return Fail(failure, "NotSupportedError", "Unrecognized algorithm name");
  }
  int64_t tag_bits = 128;
  if (name == "AES-GCM" &&
      (!webcrypto::BytesMember(scope, params, "additionalData", false, &extra, &present, failure) ||
       !webcrypto::IntMember(scope, params, "tagLength", false, &tag_bits, &present, failure))) {
    return false;
  }
  if (!present && name == "AES-GCM") tag_bits = 128;
  if (name == "RSA-OAEP" &&
      !webcrypto::BytesMember(scope, params, "label", false, &extra, &present, failure)) {
    return false;
  }
  if (!KeyArgument(scope, info[1], &key, failure) || !DataArgument(info[2], &data, failure))
    return false;
  uint32_t usage = direction == Direction::kEncrypt ? webcrypto::kEncrypt : webcrypto::kDecrypt;
  if (key.algorithm != name || (key.usages & usage) == 0) {
    return Fail(failure, "InvalidAccessError",
                "The requested operation is not valid for the provided key");
  }
  bool ok;
  if (name == "AES-CBC") {
    ok = webcrypto::AesCbc(direction, key.material, iv, data, &out, failure);
  } else if (name == "AES-GCM") {
    ok = webcrypto::AesGcm(direction, key.material, iv, extra, static_cast<int>(tag_bits), data,
                           &out, failure);
  } else if (name == "AES-CTR") {
    if (number < 1 || number > 128) {
      return Fail(failure, "OperationError", "AES-CTR algorithm.length must be between 1 and 128");
    }
    ok = webcrypto::AesCtr(key.material, iv, static_cast<int>(number), data, &out, failure);
  } else {
    ok = webcrypto::RsaOaepEncrypt(key.material, webcrypto::HashMd(key.hash), extra, data, &out,
                                   failure);
  }
  return ok && Resolve(scope, out, result);
}

bool Encrypt(JsScope& scope, const v8::FunctionCallbackInfo<v8::Value>& info,
             v8::Local<v8::Value>* result, Failure* failure) {
  return Cipher(scope, info, Direction::kEncrypt, result, failure);
}

bool Decrypt(JsScope& scope, const v8::FunctionCallbackInfo<v8::Value>& info,
             v8::Local<v8::Value>* result, Failure* failure) {
  return Cipher(scope, info, Direction::kDecrypt, result, failure);
}

#define JSCORE_SUBTLE_METHOD(name, body, required)                     \
  void name##Method(const v8::FunctionCallbackInfo<v8::Value>& info) { \
    Promised(info, body, required, #name);                             \
  }
JSCORE_SUBTLE_METHOD(digest, Digest, 2)
JSCORE_SUBTLE_METHOD(importKey, ImportKey, 5)
JSCORE_SUBTLE_METHOD(exportKey, ExportKey, 2)
JSCORE_SUBTLE_METHOD(generateKey, GenerateKey, 3)
JSCORE_SUBTLE_METHOD(sign, Sign, 3)
JSCORE_SUBTLE_METHOD(verify, Verify, 4)
JSCORE_SUBTLE_METHOD(encrypt, Encrypt, 3)
JSCORE_SUBTLE_METHOD(decrypt, Decrypt, 3)
#undef JSCORE_SUBTLE_METHOD

}  // namespace

bool BuildSubtleCrypto(JsScope& scope, SubtleCryptoObjects* out) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Object> key_prototype;
  if (!webcrypto::BuildKeyInterface(scope, &out->key_interface, &key_prototype)) return false;
  v8::Local<v8::Object> prototype = v8::Object::New(isolate);
  struct Entry {
    const char* name;
    v8::FunctionCallback callback;
    int length;
    bool needs_key_prototype;
  };
  const Entry kMethods[] = {
      {"encrypt", encryptMethod, 3, false},    {"decrypt", decryptMethod, 3, false},
      {"sign", signMethod, 3, false},          {"verify", verifyMethod, 4, false},
      {"digest", digestMethod, 2, false},      {"generateKey", generateKeyMethod, 3, true},
      {"importKey", importKeyMethod, 5, true}, {"exportKey", exportKeyMethod, 2, false},
  };
  for (const Entry& m : kMethods) {
    v8::Local<v8::Value> data =
        m.needs_key_prototype ? key_prototype.As<v8::Value>() : v8::Local<v8::Value>();
    if (!DefineMethod(scope, prototype, m.name, m.callback, data, m.length, v8::None)) return false;
  }
  if (!InterfaceObject(scope, "SubtleCrypto", prototype).ToLocal(&out->subtle_interface))
    return false;
  out->subtle = v8::Object::New(isolate, prototype, nullptr, nullptr, 0);
  return true;
}

}  // namespace jscore::engine::extensions::crypto
