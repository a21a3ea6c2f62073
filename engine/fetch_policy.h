// FetchPolicy: which hosts fetch and XMLHttpRequest may reach (the daemon's
// --allow_fetch, never a request's), and the bounds of their transfers.
#ifndef JSCORE_ENGINE_FETCH_POLICY_H_
#define JSCORE_ENGINE_FETCH_POLICY_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace jscore::engine {

// A URL that passed FetchAllowlist::Check: its canonical form and its parts.
struct FetchTarget {
  std::string href;    // the WHATWG serialization, without the fragment
  std::string scheme;  // "http" or "https"
  std::string host;    // canonical: lowercase, punycode, "[v6]" for IPv6
  int port = 0;        // the port connected to (the scheme's default when the URL has none)
};

// Hosts that fetch and XMLHttpRequest may reach, parsed from a comma-separated list.
// Entries: `host` (the scheme's default port only: 80 for http, 443 for https),
// `host:port`, `host:*` (any port), `*.example.com` (its subdomains, not itself;
// may carry a port), `[::1]:8080`. Hosts are compared in the WHATWG URL standard's
// canonical form (lowercase, punycode, IPv4 as dotted quad), so `127.1` and
// `127.0.0.1` are the same entry. Plain data; immutable after Parse; any thread.
class FetchAllowlist {
 public:
  FetchAllowlist() = default;  // empty: nothing is allowed (and fetch does not exist)

  // InvalidArgument naming the bad entry.
  static absl::StatusOr<FetchAllowlist> Parse(std::string_view spec);

  bool empty() const { return entries_.empty(); }
  // The canonical entries, comma-separated.
  std::string ToString() const;

  // Whether `host` (canonical) on `port` may be reached over `scheme`.
  bool Allows(std::string_view scheme, std::string_view host, int port) const;

  // Parses an absolute URL and checks it before anything connects: http or https,
  // no credentials, an allowed host and port. InvalidArgument for a URL that is not
  // one fetch can request, PermissionDenied for a host not on the list; the
  // messages are meant for the script's TypeError.
  absl::StatusOr<FetchTarget> Check(std::string_view url) const;

 private:
  struct Entry {
    std::string host;
    bool subdomains = false;  // "*.host"
    int port = 0;             // 0: the scheme's default port; -1: any
  };
  std::vector<Entry> entries_;
};

struct FetchOptions {
  FetchAllowlist allowlist;  // empty: no fetch, no XMLHttpRequest
  // Largest response body (after content decoding); a larger one fails the request.
  size_t max_response_bytes = 8 << 20;
  // Redirects one request follows, each to an allowed host.
  int max_redirects = 10;
  // Transfers one job may have in flight at once.
  int max_per_job = 64;
  // Transfers the whole pool (every worker, every job) may have in flight at once.
  int max_in_flight = 256;
};

}  // namespace jscore::engine

#endif  // JSCORE_ENGINE_FETCH_POLICY_H_
