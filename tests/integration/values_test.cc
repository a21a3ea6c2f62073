// Values on the wire against a real jscored (README, "Values"): the JSON encoding
// both ways (key order, types, depth), thrown values, and hostile sizes.
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

std::unique_ptr<DaemonProcess> StartDaemon(std::vector<std::string> flags = {}) {
  auto daemon = DaemonProcess::Start(flags);
  EXPECT_TRUE(daemon.ok()) << daemon.status();
  return daemon.ok() ? std::move(*daemon) : nullptr;
}

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

// The issue's hostile results, each answered or refused within its deadline + 250 ms,
// with the daemon's memory staying put.
TEST_F(ValuesTest, HostileResultsAreBoundedInTimeAndMemory) {
  const uint64_t rss_before = RssKb(daemon_->pid());
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
      grpc::Status status = Evaluate(*stub_, request, &response, absl::Seconds(10));
      EXPECT_LT(absl::Now() - start, absl::Milliseconds(1250));
      EXPECT_TRUE(status.ok() || status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED)
          << status.error_message();
      EXPECT_LE(response.ByteSizeLong(), size_t{5} << 20);
    }
  }
  const uint64_t rss_after = RssKb(daemon_->pid());
  EXPECT_LT(rss_after, rss_before + 64 * 1024) << rss_before << " kB -> " << rss_after << " kB";
}

}  // namespace
}  // namespace jscore::testing
