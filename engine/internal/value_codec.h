// The JS <-> google.protobuf.Value mapping (ARCHITECTURE.md, "Values").
#ifndef JSCORE_ENGINE_INTERNAL_VALUE_CODEC_H_
#define JSCORE_ENGINE_INTERNAL_VALUE_CODEC_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/internal/js_scope.h"
#include "engine/job.h"
#include "google/protobuf/struct.pb.h"
#include "v8.h"

namespace jscore::engine::internal {

struct ConversionLimits {
  size_t max_bytes = 4 << 20;
  int max_depth = 100;
  // Conversion stops with kDeadlineExceeded once this passes (checked every few
  // hundred places, so a large value is refused within its deadline).
  absl::Time deadline = absl::InfiniteFuture();
};

// As Date.prototype.toISOString: years outside 0..9999 take six digits and a sign.
std::string FormatIsoDate(double ms);

// A Number, String, Boolean or BigInt object (`new Number(1)`...), which both encodings
// send as the primitive inside it, as JSON.stringify does.
bool IsBoxedPrimitive(v8::Local<v8::Value> value);
v8::Local<v8::Value> UnboxedPrimitive(v8::Isolate* isolate, v8::Local<v8::Object> boxed);

struct ConvertedValue {
  google::protobuf::Value value;
  bool undefined = false;
  std::vector<TypeAnnotation> annotations;
};

// Converts a JS value for a response. Runs user code (getters, toJSON, Proxy traps),
// so call it under the job's deadline and inside a TryCatch. Returns:
//  - the converted value;
//  - kInvalidArgument for a cycle, kOutOfRange for depth or size past the limits
//    (their messages name the path);
//  - kAborted when JS threw or execution was terminated (see the TryCatch).
absl::StatusOr<ConvertedValue> ToProtoValue(JsScope& scope, v8::Local<v8::Value> value,
                                            const ConversionLimits& limits);

// Builds a JS value from a protobuf Value (arguments, injected globals). Fails only
// when V8 does (out of memory, termination) or nesting passes 100 levels.
v8::MaybeLocal<v8::Value> FromProtoValue(JsScope& scope, const google::protobuf::Value& value);

}  // namespace jscore::engine::internal

#endif  // JSCORE_ENGINE_INTERNAL_VALUE_CODEC_H_
