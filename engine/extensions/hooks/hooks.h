// Hooks (never_jscore's): $return(v) / $exit(v) end the evaluation early with v;
// $terminate(v) stops it uncatchably and hands v back as hook data.
#ifndef JSCORE_ENGINE_EXTENSIONS_HOOKS_HOOKS_H_
#define JSCORE_ENGINE_EXTENSIONS_HOOKS_HOOKS_H_

#include "engine/internal/js_scope.h"
#include "v8.h"

namespace jscore::engine::extensions::hooks {

// Installs $return, $exit and $terminate on the global object (not enumerable).
//  - $return(v) throws an Error whose message contains "[jscore:$return]" and which
//    carries v; a try/catch may catch it. Uncaught (the job's top level, a timer, the
//    awaited promise), the job's result is v (see ReturnedValue).
//  - $terminate(v) converts v and terminates the job through its ContextHost;
//    nothing in the script can catch it and `finally` blocks do not run.
void InstallHooks(internal::JsScope& scope);

// True when `exception` is the marker thrown by $return (or $exit); `*value` is then
// the value it carries. Never runs user code.
bool ReturnedValue(internal::JsScope& scope, v8::Local<v8::Value> exception,
                   v8::Local<v8::Value>* value);

}  // namespace jscore::engine::extensions::hooks

#endif  // JSCORE_ENGINE_EXTENSIONS_HOOKS_HOOKS_H_
