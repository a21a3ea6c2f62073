#include "engine/fetch_policy.h"

#include <curl/curl.h>

#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "engine/whatwg_url/url_parser.h"

namespace jscore::engine {
namespace {

// The host part of an entry in canonical form, or nullopt.
std::optional<std::string> CanonicalHost(absl::string_view host) {
  std::optional<whatwg_url::Url> url = whatwg_url::Parse(absl::StrCat("http://", host, "/"));
  if (!url || !url->host || url->host->empty() || url->port) return std::nullopt;
  return *url->host;
}

std::string Unbracket(absl::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return absl::AsciiStrToLower(host);
}

struct CurlUrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};

// libcurl parses the URL again before it connects: make sure it reads the same host
// and port as the WHATWG parser did, so that no parser difference reaches a host
// that is not on the list.
bool CurlAgrees(const FetchTarget& target) {
  std::unique_ptr<CURLU, CurlUrlDeleter> u(curl_url());
  if (u == nullptr) return false;
  if (curl_url_set(u.get(), CURLUPART_URL, target.href.c_str(), 0) != CURLUE_OK) return false;
  char* host = nullptr;
  char* port = nullptr;
  bool same = false;
  if (curl_url_get(u.get(), CURLUPART_HOST, &host, 0) == CURLUE_OK &&
      curl_url_get(u.get(), CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
    int curl_port = 0;
    same = Unbracket(host) == Unbracket(target.host) && absl::SimpleAtoi(port, &curl_port) &&
           curl_port == target.port;
  }
  curl_free(host);
  curl_free(port);
  return same;
}

}  // namespace

absl::StatusOr<FetchAllowlist> FetchAllowlist::Parse(std::string_view spec) {
  FetchAllowlist list;
  for (absl::string_view raw : absl::StrSplit(absl::string_view(spec.data(), spec.size()), ',')) {
    absl::string_view item = absl::StripAsciiWhitespace(raw);
    if (item.empty()) continue;
    auto bad = [&](absl::string_view why) {
      return absl::InvalidArgumentError(
          absl::StrCat("--allow_fetch: bad entry \"", item, "\": ", why));
    };
    Entry entry;
    absl::string_view host = item;
    absl::string_view port;
    if (!host.empty() && host.front() == '[') {
      size_t close = host.find(']');
      if (close == absl::string_view::npos) return bad("unclosed [");
      absl::string_view rest = host.substr(close + 1);
      host = host.substr(0, close + 1);
      if (!rest.empty()) {
        if (rest.front() != ':') return bad("expected :port after ]");
        port = rest.substr(1);
        if (port.empty()) return bad("empty port");
      }
    } else {
      size_t colon = host.rfind(':');
      if (colon != absl::string_view::npos) {
        if (host.find(':') != colon) return bad("an IPv6 address goes in brackets: [::1]:8080");
        port = host.substr(colon + 1);
        host = host.substr(0, colon);
        if (port.empty()) return bad("empty port");
      }
    }
    if (absl::ConsumePrefix(&host, "*.")) entry.subdomains = true;
    if (host.empty()) return bad("no host");
    if (host.find_first_of("/?#@*") != absl::string_view::npos) {
      return bad("a host, host:port or *.domain, not a URL");
    }
    std::optional<std::string> canonical = CanonicalHost(host);
    if (!canonical) return bad("not a valid host");
    if (entry.subdomains && canonical->front() == '[') return bad("*. needs a domain");
    entry.host = *canonical;
    if (port == "*") {
      entry.port = -1;
    } else if (!port.empty()) {
      int n = 0;
      if (!absl::SimpleAtoi(port, &n) || n < 1 || n > 65535)
        return bad("port must be 1-65535 or *");
      entry.port = n;
    }
    list.entries_.push_back(std::move(entry));
  }
  return list;
}

std::string FetchAllowlist::ToString() const {
  return absl::StrJoin(entries_, ",", [](std::string* out, const Entry& e) {
    absl::StrAppend(out, e.subdomains ? "*." : "", e.host);
    if (e.port == -1) absl::StrAppend(out, ":*");
    if (e.port > 0) absl::StrAppend(out, ":", e.port);
  });
}

bool FetchAllowlist::Allows(std::string_view scheme, std::string_view host, int port) const {
  int default_port = whatwg_url::DefaultPort(scheme);
  for (const Entry& e : entries_) {
    bool host_matches =
        e.subdomains ? host.size() > e.host.size() + 1 &&
                           absl::EndsWith(absl::string_view(host.data(), host.size()), e.host) &&
                           host[host.size() - e.host.size() - 1] == '.'
                     : host == e.host;
    if (!host_matches) continue;
    if (e.port == -1 || (e.port == 0 && port == default_port) || e.port == port) return true;
  }
  return false;
}

absl::StatusOr<FetchTarget> FetchAllowlist::Check(std::string_view input) const {
  std::optional<whatwg_url::Url> url = whatwg_url::Parse(input);
  if (!url) return absl::InvalidArgumentError(absl::StrCat("Invalid URL: ", std::string(input)));
  if (url->scheme != "http" && url->scheme != "https") {
    return absl::InvalidArgumentError(
        absl::StrCat("fetch supports http and https only, not ", url->scheme, ":"));
  }
  if (url->IncludesCredentials()) {
    return absl::InvalidArgumentError("a URL with credentials (user:password@) cannot be fetched");
  }
  if (!url->host || url->host->empty()) return absl::InvalidArgumentError("the URL has no host");
  FetchTarget target;
  target.href = url->Href(/*exclude_fragment=*/true);
  target.scheme = url->scheme;
  target.host = *url->host;
  target.port = url->port ? *url->port : whatwg_url::DefaultPort(url->scheme);
  if (!Allows(target.scheme, target.host, target.port)) {
    return absl::PermissionDeniedError(absl::StrCat("fetch to ", url->Origin(),
                                                    " is not allowed: ", url->Host(),
                                                    " is not on the daemon's --allow_fetch list"));
  }
  if (!CurlAgrees(target)) {
    return absl::InvalidArgumentError(
        absl::StrCat("the URL is ambiguous and was refused: ", std::string(input)));
  }
  return target;
}

}  // namespace jscore::engine
