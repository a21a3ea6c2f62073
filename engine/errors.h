// Errors: what the engine's absl::Status results carry beyond their canonical code, for
// front ends (the daemon maps them to gRPC statuses and ErrorDetail trailers,
// daemon/status_mapping.cc). Every other engine error is a plain code and message.
#ifndef JSCORE_ENGINE_ERRORS_H_
#define JSCORE_ENGINE_ERRORS_H_

#include <string>

#include "absl/status/status.h"

namespace jscore::engine {

// FAILED_PRECONDITION for a program this server does not hold (never loaded, unloaded,
// evicted, or loaded by another caller); the id rides along as a status payload so that
// front ends can tell clients which program to re-send. Any thread.
absl::Status ProgramNotLoadedError(const std::string& id);
// The program id carried by ProgramNotLoadedError, or "" for any other status. Any thread.
std::string NotLoadedProgram(const absl::Status& status);

}  // namespace jscore::engine

#endif  // JSCORE_ENGINE_ERRORS_H_
