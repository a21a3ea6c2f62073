// Platform: V8's process-wide initialisation (platform, ICU, flags).
#ifndef JSCORE_ENGINE_PLATFORM_H_
#define JSCORE_ENGINE_PLATFORM_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace jscore::engine {

struct PlatformOptions {
  // Background threads V8 may use for GC and compilation (0: V8's choice).
  int background_threads = 1;
  // Extra V8 flags, space separated (for experiments; empty in production).
  std::string v8_flags;
};

// Built once per process, in main() or a test's global environment, and passed by
// reference to every Pool; it must outlive them all. Created and destroyed on the
// main thread. V8 cannot be initialised twice in one process: a second Create()
// fails.
class Platform {
 public:
  static absl::StatusOr<std::unique_ptr<Platform>> Create(const PlatformOptions& options);
  ~Platform();
  Platform(const Platform&) = delete;
  Platform& operator=(const Platform&) = delete;

  struct Impl;  // engine/internal/platform_impl.h
  Impl& impl() { return *impl_; }

 private:
  explicit Platform(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// "10.2.154.26-node.36" and the like.
std::string V8Version();

}  // namespace jscore::engine

#endif  // JSCORE_ENGINE_PLATFORM_H_
