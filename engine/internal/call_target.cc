#include "engine/internal/call_target.h"

#include <set>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "engine/internal/context_slots.h"
#include "engine/internal/context_state.h"

namespace jscore::engine::internal {
namespace {

constexpr size_t kMaxCachedGetters = 1024;

// Throws a TypeError saying `message` into the caller's TryCatch; returns Nothing.
v8::Maybe<CallTarget> ThrowTypeError(JsScope& scope, std::string_view message) {
  scope.isolate()->ThrowException(v8::Exception::TypeError(scope.Str(message)));
  return v8::Nothing<CallTarget>();
}

// ASCII IdentifierName that is not a reserved word (nor `arguments`): safe to splice
// into the getter's source as a plain identifier reference.
bool IsPlainIdentifier(std::string_view name) {
  static const auto* const kReserved = new std::set<std::string_view>{
      "await",    "break",      "case",      "catch",  "class",    "const",      "continue",
      "debugger", "default",    "delete",    "do",     "else",     "enum",       "export",
      "extends",  "false",      "finally",   "for",    "function", "if",         "import",
      "in",       "instanceof", "new",       "null",   "return",   "super",      "switch",
      "this",     "throw",      "true",      "try",    "typeof",   "var",        "void",
      "while",    "with",       "yield",     "let",    "static",   "implements", "interface",
      "package",  "private",    "protected", "public", "arguments"};
  if (name.empty() || name.size() > 256) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return kReserved->count(name) == 0;
}

// The value `name` has at the program's top level (script scope first, then the
// global object), through a getter compiled once per context and name and kept in the
// context itself (ContextSlots::kCallGetters), so that the cache dies with the
// context. Undeclared names give undefined. Empty when the getter threw (a binding
// in its temporal dead zone, a throwing global accessor).
v8::MaybeLocal<v8::Value> TopLevelValue(JsScope& scope, const std::string& name) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::String> key = scope.Str(name);
  if (!IsPlainIdentifier(name)) {
    // (Non-ASCII names: only global properties.)
    return context->Global()->Get(context, key);
  }
  v8::Local<v8::Object> getters = ContextSlots::CallGetters(context);
  v8::Local<v8::Value> getter;
  if (!getters->Get(context, key).ToLocal(&getter)) return {};
  if (!getter->IsFunction()) {
    std::string source =
        absl::StrCat("(function(){return typeof ", name, "==='undefined'?void 0:", name, "})");
    v8::ScriptOrigin origin(isolate, scope.Str("jscore:call"));
    v8::Local<v8::Script> script;
    if (!v8::Script::Compile(context, scope.Str(source), &origin).ToLocal(&script) ||
        !script->Run(context).ToLocal(&getter) || !getter->IsFunction()) {
      return {};
    }
    // At most kMaxCachedGetters names per context (a caller naming endless missing
    // functions must not grow the context): past that, compiled for the call only.
    ContextState* state = ContextState::From(context);
    if (state != nullptr && state->call_getters < kMaxCachedGetters) {
      if (getters->Set(context, key, getter).IsNothing()) return {};
      state->call_getters++;
    }
  }
  return getter.As<v8::Function>()->Call(context, v8::Undefined(isolate), 0, nullptr);
}

}  // namespace

bool IsScriptFunction(v8::Local<v8::Function> function) {
  for (int depth = 0; depth < 64; ++depth) {
    v8::Local<v8::Value> bound = function->GetBoundFunction();
    if (!bound->IsFunction()) return function->ScriptId() != v8::UnboundScript::kNoScriptId;
    function = bound.As<v8::Function>();
  }
  return false;
}

v8::Maybe<CallTarget> ResolveCallTarget(JsScope& scope, const std::string& path) {
  if (path.empty()) return ThrowTypeError(scope, "no function named");
  CallTarget target;
  v8::Local<v8::Context> context = scope.context();
  v8::Local<v8::Object> global = context->Global();
  v8::Local<v8::Object> root = ContextSlots::CallRoot(context);
  std::vector<absl::string_view> segments = absl::StrSplit(path, '.');
  size_t i = 0;
  v8::Local<v8::Value> current;
  std::string walked;
  if (root.IsEmpty()) {
    // The first name, from the top level; names of the global object itself are skipped.
    for (;;) {
      std::string name(segments[i].data(), segments[i].size());
      if (!TopLevelValue(scope, name).ToLocal(&current)) return v8::Nothing<CallTarget>();
      target.holder = global;
      absl::StrAppend(&walked, walked.empty() ? "" : ".", name);
      ++i;
      bool is_global = current->IsObject() && current.As<v8::Object>()->StrictEquals(global);
      if (!is_global || i == segments.size() ||
          !(name == "globalThis" || name == "window" || name == "self")) {
        break;
      }
    }
  } else {
    current = root;
  }
  for (; i < segments.size(); ++i) {
    if (!current->IsObject()) {
      return ThrowTypeError(
          scope, absl::StrCat("'", path, "' is not a function ('", walked, "' is ",
                              current->IsUndefined() ? "undefined" : "not an object", ")"));
    }
    target.holder = current;
    std::string name(segments[i].data(), segments[i].size());
    if (!current.As<v8::Object>()->Get(context, scope.Str(name)).ToLocal(&current)) {
      return v8::Nothing<CallTarget>();
    }
    absl::StrAppend(&walked, walked.empty() ? "" : ".", name);
  }
  if (!current->IsFunction()) {
    return ThrowTypeError(scope, absl::StrCat("'", path, "' is not a function"));
  }
  if (!IsScriptFunction(current.As<v8::Function>())) {
    return ThrowTypeError(
        scope, absl::StrCat(
                   "'", path,
                   "' is not a function of the program (Call reaches only functions written in the "
                   "program's JavaScript, never builtins such as eval or Function)"));
  }
  target.function = current.As<v8::Function>();
  return v8::Just(target);
}

}  // namespace jscore::engine::internal
