// Programs as modern JavaScript is written, over gRPC against a real jscored: Call
// names top-level const/let/class bindings and never builtins, module graphs
// (LoadProgram and Evaluate with `type` and `modules`), browser-profile programs.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/daemon_process.h"

namespace jscore::testing {
namespace {

using ::testing::HasSubstr;

class ProgramShapesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto daemon = DaemonProcess::Start({"--workers=2"});
    ASSERT_TRUE(daemon.ok()) << daemon.status();
    daemon_ = std::move(*daemon);
    stub_ = daemon_->NewStub();
  }

  v1::LoadProgramResponse Load(v1::LoadProgramRequest request) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    v1::LoadProgramResponse response;
    grpc::Status status = stub_->LoadProgram(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }
  std::string LoadScript(const std::string& source) {
    v1::LoadProgramRequest request;
    request.set_source(source);
    v1::LoadProgramResponse response = Load(request);
    EXPECT_FALSE(response.has_error()) << response.error().message();
    return response.program();
  }
  v1::EvaluateResponse Call(const std::string& program, const std::string& function,
                            std::vector<std::string> args = {}) {
    v1::CallRequest request;
    request.set_program(program);
    request.set_function(function);
    for (const std::string& arg : args) request.add_args()->set_string_value(arg);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    v1::EvaluateResponse response;
    grpc::Status status = stub_->Call(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  std::unique_ptr<DaemonProcess> daemon_;
  std::unique_ptr<v1::JsCore::Stub> stub_;
};

TEST_F(ProgramShapesTest, CallsTopLevelConstLetAndClass) {
  std::string id = LoadScript(R"(
    const sign = (a) => 'const:' + a;
    let later = { sign: (a) => 'let:' + a };
    class Signer { static sign(a) { return 'class:' + a } }
    const CryptoLib = { key: 'K', encrypt(a) { return this.key + a } };
  )");
  for (int i = 0; i < 4; ++i) {  // both workers' contexts
    EXPECT_EQ(Call(id, "sign", {"x"}).value().string_value(), "const:x");
    EXPECT_EQ(Call(id, "later.sign", {"x"}).value().string_value(), "let:x");
    EXPECT_EQ(Call(id, "Signer.sign", {"x"}).value().string_value(), "class:x");
    EXPECT_EQ(Call(id, "CryptoLib.encrypt", {"x"}).value().string_value(), "Kx");
  }
}

TEST_F(ProgramShapesTest, ACallerCannotReachEvalToChangeTheNextCallersFunction) {
  std::string id = LoadScript("var sign = (x) => 'real:' + x;");
  for (const char* path : {"eval", "globalThis.eval", "Function", "sign.constructor"}) {
    v1::EvaluateResponse forged = Call(id, path, {"sign = x => 'forged:' + x"});
    ASSERT_TRUE(forged.has_error()) << path;
    EXPECT_EQ(forged.error().name(), "TypeError") << path;
    EXPECT_THAT(forged.error().message(), HasSubstr("is not a function of the program")) << path;
  }
  for (int i = 0; i < 4; ++i) EXPECT_EQ(Call(id, "sign", {"x"}).value().string_value(), "real:x");
}

TEST_F(ProgramShapesTest, ModuleProgramsAndModuleEvaluations) {
  v1::LoadProgramRequest request;
  request.set_type(v1::SOURCE_TYPE_MODULE);
  request.set_filename("app/main.mjs");
  request.set_source(R"(
    import { hex } from './util.js';
    import config from '../config.json' assert { type: 'json' };
    export default (x) => config.prefix + hex(x);
    export const Lib = { encrypt: (x) => 'enc:' + x };
  )");
  (*request.mutable_modules())["app/util.js"] = "exports.hex = (n) => Number(n).toString(16);";
  (*request.mutable_modules())["config.json"] = R"({"prefix": "0x"})";
  v1::LoadProgramResponse loaded = Load(request);
  ASSERT_FALSE(loaded.has_error()) << loaded.error().message();
  EXPECT_EQ(Call(loaded.program(), "default", {"255"}).value().string_value(), "0xff");
  EXPECT_EQ(Call(loaded.program(), "Lib.encrypt", {"a"}).value().string_value(), "enc:a");

  v1::EvaluateRequest evaluate;
  evaluate.set_type(v1::SOURCE_TYPE_MODULE);
  evaluate.set_source("import { hex } from './lib.cjs'; export const out = hex(10);");
  (*evaluate.mutable_modules())["lib.cjs"] = "exports.hex = (n) => n.toString(16);";
  grpc::ClientContext context;
  v1::EvaluateResponse response;
  ASSERT_TRUE(stub_->Evaluate(&context, evaluate, &response).ok());
  ASSERT_FALSE(response.has_error()) << response.error().message();
  EXPECT_EQ(response.value().struct_value().fields().at("out").string_value(), "a");

  // Modules belong to fresh evaluations, not to a session's.
  evaluate.set_session("some-session");
  grpc::ClientContext refused;
  EXPECT_EQ(stub_->Evaluate(&refused, evaluate, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ProgramShapesTest, BrowserProfileProgram) {
  v1::LoadProgramRequest request;
  request.set_source(
      "window.site = { sign: (x) => x + '|' + navigator.userAgent + '|' + location.hostname };");
  request.set_profile(v1::PROFILE_BROWSER);
  request.mutable_browser()->set_user_agent("Agent/2");
  request.mutable_browser()->set_url("https://site.example/");
  v1::LoadProgramResponse loaded = Load(request);
  ASSERT_FALSE(loaded.has_error()) << loaded.error().message();
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(Call(loaded.program(), "site.sign", {"a"}).value().string_value(),
              "a|Agent/2|site.example");
  }
  request.mutable_browser()->set_user_agent("Agent/3");  // another profile, another program
  EXPECT_NE(Load(request).program(), loaded.program());
}

}  // namespace
}  // namespace jscore::testing
