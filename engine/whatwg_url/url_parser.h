// The WHATWG URL Standard's parsers and serializers, in plain C++ (no V8): the
// basic URL parser (with state overrides, for the URL setters), the host parser
// (IPv4, IPv6, opaque hosts, domains through UTS #46 / IDNA with ICU), percent
// encoding and application/x-www-form-urlencoded.
#ifndef JSCORE_ENGINE_WHATWG_URL_URL_PARSER_H_
#define JSCORE_ENGINE_WHATWG_URL_URL_PARSER_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace jscore::engine::whatwg_url {

// A parsed URL record. Strings are UTF-8; after parsing they are ASCII (everything
// else is percent-encoded or punycoded). Plain data: any thread.
struct Url {
  std::string scheme;
  std::string username;
  std::string password;
  std::optional<std::string> host;  // serialized: "[::1]" for IPv6, "" for the empty host
  std::optional<int> port;
  bool opaque_path = false;  // path is then exactly one string
  std::vector<std::string> path;
  std::optional<std::string> query;
  std::optional<std::string> fragment;

  bool IsSpecial() const;
  bool IncludesCredentials() const { return !username.empty() || !password.empty(); }
  bool CannotHaveCredentialsOrPort() const { return !host || host->empty() || scheme == "file"; }

  // The URL serializer.
  std::string Href(bool exclude_fragment = false) const;
  // The getters of the URL class.
  std::string Origin() const;
  std::string Protocol() const { return scheme + ":"; }
  std::string Host() const;
  std::string Hostname() const { return host.value_or(""); }
  std::string Port() const { return port ? std::to_string(*port) : ""; }
  std::string Pathname() const;
  std::string Search() const { return query && !query->empty() ? "?" + *query : ""; }
  std::string Hash() const { return fragment && !fragment->empty() ? "#" + *fragment : ""; }
};

enum class State {
  kSchemeStart,
  kScheme,
  kNoScheme,
  kSpecialRelativeOrAuthority,
  kPathOrAuthority,
  kRelative,
  kRelativeSlash,
  kSpecialAuthoritySlashes,
  kSpecialAuthorityIgnoreSlashes,
  kAuthority,
  kHost,
  kHostname,
  kPort,
  kFile,
  kFileSlash,
  kFileHost,
  kPathStart,
  kPath,
  kOpaquePath,
  kQuery,
  kFragment,
};

// The basic URL parser: `input` (UTF-8) resolved against `base`; nullopt on failure.
std::optional<Url> Parse(std::string_view input, const Url* base = nullptr);

// The basic URL parser with a state override, as the URL setters run it: modifies
// `url` in place, and keeps what it changed before a failure (false), as the
// standard does.
bool ParseWithOverride(std::string_view input, Url& url, State state_override);

// Default port of a special scheme, or -1.
int DefaultPort(std::string_view scheme);
bool IsSpecialScheme(std::string_view scheme);

// The host parser; `opaque` for non-special URLs. nullopt on failure.
std::optional<std::string> ParseHost(std::string_view input, bool opaque);

// Percent-encode sets.
enum class EncodeSet {
  kC0Control,
  kFragment,
  kQuery,
  kSpecialQuery,
  kPath,
  kUserinfo,
  kComponent,
  kFormUrlencoded
};
bool InEncodeSet(char32_t c, EncodeSet set);
// UTF-8 percent-encodes every code point of `input` (UTF-8) that is in `set`;
// with `space_as_plus`, U+0020 becomes '+' (form encoding).
std::string PercentEncode(std::string_view input, EncodeSet set, bool space_as_plus = false);
// Percent-decodes bytes ("%zz" stays as is).
std::string PercentDecode(std::string_view input);

using NameValueList = std::vector<std::pair<std::string, std::string>>;
// application/x-www-form-urlencoded parsing; invalid UTF-8 becomes U+FFFD.
NameValueList ParseUrlencoded(std::string_view input);
std::string SerializeUrlencoded(const NameValueList& list);

// UTF-8 <-> code points. Decoding replaces invalid sequences with U+FFFD.
std::u32string DecodeUtf8(std::string_view input);
void AppendUtf8(char32_t c, std::string* out);

}  // namespace jscore::engine::whatwg_url

#endif  // JSCORE_ENGINE_WHATWG_URL_URL_PARSER_H_
