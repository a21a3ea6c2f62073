#include "engine/extensions/browser/browser_profile.h"

#include <string>
#include <vector>

#include "engine/extensions/browser/browser_profile_support.h"
#include "engine/extensions/crypto/crypto_common.h"
#include "engine/extensions/hooks/probe.h"
#include "engine/internal/context_state.h"

namespace jscore::engine::extensions::browser {
namespace {

constexpr char kDefaultUserAgent[] =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36";
constexpr char kDefaultUrl[] = "https://example.com/";

void ReturnData(const v8::FunctionCallbackInfo<v8::Value>& info) {
  info.GetReturnValue().Set(info.Data());
}

void EmptyList(const v8::FunctionCallbackInfo<v8::Value>& info) {
  info.GetReturnValue().Set(v8::Array::New(info.GetIsolate()));
}

}  // namespace

bool DefineConstantGetter(JsScope& scope, v8::Local<v8::Object> on, std::string_view name,
                          v8::Local<v8::Value> value, v8::PropertyAttribute attributes) {
  v8::Local<v8::Function> getter;
  if (!crypto::NativeFunction(scope, "get " + std::string(name), ReturnData, value)
           .ToLocal(&getter)) {
    return false;
  }
  on->SetAccessorProperty(scope.Str(name), getter, {}, attributes);
  return true;
}

bool DefineConstantMethod(JsScope& scope, v8::Local<v8::Object> on, std::string_view name,
                          v8::Local<v8::Value> value, int length) {
  return crypto::DefineMethod(scope, on, name, ReturnData, value, length, v8::None);
}

bool DefineEmptyListMethod(JsScope& scope, v8::Local<v8::Object> on, std::string_view name,
                           int length) {
  return crypto::DefineMethod(scope, on, name, EmptyList, {}, length, v8::None);
}

bool DefineValue(JsScope& scope, v8::Local<v8::Object> on, std::string_view name,
                 v8::Local<v8::Value> value, v8::PropertyAttribute attributes) {
  return !on->DefineOwnProperty(scope.context(), scope.Str(name), value, attributes).IsNothing();
}

bool DefineInterface(JsScope& scope, std::string_view name, v8::Local<v8::Object> prototype,
                     v8::Local<v8::Object> parent) {
  v8::Local<v8::Context> context = scope.context();
  if (!parent.IsEmpty() && prototype->SetPrototype(context, parent).IsNothing()) return false;
  v8::Local<v8::Object> global = context->Global();
  bool has = false;
  if (!global->HasRealNamedProperty(context, scope.Str(name)).To(&has)) return false;
  v8::Local<v8::Function> interface_object;
  if (!crypto::InterfaceObject(scope, name, prototype).ToLocal(&interface_object)) return false;
  return has || DefineValue(scope, global, name, interface_object, v8::DontEnum);
}

v8::MaybeLocal<v8::Object> NewInstance(JsScope& scope, v8::Local<v8::Object> prototype,
                                       const char* probe_prefix) {
  v8::Local<v8::Context> context = scope.context();
  internal::ContextState* state = internal::ContextState::From(context);
  if (probe_prefix == nullptr || state == nullptr || !state->probe_built) {
    return v8::Object::New(scope.isolate(), prototype, nullptr, nullptr, 0);
  }
  v8::Local<v8::Object> object;
  if (!hooks::ProbeObjectTemplate(scope.isolate(), probe_prefix)
           ->NewInstance(context)
           .ToLocal(&object) ||
      object->SetPrototype(context, prototype).IsNothing()) {
    return {};
  }
  return object;
}

namespace {

std::string Or(const std::string& value, const char* fallback) {
  return value.empty() ? std::string(fallback) : value;
}

// "Chrome/124.0.0.0" -> "124"; "" when the user agent is not Chrome's.
std::string ChromeMajor(const std::string& user_agent) {
  size_t at = user_agent.find("Chrome/");
  if (at == std::string::npos) return "";
  size_t start = at + 7, end = start;
  while (end < user_agent.size() && user_agent[end] >= '0' && user_agent[end] <= '9') ++end;
  return user_agent.substr(start, end - start);
}

v8::Local<v8::Array> StringArray(JsScope& scope, const std::vector<std::string>& items) {
  std::vector<v8::Local<v8::Value>> values;
  for (const std::string& item : items) values.push_back(scope.Str(item));
  return v8::Array::New(scope.isolate(), values.data(), values.size());
}

v8::Local<v8::Object> PlainObject(
    JsScope& scope, const std::vector<std::pair<const char*, v8::Local<v8::Value>>>& fields) {
  v8::Local<v8::Object> object = v8::Object::New(scope.isolate());
  for (const auto& [name, value] : fields) (void)DefineValue(scope, object, name, value);
  return object;
}

// navigator.plugins: Chrome's five PDF viewers; none for other browsers.
v8::Local<v8::Array> NavigatorPlugins(JsScope& scope, const std::string& chrome) {
  v8::Isolate* isolate = scope.isolate();
  std::vector<v8::Local<v8::Value>> plugins;
  if (!chrome.empty()) {
    for (const char* name : {"PDF Viewer", "Chrome PDF Viewer", "Chromium PDF Viewer",
                             "Microsoft Edge PDF Viewer", "WebKit built-in PDF"}) {
      plugins.push_back(PlainObject(scope, {{"name", scope.Str(name)},
                                            {"filename", scope.Str("internal-pdf-viewer")},
                                            {"description", scope.Str("Portable Document Format")},
                                            {"length", v8::Integer::New(isolate, 2)}}));
    }
  }
  return v8::Array::New(isolate, plugins.data(), plugins.size());
}

// navigator.userAgentData (Chrome only): the brands of Chrome `chrome` on `platform`.
v8::Local<v8::Object> UserAgentData(JsScope& scope, const std::string& chrome,
                                    const std::string& platform) {
  v8::Isolate* isolate = scope.isolate();
  std::string ua_platform = platform.rfind("Win", 0) == 0   ? "Windows"
                            : platform.rfind("Mac", 0) == 0 ? "macOS"
                                                            : "Linux";
  std::vector<v8::Local<v8::Value>> brands;
  for (const auto& [brand, version] : std::vector<std::pair<std::string, std::string>>{
           {"Chromium", chrome}, {"Google Chrome", chrome}, {"Not-A.Brand", "99"}}) {
    brands.push_back(
        PlainObject(scope, {{"brand", scope.Str(brand)}, {"version", scope.Str(version)}}));
  }
  return PlainObject(scope, {{"brands", v8::Array::New(isolate, brands.data(), brands.size())},
                             {"mobile", v8::False(isolate)},
                             {"platform", scope.Str(ua_platform)}});
}

bool BuildNavigator(JsScope& scope, const BrowserProfile& profile,
                    v8::Local<v8::Object>* navigator) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Context> context = scope.context();
  std::string user_agent = Or(profile.user_agent, kDefaultUserAgent);
  std::string platform = Or(profile.platform, "Win32");
  std::vector<std::string> languages = profile.languages;
  if (languages.empty()) languages = {"en-US", "en"};
  std::string chrome = ChromeMajor(user_agent);
  bool safari = chrome.empty() && user_agent.find("Safari/") != std::string::npos;
  std::string app_version =
      user_agent.rfind("Mozilla/", 0) == 0 ? user_agent.substr(8) : user_agent;

  v8::Local<v8::Array> language_list = StringArray(scope, languages);
  if (language_list->SetIntegrityLevel(context, v8::IntegrityLevel::kFrozen).IsNothing())
    return false;
  v8::Local<v8::Array> plugins = NavigatorPlugins(scope, chrome);
  v8::Local<v8::Object> prototype = v8::Object::New(isolate);
  const std::vector<std::pair<const char*, v8::Local<v8::Value>>> getters = {
      {"userAgent", scope.Str(user_agent)},
      {"appVersion", scope.Str(app_version)},
      {"appName", scope.Str("Netscape")},
      {"appCodeName", scope.Str("Mozilla")},
      {"product", scope.Str("Gecko")},
      {"productSub", scope.Str(chrome.empty() && !safari ? "20100101" : "20030107")},
      {"vendor", scope.Str(!chrome.empty() ? "Google Inc."
                           : safari        ? "Apple Computer, Inc."
                                           : "")},
      {"vendorSub", scope.Str("")},
      {"platform", scope.Str(platform)},
      {"language", scope.Str(languages.front())},
      {"languages", language_list},
      {"onLine", v8::True(isolate)},
      {"cookieEnabled", v8::True(isolate)},
      {"doNotTrack", v8::Null(isolate)},
      {"hardwareConcurrency", v8::Integer::New(isolate, 8)},
      {"deviceMemory", v8::Integer::New(isolate, 8)},
      {"maxTouchPoints", v8::Integer::New(isolate, 0)},
      {"webdriver", v8::False(isolate)},
      {"pdfViewerEnabled", v8::True(isolate)},
      {"plugins", plugins},
      {"mimeTypes", v8::Array::New(isolate)},
      {"connection", PlainObject(scope, {{"effectiveType", scope.Str("4g")},
                                         {"rtt", v8::Integer::New(isolate, 50)},
                                         {"downlink", v8::Integer::New(isolate, 10)},
                                         {"saveData", v8::False(isolate)}})},
  };
  for (const auto& [name, value] : getters) {
    if (!DefineConstantGetter(scope, prototype, name, value)) return false;
  }
  if (!chrome.empty() && !DefineConstantGetter(scope, prototype, "userAgentData",
                                               UserAgentData(scope, chrome, platform))) {
    return false;
  }
  if (!DefineConstantMethod(scope, prototype, "javaEnabled", v8::False(isolate)) ||
      !DefineConstantMethod(scope, prototype, "sendBeacon", v8::True(isolate), 1) ||
      !DefineConstantMethod(scope, prototype, "vibrate", v8::True(isolate), 1) ||
      !DefineInterface(scope, "Navigator", prototype)) {
    return false;
  }
  return NewInstance(scope, prototype, "navigator").ToLocal(navigator);
}

bool BuildScreen(JsScope& scope, const BrowserProfile& profile, v8::Local<v8::Object>* screen) {
  v8::Isolate* isolate = scope.isolate();
  int width = profile.screen_width > 0 ? profile.screen_width : 1920;
  int height = profile.screen_height > 0 ? profile.screen_height : 1080;
  v8::Local<v8::Object> prototype = v8::Object::New(isolate);
  const std::vector<std::pair<const char*, v8::Local<v8::Value>>> getters = {
      {"width", v8::Integer::New(isolate, width)},
      {"height", v8::Integer::New(isolate, height)},
      {"availWidth", v8::Integer::New(isolate, width)},
      {"availHeight", v8::Integer::New(isolate, height > 40 ? height - 40 : height)},
      {"availLeft", v8::Integer::New(isolate, 0)},
      {"availTop", v8::Integer::New(isolate, 0)},
      {"colorDepth", v8::Integer::New(isolate, 24)},
      {"pixelDepth", v8::Integer::New(isolate, 24)},
      {"orientation", PlainObject(scope, {{"type", scope.Str(width >= height ? "landscape-primary"
                                                                             : "portrait-primary")},
                                          {"angle", v8::Integer::New(isolate, 0)}})},
  };
  for (const auto& [name, value] : getters) {
    if (!DefineConstantGetter(scope, prototype, name, value)) return false;
  }
  return DefineInterface(scope, "Screen", prototype) &&
         NewInstance(scope, prototype, "screen").ToLocal(screen);
}

// ---- localStorage / sessionStorage: items in a hidden null-prototype object ----

v8::Local<v8::Private> ItemsKey(v8::Isolate* isolate) {
  return v8::Private::ForApi(isolate, v8::String::NewFromUtf8Literal(isolate, "jscore:storage"));
}

bool Items(JsScope& scope, v8::Local<v8::Value> self, v8::Local<v8::Object>* items) {
  v8::Local<v8::Value> value;
  if (!self->IsObject() ||
      !self.As<v8::Object>()
           ->GetPrivate(scope.context(), ItemsKey(scope.isolate()))
           .ToLocal(&value) ||
      !value->IsObject()) {
    scope.isolate()->ThrowException(v8::Exception::TypeError(scope.Str("Illegal invocation")));
    return false;
  }
  *items = value.As<v8::Object>();
  return true;
}

// getItem, setItem, removeItem, clear, key, length; info.Data() says which.
enum StorageOp { kGetItem, kSetItem, kRemoveItem, kClear, kKey, kLength };

void StorageMethod(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Object> items;
  if (!Items(scope, info.This(), &items)) return;
  auto op = static_cast<StorageOp>(info.Data().As<v8::Int32>()->Value());
  v8::Local<v8::String> key, value;
  if ((op == kGetItem || op == kSetItem || op == kRemoveItem) &&
      (info.Length() < 1 || !info[0]->ToString(context).ToLocal(&key))) {
    if (info.Length() < 1)
      isolate->ThrowException(v8::Exception::TypeError(scope.Str("1 argument required")));
    return;
  }
  v8::Local<v8::Array> names;
  switch (op) {
    case kGetItem: {
      bool has = false;
      v8::Local<v8::Value> found;
      if (!items->HasOwnProperty(context, key).To(&has)) return;
      if (!has) return info.GetReturnValue().SetNull();
      if (items->Get(context, key).ToLocal(&found)) info.GetReturnValue().Set(found);
      return;
    }
    case kSetItem:
      if (info.Length() < 2 || !info[1]->ToString(context).ToLocal(&value)) return;
      (void)items->Set(context, key, value);
      return;
    case kRemoveItem:
      (void)items->Delete(context, key);
      return;
    case kClear:
      (void)info.This().As<v8::Object>()->SetPrivate(
          context, ItemsKey(isolate),
          v8::Object::New(isolate, v8::Null(isolate), nullptr, nullptr, 0));
      return;
    case kKey: {
      if (!items->GetOwnPropertyNames(context).ToLocal(&names)) return;
      double index = -1;
      v8::Local<v8::Number> number;
      if (info.Length() > 0 && info[0]->ToNumber(context).ToLocal(&number)) index = number->Value();
      v8::Local<v8::Value> name;
      if (index >= 0 && index < names->Length() &&
          names->Get(context, static_cast<uint32_t>(index)).ToLocal(&name)) {
        info.GetReturnValue().Set(name);
      } else {
        info.GetReturnValue().SetNull();
      }
      return;
    }
    case kLength:
      if (items->GetOwnPropertyNames(context).ToLocal(&names))
        info.GetReturnValue().Set(names->Length());
      return;
  }
}

bool BuildStorages(JsScope& scope, v8::Local<v8::Object>* local, v8::Local<v8::Object>* session) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Object> prototype = v8::Object::New(isolate);
  struct Op {
    const char* name;
    StorageOp op;
    int length;
  };
  for (const Op& m :
       {Op{"getItem", kGetItem, 1}, Op{"setItem", kSetItem, 2}, Op{"removeItem", kRemoveItem, 1},
        Op{"clear", kClear, 0}, Op{"key", kKey, 1}}) {
    if (!crypto::DefineMethod(scope, prototype, m.name, StorageMethod,
                              v8::Integer::New(isolate, m.op), m.length, v8::None)) {
      return false;
    }
  }
  v8::Local<v8::Function> length;
  if (!crypto::NativeFunction(scope, "get length", StorageMethod,
                              v8::Integer::New(isolate, kLength))
           .ToLocal(&length)) {
    return false;
  }
  prototype->SetAccessorProperty(scope.Str("length"), length, {}, v8::None);
  if (!DefineInterface(scope, "Storage", prototype)) return false;
  for (v8::Local<v8::Object>* storage : {local, session}) {
    *storage = v8::Object::New(isolate, prototype, nullptr, nullptr, 0);
    if ((*storage)
            ->SetPrivate(scope.context(), ItemsKey(isolate),
                         v8::Object::New(isolate, v8::Null(isolate), nullptr, nullptr, 0))
            .IsNothing()) {
      return false;
    }
  }
  return true;
}

// jscore's own globals stay reachable but out of Object.keys(window), as a browser's
// namespaces (console) are.
bool HideJscoreGlobals(JsScope& scope) {
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Object> global = context->Global();
  for (const char* name : {"console", "md5", "sha1", "sha256", "sha512", "CryptoUtils", "$return",
                           "$exit", "$terminate", "require"}) {
    v8::Local<v8::String> key = scope.Str(name);
    bool has = false;
    if (!global->HasRealNamedProperty(context, key).To(&has)) return false;
    if (!has) continue;
    v8::PropertyAttribute attributes;
    if (!global->GetPropertyAttributes(context, key).To(&attributes)) return false;
    if (attributes & v8::DontEnum) continue;
    v8::Local<v8::Value> value;
    if (!global->GetRealNamedProperty(context, key).ToLocal(&value) ||
        global->DefineOwnProperty(context, key, value, v8::DontEnum).IsNothing()) {
      return false;
    }
  }
  return true;
}

// window.__proto__ is Window.prototype, as in a browser. The API's GetPrototype of
// the global proxy is the global object behind it, whose prototype is what scripts
// see as Object.getPrototypeOf(window).
bool SetWindowPrototype(JsScope& scope) {
  v8::Local<v8::Object> window_prototype = v8::Object::New(scope.isolate());
  v8::Local<v8::Value> global_object = scope.context()->Global()->GetPrototype();
  if (!global_object->IsObject()) return false;
  v8::Local<v8::Value> object_prototype = global_object.As<v8::Object>()->GetPrototype();
  return DefineInterface(scope, "Window", window_prototype,
                         object_prototype->IsObject() ? object_prototype.As<v8::Object>()
                                                      : v8::Local<v8::Object>()) &&
         !global_object.As<v8::Object>()
              ->SetPrototype(scope.context(), window_prototype)
              .IsNothing();
}

// window.history: one entry, its navigation methods doing nothing.
bool BuildHistory(JsScope& scope, v8::Local<v8::Object>* history) {
  v8::Isolate* isolate = scope.isolate();
  *history = PlainObject(scope, {{"length", v8::Integer::New(isolate, 1)},
                                 {"state", v8::Null(isolate)},
                                 {"scrollRestoration", scope.Str("auto")}});
  for (const char* method : {"pushState", "replaceState", "back", "forward", "go"}) {
    if (!DefineConstantMethod(scope, *history, method, v8::Undefined(isolate))) return false;
  }
  return true;
}

// The objects window holds, built before they are defined on it.
struct WindowParts {
  v8::Local<v8::Object> navigator, screen, location, document, local_storage, session_storage,
      history;
};

// window, location and the data properties of window (frames, sizes, scroll offsets...).
bool DefineWindowValues(JsScope& scope, const BrowserProfile& profile, const PageUrl& url,
                        const WindowParts& parts) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Object> global = scope.context()->Global();
  int width = profile.screen_width > 0 ? profile.screen_width : 1920;
  int height = profile.screen_height > 0 ? profile.screen_height : 1080;
  auto fixed = static_cast<v8::PropertyAttribute>(v8::ReadOnly | v8::DontDelete);
  bool secure = url.protocol == "https:";
  const std::vector<std::pair<const char*, v8::Local<v8::Value>>> values = {
      {"self", global},
      {"top", global},
      {"parent", global},
      {"frames", global},
      {"navigator", parts.navigator},
      {"screen", parts.screen},
      {"document", parts.document},
      {"localStorage", parts.local_storage},
      {"sessionStorage", parts.session_storage},
      {"name", scope.Str("")},
      {"length", v8::Integer::New(isolate, 0)},
      {"closed", v8::False(isolate)},
      {"opener", v8::Null(isolate)},
      {"frameElement", v8::Null(isolate)},
      {"origin", scope.Str(url.origin)},
      {"isSecureContext", v8::Boolean::New(isolate, secure)},
      {"innerWidth", v8::Integer::New(isolate, width)},
      {"innerHeight", v8::Integer::New(isolate, height > 130 ? height - 130 : height)},
      {"outerWidth", v8::Integer::New(isolate, width)},
      {"outerHeight", v8::Integer::New(isolate, height > 40 ? height - 40 : height)},
      {"devicePixelRatio", v8::Integer::New(isolate, 1)},
      {"screenX", v8::Integer::New(isolate, 0)},
      {"screenY", v8::Integer::New(isolate, 0)},
      {"screenLeft", v8::Integer::New(isolate, 0)},
      {"screenTop", v8::Integer::New(isolate, 0)},
      {"scrollX", v8::Integer::New(isolate, 0)},
      {"scrollY", v8::Integer::New(isolate, 0)},
      {"pageXOffset", v8::Integer::New(isolate, 0)},
      {"pageYOffset", v8::Integer::New(isolate, 0)},
      {"history", parts.history},
  };
  if (!DefineValue(scope, global, "window", global, fixed) ||
      !DefineValue(scope, global, "location", parts.location, fixed)) {
    return false;
  }
  for (const auto& [name, value] : values) {
    if (!DefineValue(scope, global, name, value)) return false;
  }
  return true;
}

// Event and timing members a page script expects on window, unless the environment
// already defines them.
bool DefineWindowMethods(JsScope& scope) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Object> global = context->Global();
  const std::vector<std::pair<const char*, v8::Local<v8::Value>>> methods = {
      {"addEventListener", v8::Undefined(isolate)},
      {"removeEventListener", v8::Undefined(isolate)},
      {"dispatchEvent", v8::True(isolate)},
      {"alert", v8::Undefined(isolate)},
      {"confirm", v8::False(isolate)},
      {"prompt", v8::Null(isolate)},
      {"focus", v8::Undefined(isolate)},
      {"blur", v8::Undefined(isolate)},
      {"scrollTo", v8::Undefined(isolate)},
      {"scroll", v8::Undefined(isolate)},
      {"open", v8::Null(isolate)},
      {"close", v8::Undefined(isolate)},
      {"postMessage", v8::Undefined(isolate)},
  };
  for (const auto& [name, value] : methods) {
    bool has = false;
    if (!global->HasRealNamedProperty(context, scope.Str(name)).To(&has)) return false;
    if (!has && !DefineConstantMethod(scope, global, name, value)) return false;
  }
  return true;
}

bool InstallWindow(JsScope& scope, const BrowserProfile& profile, const PageUrl& url) {
  v8::Isolate* isolate = scope.isolate();
  WindowParts parts;
  if (!BuildNavigator(scope, profile, &parts.navigator) ||
      !BuildScreen(scope, profile, &parts.screen) || !BuildLocation(scope, url, &parts.location) ||
      !BuildDocument(scope, profile, url, parts.location, &parts.document) ||
      !BuildStorages(scope, &parts.local_storage, &parts.session_storage) ||
      !SetWindowPrototype(scope) || !BuildHistory(scope, &parts.history) ||
      !DefineWindowValues(scope, profile, url, parts) || !DefineWindowMethods(scope)) {
    return false;
  }
  if (!ChromeMajor(Or(profile.user_agent, kDefaultUserAgent)).empty()) {
    v8::Local<v8::Object> chrome =
        PlainObject(scope, {{"app", PlainObject(scope, {{"isInstalled", v8::False(isolate)}})},
                            {"runtime", v8::Object::New(isolate)}});
    if (!DefineValue(scope, scope.context()->Global(), "chrome", chrome)) return false;
  }
  return HideJscoreGlobals(scope);
}

}  // namespace

bool InstallBrowserProfile(internal::JsScope& scope, const BrowserProfile& profile) {
  browser::PageUrl url =
      browser::ParsePageUrl(profile.url.empty() ? browser::kDefaultUrl : profile.url);
  return browser::InstallWindow(scope, profile, url);
}

}  // namespace jscore::engine::extensions::browser
