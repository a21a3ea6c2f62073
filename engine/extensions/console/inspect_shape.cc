// Node's formatRaw, first half: what an object's kind prints before its entries
// (the prefix and braces of arrays, typed arrays, Maps, Sets, errors, dates,
// regexps, boxed primitives, functions, promises, buffers...) and the entries
// each kind adds ahead of its own properties.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/extensions/console/inspect_inspector.h"
#include "engine/extensions/web/web_support.h"

namespace jscore::engine::extensions::console::detail {

namespace {

U16 SizeSuffix(size_t size) { return u"(" + U16Of(std::to_string(size)) + u")"; }

}  // namespace

U16 Inspector::ToStringTag(v8::Local<v8::Object> value) {
  U16 tag;
  v8::Local<v8::Value> t;
  v8::Local<v8::Name> key = v8::Symbol::GetToStringTag(isolate_);
  if (value->Get(context_, key).ToLocal(&t) && t->IsString()) {
    tag = Str(t);
    v8::PropertyAttribute attributes;
    if (!tag.empty() && value->HasOwnProperty(context_, key).FromMaybe(false) &&
        value->GetRealNamedPropertyAttributes(context_, key).To(&attributes) &&
        !(attributes & v8::DontEnum)) {
      tag.clear();  // an own enumerable tag prints as a property
    }
  }
  return tag;
}

std::optional<U16> Inspector::ShapeOf(v8::Local<v8::Object> value, int recurse_times,
                                      bool in_typed_array, RawShape& shape) {
  if (value->IsArray()) return ShapeArray(value, shape);
  if (value->IsSet() || value->IsMap()) return ShapeSetOrMap(value, shape);
  if (value->IsTypedArray()) return ShapeTypedArray(value, shape);
  if (value->IsMapIterator() || value->IsSetIterator()) {
    shape.keys = Keys(value, false);
    shape.open = u"[" + shape.tag + u"] {";
    shape.kind = Kind::kIterator;
    return std::nullopt;
  }
  shape.keys = Keys(value, false);
  if (value->IsArgumentsObject()) return ShapeArguments(value, shape);
  if (shape.constructor == std::optional<U16>(u"Object") && !value->IsNativeError() &&
      !value->IsFunction() && !value->IsPromise() && !value->IsWeakMap() && !value->IsWeakSet()) {
    if (!shape.tag.empty()) shape.open = GetPrefix(shape.constructor, shape.tag, u"Object") + u"{";
    if (shape.keys.empty()) return shape.open + u"}";
    return std::nullopt;
  }
  if (value->IsFunction()) {
    shape.base = FunctionBase(value.As<v8::Function>(), shape.constructor, shape.tag);
    if (shape.keys.empty()) return shape.base;
    return std::nullopt;
  }
  if (value->IsRegExp()) return ShapeRegExp(value.As<v8::RegExp>(), recurse_times, shape);
  if (value->IsDate()) {
    shape.base = IsoDate(value.As<v8::Date>()->ValueOf());
    U16 prefix = GetPrefix(shape.constructor, shape.tag, u"Date");
    if (prefix != u"Date ") shape.base = prefix + shape.base;
    if (shape.keys.empty()) return shape.base;
    return std::nullopt;
  }
  if (value->IsNativeError()) {
    shape.base = FormatError(value, shape.constructor, shape.tag, shape.keys);
    if (shape.keys.empty()) return shape.base;
    return std::nullopt;
  }
  return ShapeOther(value, in_typed_array, shape);
}

std::optional<U16> Inspector::ShapeArray(v8::Local<v8::Object> value, RawShape& shape) {
  shape.length = value.As<v8::Array>()->Length();
  U16 prefix = (shape.constructor != std::optional<U16>(u"Array") || !shape.tag.empty())
                   ? GetPrefix(shape.constructor, shape.tag, u"Array", SizeSuffix(shape.length))
                   : U16();
  shape.keys = Keys(value, /*non_index_only=*/true);
  shape.open = prefix + u"[";
  shape.close = u"]";
  if (shape.length == 0 && shape.keys.empty()) return shape.open + u"]";
  shape.extras = Extras::kArray;
  shape.kind = Kind::kArray;
  return std::nullopt;
}

std::optional<U16> Inspector::ShapeSetOrMap(v8::Local<v8::Object> value, RawShape& shape) {
  bool is_set = value->IsSet();
  size_t size = is_set ? value.As<v8::Set>()->Size() : value.As<v8::Map>()->Size();
  U16 prefix = GetPrefix(shape.constructor, shape.tag, is_set ? u"Set" : u"Map", SizeSuffix(size));
  shape.keys = Keys(value, false);
  if (size == 0 && shape.keys.empty()) return prefix + u"{}";
  shape.open = prefix + u"{";
  shape.kind = is_set ? Kind::kSet : Kind::kMap;
  return std::nullopt;
}

std::optional<U16> Inspector::ShapeTypedArray(v8::Local<v8::Object> value, RawShape& shape) {
  shape.length = static_cast<uint32_t>(value.As<v8::TypedArray>()->Length());
  shape.keys = Keys(value, true);
  U16 prefix =
      GetPrefix(shape.constructor, shape.tag, shape.constructor ? U16() : TypedArrayName(value),
                SizeSuffix(shape.length));
  shape.open = prefix + u"[";
  shape.close = u"]";
  if (shape.length == 0 && shape.keys.empty()) return shape.open + u"]";
  shape.extras = Extras::kArray;
  shape.kind = Kind::kTypedArray;
  return std::nullopt;
}

std::optional<U16> Inspector::ShapeArguments(v8::Local<v8::Object> value, RawShape& shape) {
  v8::Local<v8::Value> n = GetData(value, "length");
  shape.length = n->IsUint32() ? n.As<v8::Uint32>()->Value() : 0;
  shape.keys = Keys(value, true);
  shape.open = u"[Arguments] [";
  shape.close = u"]";
  if (shape.length == 0 && shape.keys.empty()) return shape.open + u"]";
  shape.extras = Extras::kArray;
  shape.kind = Kind::kArguments;
  return std::nullopt;
}

std::optional<U16> Inspector::ShapeRegExp(v8::Local<v8::RegExp> regexp, int recurse_times,
                                          RawShape& shape) {
  int flags = regexp->GetFlags();
  shape.base = u"/" + Str(regexp->GetSource()) + u"/";
  static constexpr std::pair<int, char16_t> kFlags[] = {
      {v8::RegExp::kHasIndices, u'd'}, {v8::RegExp::kGlobal, u'g'}, {v8::RegExp::kIgnoreCase, u'i'},
      {v8::RegExp::kMultiline, u'm'},  {v8::RegExp::kDotAll, u's'}, {v8::RegExp::kUnicode, u'u'},
      {v8::RegExp::kSticky, u'y'}};
  for (const auto& [bit, letter] : kFlags) {
    if (flags & bit) shape.base.push_back(letter);
  }
  U16 prefix = GetPrefix(shape.constructor, shape.tag, u"RegExp");
  if (prefix != u"RegExp ") shape.base = prefix + shape.base;
  if (shape.keys.empty() || recurse_times > options_.depth) return shape.base;
  return std::nullopt;
}

std::optional<U16> Inspector::ShapeOther(v8::Local<v8::Object> value, bool in_typed_array,
                                         RawShape& shape) {
  const std::optional<U16>& constructor = shape.constructor;
  const U16& tag = shape.tag;
  if (value->IsArrayBuffer() || value->IsSharedArrayBuffer()) {
    U16 prefix =
        GetPrefix(constructor, tag, value->IsArrayBuffer() ? u"ArrayBuffer" : u"SharedArrayBuffer");
    if (!in_typed_array) {
      shape.kind = Kind::kArrayBuffer;
    } else if (shape.keys.empty()) {
      size_t n = value->IsArrayBuffer() ? value.As<v8::ArrayBuffer>()->ByteLength()
                                        : value.As<v8::SharedArrayBuffer>()->ByteLength();
      return prefix + u"{ byteLength: " + U16Of(std::to_string(n)) + u" }";
    }
    shape.open = prefix + u"{";
    shape.keys.insert(shape.keys.begin(), scope_.Str("byteLength"));
  } else if (value->IsDataView()) {
    shape.open = GetPrefix(constructor, tag, u"DataView") + u"{";
    shape.keys.insert(shape.keys.begin(),
                      {scope_.Str("byteLength"), scope_.Str("byteOffset"), scope_.Str("buffer")});
  } else if (value->IsPromise()) {
    shape.open = GetPrefix(constructor, tag, u"Promise") + u"{";
    shape.kind = Kind::kPromise;
  } else if (value->IsWeakSet() || value->IsWeakMap()) {
    shape.open = GetPrefix(constructor, tag, value->IsWeakSet() ? u"WeakSet" : u"WeakMap") + u"{";
    shape.kind = Kind::kWeak;
  } else if (value->IsNumberObject() || value->IsStringObject() || value->IsBooleanObject() ||
             value->IsBigIntObject() || value->IsSymbolObject()) {
    shape.base = BoxedBase(value, constructor, tag, shape.keys);
    if (shape.keys.empty()) return shape.base;
  } else {
    WebObjectKeys(value, &shape.keys, &shape.kind);
    if (shape.keys.empty() && shape.kind == Kind::kPlain) {
      return GetPrefix(constructor, tag, u"Object") + u"{}";
    }
    shape.open = GetPrefix(constructor, tag, u"Object") + u"{";
  }
  return std::nullopt;
}

std::vector<U16> Inspector::FormatKindEntries(v8::Local<v8::Object> value, int recurse_times,
                                              RawShape& shape, bool* numeric) {
  switch (shape.kind) {
    case Kind::kArray:
    case Kind::kArguments: {
      std::vector<U16> output = FormatArrayLike(value, shape.length, recurse_times);
      *numeric =
          AllNumbers(value, std::min<uint32_t>(shape.length, static_cast<uint32_t>(output.size())));
      return output;
    }
    case Kind::kTypedArray:
      *numeric = true;
      return FormatTypedArray(value.As<v8::TypedArray>());
    case Kind::kSet:
      return FormatEntries(value.As<v8::Set>()->AsArray(), false, U16(), recurse_times);
    case Kind::kMap:
      return FormatEntries(value.As<v8::Map>()->AsArray(), true, u" => ", recurse_times);
    case Kind::kIterator:
      return FormatIteratorEntries(value, recurse_times, shape.open);
    case Kind::kArrayBuffer:
      return {ArrayBufferContents(value)};
    case Kind::kPromise:
      return {PromiseState(value.As<v8::Promise>(), recurse_times)};
    case Kind::kWeak:
      return {u"<items unknown>"};
    case Kind::kSearchParams:
      return SearchParamsEntries(value, recurse_times);
    case Kind::kPlain:
      break;
  }
  return {};
}

bool Inspector::AllNumbers(v8::Local<v8::Object> value, uint32_t count) {
  for (uint32_t i = 0; i < count; ++i) {
    v8::Local<v8::Value> item;
    if (!value->Get(context_, i).ToLocal(&item) || !(item->IsNumber() || item->IsBigInt())) {
      return false;
    }
  }
  return true;
}

std::vector<U16> Inspector::FormatIteratorEntries(v8::Local<v8::Object> value, int recurse_times,
                                                  U16& open) {
  std::vector<U16> output;
  bool is_key_value = false;
  v8::Local<v8::Array> entries;
  if (!value->PreviewEntries(&is_key_value).ToLocal(&entries)) return output;
  if (!is_key_value) return FormatEntries(entries, false, U16(), recurse_times);
  size_t at = open.find(u" Iterator] {");
  if (at != U16::npos) open.replace(at, 12, u" Entries] {");
  indentation_ += 2;
  for (uint32_t i = 0; i + 1 < entries->Length() && !Stop(); i += 2) {
    v8::Local<v8::Value> k, v;
    if (!entries->Get(context_, i).ToLocal(&k) || !entries->Get(context_, i + 1).ToLocal(&v)) {
      break;
    }
    std::vector<U16> pair = {FormatValue(k, recurse_times), FormatValue(v, recurse_times)};
    output.push_back(Reduce(pair, U16(), u"[", u"]", Extras::kArray, recurse_times, false));
  }
  indentation_ -= 2;
  return output;
}

U16 Inspector::ArrayBufferContents(v8::Local<v8::Object> value) {
  std::shared_ptr<v8::BackingStore> store =
      value->IsArrayBuffer() ? value.As<v8::ArrayBuffer>()->GetBackingStore()
                             : value.As<v8::SharedArrayBuffer>()->GetBackingStore();
  const uint8_t* bytes = static_cast<const uint8_t*>(store->Data());
  size_t n = store->ByteLength();
  size_t shown = std::min<size_t>(n, options_.max_array_length);
  std::string hex;
  for (size_t i = 0; i < shown; ++i) {
    char b[4];
    std::snprintf(b, sizeof(b), i ? " %02x" : "%02x", bytes[i]);
    hex += b;
  }
  if (n > shown) {
    hex += " ... " + std::to_string(n - shown) + " more byte" + (n - shown > 1 ? "s" : "");
  }
  return u"[Uint8Contents]: <" + U16Of(hex) + u">";
}

U16 Inspector::PromiseState(v8::Local<v8::Promise> promise, int recurse_times) {
  if (promise->State() == v8::Promise::kPending) return u"<pending>";
  indentation_ += 2;
  U16 result = FormatValue(promise->Result(), recurse_times);
  indentation_ -= 2;
  return promise->State() == v8::Promise::kRejected ? u"<rejected> " + result : result;
}

std::vector<U16> Inspector::SearchParamsEntries(v8::Local<v8::Object> value, int recurse_times) {
  v8::Local<v8::Array> state;
  v8::Local<v8::Value> list;
  if (web::GetState(scope_, value, "jscore.URLSearchParams", &state, web::OnMismatch::kQuiet) &&
      state->Get(context_, 0).ToLocal(&list) && list->IsArray()) {
    return FormatEntries(list.As<v8::Array>(), true, u" => ", recurse_times);
  }
  return {};
}

}  // namespace jscore::engine::extensions::console::detail
