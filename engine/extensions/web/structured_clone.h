// structuredClone: deep copies through V8's ValueSerializer.
#ifndef JSCORE_ENGINE_EXTENSIONS_WEB_STRUCTURED_CLONE_H_
#define JSCORE_ENGINE_EXTENSIONS_WEB_STRUCTURED_CLONE_H_

#include "engine/internal/js_scope.h"

namespace jscore::engine::extensions::web {

// Installs the global `structuredClone(value, {transfer})` (built on first
// access). It serializes with V8's ValueSerializer and reads the bytes back in the
// same context: what V8 can clone (primitives, plain objects, arrays, Date, RegExp,
// Map, Set, ArrayBuffer and views, Error objects, boxed primitives, cycles) is
// cloned; functions, symbols and other uncloneable values throw a DataCloneError
// DOMException. ArrayBuffers listed in `transfer` move to the clone (the originals
// are detached).
void InstallStructuredClone(internal::JsScope& scope);

}  // namespace jscore::engine::extensions::web

#endif  // JSCORE_ENGINE_EXTENSIONS_WEB_STRUCTURED_CLONE_H_
