// Text helpers of Inspect (no V8): UTF-16 strings, Node's string quoting.
#ifndef JSCORE_ENGINE_EXTENSIONS_CONSOLE_INSPECT_TEXT_H_
#define JSCORE_ENGINE_EXTENSIONS_CONSOLE_INSPECT_TEXT_H_

#include <string>
#include <string_view>

namespace jscore::engine::extensions::console::text {

// Inspect works in UTF-16, as Node does, so that line widths match.
using U16 = std::u16string;

U16 U16Of(std::string_view utf8);
// UTF-8 of `text`; lone surrogates become U+FFFD.
std::string Utf8Of(const U16& text);
U16 Repeat(char16_t c, long count);  // empty for count <= 0
inline bool Contains(const U16& text, const U16& part) { return text.find(part) != U16::npos; }
// /^[a-zA-Z_][a-zA-Z_0-9]*$/: keys printed without quotes.
bool IsIdentifier(const U16& key);
// Node's strEscape: single quotes unless the text has some (then double quotes,
// or backticks), control characters and lone surrogates escaped.
U16 StrEscape(const U16& text);

}  // namespace jscore::engine::extensions::console::text

#endif  // JSCORE_ENGINE_EXTENSIONS_CONSOLE_INSPECT_TEXT_H_
