// Inspect for particular kinds of values: arrays (with holes), typed arrays,
// Map/Set entries, errors, functions and classes, boxed primitives, jscore's Web
// API objects, and constructor names and keys (never calling getters).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "engine/extensions/console/inspect_inspector.h"
#include "engine/extensions/web/web_support.h"

namespace jscore::engine::extensions::console::detail {

U16 TypedArrayName(v8::Local<v8::Value> v) {
  if (v->IsUint8Array()) return u"Uint8Array";
  if (v->IsUint8ClampedArray()) return u"Uint8ClampedArray";
  if (v->IsInt8Array()) return u"Int8Array";
  if (v->IsUint16Array()) return u"Uint16Array";
  if (v->IsInt16Array()) return u"Int16Array";
  if (v->IsUint32Array()) return u"Uint32Array";
  if (v->IsInt32Array()) return u"Int32Array";
  if (v->IsFloat32Array()) return u"Float32Array";
  if (v->IsFloat64Array()) return u"Float64Array";
  if (v->IsBigInt64Array()) return u"BigInt64Array";
  return u"BigUint64Array";
}

U16 IsoDate(double ms) {
  if (std::isnan(ms)) return u"Invalid Date";
  int64_t t = static_cast<int64_t>(ms);
  int64_t days = t / 86400000, rem = t % 86400000;
  if (rem < 0) {
    rem += 86400000;
    --days;
  }
  // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100),
          mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buffer[48];
  const char* year_format = (y >= 0 && y <= 9999) ? "%04lld" : (y < 0 ? "-%06lld" : "+%06lld");
  int n =
      std::snprintf(buffer, sizeof(buffer), year_format, static_cast<long long>(y < 0 ? -y : y));
  std::snprintf(buffer + n, sizeof(buffer) - n, "-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ",
                static_cast<long long>(m), static_cast<long long>(d),
                static_cast<long long>(rem / 3600000), static_cast<long long>(rem / 60000 % 60),
                static_cast<long long>(rem / 1000 % 60), static_cast<long long>(rem % 1000));
  return U16Of(buffer);
}

std::vector<U16> Inspector::FormatArrayLike(v8::Local<v8::Object> value, uint32_t length,
                                            int recurse_times) {
  std::vector<U16> output;
  uint32_t max = std::min<uint32_t>(length, options_.max_array_length);
  auto more = [&](uint32_t remaining) {
    output.push_back(
        U16Of("... " + std::to_string(remaining) + " more item" + (remaining > 1 ? "s" : "")));
  };
  auto empty = [&](uint32_t count) {
    output.push_back(
        U16Of("<" + std::to_string(count) + " empty item" + (count > 1 ? "s" : "") + ">"));
  };
  uint32_t i = 0;
  for (; i < max && !Stop(); ++i) {
    if (!value->HasRealIndexedProperty(context_, i).FromMaybe(false)) break;
    output.push_back(FormatProperty(value, recurse_times, v8::Integer::NewFromUnsigned(isolate_, i),
                                    Extras::kArray));
  }
  if (i == max) {
    if (length > max) more(length - max);
    return output;
  }
  // A hole: walk the index keys that exist (never the holes one by one).
  v8::Local<v8::Array> indices;
  if (!value
           ->GetPropertyNames(context_, v8::KeyCollectionMode::kOwnOnly, v8::ONLY_ENUMERABLE,
                              v8::IndexFilter::kIncludeIndices, v8::KeyConversionMode::kKeepNumbers)
           .ToLocal(&indices)) {
    return output;
  }
  uint32_t index = i;
  for (uint32_t k = 0; k < indices->Length() && output.size() < max && !Stop(); ++k) {
    v8::Local<v8::Value> key;
    if (!indices->Get(context_, k).ToLocal(&key) || !key->IsUint32()) break;
    uint32_t at = key.As<v8::Uint32>()->Value();
    if (at < index) continue;
    if (at >= length) break;
    if (at != index) {
      empty(at - index);
      index = at;
      if (output.size() == max) break;
    }
    output.push_back(FormatProperty(value, recurse_times, key, Extras::kArray));
    ++index;
  }
  uint32_t remaining = length - index;
  if (output.size() != max) {
    if (remaining > 0) empty(remaining);
  } else if (remaining > 0) {
    more(remaining);
  }
  return output;
}

std::vector<U16> Inspector::FormatTypedArray(v8::Local<v8::TypedArray> value) {
  std::vector<U16> output;
  size_t length = value->Length();
  size_t max = std::min<size_t>(length, options_.max_array_length);
  for (size_t i = 0; i < max; ++i) {
    v8::Local<v8::Value> item;
    if (!value->Get(context_, static_cast<uint32_t>(i)).ToLocal(&item)) break;
    output.push_back(FormatNumber(scope_, item));
  }
  if (length > max) {
    output.push_back(U16Of("... " + std::to_string(length - max) + " more item" +
                           (length - max > 1 ? "s" : "")));
  }
  return output;
}

std::vector<U16> Inspector::FormatEntries(v8::Local<v8::Array> flat, bool pairs, U16 separator,
                                          int recurse_times) {
  std::vector<U16> output;
  uint32_t step = pairs ? 2 : 1;
  uint32_t count = flat->Length() / step;
  uint32_t max = std::min<uint32_t>(count, options_.max_array_length);
  indentation_ += 2;
  for (uint32_t i = 0; i < max && !Stop(); ++i) {
    v8::Local<v8::Value> k, v;
    if (!flat->Get(context_, i * step).ToLocal(&k)) break;
    U16 entry = FormatValue(k, recurse_times);
    if (pairs) {
      if (!flat->Get(context_, i * step + 1).ToLocal(&v)) break;
      entry += separator + FormatValue(v, recurse_times);
    }
    output.push_back(std::move(entry));
  }
  indentation_ -= 2;
  if (count > max) {
    output.push_back(
        U16Of("... " + std::to_string(count - max) + " more item" + (count - max > 1 ? "s" : "")));
  }
  return output;
}

U16 Inspector::FormatError(v8::Local<v8::Object> error, const std::optional<U16>& constructor,
                           const U16& tag, std::vector<v8::Local<v8::Value>>& keys) {
  v8::Local<v8::Value> name_value = GetData(error, "name"),
                       message_value = GetData(error, "message");
  v8::Local<v8::Value> stack_value = GetData(error, "stack");
  U16 name = name_value->IsNullOrUndefined() ? U16(u"Error") : Str(name_value);
  U16 message = message_value->IsNullOrUndefined() ? U16() : Str(message_value);
  U16 stack;
  if (stack_value->BooleanValue(isolate_)) {
    stack = Str(stack_value);
  } else {
    stack = message.empty() ? name : (name.empty() ? message : name + u": " + message);
  }
  // Own enumerable name/message/stack already shown by the stack are dropped.
  keys.erase(std::remove_if(keys.begin(), keys.end(),
                            [&](v8::Local<v8::Value> key) {
                              if (!key->IsString()) return false;
                              U16 k = Str(key);
                              if (k != u"name" && k != u"message" && k != u"stack") return false;
                              return Contains(
                                  stack,
                                  Str(GetData(error, scope_.Utf8(key.As<v8::String>()).c_str())));
                            }),
             keys.end());
  if (error->Has(context_, scope_.Str("cause")).FromMaybe(false)) {
    bool listed = false;
    for (v8::Local<v8::Value> key : keys) {
      listed = listed || (key->IsString() && Str(key) == u"cause");
    }
    if (!listed) keys.push_back(scope_.Str("cause"));
  }
  // improveStack: say the class when the stack only says the name.
  size_t len = name.size();
  if (!constructor || (name.size() >= 5 && name.compare(name.size() - 5, 5, u"Error") == 0 &&
                       stack.compare(0, len, name) == 0 &&
                       (stack.size() == len || stack[len] == u':' || stack[len] == u'\n'))) {
    U16 fallback = u"Error";
    if (!constructor) {
      size_t colon = stack.find_first_of(u":\n");
      fallback = stack.substr(0, colon == U16::npos ? stack.size() : colon);
      len = fallback.size();
      if (fallback.empty()) fallback = u"Error";
    }
    U16 prefix = GetPrefix(constructor, tag, fallback);
    prefix.pop_back();
    if (name != prefix) {
      stack = Contains(prefix, name)
                  ? (len == 0 ? prefix + u": " + stack : prefix + stack.substr(len))
                  : prefix + u" [" + name + u"]" + stack.substr(len);
    }
  }
  size_t pos = U16::npos;
  if (!message.empty()) {
    pos = stack.find(message);
    if (pos == 0) pos = U16::npos;  // as Node's `(i && stack.indexOf(m)) || -1`
    if (pos != U16::npos) pos += message.size();
  }
  if (stack.find(u"\n    at", pos == U16::npos ? 0 : pos) == U16::npos) stack = u"[" + stack + u"]";
  if (indentation_ != 0) {
    U16 indented;
    for (char16_t c : stack) {
      indented.push_back(c);
      if (c == u'\n') indented += Repeat(u' ', indentation_);
    }
    stack = indented;
  }
  return stack;
}

U16 Inspector::FunctionBase(v8::Local<v8::Function> fn, const std::optional<U16>& constructor,
                            const U16& tag) {
  v8::Local<v8::String> source;
  U16 text;
  if (fn->FunctionProtoToString(context_).ToLocal(&source)) text = web::Utf16(scope_, source);
  auto own_name = [&](v8::Local<v8::Object> object) -> U16 {
    v8::Local<v8::Value> descriptor;
    if (object->GetOwnPropertyDescriptor(context_, scope_.Str("name")).ToLocal(&descriptor) &&
        descriptor->IsObject()) {
      v8::Local<v8::Value> name = GetData(descriptor.As<v8::Object>(), "value");
      if (name->IsString()) return Str(name);
    }
    return U16();
  };
  if (text.compare(0, 5, u"class") == 0 && !text.empty() && text.back() == u'}') {
    U16 slice = text.substr(5, text.size() - 6);
    size_t bracket = slice.find(u'{');
    if (bracket != U16::npos && slice.substr(0, bracket).find(u'(') == U16::npos) {
      U16 name = own_name(fn);
      U16 base = u"class " + (name.empty() ? U16(u"(anonymous)") : name);
      if (constructor && *constructor != u"Function") base += u" [" + *constructor + u"]";
      if (!tag.empty() && constructor != std::optional<U16>(tag)) base += u" [" + tag + u"]";
      if (constructor) {
        v8::Local<v8::Value> parent = fn->GetPrototype();
        if (parent->IsObject()) {
          U16 super_name = own_name(parent.As<v8::Object>());
          if (!super_name.empty()) base += u" extends " + super_name;
        }
      } else {
        base += u" extends [null prototype]";
      }
      return u"[" + base + u"]";
    }
  }
  U16 type = u"Function";
  if (fn->IsGeneratorFunction()) type = u"Generator" + type;
  if (fn->IsAsyncFunction()) type = u"Async" + type;
  U16 base = u"[" + type;
  if (!constructor) base += u" (null prototype)";
  U16 name = own_name(fn);
  base += name.empty() ? U16(u" (anonymous)") : u": " + name;
  base += u"]";
  if (constructor && *constructor != type && *constructor != u"Function") {
    base += u" " + *constructor;
  }
  if (!tag.empty() && constructor != std::optional<U16>(tag)) base += u" [" + tag + u"]";
  return base;
}

U16 Inspector::BoxedBase(v8::Local<v8::Object> value, const std::optional<U16>& constructor,
                         const U16& tag, std::vector<v8::Local<v8::Value>>& keys) {
  U16 type;
  v8::Local<v8::Value> primitive;
  if (value->IsNumberObject()) {
    type = u"Number";
    primitive = v8::Number::New(isolate_, value.As<v8::NumberObject>()->ValueOf());
  } else if (value->IsStringObject()) {
    type = u"String";
    primitive = value.As<v8::StringObject>()->ValueOf();
    size_t n = std::min<size_t>(keys.size(), primitive.As<v8::String>()->Length());
    keys.erase(keys.begin(), keys.begin() + n);  // the index keys of the characters
  } else if (value->IsBooleanObject()) {
    type = u"Boolean";
    primitive = v8::Boolean::New(isolate_, value.As<v8::BooleanObject>()->ValueOf());
  } else if (value->IsBigIntObject()) {
    type = u"BigInt";
    primitive = value.As<v8::BigIntObject>()->ValueOf();
  } else {
    type = u"Symbol";
    primitive = value.As<v8::SymbolObject>()->ValueOf();
  }
  U16 base = u"[" + type;
  if (constructor != std::optional<U16>(type)) {
    base += constructor ? u" (" + *constructor + u")" : u" (null prototype)";
  }
  int saved = indentation_;
  indentation_ = -1000;  // never split a boxed string over lines
  base += u": " + FormatPrimitive(primitive) + u"]";
  indentation_ = saved;
  if (!tag.empty() && constructor != std::optional<U16>(tag)) base += u" [" + tag + u"]";
  return base;
}

// jscore's Web API objects keep their state out of sight; show what Node shows.
void Inspector::WebObjectKeys(v8::Local<v8::Object> value, std::vector<v8::Local<v8::Value>>* keys,
                              Kind* kind) {
  struct Shown {
    const char* brand;
    std::vector<const char*> getters;
  };
  static const Shown kShown[] = {
      {"jscore.URL",
       {"href", "origin", "protocol", "username", "password", "host", "hostname", "port",
        "pathname", "search", "searchParams", "hash"}},
      {"jscore.AbortSignal", {"aborted"}},
      {"jscore.Event", {"type", "defaultPrevented", "cancelable", "timeStamp"}},
      {"jscore.TextEncoder", {"encoding"}},
      {"jscore.TextDecoder", {"encoding", "fatal", "ignoreBOM"}},
      {"jscore.Performance", {"timeOrigin"}},
  };
  v8::Local<v8::Array> state;
  if (web::GetState(scope_, value, "jscore.URLSearchParams", &state, web::OnMismatch::kQuiet)) {
    v8::Local<v8::Value> list;
    if (state->Get(context_, 0).ToLocal(&list) && list->IsArray() &&
        list.As<v8::Array>()->Length() > 0) {
      *kind = Kind::kSearchParams;
    }
    return;
  }
  for (const Shown& shown : kShown) {
    if (!web::GetState(scope_, value, shown.brand, &state, web::OnMismatch::kQuiet)) continue;
    std::vector<v8::Local<v8::Value>> names;
    for (const char* getter : shown.getters) names.push_back(scope_.Str(getter));
    keys->insert(keys->begin(), names.begin(), names.end());
    return;
  }
}

std::optional<U16> Inspector::ConstructorName(v8::Local<v8::Object> value) {
  v8::Local<v8::Object> current = value;
  for (int guard = 0; guard < 1000 && !current->IsProxy(); ++guard) {
    v8::Local<v8::Value> descriptor;
    if (current->GetOwnPropertyDescriptor(context_, scope_.Str("constructor"))
            .ToLocal(&descriptor) &&
        descriptor->IsObject()) {
      v8::Local<v8::Value> ctor = GetData(descriptor.As<v8::Object>(), "value");
      if (ctor->IsFunction()) {
        v8::Local<v8::Value> name_descriptor;
        U16 name;
        if (ctor.As<v8::Object>()
                ->GetOwnPropertyDescriptor(context_, scope_.Str("name"))
                .ToLocal(&name_descriptor) &&
            name_descriptor->IsObject()) {
          v8::Local<v8::Value> n = GetData(name_descriptor.As<v8::Object>(), "value");
          if (n->IsString()) name = Str(n);
        }
        if (!name.empty() && InstanceOf(value, ctor.As<v8::Function>())) return name;
      }
    }
    v8::Local<v8::Value> proto = current->GetPrototype();
    if (!proto->IsObject()) return std::nullopt;
    current = proto.As<v8::Object>();
  }
  return U16(u"Object");
}

bool Inspector::InstanceOf(v8::Local<v8::Object> value, v8::Local<v8::Function> ctor) {
  v8::Local<v8::Value> descriptor;
  if (!ctor->GetOwnPropertyDescriptor(context_, scope_.Str("prototype")).ToLocal(&descriptor) ||
      !descriptor->IsObject()) {
    return false;
  }
  v8::Local<v8::Value> prototype = GetData(descriptor.As<v8::Object>(), "value");
  v8::Local<v8::Value> p = value->GetPrototype();
  for (int guard = 0; guard < 1000 && p->IsObject(); ++guard) {
    if (p->StrictEquals(prototype)) return true;
    if (p.As<v8::Object>()->IsProxy()) return false;
    p = p.As<v8::Object>()->GetPrototype();
  }
  return false;
}

std::vector<v8::Local<v8::Value>> Inspector::Keys(v8::Local<v8::Object> value,
                                                  bool non_index_only) {
  std::vector<v8::Local<v8::Value>> keys;
  auto collect = [&](v8::PropertyFilter filter, v8::IndexFilter index) {
    v8::Local<v8::Array> names;
    if (!value
             ->GetPropertyNames(context_, v8::KeyCollectionMode::kOwnOnly, filter, index,
                                v8::KeyConversionMode::kConvertToString)
             .ToLocal(&names)) {
      return;
    }
    for (uint32_t i = 0; i < names->Length(); ++i) {
      v8::Local<v8::Value> key;
      if (names->Get(context_, i).ToLocal(&key)) keys.push_back(key);
    }
  };
  v8::IndexFilter index =
      non_index_only ? v8::IndexFilter::kSkipIndices : v8::IndexFilter::kIncludeIndices;
  collect(static_cast<v8::PropertyFilter>(v8::ONLY_ENUMERABLE | v8::SKIP_SYMBOLS), index);
  collect(static_cast<v8::PropertyFilter>(v8::ONLY_ENUMERABLE | v8::SKIP_STRINGS), index);
  return keys;
}

}  // namespace jscore::engine::extensions::console::detail
