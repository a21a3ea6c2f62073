// URLSearchParams: the class, and what URL needs of it (url.cc installs both).
#ifndef JSCORE_ENGINE_EXTENSIONS_URL_URL_SEARCH_PARAMS_H_
#define JSCORE_ENGINE_EXTENSIONS_URL_URL_SEARCH_PARAMS_H_

#include <string_view>

#include "engine/internal/js_scope.h"

namespace jscore::engine::extensions::url::detail {

// The private key and slots of a URL object's state (url.cc owns them; the
// params write the owner's href through them).
inline constexpr char kUrlKey[] = "jscore.URL";
enum UrlSlot { kHref, kSearchParams, kUrlSlots };

// Builds the URLSearchParams class of a context (the realm's slot).
v8::MaybeLocal<v8::Value> BuildUrlSearchParams(internal::JsScope& scope,
                                               v8::Local<v8::Array> realm);

// A URLSearchParams for `owner` (a URL object), its list parsed from `query`.
v8::MaybeLocal<v8::Object> NewSearchParamsFor(internal::JsScope& scope, v8::Local<v8::Object> owner,
                                              std::string_view query);

// Replaces the list of `params` with the parse of `query` (after URL setters).
bool ResetList(internal::JsScope& scope, v8::Local<v8::Object> params, std::string_view query);

// Whether `value` is a URLSearchParams (fetch bodies are sent form-encoded).
bool IsUrlSearchParams(internal::JsScope& scope, v8::Local<v8::Value> value);

}  // namespace jscore::engine::extensions::url::detail

#endif  // JSCORE_ENGINE_EXTENSIONS_URL_URL_SEARCH_PARAMS_H_
