#include "engine/internal/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cmath>
#include <mutex>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace jscore::engine::internal {

// One request in flight (one hop of it when redirected).
struct HttpClient::Transfer {
  uint64_t id = 0;
  HttpClient* client = nullptr;
  CURL* easy = nullptr;
  curl_slist* header_list = nullptr;
  HttpRequest request;
  FetchTarget target;
  HttpResponse response;
  Done done;
  int redirects = 0;
  size_t max_body = 0;
  size_t header_bytes = 0;
  bool too_large = false;
  bool headers_too_large = false;
  char error[CURL_ERROR_SIZE] = {0};
};

namespace {

constexpr size_t kMaxHeaderBytes = 256 << 10;

// A uv_poll for one socket libcurl watches; freed by its close callback.
struct SocketPoll {
  uv_poll_t handle;
  curl_socket_t fd;
  HttpClient* client;
};

// Headers a script may not set (the Fetch standard's forbidden request headers that
// matter to a server-side client): Host above all, so that a script cannot name
// another virtual host behind an allowed address.
bool IsForbiddenRequestHeader(absl::string_view lower) {
  static constexpr absl::string_view kForbidden[] = {
      "host",    "content-length", "connection", "keep-alive",          "transfer-encoding", "te",
      "trailer", "upgrade",        "expect",     "proxy-authorization", "proxy-connection"};
  for (absl::string_view f : kForbidden) {
    if (lower == f) return true;
  }
  return absl::StartsWith(lower, "proxy-");
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<HttpClient::Transfer*>(user);
  size_t n = size * count;
  t->header_bytes += n;
  if (t->header_bytes > kMaxHeaderBytes) {
    t->headers_too_large = true;
    return 0;  // fails the transfer
  }
  absl::string_view line(data, n);
  line = absl::StripTrailingAsciiWhitespace(line);
  if (line.empty()) return n;
  if (absl::StartsWith(line, "HTTP/")) {
    // A new response (after a 1xx, or the only one): its status line.
    t->response.headers.clear();
    t->response.status_text.clear();
    size_t space = line.find(' ');
    if (space != absl::string_view::npos) {
      absl::string_view rest = line.substr(space + 1);
      size_t reason = rest.find(' ');
      (void)absl::SimpleAtoi(rest.substr(0, reason), &t->response.status);
      if (reason != absl::string_view::npos)
        t->response.status_text = std::string(rest.substr(reason + 1));
    }
    return n;
  }
  if ((line.front() == ' ' || line.front() == '\t') && !t->response.headers.empty()) {
    absl::StrAppend(&t->response.headers.back().second, " ", absl::StripAsciiWhitespace(line));
    return n;
  }
  size_t colon = line.find(':');
  if (colon == absl::string_view::npos || colon == 0) return n;
  t->response.headers.emplace_back(absl::AsciiStrToLower(line.substr(0, colon)),
                                   std::string(absl::StripAsciiWhitespace(line.substr(colon + 1))));
  return n;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<HttpClient::Transfer*>(user);
  size_t n = size * count;
  if (t->response.body.size() + n > t->max_body) {
    t->too_large = true;
    return 0;  // CURLE_WRITE_ERROR
  }
  t->response.body.append(data, n);
  return n;
}

bool IsRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::string Origin(const FetchTarget& t) {
  return absl::StrCat(t.scheme, "://", t.host, ":", t.port);
}

}  // namespace

std::unique_ptr<HttpClient> HttpClient::Create(uv_loop_t* loop, const FetchOptions& options) {
  // libcurl's global set-up is not thread-safe: once per process, on first use.
  static std::once_flag init;
  static CURLcode init_code = CURLE_OK;
  std::call_once(init, [] { init_code = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (init_code != CURLE_OK) return nullptr;
  std::unique_ptr<HttpClient> client(new HttpClient(loop, options));
  if (client->multi_ == nullptr) return nullptr;
  return client;
}

HttpClient::HttpClient(uv_loop_t* loop, const FetchOptions& options)
    : loop_(loop), options_(options) {
  CURLM* multi = curl_multi_init();
  if (multi == nullptr) return;
  multi_ = multi;
  timer_ = new uv_timer_t;
  uv_timer_init(loop_, timer_);
  timer_->data = this;
  curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &HttpClient::OnSocket);
  curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &HttpClient::OnTimer);
  curl_multi_setopt(multi, CURLMOPT_TIMERDATA, this);
}

HttpClient::~HttpClient() { Close(); }

void HttpClient::Close() {
  if (closed_) return;
  closed_ = true;
  while (!transfers_.empty()) Abort(transfers_.begin()->first);
  if (multi_ != nullptr) {
    curl_multi_cleanup(static_cast<CURLM*>(multi_));  // its sockets are gone: no callbacks
    multi_ = nullptr;
  }
  if (timer_ != nullptr) {
    uv_timer_stop(timer_);
    uv_close(reinterpret_cast<uv_handle_t*>(timer_),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
    timer_ = nullptr;
  }
}

absl::StatusOr<uint64_t> HttpClient::Start(HttpRequest request, Done done) {
  if (closed_ || multi_ == nullptr) return absl::UnavailableError("the worker is stopping");
  absl::StatusOr<FetchTarget> target = options_.allowlist.Check(request.url);
  if (!target.ok()) return target.status();
  auto t = std::make_unique<Transfer>();
  t->id = next_id_++;
  t->client = this;
  t->request = std::move(request);
  t->target = std::move(*target);
  t->response.url = t->target.href;
  t->done = std::move(done);
  t->max_body = options_.max_response_bytes;
  if (!Configure(*t)) {
    Release(t.get());
    return absl::InternalError("fetch failed: libcurl could not start the transfer");
  }
  uint64_t id = t->id;
  transfers_.emplace(id, std::move(t));
  return id;
}

// A new easy handle for the transfer's current hop, added to the multi handle.
bool HttpClient::Configure(Transfer& t) {
  CURL* easy = curl_easy_init();
  if (easy == nullptr) return false;
  t.easy = easy;
  const HttpRequest& r = t.request;
  curl_easy_setopt(easy, CURLOPT_PRIVATE, &t);
  curl_easy_setopt(easy, CURLOPT_URL, t.target.href.c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);  // hop by hop, each one checked
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_PROXY, "");  // never a proxy from the environment
  curl_easy_setopt(easy, CURLOPT_NETRC, static_cast<long>(CURL_NETRC_IGNORED));
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");  // every decoding libcurl has
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t.error);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(t.max_body));
  // Bounded by the job's deadline (the job aborts the transfer when it ends; this
  // is a backstop a second later) or by XMLHttpRequest's timeout.
  absl::Duration left = r.deadline - absl::Now() + absl::Seconds(1);
  if (r.timeout > absl::ZeroDuration()) left = std::min(left, r.timeout);
  long ms = static_cast<long>(
      std::clamp<double>(std::ceil(absl::ToDoubleMilliseconds(left)), 1, 24.0 * 3600 * 1000));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, ms);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, ms);

  if (r.method == "GET") {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  } else if (r.method == "HEAD") {
    curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
  } else {
    if (r.method == "POST") {
      curl_easy_setopt(easy, CURLOPT_POST, 1L);
    } else {
      curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    }
    if (r.has_body || r.method == "POST") {
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, r.body.data());
    }
  }
  bool has_user_agent = false;
  bool has_content_type = false;
  // One line per name, its values joined by ", " (as the header list's "get" does).
  HeaderList combined;
  for (const auto& [name, value] : r.headers) {
    std::string lower = absl::AsciiStrToLower(name);
    auto same = std::find_if(combined.begin(), combined.end(),
                             [&](const auto& h) { return h.first == lower; });
    if (same == combined.end()) {
      combined.emplace_back(lower, value);
    } else {
      absl::StrAppend(&same->second, ", ", value);
    }
  }
  curl_slist* list = nullptr;
  for (const auto& [lower, value] : combined) {
    const std::string& name = lower;
    if (IsForbiddenRequestHeader(lower)) continue;
    has_user_agent |= lower == "user-agent";
    has_content_type |= lower == "content-type";
    // "Name;" is libcurl's way of sending a header with an empty value.
    std::string line = value.empty() ? absl::StrCat(name, ";") : absl::StrCat(name, ": ", value);
    list = curl_slist_append(list, line.c_str());
  }
  if (!has_user_agent) list = curl_slist_append(list, "User-Agent: jscore");
  if (!has_content_type && (r.has_body || r.method == "POST")) {
    list = curl_slist_append(list, "Content-Type:");  // not libcurl's form default
  }
  list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
  t.header_list = list;
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, list);
  return curl_multi_add_handle(static_cast<CURLM*>(multi_), easy) == CURLM_OK;
}

void HttpClient::Release(Transfer* t) {
  if (t->easy != nullptr) {
    if (multi_ != nullptr) curl_multi_remove_handle(static_cast<CURLM*>(multi_), t->easy);
    curl_easy_cleanup(t->easy);
    t->easy = nullptr;
  }
  curl_slist_free_all(t->header_list);
  t->header_list = nullptr;
}

void HttpClient::Abort(uint64_t id) {
  auto it = transfers_.find(id);
  if (it == transfers_.end()) return;
  std::unique_ptr<Transfer> t = std::move(it->second);
  transfers_.erase(it);
  Release(t.get());
}

int HttpClient::OnSocket(void* /*easy*/, int fd, int action, void* client_data, void* socket_data) {
  auto* client = static_cast<HttpClient*>(client_data);
  auto* poll = static_cast<SocketPoll*>(socket_data);
  if (action == CURL_POLL_REMOVE) {
    if (poll != nullptr) {
      uv_poll_stop(&poll->handle);
      curl_multi_assign(static_cast<CURLM*>(client->multi_), fd, nullptr);
      uv_close(reinterpret_cast<uv_handle_t*>(&poll->handle),
               [](uv_handle_t* h) { delete static_cast<SocketPoll*>(h->data); });
    }
    return 0;
  }
  if (poll == nullptr) {
    poll = new SocketPoll;
    poll->fd = fd;
    poll->client = client;
    poll->handle.data = poll;
    if (uv_poll_init_socket(client->loop_, &poll->handle, fd) != 0) {
      delete poll;
      return -1;
    }
    curl_multi_assign(static_cast<CURLM*>(client->multi_), fd, poll);
  }
  int events = 0;
  if (action & CURL_POLL_IN) events |= UV_READABLE;
  if (action & CURL_POLL_OUT) events |= UV_WRITABLE;
  uv_poll_start(&poll->handle, events, [](uv_poll_t* handle, int status, int ready) {
    auto* p = static_cast<SocketPoll*>(handle->data);
    int flags = 0;
    if (status < 0) flags |= CURL_CSELECT_ERR;
    if (ready & UV_READABLE) flags |= CURL_CSELECT_IN;
    if (ready & UV_WRITABLE) flags |= CURL_CSELECT_OUT;
    p->client->SocketAction(p->fd, flags);
  });
  return 0;
}

int HttpClient::OnTimer(void* /*multi*/, long timeout_ms, void* client_data) {
  auto* client = static_cast<HttpClient*>(client_data);
  if (client->timer_ == nullptr) return 0;
  if (timeout_ms < 0) {
    uv_timer_stop(client->timer_);
    return 0;
  }
  // Never call libcurl back from inside its own callback: a 0 ms timer runs on the
  // loop's next turn.
  uv_timer_start(
      client->timer_,
      [](uv_timer_t* handle) {
        static_cast<HttpClient*>(handle->data)->SocketAction(CURL_SOCKET_TIMEOUT, 0);
      },
      static_cast<uint64_t>(timeout_ms), 0);
  return 0;
}

void HttpClient::SocketAction(int fd, int flags) {
  if (multi_ == nullptr) return;
  int running = 0;
  curl_multi_socket_action(static_cast<CURLM*>(multi_), fd, flags, &running);
  ProcessDone();
}

// Collects what finished first: a `done` may abort or start other transfers.
void HttpClient::ProcessDone() {
  std::vector<std::pair<uint64_t, CURLcode>> finished;
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(static_cast<CURLM*>(multi_), &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    Transfer* t = nullptr;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
    if (t != nullptr) finished.emplace_back(t->id, msg->data.result);
  }
  for (const auto& [id, code] : finished) {
    if (multi_ == nullptr) return;  // closed by a `done`
    Finish(id, code);
  }
}

absl::StatusOr<std::string> HttpClient::Ended(Transfer& t, int code_int) const {
  auto code = static_cast<CURLcode>(code_int);
  if (code == CURLE_OK) {
    long status = 0;
    curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
    t.response.status = static_cast<int>(status);
    char* location = nullptr;
    curl_easy_getinfo(t.easy, CURLINFO_REDIRECT_URL, &location);
    if (!IsRedirect(t.response.status) || location == nullptr ||
        t.request.redirect == HttpRequest::Redirect::kManual) {
      return std::string();
    }
    if (t.request.redirect == HttpRequest::Redirect::kError) {
      return absl::UnavailableError("fetch failed: the response redirects and redirect is 'error'");
    }
    if (t.redirects >= options_.max_redirects) {
      return absl::UnavailableError(
          absl::StrCat("fetch failed: more than ", options_.max_redirects, " redirects"));
    }
    return std::string(location);
  }
  if (t.too_large || code == CURLE_FILESIZE_EXCEEDED) {
    return absl::ResourceExhaustedError(
        absl::StrCat("fetch failed: the response body is larger than ", options_.max_response_bytes,
                     " bytes (--fetch_max_response_bytes)"));
  }
  if (t.headers_too_large) {
    return absl::ResourceExhaustedError("fetch failed: the response headers are too large");
  }
  if (code == CURLE_OPERATION_TIMEDOUT) {
    return absl::DeadlineExceededError("fetch failed: the request timed out");
  }
  return absl::UnavailableError(
      absl::StrCat("fetch failed: ", t.error[0] != '\0' ? t.error : curl_easy_strerror(code)));
}

absl::Status HttpClient::FollowRedirect(Transfer& t, const std::string& next_url) {
  // One more hop, to a host that must be on the list too (checked before it is
  // contacted).
  absl::StatusOr<FetchTarget> target = options_.allowlist.Check(next_url);
  if (!target.ok()) {
    return absl::PermissionDeniedError(
        absl::StrCat("fetch failed: redirected to ", next_url, ": ", target.status().message()));
  }
  int status = t.response.status;
  HttpRequest& r = t.request;
  if ((status == 303 && r.method != "HEAD") ||
      ((status == 301 || status == 302) && r.method == "POST")) {
    r.method = "GET";
    r.body.clear();
    r.has_body = false;
    r.headers.erase(std::remove_if(r.headers.begin(), r.headers.end(),
                                   [](const auto& h) {
                                     std::string n = absl::AsciiStrToLower(h.first);
                                     return n == "content-type" || n == "content-encoding" ||
                                            n == "content-language" || n == "content-location";
                                   }),
                    r.headers.end());
  }
  if (Origin(*target) != Origin(t.target)) {
    r.headers.erase(std::remove_if(r.headers.begin(), r.headers.end(),
                                   [](const auto& h) {
                                     std::string n = absl::AsciiStrToLower(h.first);
                                     return n == "authorization" || n == "cookie";
                                   }),
                    r.headers.end());
  }
  Release(&t);
  t.target = std::move(*target);
  t.redirects++;
  t.response = HttpResponse{};
  t.response.url = t.target.href;
  t.response.redirected = true;
  t.header_bytes = 0;
  t.error[0] = '\0';
  if (Configure(t)) return absl::OkStatus();
  return absl::InternalError("fetch failed: libcurl could not start the redirect");
}

void HttpClient::Finish(uint64_t id, int code) {
  auto it = transfers_.find(id);
  if (it == transfers_.end()) return;
  absl::StatusOr<std::string> next_url = Ended(*it->second, code);
  absl::Status failure = next_url.status();
  if (next_url.ok() && !next_url->empty()) {
    failure = FollowRedirect(*it->second, *next_url);
    if (failure.ok()) return;  // the same transfer goes on
  }
  std::unique_ptr<Transfer> owned = std::move(it->second);
  transfers_.erase(it);
  Release(owned.get());
  Done done = std::move(owned->done);
  if (failure.ok()) {
    done(id, std::move(owned->response));
  } else {
    done(id, std::move(failure));
  }
}

}  // namespace jscore::engine::internal
