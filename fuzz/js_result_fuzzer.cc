// Fuzz target: bytes -> a JS source evaluated by the engine (fresh context, standard
// environment, 100 ms deadline) -> its result converted to a Value by the worker.
//
// It reaches the result conversion with every kind of JS value (getters, Proxies,
// toJSON, Maps, typed arrays, cycles...), and the extensions (URL, TextDecoder,
// crypto, timers, console...) with whatever arguments the mutations produce.
// Invariants: the job completes once and in time (RunJob), and its outcome passes
// CheckOutcome (UTF-8, annotations that name nodes of the right shape, documented
// failures only). Use fuzz/js.dict as the dictionary.
#include <cstdint>
#include <string>

#include "absl/time/clock.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  jscore::fuzz::FuzzPool();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  jscore::engine::EvaluateSpec spec;
  spec.source.assign(reinterpret_cast<const char*>(data), size);
  spec.filename = "<fuzz>";
  jscore::engine::Outcome outcome = jscore::fuzz::RunJob(jscore::fuzz::FuzzPool(), std::move(spec),
                                                         absl::Now() + absl::Milliseconds(100));
  jscore::fuzz::CheckOutcome(outcome);
  return 0;
}
