#include "engine/extensions/url/url_search_params.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "engine/extensions/web/web_support.h"
#include "engine/internal/stop_flag.h"
#include "engine/whatwg_url/url_parser.h"

namespace jscore::engine::extensions::url::detail {
namespace {

using internal::JsScope;
using web::Slot;

// A URLSearchParams keeps its list as one flat array [name0, value0, name1, ...]
// of strings, and the URL object it belongs to (or undefined).
constexpr char kParamsKey[] = "jscore.URLSearchParams";
enum ParamsSlot { kList, kOwner, kParamsSlots };
constexpr char kIteratorKey[] = "jscore.URLSearchParamsIterator";
enum IteratorSlot { kIterParams, kIterKind, kIterIndex, kIteratorSlots };
enum IteratorKind { kKeys, kValues, kEntries };

v8::MaybeLocal<v8::Array> ListFromPairs(JsScope& scope, const whatwg_url::NameValueList& pairs) {
  v8::Local<v8::Array> list = v8::Array::New(scope.isolate(), static_cast<int>(pairs.size() * 2));
  uint32_t i = 0;
  for (const auto& [name, value] : pairs) {
    v8::Local<v8::String> n, v;
    if (!web::NewStringUtf8(scope, name).ToLocal(&n) ||
        !web::NewStringUtf8(scope, value).ToLocal(&v) ||
        !list->CreateDataProperty(scope.context(), i++, n).FromMaybe(false) ||
        !list->CreateDataProperty(scope.context(), i++, v).FromMaybe(false)) {
      return {};
    }
  }
  return list;
}

whatwg_url::NameValueList PairsFromList(JsScope& scope, v8::Local<v8::Array> list) {
  whatwg_url::NameValueList pairs;
  for (uint32_t i = 0; i + 1 < list->Length(); i += 2) {
    if ((i & 0x3FF) == 0 && internal::StopRequested(scope.isolate())) break;  // deadline
    pairs.emplace_back(scope.ToUtf8(web::At(scope, list, i)),
                       scope.ToUtf8(web::At(scope, list, i + 1)));
  }
  return pairs;
}

struct Params {
  v8::Local<v8::Array> state;
  v8::Local<v8::Array> list;
};

bool ThisParams(JsScope& scope, v8::Local<v8::Value> receiver, Params* p) {
  if (!web::GetState(scope, receiver, kParamsKey, &p->state)) return false;
  v8::Local<v8::Value> list = web::At(scope, p->state, kList);
  if (!list->IsArray()) return false;
  p->list = list.As<v8::Array>();
  return true;
}

// The standard's "update": the owner URL's query follows the list.
bool Update(JsScope& scope, const Params& p) {
  v8::Local<v8::Value> owner = web::At(scope, p.state, kOwner);
  v8::Local<v8::Array> url_state;
  if (!owner->IsObject()) return true;
  if (!web::GetState(scope, owner, kUrlKey, &url_state)) return false;
  std::optional<whatwg_url::Url> u =
      whatwg_url::Parse(scope.ToUtf8(web::At(scope, url_state, kHref)));
  if (!u) return true;
  std::string query = whatwg_url::SerializeUrlencoded(PairsFromList(scope, p.list));
  if (query.empty()) {
    u->query.reset();
    if (u->opaque_path && !u->fragment && !u->path.empty()) {
      while (!u->path[0].empty() && u->path[0].back() == ' ') u->path[0].pop_back();
    }
  } else {
    u->query = query;
  }
  v8::Local<v8::String> href;
  return web::NewStringUtf8(scope, u->Href()).ToLocal(&href) &&
         web::Put(scope, url_state, kHref, href);
}

bool ArgString(JsScope& scope, const v8::FunctionCallbackInfo<v8::Value>& info, int i,
               v8::Local<v8::String>* out) {
  return web::ToUsvString(scope, web::Arg(info, i), out);
}

bool RequireArgs(JsScope& scope, const v8::FunctionCallbackInfo<v8::Value>& info, const char* what,
                 int count) {
  if (info.Length() >= count) return true;
  web::ThrowTypeError(scope, std::string("Failed to execute '") + what +
                                 "' on 'URLSearchParams': " + std::to_string(count) + " argument" +
                                 (count > 1 ? "s" : "") + " required, but only " +
                                 std::to_string(info.Length()) + " present.");
  return false;
}

// Collects an iterable's values (WebIDL sequence conversion); false if it threw.
bool Collect(JsScope& scope, v8::Local<v8::Object> iterable, v8::Local<v8::Value> method,
             std::vector<v8::Local<v8::Value>>* out) {
  v8::Local<v8::Context> context = scope.context();
  if (!method->IsFunction()) {
    web::ThrowTypeError(scope, "The provided value is not iterable");
    return false;
  }
  v8::Local<v8::Value> iterator, next;
  if (!method.As<v8::Function>()->Call(context, iterable, 0, nullptr).ToLocal(&iterator)) {
    return false;
  }
  if (!iterator->IsObject()) {
    web::ThrowTypeError(scope, "Result of the Symbol.iterator method is not an object");
    return false;
  }
  if (!iterator.As<v8::Object>()->Get(context, scope.Str("next")).ToLocal(&next)) return false;
  if (!next->IsFunction()) {
    web::ThrowTypeError(scope, "The iterator's next is not a function");
    return false;
  }
  while (true) {
    v8::Local<v8::Value> result, done, value;
    if (!next.As<v8::Function>()->Call(context, iterator, 0, nullptr).ToLocal(&result)) {
      return false;
    }
    if (!result->IsObject()) {
      web::ThrowTypeError(scope, "Iterator result is not an object");
      return false;
    }
    if (!result.As<v8::Object>()->Get(context, scope.Str("done")).ToLocal(&done)) return false;
    if (done->BooleanValue(scope.isolate())) return true;
    if (!result.As<v8::Object>()->Get(context, scope.Str("value")).ToLocal(&value)) return false;
    out->push_back(value);
  }
}

// The constructor's init: a sequence of pairs, a record, or a string.
bool InitList(JsScope& scope, v8::Local<v8::Value> init, v8::Local<v8::Array>* list) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Context> context = scope.context();
  if (init->IsUndefined() || init->IsNull()) {
    if (init->IsNull())
      return ListFromPairs(scope, whatwg_url::ParseUrlencoded("null")).ToLocal(list);
    *list = v8::Array::New(isolate);
    return true;
  }
  if (!init->IsObject()) {
    v8::Local<v8::String> s;
    if (!web::ToUsvString(scope, init, &s)) return false;
    std::string text = scope.Utf8(s);
    if (!text.empty() && text[0] == '?') text.erase(0, 1);
    return ListFromPairs(scope, whatwg_url::ParseUrlencoded(text)).ToLocal(list);
  }
  v8::Local<v8::Object> object = init.As<v8::Object>();
  v8::Local<v8::Value> method;
  if (!object->Get(context, v8::Symbol::GetIterator(isolate)).ToLocal(&method)) return false;
  *list = v8::Array::New(isolate);
  uint32_t n = 0;
  if (!method->IsUndefined() && !method->IsNull()) {
    std::vector<v8::Local<v8::Value>> pairs;
    if (!Collect(scope, object, method, &pairs)) return false;
    for (v8::Local<v8::Value> pair : pairs) {
      std::vector<v8::Local<v8::Value>> items;
      v8::Local<v8::Value> inner;
      if (!pair->IsObject()) {
        web::ThrowTypeError(scope,
                            "Failed to construct 'URLSearchParams': The provided value "
                            "cannot be converted to a sequence.");
        return false;
      }
      if (!pair.As<v8::Object>()->Get(context, v8::Symbol::GetIterator(isolate)).ToLocal(&inner) ||
          !Collect(scope, pair.As<v8::Object>(), inner, &items)) {
        return false;
      }
      if (items.size() != 2) {
        web::ThrowTypeError(scope,
                            "Failed to construct 'URLSearchParams': Sequence initializer "
                            "must only contain pair elements");
        return false;
      }
      v8::Local<v8::String> name, value;
      if (!web::ToUsvString(scope, items[0], &name) || !web::ToUsvString(scope, items[1], &value) ||
          !(*list)->CreateDataProperty(context, n++, name).FromMaybe(false) ||
          !(*list)->CreateDataProperty(context, n++, value).FromMaybe(false)) {
        return false;
      }
    }
    return true;
  }
  // A record<USVString, USVString>: own enumerable string keys, in order.
  v8::Local<v8::Array> keys;
  if (!object
           ->GetOwnPropertyNames(context, v8::ONLY_ENUMERABLE,
                                 v8::KeyConversionMode::kConvertToString)
           .ToLocal(&keys)) {
    return false;
  }
  for (uint32_t i = 0; i < keys->Length(); ++i) {
    v8::Local<v8::Value> key, value;
    v8::Local<v8::String> name, text;
    if (!keys->Get(context, i).ToLocal(&key) || !object->Get(context, key).ToLocal(&value) ||
        !web::ToUsvString(scope, key, &name) || !web::ToUsvString(scope, value, &text) ||
        !(*list)->CreateDataProperty(context, n++, name).FromMaybe(false) ||
        !(*list)->CreateDataProperty(context, n++, text).FromMaybe(false)) {
      return false;
    }
  }
  return true;
}

void Construct(const v8::FunctionCallbackInfo<v8::Value>& info) {
  if (!web::RequireNew(info, "URLSearchParams")) return;
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Array> list, state;
  if (!InitList(scope, web::Arg(info, 0), &list)) return;
  if (!web::NewState(scope, info.This(), kParamsKey, kParamsSlots, &state) ||
      !web::Put(scope, state, kList, list)) {
    return;
  }
}

#define JSCORE_PARAMS_PROLOGUE                          \
  v8::Isolate* isolate = info.GetIsolate();             \
  JsScope scope(isolate, isolate->GetCurrentContext()); \
  v8::Local<v8::Context> context = scope.context();     \
  (void)context;                                        \
  Params p;                                             \
  if (!ThisParams(scope, info.This(), &p)) return

void Append(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_PARAMS_PROLOGUE;
  if (!RequireArgs(scope, info, "append", 2)) return;
  v8::Local<v8::String> name, value;
  if (!ArgString(scope, info, 0, &name) || !ArgString(scope, info, 1, &value)) return;
  uint32_t n = p.list->Length();
  if (!p.list->CreateDataProperty(context, n, name).FromMaybe(false) ||
      !p.list->CreateDataProperty(context, n + 1, value).FromMaybe(false)) {
    return;
  }
  (void)Update(scope, p);
}

// Keeps the pairs for which keep(name, value) holds; the list is rebuilt.
template <typename Keep>
bool Filter(JsScope& scope, Params& p, Keep keep) {
  v8::Local<v8::Array> kept = v8::Array::New(scope.isolate());
  uint32_t n = 0;
  for (uint32_t i = 0; i + 1 < p.list->Length(); i += 2) {
    v8::Local<v8::Value> name = web::At(scope, p.list, i), value = web::At(scope, p.list, i + 1);
    if (!keep(name, value)) continue;
    if (!kept->CreateDataProperty(scope.context(), n++, name).FromMaybe(false) ||
        !kept->CreateDataProperty(scope.context(), n++, value).FromMaybe(false)) {
      return false;
    }
  }
  p.list = kept;
  return web::Put(scope, p.state, kList, kept);
}

void Delete(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_PARAMS_PROLOGUE;
  if (!RequireArgs(scope, info, "delete", 1)) return;
  v8::Local<v8::String> name, value;
  bool with_value = info.Length() > 1 && !info[1]->IsUndefined();
  if (!ArgString(scope, info, 0, &name) || (with_value && !ArgString(scope, info, 1, &value))) {
    return;
  }
  if (!Filter(scope, p, [&](v8::Local<v8::Value> n, v8::Local<v8::Value> v) {
        return !(n->StrictEquals(name) && (!with_value || v->StrictEquals(value)));
      })) {
    return;
  }
  (void)Update(scope, p);
}

void Get(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_PARAMS_PROLOGUE;
  if (!RequireArgs(scope, info, "get", 1)) return;
  v8::Local<v8::String> name;
  if (!ArgString(scope, info, 0, &name)) return;
  for (uint32_t i = 0; i + 1 < p.list->Length(); i += 2) {
    if (web::At(scope, p.list, i)->StrictEquals(name)) {
      return info.GetReturnValue().Set(web::At(scope, p.list, i + 1));
    }
  }
  info.GetReturnValue().SetNull();
}

void GetAll(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_PARAMS_PROLOGUE;
  if (!RequireArgs(scope, info, "getAll", 1)) return;
  v8::Local<v8::String> name;
  if (!ArgString(scope, info, 0, &name)) return;
  v8::Local<v8::Array> out = v8::Array::New(isolate);
  uint32_t n = 0;
  for (uint32_t i = 0; i + 1 < p.list->Length(); i += 2) {
    if (web::At(scope, p.list, i)->StrictEquals(name) &&
        !out->CreateDataProperty(context, n++, web::At(scope, p.list, i + 1)).FromMaybe(false)) {
      return;
    }
  }
  info.GetReturnValue().Set(out);
}

void Has(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_PARAMS_PROLOGUE;
  if (!RequireArgs(scope, info, "has", 1)) return;
  v8::Local<v8::String> name, value;
  bool with_value = info.Length() > 1 && !info[1]->IsUndefined();
  if (!ArgString(scope, info, 0, &name) || (with_value && !ArgString(scope, info, 1, &value))) {
    return;
  }
  for (uint32_t i = 0; i + 1 < p.list->Length(); i += 2) {
    if (web::At(scope, p.list, i)->StrictEquals(name) &&
        (!with_value || web::At(scope, p.list, i + 1)->StrictEquals(value))) {
      return info.GetReturnValue().Set(true);
    }
  }
  info.GetReturnValue().Set(false);
}

void Set(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_PARAMS_PROLOGUE;
  if (!RequireArgs(scope, info, "set", 2)) return;
  v8::Local<v8::String> name, value;
  if (!ArgString(scope, info, 0, &name) || !ArgString(scope, info, 1, &value)) return;
  bool found = false;
  if (!Filter(scope, p, [&](v8::Local<v8::Value> n, v8::Local<v8::Value>) {
        if (!n->StrictEquals(name)) return true;
        bool first = !found;
        found = true;
        return first;
      })) {
    return;
  }
  uint32_t length = p.list->Length();
  uint32_t at = length;
  for (uint32_t i = 0; i + 1 < length; i += 2) {
    if (web::At(scope, p.list, i)->StrictEquals(name)) at = i;
  }
  if (!p.list->CreateDataProperty(context, at, name).FromMaybe(false) ||
      !p.list->CreateDataProperty(context, at + 1, value).FromMaybe(false)) {
    return;
  }
  (void)Update(scope, p);
}

void Sort(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_PARAMS_PROLOGUE;
  struct Entry {
    std::u16string key;
    v8::Local<v8::Value> name, value;
  };
  std::vector<Entry> entries;
  for (uint32_t i = 0; i + 1 < p.list->Length(); i += 2) {
    v8::Local<v8::Value> name = web::At(scope, p.list, i);
    entries.push_back(
        {web::Utf16(scope, name.As<v8::String>()), name, web::At(scope, p.list, i + 1)});
  }
  // Stable, by UTF-16 code units, as the standard says.
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return a.key < b.key; });
  uint32_t n = 0;
  for (const Entry& e : entries) {
    if (!p.list->CreateDataProperty(context, n++, e.name).FromMaybe(false) ||
        !p.list->CreateDataProperty(context, n++, e.value).FromMaybe(false)) {
      return;
    }
  }
  (void)Update(scope, p);
}

void ToString(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_PARAMS_PROLOGUE;
  v8::Local<v8::String> out;
  if (web::NewStringUtf8(scope, whatwg_url::SerializeUrlencoded(PairsFromList(scope, p.list)))
          .ToLocal(&out)) {
    info.GetReturnValue().Set(out);
  }
}

void Size(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_PARAMS_PROLOGUE;
  info.GetReturnValue().Set(p.list->Length() / 2);
}

void ForEach(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_PARAMS_PROLOGUE;
  if (!web::Arg(info, 0)->IsFunction()) {
    return web::ThrowTypeError(scope,
                               "Failed to execute 'forEach' on 'URLSearchParams': The "
                               "callback provided as parameter 1 is not a function.");
  }
  v8::Local<v8::Function> callback = info[0].As<v8::Function>();
  v8::Local<v8::Value> self = info.This();
  // The list is live: callbacks may change it, so re-read it on every step.
  for (uint32_t i = 0;; i += 2) {
    if (!ThisParams(scope, self, &p) || i + 1 >= p.list->Length()) return;
    v8::Local<v8::Value> args[] = {web::At(scope, p.list, i + 1), web::At(scope, p.list, i), self};
    if (callback->Call(context, web::Arg(info, 1), 3, args).IsEmpty()) return;
  }
}

// ---- iterators ----

void IteratorNext(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Array> state;
  if (!web::GetState(scope, info.This(), kIteratorKey, &state)) return;
  v8::Local<v8::Value> params = web::At(scope, state, kIterParams);
  uint32_t index = web::At(scope, state, kIterIndex)->Uint32Value(context).FromMaybe(0);
  Params p;
  v8::Local<v8::Value> value = v8::Undefined(isolate);
  bool done =
      !params->IsObject() || !ThisParams(scope, params, &p) || index * 2 + 1 >= p.list->Length();
  if (done) {
    (void)web::Put(scope, state, kIterParams, v8::Undefined(isolate));
  } else {
    int kind = web::At(scope, state, kIterKind)->Int32Value(context).FromMaybe(kEntries);
    v8::Local<v8::Value> name = web::At(scope, p.list, index * 2);
    v8::Local<v8::Value> item = web::At(scope, p.list, index * 2 + 1);
    if (kind == kKeys) {
      value = name;
    } else if (kind == kValues) {
      value = item;
    } else {
      v8::Local<v8::Value> pair[] = {name, item};
      value = v8::Array::New(isolate, pair, 2);
    }
    if (!web::Put(scope, state, kIterIndex, v8::Integer::NewFromUnsigned(isolate, index + 1))) {
      return;
    }
  }
  v8::Local<v8::Object> result = v8::Object::New(isolate);
  if (result->CreateDataProperty(context, scope.Str("value"), value).IsNothing() ||
      result->CreateDataProperty(context, scope.Str("done"), v8::Boolean::New(isolate, done))
          .IsNothing()) {
    return;
  }
  info.GetReturnValue().Set(result);
}

// %URLSearchParamsIteratorPrototype%: next() over %IteratorPrototype%.
v8::MaybeLocal<v8::Value> BuildIteratorPrototype(JsScope& scope, v8::Local<v8::Array> realm) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Array> probe = v8::Array::New(isolate);
  v8::Local<v8::Value> values, array_iterator;
  if (!probe->Get(context, v8::Symbol::GetIterator(isolate)).ToLocal(&values) ||
      !values->IsFunction() ||
      !values.As<v8::Function>()->Call(context, probe, 0, nullptr).ToLocal(&array_iterator) ||
      !array_iterator->IsObject()) {
    return {};
  }
  v8::Local<v8::Value> array_iterator_proto = array_iterator.As<v8::Object>()->GetPrototype();
  if (!array_iterator_proto->IsObject()) return {};
  v8::Local<v8::Object> proto = v8::Object::New(isolate);
  if (proto->SetPrototype(context, array_iterator_proto.As<v8::Object>()->GetPrototype())
          .IsNothing() ||
      !web::SetMethod(scope, proto, {"next", IteratorNext, 0}, realm, v8::DontEnum) ||
      !web::SetToStringTag(scope, proto, "URLSearchParams Iterator")) {
    return {};
  }
  return proto;
}

void MakeIterator(const v8::FunctionCallbackInfo<v8::Value>& info, IteratorKind kind) {
  JSCORE_PARAMS_PROLOGUE;
  v8::Local<v8::Value> proto;
  v8::Local<v8::Array> state;
  v8::Local<v8::Object> iterator = v8::Object::New(isolate);
  if (!web::GetOrBuild(scope, Slot::kUrlSearchParamsIterator, BuildIteratorPrototype)
           .ToLocal(&proto) ||
      iterator->SetPrototype(context, proto).IsNothing() ||
      !web::NewState(scope, iterator, kIteratorKey, kIteratorSlots, &state) ||
      !web::Put(scope, state, kIterParams, info.This()) ||
      !web::Put(scope, state, kIterKind, v8::Integer::New(isolate, kind)) ||
      !web::Put(scope, state, kIterIndex, v8::Integer::New(isolate, 0))) {
    return;
  }
  info.GetReturnValue().Set(iterator);
}
void Keys(const v8::FunctionCallbackInfo<v8::Value>& info) { MakeIterator(info, kKeys); }
void Values(const v8::FunctionCallbackInfo<v8::Value>& info) { MakeIterator(info, kValues); }
void Entries(const v8::FunctionCallbackInfo<v8::Value>& info) { MakeIterator(info, kEntries); }

#undef JSCORE_PARAMS_PROLOGUE

}  // namespace

v8::MaybeLocal<v8::Value> BuildUrlSearchParams(JsScope& scope, v8::Local<v8::Array> realm) {
  static constexpr web::Method kMethods[] = {
      {"append", Append, 2}, {"delete", Delete, 1},     {"get", Get, 1},
      {"getAll", GetAll, 1}, {"has", Has, 1},           {"set", Set, 2},
      {"sort", Sort, 0},     {"toString", ToString, 0}, {"forEach", ForEach, 1},
      {"keys", Keys, 0},     {"values", Values, 0},     {"entries", Entries, 0},
  };
  static constexpr web::Accessor kAccessors[] = {{"size", Size, nullptr}};
  web::ClassSpec spec;
  spec.name = "URLSearchParams";
  spec.constructor = Construct;
  spec.methods = kMethods;
  spec.accessors = kAccessors;
  v8::Local<v8::Function> ctor;
  v8::Local<v8::Object> proto;
  v8::Local<v8::Value> entries;
  v8::Local<v8::Context> context = scope.context();
  if (!web::BuildClass(scope, spec, realm).ToLocal(&ctor) ||
      !web::PrototypeOf(scope, ctor).ToLocal(&proto) ||
      !proto->Get(context, scope.Str("entries")).ToLocal(&entries) ||
      !proto
           ->DefineOwnProperty(context, v8::Symbol::GetIterator(scope.isolate()), entries,
                               v8::DontEnum)
           .FromMaybe(false)) {
    return {};
  }
  return ctor;
}

v8::MaybeLocal<v8::Object> NewSearchParamsFor(JsScope& scope, v8::Local<v8::Object> owner,
                                              std::string_view query) {
  v8::Local<v8::Value> ctor;
  v8::Local<v8::Object> params;
  v8::Local<v8::Array> state, list;
  if (!web::GetOrBuild(scope, Slot::kUrlSearchParams, BuildUrlSearchParams).ToLocal(&ctor) ||
      !web::NewInstanceOf(scope, ctor).ToLocal(&params) ||
      !web::NewState(scope, params, kParamsKey, kParamsSlots, &state) ||
      !ListFromPairs(scope, whatwg_url::ParseUrlencoded(query)).ToLocal(&list) ||
      !web::Put(scope, state, kList, list) || !web::Put(scope, state, kOwner, owner)) {
    return {};
  }
  return params;
}

bool ResetList(JsScope& scope, v8::Local<v8::Object> params, std::string_view query) {
  v8::Local<v8::Array> state, list;
  return web::GetState(scope, params, kParamsKey, &state) &&
         ListFromPairs(scope, whatwg_url::ParseUrlencoded(query)).ToLocal(&list) &&
         web::Put(scope, state, kList, list);
}

bool IsUrlSearchParams(JsScope& scope, v8::Local<v8::Value> value) {
  v8::Local<v8::Array> state;
  return web::GetState(scope, value, kParamsKey, &state, web::OnMismatch::kQuiet);
}

}  // namespace jscore::engine::extensions::url::detail
