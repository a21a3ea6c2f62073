// Shared plumbing of the Web API families: native classes built from
// v8::Function::New, lazy globals, the per-context realm record, errors.
#ifndef JSCORE_ENGINE_EXTENSIONS_WEB_WEB_SUPPORT_H_
#define JSCORE_ENGINE_EXTENSIONS_WEB_WEB_SUPPORT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/types/span.h"
#include "engine/internal/embedder_slots.h"
#include "engine/internal/js_scope.h"

namespace jscore::engine::extensions::web {

using internal::JsScope;

// Why no v8::FunctionTemplate: V8 caches every template's instantiation per
// isolate once its serial number passes the per-context fast cache, so templates
// made per context would keep dead contexts alive. Functions made with
// v8::Function::New are uncached; they print as `function name() { [native code] }`.

// Slots of the realm record: one hidden array per context (a private property of
// its global object) that holds what a family built for that context, so that the
// families find each other's classes without looking at (user-writable) globals.
// Declared, with their owners, in internal/embedder_slots.h.
using Slot = internal::RealmSlot;

// An array of `count` undefined slots with a null prototype: the shape of every
// array that native code keeps for itself (realm record, instance state), so that
// no slot ever reads through to a script's Array.prototype.
v8::MaybeLocal<v8::Array> NewSlots(JsScope& scope, int count);

// The context's realm record, made on first use. Empty only when V8 fails to
// allocate (an exception is then pending).
v8::MaybeLocal<v8::Array> Realm(JsScope& scope);
v8::Local<v8::Value> GetSlot(JsScope& scope, v8::Local<v8::Array> realm, Slot slot);
bool SetSlot(JsScope& scope, v8::Local<v8::Array> realm, Slot slot, v8::Local<v8::Value> value);

// The realm record passed as `data` to a family's callbacks.
inline v8::Local<v8::Array> RealmFromData(v8::Local<v8::Value> data) {
  return data.As<v8::Array>();
}

// The value a family keeps in `slot`, built by `build` on first use (and stored).
using Builder = v8::MaybeLocal<v8::Value> (*)(JsScope& scope, v8::Local<v8::Array> realm);
v8::MaybeLocal<v8::Value> GetOrBuild(JsScope& scope, Slot slot, Builder build);

// Defines globalThis[name] as a lazy, non-enumerable (writable, configurable) data
// property: `getter` supplies the value on first access and V8 then turns it into
// a plain data property. Costs one accessor record per context until someone reads
// it. The template form serves a realm slot: DefineLazyGlobal<Slot::kUrl, BuildUrl>.
bool DefineLazyGlobal(JsScope& scope, std::string_view name, v8::AccessorNameGetterCallback getter,
                      v8::Local<v8::Value> data = {});

template <Slot kSlot, Builder kBuild>
void LazySlotGetter(v8::Local<v8::Name>, const v8::PropertyCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Value> value;
  if (GetOrBuild(scope, kSlot, kBuild).ToLocal(&value)) info.GetReturnValue().Set(value);
}
template <Slot kSlot, Builder kBuild>
bool DefineLazyGlobal(JsScope& scope, std::string_view name) {
  return DefineLazyGlobal(scope, name, &LazySlotGetter<kSlot, kBuild>);
}

// ---- classes ----

struct Method {
  const char* name;
  v8::FunctionCallback callback;
  int length;
};
struct Accessor {
  const char* name;
  v8::FunctionCallback getter;
  v8::FunctionCallback setter;  // nullptr: read-only
};
struct Constant {
  const char* name;
  int value;
};

struct ClassSpec {
  const char* name;
  // Runs for `new Name(...)`; nullptr makes `new` throw "Illegal constructor".
  // Calls without `new` throw before reaching it.
  v8::FunctionCallback constructor = nullptr;
  int length = 0;
  absl::Span<const Method> methods;
  absl::Span<const Accessor> accessors;
  absl::Span<const Method> statics;
  absl::Span<const Constant> constants;  // on the constructor and the prototype
};

// Builds `class name [extends parent]` whose members are native functions, each
// called with `data` as info.Data(). Prototype members are enumerable (as WebIDL
// says); the prototype gets Symbol.toStringTag = name.
v8::MaybeLocal<v8::Function> BuildClass(JsScope& scope, const ClassSpec& spec,
                                        v8::Local<v8::Value> data,
                                        v8::Local<v8::Function> parent = {});

// constructor.prototype, or empty.
v8::MaybeLocal<v8::Object> PrototypeOf(JsScope& scope, v8::Local<v8::Value> constructor);

// An object whose prototype is constructor.prototype (for instances that native
// code makes without running the constructor), or empty.
v8::MaybeLocal<v8::Object> NewInstanceOf(JsScope& scope, v8::Local<v8::Value> constructor);

// A native, non-constructible function.
v8::MaybeLocal<v8::Function> NewFunction(JsScope& scope, std::string_view name,
                                         v8::FunctionCallback callback, int length,
                                         v8::Local<v8::Value> data = {});

// target[name] = native function, with the given attributes.
bool SetMethod(JsScope& scope, v8::Local<v8::Object> target, const Method& method,
               v8::Local<v8::Value> data, v8::PropertyAttribute attributes);

// A non-writable, non-enumerable Symbol.toStringTag.
bool SetToStringTag(JsScope& scope, v8::Local<v8::Object> target, std::string_view tag);

// True in a construct call; otherwise throws V8's "Class constructor X cannot be
// invoked without 'new'" TypeError and returns false.
bool RequireNew(const v8::FunctionCallbackInfo<v8::Value>& info, const char* name);

// ---- native state of instances ----

// A private symbol (invisible to JS), shared by every context of the isolate.
v8::Local<v8::Private> Key(JsScope& scope, std::string_view name);

// The per-instance state array that native code keeps under `key`, if `receiver`
// has one; `object` receives the receiver as an object. Throws "Illegal invocation"
// when asked to (kThrow) and the receiver is not such an instance.
enum class OnMismatch { kThrow, kQuiet };
bool GetState(JsScope& scope, v8::Local<v8::Value> receiver, std::string_view key,
              v8::Local<v8::Array>* state, OnMismatch on_mismatch = OnMismatch::kThrow);
bool NewState(JsScope& scope, v8::Local<v8::Object> object, std::string_view key, int slots,
              v8::Local<v8::Array>* state);
v8::Local<v8::Value> At(JsScope& scope, v8::Local<v8::Array> state, int slot);
bool Put(JsScope& scope, v8::Local<v8::Array> state, int slot, v8::Local<v8::Value> value);

// ---- values ----

inline v8::Local<v8::Value> Arg(const v8::FunctionCallbackInfo<v8::Value>& info, int i) {
  return i < info.Length() ? info[i] : v8::Undefined(info.GetIsolate()).As<v8::Value>();
}

// options[name], or undefined when `options` is undefined or null. False with an
// exception pending when the getter throws.
bool GetOption(JsScope& scope, v8::Local<v8::Value> options, std::string_view name,
               v8::Local<v8::Value>* value);

// WebIDL's USVString conversion: ToString, then lone surrogates become U+FFFD.
bool ToUsvString(JsScope& scope, v8::Local<v8::Value> value, v8::Local<v8::String>* out);

// String contents as UTF-16 code units.
std::u16string Utf16(JsScope& scope, v8::Local<v8::String> s);
// A string from UTF-16 code units, or empty (with a RangeError pending) when too long.
v8::MaybeLocal<v8::String> NewString(JsScope& scope, std::u16string_view units);
// A string from UTF-8 (invalid sequences become U+FFFD), or empty with a RangeError.
v8::MaybeLocal<v8::String> NewStringUtf8(JsScope& scope, std::string_view utf8);

// A zeroed Uint8Array of `length` bytes, allocated through the isolate's
// ArrayBuffer allocator so that the per-isolate limit applies: when it refuses,
// a RangeError is thrown (V8's own ArrayBuffer::New would abort the process).
// `*data` receives the bytes.
v8::MaybeLocal<v8::Uint8Array> NewUint8Array(JsScope& scope, size_t length, uint8_t** data);

// ---- errors ----

void ThrowTypeError(JsScope& scope, std::string_view message);
void ThrowRangeError(JsScope& scope, std::string_view message);

// Milliseconds on a monotonic clock (for performance.now and Event.timeStamp).
double SteadyMillis();
// performance.now() of the scope's context: ms since the context was built.
double PerformanceNow(JsScope& scope);

}  // namespace jscore::engine::extensions::web

#endif  // JSCORE_ENGINE_EXTENSIONS_WEB_WEB_SUPPORT_H_
