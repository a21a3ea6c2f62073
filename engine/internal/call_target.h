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
//  - the rest are property reads (getters run); the target.holder is the object holding the
//    function (`this` for the call).
// The function found must be written in JavaScript source (the program's, its
// modules', a session's): never a builtin or a native function such as `eval`,
// `Function`, `sign.constructor` or `Object.prototype.toString` (a bound function counts as
// its target). Otherwise a TypeError naming the path is thrown.
// Nothing when a getter threw or the TypeError was thrown (the caller's TryCatch holds
// the exception) or execution was terminated.
struct CallTarget {
  v8::Local<v8::Function> function;
  v8::Local<v8::Value> holder;  // `this` for the call
};
v8::Maybe<CallTarget> ResolveCallTarget(JsScope& scope, const std::string& path);

// Whether `function` (or a bound function's target) was compiled from JavaScript
// source, as opposed to a V8 builtin or an embedder (native) function.
bool IsScriptFunction(v8::Local<v8::Function> function);

}  // namespace jscore::engine::internal

#endif  // JSCORE_ENGINE_INTERNAL_CALL_TARGET_H_
