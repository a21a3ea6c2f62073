// Headers (Fetch standard): a list of (lowercase name, value) pairs with validation,
// combination and sorted iteration.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "engine/extensions/fetch/fetch_internal.h"
#include "engine/extensions/web/web_support.h"

namespace jscore::engine::extensions::fetch::detail {
namespace {

constexpr char kHeadersKey[] = "jscore.Headers";
enum HeadersSlot { kList, kHeadersSlots };  // kList: [name0, value0, name1, value1...]

bool IsTokenChar(unsigned char c) {
  return absl::ascii_isalnum(c) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// WebIDL ByteString-ish conversion, then the Fetch standard's checks. False with a
// TypeError pending.
bool ToName(JsScope& scope, v8::Local<v8::Value> value, std::string* out) {
  v8::Local<v8::String> s;
  if (!value->ToString(scope.context()).ToLocal(&s)) return false;
  std::string name = scope.Utf8(s);
  if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) {
        return IsTokenChar(static_cast<unsigned char>(c));
      })) {
    web::ThrowTypeError(scope, absl::StrCat("Headers: invalid header name \"", name, "\""));
    return false;
  }
  *out = absl::AsciiStrToLower(name);
  return true;
}

bool ToValue(JsScope& scope, v8::Local<v8::Value> value, std::string* out) {
  v8::Local<v8::String> s;
  if (!value->ToString(scope.context()).ToLocal(&s)) return false;
  std::string v = scope.Utf8(s);
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  size_t begin = 0, end = v.size();
  while (begin < end && is_space(v[begin])) ++begin;
  while (end > begin && is_space(v[end - 1])) --end;
  v = v.substr(begin, end - begin);
  if (v.find_first_of(std::string_view("\0\r\n", 3)) != std::string::npos) {
    web::ThrowTypeError(scope, "Headers: invalid header value (CR, LF or NUL)");
    return false;
  }
  *out = std::move(v);
  return true;
}

bool ReadList(JsScope& scope, v8::Local<v8::Array> state, HeaderList* list) {
  v8::Local<v8::Value> flat = web::At(scope, state, kList);
  if (!flat->IsArray()) return false;
  v8::Local<v8::Array> array = flat.As<v8::Array>();
  list->clear();
  for (uint32_t i = 0; i + 1 < array->Length(); i += 2) {
    list->emplace_back(scope.ToUtf8(web::At(scope, array, i)),
                       scope.ToUtf8(web::At(scope, array, i + 1)));
  }
  return true;
}

v8::MaybeLocal<v8::Array> FlatArray(JsScope& scope, const HeaderList& list) {
  std::vector<v8::Local<v8::Value>> items;
  items.reserve(list.size() * 2);
  for (const auto& [name, value] : list) {
    v8::Local<v8::String> n, v;
    if (!web::NewStringUtf8(scope, name).ToLocal(&n) ||
        !web::NewStringUtf8(scope, value).ToLocal(&v)) {
      return {};
    }
    items.push_back(n);
    items.push_back(v);
  }
  v8::Local<v8::Array> array = v8::Array::New(scope.isolate(), items.data(), items.size());
  if (array->SetPrototype(scope.context(), v8::Null(scope.isolate())).IsNothing()) return {};
  return array;
}

bool WriteList(JsScope& scope, v8::Local<v8::Array> state, const HeaderList& list) {
  v8::Local<v8::Array> flat;
  return FlatArray(scope, list).ToLocal(&flat) && web::Put(scope, state, kList, flat);
}

#define JSCORE_HEADERS_PROLOGUE                                                                  \
  v8::Isolate* isolate = info.GetIsolate();                                                      \
  JsScope scope(isolate, isolate->GetCurrentContext());                                          \
  v8::Local<v8::Array> state;                                                                    \
  HeaderList list;                                                                               \
  if (!web::GetState(scope, info.This(), kHeadersKey, &state) || !ReadList(scope, state, &list)) \
  return

void Construct(const v8::FunctionCallbackInfo<v8::Value>& info) {
  if (!web::RequireNew(info, "Headers")) return;
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  HeaderList list;
  v8::Local<v8::Array> state;
  if (!AppendHeadersInit(scope, web::Arg(info, 0), &list) ||
      !web::NewState(scope, info.This(), kHeadersKey, kHeadersSlots, &state)) {
    return;
  }
  (void)WriteList(scope, state, list);
}

void Append(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_HEADERS_PROLOGUE;
  std::string name, value;
  if (!ToName(scope, web::Arg(info, 0), &name) || !ToValue(scope, web::Arg(info, 1), &value))
    return;
  list.emplace_back(std::move(name), std::move(value));
  (void)WriteList(scope, state, list);
}

void Set(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_HEADERS_PROLOGUE;
  std::string name, value;
  if (!ToName(scope, web::Arg(info, 0), &name) || !ToValue(scope, web::Arg(info, 1), &value))
    return;
  // The first of that name takes the value in place; the others go.
  HeaderList out;
  bool placed = false;
  for (auto& h : list) {
    if (h.first != name) {
      out.push_back(std::move(h));
    } else if (!placed) {
      out.emplace_back(name, value);
      placed = true;
    }
  }
  if (!placed) out.emplace_back(std::move(name), std::move(value));
  (void)WriteList(scope, state, out);
}

void Delete(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_HEADERS_PROLOGUE;
  std::string name;
  if (!ToName(scope, web::Arg(info, 0), &name)) return;
  list.erase(
      std::remove_if(list.begin(), list.end(), [&](const auto& h) { return h.first == name; }),
      list.end());
  (void)WriteList(scope, state, list);
}

void Get(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_HEADERS_PROLOGUE;
  std::string name, value;
  if (!ToName(scope, web::Arg(info, 0), &name)) return;
  if (!Combined(list, name, &value)) return info.GetReturnValue().SetNull();
  v8::Local<v8::String> s;
  if (web::NewStringUtf8(scope, value).ToLocal(&s)) info.GetReturnValue().Set(s);
}

void GetSetCookie(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_HEADERS_PROLOGUE;
  std::vector<v8::Local<v8::Value>> values;
  for (const auto& [name, value] : list) {
    v8::Local<v8::String> s;
    if (name != "set-cookie") continue;
    if (!web::NewStringUtf8(scope, value).ToLocal(&s)) return;
    values.push_back(s);
  }
  info.GetReturnValue().Set(v8::Array::New(isolate, values.data(), values.size()));
}

void Has(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_HEADERS_PROLOGUE;
  std::string name, value;
  if (!ToName(scope, web::Arg(info, 0), &name)) return;
  info.GetReturnValue().Set(Combined(list, name, &value));
}

void ForEach(const v8::FunctionCallbackInfo<v8::Value>& info) {
  JSCORE_HEADERS_PROLOGUE;
  v8::Local<v8::Value> callback = web::Arg(info, 0);
  if (!callback->IsFunction()) {
    return web::ThrowTypeError(scope, "Headers.forEach: the callback is not a function");
  }
  for (const auto& [name, value] : SortAndCombine(list)) {
    v8::Local<v8::String> n, v;
    if (!web::NewStringUtf8(scope, name).ToLocal(&n) ||
        !web::NewStringUtf8(scope, value).ToLocal(&v)) {
      return;
    }
    v8::Local<v8::Value> argv[] = {v, n, info.This()};
    if (callback.As<v8::Function>()->Call(scope.context(), web::Arg(info, 1), 3, argv).IsEmpty()) {
      return;
    }
  }
}

enum class IterKind { kKeys, kValues, kEntries };

// An iterator over a snapshot of the sorted, combined list (an Array iterator).
void Iterate(const v8::FunctionCallbackInfo<v8::Value>& info, IterKind kind) {
  JSCORE_HEADERS_PROLOGUE;
  std::vector<v8::Local<v8::Value>> items;
  for (const auto& [name, value] : SortAndCombine(list)) {
    v8::Local<v8::String> n, v;
    if (!web::NewStringUtf8(scope, name).ToLocal(&n) ||
        !web::NewStringUtf8(scope, value).ToLocal(&v)) {
      return;
    }
    if (kind == IterKind::kKeys) {
      items.push_back(n);
    } else if (kind == IterKind::kValues) {
      items.push_back(v);
    } else {
      v8::Local<v8::Value> pair[] = {n, v};
      items.push_back(v8::Array::New(isolate, pair, 2));
    }
  }
  v8::Local<v8::Array> snapshot = v8::Array::New(isolate, items.data(), items.size());
  v8::Local<v8::Value> method, iterator;
  if (!snapshot->Get(scope.context(), v8::Symbol::GetIterator(isolate)).ToLocal(&method) ||
      !method->IsFunction() ||
      !method.As<v8::Function>()->Call(scope.context(), snapshot, 0, nullptr).ToLocal(&iterator)) {
    return;
  }
  info.GetReturnValue().Set(iterator);
}

void Keys(const v8::FunctionCallbackInfo<v8::Value>& info) { Iterate(info, IterKind::kKeys); }
void Values(const v8::FunctionCallbackInfo<v8::Value>& info) { Iterate(info, IterKind::kValues); }
void Entries(const v8::FunctionCallbackInfo<v8::Value>& info) { Iterate(info, IterKind::kEntries); }

#undef JSCORE_HEADERS_PROLOGUE

// Appends one [name, value] pair given as any iterable or array-like of two.
bool AppendPair(JsScope& scope, v8::Local<v8::Value> pair, HeaderList* list) {
  v8::Local<v8::Context> context = scope.context();
  if (!pair->IsArray() || pair.As<v8::Array>()->Length() != 2) {
    web::ThrowTypeError(scope, "Headers: each header must be a [name, value] pair");
    return false;
  }
  v8::Local<v8::Value> n, v;
  std::string name, value;
  if (!pair.As<v8::Array>()->Get(context, 0).ToLocal(&n) ||
      !pair.As<v8::Array>()->Get(context, 1).ToLocal(&v) || !ToName(scope, n, &name) ||
      !ToValue(scope, v, &value)) {
    return false;
  }
  list->emplace_back(std::move(name), std::move(value));
  return true;
}

}  // namespace

bool AppendHeadersInit(JsScope& scope, v8::Local<v8::Value> init, HeaderList* list) {
  v8::Local<v8::Context> context = scope.context();
  if (init->IsUndefined() || init->IsNull()) return true;
  HeaderList existing;
  if (ListOf(scope, init, &existing)) {
    list->insert(list->end(), existing.begin(), existing.end());
    return true;
  }
  if (!init->IsObject()) {
    web::ThrowTypeError(scope, "Headers: the init must be an object, an array of pairs or Headers");
    return false;
  }
  if (init->IsArray()) {
    v8::Local<v8::Array> array = init.As<v8::Array>();
    for (uint32_t i = 0; i < array->Length(); ++i) {
      v8::Local<v8::Value> pair;
      if (!array->Get(context, i).ToLocal(&pair) || !AppendPair(scope, pair, list)) return false;
    }
    return true;
  }
  if (init->IsMap()) {
    v8::Local<v8::Array> flat = init.As<v8::Map>()->AsArray();
    for (uint32_t i = 0; i + 1 < flat->Length(); i += 2) {
      v8::Local<v8::Value> n, v;
      std::string name, value;
      if (!flat->Get(context, i).ToLocal(&n) || !flat->Get(context, i + 1).ToLocal(&v) ||
          !ToName(scope, n, &name) || !ToValue(scope, v, &value)) {
        return false;
      }
      list->emplace_back(std::move(name), std::move(value));
    }
    return true;
  }
  // A record: own enumerable string keys.
  v8::Local<v8::Object> object = init.As<v8::Object>();
  v8::Local<v8::Array> keys;
  if (!object->GetOwnPropertyNames(context, v8::ONLY_ENUMERABLE).ToLocal(&keys)) return false;
  for (uint32_t i = 0; i < keys->Length(); ++i) {
    v8::Local<v8::Value> key, v;
    std::string name, value;
    if (!keys->Get(context, i).ToLocal(&key) || !object->Get(context, key).ToLocal(&v) ||
        !ToName(scope, key, &name) || !ToValue(scope, v, &value)) {
      return false;
    }
    list->emplace_back(std::move(name), std::move(value));
  }
  return true;
}

bool ListOf(JsScope& scope, v8::Local<v8::Value> headers, HeaderList* list) {
  v8::Local<v8::Array> state;
  return web::GetState(scope, headers, kHeadersKey, &state, web::OnMismatch::kQuiet) &&
         ReadList(scope, state, list);
}

bool Combined(const HeaderList& list, std::string_view name, std::string* value) {
  bool found = false;
  value->clear();
  for (const auto& [n, v] : list) {
    if (n != name) continue;
    if (found) absl::StrAppend(value, ", ");
    absl::StrAppend(value, v);
    found = true;
  }
  return found;
}

HeaderList SortAndCombine(const HeaderList& list) {
  HeaderList sorted = list;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  HeaderList out;
  for (auto& h : sorted) {
    if (!out.empty() && out.back().first == h.first && h.first != "set-cookie") {
      absl::StrAppend(&out.back().second, ", ", h.second);
    } else {
      out.push_back(std::move(h));
    }
  }
  return out;
}

v8::MaybeLocal<v8::Object> NewHeaders(JsScope& scope, const HeaderList& list) {
  v8::Local<v8::Value> ctor;
  v8::Local<v8::Object> headers;
  v8::Local<v8::Array> state;
  if (!web::GetOrBuild(scope, web::Slot::kHeaders, BuildHeaders).ToLocal(&ctor) ||
      !web::NewInstanceOf(scope, ctor).ToLocal(&headers) ||
      !web::NewState(scope, headers, kHeadersKey, kHeadersSlots, &state) ||
      !WriteList(scope, state, list)) {
    return {};
  }
  return headers;
}

v8::MaybeLocal<v8::Value> BuildHeaders(JsScope& scope, v8::Local<v8::Array> realm) {
  static constexpr web::Method kMethods[] = {
      {"append", Append, 2},   {"delete", Delete, 1},
      {"get", Get, 1},         {"getSetCookie", GetSetCookie, 0},
      {"has", Has, 1},         {"set", Set, 2},
      {"forEach", ForEach, 1}, {"keys", Keys, 0},
      {"values", Values, 0},   {"entries", Entries, 0}};
  web::ClassSpec spec;
  spec.name = "Headers";
  spec.constructor = Construct;
  spec.methods = kMethods;
  v8::Local<v8::Function> ctor;
  v8::Local<v8::Object> proto;
  v8::Local<v8::Value> entries;
  if (!web::BuildClass(scope, spec, realm).ToLocal(&ctor) ||
      !web::PrototypeOf(scope, ctor).ToLocal(&proto) ||
      !proto->Get(scope.context(), scope.Str("entries")).ToLocal(&entries) ||
      proto
          ->DefineOwnProperty(scope.context(), v8::Symbol::GetIterator(scope.isolate()), entries,
                              v8::DontEnum)
          .IsNothing()) {
    return {};
  }
  return ctor;
}

}  // namespace jscore::engine::extensions::fetch::detail
