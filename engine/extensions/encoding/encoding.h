// Encoding: atob, btoa, TextEncoder, TextDecoder (UTF-8).
#ifndef JSCORE_ENGINE_EXTENSIONS_ENCODING_ENCODING_H_
#define JSCORE_ENGINE_EXTENSIONS_ENCODING_ENCODING_H_

#include "engine/internal/js_scope.h"

namespace jscore::engine::extensions::encoding {

// Installs the globals `atob`, `btoa`, `TextEncoder` and `TextDecoder`, each built
// on first access. atob/btoa follow the HTML standard (forgiving base64; bad input
// throws an InvalidCharacterError DOMException); TextEncoder/TextDecoder follow the
// Encoding standard for UTF-8 (fatal, ignoreBOM, streaming decode, encodeInto).
void InstallEncoding(internal::JsScope& scope);

}  // namespace jscore::engine::extensions::encoding

#endif  // JSCORE_ENGINE_EXTENSIONS_ENCODING_ENCODING_H_
