// The basic URL parser and the URL serializer (https://url.spec.whatwg.org/),
// followed step by step; the host parser and percent encoding are in url_host.cc.
#include "engine/whatwg_url/url_parser.h"

#include <algorithm>
#include <cstdint>

namespace jscore::engine::whatwg_url {
namespace {

constexpr char32_t kEof = 0xFFFFFFFF;

bool IsAsciiAlpha(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char32_t c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlphanumeric(char32_t c) { return IsAsciiAlpha(c) || IsAsciiDigit(c); }
char32_t AsciiLower(char32_t c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

bool IsWindowsDriveLetter(std::u32string_view s, bool normalized) {
  return s.size() == 2 && IsAsciiAlpha(s[0]) && (s[1] == ':' || (!normalized && s[1] == '|'));
}
bool IsWindowsDriveLetter(const std::string& s, bool normalized) {
  return s.size() == 2 && IsAsciiAlpha(static_cast<unsigned char>(s[0])) &&
         (s[1] == ':' || (!normalized && s[1] == '|'));
}

// "starts with a Windows drive letter", on the code points from `at`.
bool StartsWithWindowsDriveLetter(const std::u32string& input, int64_t pointer) {
  size_t at = static_cast<size_t>(pointer);
  if (pointer < 0 || at + 2 > input.size()) return false;
  if (!IsWindowsDriveLetter(std::u32string_view(input).substr(at, 2), false)) return false;
  if (at + 2 == input.size()) return true;
  char32_t c = input[at + 2];
  return c == '/' || c == '\\' || c == '?' || c == '#';
}

bool IEquals(const std::string& a, const char* b) {
  size_t n = std::char_traits<char>::length(b);
  if (a.size() != n) return false;
  for (size_t i = 0; i < n; ++i) {
    if (AsciiLower(static_cast<unsigned char>(a[i])) != static_cast<unsigned char>(b[i])) {
      return false;
    }
  }
  return true;
}
bool IsDoubleDot(const std::string& s) {
  return s == ".." || IEquals(s, ".%2e") || IEquals(s, "%2e.") || IEquals(s, "%2e%2e");
}
bool IsSingleDot(const std::string& s) { return s == "." || IEquals(s, "%2e"); }

void ShortenPath(Url& url) {
  if (url.scheme == "file" && url.path.size() == 1 && IsWindowsDriveLetter(url.path[0], true)) {
    return;
  }
  if (!url.path.empty()) url.path.pop_back();
}

std::string EncodeCodePoint(char32_t c, EncodeSet set) {
  std::string utf8;
  AppendUtf8(c, &utf8);
  return PercentEncode(utf8, set);
}

bool IsC0ControlOrSpace(char32_t c) { return c <= 0x20; }

// The code points of `input` with leading/trailing C0 controls and spaces removed
// (when `trim`) and every ASCII tab or newline removed.
std::u32string Preprocess(std::string_view input, bool trim) {
  std::u32string points = DecodeUtf8(input);
  size_t begin = 0, end = points.size();
  if (trim) {
    while (begin < end && IsC0ControlOrSpace(points[begin])) ++begin;
    while (end > begin && IsC0ControlOrSpace(points[end - 1])) --end;
  }
  std::u32string out;
  out.reserve(end - begin);
  for (size_t i = begin; i < end; ++i) {
    char32_t c = points[i];
    if (c != '\t' && c != '\n' && c != '\r') out.push_back(c);
  }
  return out;
}

std::string ToUtf8(std::u32string_view points) {
  std::string out;
  for (char32_t c : points) AppendUtf8(c, &out);
  return out;
}

// The basic URL parser. Returns false on failure. With a state override, a
// "return" of the standard is a success that may leave `url` unchanged.
bool BasicParse(std::string_view raw_input, const Url* base, Url& url,
                std::optional<State> state_override) {
  const std::u32string input = Preprocess(raw_input, !state_override.has_value());
  State state = state_override.value_or(State::kSchemeStart);
  std::u32string buffer;
  bool at_sign_seen = false, inside_brackets = false, password_token_seen = false;
  const bool override = state_override.has_value();

  const int64_t size = static_cast<int64_t>(input.size());
  // The pointer may step back to -1 ("start over", or re-reading the first code
  // point); it is a signed index for that reason.
  for (int64_t pointer = 0;; ++pointer) {
    const char32_t c = pointer < size ? input[pointer] : kEof;
    auto remaining_starts_with = [&](char32_t what) {
      return pointer + 1 < size && input[pointer + 1] == what;
    };
    switch (state) {
      case State::kSchemeStart:
        if (IsAsciiAlpha(c)) {
          buffer.push_back(AsciiLower(c));
          state = State::kScheme;
        } else if (!override) {
          state = State::kNoScheme;
          --pointer;
        } else {
          return false;
        }
        break;

      case State::kScheme:
        if (IsAsciiAlphanumeric(c) || c == '+' || c == '-' || c == '.') {
          buffer.push_back(AsciiLower(c));
        } else if (c == ':') {
          std::string scheme = ToUtf8(buffer);
          if (override) {
            if (url.IsSpecial() != IsSpecialScheme(scheme)) return true;
            if ((url.IncludesCredentials() || url.port) && scheme == "file") return true;
            if (url.scheme == "file" && url.host && url.host->empty()) return true;
          }
          url.scheme = scheme;
          if (override) {
            if (url.port && *url.port == DefaultPort(url.scheme)) url.port.reset();
            return true;
          }
          buffer.clear();
          if (url.scheme == "file") {
            state = State::kFile;
          } else if (url.IsSpecial() && base != nullptr && base->scheme == url.scheme) {
            state = State::kSpecialRelativeOrAuthority;
          } else if (url.IsSpecial()) {
            state = State::kSpecialAuthoritySlashes;
          } else if (remaining_starts_with('/')) {
            state = State::kPathOrAuthority;
            ++pointer;
          } else {
            url.opaque_path = true;
            url.path.assign(1, "");
            state = State::kOpaquePath;
          }
        } else if (!override) {
          buffer.clear();
          state = State::kNoScheme;
          pointer = -1;  // start over
        } else {
          return false;
        }
        break;

      case State::kNoScheme:
        if (base == nullptr || (base->opaque_path && c != '#')) return false;
        if (base->opaque_path && c == '#') {
          url.scheme = base->scheme;
          url.path = base->path;
          url.opaque_path = true;
          url.query = base->query;
          url.fragment = "";
          state = State::kFragment;
        } else if (base->scheme != "file") {
          state = State::kRelative;
          --pointer;
        } else {
          state = State::kFile;
          --pointer;
        }
        break;

      case State::kSpecialRelativeOrAuthority:
        if (c == '/' && remaining_starts_with('/')) {
          state = State::kSpecialAuthorityIgnoreSlashes;
          ++pointer;
        } else {
          state = State::kRelative;
          --pointer;
        }
        break;

      case State::kPathOrAuthority:
        if (c == '/') {
          state = State::kAuthority;
        } else {
          state = State::kPath;
          --pointer;
        }
        break;

      case State::kRelative:
        url.scheme = base->scheme;
        if (c == '/' || (url.IsSpecial() && c == '\\')) {
          state = State::kRelativeSlash;
        } else {
          url.username = base->username;
          url.password = base->password;
          url.host = base->host;
          url.port = base->port;
          url.path = base->path;
          url.query = base->query;
          if (c == '?') {
            url.query = "";
            state = State::kQuery;
          } else if (c == '#') {
            url.fragment = "";
            state = State::kFragment;
          } else if (c != kEof) {
            url.query.reset();
            ShortenPath(url);
            state = State::kPath;
            --pointer;
          }
        }
        break;

      case State::kRelativeSlash:
        if (url.IsSpecial() && (c == '/' || c == '\\')) {
          state = State::kSpecialAuthorityIgnoreSlashes;
        } else if (c == '/') {
          state = State::kAuthority;
        } else {
          url.username = base->username;
          url.password = base->password;
          url.host = base->host;
          url.port = base->port;
          state = State::kPath;
          --pointer;
        }
        break;

      case State::kSpecialAuthoritySlashes:
        state = State::kSpecialAuthorityIgnoreSlashes;
        if (c == '/' && remaining_starts_with('/')) {
          ++pointer;
        } else {
          --pointer;
        }
        break;

      case State::kSpecialAuthorityIgnoreSlashes:
        if (c != '/' && c != '\\') {
          state = State::kAuthority;
          --pointer;
        }
        break;

      case State::kAuthority:
        if (c == '@') {
          if (at_sign_seen) buffer.insert(0, U"%40");
          at_sign_seen = true;
          for (char32_t p : buffer) {
            if (p == ':' && !password_token_seen) {
              password_token_seen = true;
              continue;
            }
            (password_token_seen ? url.password : url.username) +=
                EncodeCodePoint(p, EncodeSet::kUserinfo);
          }
          buffer.clear();
        } else if (c == kEof || c == '/' || c == '?' || c == '#' ||
                   (url.IsSpecial() && c == '\\')) {
          if (at_sign_seen && buffer.empty()) return false;
          pointer -= static_cast<int64_t>(buffer.size()) + 1;
          buffer.clear();
          state = State::kHost;
        } else {
          buffer.push_back(c);
        }
        break;

      case State::kHost:
      case State::kHostname:
        if (override && url.scheme == "file") {
          --pointer;
          state = State::kFileHost;
        } else if (c == ':' && !inside_brackets) {
          if (buffer.empty()) return false;
          if (state_override == State::kHostname) return false;
          std::optional<std::string> host = ParseHost(ToUtf8(buffer), !url.IsSpecial());
          if (!host) return false;
          url.host = *host;
          buffer.clear();
          state = State::kPort;
        } else if (c == kEof || c == '/' || c == '?' || c == '#' ||
                   (url.IsSpecial() && c == '\\')) {
          --pointer;
          if (url.IsSpecial() && buffer.empty()) return false;
          if (override && buffer.empty() && (url.IncludesCredentials() || url.port)) return false;
          std::optional<std::string> host = ParseHost(ToUtf8(buffer), !url.IsSpecial());
          if (!host) return false;
          url.host = *host;
          buffer.clear();
          state = State::kPathStart;
          if (override) return true;
        } else {
          if (c == '[') inside_brackets = true;
          if (c == ']') inside_brackets = false;
          buffer.push_back(c);
        }
        break;

      case State::kPort:
        if (IsAsciiDigit(c)) {
          buffer.push_back(c);
        } else if (c == kEof || c == '/' || c == '?' || c == '#' ||
                   (url.IsSpecial() && c == '\\') || override) {
          if (!buffer.empty()) {
            uint32_t port = 0;
            for (char32_t d : buffer) {
              port = port * 10 + (d - '0');
              if (port > 65535) return false;
            }
            if (static_cast<int>(port) == DefaultPort(url.scheme)) {
              url.port.reset();
            } else {
              url.port = static_cast<int>(port);
            }
            buffer.clear();
          } else if (override) {
            return false;
          }
          if (override) return true;
          state = State::kPathStart;
          --pointer;
        } else {
          return false;
        }
        break;

      case State::kFile:
        url.scheme = "file";
        url.host = "";
        if (c == '/' || c == '\\') {
          state = State::kFileSlash;
        } else if (base != nullptr && base->scheme == "file") {
          url.host = base->host;
          url.path = base->path;
          url.query = base->query;
          if (c == '?') {
            url.query = "";
            state = State::kQuery;
          } else if (c == '#') {
            url.fragment = "";
            state = State::kFragment;
          } else if (c != kEof) {
            url.query.reset();
            if (!StartsWithWindowsDriveLetter(input, pointer)) {
              ShortenPath(url);
            } else {
              url.path.clear();
            }
            state = State::kPath;
            --pointer;
          }
        } else {
          state = State::kPath;
          --pointer;
        }
        break;

      case State::kFileSlash:
        if (c == '/' || c == '\\') {
          state = State::kFileHost;
        } else {
          if (base != nullptr && base->scheme == "file") {
            url.host = base->host;
            if (!StartsWithWindowsDriveLetter(input, pointer) && !base->path.empty() &&
                IsWindowsDriveLetter(base->path[0], true)) {
              url.path.push_back(base->path[0]);
            }
          }
          state = State::kPath;
          --pointer;
        }
        break;

      case State::kFileHost:
        if (c == kEof || c == '/' || c == '\\' || c == '?' || c == '#') {
          --pointer;
          if (!override && IsWindowsDriveLetter(buffer, false)) {
            state = State::kPath;  // the buffer becomes the first path segment
          } else if (buffer.empty()) {
            url.host = "";
            if (override) return true;
            state = State::kPathStart;
          } else {
            std::optional<std::string> host = ParseHost(ToUtf8(buffer), !url.IsSpecial());
            if (!host) return false;
            if (*host == "localhost") host = "";
            url.host = *host;
            if (override) return true;
            buffer.clear();
            state = State::kPathStart;
          }
        } else {
          buffer.push_back(c);
        }
        break;

      case State::kPathStart:
        if (url.IsSpecial()) {
          state = State::kPath;
          if (c != '/' && c != '\\') --pointer;
        } else if (!override && c == '?') {
          url.query = "";
          state = State::kQuery;
        } else if (!override && c == '#') {
          url.fragment = "";
          state = State::kFragment;
        } else if (c != kEof) {
          state = State::kPath;
          if (c != '/') --pointer;
        } else if (override && !url.host) {
          url.path.push_back("");
        }
        break;

      case State::kPath:
        if (c == kEof || c == '/' || (url.IsSpecial() && c == '\\') ||
            (!override && (c == '?' || c == '#'))) {
          std::string segment = ToUtf8(buffer);
          bool slash = c == '/' || (url.IsSpecial() && c == '\\');
          if (IsDoubleDot(segment)) {
            ShortenPath(url);
            if (!slash) url.path.push_back("");
          } else if (IsSingleDot(segment) && !slash) {
            url.path.push_back("");
          } else if (!IsSingleDot(segment)) {
            if (url.scheme == "file" && url.path.empty() && IsWindowsDriveLetter(segment, false)) {
              segment[1] = ':';
            }
            url.path.push_back(std::move(segment));
          }
          buffer.clear();
          if (c == '?') {
            url.query = "";
            state = State::kQuery;
          } else if (c == '#') {
            url.fragment = "";
            state = State::kFragment;
          }
        } else {
          // Encoded as it goes, so that the buffer holds the segment's final form.
          std::string encoded = EncodeCodePoint(c, EncodeSet::kPath);
          for (unsigned char b : encoded) buffer.push_back(b);
        }
        break;

      case State::kOpaquePath:
        if (c == '?') {
          url.query = "";
          state = State::kQuery;
        } else if (c == '#') {
          url.fragment = "";
          state = State::kFragment;
        } else if (c != kEof) {
          url.path[0] += EncodeCodePoint(c, EncodeSet::kC0Control);
        }
        break;

      case State::kQuery:
        if ((!override && c == '#') || c == kEof) {
          EncodeSet set = url.IsSpecial() ? EncodeSet::kSpecialQuery : EncodeSet::kQuery;
          *url.query += PercentEncode(ToUtf8(buffer), set);
          buffer.clear();
          if (c == '#') {
            url.fragment = "";
            state = State::kFragment;
          }
        } else {
          buffer.push_back(c);
        }
        break;

      case State::kFragment:
        if (c != kEof) *url.fragment += EncodeCodePoint(c, EncodeSet::kFragment);
        break;
    }
    if (pointer >= size) break;  // the run ended on the EOF code point
  }
  return true;
}

}  // namespace

bool IsSpecialScheme(std::string_view scheme) {
  return DefaultPort(scheme) != -1 || scheme == "file";
}

int DefaultPort(std::string_view scheme) {
  if (scheme == "http" || scheme == "ws") return 80;
  if (scheme == "https" || scheme == "wss") return 443;
  if (scheme == "ftp") return 21;
  return -1;
}

bool Url::IsSpecial() const { return IsSpecialScheme(scheme); }

std::string Url::Href(bool exclude_fragment) const {
  std::string out = scheme + ":";
  if (host) {
    out += "//";
    if (IncludesCredentials()) {
      out += username;
      if (!password.empty()) out += ":" + password;
      out += "@";
    }
    out += *host;
    if (port) out += ":" + std::to_string(*port);
  }
  if (!host && !opaque_path && path.size() > 1 && path[0].empty()) out += "/.";
  out += Pathname();
  if (query) out += "?" + *query;
  if (!exclude_fragment && fragment) out += "#" + *fragment;
  return out;
}

std::string Url::Origin() const {
  if (scheme == "blob") {
    std::optional<Url> inner = Parse(Pathname());
    if (inner && (inner->scheme == "http" || inner->scheme == "https")) return inner->Origin();
    return "null";
  }
  if (scheme == "ftp" || scheme == "http" || scheme == "https" || scheme == "ws" ||
      scheme == "wss") {
    return scheme + "://" + Host();
  }
  return "null";
}

std::string Url::Host() const {
  if (!host) return "";
  return port ? *host + ":" + std::to_string(*port) : *host;
}

std::string Url::Pathname() const {
  if (opaque_path) return path.empty() ? "" : path[0];
  std::string out;
  for (const std::string& segment : path) out += "/" + segment;
  return out;
}

std::optional<Url> Parse(std::string_view input, const Url* base) {
  Url url;
  if (!BasicParse(input, base, url, std::nullopt)) return std::nullopt;
  return url;
}

bool ParseWithOverride(std::string_view input, Url& url, State state_override) {
  return BasicParse(input, nullptr, url, state_override);
}

NameValueList ParseUrlencoded(std::string_view input) {
  NameValueList list;
  size_t start = 0;
  while (true) {
    size_t end = input.find('&', start);
    if (end == std::string_view::npos) end = input.size();
    std::string_view sequence = input.substr(start, end - start);
    if (!sequence.empty()) {
      size_t eq = sequence.find('=');
      std::string name(sequence.substr(0, eq));
      std::string value(eq == std::string_view::npos ? "" : sequence.substr(eq + 1));
      std::replace(name.begin(), name.end(), '+', ' ');
      std::replace(value.begin(), value.end(), '+', ' ');
      // Percent-decoded bytes, then UTF-8 decoded with replacement.
      list.emplace_back(ToUtf8(DecodeUtf8(PercentDecode(name))),
                        ToUtf8(DecodeUtf8(PercentDecode(value))));
    }
    if (end == input.size()) break;
    start = end + 1;
  }
  return list;
}

std::string SerializeUrlencoded(const NameValueList& list) {
  std::string out;
  for (const auto& [name, value] : list) {
    if (!out.empty()) out.push_back('&');
    out += PercentEncode(name, EncodeSet::kFormUrlencoded, true);
    out.push_back('=');
    out += PercentEncode(value, EncodeSet::kFormUrlencoded, true);
  }
  return out;
}

}  // namespace jscore::engine::whatwg_url
