// What the crypto extensions share: randomness (seeded or not), DOMException-like
// errors, and native functions that print as `[native code]`.
#ifndef JSCORE_ENGINE_EXTENSIONS_CRYPTO_CRYPTO_COMMON_H_
#define JSCORE_ENGINE_EXTENSIONS_CRYPTO_CRYPTO_COMMON_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/internal/js_scope.h"
#include "v8.h"

namespace jscore::engine::extensions::crypto {

// Random bytes for the current context: from its seeded generator when the job or
// session set random_seed (internal::ContextState), else from OpenSSL's CSPRNG.
void RandomBytes(internal::JsScope& scope, uint8_t* out, size_t n);

// A DOMException with the browser's `name` ("OperationError", "DataError"...), as
// extensions/web/dom_exception.h makes them (an Error whose name and legacy `code` say
// the same if that fails). "TypeError" gives a TypeError.
v8::Local<v8::Value> DomException(internal::JsScope& scope, std::string_view name,
                                  std::string_view message);

// A native function named `name` (so it prints `function name() { [native code] }`).
v8::MaybeLocal<v8::Function> NativeFunction(internal::JsScope& scope, std::string_view name,
                                            v8::FunctionCallback callback,
                                            v8::Local<v8::Value> data = {}, int length = 0);

// Defines `on[name]` as such a function; false when V8 failed (termination, OOM).
bool DefineMethod(internal::JsScope& scope, v8::Local<v8::Object> on, std::string_view name,
                  v8::FunctionCallback callback, v8::Local<v8::Value> data = {}, int length = 0,
                  v8::PropertyAttribute attributes = v8::DontEnum);

// A constructor that throws "Illegal constructor" (like the browser's interfaces),
// whose `prototype` is `prototype` and whose prototype says `[object name]`.
v8::MaybeLocal<v8::Function> InterfaceObject(internal::JsScope& scope, std::string_view name,
                                             v8::Local<v8::Object> prototype);

}  // namespace jscore::engine::extensions::crypto

#endif  // JSCORE_ENGINE_EXTENSIONS_CRYPTO_CRYPTO_COMMON_H_
