// Internal to the fetch family (fetch.cc, fetch_headers.cc, xhr.cc): header lists,
// bodies, methods and the classes' builders.
#ifndef JSCORE_ENGINE_EXTENSIONS_FETCH_FETCH_INTERNAL_H_
#define JSCORE_ENGINE_EXTENSIONS_FETCH_FETCH_INTERNAL_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "engine/internal/http_client.h"
#include "engine/internal/js_scope.h"

namespace jscore::engine::extensions::fetch::detail {

using internal::HeaderList;
using internal::JsScope;

// ---- Headers (fetch_headers.cc) ----

v8::MaybeLocal<v8::Value> BuildHeaders(JsScope& scope, v8::Local<v8::Array> realm);
// A new Headers object holding `list` (names already lowercase and valid).
v8::MaybeLocal<v8::Object> NewHeaders(JsScope& scope, const HeaderList& list);
// Appends what a HeadersInit holds (a Headers, a sequence of pairs, a record) to
// `list`, validating names and values. False with a TypeError pending otherwise.
bool AppendHeadersInit(JsScope& scope, v8::Local<v8::Value> init, HeaderList* list);
// The list of a Headers object (false, nothing thrown, when it is not one).
bool ListOf(JsScope& scope, v8::Local<v8::Value> headers, HeaderList* list);
// The values of `name` (lowercase) joined by ", ", or false when absent.
bool Combined(const HeaderList& list, std::string_view name, std::string* value);
// Sorted by name with the values of one name combined (set-cookie stays apart).
HeaderList SortAndCombine(const HeaderList& list);

// ---- bodies, methods, errors (fetch.cc) ----

// Extracts a request body: string (UTF-8), ArrayBuffer, a view, URLSearchParams;
// undefined or null is no body. `*content_type` gets the default type (or "").
// False with an exception pending.
bool ExtractBody(JsScope& scope, v8::Local<v8::Value> body, std::string* bytes,
                 std::string* content_type, bool* has_body);
// A normalized method (GET, POST... uppercased), or false with a TypeError pending.
bool NormalizeMethod(JsScope& scope, v8::Local<v8::Value> value, std::string* method);
// The text of a body: UTF-8 with a leading BOM dropped, invalid bytes as U+FFFD.
v8::MaybeLocal<v8::String> BodyText(JsScope& scope, std::string_view bytes);
// The bytes of a Uint8Array (empty for anything else).
std::string_view BytesOf(v8::Local<v8::Value> view);
// A TypeError for a failed transfer or a refused URL.
v8::Local<v8::Value> NetworkError(JsScope& scope, const absl::Status& status);

// ---- XMLHttpRequest (xhr.cc) ----

v8::MaybeLocal<v8::Value> BuildXmlHttpRequest(JsScope& scope, v8::Local<v8::Array> realm);

}  // namespace jscore::engine::extensions::fetch::detail

#endif  // JSCORE_ENGINE_EXTENSIONS_FETCH_FETCH_INTERNAL_H_
