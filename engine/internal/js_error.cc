#include "engine/internal/js_error.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace jscore::engine::internal {
namespace {

// The string form of object[key], or "" when absent, not a string-like value, or throwing.
std::string StringProperty(JsScope& scope, v8::Local<v8::Object> object, const char* key) {
  v8::TryCatch try_catch(scope.isolate());
  v8::Local<v8::Value> value;
  if (!object->Get(scope.context(), scope.Str(key)).ToLocal(&value)) {
    if (try_catch.HasTerminated()) try_catch.ReThrow();
    return {};
  }
  if (value->IsUndefined() || value->IsNull() || value->IsSymbol()) return {};
  std::string out = scope.ToUtf8(value);
  if (try_catch.HasTerminated()) try_catch.ReThrow();
  return out;
}

}  // namespace

JsError ExceptionToJsError(JsScope& scope, v8::Local<v8::Value> exception,
                           v8::Local<v8::Message> message) {
  JsError error;
  v8::Local<v8::Context> context = scope.context();
  if (exception->IsObject()) {
    v8::Local<v8::Object> object = exception.As<v8::Object>();
    error.name = StringProperty(scope, object, "name");
    error.message = StringProperty(scope, object, "message");
    error.stack = StringProperty(scope, object, "stack");
  } else {
    v8::TryCatch try_catch(scope.isolate());
    error.message = scope.ToUtf8(exception);
    if (try_catch.HasTerminated()) try_catch.ReThrow();
  }
  if (!message.IsEmpty()) {
    error.line = message->GetLineNumber(context).FromMaybe(0);
    error.column = message->GetStartColumn(context).FromMaybe(-1) + 1;
    v8::Local<v8::String> source_line;
    if (message->GetSourceLine(context).ToLocal(&source_line)) {
      error.source_line = scope.Utf8(source_line);
      if (error.source_line.size() > 1024) {
        // Cut at a character boundary: half a UTF-8 sequence is not a valid proto3
        // string, and clients that check (Go, Python) would reject the whole response.
        size_t cut = 1024;
        while (cut > 0 && (static_cast<unsigned char>(error.source_line[cut]) & 0xC0) == 0x80)
          --cut;
        error.source_line.resize(cut);
      }
    }
    if (error.stack.empty()) {
      std::string resource;
      v8::Local<v8::Value> name = message->GetScriptResourceName();
      if (name->IsString()) resource = scope.Utf8(name.As<v8::String>());
      error.stack = absl::StrCat(error.name.empty() ? "Uncaught" : error.name, ": ", error.message);
      // Thrown from no script at all (the engine's own TypeErrors): no location to name.
      if (error.line > 0 || !resource.empty()) {
        absl::StrAppend(&error.stack, "\n    at ", resource, ":", error.line, ":", error.column);
      }
    }
  }
  return error;
}

}  // namespace jscore::engine::internal
