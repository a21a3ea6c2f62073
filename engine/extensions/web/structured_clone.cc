// Built with -fno-rtti: the serializer delegate derives from a V8 class, and
// libnode's V8 carries no RTTI (see engine/CMakeLists.txt).
#include "engine/extensions/web/structured_clone.h"

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "engine/extensions/web/dom_exception.h"
#include "engine/extensions/web/web_support.h"

namespace jscore::engine::extensions::web {
namespace {

using internal::JsScope;

// Turns V8's clone failures into DataCloneError DOMExceptions.
class CloneDelegate final : public v8::ValueSerializer::Delegate {
 public:
  explicit CloneDelegate(JsScope& scope) : scope_(scope) {}
  void ThrowDataCloneError(v8::Local<v8::String> message) override {
    ThrowDomException(scope_, scope_.Utf8(message), "DataCloneError");
  }

 private:
  JsScope& scope_;
};

// The ArrayBuffers of options.transfer, checked; false with an exception pending.
bool TransferList(JsScope& scope, v8::Local<v8::Value> options,
                  std::vector<v8::Local<v8::ArrayBuffer>>* buffers) {
  v8::Local<v8::Value> transfer;
  if (!web::GetOption(scope, options, "transfer", &transfer)) return false;
  if (transfer->IsUndefined()) return true;
  if (!transfer->IsArray()) {
    web::ThrowTypeError(scope,
                        "Failed to execute 'structuredClone': The provided value "
                        "cannot be converted to a sequence.");
    return false;
  }
  v8::Local<v8::Array> list = transfer.As<v8::Array>();
  for (uint32_t i = 0; i < list->Length(); ++i) {
    v8::Local<v8::Value> item;
    if (!list->Get(scope.context(), i).ToLocal(&item)) return false;
    if (!item->IsArrayBuffer()) {
      ThrowDomException(scope, "Value not transferable", "DataCloneError");
      return false;
    }
    v8::Local<v8::ArrayBuffer> buffer = item.As<v8::ArrayBuffer>();
    for (const auto& seen : *buffers) {
      if (seen == buffer) {
        ThrowDomException(scope,
                          "ArrayBuffer at index " + std::to_string(i) +
                              " is a duplicate of an earlier ArrayBuffer.",
                          "DataCloneError");
        return false;
      }
    }
    if (!buffer->IsDetachable() || buffer->WasDetached()) {
      ThrowDomException(scope,
                        "ArrayBuffer at index " + std::to_string(i) + " could not be transferred.",
                        "DataCloneError");
      return false;
    }
    buffers->push_back(buffer);
  }
  return true;
}

void StructuredClone(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Context> context = scope.context();
  if (info.Length() < 1) {
    return web::ThrowTypeError(
        scope, "Failed to execute 'structuredClone': 1 argument required, but only 0 present.");
  }
  std::vector<v8::Local<v8::ArrayBuffer>> transfer;
  if (!TransferList(scope, web::Arg(info, 1), &transfer)) return;

  CloneDelegate delegate(scope);
  v8::ValueSerializer serializer(isolate, &delegate);
  for (size_t i = 0; i < transfer.size(); ++i) {
    serializer.TransferArrayBuffer(static_cast<uint32_t>(i), transfer[i]);
  }
  serializer.WriteHeader();
  if (!serializer.WriteValue(context, info[0]).FromMaybe(false)) return;
  std::pair<uint8_t*, size_t> bytes = serializer.Release();
  std::unique_ptr<uint8_t, decltype(&std::free)> owned(bytes.first, &std::free);

  std::vector<std::shared_ptr<v8::BackingStore>> moved;
  for (const auto& buffer : transfer) {
    moved.push_back(buffer->GetBackingStore());
    buffer->Detach();
  }
  v8::ValueDeserializer deserializer(isolate, bytes.first, bytes.second);
  for (size_t i = 0; i < moved.size(); ++i) {
    deserializer.TransferArrayBuffer(static_cast<uint32_t>(i),
                                     v8::ArrayBuffer::New(isolate, moved[i]));
  }
  v8::Local<v8::Value> clone;
  bool silent_failure = false;  // V8 failed without saying why
  {
    v8::TryCatch try_catch(isolate);
    if (!deserializer.ReadHeader(context).FromMaybe(false) ||
        !deserializer.ReadValue(context).ToLocal(&clone)) {
      if (try_catch.HasCaught() || try_catch.HasTerminated()) {
        try_catch.ReThrow();
        return;
      }
      silent_failure = true;
    }
  }
  if (silent_failure) {
    return ThrowDomException(scope, "The value could not be cloned.", "DataCloneError");
  }
  // V8 clones a DOMException as a plain Error; it is serializable as itself.
  v8::Local<v8::Object> exception;
  v8::Maybe<bool> is_exception = CloneDomException(scope, info[0], &exception);
  if (is_exception.IsNothing()) return;
  if (is_exception.FromJust()) clone = exception;
  info.GetReturnValue().Set(clone);
}

void LazyStructuredClone(v8::Local<v8::Name>, const v8::PropertyCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Function> fn;
  if (web::NewFunction(scope, "structuredClone", StructuredClone, 1).ToLocal(&fn)) {
    info.GetReturnValue().Set(fn);
  }
}

}  // namespace

void InstallStructuredClone(JsScope& scope) {
  (void)web::DefineLazyGlobal(scope, "structuredClone", LazyStructuredClone);
}

}  // namespace jscore::engine::extensions::web
