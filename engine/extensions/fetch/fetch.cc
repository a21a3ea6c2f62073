// fetch() and Response (Fetch standard), over the job's HTTP transfers
// (ContextHost::StartHttp). Bodies are read whole, up to the daemon's cap; there are
// no streams.
#include "engine/extensions/fetch/fetch.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "engine/extensions/events/abort.h"
#include "engine/extensions/fetch/fetch_internal.h"
#include "engine/extensions/url/url_search_params.h"
#include "engine/extensions/web/web_support.h"
#include "engine/internal/context_host.h"

namespace jscore::engine::extensions::fetch {
namespace {

using detail::HeaderList;
using internal::ContextHost;
using internal::JsScope;

constexpr char kResponseKey[] = "jscore.Response";
enum ResponseSlot {
  kStatus,
  kStatusText,
  kUrl,
  kHeaders,
  kBody,
  kBodyUsed,
  kRedirected,
  kType,
  kResponseSlots
};

v8::MaybeLocal<v8::Value> BuildResponse(JsScope& scope, v8::Local<v8::Array> realm);

// Settling a promise fails only while execution is terminating: nothing to do then.
void Discard(v8::Maybe<bool>) {}

v8::MaybeLocal<v8::Uint8Array> NewBytes(JsScope& scope, std::string_view bytes) {
  uint8_t* data = nullptr;
  v8::Local<v8::Uint8Array> array;
  if (!web::NewUint8Array(scope, bytes.size(), &data).ToLocal(&array)) return {};
  if (!bytes.empty()) std::memcpy(data, bytes.data(), bytes.size());
  return array;
}

struct ResponseInit {
  int status = 200;
  std::string status_text;
  std::string url;
  bool redirected = false;
  const char* type = "default";
};

v8::MaybeLocal<v8::Object> NewResponse(JsScope& scope, const ResponseInit& init,
                                       const HeaderList& headers, std::string_view body,
                                       bool null_body = false) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Value> ctor;
  v8::Local<v8::Object> response, headers_object;
  v8::Local<v8::Array> state;
  v8::Local<v8::String> status_text, url;
  v8::Local<v8::Value> bytes = v8::Null(isolate);
  v8::Local<v8::Uint8Array> array;
  if (!null_body) {
    if (!NewBytes(scope, body).ToLocal(&array)) return {};
    bytes = array;
  }
  if (!web::GetOrBuild(scope, web::Slot::kResponse, BuildResponse).ToLocal(&ctor) ||
      !web::NewInstanceOf(scope, ctor).ToLocal(&response) ||
      !detail::NewHeaders(scope, headers).ToLocal(&headers_object) ||
      !web::NewStringUtf8(scope, init.status_text).ToLocal(&status_text) ||
      !web::NewStringUtf8(scope, init.url).ToLocal(&url) ||
      !web::NewState(scope, response, kResponseKey, kResponseSlots, &state) ||
      !web::Put(scope, state, kStatus, v8::Integer::New(isolate, init.status)) ||
      !web::Put(scope, state, kStatusText, status_text) || !web::Put(scope, state, kUrl, url) ||
      !web::Put(scope, state, kHeaders, headers_object) || !web::Put(scope, state, kBody, bytes) ||
      !web::Put(scope, state, kBodyUsed, v8::False(isolate)) ||
      !web::Put(scope, state, kRedirected, v8::Boolean::New(isolate, init.redirected)) ||
      !web::Put(scope, state, kType, scope.Str(init.type))) {
    return {};
  }
  return response;
}

// Resolves `resolver` with `value`, or rejects it with what the TryCatch caught.
void SettleWith(JsScope& scope, v8::TryCatch& try_catch, v8::Local<v8::Promise::Resolver> resolver,
                v8::MaybeLocal<v8::Value> value) {
  v8::Local<v8::Value> v;
  if (value.ToLocal(&v)) {
    Discard(resolver->Resolve(scope.context(), v));
    return;
  }
  if (try_catch.HasTerminated() || !try_catch.HasCaught()) {
    try_catch.ReThrow();
    return;
  }
  v8::Local<v8::Value> error = try_catch.Exception();
  try_catch.Reset();
  Discard(resolver->Reject(scope.context(), error));
}

// ---- Response ----

#define JSCORE_RESPONSE_PROLOGUE                        \
  v8::Isolate* isolate = info.GetIsolate();             \
  JsScope scope(isolate, isolate->GetCurrentContext()); \
  v8::Local<v8::Array> state;                           \
  if (!web::GetState(scope, info.This(), kResponseKey, &state)) return

void StatusGetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_RESPONSE_PROLOGUE;
  info.GetReturnValue().Set(web::At(scope, state, kStatus));
}
void StatusTextGetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_RESPONSE_PROLOGUE;
  info.GetReturnValue().Set(web::At(scope, state, kStatusText));
}
void OkGetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_RESPONSE_PROLOGUE;
  int32_t status = web::At(scope, state, kStatus)->Int32Value(scope.context()).FromMaybe(0);
  info.GetReturnValue().Set(status >= 200 && status <= 299);
}
void UrlGetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_RESPONSE_PROLOGUE;
  info.GetReturnValue().Set(web::At(scope, state, kUrl));
}
void HeadersGetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_RESPONSE_PROLOGUE;
  info.GetReturnValue().Set(web::At(scope, state, kHeaders));
}
void BodyUsedGetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_RESPONSE_PROLOGUE;
  info.GetReturnValue().Set(web::At(scope, state, kBodyUsed));
}
void RedirectedGetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_RESPONSE_PROLOGUE;
  info.GetReturnValue().Set(web::At(scope, state, kRedirected));
}
void TypeGetter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_RESPONSE_PROLOGUE;
  info.GetReturnValue().Set(web::At(scope, state, kType));
}

enum class Consume { kText, kJson, kArrayBuffer };

// text(), json(), arrayBuffer(): the whole body is already here; the promise
// settles at once.
void ConsumeBody(const v8::FunctionCallbackInfo<v8::Value>& info, Consume how) {
  JSCORE_RESPONSE_PROLOGUE;
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Promise::Resolver> resolver;
  if (!v8::Promise::Resolver::New(context).ToLocal(&resolver)) return;
  info.GetReturnValue().Set(resolver->GetPromise());
  v8::TryCatch try_catch(isolate);
  v8::MaybeLocal<v8::Value> result;
  if (web::At(scope, state, kBodyUsed)->IsTrue()) {
    web::ThrowTypeError(scope, "Body is unusable: Body has already been read");
  } else {
    (void)web::Put(scope, state, kBodyUsed, v8::True(isolate));
    std::string_view bytes = detail::BytesOf(web::At(scope, state, kBody));
    v8::Local<v8::String> text;
    switch (how) {
      case Consume::kText:
        if (detail::BodyText(scope, bytes).ToLocal(&text)) result = text;
        break;
      case Consume::kJson:
        if (detail::BodyText(scope, bytes).ToLocal(&text)) {
          result = v8::JSON::Parse(context, text);
        }
        break;
      case Consume::kArrayBuffer: {
        v8::Local<v8::Uint8Array> copy;
        if (NewBytes(scope, bytes).ToLocal(&copy)) result = copy->Buffer();
        break;
      }
    }
  }
  SettleWith(scope, try_catch, resolver, result);
}

void Text(const v8::FunctionCallbackInfo<v8::Value>& info) { ConsumeBody(info, Consume::kText); }
void Json(const v8::FunctionCallbackInfo<v8::Value>& info) { ConsumeBody(info, Consume::kJson); }
void ArrayBuffer(const v8::FunctionCallbackInfo<v8::Value>& info) {
  ConsumeBody(info, Consume::kArrayBuffer);
}

void Clone(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_RESPONSE_PROLOGUE;
  if (web::At(scope, state, kBodyUsed)->IsTrue()) {
    return web::ThrowTypeError(scope, "Response.clone: Body has already been consumed");
  }
  ResponseInit init;
  init.status = web::At(scope, state, kStatus)->Int32Value(scope.context()).FromMaybe(0);
  init.status_text = scope.ToUtf8(web::At(scope, state, kStatusText));
  init.url = scope.ToUtf8(web::At(scope, state, kUrl));
  init.redirected = web::At(scope, state, kRedirected)->IsTrue();
  std::string type = scope.ToUtf8(web::At(scope, state, kType));
  init.type = type == "basic" ? "basic" : "default";
  HeaderList headers;
  (void)detail::ListOf(scope, web::At(scope, state, kHeaders), &headers);
  v8::Local<v8::Value> body = web::At(scope, state, kBody);
  v8::Local<v8::Object> clone;
  if (NewResponse(scope, init, headers, detail::BytesOf(body), body->IsNull()).ToLocal(&clone)) {
    info.GetReturnValue().Set(clone);
  }
}

#undef JSCORE_RESPONSE_PROLOGUE

// new Response(body, {status, statusText, headers}) and Response.json(data, init).
bool ResponseFromInit(JsScope& scope, v8::Local<v8::Value> body_value, v8::Local<v8::Value> options,
                      std::string body, std::string content_type, bool has_body,
                      v8::Local<v8::Object>* out) {
  (void)body_value;
  ResponseInit init;
  v8::Local<v8::Value> status, status_text, headers_init;
  if (!web::GetOption(scope, options, "status", &status) ||
      !web::GetOption(scope, options, "statusText", &status_text) ||
      !web::GetOption(scope, options, "headers", &headers_init)) {
    return false;
  }
  if (!status->IsUndefined()) {
    double n = status->NumberValue(scope.context()).FromMaybe(-1);
    if (!(n >= 200 && n <= 599) || n != static_cast<int>(n)) {
      web::ThrowRangeError(scope, "Response: status must be an integer in the range 200 to 599");
      return false;
    }
    init.status = static_cast<int>(n);
  }
  if (!status_text->IsUndefined()) init.status_text = scope.ToUtf8(status_text);
  HeaderList headers;
  if (!detail::AppendHeadersInit(scope, headers_init, &headers)) return false;
  std::string existing;
  if (!content_type.empty() && !detail::Combined(headers, "content-type", &existing)) {
    headers.emplace_back("content-type", content_type);
  }
  return NewResponse(scope, init, headers, body, !has_body).ToLocal(out);
}

void ResponseConstruct(const v8::FunctionCallbackInfo<v8::Value>& info) {
  if (!web::RequireNew(info, "Response")) return;
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  std::string body, content_type;
  bool has_body = false;
  v8::Local<v8::Object> made;
  if (!detail::ExtractBody(scope, web::Arg(info, 0), &body, &content_type, &has_body) ||
      !ResponseFromInit(scope, web::Arg(info, 0), web::Arg(info, 1), std::move(body),
                        std::move(content_type), has_body, &made)) {
    return;
  }
  // The constructor's own `this` is replaced by the made object (same prototype
  // unless subclassed, which then keeps the subclass prototype).
  v8::Local<v8::Value> proto = info.This()->GetPrototype();
  if (proto->IsObject()) (void)made->SetPrototype(scope.context(), proto);
  info.GetReturnValue().Set(made);
}

void ResponseJson(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::String> json;
  if (!v8::JSON::Stringify(scope.context(), web::Arg(info, 0)).ToLocal(&json)) return;
  v8::Local<v8::Object> made;
  if (ResponseFromInit(scope, web::Arg(info, 0), web::Arg(info, 1), scope.Utf8(json),
                       "application/json", true, &made)) {
    info.GetReturnValue().Set(made);
  }
}

v8::MaybeLocal<v8::Value> BuildResponse(JsScope& scope, v8::Local<v8::Array> realm) {
  static constexpr web::Method kMethods[] = {
      {"text", Text, 0}, {"json", Json, 0}, {"arrayBuffer", ArrayBuffer, 0}, {"clone", Clone, 0}};
  static constexpr web::Method kStatics[] = {{"json", ResponseJson, 1}};
  static constexpr web::Accessor kAccessors[] = {{"type", TypeGetter, nullptr},
                                                 {"url", UrlGetter, nullptr},
                                                 {"redirected", RedirectedGetter, nullptr},
                                                 {"status", StatusGetter, nullptr},
                                                 {"ok", OkGetter, nullptr},
                                                 {"statusText", StatusTextGetter, nullptr},
                                                 {"headers", HeadersGetter, nullptr},
                                                 {"bodyUsed", BodyUsedGetter, nullptr}};
  web::ClassSpec spec;
  spec.name = "Response";
  spec.constructor = ResponseConstruct;
  spec.methods = kMethods;
  spec.statics = kStatics;
  spec.accessors = kAccessors;
  v8::Local<v8::Function> ctor;
  if (!web::BuildClass(scope, spec, realm).ToLocal(&ctor)) return {};
  return ctor;
}

// ---- fetch ----

// What fetch hands the transfer: the promise to settle.
struct FetchDone {
  v8::Global<v8::Promise::Resolver> resolver;

  void operator()(JsScope& scope, internal::HttpResult result) {
    v8::Isolate* isolate = scope.isolate();
    v8::Local<v8::Promise::Resolver> r = resolver.Get(isolate);
    if (!result.ok()) {
      Discard(r->Reject(scope.context(), detail::NetworkError(scope, result.status())));
      return;
    }
    ResponseInit init;
    init.status = result->status;
    init.status_text = result->status_text;
    init.url = result->url;
    init.redirected = result->redirected;
    init.type = "basic";
    v8::TryCatch try_catch(isolate);
    v8::Local<v8::Object> response;
    v8::MaybeLocal<v8::Value> made;
    if (NewResponse(scope, init, result->headers, result->body).ToLocal(&response)) made = response;
    SettleWith(scope, try_catch, r, made);
  }
};

// The abort algorithm of a fetch's signal; data: [resolver, transfer id, signal].
void AbortFetch(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Array> data = info.Data().As<v8::Array>();
  v8::Local<v8::Value> resolver = web::At(scope, data, 0);
  v8::Local<v8::Value> id = web::At(scope, data, 1);
  v8::Local<v8::Value> signal = web::At(scope, data, 2);
  ContextHost* host = ContextHost::From(scope.context());
  if (host != nullptr && id->IsNumber()) {
    host->AbortHttp(static_cast<uint64_t>(id.As<v8::Number>()->Value()));
  }
  if (resolver->IsPromise() && signal->IsObject()) {
    Discard(resolver.As<v8::Promise::Resolver>()->Reject(
        scope.context(), events::abort::Reason(scope, signal.As<v8::Object>())));
  }
}

// Reads fetch's arguments into `request` (and the signal). False with an exception
// pending.
bool ReadRequest(JsScope& scope, v8::Local<v8::Value> input, v8::Local<v8::Value> init,
                 internal::HttpRequest* request, v8::Local<v8::Value>* signal) {
  v8::Local<v8::Context> context = scope.context();
  *signal = v8::Undefined(scope.isolate());
  v8::Local<v8::Value> method = v8::Undefined(scope.isolate());
  v8::Local<v8::Value> headers = method, body = method, redirect = method;
  // A Request-like object ({url, method, headers, body}); a URL object stringifies.
  v8::Local<v8::Value> url_value = input;
  if (input->IsObject()) {
    v8::Local<v8::Value> url_property;
    if (!input.As<v8::Object>()->Get(context, scope.Str("url")).ToLocal(&url_property))
      return false;
    if (url_property->IsString()) {
      url_value = url_property;
      if (!web::GetOption(scope, input, "method", &method) ||
          !web::GetOption(scope, input, "headers", &headers) ||
          !web::GetOption(scope, input, "body", &body) ||
          !web::GetOption(scope, input, "redirect", &redirect) ||
          !web::GetOption(scope, input, "signal", signal)) {
        return false;
      }
    }
  }
  v8::Local<v8::String> url;
  if (!web::ToUsvString(scope, url_value, &url)) return false;
  request->url = scope.Utf8(url);
  if (init->IsObject()) {
    v8::Local<v8::Value> v;
    auto take = [&](const char* name, v8::Local<v8::Value>* slot) {
      if (!web::GetOption(scope, init, name, &v)) return false;
      if (!v->IsUndefined()) *slot = v;
      return true;
    };
    if (!take("method", &method) || !take("headers", &headers) || !take("body", &body) ||
        !take("redirect", &redirect) || !take("signal", signal)) {
      return false;
    }
  }
  if (!method->IsUndefined() && !detail::NormalizeMethod(scope, method, &request->method)) {
    return false;
  }
  if (!detail::AppendHeadersInit(scope, headers, &request->headers)) return false;
  std::string content_type;
  if (!detail::ExtractBody(scope, body, &request->body, &content_type, &request->has_body)) {
    return false;
  }
  if (request->has_body && (request->method == "GET" || request->method == "HEAD")) {
    web::ThrowTypeError(scope, "Request with GET/HEAD method cannot have body.");
    return false;
  }
  std::string existing;
  if (!content_type.empty() && !detail::Combined(request->headers, "content-type", &existing)) {
    request->headers.emplace_back("content-type", content_type);
  }
  if (!redirect->IsUndefined()) {
    std::string mode = scope.ToUtf8(redirect);
    if (mode == "follow") {
      request->redirect = internal::HttpRequest::Redirect::kFollow;
    } else if (mode == "error") {
      request->redirect = internal::HttpRequest::Redirect::kError;
    } else if (mode == "manual") {
      request->redirect = internal::HttpRequest::Redirect::kManual;
    } else {
      web::ThrowTypeError(
          scope, absl::StrCat("fetch: redirect must be follow, error or manual, not '", mode, "'"));
      return false;
    }
  }
  if (!(*signal)->IsUndefined() && !(*signal)->IsNull() &&
      !events::abort::IsAbortSignal(scope, *signal)) {
    web::ThrowTypeError(scope, "fetch: signal is not an AbortSignal");
    return false;
  }
  return true;
}

void Fetch(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Promise::Resolver> resolver;
  if (!v8::Promise::Resolver::New(context).ToLocal(&resolver)) return;
  info.GetReturnValue().Set(resolver->GetPromise());
  v8::TryCatch try_catch(isolate);
  internal::HttpRequest request;
  v8::Local<v8::Value> signal;
  if (!ReadRequest(scope, web::Arg(info, 0), web::Arg(info, 1), &request, &signal)) {
    return SettleWith(scope, try_catch, resolver, {});
  }
  bool has_signal = signal->IsObject();
  if (has_signal && events::abort::IsAborted(scope, signal.As<v8::Object>())) {
    Discard(resolver->Reject(context, events::abort::Reason(scope, signal.As<v8::Object>())));
    return;
  }
  ContextHost* host = ContextHost::From(context);
  if (host == nullptr) {
    Discard(resolver->Reject(
        context, v8::Exception::TypeError(scope.Str("fetch is not available in this context"))));
    return;
  }
  absl::StatusOr<uint64_t> id = host->StartHttp(
      std::move(request), FetchDone{v8::Global<v8::Promise::Resolver>(isolate, resolver)});
  if (!id.ok()) {
    Discard(resolver->Reject(context, detail::NetworkError(scope, id.status())));
    return;
  }
  if (has_signal) {
    v8::Local<v8::Array> data;
    v8::Local<v8::Function> algorithm;
    if (!web::NewSlots(scope, 3).ToLocal(&data) || !web::Put(scope, data, 0, resolver) ||
        !web::Put(scope, data, 1, v8::Number::New(isolate, static_cast<double>(*id))) ||
        !web::Put(scope, data, 2, signal) ||
        !web::NewFunction(scope, "", AbortFetch, 0, data).ToLocal(&algorithm) ||
        !events::abort::AddAlgorithm(scope, signal.As<v8::Object>(), algorithm)) {
      host->AbortHttp(*id);
      return SettleWith(scope, try_catch, resolver, {});
    }
  }
}

v8::MaybeLocal<v8::Value> BuildFetch(JsScope& scope, v8::Local<v8::Array> realm) {
  v8::Local<v8::Function> fn;
  if (!web::NewFunction(scope, "fetch", Fetch, 1, realm).ToLocal(&fn)) return {};
  return fn;
}

}  // namespace

namespace detail {

bool ExtractBody(JsScope& scope, v8::Local<v8::Value> body, std::string* bytes,
                 std::string* content_type, bool* has_body) {
  bytes->clear();
  content_type->clear();
  *has_body = false;
  if (body->IsUndefined() || body->IsNull()) return true;
  *has_body = true;
  if (body->IsArrayBuffer()) {
    auto store = body.As<v8::ArrayBuffer>()->GetBackingStore();
    bytes->assign(static_cast<const char*>(store->Data()), store->ByteLength());
    return true;
  }
  if (body->IsArrayBufferView()) {
    auto view = body.As<v8::ArrayBufferView>();
    bytes->resize(view->ByteLength());
    view->CopyContents(bytes->data(), bytes->size());
    return true;
  }
  if (url::detail::IsUrlSearchParams(scope, body)) {
    *content_type = "application/x-www-form-urlencoded;charset=UTF-8";
  } else {
    *content_type = "text/plain;charset=UTF-8";
  }
  v8::Local<v8::String> text;
  if (!web::ToUsvString(scope, body, &text)) return false;
  *bytes = scope.Utf8(text);
  return true;
}

bool NormalizeMethod(JsScope& scope, v8::Local<v8::Value> value, std::string* method) {
  std::string m = scope.ToUtf8(value);
  if (m.empty() || !std::all_of(m.begin(), m.end(), [](char c) {
        return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
               std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
      })) {
    web::ThrowTypeError(scope, absl::StrCat("'", m, "' is not a valid HTTP method"));
    return false;
  }
  std::string upper = absl::AsciiStrToUpper(m);
  if (upper == "CONNECT" || upper == "TRACE" || upper == "TRACK") {
    web::ThrowTypeError(scope, absl::StrCat("'", m, "' HTTP method is unsupported"));
    return false;
  }
  for (const char* normal : {"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH"}) {
    if (upper == normal) m = upper;
  }
  *method = std::move(m);
  return true;
}

v8::MaybeLocal<v8::String> BodyText(JsScope& scope, std::string_view bytes) {
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  return web::NewStringUtf8(scope, bytes);
}

std::string_view BytesOf(v8::Local<v8::Value> view) {
  if (!view->IsUint8Array()) return {};
  v8::Local<v8::Uint8Array> array = view.As<v8::Uint8Array>();
  auto store = array->Buffer()->GetBackingStore();
  if (store->Data() == nullptr) return {};
  return std::string_view(static_cast<const char*>(store->Data()) + array->ByteOffset(),
                          array->ByteLength());
}

v8::Local<v8::Value> NetworkError(JsScope& scope, const absl::Status& status) {
  return v8::Exception::TypeError(scope.Str(std::string(status.message())));
}

}  // namespace detail

void InstallFetch(JsScope& scope) {
  (void)web::DefineLazyGlobal<web::Slot::kFetch, BuildFetch>(scope, "fetch");
  (void)web::DefineLazyGlobal<web::Slot::kHeaders, detail::BuildHeaders>(scope, "Headers");
  (void)web::DefineLazyGlobal<web::Slot::kResponse, BuildResponse>(scope, "Response");
  (void)web::DefineLazyGlobal<web::Slot::kXmlHttpRequest, detail::BuildXmlHttpRequest>(
      scope, "XMLHttpRequest");
}

}  // namespace jscore::engine::extensions::fetch
