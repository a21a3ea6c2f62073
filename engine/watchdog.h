// Watchdog: one thread that fires when a running job overruns its deadline.
#ifndef JSCORE_ENGINE_WATCHDOG_H_
#define JSCORE_ENGINE_WATCHDOG_H_

#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace jscore::engine {

// Owned by the Pool; it has one slot per worker. A worker arms its slot (with a token
// naming the job) before it runs JavaScript synchronously and disarms it afterwards.
// When an armed deadline passes, the watchdog thread disarms the slot and calls
// `fire(slot, token)`; the worker decides, under its own lock, whether that token
// is still running (so a late fire never hits the next job). `fire` runs on the
// watchdog thread and must be quick.
class Watchdog {
 public:
  using Fire = std::function<void(int slot, uint64_t token)>;

  Watchdog(int slots, Fire fire);
  ~Watchdog();  // stops and joins the thread
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // Called by the worker that owns `slot`, on its thread.
  void Arm(int slot, uint64_t token, absl::Time deadline);
  void Disarm(int slot);

 private:
  struct Slot {
    uint64_t token = 0;  // 0: disarmed
    absl::Time deadline = absl::InfiniteFuture();
  };
  void Run();

  const Fire fire_;
  absl::Mutex mu_;
  absl::CondVar changed_;
  std::vector<Slot> slots_ ABSL_GUARDED_BY(mu_);
  absl::Time waiting_until_ ABSL_GUARDED_BY(mu_) = absl::InfiniteFuture();
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace jscore::engine

#endif  // JSCORE_ENGINE_WATCHDOG_H_
