#include "engine/extensions/hooks/probe.h"

#include <string>

#include "engine/internal/context_state.h"

namespace jscore::engine::extensions::hooks {
namespace {

using internal::ContextState;

std::string Key(v8::Isolate* isolate, v8::Local<v8::Name> name, v8::Local<v8::Value> prefix) {
  std::string key;
  if (prefix->IsString()) {
    v8::String::Utf8Value p(isolate, prefix);
    key.append(*p, p.length());
    key.push_back('.');
  }
  v8::String::Utf8Value n(isolate, name);
  key.append(*n, n.length());
  return key;
}

ContextState* Recording(v8::Isolate* isolate, v8::Local<v8::Name> name) {
  if (!name->IsString()) return nullptr;
  ContextState* state = ContextState::From(isolate->GetCurrentContext());
  return state != nullptr && state->probe_recording ? state : nullptr;
}

// `x`, `typeof x`, `window.x`: a read of a missing name. None of these callbacks sets
// a result, so V8 carries on as if there were no interceptor.
void ProbeGet(v8::Local<v8::Name> name, const v8::PropertyCallbackInfo<v8::Value>& info) {
  if (ContextState* state = Recording(info.GetIsolate(), name)) {
    state->RecordProbe(Key(info.GetIsolate(), name, info.Data()), /*tentative=*/false);
  }
}

// `'x' in window`, and V8's own check before it declares or assigns a new name.
void ProbeQuery(v8::Local<v8::Name> name, const v8::PropertyCallbackInfo<v8::Integer>& info) {
  if (ContextState* state = Recording(info.GetIsolate(), name)) {
    state->RecordProbe(Key(info.GetIsolate(), name, info.Data()), /*tentative=*/true);
  }
}

// Assignments and definitions of new names: not reads.
void ProbeSet(v8::Local<v8::Name> name, v8::Local<v8::Value> /*value*/,
              const v8::PropertyCallbackInfo<v8::Value>& info) {
  if (ContextState* state = Recording(info.GetIsolate(), name)) {
    state->WriteProbe(Key(info.GetIsolate(), name, info.Data()));
  }
}

void ProbeDefine(v8::Local<v8::Name> name, const v8::PropertyDescriptor& /*descriptor*/,
                 const v8::PropertyCallbackInfo<v8::Value>& info) {
  if (ContextState* state = Recording(info.GetIsolate(), name)) {
    state->WriteProbe(Key(info.GetIsolate(), name, info.Data()));
  }
}

v8::Local<v8::ObjectTemplate> Template(v8::Isolate* isolate, v8::Local<v8::Value> prefix) {
  v8::Local<v8::ObjectTemplate> tmpl = v8::ObjectTemplate::New(isolate);
  tmpl->SetHandler(v8::NamedPropertyHandlerConfiguration(
      ProbeGet, ProbeSet, ProbeQuery, nullptr, nullptr, ProbeDefine, nullptr, prefix,
      static_cast<v8::PropertyHandlerFlags>(
          static_cast<int>(v8::PropertyHandlerFlags::kNonMasking) |
          static_cast<int>(v8::PropertyHandlerFlags::kOnlyInterceptStrings))));
  return tmpl;
}

}  // namespace

v8::Local<v8::ObjectTemplate> ProbeGlobalTemplate(v8::Isolate* isolate) {
  return Template(isolate, v8::Undefined(isolate));
}

v8::Local<v8::ObjectTemplate> ProbeObjectTemplate(v8::Isolate* isolate, const char* prefix) {
  v8::Local<v8::String> name;
  if (!v8::String::NewFromUtf8(isolate, prefix).ToLocal(&name)) name = v8::String::Empty(isolate);
  return Template(isolate, name);
}

}  // namespace jscore::engine::extensions::hooks
