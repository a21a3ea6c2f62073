#include "tests/support/http_test_server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>

#include <cstring>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace jscore::testing {
namespace {

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      out += absl::StrCat("\\u00", c < 0x10 ? "0" : "", absl::Hex(c));
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// What a connection accumulates across libmicrohttpd's calls.
struct Upload {
  std::string body;
};

enum MHD_Result Access(void* cls, struct MHD_Connection* connection, const char* url,
                       const char* method, const char* /*version*/, const char* upload_data,
                       size_t* upload_data_size, void** con_cls) {
  return static_cast<HttpTestServer*>(cls)->Handle(connection, url, method, upload_data,
                                                   upload_data_size, con_cls) == MHD_YES
             ? MHD_YES
             : MHD_NO;
}

void Completed(void* /*cls*/, struct MHD_Connection*, void** con_cls,
               enum MHD_RequestTerminationCode) {
  delete static_cast<Upload*>(*con_cls);
  *con_cls = nullptr;
}

enum MHD_Result CollectHeader(void* cls, enum MHD_ValueKind, const char* key, const char* value) {
  (*static_cast<std::map<std::string, std::string>*>(cls))[absl::AsciiStrToLower(key)] =
      value != nullptr ? value : "";
  return MHD_YES;
}

int Respond(MHD_Connection* connection, unsigned status, const std::string& body,
            const char* content_type,
            const std::vector<std::pair<std::string, std::string>>& extra = {}) {
  MHD_Response* response = MHD_create_response_from_buffer(
      body.size(), const_cast<char*>(body.data()), MHD_RESPMEM_MUST_COPY);
  if (content_type != nullptr) MHD_add_response_header(response, "Content-Type", content_type);
  for (const auto& [name, value] : extra)
    MHD_add_response_header(response, name.c_str(), value.c_str());
  int result = MHD_queue_response(connection, status, response);
  MHD_destroy_response(response);
  return result;
}

}  // namespace

std::unique_ptr<HttpTestServer> HttpTestServer::Start() {
  std::unique_ptr<HttpTestServer> server(new HttpTestServer);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = 0;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  server->daemon_ = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, nullptr, nullptr, &Access,
      server.get(), MHD_OPTION_SOCK_ADDR, &address, MHD_OPTION_NOTIFY_COMPLETED, &Completed,
      nullptr, MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_END);
  if (server->daemon_ == nullptr) return nullptr;
  const MHD_DaemonInfo* info = MHD_get_daemon_info(server->daemon_, MHD_DAEMON_INFO_BIND_PORT);
  if (info == nullptr || info->port == 0) return nullptr;
  server->port_ = info->port;
  return server;
}

HttpTestServer::~HttpTestServer() {
  ReleaseSlow();
  if (daemon_ != nullptr) MHD_stop_daemon(daemon_);
}

std::string HttpTestServer::Url(const std::string& path) const {
  return absl::StrCat("http://127.0.0.1:", port_, path);
}

std::vector<HttpTestServer::Request> HttpTestServer::Seen(const std::string& path) const {
  absl::MutexLock lock(&mu_);
  std::vector<Request> out;
  for (const auto& r : seen_) {
    if (path.empty() || r.path == path) out.push_back(r);
  }
  return out;
}

bool HttpTestServer::WaitFor(const std::string& path, absl::Duration bound) const {
  absl::MutexLock lock(&mu_);
  auto arrived = [&] {
    mu_.AssertHeld();
    for (const auto& r : seen_) {
      if (r.path == path) return true;
    }
    return false;
  };
  return mu_.AwaitWithTimeout(absl::Condition(&arrived), bound);
}

void HttpTestServer::ReleaseSlow() {
  absl::MutexLock lock(&mu_);
  released_ = true;
}

int HttpTestServer::Handle(void* connection_ptr, const char* url, const char* method,
                           const char* upload_data, size_t* upload_data_size, void** con_cls) {
  auto* connection = static_cast<MHD_Connection*>(connection_ptr);
  if (*con_cls == nullptr) {
    *con_cls = new Upload;
    return MHD_YES;
  }
  auto* upload = static_cast<Upload*>(*con_cls);
  if (*upload_data_size > 0) {
    upload->body.append(upload_data, *upload_data_size);
    *upload_data_size = 0;
    return MHD_YES;
  }
  Request request;
  request.method = method;
  request.path = url;
  request.body = upload->body;
  MHD_get_connection_values(connection, MHD_HEADER_KIND, &CollectHeader, &request.headers);
  {
    absl::MutexLock lock(&mu_);
    seen_.push_back(request);
  }
  std::string path = url;
  auto arg = [&](const char* name) {
    const char* v = MHD_lookup_connection_value(connection, MHD_GET_ARGUMENT_KIND, name);
    return std::string(v != nullptr ? v : "");
  };
  if (path == "/text") {
    return Respond(connection, 200, "hello from jscore", "text/plain", {{"X-Test", "yes"}});
  }
  if (path == "/json")
    return Respond(connection, 200, R"({"a":1,"list":[1,2,3]})", "application/json");
  if (path == "/echo") {
    std::string headers;
    for (const auto& [name, value] : request.headers) {
      absl::StrAppend(&headers, headers.empty() ? "" : ",", JsonString(name), ":",
                      JsonString(value));
    }
    return Respond(connection, 200,
                   absl::StrCat("{\"method\":", JsonString(request.method), ",\"path\":",
                                JsonString(request.path), ",\"body\":", JsonString(request.body),
                                ",\"headers\":{", headers, "}}"),
                   "application/json");
  }
  if (path == "/redirect") return Respond(connection, 302, "", nullptr, {{"Location", arg("to")}});
  if (path == "/big") {
    size_t n = 0;
    (void)absl::SimpleAtoi(arg("n"), &n);
    return Respond(connection, 200, std::string(n, 'x'), "text/plain");
  }
  if (path == "/status") {
    unsigned code = 200;
    (void)absl::SimpleAtoi(arg("code"), &code);
    return Respond(connection, code, "", "text/plain");
  }
  if (path == "/slow") {
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&released_), absl::Seconds(20));
    return Respond(connection, 200, "late", "text/plain");
  }
  return Respond(connection, 404, "not found", "text/plain");
}

}  // namespace jscore::testing
