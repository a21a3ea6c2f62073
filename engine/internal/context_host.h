// ContextHost: what a context's native functions (timers, console, hooks) call back into.
#ifndef JSCORE_ENGINE_INTERNAL_CONTEXT_HOST_H_
#define JSCORE_ENGINE_INTERNAL_CONTEXT_HOST_H_

#include <string>
#include <vector>

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

  static void Attach(v8::Local<v8::Context> context, ContextHost* host) {
    context->SetAlignedPointerInEmbedderData(kSlot, host);
  }
  static ContextHost* From(v8::Local<v8::Context> context) {
    return static_cast<ContextHost*>(context->GetAlignedPointerFromEmbedderData(kSlot));
  }

 private:
  static constexpr int kSlot = 1;  // slot 0 is V8's (debugger)
};

}  // namespace jscore::engine::internal

#endif  // JSCORE_ENGINE_INTERNAL_CONTEXT_HOST_H_
