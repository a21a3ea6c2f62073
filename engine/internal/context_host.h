// ContextHost: what a context's native functions (timers, console, hooks) call back into.
#ifndef JSCORE_ENGINE_INTERNAL_CONTEXT_HOST_H_
#define JSCORE_ENGINE_INTERNAL_CONTEXT_HOST_H_

#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "engine/internal/embedder_slots.h"
#include "engine/internal/http_client.h"
#include "engine/internal/js_scope.h"
#include "engine/job.h"
#include "v8.h"

namespace jscore::engine::internal {

// Implemented by the job (or, later, the session) that currently owns a context; it
// lives on the worker thread. A context that no one owns (a pre-built one) has no host
// and its extensions throw if called.
class ContextHost {
 public:
  virtual ~ContextHost() = default;

  // Schedules `callback(...args)` after `delay_ms` (repeatedly when `repeat`).
  // Returns the timer id (> 0), or 0 when the job has too many timers.
  virtual int AddTimer(JsScope& scope, v8::Local<v8::Function> callback,
                       std::vector<v8::Global<v8::Value>> args, double delay_ms, bool repeat) = 0;
  virtual void ClearTimer(int id) = 0;
  virtual void AddConsoleLine(ConsoleLine::Level level, std::string text) = 0;
  // $terminate(data): stops the running job at once, uncatchably (`finally` does not
  // run); its outcome becomes `data` as hook data (Outcome::Kind::kHook). Called from
  // a native function inside the job's section; converts `data` there.
  virtual void TerminateWithHook(JsScope& scope, v8::Local<v8::Value> data) = 0;

  // fetch and XMLHttpRequest. Starts an HTTP transfer on the worker's loop for the
  // job and returns its id; `done` runs later inside a section of the job, with its
  // context entered, unless the job ends first (then the transfer is aborted and
  // `done` is dropped, on the worker thread). Fails at once, with nothing started,
  // for a URL that is not allowed (PermissionDenied) or not fetchable
  // (InvalidArgument), too many transfers (ResourceExhausted), or no fetch at all.
  using HttpDone = absl::AnyInvocable<void(JsScope& scope, HttpResult result)>;
  virtual absl::StatusOr<uint64_t> StartHttp(HttpRequest request, HttpDone done) = 0;
  // Aborts a transfer of this job; its `done` never runs. Unknown ids are ignored.
  virtual void AbortHttp(uint64_t id) = 0;

  static void Attach(v8::Local<v8::Context> context, ContextHost* host) {
    context->SetAlignedPointerInEmbedderData(kSlot, host);
  }
  static ContextHost* From(v8::Local<v8::Context> context) {
    return static_cast<ContextHost*>(context->GetAlignedPointerFromEmbedderData(kSlot));
  }

 private:
  static constexpr int kSlot = kContextHostSlot;  // internal/embedder_slots.h
};

}  // namespace jscore::engine::internal

#endif  // JSCORE_ENGINE_INTERNAL_CONTEXT_HOST_H_
