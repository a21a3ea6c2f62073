#include "engine/platform.h"

#include <atomic>
#include <utility>

#include "absl/status/status.h"
#include "engine/internal/platform_impl.h"

namespace jscore::engine {
namespace {
std::atomic<bool> g_initialized{false};
}  // namespace

absl::StatusOr<std::unique_ptr<Platform>> Platform::Create(const PlatformOptions& options) {
  if (g_initialized.exchange(true)) {
    return absl::FailedPreconditionError("V8 is already initialised in this process");
  }
  if (!v8::V8::InitializeICU()) {
    return absl::InternalError("V8 could not initialise ICU");
  }
  // `import data from './x.json' assert { type: 'json' }`, as Node 18-20 accept it.
  static constexpr char kModuleFlags[] = "--harmony-import-assertions";
  v8::V8::SetFlagsFromString(kModuleFlags, sizeof kModuleFlags - 1);
  if (!options.v8_flags.empty()) {
    v8::V8::SetFlagsFromString(options.v8_flags.c_str(), options.v8_flags.size());
  }
  auto impl = std::make_unique<Impl>();
  impl->v8_platform = v8::platform::NewDefaultPlatform(options.background_threads);
  v8::V8::InitializePlatform(impl->v8_platform.get());
  if (!v8::V8::Initialize()) {
    return absl::InternalError("V8 failed to initialise");
  }
  return std::unique_ptr<Platform>(new Platform(std::move(impl)));
}

Platform::Platform(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Platform::~Platform() {
  if (impl_->live_isolates.load(std::memory_order_acquire) > 0) {
    // A thread left behind at shutdown is still inside V8: tearing V8 down under it
    // would crash the exit. Leave V8 (and what the thread uses) to the process's end.
    impl_.release();
    return;
  }
  v8::V8::Dispose();
  v8::V8::DisposePlatform();
}

std::string V8Version() { return v8::V8::GetVersion(); }

}  // namespace jscore::engine
