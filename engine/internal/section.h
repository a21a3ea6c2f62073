// Section: one synchronous stretch of a job's JavaScript, run under the watchdog.
#ifndef JSCORE_ENGINE_INTERNAL_SECTION_H_
#define JSCORE_ENGINE_INTERNAL_SECTION_H_

#include <cstddef>
#include <optional>

#include "engine/internal/js_scope.h"
#include "v8.h"

namespace jscore::engine {

// How a synchronous stretch of JavaScript ended, seen from outside the script.
// kHook: the script called $terminate (the run's `hook` holds the outcome).
enum class SectionEnd { kCompleted, kDeadline, kCancelled, kHeapLimit, kTerminated, kHook };

namespace internal {

// What a section is watched by: arms the watchdog (and names the running job) when
// it begins, disarms it and classifies the stop when it ends. A job's run implements
// it (JobRun, through its Worker::Impl). Worker thread only.
class SectionWatch {
 public:
  virtual ~SectionWatch() = default;
  virtual void BeginSection() = 0;
  virtual SectionEnd EndSection() = 0;
};

// RAII, stack only, worker thread: enters `context` (a JsScope), opens a TryCatch,
// then begins the section on `watch`. End() ends it and says how it ended; the
// destructor ends a section that End() did not, so no early return leaves the
// watchdog armed. Everything that may run JavaScript of a job (its code, getters,
// toJSON, reading a thrown error) happens between construction and End().
class Section {
 public:
  Section(v8::Isolate* isolate, const v8::Global<v8::Context>& context, SectionWatch& watch)
      : scope_(isolate, context), try_catch_(isolate), watch_(watch) {
    watch_.BeginSection();
  }
  ~Section() { End(); }
  Section(const Section&) = delete;
  Section& operator=(const Section&) = delete;
  static void* operator new(size_t) = delete;

  JsScope& scope() { return scope_; }
  v8::TryCatch& try_catch() { return try_catch_; }
  v8::Local<v8::Context> context() const { return scope_.context(); }
  v8::Isolate* isolate() const { return scope_.isolate(); }

  // Ends the section (once: later calls return the first answer).
  SectionEnd End() {
    if (!end_) end_ = watch_.EndSection();
    return *end_;
  }

 private:
  JsScope scope_;
  v8::TryCatch try_catch_;
  SectionWatch& watch_;
  std::optional<SectionEnd> end_;
};

}  // namespace internal
}  // namespace jscore::engine

#endif  // JSCORE_ENGINE_INTERNAL_SECTION_H_
