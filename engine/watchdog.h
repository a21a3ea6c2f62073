// Watchdog: one thread that fires when a running job overruns its deadline.
#ifndef JSCORE_ENGINE_WATCHDOG_H_
#define JSCORE_ENGINE_WATCHDOG_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace jscore::engine {

// Owned by the Pool; it has one slot per worker. A worker arms its slot (with a token
// naming the job) before it runs JavaScript synchronously and disarms it afterwards;
// both are two atomic stores, because they happen around every job. The thread scans
// the slots every `tick` while any was armed recently (so it fires at most one tick
// late) and parks when all stayed idle for a while; an Arm wakes a parked thread.
// When an armed deadline passes, the thread calls `fire(slot, token)`, and again at
// every tick until the worker disarms the slot; the worker decides, under its own
// lock, whether that token is still running (so a late fire never hits the next
// job). `fire` runs on the watchdog thread and must be quick (the Pool's may retire
// a worker whose job overran by far: that takes one isolate's creation).
class Watchdog {
 public:
  // `overrun`: how long ago the slot's deadline passed.
  using Fire = std::function<void(int slot, uint64_t token, absl::Duration overrun)>;
  using Tick = std::function<void()>;

  // `tick` (optional) runs on the watchdog thread at every scan while it is not
  // parked, i.e. while workers run JavaScript.
  Watchdog(int slots, Fire fire, Tick tick = nullptr,
           absl::Duration interval = absl::Milliseconds(5));
  ~Watchdog();  // stops and joins the thread
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // Called by the worker that owns `slot`, on its thread. `token` is not 0.
  void Arm(int slot, uint64_t token, absl::Time deadline);
  void Disarm(int slot);
  // Any thread: disarms `slot` only if it is still armed with `token` (a retired
  // worker's slot, which its new thread may have armed again meanwhile).
  void DisarmIfToken(int slot, uint64_t token);

 private:
  struct Slot {
    std::atomic<uint64_t> token{0};  // 0: disarmed
    std::atomic<int64_t> deadline_ns{0};
  };
  void Run();

  const Fire fire_;
  const Tick on_tick_;
  const int slot_count_;
  const absl::Duration tick_;
  std::unique_ptr<Slot[]> slots_;
  std::atomic<bool> parked_{false};
  absl::Mutex mu_;
  absl::CondVar wake_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace jscore::engine

#endif  // JSCORE_ENGINE_WATCHDOG_H_
