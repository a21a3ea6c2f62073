// Platform::Impl: what the engine's internals need of the process-wide V8 setup.
#ifndef JSCORE_ENGINE_INTERNAL_PLATFORM_IMPL_H_
#define JSCORE_ENGINE_INTERNAL_PLATFORM_IMPL_H_

#include <memory>

#include "engine/platform.h"
#include "libplatform/libplatform.h"
#include "v8.h"

namespace jscore::engine {

struct Platform::Impl {
  std::unique_ptr<v8::Platform> v8_platform;
};

}  // namespace jscore::engine

#endif  // JSCORE_ENGINE_INTERNAL_PLATFORM_IMPL_H_
