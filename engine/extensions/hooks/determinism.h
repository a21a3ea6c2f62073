// Deterministic runs: a seeded Math.random and a frozen clock (Date, performance.now).
#ifndef JSCORE_ENGINE_EXTENSIONS_HOOKS_DETERMINISM_H_
#define JSCORE_ENGINE_EXTENSIONS_HOOKS_DETERMINISM_H_

#include "engine/internal/context_state.h"
#include "engine/internal/js_scope.h"

namespace jscore::engine::extensions::hooks {

// Replaces, once per context, Math.random, Date (the constructor, Date() and
// Date.now) and, when present, performance.now/timeOrigin with native functions that
// read `state` on every call: `state.random` set draws from the seeded generator
// (else real randomness), `state.frozen_time_ms` set stands the clocks still (else
// real time). The replacements print as `function name() { [native code] }`;
// `new Date(...)` with arguments, subclasses and instanceof behave as before. crypto
// reads the same generator (extensions/crypto/crypto.h). Returns false when JS threw or
// was terminated (a session's global may hold user getters).
bool InstallDeterminism(internal::JsScope& scope, internal::ContextState& state);

}  // namespace jscore::engine::extensions::hooks

#endif  // JSCORE_ENGINE_EXTENSIONS_HOOKS_DETERMINISM_H_
