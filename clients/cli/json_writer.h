// JSON text for google.protobuf.Value, safe for every value jscore returns.
#ifndef JSCORE_CLIENTS_CLI_JSON_WRITER_H_
#define JSCORE_CLIENTS_CLI_JSON_WRITER_H_

#include <string>

#include "google/protobuf/struct.pb.h"

namespace jscore::cli {

// Protobuf's own JSON printer rejects NaN and ±Infinity (which jscore results may
// hold); this writer prints them as null, as JSON.stringify does. Object keys are
// sorted so that output is stable.
std::string ToJson(const google::protobuf::Value& value);

// A JSON string literal (quotes included).
std::string JsonString(const std::string& s);

// A message as one JSON object: proto field names, every field (defaults too), and
// integers of every width as JSON numbers (protobuf's printer writes 64-bit ones as
// strings); enums by name, non-finite doubles as null. For plain data messages such
// as GetStatsResponse (no maps, no well-known types).
std::string MessageJson(const google::protobuf::Message& message);

}  // namespace jscore::cli

#endif  // JSCORE_CLIENTS_CLI_JSON_WRITER_H_
