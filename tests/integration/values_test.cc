// Values on the wire against a real jscored (README, "Values"): the JSON encoding
// both ways (key order, types, depth), thrown values, and hostile sizes.
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/daemon_process.h"

namespace jscore::testing {
namespace {

using ::testing::HasSubstr;

std::string Nested(int levels, const std::string& open, const std::string& inner,
                   const std::string& close) {
  std::string out;
  for (int i = 0; i < levels; ++i) out += open;
  out += inner;
  for (int i = 0; i < levels; ++i) out += close;
  return out;
}

grpc::Status Evaluate(v1::JsCore::Stub& stub, v1::EvaluateRequest request,
                      v1::EvaluateResponse* response, absl::Duration bound = absl::Seconds(30)) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + bound));
  return stub.Evaluate(&context, request, response);
}

v1::EvaluateRequest JsonEval(const std::string& source) {
  v1::EvaluateRequest request;
  request.set_source(source);
  request.set_value_encoding(v1::VALUE_ENCODING_JSON);
  return request;
}

class ValuesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { daemon_ = StartDaemon({"--workers=2"}).release(); }
  static void TearDownTestSuite() {
    delete daemon_;
    daemon_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(daemon_, nullptr);
    stub_ = daemon_->NewStub();
  }

  std::string LoadProgram(const std::string& source) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    v1::LoadProgramRequest request;
    request.set_source(source);
    v1::LoadProgramResponse response;
    grpc::Status status = stub_->LoadProgram(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.program();
  }
  grpc::Status CallJson(const std::string& program, const std::string& function,
                        const std::string& args, const std::string& types,
                        v1::EvaluateResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    v1::CallRequest request;
    request.set_program(program);
    request.set_function(function);
    request.mutable_args_json()->set_json(args);
    request.mutable_args_json()->set_types(types);
    request.set_value_encoding(v1::VALUE_ENCODING_JSON);
    return stub_->Call(&context, request, response);
  }

  static DaemonProcess* daemon_;
  std::unique_ptr<v1::JsCore::Stub> stub_;
};

DaemonProcess* ValuesTest::daemon_ = nullptr;

TEST_F(ValuesTest, ResultsComeInJsOrderWithTheirTypes) {
  v1::EvaluateResponse response;
  ASSERT_TRUE(
      Evaluate(*stub_, JsonEval("({b: 1, a: 2, c: [3n, undefined], d: new Date(0)})"), &response)
          .ok());
  ASSERT_TRUE(response.has_value_json());
  EXPECT_EQ(response.value_json().json(),
            R"({"b":1,"a":2,"c":["3",null],"d":"1970-01-01T00:00:00.000Z"})");
  EXPECT_EQ(response.value_json().types(),
            R"([null,{"c":[null,{"0":"bigint","1":"undefined"}],"d":"date"}])");
  EXPECT_FALSE(response.has_value());
  // The protobuf encoding stays the default.
  v1::EvaluateRequest plain;
  plain.set_source("({b: 1})");
  ASSERT_TRUE(Evaluate(*stub_, plain, &response).ok());
  EXPECT_TRUE(response.has_value());
}

TEST_F(ValuesTest, TwoHundredCallsSeeTheCallersOrder) {
  std::string program =
      LoadProgram("function keys(arg) { return [Object.keys(arg).join(), JSON.stringify(arg)]; }");
  const std::string arg = R"({"zeta":1,"alpha":{"y":2,"x":[3,{"q":4,"p":5}]},"mid":"m","b":null})";
  std::set<std::string> answers;
  for (int i = 0; i < 200; ++i) {
    v1::EvaluateResponse response;
    grpc::Status status = CallJson(program, "keys", absl::StrCat("[", arg, "]"), "", &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_TRUE(response.has_value_json()) << response.error().message();
    answers.insert(response.value_json().json());
  }
  ASSERT_EQ(answers.size(), 1u);
  std::string quoted = arg;
  std::string escaped;
  for (char c : quoted) escaped += c == '"' ? std::string("\\\"") : std::string(1, c);
  EXPECT_EQ(*answers.begin(), absl::StrCat(R"(["zeta,alpha,mid,b",")", escaped, "\"]"));
}

TEST_F(ValuesTest, SessionCallsAndEvaluationsKeepOrder) {
  v1::CreateSessionRequest create;
  create.set_source(
      "var seen = []; function keep(a) { seen.push(Object.keys(a).join()); return seen; }");
  v1::CreateSessionResponse session;
  {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    ASSERT_TRUE(stub_->CreateSession(&context, create, &session).ok());
  }
  for (const char* arg : {R"([{"b":1,"a":2}])", R"([{"y":1,"x":2,"w":3}])"}) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    v1::CallRequest call;
    call.set_session(session.session());
    call.set_function("keep");
    call.mutable_args_json()->set_json(arg);
    call.set_value_encoding(v1::VALUE_ENCODING_JSON);
    v1::EvaluateResponse response;
    ASSERT_TRUE(stub_->Call(&context, call, &response).ok());
    ASSERT_TRUE(response.has_value_json()) << response.error().message();
  }
  v1::EvaluateRequest eval = JsonEval("[...seen, Object.keys(extra).join()]");
  eval.set_session(session.session());
  eval.mutable_globals_json()->set_json(R"({"extra":{"q":1,"p":2}})");
  v1::EvaluateResponse response;
  ASSERT_TRUE(Evaluate(*stub_, eval, &response).ok());
  EXPECT_EQ(response.value_json().json(), R"(["b,a","y,x,w","q,p"])");
}

TEST_F(ValuesTest, GlobalsJsonAreDefinedInOrderWithTypes) {
  v1::EvaluateRequest request =
      JsonEval("[Object.keys(cfg).join(), typeof big, when.getTime(), u]");
  request.mutable_globals_json()->set_json(
      R"({"cfg":{"b":1,"a":2},"big":"12345678901234567890123","when":"2020-01-01T00:00:00Z","u":null})");
  request.mutable_globals_json()->set_types(
      R"([null,{"big":"bigint","when":"date","u":"undefined"}])");
  v1::EvaluateResponse response;
  ASSERT_TRUE(Evaluate(*stub_, request, &response).ok());
  EXPECT_EQ(response.value_json().json(), R"(["b,a","bigint",1577836800000,null])");
  EXPECT_EQ(response.value_json().types(), R"([null,{"3":"undefined"}])");
}

TEST_F(ValuesTest, BadJsonArgumentsAreInvalidArgumentNamingThePlace) {
  std::string program = LoadProgram("function id(v) { return v; }");
  v1::EvaluateResponse response;
  grpc::Status syntax = CallJson(program, "id", "[1,", "", &response);
  EXPECT_EQ(syntax.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(syntax.error_message(), HasSubstr("args_json is not valid JSON"));
  grpc::Status not_array = CallJson(program, "id", "{}", "", &response);
  EXPECT_EQ(not_array.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  grpc::Status bad_types =
      CallJson(program, "id", R"([{"a":1}])", R"([null,{"0":[null,{"b":"date"}]}])", &response);
  EXPECT_EQ(bad_types.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad_types.error_message(), HasSubstr("/0/b"));
  v1::EvaluateRequest both = JsonEval("1");
  (*both.mutable_globals())["a"].set_number_value(1);
  both.mutable_globals_json()->set_json(R"({"b":1})");
  EXPECT_EQ(Evaluate(*stub_, both, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ValuesTest, DepthOneHundredWorksBothWaysAndOneHundredOneIsRefused) {
  std::string program = LoadProgram(
      "function depth(v) { let d = 0; while (Array.isArray(v)) { v = v[0]; d++; } return d; }"
      "function make(n) { let v = 1; for (let i = 0; i < n; i++) v = {k: v}; return v; }");
  v1::EvaluateResponse response;
  ASSERT_TRUE(
      CallJson(program, "depth", absl::StrCat("[", Nested(100, "[", "1", "]"), "]"), "", &response)
          .ok());
  EXPECT_EQ(response.value_json().json(), "100");
  grpc::Status deep =
      CallJson(program, "depth", absl::StrCat("[", Nested(101, "[", "1", "]"), "]"), "", &response);
  EXPECT_EQ(deep.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::string path = "/0";
  for (int i = 0; i < 100; ++i) path += "/0";
  EXPECT_THAT(deep.error_message(), HasSubstr(absl::StrCat("at \"", path, "\"")));

  ASSERT_TRUE(CallJson(program, "make", "[100]", "", &response).ok());
  EXPECT_EQ(response.value_json().json(), Nested(100, R"({"k":)", "1", "}"));
  ASSERT_TRUE(CallJson(program, "make", "[101]", "", &response).ok());
  EXPECT_EQ(response.error().name(), "RangeError");
  EXPECT_THAT(response.error().message(), HasSubstr("nested deeper than 100 levels"));
}

TEST_F(ValuesTest, ThrownValuesAreKept) {
  v1::EvaluateResponse response;
  ASSERT_TRUE(Evaluate(*stub_, JsonEval("throw {code: 7}"), &response).ok());
  ASSERT_TRUE(response.has_error());
  EXPECT_EQ(response.error().name(), "");
  EXPECT_EQ(response.error().message(), "{ code: 7 }");
  EXPECT_EQ(response.error().thrown().json(), R"({"code":7})");
  ASSERT_TRUE(Evaluate(*stub_, JsonEval("throw 5n"), &response).ok());
  EXPECT_EQ(response.error().message(), "5n");
  EXPECT_EQ(response.error().thrown().json(), R"("5")");
  EXPECT_EQ(response.error().thrown().types(), R"("bigint")");
  ASSERT_TRUE(Evaluate(*stub_, JsonEval("throw new Error('e')"), &response).ok());
  EXPECT_EQ(response.error().name(), "Error");
  EXPECT_FALSE(response.error().has_thrown());
}

TEST_F(ValuesTest, HookDataAndBatchItemsUseTheJsonEncoding) {
  v1::EvaluateResponse response;
  ASSERT_TRUE(Evaluate(*stub_, JsonEval("$terminate({y: 1, x: 2n}); 0"), &response).ok());
  ASSERT_TRUE(response.has_hook_data_json()) << response.DebugString();
  EXPECT_EQ(response.hook_data_json().json(), R"({"y":1,"x":"2"})");
  EXPECT_EQ(response.hook_data_json().types(), R"([null,{"x":"bigint"}])");

  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  auto stream = stub_->Batch(&context);
  v1::BatchRequest item;
  item.set_id("a");
  *item.mutable_evaluate() = JsonEval("[Object.keys(g).join(), ({d: 1, c: 2})]");
  item.mutable_evaluate()->mutable_globals_json()->set_json(R"({"g":{"y":1,"x":2}})");
  ASSERT_TRUE(stream->Write(item));
  stream->WritesDone();
  v1::BatchResponse result;
  ASSERT_TRUE(stream->Read(&result));
  EXPECT_EQ(result.code(), 0) << result.message();
  EXPECT_EQ(result.result().value_json().json(), R"(["y,x",{"d":1,"c":2}])");
  while (stream->Read(&result)) {
  }
  EXPECT_TRUE(stream->Finish().ok());
}

google::protobuf::Value NestedValue(int levels, bool objects) {
  google::protobuf::Value v;
  v.set_number_value(1);
  for (int i = 0; i < levels; ++i) {
    google::protobuf::Value outer;
    if (objects) {
      (*outer.mutable_struct_value()->mutable_fields())["k"] = std::move(v);
    } else {
      *outer.mutable_list_value()->add_values() = std::move(v);
    }
    v = std::move(outer);
  }
  return v;
}

// google.protobuf.Value arguments past protobuf's 100 message levels (about 33
// objects) used to be UNIMPLEMENTED with an empty message: they are read up to the
// depth limit and refused past it, naming the path.
TEST_F(ValuesTest, DeepProtobufArgumentsAreReadOrRefusedWithAReason) {
  std::string program = LoadProgram(
      "function depth(v) { let d = 0; while (v !== null && typeof v === 'object') {"
      " v = Array.isArray(v) ? v[0] : v.k; d++; } return d; }");
  auto call = [&](google::protobuf::Value arg, v1::EvaluateResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    v1::CallRequest request;
    request.set_program(program);
    request.set_function("depth");
    *request.add_args() = std::move(arg);
    return stub_->Call(&context, request, response);
  };
  v1::EvaluateResponse response;
  for (bool objects : {false, true}) {
    SCOPED_TRACE(objects ? "objects" : "arrays");
    grpc::Status at = call(NestedValue(100, objects), &response);
    ASSERT_TRUE(at.ok()) << at.error_code() << " " << at.error_message();
    EXPECT_EQ(response.value().number_value(), 100);
    grpc::Status past = call(NestedValue(101, objects), &response);
    EXPECT_EQ(past.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    std::string path = "/0";
    for (int i = 0; i < 100; ++i) path += objects ? "/k" : "/0";
    EXPECT_THAT(past.error_message(),
                HasSubstr(absl::StrCat("args is nested deeper than 100 levels at \"", path, "\"")));
  }
  grpc::Status absurd = call(NestedValue(2000, true), &response);
  EXPECT_EQ(absurd.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(absurd.error_message(), HasSubstr("could not be parsed"));

  v1::EvaluateRequest globals;
  globals.set_source(
      "let d = 0, v = g; while (v !== null && typeof v === 'object') { v = v.k; d++; } d");
  (*globals.mutable_globals())["g"] = NestedValue(100, true);
  ASSERT_TRUE(Evaluate(*stub_, globals, &response).ok());
  EXPECT_EQ(response.value().number_value(), 100);
  (*globals.mutable_globals())["g"] = NestedValue(101, true);
  grpc::Status deep_global = Evaluate(*stub_, globals, &response);
  EXPECT_EQ(deep_global.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(deep_global.error_message(),
              HasSubstr("globals is nested deeper than 100 levels at \"/g/k"));

  // A Batch item too deep to parse fails as an item, with the reason.
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  auto stream = stub_->Batch(&context);
  v1::BatchRequest item;
  item.set_id("deep");
  item.mutable_call()->set_program(program);
  item.mutable_call()->set_function("depth");
  *item.mutable_call()->add_args() = NestedValue(2000, false);
  ASSERT_TRUE(stream->Write(item));
  v1::BatchRequest fine;
  fine.set_id("fine");
  fine.mutable_call()->set_program(program);
  fine.mutable_call()->set_function("depth");
  *fine.mutable_call()->add_args() = NestedValue(40, true);
  ASSERT_TRUE(stream->Write(fine));
  stream->WritesDone();
  v1::BatchResponse result;
  std::map<std::string, v1::BatchResponse> results;
  while (stream->Read(&result)) results[result.id()] = result;
  EXPECT_TRUE(stream->Finish().ok());
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[""].code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(results[""].message(), HasSubstr("could not be parsed"));
  EXPECT_EQ(results["fine"].result().value().number_value(), 40);
}

// Through google.protobuf.Value a result is refused past 30 nested objects (a response
// deeper would be one the client's parser rejects), with a RangeError naming the path.
TEST_F(ValuesTest, ProtobufResultsStayParseable) {
  v1::EvaluateRequest request;
  request.set_source("let v = 1; for (let i = 0; i < 30; i++) v = {k: v}; v");
  v1::EvaluateResponse response;
  ASSERT_TRUE(Evaluate(*stub_, request, &response).ok());
  EXPECT_TRUE(response.has_value());
  request.set_source("let v = 1; for (let i = 0; i < 31; i++) v = {k: v}; v");
  ASSERT_TRUE(Evaluate(*stub_, request, &response).ok());
  EXPECT_EQ(response.error().name(), "RangeError");
  EXPECT_THAT(response.error().message(), HasSubstr("too deep for google.protobuf.Value"));
}

// The issue's hostile results, each answered or refused within its deadline + 250 ms,
// with the daemon's memory staying put.
// A daemon of its own (one worker), so that the RSS measured is this test's.
TEST(ValuesHostileTest, HostileResultsAreBoundedInTimeAndMemory) {
  std::unique_ptr<DaemonProcess> daemon = StartDaemon({"--workers=1"});
  ASSERT_NE(daemon, nullptr);
  auto stub = daemon->NewStub();
  v1::EvaluateResponse warm;
  ASSERT_TRUE(Evaluate(*stub, JsonEval("1"), &warm).ok());
  const uint64_t rss_before = RssKb(daemon->pid());
  for (const char* source :
       {"const o = {}; o['k'.repeat(200000)] = Array(2000).fill(undefined); o",
        "const m = new Map(); for (let i = 0; i < 30000; i++) m.set(i, undefined);"
        "for (let i = 0; i < 30000; i++) m.set(String(i), i); m",
        "Array(2 ** 20).fill('\u4e2d')", "Array(2 ** 20).fill(undefined)",
        "new Array(2 ** 32 - 1)"}) {
    for (v1::ValueEncoding encoding : {v1::VALUE_ENCODING_JSON, v1::VALUE_ENCODING_PROTOBUF}) {
      SCOPED_TRACE(absl::StrCat(source, " encoding ", encoding));
      v1::EvaluateRequest request;
      request.set_source(source);
      request.set_value_encoding(encoding);
      request.mutable_timeout()->set_seconds(1);
      v1::EvaluateResponse response;
      absl::Time start = absl::Now();
      grpc::Status status = Evaluate(*stub, request, &response, absl::Seconds(10));
#ifndef JSCORE_SANITIZED  // sanitizer builds run several times slower: outcomes only
      EXPECT_LT(absl::Now() - start, absl::Milliseconds(1250));
#endif
      EXPECT_TRUE(status.ok() || status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED)
          << status.error_message();
      EXPECT_LE(response.ByteSizeLong(), size_t{5} << 20);
    }
  }
  const uint64_t rss_after = RssKb(daemon->pid());
  std::printf("hostile results, both encodings: daemon RSS %llu kB -> %llu kB\n",
              static_cast<unsigned long long>(rss_before),
              static_cast<unsigned long long>(rss_after));
#ifndef JSCORE_SANITIZED  // ASan's shadow memory and quarantine are not the daemon's
  EXPECT_LT(rss_after, rss_before + 64 * 1024) << rss_before << " kB -> " << rss_after << " kB";
#endif
}

}  // namespace
}  // namespace jscore::testing
