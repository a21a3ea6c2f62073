// Outcomes the job runners (evaluate_runner.h, call_runner.h, program_runner.h,
// session_runner.h) answer with. Plain data; any thread.
#ifndef JSCORE_ENGINE_RUNNERS_RUNNER_OUTCOMES_H_
#define JSCORE_ENGINE_RUNNERS_RUNNER_OUTCOMES_H_

#include <string>
#include <utility>

#include "engine/job.h"

namespace jscore::engine::runners {

// A job that ended with a JS error.
inline Outcome JsErrorOutcome(JsError error) {
  Outcome o;
  o.kind = Outcome::Kind::kJsError;
  o.error = std::move(error);
  return o;
}

// A LoadProgram's or CreateSession's answer: the id, also as the string value.
inline Outcome IdOutcome(std::string id) {
  Outcome o;
  o.kind = Outcome::Kind::kValue;
  o.value.set_string_value(id);
  o.id = std::move(id);
  return o;
}

}  // namespace jscore::engine::runners

#endif  // JSCORE_ENGINE_RUNNERS_RUNNER_OUTCOMES_H_
