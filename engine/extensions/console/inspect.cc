// A port of Node.js's util.inspect (lib/internal/util/inspect.js) with its
// default options, working in UTF-16 so that widths match Node's: primitives,
// the object walk (formatValue / formatRaw / formatProperty) and the layout
// (reduceToSingleString / groupArrayElements).
#include "engine/extensions/console/inspect.h"

#include <algorithm>
#include <cmath>
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
  RawShape shape;
  shape.constructor = ConstructorName(value);
  shape.tag = ToStringTag(value);
  if (std::optional<U16> whole = ShapeOf(value, recurse_times, in_typed_array, shape)) {
    return *whole;
  }
  if (recurse_times > options_.depth) {
    U16 name = GetPrefix(shape.constructor, shape.tag, u"Object");
    name.pop_back();
    return shape.constructor ? u"[" + name + u"]" : name;
  }
  ++recurse_times;
  seen_.push_back(value);
  current_depth_ = recurse_times;
  bool numeric = false;
  std::vector<U16> output = FormatKindEntries(value, recurse_times, shape, &numeric);
  for (v8::Local<v8::Value> key : shape.keys) {
    if (Stop()) break;
    output.push_back(FormatProperty(value, recurse_times, key, Extras::kObject));  // name: value
  }
  for (const auto& [o, index] : circular_) {
    if (o != value) continue;
    U16 reference = u"<ref *" + U16Of(std::to_string(index)) + u">";
    shape.base = shape.base.empty() ? reference : reference + u" " + shape.base;
  }
  seen_.pop_back();
  return Reduce(std::move(output), shape.base, shape.open, shape.close, shape.extras, recurse_times,
                numeric);
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
