// The compatibility corpus: every tests/compat/NAME.js is evaluated by a real
// jscored (Evaluate RPC) and checked against tests/compat/NAME.json, one test per
// case, the list discovered at run time from JSCORE_COMPAT_DIR.
//
// NAME.json is an object with any of:
//   "value":      the expected result (JSON; objects compare without key order)
//   "undefined":  true when the result must be `undefined`
//   "error":      {"name": ..., "message": ..., "message_contains": ...}: the JsError
//   "hook_data":  the value handed back by $terminate(v)
//   "console":    the console lines, each a string (the text) or {"level", "text"}
//   "probed_missing": the names the probe reported (any order)
//   "request":    fields of jscore.v1.EvaluateRequest in proto JSON (randomSeed,
//                 frozenTimeMs, extensions, globals, ...); `source` is the .js file
//   "probed_missing": the response's probed_missing names, in order (with
//                 "request": {"probe": true})
// Without "error", the evaluation must not throw; without "console", the console
// is not checked.
#include <dirent.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/support/daemon_process.h"

namespace jscore::testing {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  DIR* dir = opendir(JSCORE_COMPAT_DIR);
  if (dir == nullptr) return names;
  while (dirent* entry = readdir(dir)) {
    std::string file = entry->d_name;
    if (file.size() > 3 && file.compare(file.size() - 3, 3, ".js") == 0) {
      names.push_back(file.substr(0, file.size() - 3));
    }
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

// Compact JSON of a Value for messages (NaN and Infinity are not expected here).
std::string ToJson(const google::protobuf::Message& message) {
  std::string out;
  if (!google::protobuf::util::MessageToJsonString(message, &out).ok()) return "<not JSON>";
  return out;
}

std::string LevelName(v1::ConsoleLine::Level level) { return v1::ConsoleLine::Level_Name(level); }

class CompatTest : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() {
    auto daemon = DaemonProcess::Start({"--workers=2"});
    ASSERT_TRUE(daemon.ok()) << daemon.status();
    daemon_ = daemon->release();
  }
  static void TearDownTestSuite() {
    delete daemon_;
    daemon_ = nullptr;
  }
  static DaemonProcess* daemon_;
};

DaemonProcess* CompatTest::daemon_ = nullptr;

TEST_P(CompatTest, MatchesExpected) {
  ASSERT_NE(daemon_, nullptr);
  const std::string base = absl::StrCat(JSCORE_COMPAT_DIR, "/", GetParam());
  const std::string source = ReadFile(base + ".js");
  Struct expected;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(ReadFile(base + ".json"), &expected).ok())
      << base << ".json is not a JSON object";
  const auto& fields = expected.fields();

  v1::EvaluateRequest request;
  if (fields.count("request")) {
    ASSERT_TRUE(
        google::protobuf::util::JsonStringToMessage(ToJson(fields.at("request")), &request).ok())
        << "\"request\" is not an EvaluateRequest: " << ToJson(fields.at("request"));
  }
  request.set_source(source);
  if (request.filename().empty()) request.set_filename(GetParam() + ".js");

  auto stub = daemon_->NewStub();
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  v1::EvaluateResponse response;
  grpc::Status status = stub->Evaluate(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();

  if (fields.count("error")) {
    ASSERT_TRUE(response.has_error()) << "expected an error, got " << ToJson(response);
    const auto& error = fields.at("error").struct_value().fields();
    if (error.count("name")) EXPECT_EQ(response.error().name(), error.at("name").string_value());
    if (error.count("message"))
      EXPECT_EQ(response.error().message(), error.at("message").string_value());
    if (error.count("message_contains")) {
      EXPECT_NE(response.error().message().find(error.at("message_contains").string_value()),
                std::string::npos)
          << response.error().message();
    }
  } else if (fields.count("hook_data")) {
    ASSERT_TRUE(response.has_hook_data()) << ToJson(response);
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(response.hook_data(),
                                                                   fields.at("hook_data")))
        << "got " << ToJson(response.hook_data()) << ", expected "
        << ToJson(fields.at("hook_data"));
  } else {
    ASSERT_FALSE(response.has_error())
        << response.error().name() << ": " << response.error().message() << "\n"
        << response.error().stack();
  }
  if (fields.count("value")) {
    EXPECT_TRUE(
        google::protobuf::util::MessageDifferencer::Equals(response.value(), fields.at("value")))
        << "got " << ToJson(response.value()) << ", expected " << ToJson(fields.at("value"));
  }
  if (fields.count("undefined"))
    EXPECT_EQ(response.undefined(), fields.at("undefined").bool_value());
  if (fields.count("probed_missing")) {
    std::vector<std::string> want,
        got(response.probed_missing().begin(), response.probed_missing().end());
    for (const Value& name : fields.at("probed_missing").list_value().values())
      want.push_back(name.string_value());
    EXPECT_EQ(got, want) << ToJson(response);
  }
  if (fields.count("probed_missing")) {
    std::vector<std::string> want,
        got(response.probed_missing().begin(), response.probed_missing().end());
    for (const Value& name : fields.at("probed_missing").list_value().values())
      want.push_back(name.string_value());
    std::sort(want.begin(), want.end());
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, want);
  }
  if (fields.count("console")) {
    const auto& lines = fields.at("console").list_value().values();
    ASSERT_EQ(response.console_size(), lines.size()) << ToJson(response);
    for (int i = 0; i < lines.size(); ++i) {
      const Value& line = lines.Get(i);
      if (line.has_struct_value()) {
        const auto& f = line.struct_value().fields();
        if (f.count("level"))
          EXPECT_EQ(LevelName(response.console(i).level()), f.at("level").string_value());
        if (f.count("text")) EXPECT_EQ(response.console(i).text(), f.at("text").string_value());
      } else {
        EXPECT_EQ(response.console(i).text(), line.string_value()) << "console line " << i;
      }
    }
  }
}

std::string CaseTestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Corpus, CompatTest, ::testing::ValuesIn(CaseNames()), CaseTestName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(CompatTest);

}  // namespace
}  // namespace jscore::testing
