#include "engine/extensions/web/dom_exception.h"

#include <string>

#include "engine/extensions/web/web_support.h"

namespace jscore::engine::extensions::web {
namespace {

using internal::JsScope;

// The legacy codes of WebIDL's error names table (0 for the rest).
struct NamedCode {
  const char* name;
  const char* constant;
  int code;
};
constexpr NamedCode kCodes[] = {
    {"IndexSizeError", "INDEX_SIZE_ERR", 1},
    {"DOMStringSizeError", "DOMSTRING_SIZE_ERR", 2},
    {"HierarchyRequestError", "HIERARCHY_REQUEST_ERR", 3},
    {"WrongDocumentError", "WRONG_DOCUMENT_ERR", 4},
    {"InvalidCharacterError", "INVALID_CHARACTER_ERR", 5},
    {"NoDataAllowedError", "NO_DATA_ALLOWED_ERR", 6},
    {"NoModificationAllowedError", "NO_MODIFICATION_ALLOWED_ERR", 7},
    {"NotFoundError", "NOT_FOUND_ERR", 8},
    {"NotSupportedError", "NOT_SUPPORTED_ERR", 9},
    {"InUseAttributeError", "INUSE_ATTRIBUTE_ERR", 10},
    {"InvalidStateError", "INVALID_STATE_ERR", 11},
    {"SyntaxError", "SYNTAX_ERR", 12},
    {"InvalidModificationError", "INVALID_MODIFICATION_ERR", 13},
    {"NamespaceError", "NAMESPACE_ERR", 14},
    {"InvalidAccessError", "INVALID_ACCESS_ERR", 15},
    {"ValidationError", "VALIDATION_ERR", 16},
    {"TypeMismatchError", "TYPE_MISMATCH_ERR", 17},
    {"SecurityError", "SECURITY_ERR", 18},
    {"NetworkError", "NETWORK_ERR", 19},
    {"AbortError", "ABORT_ERR", 20},
    {"URLMismatchError", "URL_MISMATCH_ERR", 21},
    {"QuotaExceededError", "QUOTA_EXCEEDED_ERR", 22},
    {"TimeoutError", "TIMEOUT_ERR", 23},
    {"InvalidNodeTypeError", "INVALID_NODE_TYPE_ERR", 24},
    {"DataCloneError", "DATA_CLONE_ERR", 25},
};

// WebIDL removed DOMStringSizeError, NoDataAllowedError and ValidationError from
// the error names table: their constants stay, but such an exception's code is 0.
bool Retired(const std::string& name) {
  return name == "DOMStringSizeError" || name == "NoDataAllowedError" || name == "ValidationError";
}

int CodeOf(const std::string& name) {
  if (Retired(name)) return 0;
  for (const NamedCode& c : kCodes) {
    if (name == c.name) return c.code;
  }
  return 0;
}

// An instance's internal slots, kept under a private key (the brand).
constexpr char kStateKey[] = "jscore.DOMException";
enum StateSlot { kName, kMessage, kCode, kSlotCount };

// new DOMException(message = "", options = "Error"), where options is a name or a
// dictionary {name, cause} (null and undefined: the empty dictionary). The instance
// is an Error object (so that it has a stack and `instanceof Error` holds)
// re-parented to new.target.prototype; name, message and code live in internal
// slots read by the prototype's getters. `cause`, when given, is an own
// non-enumerable property, as Node 20 defines it.
void Construct(const v8::FunctionCallbackInfo<v8::Value>& info) {
  if (!web::RequireNew(info, "DOMException")) return;
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::String> message = v8::String::Empty(isolate);
  v8::Local<v8::String> name = scope.Str("Error");
  v8::Local<v8::Value> cause;
  if (info.Length() > 0 && !info[0]->IsUndefined() &&
      !info[0]->ToString(context).ToLocal(&message)) {
    return;
  }
  v8::Local<v8::Value> options = web::Arg(info, 1);
  if (options->IsObject()) {
    // Dictionary members are read in lexicographic order: cause, then name.
    v8::Local<v8::Value> name_value;
    if (!web::GetOption(scope, options, "cause", &cause) ||
        !web::GetOption(scope, options, "name", &name_value)) {
      return;
    }
    if (!name_value->IsUndefined() && !name_value->ToString(context).ToLocal(&name)) return;
  } else if (!options->IsNullOrUndefined() && !options->ToString(context).ToLocal(&name)) {
    return;
  }
  v8::Local<v8::Value> error_value = v8::Exception::Error(message);
  if (!error_value->IsObject()) return;
  v8::Local<v8::Object> error = error_value.As<v8::Object>();
  v8::Local<v8::Object> proto;
  v8::Local<v8::Array> state;
  if (!web::PrototypeOf(scope, info.NewTarget()).ToLocal(&proto) ||
      error->SetPrototype(context, proto).IsNothing() ||
      error->Delete(context, scope.Str("message")).IsNothing() ||
      !web::NewState(scope, error, kStateKey, kSlotCount, &state) ||
      !web::Put(scope, state, kName, name) || !web::Put(scope, state, kMessage, message) ||
      !web::Put(scope, state, kCode, v8::Integer::New(isolate, CodeOf(scope.Utf8(name))))) {
    return;
  }
  if (!cause.IsEmpty() && !cause->IsUndefined() &&
      !error->DefineOwnProperty(context, scope.Str("cause"), cause, v8::DontEnum)
           .FromMaybe(false)) {
    return;
  }
  info.GetReturnValue().Set(error);
}

// The getters of name, message and code: brand-checked ("Illegal invocation").
template <StateSlot kSlot>
void Getter(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Array> state;
  if (!web::GetState(scope, info.This(), kStateKey, &state)) return;
  info.GetReturnValue().Set(web::At(scope, state, kSlot));
}

v8::MaybeLocal<v8::Value> Build(JsScope& scope, v8::Local<v8::Array> realm) {
  static constexpr web::Constant kConstants[] = {
#define JSCORE_CODE(i) {kCodes[i].constant, kCodes[i].code}
      JSCORE_CODE(0),  JSCORE_CODE(1),  JSCORE_CODE(2),  JSCORE_CODE(3),  JSCORE_CODE(4),
      JSCORE_CODE(5),  JSCORE_CODE(6),  JSCORE_CODE(7),  JSCORE_CODE(8),  JSCORE_CODE(9),
      JSCORE_CODE(10), JSCORE_CODE(11), JSCORE_CODE(12), JSCORE_CODE(13), JSCORE_CODE(14),
      JSCORE_CODE(15), JSCORE_CODE(16), JSCORE_CODE(17), JSCORE_CODE(18), JSCORE_CODE(19),
      JSCORE_CODE(20), JSCORE_CODE(21), JSCORE_CODE(22), JSCORE_CODE(23), JSCORE_CODE(24),
#undef JSCORE_CODE
  };
  static constexpr web::Accessor kAccessors[] = {
      {"name", Getter<kName>, nullptr},
      {"message", Getter<kMessage>, nullptr},
      {"code", Getter<kCode>, nullptr},
  };
  web::ClassSpec spec;
  spec.name = "DOMException";
  spec.constructor = Construct;
  spec.accessors = kAccessors;
  spec.constants = kConstants;
  v8::Local<v8::Function> ctor;
  if (!web::BuildClass(scope, spec, realm).ToLocal(&ctor)) return {};
  // DOMException.prototype inherits from Error.prototype.
  v8::Local<v8::Object> proto;
  v8::Local<v8::Value> error = v8::Exception::Error(v8::String::Empty(scope.isolate()));
  if (!web::PrototypeOf(scope, ctor).ToLocal(&proto) || !error->IsObject() ||
      proto->SetPrototype(scope.context(), error.As<v8::Object>()->GetPrototype()).IsNothing()) {
    return {};
  }
  return ctor;
}

}  // namespace

void InstallDomException(JsScope& scope) {
  (void)web::DefineLazyGlobal<Slot::kDomException, Build>(scope, "DOMException");
}

v8::MaybeLocal<v8::Object> NewDomException(JsScope& scope, std::string_view message,
                                           std::string_view name) {
  v8::Local<v8::Value> ctor;
  if (!web::GetOrBuild(scope, Slot::kDomException, Build).ToLocal(&ctor)) return {};
  v8::Local<v8::Value> args[] = {scope.Str(message), scope.Str(name)};
  return ctor.As<v8::Function>()->NewInstance(scope.context(), 2, args);
}

v8::Maybe<bool> CloneDomException(JsScope& scope, v8::Local<v8::Value> value,
                                  v8::Local<v8::Object>* clone) {
  v8::Local<v8::Array> state;
  if (!web::GetState(scope, value, kStateKey, &state, web::OnMismatch::kQuiet)) {
    return v8::Just(false);
  }
  v8::Local<v8::Value> args[] = {web::At(scope, state, kMessage), web::At(scope, state, kName)};
  v8::Local<v8::Value> ctor, stack;
  if (!web::GetOrBuild(scope, Slot::kDomException, Build).ToLocal(&ctor) ||
      !ctor.As<v8::Function>()->NewInstance(scope.context(), 2, args).ToLocal(clone) ||
      !value.As<v8::Object>()->Get(scope.context(), scope.Str("stack")).ToLocal(&stack)) {
    return v8::Nothing<bool>();
  }
  if (stack->IsString() && (*clone)->Set(scope.context(), scope.Str("stack"), stack).IsNothing()) {
    return v8::Nothing<bool>();
  }
  return v8::Just(true);
}

void ThrowDomException(JsScope& scope, std::string_view message, std::string_view name) {
  v8::Local<v8::Object> error;
  if (NewDomException(scope, message, name).ToLocal(&error)) {
    scope.isolate()->ThrowException(error);
  }
}

}  // namespace jscore::engine::extensions::web
