#include "engine/extensions/url/url.h"

#include <optional>
#include <string>

#include "engine/extensions/url/url_search_params.h"
#include "engine/extensions/web/web_support.h"
#include "engine/whatwg_url/url_parser.h"

namespace jscore::engine::extensions::url {
namespace {

using detail::kHref;
using detail::kSearchParams;
using detail::kUrlKey;
using detail::kUrlSlots;
using internal::JsScope;
using web::Slot;

// A URL object keeps its href (always a valid URL) and re-parses it on access:
// getters are rare next to construction, and one string is the whole state.
whatwg_url::Url ReadUrl(JsScope& scope, v8::Local<v8::Array> state) {
  v8::Local<v8::Value> href = web::At(scope, state, kHref);
  std::optional<whatwg_url::Url> parsed = whatwg_url::Parse(scope.ToUtf8(href));
  if (parsed) return *parsed;
  whatwg_url::Url blank;  // about:blank
  blank.scheme = "about";
  blank.opaque_path = true;
  blank.path = {"blank"};
  return blank;
}

// Stores `url` as the object's href; its searchParams (if made) follow the query.
bool WriteUrl(JsScope& scope, v8::Local<v8::Array> state, const whatwg_url::Url& url) {
  v8::Local<v8::String> href;
  if (!web::NewStringUtf8(scope, url.Href()).ToLocal(&href) ||
      !web::Put(scope, state, kHref, href)) {
    return false;
  }
  v8::Local<v8::Value> params = web::At(scope, state, kSearchParams);
  if (!params->IsObject()) return true;
  return detail::ResetList(scope, params.As<v8::Object>(), url.query.value_or(""));
}

bool ArgUtf8(JsScope& scope, v8::Local<v8::Value> value, std::string* out) {
  v8::Local<v8::String> s;
  if (!web::ToUsvString(scope, value, &s)) return false;
  *out = scope.Utf8(s);
  return true;
}

// Parses (input, base) for the constructor, URL.parse and URL.canParse.
std::optional<whatwg_url::Url> ParseArgs(JsScope& scope,
                                         const v8::FunctionCallbackInfo<v8::Value>& info,
                                         bool* threw) {
  *threw = true;
  std::string input, base_text;
  if (!ArgUtf8(scope, web::Arg(info, 0), &input)) return std::nullopt;
  bool has_base = info.Length() > 1 && !info[1]->IsUndefined();
  if (has_base && !ArgUtf8(scope, info[1], &base_text)) return std::nullopt;
  *threw = false;
  std::optional<whatwg_url::Url> base;
  if (has_base) {
    base = whatwg_url::Parse(base_text);
    if (!base) return std::nullopt;
  }
  return whatwg_url::Parse(input, base ? &*base : nullptr);
}

void Construct(const v8::FunctionCallbackInfo<v8::Value>& info) {
  if (!web::RequireNew(info, "URL")) return;
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  if (info.Length() < 1) {
    return web::ThrowTypeError(scope,
                               "Failed to construct 'URL': 1 argument required, but only 0 "
                               "present.");
  }
  bool threw = false;
  std::optional<whatwg_url::Url> parsed = ParseArgs(scope, info, &threw);
  if (threw) return;
  if (!parsed) return web::ThrowTypeError(scope, "Invalid URL");
  v8::Local<v8::Array> state;
  if (!web::NewState(scope, info.This(), kUrlKey, kUrlSlots, &state)) return;
  (void)WriteUrl(scope, state, *parsed);
}

void CanParse(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  bool threw = false;
  std::optional<whatwg_url::Url> parsed = ParseArgs(scope, info, &threw);
  if (!threw) info.GetReturnValue().Set(parsed.has_value());
}

// URL.parse(url, base): a URL, or null where the constructor would throw.
void StaticParse(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  bool threw = false;
  std::optional<whatwg_url::Url> parsed = ParseArgs(scope, info, &threw);
  if (threw) return;
  if (!parsed) return info.GetReturnValue().SetNull();
  v8::Local<v8::Value> ctor = web::GetSlot(scope, web::RealmFromData(info.Data()), Slot::kUrl);
  v8::Local<v8::Object> object;
  v8::Local<v8::Array> state;
  if (!web::NewInstanceOf(scope, ctor).ToLocal(&object) ||
      !web::NewState(scope, object, kUrlKey, kUrlSlots, &state) ||
      !WriteUrl(scope, state, *parsed)) {
    return;
  }
  info.GetReturnValue().Set(object);
}

// The shared shape of every getter: brand check, parse, return a string.
template <std::string (*kGet)(const whatwg_url::Url&)>
void Getter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Array> state;
  if (!web::GetState(scope, info.This(), kUrlKey, &state)) return;
  v8::Local<v8::String> result;
  if (web::NewStringUtf8(scope, kGet(ReadUrl(scope, state))).ToLocal(&result)) {
    info.GetReturnValue().Set(result);
  }
}

std::string GetHref(const whatwg_url::Url& u) { return u.Href(); }
std::string GetOrigin(const whatwg_url::Url& u) { return u.Origin(); }
std::string GetProtocol(const whatwg_url::Url& u) { return u.Protocol(); }
std::string GetUsername(const whatwg_url::Url& u) { return u.username; }
std::string GetPassword(const whatwg_url::Url& u) { return u.password; }
std::string GetHost(const whatwg_url::Url& u) { return u.Host(); }
std::string GetHostname(const whatwg_url::Url& u) { return u.Hostname(); }
std::string GetPort(const whatwg_url::Url& u) { return u.Port(); }
std::string GetPathname(const whatwg_url::Url& u) { return u.Pathname(); }
std::string GetSearch(const whatwg_url::Url& u) { return u.Search(); }
std::string GetHash(const whatwg_url::Url& u) { return u.Hash(); }

// "potentially strip trailing spaces from an opaque path"
void StripOpaqueTrailingSpaces(whatwg_url::Url& u) {
  if (!u.opaque_path || u.fragment || u.query || u.path.empty()) return;
  std::string& p = u.path[0];
  while (!p.empty() && p.back() == ' ') p.pop_back();
}

// Each setter edits the parsed URL as the standard says; `value` is UTF-8.
// Returns false to throw a TypeError (only the href setter does).
bool SetHref(whatwg_url::Url& u, const std::string& value) {
  std::optional<whatwg_url::Url> parsed = whatwg_url::Parse(value);
  if (!parsed) return false;
  u = *parsed;
  return true;
}
bool SetProtocol(whatwg_url::Url& u, const std::string& value) {
  (void)whatwg_url::ParseWithOverride(value + ":", u, whatwg_url::State::kSchemeStart);
  return true;
}
bool SetUsername(whatwg_url::Url& u, const std::string& value) {
  if (!u.CannotHaveCredentialsOrPort()) {
    u.username = whatwg_url::PercentEncode(value, whatwg_url::EncodeSet::kUserinfo);
  }
  return true;
}
bool SetPassword(whatwg_url::Url& u, const std::string& value) {
  if (!u.CannotHaveCredentialsOrPort()) {
    u.password = whatwg_url::PercentEncode(value, whatwg_url::EncodeSet::kUserinfo);
  }
  return true;
}
bool SetHost(whatwg_url::Url& u, const std::string& value) {
  if (!u.opaque_path) (void)whatwg_url::ParseWithOverride(value, u, whatwg_url::State::kHost);
  return true;
}
bool SetHostname(whatwg_url::Url& u, const std::string& value) {
  if (!u.opaque_path) (void)whatwg_url::ParseWithOverride(value, u, whatwg_url::State::kHostname);
  return true;
}
bool SetPort(whatwg_url::Url& u, const std::string& value) {
  if (u.CannotHaveCredentialsOrPort()) return true;
  if (value.empty()) {
    u.port.reset();
  } else {
    (void)whatwg_url::ParseWithOverride(value, u, whatwg_url::State::kPort);
  }
  return true;
}
bool SetPathname(whatwg_url::Url& u, const std::string& value) {
  if (u.opaque_path) return true;
  u.path.clear();
  (void)whatwg_url::ParseWithOverride(value, u, whatwg_url::State::kPathStart);
  return true;
}
bool SetSearch(whatwg_url::Url& u, const std::string& value) {
  if (value.empty()) {
    u.query.reset();
    StripOpaqueTrailingSpaces(u);
    return true;
  }
  u.query = "";
  (void)whatwg_url::ParseWithOverride(value[0] == '?' ? value.substr(1) : value, u,
                                      whatwg_url::State::kQuery);
  return true;
}
bool SetHash(whatwg_url::Url& u, const std::string& value) {
  if (value.empty()) {
    u.fragment.reset();
    StripOpaqueTrailingSpaces(u);
    return true;
  }
  u.fragment = "";
  (void)whatwg_url::ParseWithOverride(value[0] == '#' ? value.substr(1) : value, u,
                                      whatwg_url::State::kFragment);
  return true;
}

template <bool (*kSet)(whatwg_url::Url&, const std::string&)>
void Setter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Array> state;
  if (!web::GetState(scope, info.This(), kUrlKey, &state)) return;
  std::string value;
  if (!ArgUtf8(scope, web::Arg(info, 0), &value)) return;
  whatwg_url::Url u = ReadUrl(scope, state);
  if (!kSet(u, value)) return web::ThrowTypeError(scope, "Invalid URL");
  (void)WriteUrl(scope, state, u);
}

void SearchParamsGetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Array> state;
  if (!web::GetState(scope, info.This(), kUrlKey, &state)) return;
  v8::Local<v8::Value> params = web::At(scope, state, kSearchParams);
  if (!params->IsObject()) {
    v8::Local<v8::Object> made;
    whatwg_url::Url u = ReadUrl(scope, state);
    if (!detail::NewSearchParamsFor(scope, info.This(), u.query.value_or("")).ToLocal(&made) ||
        !web::Put(scope, state, kSearchParams, made)) {
      return;
    }
    params = made;
  }
  info.GetReturnValue().Set(params);
}

v8::MaybeLocal<v8::Value> BuildUrl(JsScope& scope, v8::Local<v8::Array> realm) {
  static constexpr web::Method kMethods[] = {{"toString", Getter<GetHref>, 0},
                                             {"toJSON", Getter<GetHref>, 0}};
  static constexpr web::Method kStatics[] = {{"canParse", CanParse, 1}, {"parse", StaticParse, 1}};
  static constexpr web::Accessor kAccessors[] = {
      {"href", Getter<GetHref>, Setter<SetHref>},
      {"origin", Getter<GetOrigin>, nullptr},
      {"protocol", Getter<GetProtocol>, Setter<SetProtocol>},
      {"username", Getter<GetUsername>, Setter<SetUsername>},
      {"password", Getter<GetPassword>, Setter<SetPassword>},
      {"host", Getter<GetHost>, Setter<SetHost>},
      {"hostname", Getter<GetHostname>, Setter<SetHostname>},
      {"port", Getter<GetPort>, Setter<SetPort>},
      {"pathname", Getter<GetPathname>, Setter<SetPathname>},
      {"search", Getter<GetSearch>, Setter<SetSearch>},
      {"searchParams", SearchParamsGetter, nullptr},
      {"hash", Getter<GetHash>, Setter<SetHash>},
  };
  web::ClassSpec spec;
  spec.name = "URL";
  spec.constructor = Construct;
  spec.length = 1;
  spec.methods = kMethods;
  spec.statics = kStatics;
  spec.accessors = kAccessors;
  v8::Local<v8::Function> ctor;
  if (!web::BuildClass(scope, spec, realm).ToLocal(&ctor)) return {};
  return ctor;
}

}  // namespace

void InstallUrl(JsScope& scope) {
  (void)web::DefineLazyGlobal<Slot::kUrl, BuildUrl>(scope, "URL");
  (void)web::DefineLazyGlobal<Slot::kUrlSearchParams, detail::BuildUrlSearchParams>(
      scope, "URLSearchParams");
}

}  // namespace jscore::engine::extensions::url
