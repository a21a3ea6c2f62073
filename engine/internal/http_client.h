// HttpClient: a worker's HTTP transfers (fetch, XMLHttpRequest) on libcurl's multi
// interface, driven by the worker's libuv loop. Nothing in it blocks.
#ifndef JSCORE_ENGINE_INTERNAL_HTTP_CLIENT_H_
#define JSCORE_ENGINE_INTERNAL_HTTP_CLIENT_H_

#include <uv.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/fetch_policy.h"

namespace jscore::engine::internal {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  enum class Redirect { kFollow, kError, kManual };
  std::string method = "GET";
  std::string url;  // absolute; checked against the allowlist by Start
  HeaderList headers;
  std::string body;
  bool has_body = false;
  Redirect redirect = Redirect::kFollow;
  // The job's deadline; the transfer never outlives its job (the job aborts it), and
  // libcurl gets the same bound, a second later, as a backstop.
  absl::Time deadline = absl::InfiniteFuture();
  // XMLHttpRequest's `timeout`: when set, a transfer that takes longer fails with
  // DeadlineExceeded.
  absl::Duration timeout = absl::ZeroDuration();
};

struct HttpResponse {
  int status = 0;
  std::string status_text;
  std::string url;  // the final URL, after redirects
  bool redirected = false;
  HeaderList headers;  // names in lowercase, in arrival order
  std::string body;    // decoded (gzip, br...), at most FetchOptions::max_response_bytes
};

// A network error is a non-OK status whose message is for the script's TypeError
// (DeadlineExceeded for XMLHttpRequest's own timeout).
using HttpResult = absl::StatusOr<HttpResponse>;

// Owned by Worker::Impl; created, used and closed on the worker thread, with the
// worker's loop (which must outlive it). One CURLM; one uv_poll per socket libcurl
// watches and one uv timer for libcurl's timeouts. Redirects are followed here, one
// hop at a time, each target checked against the allowlist before it is contacted.
class HttpClient {
 public:
  using Done = absl::AnyInvocable<void(uint64_t id, HttpResult result)>;

  // Null when libcurl cannot make a multi handle.
  static std::unique_ptr<HttpClient> Create(uv_loop_t* loop, const FetchOptions& options);
  // Close() first.
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Starts a transfer and returns its id. `done` runs later, from the loop, once
  // (never from inside Start, never after Abort or Close). Fails without starting
  // anything when the URL is not one fetch may request (see FetchAllowlist::Check).
  absl::StatusOr<uint64_t> Start(HttpRequest request, Done done);

  // Stops a transfer and frees it; `done` never runs. Unknown ids are ignored.
  void Abort(uint64_t id);

  size_t in_flight() const { return transfers_.size(); }

  // Aborts every transfer and closes the libuv handles (the loop frees them on
  // its next turn). Nothing runs after it.
  void Close();

  struct Transfer;  // http_client.cc

 private:
  HttpClient(uv_loop_t* loop, const FetchOptions& options);
  bool Configure(Transfer& t);
  void SocketAction(int fd, int flags);
  void ProcessDone();
  void Finish(uint64_t id, int code);
  // How a transfer that libcurl finished with `code` ended: the URL of a redirect to
  // follow, "" when it is over, or why it failed.
  absl::StatusOr<std::string> Ended(Transfer& t, int code) const;
  // Points `t` at `next_url` (checked against the allowlist, with the method and
  // headers a redirect changes) and starts it again: OK when it restarted.
  absl::Status FollowRedirect(Transfer& t, const std::string& next_url);
  void Release(Transfer* t);

  static int OnSocket(void* easy, int fd, int action, void* client, void* socket_data);
  static int OnTimer(void* multi, long timeout_ms, void* client);

  uv_loop_t* loop_;
  const FetchOptions options_;
  void* multi_ = nullptr;        // CURLM*
  uv_timer_t* timer_ = nullptr;  // freed by its close callback
  uint64_t next_id_ = 1;
  std::unordered_map<uint64_t, std::unique_ptr<Transfer>> transfers_;
  bool closed_ = false;
};

}  // namespace jscore::engine::internal

#endif  // JSCORE_ENGINE_INTERNAL_HTTP_CLIENT_H_
