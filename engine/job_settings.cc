// Per-job settings of a context: seeded randomness, a frozen clock, the browser
// profile and the probe (ContextSettings).
// Worker thread only.
#include <utility>

#include "engine/extensions/browser/browser_profile.h"
#include "engine/extensions/hooks/determinism.h"
#include "engine/internal/worker_impl.h"

namespace jscore::engine {

using internal::ContextState;
using internal::JsScope;

bool Worker::Impl::NeedsOwnContext(const ContextSettings* settings) {
  // The probe's interceptor sits on the global object, which only a context built
  // for it has.
  return settings != nullptr && settings->probe;
}

bool Worker::Impl::NeedsFreshProgramContext(const ContextSettings& settings) {
  // A cached program context is shared by every call: a seed, a clock or a probe for
  // one call must not leak into the next, so such a call gets a copy of its own.
  return settings.random_seed != 0 || settings.frozen_time_ms != 0 || settings.probe;
}

bool Worker::Impl::ApplyJobSettings(JsScope& scope, JobRun& run) {
  const ContextSettings* settings = run.job->spec().settings();
  ContextState* state = ContextState::From(scope.context());
  if (state == nullptr || settings == nullptr) return true;
  const ContextSettings& spec = *settings;
  if (spec.random_seed != 0 || spec.frozen_time_ms != 0) {
    // Fresh contexts die with the job; a session keeps the replacements, which fall
    // back to real randomness and time when nothing is set.
    if (!extensions::hooks::InstallDeterminism(scope, *state)) return false;
    if (spec.random_seed != 0) state->random.emplace(spec.random_seed);
    if (spec.frozen_time_ms != 0) {
      state->frozen_time_ms = static_cast<double>(spec.frozen_time_ms);
      if (run.job->spec().kind() == JobKind::kCreateSession)
        state->own_frozen_time_ms = state->frozen_time_ms;
    }
  }
  // A session's profile comes with its creation (the daemon refuses one per request).
  if (spec.browser && run.session == nullptr) {
    if (!extensions::browser::InstallBrowserProfile(scope, *spec.browser)) return false;
  }
  if (spec.probe && state->probe_built) state->probe_recording = true;
  return true;
}

void Worker::Impl::EndJobSettings(v8::Local<v8::Context> context, JobRun& run, Outcome& outcome) {
  ContextState* state = ContextState::From(context);
  if (state == nullptr) return;
  if (state->probe_recording) {
    outcome.probed_missing = std::move(state->probed);
    state->ResetProbe();
  }
  if (run.session != nullptr) state->frozen_time_ms = state->own_frozen_time_ms;
}

}  // namespace jscore::engine
