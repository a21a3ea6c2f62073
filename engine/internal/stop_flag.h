// StopRequested: how a native callback's loop learns that its section is being stopped.
#ifndef JSCORE_ENGINE_INTERNAL_STOP_FLAG_H_
#define JSCORE_ENGINE_INTERNAL_STOP_FLAG_H_

#include <atomic>

#include "v8.h"

namespace jscore::engine::internal {

// Isolate::TerminateExecution only *requests* a termination: V8 acts on it at its
// next interrupt check in JavaScript, and until then IsExecutionTerminating() is
// false. A native function that loops over a big input (inspecting 20 000 keys,
// hashing megabytes, serialising a URLSearchParams) makes no such check, so it must
// look at this flag too: the worker sets it whenever it terminates the running section
// (deadline, cancel, shutdown, heap limit, $terminate) and clears it when the next
// section begins. When it is set the callback returns at once (its result no longer
// matters): back in JavaScript, V8 acts on the termination.
//
// The flag is the worker's, attached to its isolate for the isolate's lifetime.
inline constexpr uint32_t kStopFlagSlot = 0;

inline void AttachStopFlag(v8::Isolate* isolate, std::atomic<bool>* flag) {
  isolate->SetData(kStopFlagSlot, flag);
}

// Worker thread, inside a section: true when the section is being stopped.
inline bool StopRequested(v8::Isolate* isolate) {
  auto* flag = static_cast<std::atomic<bool>*>(isolate->GetData(kStopFlagSlot));
  return (flag != nullptr && flag->load(std::memory_order_relaxed)) ||
         isolate->IsExecutionTerminating();
}

// Worker thread: makes V8 act on a requested termination now, when the section is
// being stopped and V8 has not acted yet. Optimised code for a loop whose body only
// calls native functions (`for (;;) btoa(big)`) may have no interrupt check of its
// own: V8 elides the loop's check when the loop makes calls, counting on the callee's
// entry check, which a native function does not have. So the loop would never stop.
// Entering any JavaScript function performs the check: a one-token script does,
// and the termination then unwinds the native function's caller. Called by every
// JsScope's destructor, so every native function of ours honours it on return.
inline void ActOnStopRequest(v8::Isolate* isolate, v8::Local<v8::Context> context) {
  auto* flag = static_cast<std::atomic<bool>*>(isolate->GetData(kStopFlagSlot));
  if (flag == nullptr || !flag->load(std::memory_order_relaxed)) return;
  if (isolate->IsExecutionTerminating() || context.IsEmpty()) return;
  v8::Local<v8::Script> script;
  v8::Local<v8::Value> ignored;
  if (v8::Script::Compile(context, v8::String::NewFromUtf8Literal(isolate, "0")).ToLocal(&script)) {
    (void)script->Run(context).ToLocal(&ignored);
  }
}

}  // namespace jscore::engine::internal

#endif  // JSCORE_ENGINE_INTERNAL_STOP_FLAG_H_
