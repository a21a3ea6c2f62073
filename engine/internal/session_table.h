// SessionTable: which worker owns each session, and why a gone session is gone.
#ifndef JSCORE_ENGINE_INTERNAL_SESSION_TABLE_H_
#define JSCORE_ENGINE_INTERNAL_SESSION_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace jscore::engine {

// Owned by the Pool; any thread may call it. Holds routing only: the session's
// context lives on its worker. Ids are 128 random bits in hex (OpenSSL RAND_bytes).
class SessionTable {
 public:
  // Fills the buffer with random bytes; false when the system's generator fails.
  using RandomBytes = std::function<bool(unsigned char* out, size_t size)>;

  // `budget_bytes`: the heap one worker's sessions may hold (their estimates summed);
  // `floor_bytes`: the least a session is counted for (an empty context).
  SessionTable(size_t max_sessions, int workers, size_t budget_bytes = SIZE_MAX,
               size_t floor_bytes = 0);

  // Picks the worker with the fewest sessions among those whose sessions leave room
  // in their heap budget, registers a new id for it and counts it at the floor.
  // RESOURCE_EXHAUSTED when --max_sessions are open or no worker has room;
  // UNAVAILABLE when no random id can be made (RAND_bytes failed: an id must never
  // be guessable).
  // The session is owned by `caller` (JobSpec::owner).
  absl::StatusOr<std::pair<std::string, int>> Create(const std::string& caller = "");

  // The owning worker, or NOT_FOUND saying why (never existed, deleted, expired, lost).
  absl::StatusOr<int> Find(const std::string& id) const;
  // The same for `caller`: another caller's session is NOT_FOUND as if unknown.
  absl::StatusOr<int> Find(const std::string& id, const std::string& caller) const;

  // Forgets the session and remembers why (bounded memory of the last few thousand).
  void Remove(const std::string& id, const std::string& why);
  // Any thread (the owning worker): the session's heap estimate is now `bytes` (at
  // least the floor). Unknown ids are ignored.
  void SetBytes(const std::string& id, size_t bytes);
  // The heap estimates of each worker's sessions, summed.
  std::vector<size_t> BytesPerWorker() const;

  // Forgets every session of `worker` (its thread was retired), saying why.
  void RemoveWorker(int worker, const std::string& why);

  size_t size() const;
  std::vector<uint32_t> PerWorker() const;

  // Replaces OpenSSL's RAND_bytes as the source of ids (before any Create).
  void SetRandomBytesForTest(RandomBytes random) { random_ = std::move(random); }

 private:
  void RememberGone(const std::string& id, const std::string& why)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  struct Entry {
    int worker;
    size_t bytes;
    std::string caller;
  };
  const size_t max_sessions_;
  const size_t budget_bytes_;
  const size_t floor_bytes_;
  RandomBytes random_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> owner_ ABSL_GUARDED_BY(mu_);
  std::vector<uint32_t> per_worker_ ABSL_GUARDED_BY(mu_);
  std::vector<size_t> bytes_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::string> gone_ ABSL_GUARDED_BY(mu_);
  std::deque<std::string> gone_order_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jscore::engine

#endif  // JSCORE_ENGINE_INTERNAL_SESSION_TABLE_H_
