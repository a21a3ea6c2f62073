// The browser profile's location: the profile's URL parsed into a PageUrl, and the
// window.location object that shows it.
#include <cctype>
#include <string>
#include <string_view>
#include <utility>

#include "engine/extensions/browser/browser_profile_support.h"
#include "engine/extensions/crypto/crypto_common.h"

namespace jscore::engine::extensions::browser {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

PageUrl ParsePageUrl(std::string_view url) {
  PageUrl blank{"about:blank", "about:", "", "", "", "blank", "", "", "null"};
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return blank;
  std::string scheme = Lower(url.substr(0, scheme_end));
  for (char c : scheme) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.')
      return blank;
  }
  std::string_view rest = url.substr(scheme_end + 3);
  size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view tail = authority_end == std::string_view::npos ? "" : rest.substr(authority_end);
  if (size_t at = authority.rfind('@'); at != std::string_view::npos)
    authority = authority.substr(at + 1);
  PageUrl out;
  size_t colon = authority.rfind(':');
  bool bracketed = authority.find(']') != std::string_view::npos;
  if (colon != std::string_view::npos && (!bracketed || colon > authority.find(']'))) {
    out.hostname = Lower(authority.substr(0, colon));
    out.port = std::string(authority.substr(colon + 1));
  } else {
    out.hostname = Lower(authority);
  }
  if (out.hostname.empty()) return blank;
  for (char c : out.port) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return blank;
  }
  if ((scheme == "http" && out.port == "80") || (scheme == "https" && out.port == "443") ||
      (scheme == "ws" && out.port == "80") || (scheme == "wss" && out.port == "443")) {
    out.port.clear();
  }
  size_t hash_at = tail.find('#');
  if (hash_at != std::string_view::npos) {
    if (hash_at + 1 < tail.size()) out.hash = std::string(tail.substr(hash_at));
    tail = tail.substr(0, hash_at);
  }
  size_t query_at = tail.find('?');
  if (query_at != std::string_view::npos) {
    if (query_at + 1 < tail.size()) out.search = std::string(tail.substr(query_at));
    tail = tail.substr(0, query_at);
  }
  out.pathname = tail.empty() ? "/" : std::string(tail);
  out.protocol = scheme + ":";
  out.host = out.port.empty() ? out.hostname : out.hostname + ":" + out.port;
  out.origin = out.protocol + "//" + out.host;
  out.href = out.origin + out.pathname + out.search + out.hash;
  return out;
}

namespace {

void LocationToString(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Value> href;
  if (info.This()
          ->Get(isolate->GetCurrentContext(), v8::String::NewFromUtf8Literal(isolate, "href"))
          .ToLocal(&href)) {
    info.GetReturnValue().Set(href);
  }
}

}  // namespace

bool BuildLocation(JsScope& scope, const PageUrl& url, v8::Local<v8::Object>* location) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Object> prototype = v8::Object::New(isolate);
  if (!DefineInterface(scope, "Location", prototype)) return false;
  *location = v8::Object::New(isolate, prototype, nullptr, nullptr, 0);
  const std::pair<const char*, const std::string*> parts[] = {
      {"href", &url.href},         {"origin", &url.origin},     {"protocol", &url.protocol},
      {"host", &url.host},         {"hostname", &url.hostname}, {"port", &url.port},
      {"pathname", &url.pathname}, {"search", &url.search},     {"hash", &url.hash},
  };
  for (const auto& [name, value] : parts) {
    if (!DefineValue(scope, *location, name, scope.Str(*value))) return false;
  }
  return DefineValue(scope, *location, "ancestorOrigins", v8::Array::New(isolate)) &&
         DefineConstantMethod(scope, *location, "assign", v8::Undefined(isolate), 1) &&
         DefineConstantMethod(scope, *location, "replace", v8::Undefined(isolate), 1) &&
         DefineConstantMethod(scope, *location, "reload", v8::Undefined(isolate)) &&
         crypto::DefineMethod(scope, *location, "toString", LocationToString, {}, 0, v8::None);
}

}  // namespace jscore::engine::extensions::browser
