// DOMException: the error type that Web APIs throw (InvalidCharacterError,
// DataCloneError, AbortError, TimeoutError...).
#ifndef JSCORE_ENGINE_EXTENSIONS_WEB_DOM_EXCEPTION_H_
#define JSCORE_ENGINE_EXTENSIONS_WEB_DOM_EXCEPTION_H_

#include <string_view>

#include "engine/internal/js_scope.h"

namespace jscore::engine::extensions::web {

// Installs the global `DOMException` (lazily: built on first access). Its instances
// are real Error objects (stack, `instanceof Error`) whose `name`, `message` and
// legacy numeric `code` are brand-checked getters of DOMException.prototype.
void InstallDomException(internal::JsScope& scope);

// new DOMException(message, name) of the scope's context, or empty with an
// exception pending.
v8::MaybeLocal<v8::Object> NewDomException(internal::JsScope& scope, std::string_view message,
                                           std::string_view name);

// structuredClone's step for a DOMException: Just(true) with `*clone` a new
// DOMException of the scope's context with the same name, message and stack;
// Just(false) when `value` is not a DOMException; Nothing with an exception pending.
v8::Maybe<bool> CloneDomException(internal::JsScope& scope, v8::Local<v8::Value> value,
                                  v8::Local<v8::Object>* clone);

// Throws new DOMException(message, name).
void ThrowDomException(internal::JsScope& scope, std::string_view message, std::string_view name);

}  // namespace jscore::engine::extensions::web

#endif  // JSCORE_ENGINE_EXTENSIONS_WEB_DOM_EXCEPTION_H_
