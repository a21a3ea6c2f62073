#include "engine/watchdog.h"

#include <utility>

namespace jscore::engine {

Watchdog::Watchdog(int slots, Fire fire) : fire_(std::move(fire)), slots_(slots) {
  thread_ = std::thread([this] { Run(); });
}

Watchdog::~Watchdog() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
    changed_.Signal();
  }
  thread_.join();
}

void Watchdog::Arm(int slot, uint64_t token, absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  slots_[slot] = Slot{token, deadline};
  // Wake the thread only when this deadline comes before the one it waits for.
  if (deadline < waiting_until_) changed_.Signal();
}

void Watchdog::Disarm(int slot) {
  absl::MutexLock lock(&mu_);
  slots_[slot] = Slot{};
}

void Watchdog::Run() {
  std::vector<std::pair<int, uint64_t>> due;
  absl::MutexLock lock(&mu_);
  while (!stop_) {
    absl::Time now = absl::Now();
    absl::Time next = absl::InfiniteFuture();
    for (int i = 0; i < static_cast<int>(slots_.size()); ++i) {
      Slot& s = slots_[i];
      if (s.token == 0) continue;
      if (s.deadline <= now) {
        due.emplace_back(i, s.token);
        s = Slot{};
      } else if (s.deadline < next) {
        next = s.deadline;
      }
    }
    if (!due.empty()) {
      mu_.Unlock();
      for (auto [slot, token] : due) fire_(slot, token);
      due.clear();
      mu_.Lock();
      continue;
    }
    waiting_until_ = next;
    changed_.WaitWithDeadline(&mu_, next);
    waiting_until_ = absl::InfiniteFuture();
  }
}

}  // namespace jscore::engine
