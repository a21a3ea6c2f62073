// HttpTestServer: a small HTTP/1.1 server on 127.0.0.1 (libmicrohttpd) for the fetch
// tests; it records every request it sees.
#ifndef JSCORE_TESTS_SUPPORT_HTTP_TEST_SERVER_H_
#define JSCORE_TESTS_SUPPORT_HTTP_TEST_SERVER_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

struct MHD_Daemon;

namespace jscore::testing {

// Routes:
//   /text             "hello from jscore", text/plain, header X-Test: yes
//   /json             {"a":1,"list":[1,2,3]}
//   /echo             the request as JSON: {method, path, body, headers{lowercase name: value}}
//   /redirect?to=URL  302 to URL
//   /big?n=N          N bytes of 'x'
//   /status?code=N    an empty response with status N
//   /slow             answers "late" once ReleaseSlow() is called (or after 20 s)
// One thread per connection, so a /slow request holds nothing else up. Started
// and stopped by the test's own thread; the destructor releases /slow and stops.
class HttpTestServer {
 public:
  struct Request {
    std::string method;
    std::string path;
    std::map<std::string, std::string> headers;  // lowercase names
    std::string body;
  };

  static std::unique_ptr<HttpTestServer> Start();
  ~HttpTestServer();

  int port() const { return port_; }
  // "http://127.0.0.1:PORT" + path.
  std::string Url(const std::string& path) const;
  // Requests seen so far whose path is `path` (all of them when empty).
  std::vector<Request> Seen(const std::string& path = "") const;
  // Waits (bounded) until a request for `path` has arrived.
  bool WaitFor(const std::string& path, absl::Duration bound) const;
  void ReleaseSlow();

  // libmicrohttpd's callback (any of its threads).
  int Handle(void* connection, const char* url, const char* method, const char* upload_data,
             size_t* upload_data_size, void** con_cls);

 private:
  HttpTestServer() = default;
  MHD_Daemon* daemon_ = nullptr;
  int port_ = 0;
  mutable absl::Mutex mu_;
  std::vector<Request> seen_ ABSL_GUARDED_BY(mu_);
  bool released_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace jscore::testing

#endif  // JSCORE_TESTS_SUPPORT_HTTP_TEST_SERVER_H_
