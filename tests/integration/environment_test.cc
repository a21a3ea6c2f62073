// The JavaScript environment through a real jscored: $terminate's hook data, seeded
// and frozen requests and sessions (same answers on any worker and after a restart),
// the browser profile and the probe, and what the daemon refuses.
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/support/daemon_process.h"

namespace jscore::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

grpc::Status Evaluate(v1::JsCore::Stub& stub, const v1::EvaluateRequest& request,
                      v1::EvaluateResponse* response) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  return stub.Evaluate(&context, request, response);
}

v1::EvaluateRequest Request(const std::string& source, uint64_t seed = 0, int64_t frozen = 0) {
  v1::EvaluateRequest request;
  request.set_source(source);
  request.set_random_seed(seed);
  request.set_frozen_time_ms(frozen);
  return request;
}

std::string Json(const google::protobuf::Value& value) {
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(value, &out);
  return out;
}

TEST(EnvironmentTest, TerminateAnswersWithHookDataAndTheDaemonCarriesOn) {
  auto daemon = StartDaemon({"--workers=1"});
  ASSERT_NE(daemon, nullptr);
  auto stub = daemon->NewStub();
  v1::EvaluateResponse hook;
  ASSERT_TRUE(Evaluate(*stub,
                       Request("console.log('before'); try { $terminate({sig: 'x1'}) } finally { "
                               "console.log('finally') }"),
                       &hook)
                  .ok());
  ASSERT_EQ(hook.result_case(), v1::EvaluateResponse::kHookData) << hook.DebugString();
  EXPECT_EQ(Json(hook.hook_data()), R"({"sig":"x1"})");
  ASSERT_EQ(hook.console_size(), 1);
  EXPECT_EQ(hook.console(0).text(), "before");

  v1::EvaluateResponse returned;
  ASSERT_TRUE(Evaluate(*stub, Request("$return([1, 2]); 3"), &returned).ok());
  ASSERT_EQ(returned.result_case(), v1::EvaluateResponse::kValue);
  EXPECT_EQ(Json(returned.value()), "[1,2]");

  // A session survives its script's $terminate.
  grpc::ClientContext create_context;
  v1::CreateSessionRequest create;
  create.set_source("var n = 0;");
  v1::CreateSessionResponse session;
  ASSERT_TRUE(stub->CreateSession(&create_context, create, &session).ok());
  v1::EvaluateRequest in_session = Request("n++; $terminate(n)");
  in_session.set_session(session.session());
  for (int i = 1; i <= 2; ++i) {
    v1::EvaluateResponse r;
    ASSERT_TRUE(Evaluate(*stub, in_session, &r).ok());
    EXPECT_EQ(r.hook_data().number_value(), i);
  }
  // Batch items carry hook data too.
  grpc::ClientContext batch_context;
  auto stream = stub->Batch(&batch_context);
  v1::BatchRequest item;
  item.set_id("h");
  *item.mutable_evaluate() = Request("$terminate('batched')");
  ASSERT_TRUE(stream->Write(item));
  stream->WritesDone();
  v1::BatchResponse batch;
  ASSERT_TRUE(stream->Read(&batch));
  EXPECT_EQ(batch.result().hook_data().string_value(), "batched");
  while (stream->Read(&batch)) {
  }
  EXPECT_TRUE(stream->Finish().ok());
}

constexpr char kSeeded[] =
    "[Math.random(), Math.random(), Array.from(crypto.getRandomValues(new Uint8Array(4))), "
    "crypto.randomUUID()]";

TEST(EnvironmentTest, SeededRequestsRepeatOnEveryWorkerAndAfterARestart) {
  std::string first;
  std::set<int> workers;
  for (int restart = 0; restart < 2; ++restart) {
    auto daemon = StartDaemon({"--workers=2"});
    ASSERT_NE(daemon, nullptr);
    auto stub = daemon->NewStub();
    for (int i = 0; i < 8; ++i) {
      v1::EvaluateResponse r;
      ASSERT_TRUE(Evaluate(*stub, Request(kSeeded, 20240601), &r).ok());
      if (first.empty()) first = Json(r.value());
      EXPECT_EQ(Json(r.value()), first);
      workers.insert(r.stats().worker());
    }
    v1::EvaluateResponse other;
    ASSERT_TRUE(Evaluate(*stub, Request(kSeeded, 20240602), &other).ok());
    EXPECT_NE(Json(other.value()), first);
  }
  EXPECT_EQ(workers.size(), 2u);
}

TEST(EnvironmentTest, FrozenTimeAndSessionSettings) {
  auto daemon = StartDaemon({"--workers=2"});
  ASSERT_NE(daemon, nullptr);
  auto stub = daemon->NewStub();
  v1::EvaluateResponse frozen;
  ASSERT_TRUE(Evaluate(*stub,
                       Request("[Date.now(), new Date().toISOString(), performance.now()]", 0,
                               1700000000000),
                       &frozen)
                  .ok());
  EXPECT_EQ(Json(frozen.value()), R"([1700000000000,"2023-11-14T22:13:20.000Z",0])");

  grpc::ClientContext create_context;
  v1::CreateSessionRequest create;
  create.set_random_seed(42);
  create.set_frozen_time_ms(86400000);
  v1::CreateSessionResponse session;
  ASSERT_TRUE(stub->CreateSession(&create_context, create, &session).ok());
  std::vector<std::string> seen;
  for (int i = 0; i < 2; ++i) {
    v1::EvaluateRequest request = Request("[new Date().toISOString(), String(Math.random())]");
    request.set_session(session.session());
    v1::EvaluateResponse r;
    ASSERT_TRUE(Evaluate(*stub, request, &r).ok());
    seen.push_back(Json(r.value()));
  }
  EXPECT_THAT(seen, ElementsAre(R"(["1970-01-02T00:00:00.000Z","0.08386297105988216"])",
                                R"(["1970-01-02T00:00:00.000Z","0.3789802506626686"])"));

  // A program call with a seed runs in a fresh copy, so it repeats.
  grpc::ClientContext load_context;
  v1::LoadProgramRequest load;
  load.set_source("var count = 0; function next() { count++; return [count, Math.random()]; }");
  v1::LoadProgramResponse loaded;
  ASSERT_TRUE(stub->LoadProgram(&load_context, load, &loaded).ok());
  std::string call_first;
  for (int i = 0; i < 3; ++i) {
    grpc::ClientContext context;
    v1::CallRequest call;
    call.set_program(loaded.program());
    call.set_function("next");
    call.set_random_seed(7);
    v1::EvaluateResponse r;
    ASSERT_TRUE(stub->Call(&context, call, &r).ok());
    if (call_first.empty()) call_first = Json(r.value());
    EXPECT_EQ(Json(r.value()), call_first);
  }
}

TEST(EnvironmentTest, BrowserProfileAndProbe) {
  auto daemon = StartDaemon({"--workers=1"});
  ASSERT_NE(daemon, nullptr);
  auto stub = daemon->NewStub();
  v1::EvaluateRequest request = Request(R"(
    [navigator.userAgent, location.hostname, document.cookie, screen.width, navigator.languages,
     typeof navigator.brave, typeof window.callPhantom, typeof _undeclared])");
  request.set_profile(v1::PROFILE_BROWSER);
  request.mutable_browser()->set_user_agent("UA/1.0");
  request.mutable_browser()->set_url("https://login.example.org/path");
  request.mutable_browser()->set_cookie("sid=9");
  request.mutable_browser()->set_screen_width(800);
  request.mutable_browser()->add_languages("fr-FR");
  request.set_probe(true);
  v1::EvaluateResponse r;
  ASSERT_TRUE(Evaluate(*stub, request, &r).ok());
  EXPECT_EQ(
      Json(r.value()),
      R"(["UA/1.0","login.example.org","sid=9",800,["fr-FR"],"undefined","undefined","undefined"])");
  EXPECT_THAT(r.probed_missing(), ElementsAre("navigator.brave", "callPhantom", "_undeclared"));

  v1::EvaluateResponse plain;
  ASSERT_TRUE(Evaluate(*stub, Request("typeof document"), &plain).ok());
  EXPECT_EQ(plain.value().string_value(), "undefined");
  EXPECT_EQ(plain.probed_missing_size(), 0);
}

TEST(EnvironmentTest, WhatTheDaemonRefuses) {
  auto daemon = StartDaemon({"--workers=1"});
  ASSERT_NE(daemon, nullptr);
  auto stub = daemon->NewStub();
  grpc::ClientContext create_context;
  v1::CreateSessionRequest create;
  v1::CreateSessionResponse session;
  ASSERT_TRUE(stub->CreateSession(&create_context, create, &session).ok());

  v1::EvaluateResponse r;
  v1::EvaluateRequest probe_in_session = Request("1");
  probe_in_session.set_session(session.session());
  probe_in_session.set_probe(true);
  EXPECT_EQ(Evaluate(*stub, probe_in_session, &r).error_code(), grpc::StatusCode::UNIMPLEMENTED);

  v1::EvaluateRequest profile_in_session = Request("1");
  profile_in_session.set_session(session.session());
  profile_in_session.set_profile(v1::PROFILE_BROWSER);
  EXPECT_EQ(Evaluate(*stub, profile_in_session, &r).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  v1::EvaluateRequest browser_without_profile = Request("1");
  browser_without_profile.mutable_browser()->set_user_agent("x");
  EXPECT_EQ(Evaluate(*stub, browser_without_profile, &r).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  EXPECT_EQ(Evaluate(*stub, Request("1", 0, int64_t{9000000000000000}), &r).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // The seed and clock alone are fine inside a session.
  v1::EvaluateRequest seeded_in_session = Request("Date.now()", 1, 5);
  seeded_in_session.set_session(session.session());
  ASSERT_TRUE(Evaluate(*stub, seeded_in_session, &r).ok());
  EXPECT_EQ(r.value().number_value(), 5);
}

}  // namespace
}  // namespace jscore::testing
