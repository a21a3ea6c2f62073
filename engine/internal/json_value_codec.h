// The JS <-> JsonValue mapping: ordered JSON text plus a sparse types tree (README,
// "Values"). Worker thread only.
#ifndef JSCORE_ENGINE_INTERNAL_JSON_VALUE_CODEC_H_
#define JSCORE_ENGINE_INTERNAL_JSON_VALUE_CODEC_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
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
//  - the JSON value (`undefined` says the value itself was undefined);
//  - kInvalidArgument for a cycle, kOutOfRange for depth or size past the limits
//    (their messages name the path);
//  - kDeadlineExceeded when limits.deadline passed while converting;
//  - kAborted when JS threw or execution was terminated (see the TryCatch).
struct ConvertedJson {
  JsonValue value;
  bool undefined = false;
};
absl::StatusOr<ConvertedJson> ToJsonValue(JsScope& scope, v8::Local<v8::Value> value,
                                          const ConversionLimits& limits);

// Builds a JS value from JSON text and its types tree (arguments, globals). `what`
// names the value in errors ("args_json"). kInvalidArgument (naming the path) for text
// that is not JSON or a types tree that does not fit the value; kAborted when V8 fails
// (out of memory, termination; see the caller's TryCatch).
absl::StatusOr<v8::Local<v8::Value>> FromJsonValue(JsScope& scope, const JsonValue& value,
                                                   absl::string_view what);

// Evaluate's globals_json: a JSON object whose members become global variables, in
// its key order. Errors as FromJsonValue's (INVALID_ARGUMENT when it is not an object).
absl::Status SetJsonGlobals(JsScope& scope, const JsonValue& globals);

// Call's args_json: a JSON array's elements, in order.
absl::StatusOr<std::vector<v8::Local<v8::Value>>> JsonArguments(JsScope& scope,
                                                                const JsonValue& args);

}  // namespace jscore::engine::internal

#endif  // JSCORE_ENGINE_INTERNAL_JSON_VALUE_CODEC_H_
