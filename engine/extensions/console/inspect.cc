// A port of Node.js's util.inspect (lib/internal/util/inspect.js) with its
// default options, working in UTF-16 so that widths match Node's: primitives,
// the object walk (formatValue / formatRaw / formatProperty) and the layout
// (reduceToSingleString / groupArrayElements).
#include "engine/extensions/console/inspect.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/extensions/console/inspect_inspector.h"
#include "engine/extensions/web/web_support.h"

namespace jscore::engine::extensions::console {
namespace detail {

U16 Inspector::Str(v8::Local<v8::Value> value) {
  v8::Local<v8::String> s;
  if (!value->ToString(context_).ToLocal(&s)) return U16();
  return web::Utf16(scope_, s);
}

v8::Local<v8::Value> Inspector::GetData(v8::Local<v8::Object> object, const char* key) {
  v8::Local<v8::Value> value;
  if (!object->Get(context_, scope_.Str(key)).ToLocal(&value)) return v8::Undefined(isolate_);
  return value;
}

U16 FormatNumber(JsScope& scope, v8::Local<v8::Value> number) {
  if (number->IsNumber()) {
    double d = number.As<v8::Number>()->Value();
    if (d == 0 && std::signbit(d)) return u"-0";
  }
  v8::Local<v8::String> s;
  if (!number->ToString(scope.context()).ToLocal(&s)) return U16();
  U16 out = web::Utf16(scope, s);
  if (number->IsBigInt()) out += u"n";
  return out;
}

U16 Inspector::FormatPrimitive(v8::Local<v8::Value> value) {
  if (value->IsString()) {
    U16 text = web::Utf16(scope_, value.As<v8::String>());
    U16 trailer;
    if (text.size() > static_cast<size_t>(options_.max_string_length)) {
      size_t remaining = text.size() - options_.max_string_length;
      text.resize(options_.max_string_length);
      trailer = U16Of("... " + std::to_string(remaining) + " more character" +
                      (remaining > 1 ? "s" : ""));
    }
    // Long strings with line breaks print as 'line\n' + 'line'.
    if (text.size() > 16 &&
        static_cast<int>(text.size()) > options_.break_length - indentation_ - 4) {
      U16 out;
      size_t start = 0;
      while (start < text.size()) {
        size_t nl = text.find(u'\n', start);
        size_t end = nl == U16::npos ? text.size() : nl + 1;
        if (!out.empty()) out += u" +\n" + Repeat(u' ', indentation_ + 2);
        out += StrEscape(text.substr(start, end - start));
        start = end;
      }
      return out + trailer;
    }
    return StrEscape(text) + trailer;
  }
  if (value->IsNumber() || value->IsBigInt()) return FormatNumber(scope_, value);
  if (value->IsBoolean()) return value->IsTrue() ? u"true" : u"false";
  if (value->IsUndefined()) return u"undefined";
  if (value->IsNull()) return u"null";
  if (value->IsSymbol()) {
    v8::Local<v8::Value> description = value.As<v8::Symbol>()->Description(isolate_);
    return u"Symbol(" + (description->IsUndefined() ? U16() : Str(description)) + u")";
  }
  return Str(value);
}

U16 Inspector::FormatValue(v8::Local<v8::Value> value, int recurse_times, bool in_typed_array) {
  if (!value->IsObject()) return FormatPrimitive(value);
  v8::Local<v8::Object> object = value.As<v8::Object>();
  // Proxies print as their target, without running traps.
  for (int guard = 0; object->IsProxy(); ++guard) {
    v8::Local<v8::Proxy> proxy = object.As<v8::Proxy>();
    v8::Local<v8::Value> target = proxy->GetTarget();
    if (proxy->IsRevoked() || !target->IsObject() || guard > 100) return u"<Revoked Proxy>";
    object = target.As<v8::Object>();
  }
  for (v8::Local<v8::Object> seen : seen_) {
    if (seen != object) continue;
    int index = 0;
    for (const auto& [o, i] : circular_) {
      if (o == object) index = i;
    }
    if (index == 0) {
      index = static_cast<int>(circular_.size()) + 1;
      circular_.emplace_back(object, index);
    }
    return u"[Circular *" + U16Of(std::to_string(index)) + u"]";
  }
  U16 out = FormatRaw(object, recurse_times, in_typed_array);
  produced_ += out.size();
  return out;
}

U16 GetPrefix(const std::optional<U16>& constructor, const U16& tag, const U16& fallback,
              const U16& size) {
  if (!constructor) {
    if (!tag.empty() && fallback != tag) {
      return u"[" + fallback + size + u": null prototype] [" + tag + u"] ";
    }
    return u"[" + fallback + size + u": null prototype] ";
  }
  if (!tag.empty() && *constructor != tag) return *constructor + size + u" [" + tag + u"] ";
  return *constructor + size + u" ";
}

U16 Inspector::FormatRaw(v8::Local<v8::Object> value, int recurse_times, bool in_typed_array) {
  std::optional<U16> constructor = ConstructorName(value);
  U16 tag;
  {
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
  }
  U16 base, open = u"{", close = u"}";
  Extras extras = Extras::kObject;
  Kind kind = Kind::kPlain;
  std::vector<v8::Local<v8::Value>> keys;
  uint32_t length = 0;
  if (value->IsArray()) {
    length = value.As<v8::Array>()->Length();
    U16 prefix =
        (constructor != std::optional<U16>(u"Array") || !tag.empty())
            ? GetPrefix(constructor, tag, u"Array", u"(" + U16Of(std::to_string(length)) + u")")
            : U16();
    keys = Keys(value, /*non_index_only=*/true);
    open = prefix + u"[";
    close = u"]";
    if (length == 0 && keys.empty()) return open + u"]";
    extras = Extras::kArray;
    kind = Kind::kArray;
  } else if (value->IsSet() || value->IsMap()) {
    bool is_set = value->IsSet();
    size_t size = is_set ? value.As<v8::Set>()->Size() : value.As<v8::Map>()->Size();
    U16 prefix = GetPrefix(constructor, tag, is_set ? u"Set" : u"Map",
                           u"(" + U16Of(std::to_string(size)) + u")");
    keys = Keys(value, false);
    if (size == 0 && keys.empty()) return prefix + u"{}";
    open = prefix + u"{";
    kind = is_set ? Kind::kSet : Kind::kMap;
  } else if (value->IsTypedArray()) {
    length = static_cast<uint32_t>(value.As<v8::TypedArray>()->Length());
    keys = Keys(value, true);
    U16 prefix = GetPrefix(constructor, tag, constructor ? U16() : TypedArrayName(value),
                           u"(" + U16Of(std::to_string(length)) + u")");
    open = prefix + u"[";
    close = u"]";
    if (length == 0 && keys.empty()) return open + u"]";
    extras = Extras::kArray;
    kind = Kind::kTypedArray;
  } else if (value->IsMapIterator() || value->IsSetIterator()) {
    keys = Keys(value, false);
    open = u"[" + tag + u"] {";
    kind = Kind::kIterator;
  } else {
    keys = Keys(value, false);
    if (value->IsArgumentsObject()) {
      v8::Local<v8::Value> n = GetData(value, "length");
      length = n->IsUint32() ? n.As<v8::Uint32>()->Value() : 0;
      keys = Keys(value, true);
      open = u"[Arguments] [";
      close = u"]";
      if (length == 0 && keys.empty()) return open + u"]";
      extras = Extras::kArray;
      kind = Kind::kArguments;
    } else if (constructor == std::optional<U16>(u"Object") && !value->IsNativeError() &&
               !value->IsFunction() && !value->IsPromise() && !value->IsWeakMap() &&
               !value->IsWeakSet()) {
      if (!tag.empty()) open = GetPrefix(constructor, tag, u"Object") + u"{";
      if (keys.empty()) return open + u"}";
    } else if (value->IsFunction()) {
      base = FunctionBase(value.As<v8::Function>(), constructor, tag);
      if (keys.empty()) return base;
    } else if (value->IsRegExp()) {
      v8::Local<v8::RegExp> regexp = value.As<v8::RegExp>();
      int flags = regexp->GetFlags();
      base = u"/" + Str(regexp->GetSource()) + u"/";
      static constexpr std::pair<int, char16_t> kFlags[] = {
          {v8::RegExp::kHasIndices, u'd'}, {v8::RegExp::kGlobal, u'g'},
          {v8::RegExp::kIgnoreCase, u'i'}, {v8::RegExp::kMultiline, u'm'},
          {v8::RegExp::kDotAll, u's'},     {v8::RegExp::kUnicode, u'u'},
          {v8::RegExp::kSticky, u'y'}};
      for (const auto& [bit, letter] : kFlags) {
        if (flags & bit) base.push_back(letter);
      }
      U16 prefix = GetPrefix(constructor, tag, u"RegExp");
      if (prefix != u"RegExp ") base = prefix + base;
      if (keys.empty() || recurse_times > options_.depth) return base;
    } else if (value->IsDate()) {
      base = IsoDate(value.As<v8::Date>()->ValueOf());
      U16 prefix = GetPrefix(constructor, tag, u"Date");
      if (prefix != u"Date ") base = prefix + base;
      if (keys.empty()) return base;
    } else if (value->IsNativeError()) {
      base = FormatError(value, constructor, tag, keys);
      if (keys.empty()) return base;
    } else if (value->IsArrayBuffer() || value->IsSharedArrayBuffer()) {
      U16 prefix = GetPrefix(constructor, tag,
                             value->IsArrayBuffer() ? u"ArrayBuffer" : u"SharedArrayBuffer");
      if (!in_typed_array) {
        kind = Kind::kArrayBuffer;
      } else if (keys.empty()) {
        size_t n = value->IsArrayBuffer() ? value.As<v8::ArrayBuffer>()->ByteLength()
                                          : value.As<v8::SharedArrayBuffer>()->ByteLength();
        return prefix + u"{ byteLength: " + U16Of(std::to_string(n)) + u" }";
      }
      open = prefix + u"{";
      keys.insert(keys.begin(), scope_.Str("byteLength"));
    } else if (value->IsDataView()) {
      open = GetPrefix(constructor, tag, u"DataView") + u"{";
      keys.insert(keys.begin(),
                  {scope_.Str("byteLength"), scope_.Str("byteOffset"), scope_.Str("buffer")});
    } else if (value->IsPromise()) {
      open = GetPrefix(constructor, tag, u"Promise") + u"{";
      kind = Kind::kPromise;
    } else if (value->IsWeakSet() || value->IsWeakMap()) {
      open = GetPrefix(constructor, tag, value->IsWeakSet() ? u"WeakSet" : u"WeakMap") + u"{";
      kind = Kind::kWeak;
    } else if (value->IsNumberObject() || value->IsStringObject() || value->IsBooleanObject() ||
               value->IsBigIntObject() || value->IsSymbolObject()) {
      base = BoxedBase(value, constructor, tag, keys);
      if (keys.empty()) return base;
    } else {
      WebObjectKeys(value, &keys, &kind);
      if (keys.empty() && kind == Kind::kPlain) {
        return GetPrefix(constructor, tag, u"Object") + u"{}";
      }
      open = GetPrefix(constructor, tag, u"Object") + u"{";
    }
  }
  if (recurse_times > options_.depth) {
    U16 name = GetPrefix(constructor, tag, u"Object");
    name.pop_back();
    return constructor ? u"[" + name + u"]" : name;
  }
  ++recurse_times;
  seen_.push_back(value);
  current_depth_ = recurse_times;
  std::vector<U16> output;
  bool numeric = false;
  switch (kind) {
    case Kind::kArray:
    case Kind::kArguments:
      output = FormatArrayLike(value, length, recurse_times);
      numeric = true;
      for (uint32_t i = 0; i < std::min<uint32_t>(length, static_cast<uint32_t>(output.size()));
           ++i) {
        v8::Local<v8::Value> item;
        if (!value->Get(context_, i).ToLocal(&item) || !(item->IsNumber() || item->IsBigInt())) {
          numeric = false;
          break;
        }
      }
      break;
    case Kind::kTypedArray:
      output = FormatTypedArray(value.As<v8::TypedArray>());
      numeric = true;
      break;
    case Kind::kSet:
      output = FormatEntries(value.As<v8::Set>()->AsArray(), false, U16(), recurse_times);
      break;
    case Kind::kMap:
      output = FormatEntries(value.As<v8::Map>()->AsArray(), true, u" => ", recurse_times);
      break;
    case Kind::kIterator: {
      bool is_key_value = false;
      v8::Local<v8::Array> entries;
      if (value->PreviewEntries(&is_key_value).ToLocal(&entries)) {
        if (is_key_value) {
          size_t at = open.find(u" Iterator] {");
          if (at != U16::npos) open.replace(at, 12, u" Entries] {");
          indentation_ += 2;
          for (uint32_t i = 0; i + 1 < entries->Length() && !Stop(); i += 2) {
            v8::Local<v8::Value> k, v;
            if (!entries->Get(context_, i).ToLocal(&k) ||
                !entries->Get(context_, i + 1).ToLocal(&v))
              break;
            std::vector<U16> pair = {FormatValue(k, recurse_times), FormatValue(v, recurse_times)};
            output.push_back(Reduce(pair, U16(), u"[", u"]", Extras::kArray, recurse_times, false));
          }
          indentation_ -= 2;
        } else {
          output = FormatEntries(entries, false, U16(), recurse_times);
        }
      }
      break;
    }
    case Kind::kArrayBuffer: {
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
      output.push_back(u"[Uint8Contents]: <" + U16Of(hex) + u">");
      break;
    }
    case Kind::kPromise: {
      v8::Local<v8::Promise> promise = value.As<v8::Promise>();
      if (promise->State() == v8::Promise::kPending) {
        output.push_back(u"<pending>");
      } else {
        indentation_ += 2;
        U16 result = FormatValue(promise->Result(), recurse_times);
        indentation_ -= 2;
        output.push_back(promise->State() == v8::Promise::kRejected ? u"<rejected> " + result
                                                                    : result);
      }
      break;
    }
    case Kind::kWeak:
      output.push_back(u"<items unknown>");
      break;
    case Kind::kSearchParams: {
      v8::Local<v8::Array> state;
      v8::Local<v8::Value> list;
      if (web::GetState(scope_, value, "jscore.URLSearchParams", &state, web::OnMismatch::kQuiet) &&
          state->Get(context_, 0).ToLocal(&list) && list->IsArray()) {
        output = FormatEntries(list.As<v8::Array>(), true, u" => ", recurse_times);
      }
      break;
    }
    case Kind::kPlain:
      break;
  }
  for (v8::Local<v8::Value> key : keys) {
    if (Stop()) break;
    output.push_back(FormatProperty(value, recurse_times, key, Extras::kObject));  // name: value
  }
  for (const auto& [o, index] : circular_) {
    if (o != value) continue;
    U16 reference = u"<ref *" + U16Of(std::to_string(index)) + u">";
    base = base.empty() ? reference : reference + u" " + base;
  }
  seen_.pop_back();
  return Reduce(std::move(output), base, open, close, extras, recurse_times, numeric);
}

U16 Inspector::FormatProperty(v8::Local<v8::Object> value, int recurse_times,
                              v8::Local<v8::Value> key, Extras extras) {
  v8::Local<v8::Value> descriptor;
  U16 str;
  bool enumerable = true;
  if (!key->IsName() ||
      !value->GetOwnPropertyDescriptor(context_, key.As<v8::Name>()).ToLocal(&descriptor) ||
      !descriptor->IsObject()) {
    v8::Local<v8::Value> item;
    if (!value->Get(context_, key).ToLocal(&item)) item = v8::Undefined(isolate_);
    indentation_ += 2;
    str = FormatValue(item, recurse_times);
    indentation_ -= 2;
  } else {
    v8::Local<v8::Object> desc = descriptor.As<v8::Object>();
    v8::Local<v8::Value> data = GetData(desc, "value"), getter = GetData(desc, "get"),
                         setter = GetData(desc, "set");
    enumerable = GetData(desc, "enumerable")->IsTrue();
    if (!data->IsUndefined()) {
      indentation_ += 2;
      str = FormatValue(data, recurse_times);
      indentation_ -= 2;
    } else if (!getter->IsUndefined()) {
      str = setter->IsUndefined() ? u"[Getter]" : u"[Getter/Setter]";
    } else if (!setter->IsUndefined()) {
      str = u"[Setter]";
    } else {
      str = u"undefined";
    }
  }
  if (extras == Extras::kArray) return str;
  U16 name;
  if (key->IsSymbol()) {
    name = u"[" + FormatPrimitive(key) + u"]";
  } else {
    U16 k = Str(key);
    if (k == u"__proto__") {
      name = u"['__proto__']";
    } else if (!enumerable) {
      name = u"[" + k + u"]";
    } else if (text::IsIdentifier(k)) {
      name = k;
    } else {
      name = StrEscape(k);
    }
  }
  return name + u": " + str;
}

U16 Inspector::Reduce(std::vector<U16> output, const U16& base, const U16& open, const U16& close,
                      Extras extras, int recurse_times, bool numeric) {
  size_t entries = output.size();
  if (extras == Extras::kArray && entries > 6) {
    bool has_more = !output.empty() && output.back().compare(0, 4, u"... ") == 0;
    output = GroupArrayElements(output, numeric, has_more);
  }
  if (current_depth_ - recurse_times < 3 && entries == output.size()) {
    // One line when it fits within the break length (Node's isBelowBreakLength).
    size_t start = output.size() + indentation_ + open.size() + base.size() + 10;
    size_t total = output.size() + start;
    bool fits = total + output.size() <= static_cast<size_t>(options_.break_length);
    for (size_t i = 0; fits && i < output.size(); ++i) {
      total += output[i].size();
      fits = total <= static_cast<size_t>(options_.break_length);
    }
    if (fits && !Contains(base, u"\n")) {
      U16 joined;
      for (size_t i = 0; i < output.size(); ++i) joined += (i ? u", " : u"") + output[i];
      if (!Contains(joined, u"\n")) {
        return (base.empty() ? U16() : base + u" ") + open + u" " + joined + u" " + close;
      }
    }
  }
  U16 indentation = u"\n" + Repeat(u' ', indentation_);
  U16 out = (base.empty() ? U16() : base + u" ") + open + indentation + u"  ";
  for (size_t i = 0; i < output.size(); ++i) {
    out += (i ? u"," + indentation + u"  " : U16()) + output[i];
  }
  return out + indentation + close;
}

std::vector<U16> Inspector::GroupArrayElements(const std::vector<U16>& output, bool numeric,
                                               bool has_more) {
  size_t total_length = 0, max_length = 0;
  size_t output_length = has_more ? output.size() - 1 : output.size();
  constexpr size_t kSeparatorSpace = 2;
  std::vector<size_t> data_len(output_length);
  for (size_t i = 0; i < output_length; ++i) {
    data_len[i] = output[i].size();
    total_length += data_len[i] + kSeparatorSpace;
    max_length = std::max(max_length, data_len[i]);
  }
  size_t actual_max = max_length + kSeparatorSpace;
  if (actual_max * 3 + indentation_ < static_cast<size_t>(options_.break_length) &&
      (static_cast<double>(total_length) / actual_max > 5 || max_length <= 6)) {
    double average_bias = std::sqrt(actual_max - static_cast<double>(total_length) / output.size());
    double biased_max = std::max(actual_max - 3 - average_bias, 1.0);
    size_t columns = std::min<size_t>(
        {static_cast<size_t>(std::round(std::sqrt(2.5 * biased_max * output_length) / biased_max)),
         static_cast<size_t>((options_.break_length - indentation_) / actual_max), 3 * 4, 15});
    if (columns <= 1) return output;
    std::vector<size_t> max_line_length;
    for (size_t i = 0; i < columns; ++i) {
      size_t line_length = 0;
      for (size_t j = i; j < output_length; j += columns) {
        line_length = std::max(line_length, data_len[j]);
      }
      max_line_length.push_back(line_length + kSeparatorSpace);
    }
    std::vector<U16> grouped;
    for (size_t i = 0; i < output_length; i += columns) {
      size_t max = std::min(i + columns, output_length);
      U16 line;
      size_t j = i;
      for (; j < max - 1; ++j) {
        U16 cell = output[j] + u", ";
        U16 pad = Repeat(
            u' ', max_line_length[j - i] > cell.size() ? max_line_length[j - i] - cell.size() : 0);
        line += numeric ? pad + cell : cell + pad;
      }
      if (numeric) {
        size_t width = max_line_length[j - i] - kSeparatorSpace;
        line += Repeat(u' ', width > output[j].size() ? width - output[j].size() : 0) + output[j];
      } else {
        line += output[j];
      }
      grouped.push_back(std::move(line));
    }
    if (has_more) grouped.push_back(output.back());
    return grouped;
  }
  return output;
}

}  // namespace detail

std::string Inspect(internal::JsScope& scope, v8::Local<v8::Value> value,
                    const InspectOptions& options) {
  v8::TryCatch try_catch(scope.isolate());
  detail::Inspector inspector(scope, options);
  text::U16 out = inspector.FormatValue(value, 0);
  if (try_catch.HasTerminated()) try_catch.ReThrow();
  return text::Utf8Of(out);
}

}  // namespace jscore::engine::extensions::console
