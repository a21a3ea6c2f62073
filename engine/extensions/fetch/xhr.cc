// XMLHttpRequest: the asynchronous subset that scripts use, an EventTarget over the
// job's HTTP transfers (ContextHost::StartHttp). Synchronous requests are refused.
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "engine/extensions/events/events.h"
#include "engine/extensions/fetch/fetch_internal.h"
#include "engine/extensions/web/dom_exception.h"
#include "engine/extensions/web/web_support.h"
#include "engine/internal/context_host.h"
#include "engine/whatwg_url/url_parser.h"

namespace jscore::engine::extensions::fetch::detail {
namespace {

using internal::ContextHost;

constexpr char kXhrKey[] = "jscore.XMLHttpRequest";
enum XhrSlot {
  kReadyState,
  kMethod,
  kUrl,
  kRequestHeaders,  // a Headers object
  kSent,
  kTransfer,    // the transfer's id while one is in flight
  kGeneration,  // bumped by open() and abort(): a late delivery sees it changed
  kStatus,
  kStatusText,
  kResponseUrl,
  kResponseHeaders,  // a Headers object, once headers arrived
  kBody,             // a Uint8Array, once the body arrived
  kResponseType,
  kResponseObject,  // what `response` returned for json/arraybuffer (the same each time)
  kTimeout,
  kWithCredentials,
  kXhrSlots
};
enum ReadyState { kUnsent = 0, kOpened = 1, kHeadersReceived = 2, kLoading = 3, kDone = 4 };

int IntAt(JsScope& scope, v8::Local<v8::Array> state, int slot) {
  return web::At(scope, state, slot)->Int32Value(scope.context()).FromMaybe(0);
}

bool PutInt(JsScope& scope, v8::Local<v8::Array> state, int slot, double value) {
  return web::Put(scope, state, slot, v8::Number::New(scope.isolate(), value));
}

// Fires a trusted event of `type` at the request. False when an exception must
// propagate (a listener's own exceptions are reported, as in browsers).
bool Fire(JsScope& scope, v8::Local<v8::Object> xhr, std::string_view type) {
  v8::Local<v8::Object> event;
  bool not_canceled = true;
  return events::NewEvent(scope, type, /*trusted=*/true).ToLocal(&event) &&
         events::Dispatch(scope, xhr, event, &not_canceled);
}

// Fires `types` in order while the request is still the one of `generation`.
bool FireAll(JsScope& scope, v8::Local<v8::Object> xhr, v8::Local<v8::Array> state,
             double generation, std::initializer_list<std::string_view> types) {
  for (std::string_view type : types) {
    if (web::At(scope, state, kGeneration)->NumberValue(scope.context()).FromMaybe(-1) !=
        generation) {
      return true;  // open() or abort() ran in a listener: this delivery is over
    }
    if (!Fire(scope, xhr, type)) return false;
  }
  return true;
}

// "request error steps": DONE with status 0, then readystatechange, `type`, loadend.
bool RequestError(JsScope& scope, v8::Local<v8::Object> xhr, v8::Local<v8::Array> state,
                  std::string_view type) {
  double generation = web::At(scope, state, kGeneration)->NumberValue(scope.context()).FromMaybe(0);
  if (!PutInt(scope, state, kReadyState, kDone) ||
      !web::Put(scope, state, kSent, v8::False(scope.isolate())) ||
      !web::Put(scope, state, kTransfer, v8::Undefined(scope.isolate())) ||
      !PutInt(scope, state, kStatus, 0)) {
    return false;
  }
  return FireAll(scope, xhr, state, generation, {"readystatechange", type, "loadend"});
}

// What send() hands the transfer: the request object to update and fire events at.
struct XhrDone {
  v8::Global<v8::Object> xhr;

  void operator()(JsScope& scope, internal::HttpResult result) {
    v8::Isolate* isolate = scope.isolate();
    v8::Local<v8::Object> object = xhr.Get(isolate);
    v8::Local<v8::Array> state;
    if (!web::GetState(scope, object, kXhrKey, &state)) return;
    if (!result.ok()) {
      if (ContextHost* host = ContextHost::From(scope.context())) {
        host->AddConsoleLine(ConsoleLine::Level::kError,
                             absl::StrCat("XMLHttpRequest: ", result.status().message()));
      }
      (void)RequestError(scope, object, state,
                         absl::IsDeadlineExceeded(result.status()) ? "timeout" : "error");
      return;
    }
    double generation =
        web::At(scope, state, kGeneration)->NumberValue(scope.context()).FromMaybe(0);
    v8::Local<v8::String> status_text, url;
    v8::Local<v8::Object> headers;
    v8::Local<v8::Uint8Array> body;
    uint8_t* data = nullptr;
    if (!web::NewStringUtf8(scope, result->status_text).ToLocal(&status_text) ||
        !web::NewStringUtf8(scope, result->url).ToLocal(&url) ||
        !NewHeaders(scope, result->headers).ToLocal(&headers) ||
        !web::NewUint8Array(scope, result->body.size(), &data).ToLocal(&body)) {
      return;
    }
    if (!result->body.empty()) std::memcpy(data, result->body.data(), result->body.size());
    if (!web::Put(scope, state, kTransfer, v8::Undefined(isolate)) ||
        !PutInt(scope, state, kStatus, result->status) ||
        !web::Put(scope, state, kStatusText, status_text) ||
        !web::Put(scope, state, kResponseUrl, url) ||
        !web::Put(scope, state, kResponseHeaders, headers) ||
        !PutInt(scope, state, kReadyState, kHeadersReceived) ||
        !FireAll(scope, object, state, generation, {"readystatechange"}) ||
        !web::Put(scope, state, kBody, body) || !PutInt(scope, state, kReadyState, kLoading) ||
        !FireAll(scope, object, state, generation, {"readystatechange", "progress"})) {
      return;
    }
    if (web::At(scope, state, kGeneration)->NumberValue(scope.context()).FromMaybe(-1) !=
        generation) {
      return;
    }
    if (!PutInt(scope, state, kReadyState, kDone) ||
        !web::Put(scope, state, kSent, v8::False(isolate))) {
      return;
    }
    (void)FireAll(scope, object, state, generation, {"readystatechange", "load", "loadend"});
  }
};

// A request refused before it started (a host not on the list) fails like a
// network error, asynchronously; data: [xhr, generation].
void FailLater(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Array> data = info.Data().As<v8::Array>();
  v8::Local<v8::Value> xhr = web::At(scope, data, 0);
  v8::Local<v8::Array> state;
  if (!web::GetState(scope, xhr, kXhrKey, &state, web::OnMismatch::kQuiet)) return;
  if (!web::At(scope, state, kGeneration)->StrictEquals(web::At(scope, data, 1))) return;
  (void)RequestError(scope, xhr.As<v8::Object>(), state, "error");
}

#define JSCORE_XHR_PROLOGUE                             \
  v8::Isolate* isolate = info.GetIsolate();             \
  JsScope scope(isolate, isolate->GetCurrentContext()); \
  v8::Local<v8::Array> state;                           \
  if (!web::GetState(scope, info.This(), kXhrKey, &state)) return

void Construct(const v8::FunctionCallbackInfo<v8::Value>& info) {
  if (!web::RequireNew(info, "XMLHttpRequest")) return;
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Array> state;
  v8::Local<v8::Object> headers;
  if (!events::InitEventTarget(scope, info.This()) ||
      !web::NewState(scope, info.This(), kXhrKey, kXhrSlots, &state) ||
      !NewHeaders(scope, {}).ToLocal(&headers) || !PutInt(scope, state, kReadyState, kUnsent) ||
      !web::Put(scope, state, kRequestHeaders, headers) ||
      !web::Put(scope, state, kSent, v8::False(isolate)) || !PutInt(scope, state, kGeneration, 0) ||
      !PutInt(scope, state, kStatus, 0) || !web::Put(scope, state, kStatusText, scope.Str("")) ||
      !web::Put(scope, state, kResponseUrl, scope.Str("")) ||
      !web::Put(scope, state, kResponseType, scope.Str("")) || !PutInt(scope, state, kTimeout, 0) ||
      !web::Put(scope, state, kWithCredentials, v8::False(isolate))) {
    return;
  }
}

// Stops the transfer in flight, if any, and starts a new generation.
void Detach(JsScope& scope, v8::Local<v8::Array> state) {
  v8::Local<v8::Value> id = web::At(scope, state, kTransfer);
  ContextHost* host = ContextHost::From(scope.context());
  if (id->IsNumber() && host != nullptr) {
    host->AbortHttp(static_cast<uint64_t>(id.As<v8::Number>()->Value()));
  }
  (void)web::Put(scope, state, kTransfer, v8::Undefined(scope.isolate()));
  (void)PutInt(scope, state, kGeneration, IntAt(scope, state, kGeneration) + 1);
}

void Open(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_XHR_PROLOGUE;
  if (info.Length() < 2) {
    return web::ThrowTypeError(
        scope, "Failed to execute 'open' on 'XMLHttpRequest': 2 arguments required");
  }
  std::string method;
  if (!NormalizeMethod(scope, info[0], &method)) return;
  v8::Local<v8::String> url_string;
  if (!web::ToUsvString(scope, info[1], &url_string)) return;
  std::optional<whatwg_url::Url> url = whatwg_url::Parse(scope.Utf8(url_string));
  if (!url) {
    return web::ThrowDomException(
        scope, "Failed to execute 'open' on 'XMLHttpRequest': Invalid URL", "SyntaxError");
  }
  if (info.Length() > 2 && !info[2]->BooleanValue(isolate)) {
    return web::ThrowDomException(
        scope,
        "jscore does not support synchronous XMLHttpRequest (open(method, url, false)): "
        "use an asynchronous request or fetch",
        "InvalidAccessError");
  }
  v8::Local<v8::Object> headers;
  v8::Local<v8::String> method_string, href;
  if (!NewHeaders(scope, {}).ToLocal(&headers) ||
      !web::NewStringUtf8(scope, method).ToLocal(&method_string) ||
      !web::NewStringUtf8(scope, url->Href(/*exclude_fragment=*/true)).ToLocal(&href)) {
    return;
  }
  Detach(scope, state);
  if (!web::Put(scope, state, kMethod, method_string) || !web::Put(scope, state, kUrl, href) ||
      !web::Put(scope, state, kRequestHeaders, headers) ||
      !web::Put(scope, state, kSent, v8::False(isolate)) || !PutInt(scope, state, kStatus, 0) ||
      !web::Put(scope, state, kStatusText, scope.Str("")) ||
      !web::Put(scope, state, kResponseUrl, scope.Str("")) ||
      !web::Put(scope, state, kResponseHeaders, v8::Undefined(isolate)) ||
      !web::Put(scope, state, kBody, v8::Undefined(isolate)) ||
      !web::Put(scope, state, kResponseObject, v8::Undefined(isolate))) {
    return;
  }
  if (IntAt(scope, state, kReadyState) != kOpened) {
    if (!PutInt(scope, state, kReadyState, kOpened)) return;
    (void)Fire(scope, info.This(), "readystatechange");
  }
}

void SetRequestHeader(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_XHR_PROLOGUE;
  if (IntAt(scope, state, kReadyState) != kOpened || web::At(scope, state, kSent)->IsTrue()) {
    return web::ThrowDomException(scope,
                                  "Failed to execute 'setRequestHeader' on 'XMLHttpRequest': The "
                                  "object's state must be OPENED.",
                                  "InvalidStateError");
  }
  v8::Local<v8::Value> pair[] = {web::Arg(info, 0), web::Arg(info, 1)};
  v8::Local<v8::Value> one[] = {v8::Array::New(isolate, pair, 2)};
  HeaderList added, list;
  if (!AppendHeadersInit(scope, v8::Array::New(isolate, one, 1), &added)) return;
  (void)ListOf(scope, web::At(scope, state, kRequestHeaders), &list);
  bool combined = false;
  for (auto& [name, value] : list) {
    if (name == added[0].first) {
      absl::StrAppend(&value, ", ", added[0].second);
      combined = true;
      break;
    }
  }
  if (!combined) list.push_back(added[0]);
  v8::Local<v8::Object> headers;
  if (NewHeaders(scope, list).ToLocal(&headers))
    (void)web::Put(scope, state, kRequestHeaders, headers);
}

void Send(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_XHR_PROLOGUE;
  if (IntAt(scope, state, kReadyState) != kOpened || web::At(scope, state, kSent)->IsTrue()) {
    return web::ThrowDomException(
        scope,
        "Failed to execute 'send' on 'XMLHttpRequest': The object's state "
        "must be OPENED.",
        "InvalidStateError");
  }
  ContextHost* host = ContextHost::From(scope.context());
  if (host == nullptr) {
    return web::ThrowDomException(scope, "XMLHttpRequest is not available in this context",
                                  "InvalidStateError");
  }
  internal::HttpRequest request;
  request.method = scope.ToUtf8(web::At(scope, state, kMethod));
  request.url = scope.ToUtf8(web::At(scope, state, kUrl));
  (void)ListOf(scope, web::At(scope, state, kRequestHeaders), &request.headers);
  if (request.method != "GET" && request.method != "HEAD") {
    std::string content_type, existing;
    if (!ExtractBody(scope, web::Arg(info, 0), &request.body, &content_type, &request.has_body))
      return;
    if (!content_type.empty() && !Combined(request.headers, "content-type", &existing)) {
      request.headers.emplace_back("content-type", content_type);
    }
  }
  int timeout = IntAt(scope, state, kTimeout);
  if (timeout > 0) request.timeout = absl::Milliseconds(timeout);
  double generation = web::At(scope, state, kGeneration)->NumberValue(scope.context()).FromMaybe(0);
  if (!web::Put(scope, state, kSent, v8::True(isolate)) ||
      !FireAll(scope, info.This(), state, generation, {"loadstart"})) {
    return;
  }
  if (web::At(scope, state, kGeneration)->NumberValue(scope.context()).FromMaybe(-1) !=
      generation) {
    return;  // a loadstart listener called open() or abort()
  }
  absl::StatusOr<uint64_t> id =
      host->StartHttp(std::move(request), XhrDone{v8::Global<v8::Object>(isolate, info.This())});
  if (id.ok()) {
    (void)PutInt(scope, state, kTransfer, static_cast<double>(*id));
    return;
  }
  // Refused before anything was contacted: a network error, delivered asynchronously.
  host->AddConsoleLine(ConsoleLine::Level::kError,
                       absl::StrCat("XMLHttpRequest: ", id.status().message()));
  v8::Local<v8::Array> data;
  v8::Local<v8::Function> fail;
  if (!web::NewSlots(scope, 2).ToLocal(&data) || !web::Put(scope, data, 0, info.This()) ||
      !web::Put(scope, data, 1, web::At(scope, state, kGeneration)) ||
      !web::NewFunction(scope, "", FailLater, 0, data).ToLocal(&fail)) {
    return;
  }
  scope.context()->GetMicrotaskQueue()->EnqueueMicrotask(isolate, fail);
}

void Abort(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_XHR_PROLOGUE;
  int ready = IntAt(scope, state, kReadyState);
  bool sent = web::At(scope, state, kSent)->IsTrue();
  Detach(scope, state);
  if ((ready == kOpened && sent) || ready == kHeadersReceived || ready == kLoading) {
    if (!RequestError(scope, info.This(), state, "abort")) return;
  }
  if (IntAt(scope, state, kReadyState) == kDone) (void)PutInt(scope, state, kReadyState, kUnsent);
}

void GetResponseHeader(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_XHR_PROLOGUE;
  HeaderList list;
  std::string value;
  if (!ListOf(scope, web::At(scope, state, kResponseHeaders), &list) ||
      !Combined(list, absl::AsciiStrToLower(scope.ToUtf8(web::Arg(info, 0))), &value)) {
    return info.GetReturnValue().SetNull();
  }
  v8::Local<v8::String> s;
  if (web::NewStringUtf8(scope, value).ToLocal(&s)) info.GetReturnValue().Set(s);
}

void GetAllResponseHeaders(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_XHR_PROLOGUE;
  HeaderList list;
  std::string text;
  if (ListOf(scope, web::At(scope, state, kResponseHeaders), &list)) {
    for (const auto& [name, value] : SortAndCombine(list))
      absl::StrAppend(&text, name, ": ", value, "\r\n");
  }
  v8::Local<v8::String> s;
  if (web::NewStringUtf8(scope, text).ToLocal(&s)) info.GetReturnValue().Set(s);
}

void OverrideMimeType(const v8::FunctionCallbackInfo<v8::Value>&) {}

void ReadyStateGetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_XHR_PROLOGUE;
  info.GetReturnValue().Set(web::At(scope, state, kReadyState));
}
void StatusGetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_XHR_PROLOGUE;
  info.GetReturnValue().Set(web::At(scope, state, kStatus));
}
void StatusTextGetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_XHR_PROLOGUE;
  info.GetReturnValue().Set(web::At(scope, state, kStatusText));
}
void ResponseUrlGetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_XHR_PROLOGUE;
  info.GetReturnValue().Set(web::At(scope, state, kResponseUrl));
}

void ResponseTextGetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_XHR_PROLOGUE;
  std::string type = scope.ToUtf8(web::At(scope, state, kResponseType));
  if (!type.empty() && type != "text") {
    return web::ThrowDomException(
        scope,
        "Failed to read the 'responseText' property from 'XMLHttpRequest': "
        "The value is only accessible if the object's 'responseType' is '' "
        "or 'text'.",
        "InvalidStateError");
  }
  v8::Local<v8::String> text;
  if (BodyText(scope, BytesOf(web::At(scope, state, kBody))).ToLocal(&text)) {
    info.GetReturnValue().Set(text);
  }
}

void ResponseGetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_XHR_PROLOGUE;
  std::string type = scope.ToUtf8(web::At(scope, state, kResponseType));
  std::string_view bytes = BytesOf(web::At(scope, state, kBody));
  if (type.empty() || type == "text") {
    v8::Local<v8::String> text;
    if (BodyText(scope, bytes).ToLocal(&text)) info.GetReturnValue().Set(text);
    return;
  }
  if (IntAt(scope, state, kReadyState) != kDone) return info.GetReturnValue().SetNull();
  v8::Local<v8::Value> cached = web::At(scope, state, kResponseObject);
  if (!cached->IsUndefined()) return info.GetReturnValue().Set(cached);
  v8::Local<v8::Value> made = v8::Null(isolate);
  if (type == "json") {
    v8::TryCatch try_catch(isolate);
    v8::Local<v8::String> text;
    v8::Local<v8::Value> parsed;
    if (BodyText(scope, bytes).ToLocal(&text) &&
        v8::JSON::Parse(scope.context(), text).ToLocal(&parsed)) {
      made = parsed;
    } else if (try_catch.HasTerminated()) {
      try_catch.ReThrow();
      return;
    }
  } else if (type == "arraybuffer") {
    uint8_t* data = nullptr;
    v8::Local<v8::Uint8Array> copy;
    if (!web::NewUint8Array(scope, bytes.size(), &data).ToLocal(&copy)) return;
    if (!bytes.empty()) std::memcpy(data, bytes.data(), bytes.size());
    made = copy->Buffer();
  } else {
    return web::ThrowDomException(
        scope, absl::StrCat("jscore's XMLHttpRequest has no responseType '", type, "'"),
        "NotSupportedError");
  }
  (void)web::Put(scope, state, kResponseObject, made);
  info.GetReturnValue().Set(made);
}

void ResponseTypeGetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_XHR_PROLOGUE;
  info.GetReturnValue().Set(web::At(scope, state, kResponseType));
}
void ResponseTypeSetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_XHR_PROLOGUE;
  std::string type = scope.ToUtf8(web::Arg(info, 0));
  if (type == "" || type == "text" || type == "json" || type == "arraybuffer") {
    (void)web::Put(scope, state, kResponseType, scope.Str(type));
  }
}
void TimeoutGetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_XHR_PROLOGUE;
  info.GetReturnValue().Set(web::At(scope, state, kTimeout));
}
void TimeoutSetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_XHR_PROLOGUE;
  double ms = web::Arg(info, 0)->NumberValue(scope.context()).FromMaybe(0);
  if (!(ms >= 0) || ms > 2147483647.0) ms = 0;
  (void)PutInt(scope, state, kTimeout, static_cast<int>(ms));
}
void WithCredentialsGetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_XHR_PROLOGUE;
  info.GetReturnValue().Set(web::At(scope, state, kWithCredentials));
}
void WithCredentialsSetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_XHR_PROLOGUE;
  (void)web::Put(scope, state, kWithCredentials,
                 v8::Boolean::New(isolate, web::Arg(info, 0)->BooleanValue(isolate)));
}

#define JSCORE_XHR_HANDLER(type)                                                   \
  void On_##type##_Get(const v8::FunctionCallbackInfo<v8::Value>& info) {          \
    JSCORE_XHR_PROLOGUE;                                                           \
    info.GetReturnValue().Set(events::GetEventHandler(scope, info.This(), #type)); \
  }                                                                                \
  void On_##type##_Set(const v8::FunctionCallbackInfo<v8::Value>& info) {          \
    JSCORE_XHR_PROLOGUE;                                                           \
    (void)events::SetEventHandler(scope, info.This(), #type, web::Arg(info, 0));   \
  }
JSCORE_XHR_HANDLER(readystatechange)
JSCORE_XHR_HANDLER(loadstart)
JSCORE_XHR_HANDLER(progress)
JSCORE_XHR_HANDLER(load)
JSCORE_XHR_HANDLER(error)
JSCORE_XHR_HANDLER(abort)
JSCORE_XHR_HANDLER(timeout)
JSCORE_XHR_HANDLER(loadend)
#undef JSCORE_XHR_HANDLER
#undef JSCORE_XHR_PROLOGUE

}  // namespace

v8::MaybeLocal<v8::Value> BuildXmlHttpRequest(JsScope& scope, v8::Local<v8::Array> realm) {
  static constexpr web::Method kMethods[] = {{"open", Open, 2},
                                             {"setRequestHeader", SetRequestHeader, 2},
                                             {"send", Send, 0},
                                             {"abort", Abort, 0},
                                             {"getResponseHeader", GetResponseHeader, 1},
                                             {"getAllResponseHeaders", GetAllResponseHeaders, 0},
                                             {"overrideMimeType", OverrideMimeType, 1}};
#define JSCORE_XHR_ACCESSOR(type) \
  { "on" #type, On_##type##_Get, On_##type##_Set }
  static constexpr web::Accessor kAccessors[] = {
      {"readyState", ReadyStateGetter, nullptr},
      {"status", StatusGetter, nullptr},
      {"statusText", StatusTextGetter, nullptr},
      {"responseURL", ResponseUrlGetter, nullptr},
      {"responseText", ResponseTextGetter, nullptr},
      {"response", ResponseGetter, nullptr},
      {"responseType", ResponseTypeGetter, ResponseTypeSetter},
      {"timeout", TimeoutGetter, TimeoutSetter},
      {"withCredentials", WithCredentialsGetter, WithCredentialsSetter},
      JSCORE_XHR_ACCESSOR(readystatechange),
      JSCORE_XHR_ACCESSOR(loadstart),
      JSCORE_XHR_ACCESSOR(progress),
      JSCORE_XHR_ACCESSOR(load),
      JSCORE_XHR_ACCESSOR(error),
      JSCORE_XHR_ACCESSOR(abort),
      JSCORE_XHR_ACCESSOR(timeout),
      JSCORE_XHR_ACCESSOR(loadend)};
#undef JSCORE_XHR_ACCESSOR
  static constexpr web::Constant kConstants[] = {{"UNSENT", kUnsent},
                                                 {"OPENED", kOpened},
                                                 {"HEADERS_RECEIVED", kHeadersReceived},
                                                 {"LOADING", kLoading},
                                                 {"DONE", kDone}};
  web::ClassSpec spec;
  spec.name = "XMLHttpRequest";
  spec.constructor = Construct;
  spec.methods = kMethods;
  spec.accessors = kAccessors;
  spec.constants = kConstants;
  v8::Local<v8::Function> parent, ctor;
  if (!events::EventTargetClass(scope).ToLocal(&parent) ||
      !web::BuildClass(scope, spec, realm, parent).ToLocal(&ctor)) {
    return {};
  }
  return ctor;
}

}  // namespace jscore::engine::extensions::fetch::detail
