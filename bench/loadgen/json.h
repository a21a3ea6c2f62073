// JSON text for the loadgen: google.protobuf.Value in and out, and safe numbers.
#ifndef JSCORE_BENCH_LOADGEN_JSON_H_
#define JSCORE_BENCH_LOADGEN_JSON_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/struct.pb.h"

namespace jscore::loadgen {

// Compact JSON with object keys sorted, so that two equal values print the same.
// NaN and ±Infinity (which jscore results may hold and protobuf's printer rejects)
// print as null, as JSON.stringify does. Thread-safe (no shared state).
std::string ValueToJson(const google::protobuf::Value& value);

// A JSON string literal, quotes included.
std::string JsonQuote(absl::string_view s);

// A JSON number; NaN and ±Infinity (which JSON cannot hold) print as 0.
std::string JsonNumber(double d);

// Parses any JSON value (scalars included) into a Value.
absl::StatusOr<google::protobuf::Value> ParseJsonValue(const std::string& json);

// Parses a JSON array into a ListValue (for call arguments).
absl::StatusOr<google::protobuf::ListValue> ParseJsonArray(const std::string& json);

}  // namespace jscore::loadgen

#endif  // JSCORE_BENCH_LOADGEN_JSON_H_
