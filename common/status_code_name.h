// The one spelling of a gRPC / absl status code in logs, metrics and tool output.
#ifndef JSCORE_COMMON_STATUS_CODE_NAME_H_
#define JSCORE_COMMON_STATUS_CODE_NAME_H_

namespace jscore {

// "OK", "DEADLINE_EXCEEDED", ... for codes 0–16 (gRPC's and absl's numbers are the same;
// the names are absl::StatusCodeToString's); "UNKNOWN" for any other number. Any thread.
const char* StatusCodeName(int code);

}  // namespace jscore

#endif  // JSCORE_COMMON_STATUS_CODE_NAME_H_
