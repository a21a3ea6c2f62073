// ContextSlots: JavaScript values that jscore keeps inside a context (embedder data),
// so that they live and die with it (a v8::Global held from outside would keep the
// context alive).
#ifndef JSCORE_ENGINE_INTERNAL_CONTEXT_SLOTS_H_
#define JSCORE_ENGINE_INTERNAL_CONTEXT_SLOTS_H_

#include "engine/internal/embedder_slots.h"
#include "v8.h"

namespace jscore::engine::internal {

// Worker thread only, with the context's isolate entered.
class ContextSlots {
 public:
  // Call's compiled getters of top-level names (internal/call_target.cc), a
  // null-prototype object made on first use.
  static v8::Local<v8::Object> CallGetters(v8::Local<v8::Context> context) {
    return ObjectIn(context, kCallGetters);
  }
  // What Call's first name is looked up in instead of the top level: the root
  // module's namespace of a module program. Empty for a script.
  static v8::Local<v8::Object> CallRoot(v8::Local<v8::Context> context) {
    v8::Local<v8::Value> value = Read(context, kCallRoot);
    return value->IsObject() ? value.As<v8::Object>() : v8::Local<v8::Object>();
  }
  static void SetCallRoot(v8::Local<v8::Context> context, v8::Local<v8::Object> root) {
    context->SetEmbedderData(kCallRoot, root);
  }
  // The module loaders' per-context tables (internal/require.cc, internal/es_modules.cc).
  static v8::Local<v8::Object> ModuleTables(v8::Local<v8::Context> context) {
    return ObjectIn(context, kModuleTables);
  }

 private:
  // The indices and what they hold: internal/embedder_slots.h.
  static constexpr int kCallGetters = kCallGettersSlot;
  static constexpr int kCallRoot = kCallRootSlot;
  static constexpr int kModuleTables = kModuleTablesSlot;

  static v8::Local<v8::Value> Read(v8::Local<v8::Context> context, int slot) {
    if (context->GetNumberOfEmbedderDataFields() <= static_cast<uint32_t>(slot)) {
      return v8::Undefined(context->GetIsolate());
    }
    return context->GetEmbedderData(slot);
  }
  static v8::Local<v8::Object> ObjectIn(v8::Local<v8::Context> context, int slot) {
    v8::Local<v8::Value> value = Read(context, slot);
    if (value->IsObject()) return value.As<v8::Object>();
    v8::Isolate* isolate = context->GetIsolate();
    v8::Local<v8::Object> object = v8::Object::New(isolate, v8::Null(isolate), nullptr, nullptr, 0);
    context->SetEmbedderData(slot, object);
    return object;
  }
};

}  // namespace jscore::engine::internal

#endif  // JSCORE_ENGINE_INTERNAL_CONTEXT_SLOTS_H_
