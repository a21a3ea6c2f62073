#include "engine/internal/session_table.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cstdio>

#include "absl/strings/str_cat.h"

namespace jscore::engine {
namespace {

constexpr size_t kGoneRemembered = 10000;

// 128 random bits in hex, or UNAVAILABLE: a session id is its only credential, so a
// failed generator fails the CreateSession rather than make a guessable id.
absl::StatusOr<std::string> NewSessionId(const SessionTable::RandomBytes& random) {
  unsigned char bytes[16];
  if (!random(bytes, sizeof bytes)) {
    std::fprintf(stderr, "jscore: RAND_bytes failed; CreateSession refused\n");
    return absl::UnavailableError(
        "the system's random number generator failed: no session id could be made; retry");
  }
  std::string hex(32, '0');
  for (int i = 0; i < 16; ++i) std::snprintf(&hex[i * 2], 3, "%02x", bytes[i]);
  return hex;
}

}  // namespace

SessionTable::SessionTable(size_t max_sessions, int workers, size_t budget_bytes,
                           size_t floor_bytes)
    : max_sessions_(max_sessions),
      budget_bytes_(budget_bytes),
      floor_bytes_(floor_bytes),
      random_([](unsigned char* out, size_t size) {
        return RAND_bytes(out, static_cast<int>(size)) == 1;
      }),
      per_worker_(workers, 0),
      bytes_(workers, 0) {}

absl::StatusOr<std::pair<std::string, int>> SessionTable::Create(const std::string& caller) {
  absl::MutexLock lock(&mu_);
  if (owner_.size() >= max_sessions_) {
    return absl::ResourceExhaustedError(
        absl::StrCat("too many sessions (", max_sessions_, " open); delete some first"));
  }
  int worker = -1;
  for (int i = 0; i < static_cast<int>(per_worker_.size()); ++i) {
    if (bytes_[i] + floor_bytes_ > budget_bytes_) continue;  // no room in its heap
    if (worker < 0 || per_worker_[i] < per_worker_[worker]) worker = i;
  }
  if (worker < 0) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "sessions already hold their share of every worker's heap (", budget_bytes_ >> 20,
        " MB per worker, --session_memory_mb); delete some first"));
  }
  absl::StatusOr<std::string> made = NewSessionId(random_);
  if (!made.ok()) return made.status();
  std::string id = *std::move(made);
  owner_.emplace(id, Entry{worker, floor_bytes_, caller});
  per_worker_[worker]++;
  bytes_[worker] += floor_bytes_;
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
  bytes_[it->second.worker] -= it->second.bytes;
  owner_.erase(it);
  RememberGone(id, why);
}

void SessionTable::RemoveWorker(int worker, const std::string& why) {
  absl::MutexLock lock(&mu_);
  for (auto it = owner_.begin(); it != owner_.end();) {
    if (it->second.worker != worker) {
      ++it;
      continue;
    }
    RememberGone(it->first, why);
    owner_.erase(it++);
  }
  per_worker_[worker] = 0;
  bytes_[worker] = 0;
}

void SessionTable::SetBytes(const std::string& id, size_t bytes) {
  absl::MutexLock lock(&mu_);
  auto it = owner_.find(id);
  if (it == owner_.end()) return;
  bytes = std::max(bytes, floor_bytes_);
  bytes_[it->second.worker] += bytes;
  bytes_[it->second.worker] -= it->second.bytes;
  it->second.bytes = bytes;
}

std::vector<size_t> SessionTable::BytesPerWorker() const {
  absl::ReaderMutexLock lock(&mu_);
  return bytes_;
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
