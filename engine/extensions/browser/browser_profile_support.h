// Building blocks of the browser profile (browser_profile.cc, browser_profile_dom.cc):
// native getters and methods that answer constants, interface objects, and the
// page's location.
#ifndef JSCORE_ENGINE_EXTENSIONS_BROWSER_BROWSER_PROFILE_SUPPORT_H_
#define JSCORE_ENGINE_EXTENSIONS_BROWSER_BROWSER_PROFILE_SUPPORT_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/internal/js_scope.h"
#include "engine/job.h"
#include "v8.h"

namespace jscore::engine::extensions::browser {

using internal::JsScope;

// `on[name]` as an accessor whose native getter ("get name") returns `value`.
bool DefineConstantGetter(JsScope& scope, v8::Local<v8::Object> on, std::string_view name,
                          v8::Local<v8::Value> value, v8::PropertyAttribute attributes = v8::None);
// `on[name]` as a native method that ignores its arguments and returns `value`
// (no-ops return undefined).
bool DefineConstantMethod(JsScope& scope, v8::Local<v8::Object> on, std::string_view name,
                          v8::Local<v8::Value> value, int length = 0);
// `on[name]` as a native method that returns a new empty array.
bool DefineEmptyListMethod(JsScope& scope, v8::Local<v8::Object> on, std::string_view name,
                           int length = 1);
bool DefineValue(JsScope& scope, v8::Local<v8::Object> on, std::string_view name,
                 v8::Local<v8::Value> value, v8::PropertyAttribute attributes = v8::None);

// The interface `name` with `prototype` (whose own prototype becomes `parent` when
// given), installed on the global object unless the environment already has it.
bool DefineInterface(JsScope& scope, std::string_view name, v8::Local<v8::Object> prototype,
                     v8::Local<v8::Object> parent = {});

// A new object with `prototype`: from the probe's template (misses recorded as
// "<probe_prefix>.<name>") when the context is being probed, else a plain object.
v8::MaybeLocal<v8::Object> NewInstance(JsScope& scope, v8::Local<v8::Object> prototype,
                                       const char* probe_prefix = nullptr);

// `s` with ASCII letters lowered (URL schemes and hosts, cookie attributes, tag names).
std::string Lower(std::string_view s);

// The parts of a URL that `location` shows.
struct PageUrl {
  std::string href, protocol, host, hostname, port, pathname, search, hash, origin;
};
// A small absolute-URL parser (scheme://[user@]host[:port][/path][?query][#hash]);
// what it cannot read becomes "about:blank".
PageUrl ParsePageUrl(std::string_view url);

// window.location (also document.location).
bool BuildLocation(JsScope& scope, const PageUrl& url, v8::Local<v8::Object>* location);
// document, with its cookie jar, elements and their interfaces.
bool BuildDocument(JsScope& scope, const BrowserProfile& profile, const PageUrl& url,
                   v8::Local<v8::Object> location, v8::Local<v8::Object>* document);

}  // namespace jscore::engine::extensions::browser

#endif  // JSCORE_ENGINE_EXTENSIONS_BROWSER_BROWSER_PROFILE_SUPPORT_H_
