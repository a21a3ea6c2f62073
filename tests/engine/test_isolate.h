// TestIsolate: an isolate of its own for unit tests of the engine's internal types
// (no Pool, no worker thread). Made, entered, used and disposed on the test's thread.
#ifndef JSCORE_TESTS_ENGINE_TEST_ISOLATE_H_
#define JSCORE_TESTS_ENGINE_TEST_ISOLATE_H_

#include <memory>

#include "engine/internal/platform_impl.h"
#include "libplatform/libplatform.h"
#include "tests/engine/engine_test_support.h"
#include "v8.h"

namespace jscore::testing {

class TestIsolate {
 public:
  TestIsolate() : allocator_(v8::ArrayBuffer::Allocator::NewDefaultAllocator()) {
    v8::Isolate::CreateParams params;
    params.array_buffer_allocator = allocator_.get();
    isolate_ = v8::Isolate::New(params);
    TestPlatform().impl().live_isolates.fetch_add(1);
    isolate_->Enter();
  }
  ~TestIsolate() {
    isolate_->Exit();
    // As every engine isolate (engine README, invariant 23): the platform first.
    v8::platform::NotifyIsolateShutdown(TestPlatform().impl().v8_platform.get(), isolate_);
    isolate_->Dispose();
    TestPlatform().impl().live_isolates.fetch_sub(1);
  }
  TestIsolate(const TestIsolate&) = delete;
  TestIsolate& operator=(const TestIsolate&) = delete;

  v8::Isolate* get() const { return isolate_; }

 private:
  std::unique_ptr<v8::ArrayBuffer::Allocator> allocator_;
  v8::Isolate* isolate_ = nullptr;
};

}  // namespace jscore::testing

#endif  // JSCORE_TESTS_ENGINE_TEST_ISOLATE_H_
