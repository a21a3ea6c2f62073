// MessagePool: reused request and response messages for a unary callback method.
#ifndef JSCORE_DAEMON_MESSAGE_POOL_H_
#define JSCORE_DAEMON_MESSAGE_POOL_H_

#include <cstddef>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/arena.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/message_allocator.h"

namespace jscore::daemon {

// gRPC's default for a callback method builds a new request and response per call
// and frees them (and every string and sub-message they grew) after OnDone. A pool
// keeps up to `capacity` pairs for later calls. A kept request is cleared (protobuf
// keeps the capacity of its strings and repeated fields), so a steady stream of
// similar calls parses into memory it already has; one whose encoding grew past
// `max_kept_bytes` is freed instead, so one large call does not pin its memory in
// the pool. The response lives on a protobuf arena whose first kResponseBlock bytes
// are the holder's own: a response that fits (and its sub-messages and strings) is
// built without malloc, and resetting the arena frees whatever did not fit. The handler also gets
// the request mutable (MutableRequest), which lets it move the request's large parts into the job
// instead of copying them.
//
// Thread-safe: AllocateMessages runs on gRPC's threads, Release on whichever thread
// ends the call (a worker, when OnDone runs inline). Must outlive the server.
template <typename Request, typename Response>
class MessagePool final : public grpc::MessageAllocator<Request, Response> {
 public:
  MessagePool(size_t capacity, size_t max_kept_bytes)
      : capacity_(capacity), max_kept_bytes_(max_kept_bytes) {}
  ~MessagePool() override {
    for (Holder* holder : free_) delete holder;
  }
  MessagePool(const MessagePool&) = delete;
  MessagePool& operator=(const MessagePool&) = delete;

  grpc::MessageHolder<Request, Response>* AllocateMessages() override {
    {
      absl::MutexLock lock(&mu_);
      if (!free_.empty()) {
        Holder* holder = free_.back();
        free_.pop_back();
        return holder;
      }
    }
    return new Holder(this);
  }

  // The request of a call on a method served by a MessagePool: the same message the
  // handler got as `const Request*`, which the call owns until it is done. Null if
  // the call's messages came from elsewhere.
  static Request* MutableRequest(grpc::CallbackServerContext& context) {
    auto* holder = dynamic_cast<Holder*>(context.GetRpcAllocatorState());
    return holder != nullptr ? holder->mutable_request() : nullptr;
  }

  // Pairs waiting for a call (for tests).
  size_t FreeCount() const {
    absl::MutexLock lock(&mu_);
    return free_.size();
  }

 private:
  // The response arena's own first block: room for a typical small answer (a value,
  // a few console lines, the stats) beside the arena's own header.
  static constexpr size_t kResponseBlock = 2048;

  class Holder final : public grpc::MessageHolder<Request, Response> {
   public:
    explicit Holder(MessagePool* pool) : pool_(pool), arena_(ArenaOptions(response_block_)) {
      this->set_request(&request_);
      this->set_response(google::protobuf::Arena::CreateMessage<Response>(&arena_));
    }
    void Release() override { pool_->Return(this); }
    Request* mutable_request() { return &request_; }

    // Clears the request and makes a new response; false if the request holds too
    // much to be kept.
    bool Reset(size_t max_kept_bytes) {
      if (request_.ByteSizeLong() > max_kept_bytes) return false;
      request_.Clear();
      arena_.Reset();
      this->set_response(google::protobuf::Arena::CreateMessage<Response>(&arena_));
      return true;
    }

   private:
    static google::protobuf::ArenaOptions ArenaOptions(char* block) {
      google::protobuf::ArenaOptions options;
      options.initial_block = block;
      options.initial_block_size = kResponseBlock;
      return options;
    }

    MessagePool* const pool_;
    Request request_;
    alignas(8) char response_block_[kResponseBlock];
    google::protobuf::Arena arena_;  // after response_block_, its first block
  };

  void Return(Holder* holder) {
    if (holder->Reset(max_kept_bytes_)) {
      absl::MutexLock lock(&mu_);
      if (free_.size() < capacity_) {
        free_.push_back(holder);
        return;
      }
    }
    delete holder;
  }

  const size_t capacity_;
  const size_t max_kept_bytes_;
  mutable absl::Mutex mu_;
  std::vector<Holder*> free_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jscore::daemon

#endif  // JSCORE_DAEMON_MESSAGE_POOL_H_
