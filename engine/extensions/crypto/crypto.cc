#include "engine/extensions/crypto/crypto.h"

#include <cstdint>
#include <string>

#include "engine/extensions/crypto/crypto_bytes.h"
#include "engine/extensions/crypto/crypto_common.h"
#include "engine/extensions/crypto/crypto_subtle.h"

namespace jscore::engine::extensions::crypto {
namespace {

using internal::JsScope;

// The built family, kept on the global object under a private key:
// [crypto, Crypto, SubtleCrypto, CryptoKey].
enum Member { kCrypto, kCryptoInterface, kSubtleInterface, kKeyInterface, kMembers };
constexpr const char* kNames[kMembers] = {"crypto", "Crypto", "SubtleCrypto", "CryptoKey"};

v8::Local<v8::Private> FamilyKey(v8::Isolate* isolate) {
  return v8::Private::ForApi(isolate, v8::String::NewFromUtf8Literal(isolate, "jscore:crypto"));
}

void ThrowDom(JsScope& scope, const char* name, const char* message) {
  scope.isolate()->ThrowException(DomException(scope, name, message));
}

void GetRandomValues(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  if (info.Length() < 1) {
    isolate->ThrowException(
        v8::Exception::TypeError(scope.Str("Failed to execute 'getRandomValues' on 'Crypto': 1 "
                                           "argument required, but only 0 present.")));
    return;
  }
  v8::Local<v8::Value> array = info[0];
  bool integer_typed = array->IsInt8Array() || array->IsUint8Array() ||
                       array->IsUint8ClampedArray() || array->IsInt16Array() ||
                       array->IsUint16Array() || array->IsInt32Array() || array->IsUint32Array() ||
                       array->IsBigInt64Array() || array->IsBigUint64Array();
  if (!integer_typed) {
    return ThrowDom(scope, "TypeMismatchError",
                    "The data argument must be an integer-type TypedArray");
  }
  v8::Local<v8::TypedArray> typed = array.As<v8::TypedArray>();
  size_t length = typed->ByteLength();
  if (length > 65536)
    return ThrowDom(scope, "QuotaExceededError", "The requested length exceeds 65,536 bytes");
  if (length > 0) {
    auto* base = static_cast<uint8_t*>(typed->Buffer()->Data());
    RandomBytes(scope, base + typed->ByteOffset(), length);
  }
  info.GetReturnValue().Set(array);
}

void RandomUuid(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  uint8_t bytes[16];
  RandomBytes(scope, bytes, sizeof(bytes));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;  // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80;  // variant 10
  std::string hex = HexEncode(std::string_view(reinterpret_cast<char*>(bytes), sizeof(bytes)));
  std::string uuid = hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
                     hex.substr(16, 4) + "-" + hex.substr(20);
  info.GetReturnValue().Set(scope.Str(uuid));
}

void SubtleGetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  info.GetReturnValue().Set(info.Data());
}

// Builds the family once per context; empty when V8 failed.
v8::MaybeLocal<v8::Array> Family(JsScope& scope) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Object> global = context->Global();
  v8::Local<v8::Value> existing;
  if (!global->GetPrivate(context, FamilyKey(isolate)).ToLocal(&existing)) return {};
  if (existing->IsArray()) return existing.As<v8::Array>();

  SubtleCryptoObjects subtle;
  if (!BuildSubtleCrypto(scope, &subtle)) return {};
  v8::Local<v8::Object> prototype = v8::Object::New(isolate);
  v8::Local<v8::Function> subtle_getter, crypto_interface;
  if (!DefineMethod(scope, prototype, "getRandomValues", GetRandomValues, {}, 1, v8::None) ||
      !DefineMethod(scope, prototype, "randomUUID", RandomUuid, {}, 0, v8::None) ||
      !NativeFunction(scope, "get subtle", SubtleGetter, subtle.subtle).ToLocal(&subtle_getter) ||
      !InterfaceObject(scope, "Crypto", prototype).ToLocal(&crypto_interface)) {
    return {};
  }
  prototype->SetAccessorProperty(scope.Str("subtle"), subtle_getter, {}, v8::None);
  v8::Local<v8::Value> members[kMembers] = {
      v8::Object::New(isolate, prototype, nullptr, nullptr, 0), crypto_interface,
      subtle.subtle_interface, subtle.key_interface};
  v8::Local<v8::Array> family = v8::Array::New(isolate, members, kMembers);
  if (global->SetPrivate(context, FamilyKey(isolate), family).IsNothing()) return {};
  return family;
}

// The lazy data property's getter: V8 replaces the property with what it returns.
void LazyMember(v8::Local<v8::Name> /*name*/, const v8::PropertyCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Array> family;
  v8::Local<v8::Value> member;
  if (!Family(scope).ToLocal(&family) ||
      !family->Get(scope.context(), info.Data().As<v8::Int32>()->Value()).ToLocal(&member)) {
    return;
  }
  info.GetReturnValue().Set(member);
}

}  // namespace

void InstallCrypto(JsScope& scope) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Context> context = scope.context();
  for (int i = 0; i < kMembers; ++i) {
    // `crypto` is enumerable on a browser's window; interface objects are not.
    v8::PropertyAttribute attributes = i == kCrypto ? v8::None : v8::DontEnum;
    if (context->Global()
            ->SetLazyDataProperty(context, scope.Str(kNames[i]), LazyMember,
                                  v8::Integer::New(isolate, i), attributes)
            .IsNothing()) {
      return;
    }
  }
}

}  // namespace jscore::engine::extensions::crypto
