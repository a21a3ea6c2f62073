// DOMException: the error type that Web APIs throw (InvalidCharacterError,
// DataCloneError, AbortError, TimeoutError...).
#ifndef JSCORE_ENGINE_EXTENSIONS_DOM_EXCEPTION_H_
#define JSCORE_ENGINE_EXTENSIONS_DOM_EXCEPTION_H_

#include <string_view>

#include "engine/internal/js_scope.h"

namespace jscore::engine::extensions {

// Installs the global `DOMException` (lazily: built on first access). Its instances
// are real Error objects (stack, `instanceof Error`) with `name`, `message` and the
// legacy numeric `code`.
void InstallDomException(internal::JsScope& scope);

// new DOMException(message, name) of the scope's context, or empty with an
// exception pending.
v8::MaybeLocal<v8::Object> NewDomException(internal::JsScope& scope, std::string_view message,
                                           std::string_view name);

// Throws new DOMException(message, name).
void ThrowDomException(internal::JsScope& scope, std::string_view message, std::string_view name);

}  // namespace jscore::engine::extensions

#endif  // JSCORE_ENGINE_EXTENSIONS_DOM_EXCEPTION_H_
