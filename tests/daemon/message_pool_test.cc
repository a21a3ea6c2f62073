// In-process tests of daemon/message_pool.h: released messages are cleared and serve
// later calls, up to the pool's capacity; a request that grew too large is freed,
// not kept. No server: the test plays gRPC's part (AllocateMessages, then Release).
#include "daemon/message_pool.h"

#include <string>

#include "gtest/gtest.h"
#include "jscore/v1/jscore.pb.h"

namespace jscore::daemon {
namespace {

using Pool = MessagePool<v1::CallRequest, v1::EvaluateResponse>;

TEST(MessagePoolTest, AReleasedPairIsClearedAndServesTheNextCall) {
  Pool pool(/*capacity=*/4, /*max_kept_bytes=*/1 << 10);
  auto* first = pool.AllocateMessages();
  first->request()->set_function("sign");
  first->request()->add_args()->set_string_value("argument");
  first->response()->mutable_value()->set_string_value("answer");
  first->response()->mutable_stats()->set_worker(3);
  EXPECT_EQ(pool.FreeCount(), 0u);
  first->Release();
  EXPECT_EQ(pool.FreeCount(), 1u);

  auto* second = pool.AllocateMessages();
  EXPECT_EQ(second, first);  // reused, not made anew
  EXPECT_EQ(pool.FreeCount(), 0u);
  EXPECT_TRUE(second->request()->function().empty());
  EXPECT_EQ(second->request()->args_size(), 0);
  EXPECT_FALSE(second->response()->has_value());
  EXPECT_FALSE(second->response()->has_stats());
  EXPECT_EQ(second->response()->ByteSizeLong(), 0u);
  second->Release();
}

TEST(MessagePoolTest, KeepsAtMostItsCapacity) {
  Pool pool(/*capacity=*/2, /*max_kept_bytes=*/1 << 10);
  auto* a = pool.AllocateMessages();
  auto* b = pool.AllocateMessages();
  auto* c = pool.AllocateMessages();
  EXPECT_NE(a, b);
  EXPECT_NE(b, c);
  a->Release();
  b->Release();
  c->Release();  // freed: the pool is full
  EXPECT_EQ(pool.FreeCount(), 2u);
}

TEST(MessagePoolTest, ARequestPastTheBoundIsFreedNotKept) {
  Pool pool(/*capacity=*/4, /*max_kept_bytes=*/1 << 10);
  auto* big = pool.AllocateMessages();
  big->request()->add_args()->set_string_value(std::string(4 << 10, 'x'));
  big->Release();
  EXPECT_EQ(pool.FreeCount(), 0u);

  auto* small = pool.AllocateMessages();
  small->request()->add_args()->set_string_value(std::string(100, 'x'));
  // A response larger than the arena's own block spills into blocks the reset frees.
  small->response()->mutable_value()->set_string_value(std::string(64 << 10, 'y'));
  small->Release();
  EXPECT_EQ(pool.FreeCount(), 1u);
  auto* again = pool.AllocateMessages();
  EXPECT_EQ(again->response()->ByteSizeLong(), 0u);
  again->Release();
}

}  // namespace
}  // namespace jscore::daemon
