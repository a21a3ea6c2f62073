// The JS <-> JsonValue mapping: ordered JSON text plus a sparse types tree (README,
// "Values"). Worker thread only.
#ifndef JSCORE_ENGINE_INTERNAL_JSON_VALUE_CODEC_H_
#define JSCORE_ENGINE_INTERNAL_JSON_VALUE_CODEC_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "engine/internal/js_scope.h"
#include "engine/internal/value_codec.h"
#include "engine/json_value.h"
#include "v8.h"

namespace jscore::engine::internal {

// Converts a JS value for a response: keys in JS order (Object.keys; a Map's in its
// own order), JSON.stringify's number and string forms, non-JSON types as the proto's
// JsValue comment says. The work is linear in the value (the output is bounded by
// limits.max_bytes, counting the JSON text and the types tree). Runs user code
// (getters, toJSON, Proxy traps), so call it under the job's deadline and inside a
// TryCatch. Returns:
//  - OK and fills `out` (`*undefined` says the value itself was undefined);
//  - kInvalidArgument for a cycle, kOutOfRange for depth or size past the limits
//    (their messages name the path);
//  - kDeadlineExceeded when limits.deadline passed while converting;
//  - kAborted when JS threw or execution was terminated (see the TryCatch).
absl::Status ToJsonValue(JsScope& scope, v8::Local<v8::Value> value, const ConversionLimits& limits,
                         JsonValue* out, bool* undefined);

// Builds a JS value from JSON text and its types tree (arguments, globals). `what`
// names the value in errors ("args_json"). kInvalidArgument (naming the path) for text
// that is not JSON or a types tree that does not fit the value; kAborted when V8 fails
// (out of memory, termination; see the caller's TryCatch).
absl::Status FromJsonValue(JsScope& scope, const JsonValue& value, absl::string_view what,
                           v8::Local<v8::Value>* out);

// Evaluate's globals_json: a JSON object whose members become global variables, in
// its key order. Errors as FromJsonValue's (INVALID_ARGUMENT when it is not an object).
absl::Status SetJsonGlobals(JsScope& scope, const JsonValue& globals);

// Call's args_json: a JSON array whose elements are appended to `argv`, in order.
absl::Status JsonArguments(JsScope& scope, const JsonValue& args,
                           std::vector<v8::Local<v8::Value>>* argv);

}  // namespace jscore::engine::internal

#endif  // JSCORE_ENGINE_INTERNAL_JSON_VALUE_CODEC_H_
