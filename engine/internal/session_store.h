// SessionStore: the sessions pinned to one worker, their waiting lists and their TTL.
#ifndef JSCORE_ENGINE_INTERNAL_SESSION_STORE_H_
#define JSCORE_ENGINE_INTERNAL_SESSION_STORE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "engine/job.h"
#include "v8.h"

namespace jscore::engine::internal {

// A session's context, pinned to its worker. Jobs for it run one at a time, in
// arrival order. The handles are the session's: removing it lets the context go.
struct Session {
  std::string id;
  v8::Global<v8::Context> context;
  v8::MicrotaskQueue* microtasks = nullptr;  // owned by the context's ContextRecord
  absl::Duration ttl;
  absl::Time last_used;
  size_t bytes = 0;   // heap estimate: its creation's growth plus its jobs' (Release)
  bool busy = false;  // a job of this session is in flight
  // Arrived while busy, oldest first; at most the store's `max_waiting` (each also
  // listed in Worker::Impl::waiting_jobs, session_waiting.cc).
  std::deque<std::shared_ptr<Job>> waiting;
};

// The sessions of one worker by id: who is busy, who waits behind whom (bounded
// lists, answered at their deadline), when an idle session expires. Keeps, orders and
// times sessions; knows no isolate, no libuv timer, no SessionTable (the worker arms
// the timers these answers ask for and tells the table). Time comes from `clock`
// (absl::Now unless a test injects one). Worker thread only, except
// published_count() (any thread, for Worker::Stats).
class SessionStore {
 public:
  using Clock = std::function<absl::Time()>;
  explicit SessionStore(
      size_t max_waiting, Clock clock = [] { return absl::Now(); })
      : max_waiting_(max_waiting), clock_(std::move(clock)) {}
  SessionStore(const SessionStore&) = delete;
  SessionStore& operator=(const SessionStore&) = delete;

  absl::Time Now() const { return clock_(); }

  // The session named `id`, or null.
  Session* Find(const std::string& id);
  // Keeps `session` (used now); returns it.
  Session* Add(std::unique_ptr<Session> session);
  // Forgets `id`'s session and returns it (with whatever still waits in it); null
  // when there is none.
  std::unique_ptr<Session> Remove(const std::string& id);
  // Forgets every session and returns them.
  std::vector<std::unique_ptr<Session>> TakeAll();

  // Lists `job` behind `session`'s running job; false (nothing done) when its list
  // already holds `max_waiting` jobs.
  bool Enqueue(Session& session, std::shared_ptr<Job> job);
  // `session`'s job ended after growing the heap by `heap_growth`: the session is idle
  // and used now, holds that much more (never below 0), and its oldest waiting job,
  // if any, leaves the list and is returned (the worker runs it next).
  std::shared_ptr<Job> Release(Session& session, int64_t heap_growth);
  // Takes off every waiting list the jobs cancelled or whose deadline passed, oldest
  // first in each; `*next_deadline` becomes the earliest deadline left (or
  // InfiniteFuture).
  std::vector<std::shared_ptr<Job>> TakeOverdue(absl::Time* next_deadline);
  // Forgets every session that is idle, has nothing waiting and was last used at
  // least its ttl ago; returns their ids. `*next` becomes the time until the next
  // may expire (at least 1 ms), or InfiniteDuration when none can.
  std::vector<std::string> Expire(absl::Duration* next);

  size_t size() const { return sessions_.size(); }
  size_t max_waiting() const { return max_waiting_; }
  // size() as last published; any thread.
  uint32_t published_count() const { return count_.load(std::memory_order_relaxed); }
  // Calls `f(Session&)` for every session.
  template <typename F>
  void ForEach(F&& f) {
    for (auto& [id, session] : sessions_) f(*session);
  }

 private:
  void Publish() {
    count_.store(static_cast<uint32_t>(sessions_.size()), std::memory_order_relaxed);
  }

  const size_t max_waiting_;
  const Clock clock_;
  std::unordered_map<std::string, std::unique_ptr<Session>> sessions_;
  std::atomic<uint32_t> count_{0};
};

}  // namespace jscore::engine::internal

#endif  // JSCORE_ENGINE_INTERNAL_SESSION_STORE_H_
