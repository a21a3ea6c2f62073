#include "engine/extensions/console/inspect_text.h"

#include <cstdio>

namespace jscore::engine::extensions::console::text {

U16 U16Of(std::string_view utf8) {
  U16 out;
  out.reserve(utf8.size());
  for (size_t i = 0; i < utf8.size();) {
    unsigned char b = static_cast<unsigned char>(utf8[i]);
    char32_t cp = 0xFFFD;
    size_t n = 1;
    if (b < 0x80) {
      cp = b;
    } else if ((b >> 5) == 0x6 && i + 1 < utf8.size()) {
      cp = ((b & 0x1F) << 6) | (utf8[i + 1] & 0x3F);
      n = 2;
    } else if ((b >> 4) == 0xE && i + 2 < utf8.size()) {
      cp = ((b & 0x0F) << 12) | ((utf8[i + 1] & 0x3F) << 6) | (utf8[i + 2] & 0x3F);
      n = 3;
    } else if ((b >> 3) == 0x1E && i + 3 < utf8.size()) {
      cp = ((b & 0x07) << 18) | ((utf8[i + 1] & 0x3F) << 12) | ((utf8[i + 2] & 0x3F) << 6) |
           (utf8[i + 3] & 0x3F);
      n = 4;
    }
    i += n;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

std::string Utf8Of(const U16& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char32_t cp = text[i];
    if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < text.size() && text[i + 1] >= 0xDC00 &&
        text[i + 1] <= 0xDFFF) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (text[++i] - 0xDC00);
    } else if (cp >= 0xD800 && cp <= 0xDFFF) {
      cp = 0xFFFD;
    }
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  return out;
}

U16 Repeat(char16_t c, long count) {
  return count > 0 ? U16(static_cast<size_t>(count), c) : U16();
}

bool IsIdentifier(const U16& key) {
  if (key.empty()) return false;
  for (size_t i = 0; i < key.size(); ++i) {
    char16_t c = key[i];
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

U16 StrEscape(const U16& text) {
  char16_t quote = u'\'';
  if (Contains(text, u"'")) {
    if (!Contains(text, u"\"")) {
      quote = u'"';
    } else if (!Contains(text, u"`") && !Contains(text, u"${")) {
      quote = u'`';
    }
  }
  U16 out(1, quote);
  for (size_t i = 0; i < text.size(); ++i) {
    char16_t c = text[i];
    char buffer[8];
    if (c == quote && quote == u'\'') {
      out += u"\\'";
    } else if (c == u'\\') {
      out += u"\\\\";
    } else if (c < 0x20 || (c > 0x7E && c < 0xA0)) {
      switch (c) {
        case u'\b':
          out += u"\\b";
          break;
        case u'\t':
          out += u"\\t";
          break;
        case u'\n':
          out += u"\\n";
          break;
        case u'\f':
          out += u"\\f";
          break;
        case u'\r':
          out += u"\\r";
          break;
        default:
          std::snprintf(buffer, sizeof(buffer), "\\x%02X", static_cast<unsigned>(c));
          out += U16Of(buffer);
      }
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      if (c <= 0xDBFF && i + 1 < text.size() && text[i + 1] >= 0xDC00 && text[i + 1] <= 0xDFFF) {
        out.push_back(c);
        out.push_back(text[++i]);
      } else {
        std::snprintf(buffer, sizeof(buffer), "\\u%x", static_cast<unsigned>(c));
        out += U16Of(buffer);
      }
    } else {
      out.push_back(c);
    }
  }
  out.push_back(quote);
  return out;
}

}  // namespace jscore::engine::extensions::console::text
