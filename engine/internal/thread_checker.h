// ThreadChecker: the thread that owns an object, asserted in debug builds.
#ifndef JSCORE_ENGINE_INTERNAL_THREAD_CHECKER_H_
#define JSCORE_ENGINE_INTERNAL_THREAD_CHECKER_H_

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace jscore::engine::internal {

// Remembers one thread (Bind, on that thread) and checks that callers run on it.
// A Worker::Impl binds its worker thread at the start of ThreadMain; its
// worker-thread-only methods say JSCORE_DCHECK_ON_WORKER_THREAD(). Bind and the
// checks may run on any thread (the owner is an atomic).
class ThreadChecker {
 public:
  // Makes the calling thread the owner.
  void Bind() { owner_.store(std::this_thread::get_id(), std::memory_order_release); }
  // Whether the calling thread is the owner (false before Bind).
  bool OnOwnerThread() const {
    return owner_.load(std::memory_order_acquire) == std::this_thread::get_id();
  }
  // Aborts the process, naming `where`, unless the calling thread is the owner.
  void Check(const char* where) const {
    if (OnOwnerThread()) return;
    std::fprintf(stderr, "%s: called off its worker thread\n", where);
    std::abort();
  }

 private:
  std::atomic<std::thread::id> owner_{};
};

}  // namespace jscore::engine::internal

// In a Worker::Impl method that only its worker thread may call. Compiled in builds
// without NDEBUG: a Debug build and the sanitizer builds (scripts/sanitizer_env.sh).
#ifndef NDEBUG
#define JSCORE_DCHECK_ON_WORKER_THREAD() worker_thread.Check(__func__)
// The same in a function given the Worker::Impl `impl` (the job runners).
#define JSCORE_DCHECK_ON_WORKER_THREAD_OF(impl) (impl).worker_thread.Check(__func__)
#else
#define JSCORE_DCHECK_ON_WORKER_THREAD() \
  do {                                   \
  } while (false)
#define JSCORE_DCHECK_ON_WORKER_THREAD_OF(impl) \
  do {                                          \
  } while (false)
#endif

#endif  // JSCORE_ENGINE_INTERNAL_THREAD_CHECKER_H_
