// util.format, as console.log uses it: printf-like placeholders in a first
// string argument, then the other arguments inspected.
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>

#include "engine/extensions/console/inspect.h"
#include "engine/extensions/console/inspect_inspector.h"
#include "engine/extensions/web/web_support.h"

namespace jscore::engine::extensions::console {
namespace {

using detail::FormatNumber;
using detail::U16;
using internal::JsScope;

// parseInt(text) and parseFloat(text), for util.format's %i and %f.
double ParseIntLike(const std::string& text) {
  size_t i = text.find_first_not_of(" \t\n\r\f\v");
  if (i == std::string::npos) return std::nan("");
  double sign = 1;
  if (text[i] == '+' || text[i] == '-') sign = text[i++] == '-' ? -1 : 1;
  int radix = 10;
  if (text.compare(i, 2, "0x") == 0 || text.compare(i, 2, "0X") == 0) {
    radix = 16;
    i += 2;
  }
  double value = 0;
  bool any = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    int digit = c >= '0' && c <= '9'                     ? c - '0'
                : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10
                                                         : 99;
    if (digit >= radix) break;
    value = value * radix + digit;
    any = true;
  }
  return any ? sign * value : std::nan("");
}

double ParseFloatLike(const std::string& text) {
  size_t i = text.find_first_not_of(" \t\n\r\f\v");
  if (i == std::string::npos) return std::nan("");
  size_t start = i;
  if (text[i] == '+' || text[i] == '-') ++i;
  if (text.compare(i, 8, "Infinity") == 0) return text[start] == '-' ? -INFINITY : INFINITY;
  size_t digits_start = i;
  while (i < text.size() && isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && isdigit(static_cast<unsigned char>(text[i]))) ++i;
  }
  if (i == digits_start || (i == digits_start + 1 && text[digits_start] == '.')) {
    return std::nan("");
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    size_t e = i + 1;
    if (e < text.size() && (text[e] == '+' || text[e] == '-')) ++e;
    if (e < text.size() && isdigit(static_cast<unsigned char>(text[e]))) {
      i = e;
      while (i < text.size() && isdigit(static_cast<unsigned char>(text[i]))) ++i;
    }
  }
  return std::strtod(text.substr(start, i - start).c_str(), nullptr);
}

// util.format's %s for objects: inspected unless it has a toString of its own.
bool HasBuiltInToString(JsScope& scope, v8::Local<v8::Object> object) {
  v8::Local<v8::Context> context = scope.context();
  if (object->IsProxy()) return true;
  v8::Local<v8::Value> fn;
  if (!object->Get(context, scope.Str("toString")).ToLocal(&fn) || !fn->IsFunction()) return true;
  v8::Local<v8::String> source;
  if (!fn.As<v8::Function>()->FunctionProtoToString(context).ToLocal(&source)) return true;
  return scope.Utf8(source).find("[native code]") != std::string::npos;
}

// %s: numbers as Node prints them, objects without a toString of their own
// inspected one level deep, everything else as String(arg).
U16 StringPiece(JsScope& scope, v8::Local<v8::Value> arg) {
  if (arg->IsNumber() || arg->IsBigInt()) return FormatNumber(scope, arg);
  if (!arg->IsObject() || !HasBuiltInToString(scope, arg.As<v8::Object>())) {
    if (arg->IsSymbol()) return text::U16Of(Inspect(scope, arg));
    v8::Local<v8::String> s;
    if (arg->ToString(scope.context()).ToLocal(&s)) return web::Utf16(scope, s);
    return U16();
  }
  InspectOptions shallow;
  shallow.depth = 0;
  return text::U16Of(Inspect(scope, arg, shallow));
}

// %j: JSON.stringify, [Circular] when it throws; nullopt when it was terminated
// (the termination is re-thrown).
std::optional<U16> JsonPiece(JsScope& scope, v8::Local<v8::Value> arg) {
  v8::TryCatch try_catch(scope.isolate());
  v8::Local<v8::String> json;
  if (v8::JSON::Stringify(scope.context(), arg).ToLocal(&json)) return web::Utf16(scope, json);
  if (try_catch.HasTerminated()) {
    try_catch.ReThrow();
    return std::nullopt;
  }
  return U16(u"[Circular]");
}

// %d (Number), %i (parseInt) and %f (parseFloat).
U16 NumberPiece(JsScope& scope, v8::Local<v8::Value> arg, char16_t conversion) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Context> context = scope.context();
  if (arg->IsBigInt() && conversion != u'f') return FormatNumber(scope, arg);
  if (arg->IsSymbol()) return u"NaN";
  if (conversion == u'd') {
    v8::Local<v8::Number> n;
    double d = arg->ToNumber(context).ToLocal(&n) ? n->Value() : std::nan("");
    return FormatNumber(scope, v8::Number::New(isolate, d));
  }
  v8::Local<v8::String> s;
  std::string text = arg->ToString(context).ToLocal(&s) ? scope.Utf8(s) : std::string();
  double d = conversion == u'i' ? ParseIntLike(text) : ParseFloatLike(text);
  return FormatNumber(scope, v8::Number::New(isolate, d));
}

// One placeholder letter after '%', consuming the argument info[++*a]; nullopt
// for a letter that is no placeholder. *terminated when %j was terminated.
std::optional<U16> Placeholder(JsScope& scope, const v8::FunctionCallbackInfo<v8::Value>& info,
                               char16_t next, int* a, bool* terminated) {
  switch (next) {
    case u's':
      return StringPiece(scope, info[++*a]);
    case u'j': {
      std::optional<U16> piece = JsonPiece(scope, info[++*a]);
      *terminated = !piece;
      return piece;
    }
    case u'd':
    case u'i':
    case u'f':
      return NumberPiece(scope, info[++*a], next);
    case u'o':
    case u'O': {
      InspectOptions options;
      if (next == u'o') options.depth = 4;
      return text::U16Of(Inspect(scope, info[++*a], options));
    }
    case u'c':
      ++*a;
      return U16();
    default:
      return std::nullopt;
  }
}

// The first (string) argument info[*a] with its placeholders replaced by the
// arguments they consume; *a and *join move past them. nullopt when stopped.
std::optional<U16> FormatPlaceholders(JsScope& scope,
                                      const v8::FunctionCallbackInfo<v8::Value>& info, int* a,
                                      const char** join) {
  U16 format = web::Utf16(scope, info[*a].As<v8::String>());
  U16 str;
  size_t last = 0;
  for (size_t i = 0; i + 1 < format.size(); ++i) {
    if (format[i] != u'%') continue;
    char16_t next = format[++i];
    if (*a + 1 != info.Length()) {
      std::optional<U16> piece;
      bool terminated = false;
      if (next == u'%') {
        str += format.substr(last, i - last);
        last = i + 1;
      } else {
        piece = Placeholder(scope, info, next, a, &terminated);
      }
      if (terminated || internal::StopRequested(scope.isolate())) return std::nullopt;
      if (!piece) continue;
      if (last != i - 1) str += format.substr(last, i - 1 - last);
      str += *piece;
      last = i + 1;
    } else if (next == u'%') {
      str += format.substr(last, i - last);
      last = i + 1;
    }
  }
  if (last != 0) {
    ++*a;
    *join = " ";
    if (last < format.size()) str += format.substr(last);
  }
  return str;
}

}  // namespace

std::string FormatLogArguments(JsScope& scope, const v8::FunctionCallbackInfo<v8::Value>& info,
                               int first) {
  std::string out;
  int a = first;
  const char* join = "";
  if (a < info.Length() && info[a]->IsString()) {
    if (a + 1 == info.Length()) return scope.Utf8(info[a].As<v8::String>());
    std::optional<U16> formatted = FormatPlaceholders(scope, info, &a, &join);
    if (!formatted) return out;
    out = text::Utf8Of(*formatted);
  }
  for (; a < info.Length(); ++a) {
    out += join;
    out += info[a]->IsString() ? scope.Utf8(info[a].As<v8::String>()) : Inspect(scope, info[a]);
    join = " ";
    if (internal::StopRequested(scope.isolate())) break;
  }
  return out;
}

}  // namespace jscore::engine::extensions::console
