// JsScope: the one stack-only way into JavaScript (handle scope + entered context).
#ifndef JSCORE_ENGINE_INTERNAL_JS_SCOPE_H_
#define JSCORE_ENGINE_INTERNAL_JS_SCOPE_H_

#include <string>
#include <string_view>

#include "engine/internal/stop_flag.h"
#include "v8.h"

namespace jscore::engine::internal {

// Made on the worker thread, with the worker's isolate already entered. Every engine
// function that touches JS takes it as its first parameter. Never stored, never
// allocated on the heap.
class JsScope {
 public:
  JsScope(v8::Isolate* isolate, const v8::Global<v8::Context>& context)
      : isolate_(isolate),
        handles_(isolate),
        context_(context.Get(isolate)),
        context_scope_(context_) {}
  JsScope(v8::Isolate* isolate, v8::Local<v8::Context> context)
      : isolate_(isolate), handles_(isolate), context_(context), context_scope_(context_) {}
  // A native function's scope ends here: if its section is being stopped, V8 acts
  // on the termination before the function returns (internal/stop_flag.h).
  ~JsScope() { ActOnStopRequest(isolate_, context_); }
  JsScope(const JsScope&) = delete;
  JsScope& operator=(const JsScope&) = delete;
  static void* operator new(size_t) = delete;

  v8::Isolate* isolate() const { return isolate_; }
  v8::Local<v8::Context> context() const { return context_; }

  // An internalized string; never fails for valid UTF-8 of sane length.
  v8::Local<v8::String> Str(std::string_view s) const {
    v8::Local<v8::String> out;
    if (!v8::String::NewFromUtf8(isolate_, s.data(), v8::NewStringType::kNormal,
                                 static_cast<int>(s.size()))
             .ToLocal(&out)) {
      return v8::String::Empty(isolate_);
    }
    return out;
  }

  // UTF-8 of any value's string form; lone surrogates become U+FFFD. Empty when the
  // conversion throws (the caller's TryCatch sees it).
  std::string ToUtf8(v8::Local<v8::Value> value) const {
    v8::Local<v8::String> s;
    if (!value->ToString(context_).ToLocal(&s)) return {};
    return Utf8(s);
  }
  std::string Utf8(v8::Local<v8::String> s) const {
    std::string out;
    out.resize(s->Utf8Length(isolate_));
    s->WriteUtf8(isolate_, out.data(), static_cast<int>(out.size()), nullptr,
                 v8::String::NO_NULL_TERMINATION | v8::String::REPLACE_INVALID_UTF8);
    return out;
  }

 private:
  v8::Isolate* isolate_;
  v8::HandleScope handles_;
  v8::Local<v8::Context> context_;
  v8::Context::Scope context_scope_;
};

}  // namespace jscore::engine::internal

#endif  // JSCORE_ENGINE_INTERNAL_JS_SCOPE_H_
