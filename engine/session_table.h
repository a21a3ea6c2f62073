// SessionTable: which worker owns each session, and why a gone session is gone.
#ifndef JSCORE_ENGINE_SESSION_TABLE_H_
#define JSCORE_ENGINE_SESSION_TABLE_H_

#include <cstddef>
#include <deque>
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
  SessionTable(size_t max_sessions, int workers);

  // Picks the worker with the fewest sessions and registers a new id for it, owned
  // by `caller` (JobSpec::owner). RESOURCE_EXHAUSTED when --max_sessions are open.
  absl::StatusOr<std::pair<std::string, int>> Create(const std::string& caller = "");

  // The owning worker, or NOT_FOUND saying why (never existed, deleted, expired, lost).
  absl::StatusOr<int> Find(const std::string& id) const;
  // The same for `caller`: another caller's session is NOT_FOUND as if unknown.
  absl::StatusOr<int> Find(const std::string& id, const std::string& caller) const;

  // Forgets the session and remembers why (bounded memory of the last few thousand).
  void Remove(const std::string& id, const std::string& why);

  size_t size() const;
  std::vector<uint32_t> PerWorker() const;

 private:
  void RememberGone(const std::string& id, const std::string& why) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const size_t max_sessions_;
  mutable absl::Mutex mu_;
  struct Entry {
    int worker;
    std::string caller;
  };
  absl::flat_hash_map<std::string, Entry> owner_ ABSL_GUARDED_BY(mu_);
  std::vector<uint32_t> per_worker_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::string> gone_ ABSL_GUARDED_BY(mu_);
  std::deque<std::string> gone_order_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jscore::engine

#endif  // JSCORE_ENGINE_SESSION_TABLE_H_
