// Batch streaming against a real jscored: results by id, flow control, cancellation,
// the stream deadline.
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/support/daemon_process.h"

namespace jscore::testing {
namespace {

v1::BatchRequest EvalItem(const std::string& id, const std::string& source,
                          absl::Duration timeout = absl::ZeroDuration()) {
  v1::BatchRequest item;
  item.set_id(id);
  item.mutable_evaluate()->set_source(source);
  if (timeout > absl::ZeroDuration()) {
    item.mutable_evaluate()->mutable_timeout()->set_seconds(absl::ToInt64Seconds(timeout));
    item.mutable_evaluate()->mutable_timeout()->set_nanos(
        static_cast<int32_t>(absl::ToInt64Nanoseconds(timeout) % 1000000000));
  }
  return item;
}

TEST(BatchTest, EveryItemComesBackOnceWithItsOwnOutcome) {
  auto daemon = StartDaemon({"--workers=2", "--batch_window=64"});
  ASSERT_NE(daemon, nullptr);
  auto stub = daemon->NewStub();
  grpc::ClientContext load_context;
  v1::LoadProgramRequest load;
  load.set_source("function twice(x) { return x * 2 }");
  v1::LoadProgramResponse loaded;
  ASSERT_TRUE(stub->LoadProgram(&load_context, load, &loaded).ok());

  constexpr int kItems = 3000;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  auto stream = stub->Batch(&context);
  std::thread writer([&] {
    for (int i = 0; i < kItems; ++i) {
      std::string id = absl::StrCat("item-", i);
      v1::BatchRequest item;
      switch (i % 4) {
        case 0:
          item = EvalItem(id, absl::StrCat(i, " + 1"));
          break;
        case 1:
          item = EvalItem(id, absl::StrCat("Promise.resolve(", i, " + 1)"));
          break;
        case 2:
          item.set_id(id);
          item.mutable_call()->set_program(loaded.program());
          item.mutable_call()->set_function("twice");
          item.mutable_call()->add_args()->set_number_value(i);
          break;
        case 3:
          item = EvalItem(id, absl::StrCat("throw new Error('e", i, "')"));
          break;
      }
      if (!stream->Write(item)) break;
    }
    stream->WritesDone();
  });
  std::set<std::string> seen;
  int wrong = 0;
  v1::BatchResponse response;
  while (stream->Read(&response)) {
    int i = std::stoi(response.id().substr(5));
    EXPECT_TRUE(seen.insert(response.id()).second) << "twice: " << response.id();
    EXPECT_EQ(response.code(), 0) << response.message();
    const auto& r = response.result();
    switch (i % 4) {
      case 0:
      case 1:
        wrong += r.value().number_value() != i + 1;
        break;
      case 2:
        wrong += r.value().number_value() != 2 * i;
        break;
      case 3:
        wrong += r.error().message() != absl::StrCat("e", i);
        break;
    }
  }
  writer.join();
  grpc::Status status = stream->Finish();
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(seen.size(), static_cast<size_t>(kItems));
  EXPECT_EQ(wrong, 0);
}

// A client that packs: items 50 to a message (BatchRequest.more), results read
// packed (BatchResponse.more). Every item still comes back once with its own value;
// a message with more items than --batch_window is refused whole: none of its items
// runs or is answered, and the stream ends INVALID_ARGUMENT after the others.
TEST(BatchTest, PackedItemsAndResults) {
  auto daemon = StartDaemon({"--workers=2", "--batch_window=64"});
  ASSERT_NE(daemon, nullptr);
  auto stub = daemon->NewStub();
  constexpr int kMessages = 40;
  constexpr int kPerMessage = 50;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  auto stream = stub->Batch(&context);
  std::thread writer([&] {
    for (int m = 0; m < kMessages; ++m) {
      v1::BatchRequest message =
          EvalItem(absl::StrCat(m * kPerMessage), absl::StrCat(m * kPerMessage, " * 3"));
      if (m == 0) message.set_packed_results(true);
      for (int k = 1; k < kPerMessage; ++k) {
        int i = m * kPerMessage + k;
        *message.add_more() =
            EvalItem(absl::StrCat(i), absl::StrCat("Promise.resolve(", i, " * 3)"));
      }
      if (!stream->Write(message)) break;
    }
    v1::BatchRequest too_many = EvalItem("big-0", "0");
    for (int k = 1; k < 70; ++k) *too_many.add_more() = EvalItem(absl::StrCat("big-", k), "0");
    stream->Write(too_many);
    stream->WritesDone();
  });
  std::set<std::string> seen;
  int wrong = 0, messages = 0, refused = 0;
  v1::BatchResponse response;
  while (stream->Read(&response)) {
    ++messages;
    std::vector<const v1::BatchResponse*> results = {&response};
    for (const auto& more : response.more()) {
      EXPECT_EQ(more.more_size(), 0);
      results.push_back(&more);
    }
    for (const v1::BatchResponse* r : results) {
      EXPECT_TRUE(seen.insert(r->id()).second) << "twice: " << r->id();
      if (absl::StartsWith(r->id(), "big-")) {
        ++refused;  // never: the message was refused whole
        continue;
      }
      EXPECT_EQ(r->code(), 0) << r->message();
      wrong += r->result().value().number_value() != 3 * std::stoi(r->id());
    }
  }
  writer.join();
  grpc::Status status = stream->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_NE(status.error_message().find("--batch_window"), std::string::npos)
      << status.error_message();
  EXPECT_EQ(seen.size(), static_cast<size_t>(kMessages * kPerMessage));
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(refused, 0);
  std::printf("packed batch: %zu results in %d messages\n", seen.size(), messages);
}

TEST(BatchTest, ItemFailuresAreItemStatuses) {
  auto daemon = StartDaemon({"--workers=1", "--max_source_bytes=100"});
  ASSERT_NE(daemon, nullptr);
  auto stub = daemon->NewStub();
  grpc::ClientContext context;
  auto stream = stub->Batch(&context);
  ASSERT_TRUE(stream->Write(EvalItem("big", std::string(200, ' '))));
  ASSERT_TRUE(stream->Write(EvalItem("slow", "while(true){}", absl::Milliseconds(100))));
  v1::BatchRequest call;
  call.set_id("unloaded");
  call.mutable_call()->set_program(std::string(64, 'b'));
  call.mutable_call()->set_function("f");
  ASSERT_TRUE(stream->Write(call));
  ASSERT_TRUE(stream->Write(EvalItem("fine", "'ok'")));
  stream->WritesDone();
  std::map<std::string, v1::BatchResponse> got;
  v1::BatchResponse response;
  while (stream->Read(&response)) got[response.id()] = response;
  EXPECT_TRUE(stream->Finish().ok());
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got["big"].code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(got["slow"].code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(got["unloaded"].code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(got["fine"].code(), 0);
  EXPECT_EQ(got["fine"].result().value().string_value(), "ok");
}

TEST(BatchTest, WindowBoundsItemsInFlight) {
  auto daemon = StartDaemon({"--workers=2", "--batch_window=5"});
  ASSERT_NE(daemon, nullptr);
  auto stub = daemon->NewStub();
  grpc::ClientContext context;
  auto stream = stub->Batch(&context);
  std::thread writer([&] {
    for (int i = 0; i < 40; ++i) {
      if (!stream->Write(EvalItem(absl::StrCat(i), "new Promise(r => setTimeout(() => r(1), 50))")))
        break;
    }
    stream->WritesDone();
  });
  std::atomic<bool> done{false};
  uint64_t most = 0;
  std::thread watcher([&] {
    while (!done) {
      grpc::ClientContext c;
      v1::GetStatsResponse stats;
      if (stub->GetStats(&c, {}, &stats).ok()) {
        uint64_t held = stats.queue_depth();
        for (const auto& w : stats.workers()) held += w.jobs_in_flight();
        most = std::max(most, held);
      }
      absl::SleepFor(absl::Milliseconds(5));
    }
  });
  int results = 0;
  v1::BatchResponse response;
  while (stream->Read(&response)) results++;
  done = true;
  writer.join();
  watcher.join();
  EXPECT_TRUE(stream->Finish().ok());
  EXPECT_EQ(results, 40);
  EXPECT_GT(most, 0u);
  EXPECT_LE(most, 5u);
}

TEST(BatchTest, CancelStopsEverythingPending) {
  auto daemon = StartDaemon({"--workers=1"});
  ASSERT_NE(daemon, nullptr);
  auto stub = daemon->NewStub();
  grpc::ClientContext context;
  auto stream = stub->Batch(&context);
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(stream->Write(EvalItem(absl::StrCat(i), "while(true){}", absl::Seconds(30))));
  }
  // Wait (bounded) until a loop is running, so that cancelling has to stop it.
  absl::Time bound = absl::Now() + absl::Seconds(10);
  for (;;) {
    grpc::ClientContext c;
    v1::GetStatsResponse stats;
    ASSERT_TRUE(stub->GetStats(&c, {}, &stats).ok());
    if (stats.workers(0).jobs_in_flight() > 0) break;
    ASSERT_LT(absl::Now(), bound);
    absl::SleepFor(absl::Milliseconds(5));
  }
  context.TryCancel();
  v1::BatchResponse response;
  while (stream->Read(&response)) {
  }
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::CANCELLED);
  // The only worker is free again well before the loops' 30 s timeouts.
  grpc::ClientContext c;
  c.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  v1::EvaluateRequest request;
  request.set_source("'free'");
  v1::EvaluateResponse reply;
  grpc::Status status = stub->Evaluate(&c, request, &reply);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(reply.value().string_value(), "free");
}

TEST(BatchTest, StreamDeadlineBoundsTheBatch) {
  auto daemon = StartDaemon({"--workers=1"});
  ASSERT_NE(daemon, nullptr);
  auto stub = daemon->NewStub();
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Milliseconds(300)));
  auto stream = stub->Batch(&context);
  absl::Time start = absl::Now();
  ASSERT_TRUE(stream->Write(EvalItem("loop", "while(true){}", absl::Seconds(30))));
  v1::BatchResponse response;
  while (stream->Read(&response)) {
  }
  grpc::Status status = stream->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
}

}  // namespace
}  // namespace jscore::testing
