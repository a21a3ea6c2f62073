#include "engine/watchdog.h"

#include <utility>

namespace jscore::engine {
namespace {
// Idle scans in a row before the thread parks (about 0.5 s at the default tick).
constexpr int kIdleScansBeforePark = 100;
}  // namespace

Watchdog::Watchdog(int slots, Fire fire, Tick tick, absl::Duration interval)
    : fire_(std::move(fire)),
      on_tick_(std::move(tick)),
      slot_count_(slots),
      tick_(interval),
      slots_(std::make_unique<Slot[]>(slots)) {
  thread_ = std::thread([this] { Run(); });
}

Watchdog::~Watchdog() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
    wake_.Signal();
  }
  thread_.join();
}

void Watchdog::Arm(int slot, uint64_t token, absl::Time deadline) {
  Slot& s = slots_[slot];
  s.deadline_ns.store(absl::ToUnixNanos(deadline), std::memory_order_relaxed);
  s.token.store(token, std::memory_order_seq_cst);
  // Pairs with Run(): it sets parked_ then looks at the slots again (both seq_cst).
  if (parked_.load(std::memory_order_seq_cst)) {
    absl::MutexLock lock(&mu_);
    wake_.Signal();
  }
}

void Watchdog::Disarm(int slot) { slots_[slot].token.store(0, std::memory_order_release); }

void Watchdog::DisarmIfToken(int slot, uint64_t token) {
  slots_[slot].token.compare_exchange_strong(token, 0, std::memory_order_seq_cst);
}

void Watchdog::Run() {
  int idle_scans = 0;
  for (;;) {
    int64_t now = absl::ToUnixNanos(absl::Now());
    int64_t earliest = INT64_MAX;
    bool armed = false;
    for (int i = 0; i < slot_count_; ++i) {
      Slot& s = slots_[i];
      uint64_t token = s.token.load(std::memory_order_seq_cst);
      if (token == 0) continue;
      armed = true;
      int64_t deadline = s.deadline_ns.load(std::memory_order_relaxed);
      if (deadline <= now) {
        // Fire again at every tick until the worker disarms: JavaScript can resume
        // after a termination has unwound (V8 clears it at the top level, and a
        // re-posted task may run more), and none may run past the deadline.
        fire_(i, token, absl::Nanoseconds(now - deadline));
      } else if (deadline < earliest) {
        earliest = deadline;
      }
    }
    idle_scans = armed ? 0 : idle_scans + 1;
    if (on_tick_) on_tick_();
    absl::MutexLock lock(&mu_);
    if (stop_) return;
    if (idle_scans >= kIdleScansBeforePark) {
      parked_.store(true, std::memory_order_seq_cst);
      bool any = false;
      for (int i = 0; i < slot_count_ && !any; ++i) {
        any = slots_[i].token.load(std::memory_order_seq_cst) != 0;
      }
      if (!any) wake_.Wait(&mu_);
      parked_.store(false, std::memory_order_seq_cst);
      idle_scans = 0;
      continue;
    }
    absl::Duration sleep = tick_;
    if (earliest != INT64_MAX) sleep = std::min(sleep, absl::Nanoseconds(earliest - now));
    wake_.WaitWithTimeout(&mu_, sleep);
  }
}

}  // namespace jscore::engine
