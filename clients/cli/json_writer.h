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

}  // namespace jscore::cli

#endif  // JSCORE_CLIENTS_CLI_JSON_WRITER_H_
