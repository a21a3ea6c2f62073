// Real npm packages as module graphs through a real jscored, answered as Node 20
// answers them: ajv 8 (its dist/ CommonJS graph: relative requires, package.json
// main, .json files), uuid 11 (ES modules only, resolved through package.json
// "exports") and a graph that mixes them (ES modules importing CommonJS).
//
// The packages are installed at test time with npm (pinned versions, into the build
// folder, never into git); the test skips, saying so, only when npm cannot fetch them.
// Node 20 (/usr/bin/node) runs the same sources over the same files as the oracle.
#include <dirent.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/support/daemon_process.h"

namespace jscore::testing {
namespace {

constexpr char kPackages[] = "ajv@8.17.1 uuid@11.1.0";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// Runs a shell command (bounded by `timeout`), answering its exit code and stdout.
int RunCommand(const std::string& command, std::string* out) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out->append(buffer, n);
  return pclose(pipe);
}

// Every .js/.mjs/.cjs/.json file under `dir`, keyed by its path below `root`.
void CollectFiles(const std::string& root, const std::string& rel,
                  std::map<std::string, std::string>* files) {
  std::string dir = rel.empty() ? root : root + "/" + rel;
  DIR* handle = opendir(dir.c_str());
  if (handle == nullptr) return;
  while (dirent* entry = readdir(handle)) {
    std::string name = entry->d_name;
    if (name == "." || name == ".." || name == ".bin") continue;
    std::string child = rel.empty() ? name : rel + "/" + name;
    struct stat info;
    if (stat((root + "/" + child).c_str(), &info) != 0) continue;
    if (S_ISDIR(info.st_mode)) {
      CollectFiles(root, child, files);
    } else if (absl::EndsWith(name, ".js") || absl::EndsWith(name, ".json") ||
               absl::EndsWith(name, ".mjs") || absl::EndsWith(name, ".cjs")) {
      (*files)[child] = ReadFile(root + "/" + child);
    }
  }
  closedir(handle);
}

class NpmModulesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(JSCORE_NPM_DIR);
    std::string out;
    // ctest runs each test in a process of its own, two at a time: the install (and its
    // check) happens under a lock, and a marker says it finished.
    const std::string marker = *dir_ + "/.installed-ajv-8.17.1-uuid-11.1.0";
    {
      int code = RunCommand(
          absl::StrCat(
              "mkdir -p '", *dir_, "' && flock '", *dir_, "/.install.lock' sh -c \"test -f '",
              marker, "' || { timeout 240 npm install --no-audit --no-fund --ignore-scripts ",
              "--no-save --prefix '", *dir_, "' ", kPackages, " && touch '", marker, "'; }\" 2>&1"),
          &out);
      if (code != 0) {
        skip_ = new std::string("npm could not install " + std::string(kPackages) + ": " + out);
        return;
      }
    }
    files_ = new std::map<std::string, std::string>();
    CollectFiles(*dir_, "node_modules", files_);
  }
  static void TearDownTestSuite() {
    delete files_;
    files_ = nullptr;
  }

  void SetUp() override {
    if (skip_ != nullptr) GTEST_SKIP() << *skip_;
    auto daemon = DaemonProcess::Start({"--workers=2"});
    ASSERT_TRUE(daemon.ok()) << daemon.status();
    daemon_ = std::move(*daemon);
    stub_ = daemon_->NewStub();
  }

  // Node 20's answer: `source` written beside node_modules as `file`, then `driver`.
  std::string NodeAnswer(const std::string& file, const std::string& source,
                         const std::string& driver) {
    WriteFile(*dir_ + "/" + file, source + "\n" + driver + "\n");
    std::string out;
    int code = RunCommand(
        absl::StrCat("cd '", *dir_, "' && timeout 60 /usr/bin/node ", file, " 2>&1"), &out);
    EXPECT_EQ(code, 0) << out;
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }

  // Loads `source` with every installed file as its modules and calls `function`
  // (which answers a JSON string) with one string argument.
  std::string JscoreAnswer(const std::string& source, v1::SourceType type,
                           const std::string& filename, const std::string& function,
                           const std::string& arg) {
    v1::LoadProgramRequest load;
    load.set_source(source);
    load.set_filename(filename);
    load.set_type(type);
    for (const auto& [path, text] : *files_) (*load.mutable_modules())[path] = text;
    v1::LoadProgramResponse loaded;
    {
      grpc::ClientContext context;
      context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
      grpc::Status status = stub_->LoadProgram(&context, load, &loaded);
      EXPECT_TRUE(status.ok()) << status.error_message();
      EXPECT_FALSE(loaded.has_error()) << loaded.error().message();
    }
    v1::CallRequest call;
    call.set_program(loaded.program());
    call.set_function(function);
    call.add_args()->set_string_value(arg);
    v1::EvaluateResponse response;
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
    grpc::Status status = stub_->Call(&context, call, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_FALSE(response.has_error()) << response.error().message() << "\n"
                                       << response.error().stack();
    return response.value().string_value();
  }

  static std::string* dir_;
  static std::string* skip_;
  static std::map<std::string, std::string>* files_;
  std::unique_ptr<DaemonProcess> daemon_;
  std::unique_ptr<v1::JsCore::Stub> stub_;
};

std::string* NpmModulesTest::dir_ = nullptr;
std::string* NpmModulesTest::skip_ = nullptr;
std::map<std::string, std::string>* NpmModulesTest::files_ = nullptr;

constexpr char kAjvProgram[] = R"(
const Ajv = require('ajv');
const ajv = new Ajv({ allErrors: true });
const validate = ajv.compile({
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 }, name: { type: 'string', minLength: 2 },
                tags: { type: 'array', items: { type: 'string' }, uniqueItems: true } },
  required: ['id', 'name'], additionalProperties: false,
});
function check(json) {
  const data = JSON.parse(json);
  const ok = validate(data);
  return JSON.stringify({ ok, errors: (validate.errors || []).map((e) => [e.instancePath, e.keyword, e.message]) });
}
)";

TEST_F(NpmModulesTest, AjvCommonJsGraphAnswersAsNode) {
  for (const char* input :
       {R"({"id": 3, "name": "ok", "tags": ["a", "b"]})",
        R"({"id": 0, "name": "x", "tags": ["a", "a"], "extra": 1})", R"({"name": 5})"}) {
    std::string driver = absl::StrCat("console.log(check(", "'", input, "'));");
    std::string expected = NodeAnswer("oracle_ajv.js", kAjvProgram, driver);
    EXPECT_EQ(JscoreAnswer(kAjvProgram, v1::SOURCE_TYPE_SCRIPT, "main.js", "check", input),
              expected)
        << input;
  }
}

constexpr char kUuidProgram[] = R"(
import { v3, v5, validate, version, parse, stringify, NIL, MAX } from 'uuid';
export function ids(name) {
  const a = v5(name, v5.URL), b = v3(name, v3.DNS);
  return JSON.stringify([a, b, validate(a), version(b), stringify(parse(a)), NIL, MAX, validate(name)]);
}
)";

TEST_F(NpmModulesTest, UuidEsModuleBuildAnswersAsNode) {
  std::string expected =
      NodeAnswer("oracle_uuid.mjs", kUuidProgram, "console.log(ids('example'));");
  EXPECT_EQ(JscoreAnswer(kUuidProgram, v1::SOURCE_TYPE_MODULE, "main.mjs", "ids", "example"),
            expected);
}

constexpr char kMixedProgram[] = R"(
import Ajv from 'ajv';
import { v5 } from 'uuid';
import * as uuid from 'uuid';
const ajv = new Ajv();
const isUuid = ajv.compile({ type: 'string', format: 'uuid' === 'x' ? 'x' : undefined, pattern: '^[0-9a-f-]{36}$' });
export const Lib = {
  run(name) {
    const id = v5(name, uuid.v5.DNS);
    const lazy = import('uuid').then((m) => m.validate(id));
    return lazy.then((valid) => JSON.stringify([id, isUuid(id), isUuid(name), valid, typeof Ajv.default]));
  },
};
)";

TEST_F(NpmModulesTest, MixedEsmAndCommonJsGraphAnswersAsNode) {
  std::string expected = NodeAnswer("oracle_mixed.mjs", kMixedProgram,
                                    "Lib.run('jscore').then((r) => console.log(r));");
  EXPECT_EQ(JscoreAnswer(kMixedProgram, v1::SOURCE_TYPE_MODULE, "main.mjs", "Lib.run", "jscore"),
            expected);
}

}  // namespace
}  // namespace jscore::testing
