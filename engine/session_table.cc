#include "engine/session_table.h"

#include <openssl/rand.h>

#include <cstdio>

#include "absl/strings/str_cat.h"

namespace jscore::engine {
namespace {

constexpr size_t kGoneRemembered = 10000;

std::string NewSessionId() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    // RAND_bytes only fails when the OS has no entropy source; fall back loudly.
    std::fprintf(stderr, "jscore: RAND_bytes failed\n");
  }
  std::string hex(32, '0');
  for (int i = 0; i < 16; ++i) std::snprintf(&hex[i * 2], 3, "%02x", bytes[i]);
  return hex;
}

}  // namespace

SessionTable::SessionTable(size_t max_sessions, int workers)
    : max_sessions_(max_sessions), per_worker_(workers, 0) {}

absl::StatusOr<std::pair<std::string, int>> SessionTable::Create(const std::string& caller) {
  absl::MutexLock lock(&mu_);
  if (owner_.size() >= max_sessions_) {
    return absl::ResourceExhaustedError(
        absl::StrCat("too many sessions (", max_sessions_, " open); delete some first"));
  }
  int worker = 0;
  for (int i = 1; i < static_cast<int>(per_worker_.size()); ++i) {
    if (per_worker_[i] < per_worker_[worker]) worker = i;
  }
  std::string id = NewSessionId();
  owner_.emplace(id, Entry{worker, caller});
  per_worker_[worker]++;
  return std::make_pair(id, worker);
}

absl::StatusOr<int> SessionTable::Find(const std::string& id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = owner_.find(id);
  if (it != owner_.end()) return it->second.worker;
  auto gone = gone_.find(id);
  if (gone != gone_.end()) {
    return absl::NotFoundError(absl::StrCat("session ", id, " is gone: ", gone->second));
  }
  return absl::NotFoundError(absl::StrCat("unknown session ", id));
}

absl::StatusOr<int> SessionTable::Find(const std::string& id, const std::string& caller) const {
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = owner_.find(id);
    if (it != owner_.end() && it->second.caller != caller) {
      return absl::NotFoundError(absl::StrCat("unknown session ", id));
    }
  }
  return Find(id);
}

void SessionTable::Remove(const std::string& id, const std::string& why) {
  absl::MutexLock lock(&mu_);
  auto it = owner_.find(id);
  if (it == owner_.end()) return;
  per_worker_[it->second.worker]--;
  owner_.erase(it);
  RememberGone(id, why);
}

void SessionTable::RememberGone(const std::string& id, const std::string& why) {
  gone_[id] = why;
  gone_order_.push_back(id);
  if (gone_order_.size() > kGoneRemembered) {
    gone_.erase(gone_order_.front());
    gone_order_.pop_front();
  }
}

size_t SessionTable::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return owner_.size();
}

std::vector<uint32_t> SessionTable::PerWorker() const {
  absl::ReaderMutexLock lock(&mu_);
  return per_worker_;
}

}  // namespace jscore::engine
