// JsonValue: a JS value as ordered JSON text plus a sparse types tree (the JsValue of
// the wire, README "Values"), and the check a front end runs on one before the engine
// builds it. Plain data, no V8: any thread.
#ifndef JSCORE_ENGINE_JSON_VALUE_H_
#define JSCORE_ENGINE_JSON_VALUE_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/json_text.h"

namespace jscore::engine {

enum class ValueEncoding {
  kProtobuf,  // google.protobuf.Value + TypeAnnotations (Outcome::value)
  kJson,      // JsonValue (Outcome::value_json)
};

struct JsonValue {
  // UTF-8 JSON text, object keys in JS order.
  std::string json;
  // "" when the value is plain JSON; otherwise JSON text of the sparse types tree:
  // a node is "kind" or [kind-or-null, {key: node, ...}], keys being object keys or
  // decimal array indices. Kinds: undefined, bigint, date, bytes, nan, infinity,
  // -infinity, map, set.
  std::string types;
};

using ::jscore::CheckJsonText;
using ::jscore::JsonShape;

// CheckJsonText for a JsonValue's two texts: the value at most `max_depth` deep, its
// types tree (when not empty) at most 2 * max_depth + 2 (a node costs two JSON levels).
absl::StatusOr<JsonShape> CheckJsonValue(const JsonValue& value, int max_depth,
                                         absl::string_view what);

}  // namespace jscore::engine

#endif  // JSCORE_ENGINE_JSON_VALUE_H_
