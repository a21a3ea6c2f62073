#include "engine/internal/session_store.h"

#include <algorithm>
#include <utility>

namespace jscore::engine::internal {

Session* SessionStore::Find(const std::string& id) {
  auto it = sessions_.find(id);
  return it == sessions_.end() ? nullptr : it->second.get();
}

Session* SessionStore::Add(std::unique_ptr<Session> session) {
  session->last_used = Now();
  Session* kept = session.get();
  sessions_[session->id] = std::move(session);
  Publish();
  return kept;
}

std::unique_ptr<Session> SessionStore::Remove(const std::string& id) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return nullptr;
  std::unique_ptr<Session> session = std::move(it->second);
  sessions_.erase(it);
  Publish();
  return session;
}

std::vector<std::unique_ptr<Session>> SessionStore::TakeAll() {
  std::vector<std::unique_ptr<Session>> all;
  all.reserve(sessions_.size());
  for (auto& [id, session] : sessions_) all.push_back(std::move(session));
  sessions_.clear();
  Publish();
  return all;
}

bool SessionStore::Enqueue(Session& session, std::shared_ptr<Job> job) {
  if (session.waiting.size() >= max_waiting_) return false;
  session.waiting.push_back(std::move(job));
  return true;
}

std::shared_ptr<Job> SessionStore::Release(Session& session, int64_t heap_growth) {
  session.busy = false;
  session.last_used = Now();
  int64_t bytes = static_cast<int64_t>(session.bytes) + heap_growth;
  session.bytes = bytes > 0 ? static_cast<size_t>(bytes) : 0;
  if (session.waiting.empty()) return nullptr;
  std::shared_ptr<Job> next = std::move(session.waiting.front());
  session.waiting.pop_front();
  return next;
}

std::vector<std::shared_ptr<Job>> SessionStore::TakeOverdue(absl::Time* next_deadline) {
  absl::Time now = Now();
  *next_deadline = absl::InfiniteFuture();
  std::vector<std::shared_ptr<Job>> overdue;
  for (auto& [id, session] : sessions_) {
    auto& list = session->waiting;
    for (auto it = list.begin(); it != list.end();) {
      const Job& job = **it;
      if (!job.cancel_requested() && job.deadline() > now) {
        *next_deadline = std::min(*next_deadline, job.deadline());
        ++it;
        continue;
      }
      overdue.push_back(std::move(*it));
      it = list.erase(it);
    }
  }
  return overdue;
}

std::vector<std::string> SessionStore::Expire(absl::Duration* next) {
  absl::Time now = Now();
  *next = absl::InfiniteDuration();
  std::vector<std::string> expired;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    Session& s = *it->second;
    absl::Time expiry = s.last_used + s.ttl;
    if (!s.busy && s.waiting.empty() && expiry <= now) {
      expired.push_back(s.id);
      it = sessions_.erase(it);
      continue;
    }
    *next = std::min(*next, std::max(expiry - now, absl::Milliseconds(1)));
    ++it;
  }
  Publish();
  return expired;
}

}  // namespace jscore::engine::internal
