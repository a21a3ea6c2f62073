// CallTarget: what `Call {function: "a.b.c"}` names in a context, and the rule that
// it only ever names the program's own JavaScript.
#ifndef JSCORE_ENGINE_INTERNAL_CALL_TARGET_H_
#define JSCORE_ENGINE_INTERNAL_CALL_TARGET_H_

#include <optional>
#include <string>

#include "engine/internal/js_scope.h"
#include "engine/job.h"
#include "v8.h"

namespace jscore::engine::internal {

// Resolves `path` in the scope's context (worker thread, inside the job's section):
//  - the first name is looked up as JavaScript scoping would from the program's top
//    level, so `var`, `function` and also script-scope `const`/`let`/`class` bindings
//    (which are not properties of the global object) are found; a context whose
//    program is a module graph (ContextState::call_root) looks it up among the root
//    module's exports instead;
//  - `globalThis.`, `window.` or `self.` naming the global object itself are skipped;
//  - the rest are property reads (getters run); `*holder` is the object holding the
//    function (`this` for the call).
// The function found must be written in JavaScript source (the program's, its
// modules', a session's): never a builtin or a native function such as `eval`,
// `Function`, `sign.constructor` or `Object.prototype.toString` (a bound function counts as
// its target). Otherwise the answer is a TypeError JsError naming the path.
// Returns nullopt with `*found` true on success; nullopt with `*found` false when a
// getter threw (the caller's TryCatch holds it).
std::optional<JsError> ResolveCallTarget(JsScope& scope, const std::string& path,
                                         v8::Local<v8::Function>* function,
                                         v8::Local<v8::Value>* holder, bool* found);

// Whether `function` (or a bound function's target) was compiled from JavaScript
// source, as opposed to a V8 builtin or an embedder (native) function.
bool IsScriptFunction(v8::Local<v8::Function> function);

}  // namespace jscore::engine::internal

#endif  // JSCORE_ENGINE_INTERNAL_CALL_TARGET_H_
