// The URL Standard's host parser (domains, IPv4, IPv6, opaque hosts), percent
// encoding and UTF-8 helpers. Domains go through UTS #46 (IDNA) with ICU, set up
// as the standard's "domain to ASCII" with beStrict = false asks.
#include <unicode/uidna.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "engine/whatwg_url/url_parser.h"

namespace jscore::engine::whatwg_url {
namespace {

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
int HexValue(char32_t c) {
  if (c >= '0' && c <= '9') return static_cast<int>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<int>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<int>(c - 'A' + 10);
  return -1;
}

bool IsForbiddenHostCodePoint(char32_t c) {
  switch (c) {
    case 0:
    case '\t':
    case '\n':
    case '\r':
    case ' ':
    case '#':
    case '/':
    case ':':
    case '<':
    case '>':
    case '?':
    case '@':
    case '[':
    case '\\':
    case ']':
    case '^':
    case '|':
      return true;
    default:
      return false;
  }
}
bool IsForbiddenDomainCodePoint(char32_t c) {
  return IsForbiddenHostCodePoint(c) || c <= 0x1F || c == '%' || c == 0x7F;
}

// The IPv4 number parser: decimal, 0x-hex or 0-octal; nullopt on failure.
std::optional<uint64_t> ParseIpv4Number(std::string_view input) {
  if (input.empty()) return std::nullopt;
  int radix = 10;
  if (input.size() >= 2 && input[0] == '0' && (input[1] == 'x' || input[1] == 'X')) {
    radix = 16;
    input.remove_prefix(2);
  } else if (input.size() >= 2 && input[0] == '0') {
    radix = 8;
    input.remove_prefix(1);
  }
  uint64_t value = 0;
  for (char c : input) {
    int digit = HexValue(static_cast<unsigned char>(c));
    if (digit < 0 || digit >= radix) return std::nullopt;
    value = value * radix + digit;
    if (value > (uint64_t{1} << 40)) value = uint64_t{1} << 40;  // saturate: only "too big" matters
  }
  return value;
}

std::vector<std::string_view> SplitDots(std::string_view input) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t dot = input.find('.', start);
    if (dot == std::string_view::npos) {
      parts.push_back(input.substr(start));
      return parts;
    }
    parts.push_back(input.substr(start, dot - start));
    start = dot + 1;
  }
}

bool EndsInANumber(std::string_view input) {
  std::vector<std::string_view> parts = SplitDots(input);
  if (parts.back().empty()) {
    if (parts.size() == 1) return false;
    parts.pop_back();
  }
  std::string_view last = parts.back();
  if (!last.empty()) {
    bool digits = true;
    for (char c : last) digits = digits && IsAsciiDigit(c);
    if (digits) return true;
  }
  return ParseIpv4Number(last).has_value();
}

std::optional<std::string> ParseIpv4(std::string_view input) {
  std::vector<std::string_view> parts = SplitDots(input);
  if (parts.back().empty() && parts.size() > 1) parts.pop_back();
  if (parts.size() > 4) return std::nullopt;
  std::vector<uint64_t> numbers;
  for (std::string_view part : parts) {
    std::optional<uint64_t> n = ParseIpv4Number(part);
    if (!n) return std::nullopt;
    numbers.push_back(*n);
  }
  for (size_t i = 0; i + 1 < numbers.size(); ++i) {
    if (numbers[i] > 255) return std::nullopt;
  }
  if (numbers.back() >= (uint64_t{1} << (8 * (5 - numbers.size())))) return std::nullopt;
  uint64_t ipv4 = numbers.back();
  for (size_t i = 0; i + 1 < numbers.size(); ++i) ipv4 += numbers[i] << (8 * (3 - i));
  return std::to_string((ipv4 >> 24) & 255) + "." + std::to_string((ipv4 >> 16) & 255) + "." +
         std::to_string((ipv4 >> 8) & 255) + "." + std::to_string(ipv4 & 255);
}

std::optional<std::string> ParseIpv6(std::u32string_view input) {
  std::array<uint16_t, 8> address{};
  int piece_index = 0;
  int compress = -1;
  size_t pointer = 0;
  auto at = [&](size_t i) -> char32_t { return i < input.size() ? input[i] : 0xFFFFFFFF; };
  constexpr char32_t kEof = 0xFFFFFFFF;
  if (at(pointer) == ':') {
    if (at(pointer + 1) != ':') return std::nullopt;
    pointer += 2;
    compress = ++piece_index;
  }
  while (at(pointer) != kEof) {
    if (piece_index == 8) return std::nullopt;
    if (at(pointer) == ':') {
      if (compress != -1) return std::nullopt;
      ++pointer;
      compress = ++piece_index;
      continue;
    }
    uint32_t value = 0;
    int length = 0;
    while (length < 4 && HexValue(at(pointer)) >= 0) {
      value = value * 16 + HexValue(at(pointer));
      ++pointer;
      ++length;
    }
    if (at(pointer) == '.') {
      if (length == 0) return std::nullopt;
      pointer -= length;
      if (piece_index > 6) return std::nullopt;
      int numbers_seen = 0;
      while (at(pointer) != kEof) {
        int ipv4_piece = -1;
        if (numbers_seen > 0) {
          if (at(pointer) == '.' && numbers_seen < 4) {
            ++pointer;
          } else {
            return std::nullopt;
          }
        }
        if (at(pointer) > 0x7F || !IsAsciiDigit(static_cast<char>(at(pointer)))) {
          return std::nullopt;
        }
        while (at(pointer) <= 0x7F && IsAsciiDigit(static_cast<char>(at(pointer)))) {
          int number = static_cast<int>(at(pointer) - '0');
          if (ipv4_piece == -1) {
            ipv4_piece = number;
          } else if (ipv4_piece == 0) {
            return std::nullopt;
          } else {
            ipv4_piece = ipv4_piece * 10 + number;
          }
          if (ipv4_piece > 255) return std::nullopt;
          ++pointer;
        }
        address[piece_index] = static_cast<uint16_t>(address[piece_index] * 0x100 + ipv4_piece);
        ++numbers_seen;
        if (numbers_seen == 2 || numbers_seen == 4) ++piece_index;
      }
      if (numbers_seen != 4) return std::nullopt;
      break;
    } else if (at(pointer) == ':') {
      ++pointer;
      if (at(pointer) == kEof) return std::nullopt;
    } else if (at(pointer) != kEof) {
      return std::nullopt;
    }
    address[piece_index] = static_cast<uint16_t>(value);
    ++piece_index;
  }
  if (compress != -1) {
    int swaps = piece_index - compress;
    piece_index = 7;
    while (piece_index != 0 && swaps > 0) {
      std::swap(address[piece_index], address[compress + swaps - 1]);
      --piece_index;
      --swaps;
    }
  } else if (piece_index != 8) {
    return std::nullopt;
  }
  // Serialize: the first longest run of two or more zero pieces becomes "::".
  int best = -1, best_length = 1;
  for (int i = 0; i < 8;) {
    if (address[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && address[j] == 0) ++j;
    if (j - i > best_length) {
      best = i;
      best_length = j - i;
    }
    i = j;
  }
  std::string out = "[";
  bool ignore0 = false;
  for (int i = 0; i < 8; ++i) {
    if (ignore0 && address[i] == 0) continue;
    ignore0 = false;
    if (best == i) {
      out += i == 0 ? "::" : ":";
      ignore0 = true;
      continue;
    }
    char piece[8];
    std::snprintf(piece, sizeof(piece), "%x", address[i]);
    out += piece;
    if (i != 7) out += ":";
  }
  return out + "]";
}

const UIDNA* Uts46() {
  // Immutable once made, and ICU allows concurrent use: shared by every worker.
  static const UIDNA* const idna = [] {
    UErrorCode status = U_ZERO_ERROR;
    UIDNA* made = uidna_openUTS46(
        UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ | UIDNA_NONTRANSITIONAL_TO_ASCII, &status);
    return U_SUCCESS(status) ? made : nullptr;
  }();
  return idna;
}

// "domain to ASCII" with beStrict = false; nullopt on failure.
std::optional<std::string> DomainToAscii(const std::string& domain) {
  bool plain = true;  // ASCII without punycode labels: lowercasing is all UTS #46 does
  for (unsigned char c : domain) plain = plain && c < 0x80;
  std::string lower = domain;
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  if (plain && lower.find("xn--") == std::string::npos) {
    if (lower.empty()) return std::nullopt;
    return lower;
  }
  const UIDNA* idna = Uts46();
  if (idna == nullptr) return std::nullopt;
  std::string out(domain.size() * 4 + 64, '\0');
  UIDNAInfo info = UIDNA_INFO_INITIALIZER;
  UErrorCode status = U_ZERO_ERROR;
  int32_t length =
      uidna_nameToASCII_UTF8(idna, domain.data(), static_cast<int32_t>(domain.size()), out.data(),
                             static_cast<int32_t>(out.size()), &info, &status);
  if (status == U_BUFFER_OVERFLOW_ERROR) {
    status = U_ZERO_ERROR;
    info = UIDNA_INFO_INITIALIZER;
    out.resize(length);
    length = uidna_nameToASCII_UTF8(idna, domain.data(), static_cast<int32_t>(domain.size()),
                                    out.data(), length, &info, &status);
  }
  // The URL Standard turns off CheckHyphens and VerifyDnsLength, which ICU always
  // reports: ignore those errors (as browsers and Node.js do).
  uint32_t errors = info.errors;
  errors &= ~static_cast<uint32_t>(UIDNA_ERROR_HYPHEN_3_4 | UIDNA_ERROR_LEADING_HYPHEN |
                                   UIDNA_ERROR_TRAILING_HYPHEN | UIDNA_ERROR_EMPTY_LABEL |
                                   UIDNA_ERROR_LABEL_TOO_LONG | UIDNA_ERROR_DOMAIN_NAME_TOO_LONG);
  if (U_FAILURE(status) || errors != 0 || length <= 0) return std::nullopt;
  out.resize(length);
  return out;
}

}  // namespace

std::optional<std::string> ParseHost(std::string_view input, bool opaque) {
  if (!input.empty() && input[0] == '[') {
    if (input.back() != ']') return std::nullopt;
    return ParseIpv6(DecodeUtf8(input.substr(1, input.size() - 2)));
  }
  if (opaque) {
    for (char32_t c : DecodeUtf8(input)) {
      if (IsForbiddenHostCodePoint(c)) return std::nullopt;
    }
    return PercentEncode(input, EncodeSet::kC0Control);
  }
  std::u32string decoded = DecodeUtf8(PercentDecode(input));
  std::string domain;
  for (char32_t c : decoded) AppendUtf8(c, &domain);
  std::optional<std::string> ascii = DomainToAscii(domain);
  if (!ascii) return std::nullopt;
  for (unsigned char c : *ascii) {
    if (IsForbiddenDomainCodePoint(c)) return std::nullopt;
  }
  if (EndsInANumber(*ascii)) return ParseIpv4(*ascii);
  return ascii;
}

bool InEncodeSet(char32_t c, EncodeSet set) {
  if (c < 0x20 || c > 0x7E) return true;
  auto in = [c](const char* chars) {
    return std::string_view(chars).find(static_cast<char>(c)) != std::string_view::npos;
  };
  switch (set) {
    case EncodeSet::kC0Control:
      return false;
    case EncodeSet::kFragment:
      return in(" \"<>`");
    case EncodeSet::kQuery:
      return in(" \"#<>");
    case EncodeSet::kSpecialQuery:
      return in(" \"#<>'");
    case EncodeSet::kPath:
      return in(" \"#<>?`{}");
    case EncodeSet::kUserinfo:
      return in(" \"#<>?`{}/:;=@[\\]^|");
    case EncodeSet::kComponent:
      return in(" \"#<>?`{}/:;=@[\\]^|$%&+,");
    case EncodeSet::kFormUrlencoded:
      return in(" \"#<>?`{}/:;=@[\\]^|$%&+,!'()~");
  }
  return true;
}

std::string PercentEncode(std::string_view input, EncodeSet set, bool space_as_plus) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(input.size());
  for (unsigned char b : input) {
    if (space_as_plus && b == ' ') {
      out.push_back('+');
    } else if (b >= 0x80 || InEncodeSet(b, set)) {  // bytes of non-ASCII code points
      out.push_back('%');
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 15]);
    } else {
      out.push_back(static_cast<char>(b));
    }
  }
  return out;
}

std::string PercentDecode(std::string_view input) {
  std::string out;
  out.reserve(input.size());
  for (size_t i = 0; i < input.size(); ++i) {
    if (input[i] == '%' && i + 2 < input.size() && HexValue(input[i + 1]) >= 0 &&
        HexValue(input[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(input[i + 1]) * 16 + HexValue(input[i + 2])));
      i += 2;
    } else {
      out.push_back(input[i]);
    }
  }
  return out;
}

std::u32string DecodeUtf8(std::string_view input) {
  std::u32string out;
  out.reserve(input.size());
  size_t i = 0;
  while (i < input.size()) {
    unsigned char b = static_cast<unsigned char>(input[i]);
    if (b < 0x80) {
      out.push_back(b);
      ++i;
      continue;
    }
    int needed = 0;
    char32_t cp = 0;
    unsigned char lower = 0x80, upper = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      needed = 1;
      cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
      needed = 2;
      cp = b & 0x0F;
      if (b == 0xE0) lower = 0xA0;
      if (b == 0xED) upper = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      needed = 3;
      cp = b & 0x07;
      if (b == 0xF0) lower = 0x90;
      if (b == 0xF4) upper = 0x8F;
    } else {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    size_t j = i + 1;
    bool ok = true;
    for (int k = 0; k < needed; ++k, ++j) {
      unsigned char c = j < input.size() ? static_cast<unsigned char>(input[j]) : 0;
      if (j >= input.size() || c < lower || c > upper) {
        ok = false;
        break;
      }
      lower = 0x80;
      upper = 0xBF;
      cp = (cp << 6) | (c & 0x3F);
    }
    if (ok) {
      out.push_back(cp);
    } else {
      out.push_back(0xFFFD);  // the maximal subpart is replaced; resume at the bad byte
    }
    i = j;
  }
  return out;
}

void AppendUtf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

}  // namespace jscore::engine::whatwg_url
