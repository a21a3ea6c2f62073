// URL and URLSearchParams, as the WHATWG URL Standard defines them.
#ifndef JSCORE_ENGINE_EXTENSIONS_URL_URL_H_
#define JSCORE_ENGINE_EXTENSIONS_URL_URL_H_

#include "engine/internal/js_scope.h"

namespace jscore::engine::extensions::url {

// Installs the globals `URL` and `URLSearchParams` (each built on first access).
// Parsing is url_parser.h's (hosts through UTS #46 with ICU); a URL object keeps
// its serialization and re-parses it on access; `url.searchParams` is live in both
// directions. Invalid URLs throw TypeError("Invalid URL").
void InstallUrl(internal::JsScope& scope);

}  // namespace jscore::engine::extensions::url

#endif  // JSCORE_ENGINE_EXTENSIONS_URL_URL_H_
