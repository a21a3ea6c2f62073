// Environment probe: which global names (and navigator.*, document.*, screen.*
// properties) a script read that were undefined.
#ifndef JSCORE_ENGINE_EXTENSIONS_HOOKS_PROBE_H_
#define JSCORE_ENGINE_EXTENSIONS_HOOKS_PROBE_H_

#include "v8.h"

namespace jscore::engine::extensions::hooks {

// The global template of a probing context: a non-masking named interceptor, asked
// by V8 only about names the global object (and its prototype chain) does not have,
// records each such string name in the context's internal::ContextState while it
// records (`probe_recording`: the job's own code, not jscore's set-up) and answers
// nothing, so the lookup goes on as usual (`typeof x` is "undefined", `x` throws).
v8::Local<v8::ObjectTemplate> ProbeGlobalTemplate(v8::Isolate* isolate);

// An object template with the same interceptor for an object the browser profile
// defines; its misses are recorded as "<prefix>.<name>".
v8::Local<v8::ObjectTemplate> ProbeObjectTemplate(v8::Isolate* isolate, const char* prefix);

}  // namespace jscore::engine::extensions::hooks

#endif  // JSCORE_ENGINE_EXTENSIONS_HOOKS_PROBE_H_
