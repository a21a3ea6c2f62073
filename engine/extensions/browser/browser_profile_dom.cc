// The browser profile's page: document (cookie jar, readyState, inert elements) and
// the DOM interfaces it belongs to; location is in browser_location.cc.
#include <algorithm>
#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "engine/extensions/browser/browser_profile_support.h"
#include "engine/extensions/crypto/crypto_common.h"
#include "engine/internal/context_state.h"

namespace jscore::engine::extensions::browser {
namespace {

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// ---- document.cookie: a jar of name=value pairs, kept as a string on the document ----

v8::Local<v8::Private> JarKey(v8::Isolate* isolate) {
  return v8::Private::ForApi(isolate, v8::String::NewFromUtf8Literal(isolate, "jscore:cookies"));
}

using Jar = std::vector<std::pair<std::string, std::string>>;

std::string Serialize(const Jar& jar) {
  std::string out;
  for (const auto& [name, value] : jar) {
    if (!out.empty()) out += "; ";
    out += name.empty() ? value : name + "=" + value;
  }
  return out;
}

Jar Parse(std::string_view text) {
  Jar jar;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(';', start);
    std::string pair = Trim(
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      if (eq == std::string::npos) {
        jar.emplace_back("", pair);
      } else {
        jar.emplace_back(Trim(std::string_view(pair).substr(0, eq)),
                         Trim(std::string_view(pair).substr(eq + 1)));
      }
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return jar;
}

// Applies one `document.cookie = "name=value; Max-Age=0; expires=..."`.
void SetCookie(Jar* jar, std::string_view text, absl::Time now) {
  Jar parts = Parse(text);
  if (parts.empty()) return;
  // Named copies, not a structured binding: C++17 lambdas cannot capture those (clang).
  std::string name = parts.front().first;
  std::string value = parts.front().second;
  bool expired = false;
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string attribute = Lower(parts[i].first);
    if (attribute == "max-age") {
      expired = !parts[i].second.empty() && (parts[i].second[0] == '-' || parts[i].second == "0");
    } else if (attribute == "expires") {
      // RFC 1123 dates ("Thu, 01 Jan 1970 00:00:00 GMT"), always in GMT.
      std::string date = parts[i].second;
      for (const char* zone : {" GMT", " UTC"}) {
        if (date.size() > 4 && date.compare(date.size() - 4, 4, zone) == 0)
          date.resize(date.size() - 4);
      }
      absl::Time when;
      std::string error;
      if (absl::ParseTime("%a, %d %b %Y %H:%M:%S", date, absl::UTCTimeZone(), &when, &error) ||
          absl::ParseTime("%a, %d-%b-%Y %H:%M:%S", date, absl::UTCTimeZone(), &when, &error)) {
        expired = when <= now;
      }
    }
  }
  auto it = std::find_if(jar->begin(), jar->end(), [&](const auto& p) { return p.first == name; });
  if (expired) {
    if (it != jar->end()) jar->erase(it);
  } else if (it != jar->end()) {
    it->second = value;
  } else {
    jar->emplace_back(name, value);
  }
}

void CookieGet(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Value> jar;
  if (info.This()->IsObject() &&
      info.This()
          .As<v8::Object>()
          ->GetPrivate(isolate->GetCurrentContext(), JarKey(isolate))
          .ToLocal(&jar) &&
      jar->IsString()) {
    info.GetReturnValue().Set(jar);
  } else {
    info.GetReturnValue().SetEmptyString();
  }
}

void CookieSet(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::String> text;
  v8::Local<v8::Value> current;
  if (!info.This()->IsObject() || info.Length() < 1 || !info[0]->ToString(context).ToLocal(&text) ||
      !info.This().As<v8::Object>()->GetPrivate(context, JarKey(isolate)).ToLocal(&current)) {
    return;
  }
  Jar jar = current->IsString() ? Parse(scope.Utf8(current.As<v8::String>())) : Jar();
  internal::ContextState* state = internal::ContextState::From(context);
  absl::Time now = state != nullptr && state->frozen_time_ms
                       ? absl::FromUnixMillis(static_cast<int64_t>(*state->frozen_time_ms))
                       : absl::Now();
  SetCookie(&jar, scope.Utf8(text), now);
  (void)info.This().As<v8::Object>()->SetPrivate(context, JarKey(isolate),
                                                 scope.Str(Serialize(jar)));
}

// ---- elements: inert objects that accept what page scripts do to them ----

// createElement's data: [Element prototype, style prototype, document].
enum ElementData { kElementPrototype, kStylePrototype, kOwnerDocument, kElementDataSize };

v8::Local<v8::Private> AttributesKey(v8::Isolate* isolate) {
  return v8::Private::ForApi(isolate, v8::String::NewFromUtf8Literal(isolate, "jscore:attributes"));
}

v8::MaybeLocal<v8::Object> NewElement(JsScope& scope, v8::Local<v8::Array> data,
                                      const std::string& tag) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Value> prototype, style_prototype, document;
  if (!data->Get(context, kElementPrototype).ToLocal(&prototype) ||
      !data->Get(context, kStylePrototype).ToLocal(&style_prototype) ||
      !data->Get(context, kOwnerDocument).ToLocal(&document)) {
    return {};
  }
  std::string upper = tag;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string lower = Lower(tag);
  v8::Local<v8::Object> element = v8::Object::New(isolate, prototype, nullptr, nullptr, 0);
  v8::Local<v8::Object> style = v8::Object::New(isolate, style_prototype, nullptr, nullptr, 0);
  v8::Local<v8::Object> class_list = v8::Object::New(isolate);
  bool canvas = lower == "canvas";
  const std::vector<std::pair<const char*, v8::Local<v8::Value>>> fields = {
      {"tagName", scope.Str(upper)},
      {"nodeName", scope.Str(upper)},
      {"localName", scope.Str(lower)},
      {"nodeType", v8::Integer::New(isolate, 1)},
      {"namespaceURI", scope.Str("http://www.w3.org/1999/xhtml")},
      {"id", scope.Str("")},
      {"className", scope.Str("")},
      {"innerHTML", scope.Str("")},
      {"innerText", scope.Str("")},
      {"textContent", scope.Str("")},
      {"style", style},
      {"classList", class_list},
      {"dataset", v8::Object::New(isolate)},
      {"childNodes", v8::Array::New(isolate)},
      {"children", v8::Array::New(isolate)},
      {"firstChild", v8::Null(isolate)},
      {"lastChild", v8::Null(isolate)},
      {"parentNode", v8::Null(isolate)},
      {"parentElement", v8::Null(isolate)},
      {"nextSibling", v8::Null(isolate)},
      {"previousSibling", v8::Null(isolate)},
      {"ownerDocument", document},
      {"offsetWidth", v8::Integer::New(isolate, 0)},
      {"offsetHeight", v8::Integer::New(isolate, 0)},
      {"clientWidth", v8::Integer::New(isolate, 0)},
      {"clientHeight", v8::Integer::New(isolate, 0)},
      {"scrollWidth", v8::Integer::New(isolate, 0)},
      {"scrollHeight", v8::Integer::New(isolate, 0)},
  };
  for (const auto& [name, value] : fields) {
    if (!DefineValue(scope, element, name, value)) return {};
  }
  if (canvas && (!DefineValue(scope, element, "width", v8::Integer::New(isolate, 300)) ||
                 !DefineValue(scope, element, "height", v8::Integer::New(isolate, 150)))) {
    return {};
  }
  for (const auto& [name, value] :
       std::vector<std::pair<const char*, v8::Local<v8::Value>>>{{"add", v8::Undefined(isolate)},
                                                                 {"remove", v8::Undefined(isolate)},
                                                                 {"contains", v8::False(isolate)},
                                                                 {"toggle", v8::False(isolate)}}) {
    if (!DefineConstantMethod(scope, class_list, name, value, 1)) return {};
  }
  if (!DefineValue(scope, style, "cssText", scope.Str("")) ||
      element
          ->SetPrivate(context, AttributesKey(isolate),
                       v8::Object::New(isolate, v8::Null(isolate), nullptr, nullptr, 0))
          .IsNothing()) {
    return {};
  }
  return element;
}

void CreateElement(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  // createElementNS(namespace, name) passes the name second.
  int index = info.Length() > 1 && info.Data().As<v8::Array>()->Length() > kElementDataSize ? 1 : 0;
  v8::Local<v8::String> tag;
  if (info.Length() <= index || !info[index]->ToString(scope.context()).ToLocal(&tag)) {
    if (info.Length() <= index)
      isolate->ThrowException(v8::Exception::TypeError(scope.Str("1 argument required")));
    return;
  }
  v8::Local<v8::Object> element;
  if (NewElement(scope, info.Data().As<v8::Array>(), scope.Utf8(tag)).ToLocal(&element)) {
    info.GetReturnValue().Set(element);
  }
}

void CloneNode(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Value> tag;
  v8::Local<v8::Object> element;
  if (info.This()->IsObject() &&
      info.This().As<v8::Object>()->Get(scope.context(), scope.Str("localName")).ToLocal(&tag) &&
      NewElement(scope, info.Data().As<v8::Array>(), scope.ToUtf8(tag)).ToLocal(&element)) {
    info.GetReturnValue().Set(element);
  }
}

// setAttribute, getAttribute, hasAttribute, removeAttribute: info.Data() says which.
enum AttributeOp { kSet, kGet, kHas, kRemove };

void AttributeMethod(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Value> store;
  v8::Local<v8::String> name;
  if (!info.This()->IsObject() ||
      !info.This().As<v8::Object>()->GetPrivate(context, AttributesKey(isolate)).ToLocal(&store) ||
      !store->IsObject()) {
    isolate->ThrowException(v8::Exception::TypeError(scope.Str("Illegal invocation")));
    return;
  }
  if (info.Length() < 1 || !info[0]->ToString(context).ToLocal(&name)) return;
  name = scope.Str(Lower(scope.Utf8(name)));
  v8::Local<v8::Object> attributes = store.As<v8::Object>();
  bool has = false;
  if (!attributes->HasOwnProperty(context, name).To(&has)) return;
  v8::Local<v8::String> value;
  v8::Local<v8::Value> found;
  switch (static_cast<AttributeOp>(info.Data().As<v8::Int32>()->Value())) {
    case kSet: {
      if (info.Length() < 2 || !info[1]->ToString(context).ToLocal(&value)) return;
      if (attributes->Set(context, name, value).IsNothing()) return;
      std::string key = scope.Utf8(name);
      // id and class are reflected as properties, as in the DOM.
      if (key == "id" || key == "class") {
        (void)info.This().As<v8::Object>()->Set(context,
                                                scope.Str(key == "id" ? "id" : "className"), value);
      }
      return;
    }
    case kGet:
      if (!has) return info.GetReturnValue().SetNull();
      if (attributes->Get(context, name).ToLocal(&found)) info.GetReturnValue().Set(found);
      return;
    case kHas:
      return info.GetReturnValue().Set(has);
    case kRemove:
      (void)attributes->Delete(context, name);
      return;
  }
}

void ReturnFirstArgument(const v8::FunctionCallbackInfo<v8::Value>& info) {
  if (info.Length() > 0)
    info.GetReturnValue().Set(info[info.Length() > 1 && info.Data()->IsTrue() ? 1 : 0]);
}

// CSSStyleDeclaration: setProperty/getPropertyValue/removeProperty over own properties.
void StyleMethod(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  if (!info.This()->IsObject() || info.Length() < 1) return;
  v8::Local<v8::Object> style = info.This().As<v8::Object>();
  v8::Local<v8::String> name;
  if (!info[0]->ToString(context).ToLocal(&name)) return;
  int op = info.Data().As<v8::Int32>()->Value();
  v8::Local<v8::Value> value;
  if (op == 0) {  // setProperty
    if (info.Length() > 1 && info[1]->ToString(context).ToLocal(&value))
      (void)style->Set(context, name, value);
    return;
  }
  if (!style->Get(context, name).ToLocal(&value)) return;
  info.GetReturnValue().Set(value->IsUndefined() ? v8::String::Empty(isolate).As<v8::Value>()
                                                 : value);
  if (op == 2) (void)style->Delete(context, name);  // removeProperty returns the old value
}

bool BuildElementInterfaces(JsScope& scope, v8::Local<v8::Array> data) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Object> node = v8::Object::New(isolate);
  v8::Local<v8::Object> element = v8::Object::New(isolate);
  v8::Local<v8::Object> html_element = v8::Object::New(isolate);
  v8::Local<v8::Object> style = v8::Object::New(isolate);
  if (!DefineInterface(scope, "Node", node) || !DefineInterface(scope, "Element", element, node) ||
      !DefineInterface(scope, "HTMLElement", html_element, element) ||
      !DefineInterface(scope, "CSSStyleDeclaration", style)) {
    return false;
  }
  struct Attr {
    const char* name;
    AttributeOp op;
    int length;
  };
  for (const Attr& a : {Attr{"setAttribute", kSet, 2}, Attr{"getAttribute", kGet, 1},
                        Attr{"hasAttribute", kHas, 1}, Attr{"removeAttribute", kRemove, 1}}) {
    if (!crypto::DefineMethod(scope, element, a.name, AttributeMethod,
                              v8::Integer::New(isolate, a.op), a.length, v8::None)) {
      return false;
    }
  }
  v8::Local<v8::Object> rect = v8::Object::New(isolate);
  for (const char* side : {"x", "y", "width", "height", "top", "right", "bottom", "left"}) {
    if (!DefineValue(scope, rect, side, v8::Integer::New(isolate, 0))) return false;
  }
  const std::vector<std::pair<const char*, v8::Local<v8::Value>>> constants = {
      {"addEventListener", v8::Undefined(isolate)},
      {"removeEventListener", v8::Undefined(isolate)},
      {"dispatchEvent", v8::True(isolate)},
      {"append", v8::Undefined(isolate)},
      {"prepend", v8::Undefined(isolate)},
      {"remove", v8::Undefined(isolate)},
      {"contains", v8::False(isolate)},
      {"hasChildNodes", v8::False(isolate)},
      {"getBoundingClientRect", rect},
      {"querySelector", v8::Null(isolate)},
      {"click", v8::Undefined(isolate)},
      {"focus", v8::Undefined(isolate)},
      {"blur", v8::Undefined(isolate)},
      {"scrollIntoView", v8::Undefined(isolate)},
      {"matches", v8::False(isolate)},
      {"closest", v8::Null(isolate)},
      {"getContext", v8::Null(isolate)},
      {"toDataURL", scope.Str("data:,")},
  };
  for (const auto& [name, value] : constants) {
    if (!DefineConstantMethod(scope, element, name, value)) return false;
  }
  for (const char* name :
       {"querySelectorAll", "getElementsByTagName", "getElementsByClassName", "getClientRects"}) {
    if (!DefineEmptyListMethod(scope, element, name)) return false;
  }
  for (const char* name : {"appendChild", "removeChild", "insertBefore"}) {
    if (!crypto::DefineMethod(scope, node, name, ReturnFirstArgument, v8::False(isolate), 1,
                              v8::None))
      return false;
  }
  if (!crypto::DefineMethod(scope, node, "replaceChild", ReturnFirstArgument, v8::True(isolate), 2,
                            v8::None) ||
      !crypto::DefineMethod(scope, node, "cloneNode", CloneNode, data, 0, v8::None)) {
    return false;
  }
  int op = 0;
  for (const char* name : {"setProperty", "getPropertyValue", "removeProperty"}) {
    if (!crypto::DefineMethod(scope, style, name, StyleMethod, v8::Integer::New(isolate, op++), 1,
                              v8::None))
      return false;
  }
  return !data->Set(context, kElementPrototype, html_element).IsNothing() &&
         !data->Set(context, kStylePrototype, style).IsNothing();
}

// document.createElement(name) and createElementNS(namespace, name) on the prototype;
// createElementNS gets a longer data array, which tells it to read the second argument.
bool DefineCreateElement(JsScope& scope, v8::Local<v8::Object> document_prototype,
                         v8::Local<v8::Array> data) {
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Array> ns_data = v8::Array::New(scope.isolate(), kElementDataSize + 1);
  for (uint32_t i = 0; i < kElementDataSize; ++i) {
    v8::Local<v8::Value> item;
    if (!data->Get(context, i).ToLocal(&item) || ns_data->Set(context, i, item).IsNothing())
      return false;
  }
  return crypto::DefineMethod(scope, document_prototype, "createElement", CreateElement, data, 1,
                              v8::None) &&
         crypto::DefineMethod(scope, document_prototype, "createElementNS", CreateElement, ns_data,
                              2, v8::None);
}

// The document methods that return a constant or an empty list.
bool DefineDocumentConstants(JsScope& scope, v8::Local<v8::Object> document_prototype) {
  v8::Isolate* isolate = scope.isolate();
  const std::vector<std::pair<const char*, v8::Local<v8::Value>>> constants = {
      {"getElementById", v8::Null(isolate)},
      {"querySelector", v8::Null(isolate)},
      {"addEventListener", v8::Undefined(isolate)},
      {"removeEventListener", v8::Undefined(isolate)},
      {"dispatchEvent", v8::True(isolate)},
      {"hasFocus", v8::True(isolate)},
      {"write", v8::Undefined(isolate)},
      {"writeln", v8::Undefined(isolate)},
      {"open", v8::Undefined(isolate)},
      {"close", v8::Undefined(isolate)},
      {"execCommand", v8::False(isolate)},
  };
  for (const auto& [name, value] : constants) {
    if (!DefineConstantMethod(scope, document_prototype, name, value)) return false;
  }
  for (const char* name : {"querySelectorAll", "getElementsByTagName", "getElementsByClassName",
                           "getElementsByName"}) {
    if (!DefineEmptyListMethod(scope, document_prototype, name)) return false;
  }
  return true;
}

// The document's html, head and body elements.
struct DocumentTree {
  v8::Local<v8::Object> html, head, body;
};

// The profile's cookie jar and the document's data properties (URL, readyState, body...).
bool DefineDocumentFields(JsScope& scope, const BrowserProfile& profile, const PageUrl& url,
                          v8::Local<v8::Object> location, const DocumentTree& tree,
                          v8::Local<v8::Object> document) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Context> context = scope.context();
  std::string cookie = Serialize(Parse(profile.cookie));
  if (document->SetPrivate(context, JarKey(isolate), scope.Str(cookie)).IsNothing()) return false;
  const std::vector<std::pair<const char*, v8::Local<v8::Value>>> fields = {
      {"URL", scope.Str(url.href)},
      {"documentURI", scope.Str(url.href)},
      {"baseURI", scope.Str(url.href)},
      {"domain", scope.Str(url.hostname)},
      {"referrer", scope.Str(profile.referrer)},
      {"title", scope.Str("")},
      {"readyState", scope.Str("complete")},
      {"visibilityState", scope.Str("visible")},
      {"hidden", v8::False(isolate)},
      {"characterSet", scope.Str("UTF-8")},
      {"charset", scope.Str("UTF-8")},
      {"inputEncoding", scope.Str("UTF-8")},
      {"contentType", scope.Str("text/html")},
      {"compatMode", scope.Str("CSS1Compat")},
      {"dir", scope.Str("")},
      {"designMode", scope.Str("off")},
      {"documentElement", tree.html},
      {"head", tree.head},
      {"body", tree.body},
      {"activeElement", tree.body},
      {"location", location},
      {"defaultView", context->Global()},
      {"scripts", v8::Array::New(isolate)},
      {"forms", v8::Array::New(isolate)},
      {"images", v8::Array::New(isolate)},
      {"links", v8::Array::New(isolate)},
      {"nodeType", v8::Integer::New(isolate, 9)},
      {"nodeName", scope.Str("#document")},
  };
  for (const auto& [name, value] : fields) {
    if (!DefineValue(scope, document, name, value)) return false;
  }
  return true;
}

}  // namespace

bool BuildDocument(JsScope& scope, const BrowserProfile& profile, const PageUrl& url,
                   v8::Local<v8::Object> location, v8::Local<v8::Object>* document) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Array> data = v8::Array::New(isolate, kElementDataSize);
  if (!BuildElementInterfaces(scope, data)) return false;
  v8::Local<v8::Object> document_prototype = v8::Object::New(isolate);
  v8::Local<v8::Object> html_document = v8::Object::New(isolate);
  v8::Local<v8::Function> cookie_get, cookie_set;
  if (!DefineInterface(scope, "Document", document_prototype) ||
      !DefineInterface(scope, "HTMLDocument", html_document, document_prototype) ||
      !crypto::NativeFunction(scope, "get cookie", CookieGet).ToLocal(&cookie_get) ||
      !crypto::NativeFunction(scope, "set cookie", CookieSet, {}, 1).ToLocal(&cookie_set)) {
    return false;
  }
  document_prototype->SetAccessorProperty(scope.Str("cookie"), cookie_get, cookie_set, v8::None);
  if (!NewInstance(scope, html_document, "document").ToLocal(document) ||
      data->Set(context, kOwnerDocument, *document).IsNothing()) {
    return false;
  }
  DocumentTree tree;
  return DefineCreateElement(scope, document_prototype, data) &&
         NewElement(scope, data, "html").ToLocal(&tree.html) &&
         NewElement(scope, data, "head").ToLocal(&tree.head) &&
         NewElement(scope, data, "body").ToLocal(&tree.body) &&
         DefineDocumentConstants(scope, document_prototype) &&
         DefineDocumentFields(scope, profile, url, location, tree, *document);
}

}  // namespace jscore::engine::extensions::browser
