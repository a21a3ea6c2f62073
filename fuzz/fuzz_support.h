// What the fuzz targets share: V8 and an engine Pool made once per process, a bounded
// run of one job, and the invariants every engine outcome must satisfy.
#ifndef JSCORE_FUZZ_FUZZ_SUPPORT_H_
#define JSCORE_FUZZ_FUZZ_SUPPORT_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "engine/job.h"
#include "engine/platform.h"
#include "engine/pool.h"
#include "google/protobuf/struct.pb.h"

namespace jscore::fuzz {

// V8's process-wide setup, made on first use by the fuzzing thread and never
// destroyed: libFuzzer ends the process with exit(), the pool's threads still idle.
engine::Platform& FuzzPlatform();

// A small pool (1 worker, 64 MiB heap, small program/session tables) kept across
// iterations, so that an iteration costs a job, not a pool.
engine::Pool& FuzzPool();

// Submits `job` and waits for its outcome. A job that the pool refuses yields the
// refusal as a kFailed outcome. A job that does not complete by its deadline plus
// `slack` is a bug (invariant 1 of engine/README.md): the process aborts, and
// libFuzzer keeps the input as a crash.
engine::Outcome RunJob(engine::Pool& pool, engine::JobSpec spec, absl::Time deadline,
                       absl::Duration slack = absl::Seconds(20));

// Aborts with `what` (and libFuzzer keeps the input) when `ok` is false.
void Require(bool ok, std::string_view what);

// Strict UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF.
bool IsValidUtf8(std::string_view s);

// The node a JSON Pointer (RFC 6901) names inside `root`, or null.
const google::protobuf::Value* Resolve(const google::protobuf::Value& root,
                                       std::string_view pointer);

// The invariants of ARCHITECTURE.md "Values" and "Errors" for one outcome:
//  - a value: every string and key is valid UTF-8; `undefined` means null and no
//    annotations; every annotation names a node of the right shape (NaN is a NaN
//    number, a BigInt a decimal string, bytes a list of 0..255, ...); every NaN or
//    infinite number is annotated;
//  - a JS error: its texts are valid UTF-8;
//  - a failure: a status code the engine documents (never OK, INTERNAL or UNKNOWN).
void CheckOutcome(const engine::Outcome& outcome);

}  // namespace jscore::fuzz

#endif  // JSCORE_FUZZ_FUZZ_SUPPORT_H_
