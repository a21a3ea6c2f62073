// Bytes between JavaScript and the crypto extensions: BufferSource and string
// inputs, ArrayBuffer/Uint8Array outputs, hex and base64 codecs.
#ifndef JSCORE_ENGINE_EXTENSIONS_CRYPTO_CRYPTO_BYTES_H_
#define JSCORE_ENGINE_EXTENSIONS_CRYPTO_CRYPTO_BYTES_H_

#include <string>
#include <string_view>

#include "engine/internal/js_scope.h"
#include "v8.h"

namespace jscore::engine::extensions::crypto {

// Copies the bytes of an ArrayBuffer, a typed array or a DataView (a WebIDL
// BufferSource). False for anything else.
bool BufferSourceBytes(v8::Local<v8::Value> value, std::string* out);

// A BufferSource's bytes, or a string's UTF-8 (or, with `latin1`, the low byte of
// each UTF-16 unit, as Node's 'latin1'/'binary'). False for anything else.
enum class StringBytes { kUtf8, kLatin1 };
bool InputBytes(internal::JsScope& scope, v8::Local<v8::Value> value, std::string* out,
                StringBytes strings = StringBytes::kUtf8);

// A new ArrayBuffer / Uint8Array holding `bytes`, its memory counted by the
// isolate's ArrayBuffer allocator. Empty, with a RangeError thrown, when the
// allocator refuses (V8's own ArrayBuffer::New would abort the process instead).
v8::MaybeLocal<v8::ArrayBuffer> NewArrayBuffer(internal::JsScope& scope, std::string_view bytes);
v8::MaybeLocal<v8::Uint8Array> NewUint8Array(internal::JsScope& scope, std::string_view bytes);

// A string of Latin-1 characters, one per byte (never fails for sane sizes).
v8::Local<v8::String> Latin1String(internal::JsScope& scope, std::string_view bytes);

std::string HexEncode(std::string_view bytes);
// Node's Buffer.from(s, 'hex'): pairs up to the first non-hex digit; an odd tail is dropped.
std::string HexDecode(std::string_view hex);
// Standard alphabet with padding, or (url) the URL-safe alphabet without padding.
std::string Base64Encode(std::string_view bytes, bool url = false);
// Accepts both alphabets, with or without padding, ignoring whitespace; false on any
// other character or an impossible length.
bool Base64Decode(std::string_view text, std::string* out);

}  // namespace jscore::engine::extensions::crypto

#endif  // JSCORE_ENGINE_EXTENSIONS_CRYPTO_CRYPTO_BYTES_H_
