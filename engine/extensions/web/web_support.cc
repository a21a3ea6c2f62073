#include "engine/extensions/web/web_support.h"

#include <chrono>
#include <string>
#include <vector>

namespace jscore::engine::extensions::web {
namespace {

void IllegalConstructor(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  ThrowTypeError(scope, "Illegal constructor");
}

void FreeWithAllocator(void* data, size_t length, void* allocator) {
  static_cast<v8::ArrayBuffer::Allocator*>(allocator)->Free(data, length);
}

}  // namespace

v8::MaybeLocal<v8::Array> NewSlots(JsScope& scope, int count) {
  v8::Isolate* isolate = scope.isolate();
  std::vector<v8::Local<v8::Value>> undefined(static_cast<size_t>(count), v8::Undefined(isolate));
  v8::Local<v8::Array> slots = v8::Array::New(isolate, undefined.data(), undefined.size());
  if (slots->SetPrototype(scope.context(), v8::Null(isolate)).IsNothing()) return {};
  return slots;
}

v8::MaybeLocal<v8::Array> Realm(JsScope& scope) {
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Object> global = context->Global();
  v8::Local<v8::Private> key = Key(scope, "jscore.realm");
  v8::Local<v8::Value> realm;
  if (!global->GetPrivate(context, key).ToLocal(&realm)) return {};
  if (realm->IsArray()) return realm.As<v8::Array>();
  v8::Local<v8::Array> made;
  if (!NewSlots(scope, static_cast<int>(Slot::kCount)).ToLocal(&made) ||
      global->SetPrivate(context, key, made).IsNothing()) {
    return {};
  }
  return made;
}

v8::Local<v8::Value> GetSlot(JsScope& scope, v8::Local<v8::Array> realm, Slot slot) {
  v8::Local<v8::Value> value;
  if (!realm->Get(scope.context(), static_cast<uint32_t>(slot)).ToLocal(&value)) {
    return v8::Undefined(scope.isolate());
  }
  return value;
}

bool SetSlot(JsScope& scope, v8::Local<v8::Array> realm, Slot slot, v8::Local<v8::Value> value) {
  return realm->CreateDataProperty(scope.context(), static_cast<uint32_t>(slot), value)
      .FromMaybe(false);
}

v8::MaybeLocal<v8::Value> GetOrBuild(JsScope& scope, Slot slot, Builder build) {
  v8::Local<v8::Array> realm;
  if (!Realm(scope).ToLocal(&realm)) return {};
  v8::Local<v8::Value> value = GetSlot(scope, realm, slot);
  if (!value->IsUndefined()) return value;
  if (!build(scope, realm).ToLocal(&value)) return {};
  if (!SetSlot(scope, realm, slot, value)) return {};
  return value;
}

bool DefineLazyGlobal(JsScope& scope, std::string_view name, v8::AccessorNameGetterCallback getter,
                      v8::Local<v8::Value> data) {
  v8::Local<v8::Context> context = scope.context();
  return context->Global()
      ->SetLazyDataProperty(context, scope.Str(name), getter, data, v8::DontEnum)
      .FromMaybe(false);
}

v8::MaybeLocal<v8::Function> NewFunction(JsScope& scope, std::string_view name,
                                         v8::FunctionCallback callback, int length,
                                         v8::Local<v8::Value> data) {
  v8::Local<v8::Function> fn;
  if (!v8::Function::New(scope.context(), callback, data, length, v8::ConstructorBehavior::kThrow)
           .ToLocal(&fn)) {
    return {};
  }
  fn->SetName(scope.Str(name));
  return fn;
}

bool SetMethod(JsScope& scope, v8::Local<v8::Object> target, const Method& method,
               v8::Local<v8::Value> data, v8::PropertyAttribute attributes) {
  v8::Local<v8::Function> fn;
  if (!NewFunction(scope, method.name, method.callback, method.length, data).ToLocal(&fn)) {
    return false;
  }
  return target->DefineOwnProperty(scope.context(), scope.Str(method.name), fn, attributes)
      .FromMaybe(false);
}

bool SetToStringTag(JsScope& scope, v8::Local<v8::Object> target, std::string_view tag) {
  auto attributes = static_cast<v8::PropertyAttribute>(v8::ReadOnly | v8::DontEnum);
  return target
      ->DefineOwnProperty(scope.context(), v8::Symbol::GetToStringTag(scope.isolate()),
                          scope.Str(tag), attributes)
      .FromMaybe(false);
}

v8::MaybeLocal<v8::Function> BuildClass(JsScope& scope, const ClassSpec& spec,
                                        v8::Local<v8::Value> data, v8::Local<v8::Function> parent) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Function> ctor;
  v8::FunctionCallback construct = spec.constructor ? spec.constructor : IllegalConstructor;
  if (!v8::Function::New(context, construct, data, spec.length, v8::ConstructorBehavior::kAllow)
           .ToLocal(&ctor)) {
    return {};
  }
  ctor->SetName(scope.Str(spec.name));
  v8::Local<v8::Object> proto;
  if (!PrototypeOf(scope, ctor).ToLocal(&proto)) return {};
  if (!parent.IsEmpty()) {
    v8::Local<v8::Object> parent_proto;
    if (!PrototypeOf(scope, parent).ToLocal(&parent_proto) ||
        proto->SetPrototype(context, parent_proto).IsNothing() ||
        ctor->SetPrototype(context, parent).IsNothing()) {
      return {};
    }
  }
  for (const Method& m : spec.methods) {
    if (!SetMethod(scope, proto, m, data, v8::None)) return {};
  }
  for (const Method& m : spec.statics) {
    if (!SetMethod(scope, ctor, m, data, v8::None)) return {};
  }
  for (const Accessor& a : spec.accessors) {
    v8::Local<v8::Function> getter, setter;
    std::string name(a.name);
    if (!NewFunction(scope, "get " + name, a.getter, 0, data).ToLocal(&getter)) return {};
    if (a.setter != nullptr &&
        !NewFunction(scope, "set " + name, a.setter, 1, data).ToLocal(&setter)) {
      return {};
    }
    proto->SetAccessorProperty(scope.Str(name), getter, setter, v8::None);
  }
  auto constant = static_cast<v8::PropertyAttribute>(v8::ReadOnly | v8::DontDelete);
  for (const Constant& c : spec.constants) {
    v8::Local<v8::Integer> value = v8::Integer::New(isolate, c.value);
    if (!ctor->DefineOwnProperty(context, scope.Str(c.name), value, constant).FromMaybe(false) ||
        !proto->DefineOwnProperty(context, scope.Str(c.name), value, constant).FromMaybe(false)) {
      return {};
    }
  }
  if (!SetToStringTag(scope, proto, spec.name)) return {};
  return ctor;
}

v8::MaybeLocal<v8::Object> PrototypeOf(JsScope& scope, v8::Local<v8::Value> constructor) {
  if (!constructor->IsObject()) return {};
  v8::Local<v8::Value> proto;
  if (!constructor.As<v8::Object>()->Get(scope.context(), scope.Str("prototype")).ToLocal(&proto) ||
      !proto->IsObject()) {
    return {};
  }
  return proto.As<v8::Object>();
}

v8::MaybeLocal<v8::Object> NewInstanceOf(JsScope& scope, v8::Local<v8::Value> constructor) {
  v8::Local<v8::Object> proto;
  if (!PrototypeOf(scope, constructor).ToLocal(&proto)) return {};
  v8::Local<v8::Object> object = v8::Object::New(scope.isolate());
  if (object->SetPrototype(scope.context(), proto).IsNothing()) return {};
  return object;
}

bool RequireNew(const v8::FunctionCallbackInfo<v8::Value>& info, const char* name) {
  if (info.IsConstructCall()) return true;
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  ThrowTypeError(scope,
                 std::string("Class constructor ") + name + " cannot be invoked without 'new'");
  return false;
}

v8::Local<v8::Private> Key(JsScope& scope, std::string_view name) {
  return v8::Private::ForApi(scope.isolate(), scope.Str(name));
}

bool GetState(JsScope& scope, v8::Local<v8::Value> receiver, std::string_view key,
              v8::Local<v8::Array>* state, OnMismatch on_mismatch) {
  v8::Local<v8::Value> value;
  if (receiver->IsObject() &&
      receiver.As<v8::Object>()->GetPrivate(scope.context(), Key(scope, key)).ToLocal(&value) &&
      value->IsArray()) {
    *state = value.As<v8::Array>();
    return true;
  }
  if (on_mismatch == OnMismatch::kThrow && !scope.isolate()->IsExecutionTerminating()) {
    ThrowTypeError(scope, "Illegal invocation");
  }
  return false;
}

bool NewState(JsScope& scope, v8::Local<v8::Object> object, std::string_view key, int slots,
              v8::Local<v8::Array>* state) {
  v8::Local<v8::Array> made;
  if (!NewSlots(scope, slots).ToLocal(&made) ||
      object->SetPrivate(scope.context(), Key(scope, key), made).IsNothing()) {
    return false;
  }
  *state = made;
  return true;
}

v8::Local<v8::Value> At(JsScope& scope, v8::Local<v8::Array> state, int slot) {
  v8::Local<v8::Value> value;
  if (!state->Get(scope.context(), slot).ToLocal(&value)) return v8::Undefined(scope.isolate());
  return value;
}

bool Put(JsScope& scope, v8::Local<v8::Array> state, int slot, v8::Local<v8::Value> value) {
  return state->CreateDataProperty(scope.context(), slot, value).FromMaybe(false);
}

bool GetOption(JsScope& scope, v8::Local<v8::Value> options, std::string_view name,
               v8::Local<v8::Value>* value) {
  if (!options->IsObject()) {
    *value = v8::Undefined(scope.isolate());
    return true;
  }
  return options.As<v8::Object>()->Get(scope.context(), scope.Str(name)).ToLocal(value);
}

bool ToUsvString(JsScope& scope, v8::Local<v8::Value> value, v8::Local<v8::String>* out) {
  v8::Local<v8::String> s;
  if (!value->ToString(scope.context()).ToLocal(&s)) return false;
  if (s->IsOneByte()) {
    *out = s;
    return true;
  }
  std::u16string units = Utf16(scope, s);
  bool changed = false;
  for (size_t i = 0; i < units.size(); ++i) {
    char16_t c = units[i];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < units.size() && units[i + 1] >= 0xDC00 &&
        units[i + 1] <= 0xDFFF) {
      ++i;
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      units[i] = 0xFFFD;
      changed = true;
    }
  }
  if (!changed) {
    *out = s;
    return true;
  }
  return NewString(scope, units).ToLocal(out);
}

std::u16string Utf16(JsScope& scope, v8::Local<v8::String> s) {
  std::u16string out(static_cast<size_t>(s->Length()), u'\0');
  s->Write(scope.isolate(), reinterpret_cast<uint16_t*>(out.data()), 0, s->Length(),
           v8::String::NO_NULL_TERMINATION);
  return out;
}

v8::MaybeLocal<v8::String> NewString(JsScope& scope, std::u16string_view units) {
  v8::Local<v8::String> out;
  if (units.size() > static_cast<size_t>(v8::String::kMaxLength) ||
      !v8::String::NewFromTwoByte(scope.isolate(), reinterpret_cast<const uint16_t*>(units.data()),
                                  v8::NewStringType::kNormal, static_cast<int>(units.size()))
           .ToLocal(&out)) {
    ThrowRangeError(scope, "Invalid string length");
    return {};
  }
  return out;
}

v8::MaybeLocal<v8::String> NewStringUtf8(JsScope& scope, std::string_view utf8) {
  v8::Local<v8::String> out;
  if (utf8.size() > static_cast<size_t>(v8::String::kMaxLength) * 3 ||
      !v8::String::NewFromUtf8(scope.isolate(), utf8.data(), v8::NewStringType::kNormal,
                               static_cast<int>(utf8.size()))
           .ToLocal(&out)) {
    ThrowRangeError(scope, "Invalid string length");
    return {};
  }
  return out;
}

v8::MaybeLocal<v8::Uint8Array> NewUint8Array(JsScope& scope, size_t length, uint8_t** data) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::ArrayBuffer> buffer;
  if (length == 0) {
    buffer = v8::ArrayBuffer::New(isolate, 0);
    *data = nullptr;
  } else {
    v8::ArrayBuffer::Allocator* allocator = isolate->GetArrayBufferAllocator();
    void* bytes = length <= v8::TypedArray::kMaxLength ? allocator->Allocate(length) : nullptr;
    if (bytes == nullptr) {
      ThrowRangeError(scope, "Array buffer allocation failed");
      return {};
    }
    std::shared_ptr<v8::BackingStore> store =
        v8::ArrayBuffer::NewBackingStore(bytes, length, FreeWithAllocator, allocator);
    buffer = v8::ArrayBuffer::New(isolate, store);
    *data = static_cast<uint8_t*>(bytes);
  }
  return v8::Uint8Array::New(buffer, 0, length);
}

void ThrowTypeError(JsScope& scope, std::string_view message) {
  scope.isolate()->ThrowException(v8::Exception::TypeError(scope.Str(message)));
}

void ThrowRangeError(JsScope& scope, std::string_view message) {
  scope.isolate()->ThrowException(v8::Exception::RangeError(scope.Str(message)));
}

double SteadyMillis() {
  using Ms = std::chrono::duration<double, std::milli>;
  return std::chrono::duration_cast<Ms>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

double PerformanceNow(JsScope& scope) {
  double now = SteadyMillis();
  v8::Local<v8::Array> realm;
  if (!Realm(scope).ToLocal(&realm)) return 0;
  v8::Local<v8::Value> origin = GetSlot(scope, realm, Slot::kTimeOrigin);
  if (!origin->IsNumber()) {
    (void)SetSlot(scope, realm, Slot::kTimeOrigin, v8::Number::New(scope.isolate(), now));
    return 0;
  }
  return now - origin.As<v8::Number>()->Value();
}

}  // namespace jscore::engine::extensions::web
