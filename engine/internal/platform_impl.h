// Platform::Impl: what the engine's internals need of the process-wide V8 setup.
#ifndef JSCORE_ENGINE_INTERNAL_PLATFORM_IMPL_H_
#define JSCORE_ENGINE_INTERNAL_PLATFORM_IMPL_H_

#include <atomic>
#include <memory>

#include "engine/platform.h"
#include "libplatform/libplatform.h"
#include "v8.h"

namespace jscore::engine {

struct Platform::Impl {
  std::unique_ptr<v8::Platform> v8_platform;
  // Isolates alive in the process. A worker left behind inside a builtin at shutdown
  // (Worker::JoinUntil) may still run one when the Platform goes: then V8 is not torn
  // down (the process is exiting) and this Impl is leaked for that thread.
  std::atomic<int> live_isolates{0};
};

}  // namespace jscore::engine

#endif  // JSCORE_ENGINE_INTERNAL_PLATFORM_IMPL_H_
