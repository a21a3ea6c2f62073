// internal::ThreadChecker and JSCORE_DCHECK_ON_WORKER_THREAD: a worker-thread-only
// method called from another thread stops the process in builds without NDEBUG.
#include "engine/internal/thread_checker.h"

#include <thread>

#include "gtest/gtest.h"

namespace jscore::testing {
namespace {

using engine::internal::ThreadChecker;

// Binds `checker` on a thread of its own, which then ends.
void BindElsewhere(ThreadChecker& checker) {
  std::thread other([&checker] { checker.Bind(); });
  other.join();
}

TEST(ThreadCheckerTest, KnowsItsOwnerThread) {
  ThreadChecker checker;
  EXPECT_FALSE(checker.OnOwnerThread());  // nobody owns it before Bind
  checker.Bind();
  EXPECT_TRUE(checker.OnOwnerThread());
  bool elsewhere = true;
  std::thread other([&] { elsewhere = checker.OnOwnerThread(); });
  other.join();
  EXPECT_FALSE(elsewhere);
  BindElsewhere(checker);
  EXPECT_FALSE(checker.OnOwnerThread());
}

TEST(ThreadCheckerTest, CheckPassesOnTheOwnerThread) {
  ThreadChecker checker;
  checker.Bind();
  checker.Check("here");  // returns
  SUCCEED();
}

TEST(ThreadCheckerDeathTest, CheckStopsTheProcessOffItsOwnerThread) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");  // V8's threads run in this binary
  ThreadChecker checker;
  BindElsewhere(checker);
  EXPECT_DEATH(checker.Check("Worker::Impl::RunJob"),
               "Worker::Impl::RunJob: called off its worker thread");
}

// What a Worker::Impl looks like to the macro: a `worker_thread` member.
struct FakeImpl {
  void WorkerOnly() { JSCORE_DCHECK_ON_WORKER_THREAD(); }
  ThreadChecker worker_thread;
};

#ifndef NDEBUG
TEST(ThreadCheckerDeathTest, TheDebugMacroFiresOffTheWorkerThread) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  FakeImpl impl;
  BindElsewhere(impl.worker_thread);
  EXPECT_DEATH(impl.WorkerOnly(), "WorkerOnly: called off its worker thread");
}
#else
TEST(ThreadCheckerTest, TheMacroCostsNothingWithNdebug) {
  FakeImpl impl;
  BindElsewhere(impl.worker_thread);
  impl.WorkerOnly();  // compiled out: returns even off the worker thread
  EXPECT_FALSE(impl.worker_thread.OnOwnerThread());
}
#endif

TEST(ThreadCheckerTest, TheMacroPassesOnTheWorkerThread) {
  FakeImpl impl;
  impl.worker_thread.Bind();
  impl.WorkerOnly();
  EXPECT_TRUE(impl.worker_thread.OnOwnerThread());
}

}  // namespace
}  // namespace jscore::testing
