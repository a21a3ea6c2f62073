#include "engine/extensions/crypto/crypto_common.h"

#include <openssl/rand.h>

#include <cstdlib>

#include "engine/extensions/web/dom_exception.h"
#include "engine/internal/context_state.h"

namespace jscore::engine::extensions::crypto {

using internal::ContextState;
using internal::JsScope;

void RandomBytes(JsScope& scope, uint8_t* out, size_t n) {
  ContextState* state = ContextState::From(scope.context());
  if (state != nullptr && state->random) {
    state->random->Fill(out, n);
    return;
  }
  while (n > 0) {
    int chunk = static_cast<int>(n > (1 << 20) ? (1 << 20) : n);
    if (RAND_bytes(out, chunk) != 1) {
      // OpenSSL's DRBG does not fail once seeded; never hand out predictable bytes.
      std::abort();
    }
    out += chunk;
    n -= chunk;
  }
}

namespace {

int LegacyCode(std::string_view name) {
  if (name == "NotSupportedError") return 9;
  if (name == "InvalidAccessError") return 15;
  if (name == "TypeMismatchError") return 17;
  if (name == "QuotaExceededError") return 22;
  if (name == "SyntaxError") return 12;
  if (name == "InvalidStateError") return 11;
  return 0;  // OperationError, DataError...
}

}  // namespace

v8::Local<v8::Value> DomException(JsScope& scope, std::string_view name, std::string_view message) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::String> text = scope.Str(message);
  if (name == "TypeError") return v8::Exception::TypeError(text);
  {
    v8::TryCatch try_catch(isolate);
    v8::Local<v8::Object> made;
    if (web::NewDomException(scope, message, name).ToLocal(&made)) return made;
    if (try_catch.HasTerminated()) {
      try_catch.ReThrow();
      return v8::Undefined(isolate);
    }
  }
  // No DOMException in this context (a bare one): an Error that says the same.
  v8::Local<v8::Value> error = v8::Exception::Error(text);
  if (error->IsObject()) {
    v8::Local<v8::Object> object = error.As<v8::Object>();
    (void)object->DefineOwnProperty(context, scope.Str("name"), scope.Str(name), v8::DontEnum);
    (void)object->DefineOwnProperty(context, scope.Str("code"),
                                    v8::Integer::New(isolate, LegacyCode(name)), v8::DontEnum);
  }
  return error;
}

v8::MaybeLocal<v8::Function> NativeFunction(JsScope& scope, std::string_view name,
                                            v8::FunctionCallback callback,
                                            v8::Local<v8::Value> data, int length) {
  v8::Local<v8::Function> fn;
  if (!v8::Function::New(scope.context(), callback, data, length, v8::ConstructorBehavior::kThrow)
           .ToLocal(&fn)) {
    return {};
  }
  fn->SetName(scope.Str(name));
  return fn;
}

bool DefineMethod(JsScope& scope, v8::Local<v8::Object> on, std::string_view name,
                  v8::FunctionCallback callback, v8::Local<v8::Value> data, int length,
                  v8::PropertyAttribute attributes) {
  v8::Local<v8::Function> fn;
  if (!NativeFunction(scope, name, callback, data, length).ToLocal(&fn)) return false;
  return !on->DefineOwnProperty(scope.context(), scope.Str(name), fn, attributes).IsNothing();
}

namespace {

void IllegalConstructor(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  isolate->ThrowException(
      v8::Exception::TypeError(v8::String::NewFromUtf8Literal(isolate, "Illegal constructor")));
}

}  // namespace

v8::MaybeLocal<v8::Function> InterfaceObject(JsScope& scope, std::string_view name,
                                             v8::Local<v8::Object> prototype) {
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Function> constructor;
  if (!v8::Function::New(context, IllegalConstructor, {}, 0, v8::ConstructorBehavior::kAllow)
           .ToLocal(&constructor)) {
    return {};
  }
  constructor->SetName(scope.Str(name));
  auto fixed = static_cast<v8::PropertyAttribute>(v8::DontEnum | v8::DontDelete | v8::ReadOnly);
  if (constructor->DefineOwnProperty(context, scope.Str("prototype"), prototype, fixed)
          .IsNothing() ||
      prototype->DefineOwnProperty(context, scope.Str("constructor"), constructor, v8::DontEnum)
          .IsNothing() ||
      prototype
          ->DefineOwnProperty(context, v8::Symbol::GetToStringTag(scope.isolate()), scope.Str(name),
                              static_cast<v8::PropertyAttribute>(v8::DontEnum | v8::ReadOnly))
          .IsNothing()) {
    return {};
  }
  return constructor;
}

}  // namespace jscore::engine::extensions::crypto
