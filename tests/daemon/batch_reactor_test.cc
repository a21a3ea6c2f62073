// BatchReactor's state machine in process: a gRPC server on a loopback port whose
// Batch streams run their items on a fake JobRunner that the test completes from
// threads of its own (out of order, late, after a cancel, with errors), no jscored.
#include "daemon/batch_reactor.h"

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "daemon/job_runner.h"
#include "gtest/gtest.h"

namespace jscore::daemon {
namespace {

// An Evaluate job's source ("" for the other kinds).
std::string SourceOf(const engine::Job& job) {
  const auto* evaluate = std::get_if<engine::EvaluateSpec>(&job.spec().what);
  return evaluate != nullptr ? evaluate->source : "";
}

constexpr absl::Duration kBound = absl::Seconds(10);  // every wait for something expected

// Keeps what the reactor submits; the test completes each job on a new thread, as a
// worker would (never inside Submit or Cancel).
class FakeRunner final : public JobRunner {
 public:
  ~FakeRunner() override { JoinAll(); }

  std::shared_ptr<engine::Job> MakeJob(engine::JobSpec spec, absl::Time deadline,
                                       engine::Job::Completion on_complete) override {
    auto job = std::make_shared<engine::Job>(std::move(spec), deadline, nullptr);
    absl::MutexLock lock(&mu_);
    completions_[job.get()] = std::move(on_complete);
    return job;
  }
  absl::Status Submit(std::shared_ptr<engine::Job> job) override {
    absl::MutexLock lock(&mu_);
    if (!refusal_.ok()) return refusal_;
    submitted_.push_back(std::move(job));
    return absl::OkStatus();
  }
  void Cancel(const std::shared_ptr<engine::Job>& job) override {
    absl::MutexLock lock(&mu_);
    cancelled_.push_back(job.get());
  }

  void Refuse(absl::Status status) {
    absl::MutexLock lock(&mu_);
    refusal_ = std::move(status);
  }
  // The jobs submitted so far, once there are at least `n` (empty after kBound).
  std::vector<std::shared_ptr<engine::Job>> WaitSubmitted(size_t n, absl::Duration bound = kBound) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return submitted_.size() >= n; };
    if (!mu_.AwaitWithTimeout(absl::Condition(&enough), bound)) return {};
    return submitted_;
  }
  size_t submitted() {
    absl::MutexLock lock(&mu_);
    return submitted_.size();
  }
  bool WaitCancelled(size_t n) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return cancelled_.size() >= n; };
    return mu_.AwaitWithTimeout(absl::Condition(&enough), kBound);
  }
  // Runs `job`'s completion with `outcome` on a new thread.
  void Complete(const std::shared_ptr<engine::Job>& job, engine::Outcome outcome) {
    engine::Job::Completion done;
    {
      absl::MutexLock lock(&mu_);
      done = std::move(completions_[job.get()]);
      completions_.erase(job.get());
    }
    ASSERT_TRUE(done != nullptr) << "a job completed twice";
    std::thread thread([done = std::move(done), outcome = std::move(outcome)]() mutable {
      done(std::move(outcome));
    });
    absl::MutexLock lock(&mu_);
    threads_.push_back(std::move(thread));
  }
  // Completes `job` with the number its source names (the items evaluate "<n>").
  void Answer(const std::shared_ptr<engine::Job>& job) {
    double n = 0;
    ASSERT_TRUE(absl::SimpleAtod(SourceOf(*job), &n)) << SourceOf(*job);
    engine::Outcome outcome;
    outcome.kind = engine::Outcome::Kind::kValue;
    outcome.value.set_number_value(n);
    Complete(job, std::move(outcome));
  }
  void JoinAll() {
    std::vector<std::thread> threads;
    {
      absl::MutexLock lock(&mu_);
      threads.swap(threads_);
    }
    for (std::thread& t : threads) t.join();
  }

 private:
  absl::Mutex mu_;
  absl::Status refusal_ ABSL_GUARDED_BY(mu_);
  std::map<engine::Job*, engine::Job::Completion> completions_ ABSL_GUARDED_BY(mu_);
  std::vector<std::shared_ptr<engine::Job>> submitted_ ABSL_GUARDED_BY(mu_);
  std::vector<engine::Job*> cancelled_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> threads_ ABSL_GUARDED_BY(mu_);
};

class BatchOnlyService final : public v1::JsCore::WithRawCallbackMethod_Batch<v1::JsCore::Service> {
 public:
  BatchOnlyService(JobRunner& runner, const DaemonConfig& config, Metrics& metrics,
                   StreamLimits& limits)
      : runner_(runner), config_(config), metrics_(metrics), limits_(limits) {}

  grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* Batch(
      grpc::CallbackServerContext* context) override {
    absl::StatusOr<std::string> caller = std::string("tester");
    if (context->client_metadata().count("deny") > 0) caller = absl::UnauthenticatedError("denied");
    return new BatchReactor(runner_, config_, context, caller, metrics_, limits_);
  }

 private:
  JobRunner& runner_;
  const DaemonConfig& config_;
  Metrics& metrics_;
  StreamLimits& limits_;
};

v1::BatchRequest Item(const std::string& id, int value) {
  v1::BatchRequest item;
  item.set_id(id);
  item.mutable_evaluate()->set_source(std::to_string(value));
  return item;
}

class BatchReactorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_.batch_window = 4;
    Start();
  }
  void Start() {
    service_ = std::make_unique<BatchOnlyService>(runner_, config_, metrics_, limits_);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(port, 0);
    auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                       grpc::InsecureChannelCredentials());
    stub_ = v1::JsCore::NewStub(channel);
  }
  void TearDown() override {
    runner_.JoinAll();
    // Every stream ended (OnDone ran, its count left the limits) before the server goes.
    EXPECT_TRUE(WaitStreamsClosed());
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  }
  std::unique_ptr<grpc::ClientReaderWriter<v1::BatchRequest, v1::BatchResponse>> Open(
      grpc::ClientContext* context) {
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    return stub_->Batch(context);
  }
  // Reads results until the stream ends; id -> response (packed ones unpacked).
  static std::map<std::string, v1::BatchResponse> ReadAll(
      grpc::ClientReaderWriter<v1::BatchRequest, v1::BatchResponse>* stream) {
    std::map<std::string, v1::BatchResponse> results;
    v1::BatchResponse response;
    while (stream->Read(&response)) {
      for (const v1::BatchResponse& more : response.more()) results[more.id()] = more;
      response.clear_more();
      results[response.id()] = response;
    }
    return results;
  }
  bool WaitStreamsClosed() {
    const absl::Time end = absl::Now() + kBound;
    while (limits_.open() > 0) {
      if (absl::Now() > end) return false;
      absl::SleepFor(absl::Milliseconds(2));
    }
    return true;
  }

  DaemonConfig config_;
  FakeRunner runner_;
  Metrics metrics_;
  StreamLimits limits_{64, 8};
  std::unique_ptr<BatchOnlyService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::JsCore::Stub> stub_;
};

TEST_F(BatchReactorTest, ResultsCompletedOutOfOrderFromOtherThreadsReachTheirItems) {
  grpc::ClientContext context;
  auto stream = Open(&context);
  for (int i = 1; i <= 3; i++) ASSERT_TRUE(stream->Write(Item("item" + std::to_string(i), i)));
  ASSERT_TRUE(stream->WritesDone());
  std::vector<std::shared_ptr<engine::Job>> jobs = runner_.WaitSubmitted(3);
  ASSERT_EQ(jobs.size(), 3u);
  for (const auto& job : jobs) EXPECT_EQ(job->spec().owner, "tester");
  runner_.Answer(jobs[2]);
  runner_.Answer(jobs[0]);
  runner_.Answer(jobs[1]);
  std::map<std::string, v1::BatchResponse> results = ReadAll(stream.get());
  ASSERT_EQ(results.size(), 3u);
  for (int i = 1; i <= 3; i++) {
    const v1::BatchResponse& r = results["item" + std::to_string(i)];
    EXPECT_EQ(r.code(), 0) << r.message();
    EXPECT_EQ(r.result().value().number_value(), i);
  }
  EXPECT_TRUE(stream->Finish().ok());
}

// The next read starts before a message's items are submitted, yet items are
// submitted in the order they were sent (a session runs its jobs in arrival order).
TEST_F(BatchReactorTest, ItemsAreSubmittedInTheOrderSent) {
  config_.batch_window = 256;  // read by each stream as it goes; none is open yet
  constexpr int kMessages = 100;
  grpc::ClientContext context;
  auto stream = Open(&context);
  for (int i = 0; i < kMessages; i++) {
    v1::BatchRequest message = Item("m" + std::to_string(i), 2 * i);
    *message.add_more() = Item("m" + std::to_string(i) + "b", 2 * i + 1);
    ASSERT_TRUE(stream->Write(message));
  }
  ASSERT_TRUE(stream->WritesDone());
  std::vector<std::shared_ptr<engine::Job>> jobs = runner_.WaitSubmitted(2 * kMessages);
  ASSERT_EQ(jobs.size(), 2u * kMessages);
  for (int i = 0; i < 2 * kMessages; i++) EXPECT_EQ(SourceOf(*jobs[i]), std::to_string(i));
  for (const auto& job : jobs) runner_.Answer(job);
  EXPECT_EQ(ReadAll(stream.get()).size(), 2u * kMessages);
  EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(BatchReactorTest, AFullWindowPausesReadingUntilAnItemIsAnswered) {
  grpc::ClientContext context;
  auto stream = Open(&context);
  for (int i = 0; i < 6; i++) ASSERT_TRUE(stream->Write(Item("i" + std::to_string(i), i)));
  ASSERT_TRUE(stream->WritesDone());
  std::vector<std::shared_ptr<engine::Job>> jobs = runner_.WaitSubmitted(4);
  ASSERT_EQ(jobs.size(), 4u);
  // The window (4) is full: no fifth item is read while none is answered.
  EXPECT_TRUE(runner_.WaitSubmitted(5, absl::Milliseconds(300)).empty());
  EXPECT_EQ(runner_.submitted(), 4u);
  runner_.Answer(jobs[1]);
  jobs = runner_.WaitSubmitted(5);
  ASSERT_EQ(jobs.size(), 5u);
  runner_.Answer(jobs[0]);
  runner_.Answer(jobs[2]);
  runner_.Answer(jobs[3]);
  runner_.Answer(jobs[4]);
  jobs = runner_.WaitSubmitted(6);
  ASSERT_EQ(jobs.size(), 6u);
  runner_.Answer(jobs[5]);
  std::map<std::string, v1::BatchResponse> results = ReadAll(stream.get());
  ASSERT_EQ(results.size(), 6u);
  for (int i = 0; i < 6; i++) {
    EXPECT_EQ(results["i" + std::to_string(i)].result().value().number_value(), i);
  }
  EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(BatchReactorTest, EachItemCarriesItsOwnErrorAndTheStreamEndsOk) {
  grpc::ClientContext context;
  auto stream = Open(&context);
  v1::BatchRequest empty;  // neither an evaluation nor a call
  empty.set_id("empty");
  ASSERT_TRUE(stream->Write(empty));
  ASSERT_TRUE(stream->Write(Item("fails", 1)));
  ASSERT_TRUE(stream->Write(Item("works", 2)));
  ASSERT_TRUE(stream->WritesDone());
  std::vector<std::shared_ptr<engine::Job>> jobs = runner_.WaitSubmitted(2);
  ASSERT_EQ(jobs.size(), 2u);
  runner_.Complete(jobs[0], engine::Outcome::Failed(absl::ResourceExhaustedError("heap full")));
  runner_.Answer(jobs[1]);
  std::map<std::string, v1::BatchResponse> results = ReadAll(stream.get());
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results["empty"].code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(results["fails"].code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(results["fails"].message(), "heap full");
  EXPECT_EQ(results["works"].code(), 0);
  EXPECT_EQ(results["works"].result().value().number_value(), 2);
  EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(BatchReactorTest, EachItemHasItsOwnDeadline) {
  grpc::ClientContext context;
  auto stream = Open(&context);
  v1::BatchRequest quick = Item("quick", 1);
  quick.mutable_evaluate()->mutable_timeout()->set_nanos(50'000'000);
  const absl::Time sent = absl::Now();
  ASSERT_TRUE(stream->Write(quick));
  ASSERT_TRUE(stream->Write(Item("default", 2)));
  ASSERT_TRUE(stream->WritesDone());
  std::vector<std::shared_ptr<engine::Job>> jobs = runner_.WaitSubmitted(2);
  ASSERT_EQ(jobs.size(), 2u);
  const absl::Time got = absl::Now();
  std::map<std::string, std::shared_ptr<engine::Job>> by_source;
  for (const auto& job : jobs) by_source[SourceOf(*job)] = job;
  // Each item's deadline is its own timeout from when it was read.
  EXPECT_GE(by_source["1"]->deadline(), sent + absl::Milliseconds(50));
  EXPECT_LE(by_source["1"]->deadline(), got + absl::Milliseconds(50));
  EXPECT_GE(by_source["2"]->deadline(), sent + config_.default_timeout);
  runner_.Complete(by_source["1"],
                   engine::Outcome::Failed(absl::DeadlineExceededError("deadline exceeded")));
  runner_.Answer(by_source["2"]);
  std::map<std::string, v1::BatchResponse> results = ReadAll(stream.get());
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results["quick"].code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_NE(results["quick"].message().find("the request's timeout"), std::string::npos)
      << results["quick"].message();
  EXPECT_EQ(results["default"].code(), 0);
  EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(BatchReactorTest, ACancelReachesEveryPendingJobAndTheirLateCompletionsAreHarmless) {
  grpc::ClientContext context;
  auto stream = Open(&context);
  for (int i = 0; i < 3; i++) ASSERT_TRUE(stream->Write(Item("c" + std::to_string(i), i)));
  std::vector<std::shared_ptr<engine::Job>> jobs = runner_.WaitSubmitted(3);
  ASSERT_EQ(jobs.size(), 3u);
  runner_.Answer(jobs[0]);  // one answered before the cancel
  context.TryCancel();
  ASSERT_TRUE(runner_.WaitCancelled(2));
  // The stream waits for its jobs: it is still counted open.
  EXPECT_EQ(limits_.open(), 1);
  // Late completions, as a worker reports a terminated job, after the client left.
  runner_.Complete(jobs[1], engine::Outcome::Failed(absl::CancelledError("cancelled")));
  runner_.Complete(jobs[2], engine::Outcome::Failed(absl::CancelledError("cancelled")));
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_TRUE(WaitStreamsClosed());
}

TEST_F(BatchReactorTest, TheStreamsDeadlineCancelsItsJobs) {
  grpc::ClientContext context;
  // Long enough for the item to be read on a loaded machine.
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(1500));
  auto stream = stub_->Batch(&context);
  ASSERT_TRUE(stream->Write(Item("slow", 1)));
  std::vector<std::shared_ptr<engine::Job>> jobs = runner_.WaitSubmitted(1);
  ASSERT_EQ(jobs.size(), 1u);
  ASSERT_TRUE(runner_.WaitCancelled(1));
  runner_.Complete(jobs[0], engine::Outcome::Failed(absl::CancelledError("cancelled")));
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_TRUE(WaitStreamsClosed());
}

TEST_F(BatchReactorTest, AStoppingRunnerAnswersUnavailableAndReadsNoMore) {
  grpc::ClientContext context;
  auto stream = Open(&context);
  ASSERT_TRUE(stream->Write(Item("before", 1)));
  std::vector<std::shared_ptr<engine::Job>> jobs = runner_.WaitSubmitted(1);
  ASSERT_EQ(jobs.size(), 1u);
  runner_.Refuse(absl::UnavailableError("the pool is shutting down"));
  ASSERT_TRUE(stream->Write(Item("refused", 2)));
  v1::BatchResponse response;
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_EQ(response.id(), "refused");
  EXPECT_EQ(response.code(), grpc::StatusCode::UNAVAILABLE);
  // The stream ends only once the item read before has its answer.
  runner_.Answer(jobs[0]);
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_EQ(response.id(), "before");
  EXPECT_EQ(response.result().value().number_value(), 1);
  EXPECT_FALSE(stream->Read(&response));
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(BatchReactorTest, PackedItemsAndPackedResults) {
  grpc::ClientContext context;
  auto stream = Open(&context);
  v1::BatchRequest message = Item("p0", 0);
  message.set_packed_results(true);
  for (int i = 1; i < 4; i++) *message.add_more() = Item("p" + std::to_string(i), i);
  ASSERT_TRUE(stream->Write(message));
  ASSERT_TRUE(stream->WritesDone());
  std::vector<std::shared_ptr<engine::Job>> jobs = runner_.WaitSubmitted(4);
  ASSERT_EQ(jobs.size(), 4u);
  for (const auto& job : jobs) runner_.Answer(job);
  std::map<std::string, v1::BatchResponse> results = ReadAll(stream.get());
  ASSERT_EQ(results.size(), 4u);
  for (int i = 0; i < 4; i++) {
    EXPECT_EQ(results["p" + std::to_string(i)].result().value().number_value(), i);
  }
  EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(BatchReactorTest, AMessagePastTheWindowIsRefusedWhole) {
  grpc::ClientContext context;
  auto stream = Open(&context);
  v1::BatchRequest message = Item("w0", 0);
  for (int i = 1; i < 5; i++) *message.add_more() = Item("w" + std::to_string(i), i);
  ASSERT_TRUE(stream->Write(message));  // 5 items, the window is 4
  v1::BatchResponse response;
  EXPECT_FALSE(stream->Read(&response));
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(runner_.submitted(), 0u);
}

TEST_F(BatchReactorTest, AnUnauthenticatedCallerRunsNothing) {
  grpc::ClientContext context;
  context.AddMetadata("deny", "1");
  auto stream = Open(&context);
  stream->Write(Item("x", 1));  // may fail: the stream may already be finished
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(runner_.submitted(), 0u);
}

}  // namespace
}  // namespace jscore::daemon
