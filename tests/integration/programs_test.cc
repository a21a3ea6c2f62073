// Programs and sessions over gRPC against a real jscored.
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/daemon_process.h"

namespace jscore::testing {
namespace {

using ::testing::HasSubstr;

std::string Load(v1::JsCore::Stub& stub, const std::string& source) {
  grpc::ClientContext context;
  v1::LoadProgramRequest request;
  request.set_source(source);
  v1::LoadProgramResponse response;
  grpc::Status status = stub.LoadProgram(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.program();
}

grpc::Status Call(v1::JsCore::Stub& stub, v1::CallRequest request, v1::EvaluateResponse* response,
                  std::multimap<std::string, std::string>* trailers = nullptr) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  grpc::Status status = stub.Call(&context, request, response);
  if (trailers != nullptr) {
    for (const auto& [key, value] : context.GetServerTrailingMetadata()) {
      trailers->emplace(std::string(key.data(), key.size()),
                        std::string(value.data(), value.size()));
    }
  }
  return status;
}

TEST(ProgramsTest, LoadOnceCallManyAcrossWorkers) {
  auto daemon = StartDaemon({"--workers=2"});
  ASSERT_NE(daemon, nullptr);
  auto stub = daemon->NewStub();
  std::string program = Load(*stub, R"(
    function sign(params, ts) {
      const keys = Object.keys(params).sort();
      let s = keys.map(k => k + '=' + params[k]).join('&') + '&ts=' + ts;
      let h = 2166136261;
      for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619) >>> 0; }
      return h.toString(16);
    })");
  ASSERT_EQ(program.size(), 64u);
  // The same source loads to the same id (idempotent, content-addressed).
  EXPECT_EQ(Load(*stub, R"(
    function sign(params, ts) {
      const keys = Object.keys(params).sort();
      let s = keys.map(k => k + '=' + params[k]).join('&') + '&ts=' + ts;
      let h = 2166136261;
      for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619) >>> 0; }
      return h.toString(16);
    })"),
            program);

  std::atomic<int> wrong{0};
  std::set<int> workers;
  std::mutex mu;
  std::vector<std::thread> clients;
  for (int c = 0; c < 16; ++c) {
    clients.emplace_back([&] {
      auto own = daemon->NewStub();
      std::string first;
      for (int i = 0; i < 50; ++i) {
        v1::CallRequest request;
        request.set_program(program);
        request.set_function("sign");
        auto* params = request.add_args()->mutable_struct_value()->mutable_fields();
        (*params)["b"].set_string_value("2");
        (*params)["a"].set_string_value("1");
        request.add_args()->set_number_value(1700000000);
        v1::EvaluateResponse response;
        grpc::Status status = Call(*own, request, &response);
        if (!status.ok() || response.value().string_value().size() < 6) wrong++;
        if (first.empty()) first = response.value().string_value();
        if (response.value().string_value() != first) wrong++;  // pure: same answer everywhere
        std::lock_guard<std::mutex> lock(mu);
        workers.insert(response.stats().worker());
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(workers.size(), 2u);
}

TEST(ProgramsTest, UnknownProgramIsFailedPreconditionWithADetail) {
  auto daemon = StartDaemon({"--workers=1"});
  ASSERT_NE(daemon, nullptr);
  auto stub = daemon->NewStub();
  std::string program = Load(*stub, "function f(x) { return x + 1 }");
  grpc::ClientContext unload_context;
  v1::UnloadProgramRequest unload;
  unload.set_program(program);
  v1::UnloadProgramResponse unloaded;
  ASSERT_TRUE(stub->UnloadProgram(&unload_context, unload, &unloaded).ok());

  v1::CallRequest request;
  request.set_program(program);
  request.set_function("f");
  request.add_args()->set_number_value(1);
  v1::EvaluateResponse response;
  std::multimap<std::string, std::string> trailers;
  grpc::Status status = Call(*stub, request, &response, &trailers);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  auto detail = trailers.find("jscore-error-detail-bin");
  ASSERT_NE(detail, trailers.end());
  v1::ErrorDetail parsed;
  ASSERT_TRUE(parsed.ParseFromString(detail->second));
  EXPECT_EQ(parsed.reason(), v1::ErrorDetail::PROGRAM_NOT_LOADED);
  EXPECT_EQ(parsed.program(), program);
  EXPECT_EQ(parsed.replica(), daemon->address());  // where to re-send it
  // What a client does: re-send the source, retry.
  EXPECT_EQ(Load(*stub, "function f(x) { return x + 1 }"), program);
  ASSERT_TRUE(Call(*stub, request, &response).ok());
  EXPECT_EQ(response.value().number_value(), 2);
}

TEST(ProgramsTest, SyntaxErrorAndModules) {
  auto daemon = StartDaemon({"--workers=1"});
  ASSERT_NE(daemon, nullptr);
  auto stub = daemon->NewStub();
  grpc::ClientContext bad_context;
  v1::LoadProgramRequest bad;
  bad.set_source("var ok = 1;\nfunction broken( {");
  v1::LoadProgramResponse bad_response;
  ASSERT_TRUE(stub->LoadProgram(&bad_context, bad, &bad_response).ok());
  EXPECT_TRUE(bad_response.program().empty());
  EXPECT_EQ(bad_response.error().name(), "SyntaxError");
  EXPECT_EQ(bad_response.error().line(), 2);

  grpc::ClientContext context;
  v1::LoadProgramRequest request;
  request.set_source("const lib = require('lib'); function go(s) { return lib.rev(s) }");
  (*request.mutable_modules())["lib"] = "exports.rev = s => s.split('').reverse().join('')";
  v1::LoadProgramResponse loaded;
  ASSERT_TRUE(stub->LoadProgram(&context, request, &loaded).ok());
  v1::CallRequest call;
  call.set_program(loaded.program());
  call.set_function("go");
  call.add_args()->set_string_value("</script>\"'\\");
  v1::EvaluateResponse response;
  ASSERT_TRUE(Call(*stub, call, &response).ok());
  EXPECT_EQ(response.value().string_value(), "\\'\">tpircs/<");
}

TEST(SessionsTest, StatefulContextPinnedToAWorker) {
  auto daemon = StartDaemon({"--workers=2"});
  ASSERT_NE(daemon, nullptr);
  auto stub = daemon->NewStub();
  grpc::ClientContext create_context;
  v1::CreateSessionRequest create;
  create.set_source("var n = 0; function inc(by) { n += by; return n }");
  v1::CreateSessionResponse session;
  ASSERT_TRUE(stub->CreateSession(&create_context, create, &session).ok());
  ASSERT_FALSE(session.session().empty());
  EXPECT_EQ(session.replica(), daemon->address());  // the replica that holds it

  for (int i = 1; i <= 20; ++i) {
    v1::CallRequest call;
    call.set_session(session.session());
    call.set_function("inc");
    call.add_args()->set_number_value(1);
    v1::EvaluateResponse response;
    ASSERT_TRUE(Call(*stub, call, &response).ok());
    EXPECT_EQ(response.value().number_value(), i);
    EXPECT_EQ(response.stats().worker(), session.worker());
  }
  grpc::ClientContext eval_context;
  v1::EvaluateRequest eval;
  eval.set_session(session.session());
  eval.set_source("var extra = 'kept'; n");
  v1::EvaluateResponse evaluated;
  ASSERT_TRUE(stub->Evaluate(&eval_context, eval, &evaluated).ok());
  EXPECT_EQ(evaluated.value().number_value(), 20);

  grpc::ClientContext delete_context;
  v1::DeleteSessionRequest del;
  del.set_session(session.session());
  v1::DeleteSessionResponse deleted;
  ASSERT_TRUE(stub->DeleteSession(&delete_context, del, &deleted).ok());
  grpc::ClientContext after_context;
  grpc::Status after = stub->Evaluate(&after_context, eval, &evaluated);
  EXPECT_EQ(after.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(after.error_message(), HasSubstr("deleted"));
}

TEST(SessionsTest, TtlAndLimits) {
  auto daemon = StartDaemon({"--workers=1", "--max_sessions=2"});
  ASSERT_NE(daemon, nullptr);
  auto stub = daemon->NewStub();
  std::vector<std::string> ids;
  for (int i = 0; i < 2; ++i) {
    grpc::ClientContext context;
    v1::CreateSessionRequest create;
    create.mutable_ttl()->set_nanos(200000000);  // 200 ms
    v1::CreateSessionResponse session;
    ASSERT_TRUE(stub->CreateSession(&context, create, &session).ok());
    ids.push_back(session.session());
  }
  grpc::ClientContext full_context;
  v1::CreateSessionResponse full;
  EXPECT_EQ(stub->CreateSession(&full_context, {}, &full).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  // Idle past the ttl, both expire (bounded wait, polling the stats, not the sessions).
  absl::Time bound = absl::Now() + absl::Seconds(10);
  for (;;) {
    grpc::ClientContext c;
    v1::GetStatsResponse stats;
    ASSERT_TRUE(stub->GetStats(&c, {}, &stats).ok());
    if (stats.sessions() == 0) break;
    ASSERT_LT(absl::Now(), bound) << "sessions never expired";
    absl::SleepFor(absl::Milliseconds(20));
  }
  grpc::ClientContext eval_context;
  v1::EvaluateRequest eval;
  eval.set_session(ids[0]);
  eval.set_source("1");
  v1::EvaluateResponse response;
  grpc::Status status = stub->Evaluate(&eval_context, eval, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("expired"));
}

}  // namespace
}  // namespace jscore::testing
