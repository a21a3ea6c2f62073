// Callers are separated, against a real jscored: named tokens (--auth_callers_file)
// and mutual-TLS certificate identities each have their own programs and sessions;
// calls with the same identity share them. The certificates are made here with the
// openssl command.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/daemon_process.h"

namespace jscore::testing {
namespace {

constexpr char kAlice[] = "alice-token-0123456789abcdef";
constexpr char kBob[] = "bob-token-0123456789abcdef-x";
constexpr char kShared[] = "shared-token-0123456789abcdef";

// A program whose state a call can change: if two callers shared its context, one
// caller's `set` would show in the other's `sign`.
constexpr char kProgram[] =
    "var secret = 'init'; function sign(x) { return secret + ':' + x } "
    "function set(v) { secret = v; return v }";

std::string PathOf(const std::string& name) { return absl::StrCat(ProcessTempDir(), "/", name); }

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// One caller's view of the daemon: its own channel and credentials.
class As {
 public:
  As(const DaemonProcess& daemon, std::string token) : token_(std::move(token)) {
    stub_ = daemon.NewStub();
  }
  As(std::unique_ptr<v1::JsCore::Stub> stub, std::string token)
      : stub_(std::move(stub)), token_(std::move(token)) {}

  void Prepare(grpc::ClientContext* context) const {
    context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    if (!token_.empty()) context->AddMetadata("authorization", "Bearer " + token_);
  }

  // LoadProgram: the id, or "" (the status says why).
  std::string Load(const std::string& source, grpc::Status* status = nullptr) const {
    grpc::ClientContext context;
    Prepare(&context);
    v1::LoadProgramRequest request;
    request.set_source(source);
    v1::LoadProgramResponse response;
    grpc::Status s = stub_->LoadProgram(&context, request, &response);
    if (status != nullptr) *status = s;
    return s.ok() ? response.program() : "";
  }

  // Call {program or session, function, [arg]}: the string value, or the status code.
  std::string Call(const std::string& program, const std::string& session,
                   const std::string& function, const std::string& arg) const {
    grpc::ClientContext context;
    Prepare(&context);
    v1::CallRequest request;
    if (!program.empty()) request.set_program(program);
    if (!session.empty()) request.set_session(session);
    request.set_function(function);
    request.add_args()->set_string_value(arg);
    v1::EvaluateResponse response;
    grpc::Status s = stub_->Call(&context, request, &response);
    if (!s.ok()) return absl::StrCat("code ", s.error_code());
    return response.value().string_value();
  }

  std::string Evaluate(const std::string& session, const std::string& source) const {
    grpc::ClientContext context;
    Prepare(&context);
    v1::EvaluateRequest request;
    request.set_session(session);
    request.set_source(source);
    v1::EvaluateResponse response;
    grpc::Status s = stub_->Evaluate(&context, request, &response);
    if (!s.ok()) return absl::StrCat("code ", s.error_code());
    return response.value().string_value();
  }

  std::string CreateSession(const std::string& program) const {
    grpc::ClientContext context;
    Prepare(&context);
    v1::CreateSessionRequest request;
    request.set_program(program);
    v1::CreateSessionResponse response;
    grpc::Status s = stub_->CreateSession(&context, request, &response);
    return s.ok() ? response.session() : "";
  }

  grpc::StatusCode DeleteSession(const std::string& session) const {
    grpc::ClientContext context;
    Prepare(&context);
    v1::DeleteSessionRequest request;
    request.set_session(session);
    v1::DeleteSessionResponse response;
    return stub_->DeleteSession(&context, request, &response).error_code();
  }

  grpc::StatusCode Unload(const std::string& program) const {
    grpc::ClientContext context;
    Prepare(&context);
    v1::UnloadProgramRequest request;
    request.set_program(program);
    v1::UnloadProgramResponse response;
    return stub_->UnloadProgram(&context, request, &response).error_code();
  }

  // One Batch item calling `function` of `program`: its value, or its code.
  std::string BatchCall(const std::string& program, const std::string& function,
                        const std::string& arg) const {
    grpc::ClientContext context;
    Prepare(&context);
    auto stream = stub_->Batch(&context);
    v1::BatchRequest item;
    item.set_id("1");
    item.mutable_call()->set_program(program);
    item.mutable_call()->set_function(function);
    item.mutable_call()->add_args()->set_string_value(arg);
    stream->Write(item);
    stream->WritesDone();
    v1::BatchResponse response;
    std::string out = "no answer";
    if (stream->Read(&response)) {
      out = response.code() != 0 ? absl::StrCat("code ", response.code())
                                 : response.result().value().string_value();
    }
    grpc::Status status = stream->Finish();
    return status.ok() ? out : absl::StrCat("stream code ", status.error_code());
  }

 private:
  std::unique_ptr<v1::JsCore::Stub> stub_;
  std::string token_;
};

const std::string kNotLoaded = absl::StrCat("code ", grpc::StatusCode::FAILED_PRECONDITION);
const std::string kNotFound = absl::StrCat("code ", grpc::StatusCode::NOT_FOUND);

// What every separated pair of callers must see: `a` and `b` are two identities,
// `a2` is `a` again on a connection of its own.
void ExpectSeparated(const As& a, const As& b, const As& a2) {
  std::string a_id = a.Load(kProgram);
  std::string b_id = b.Load(kProgram);
  ASSERT_FALSE(a_id.empty());
  ASSERT_FALSE(b_id.empty());
  // The same source is two programs: two ids, two contexts per worker.
  EXPECT_NE(a_id, b_id);
  EXPECT_EQ(a.Load(kProgram), a_id);  // loading again is the same program
  EXPECT_EQ(b.Call(b_id, "", "set", "forged"), "forged");
  EXPECT_EQ(a.Call(a_id, "", "sign", "secret-1"), "init:secret-1");
  EXPECT_EQ(b.Call(b_id, "", "sign", "x"), "forged:x");
  // b cannot call, batch-call, build a session from, or unload a's program.
  EXPECT_EQ(b.Call(a_id, "", "sign", "x"), kNotLoaded);
  EXPECT_EQ(b.BatchCall(a_id, "sign", "x"), kNotLoaded);
  EXPECT_EQ(b.CreateSession(a_id), "");
  EXPECT_EQ(b.Unload(a_id), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(a.Call(a_id, "", "sign", "after"), "init:after");
  EXPECT_EQ(a.BatchCall(a_id, "sign", "batch"), "init:batch");
  // The same identity on another connection shares the program.
  EXPECT_EQ(a2.Call(a_id, "", "sign", "again"), "init:again");

  // Sessions: b can neither evaluate in, call into, nor delete a's session.
  std::string session = a.CreateSession(a_id);
  ASSERT_FALSE(session.empty());
  EXPECT_EQ(a.Evaluate(session, "secret = 'mine'"), "mine");
  EXPECT_EQ(b.Evaluate(session, "secret = 'stolen'"), kNotFound);
  EXPECT_EQ(b.Evaluate(session, "secret"), kNotFound);
  EXPECT_EQ(b.Call("", session, "sign", "x"), kNotFound);
  EXPECT_EQ(b.DeleteSession(session), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(a.Call("", session, "sign", "s"), "mine:s");
  EXPECT_EQ(a2.Evaluate(session, "secret"), "mine");  // same identity: shared
  EXPECT_EQ(a2.DeleteSession(session), grpc::StatusCode::OK);
  EXPECT_EQ(a.Evaluate(session, "secret"), kNotFound);

  EXPECT_EQ(a.Unload(a_id), grpc::StatusCode::OK);
  EXPECT_EQ(a.Call(a_id, "", "sign", "x"), kNotLoaded);
  EXPECT_EQ(b.Call(b_id, "", "sign", "still"), "forged:still");
}

TEST(CallersTest, NamedTokensSeparateProgramsAndSessions) {
  {
    std::ofstream callers(PathOf("callers"));
    callers << "# name:token\n"
            << "alice:" << kAlice << "\n\n"
            << "bob: " << kBob << "\n";
    std::ofstream shared(PathOf("shared_token"));
    shared << kShared << "\n";
  }
  // One worker: every context of every caller lives in the same isolate.
  auto daemon = DaemonProcess::Start({"--workers=1", "--auth_callers_file=" + PathOf("callers"),
                                      "--auth_token_file=" + PathOf("shared_token")});
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  As alice(**daemon, kAlice), bob(**daemon, kBob), alice2(**daemon, kAlice);
  ExpectSeparated(alice, bob, alice2);
  // The unnamed token is a caller of its own too (and its ids are the plain content
  // hashes, as before named callers existed).
  As shared(**daemon, kShared);
  ExpectSeparated(shared, alice, As(**daemon, kShared));
  // Without a token, or with a wrong one, nothing.
  grpc::Status status;
  EXPECT_EQ(As(**daemon, "").Load(kProgram, &status), "");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(As(**daemon, std::string(kAlice) + "x").Load(kProgram, &status), "");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ((*daemon)->Terminate(), 0);
}

TEST(CallersTest, BadCallersFilesAreClearErrors) {
  auto start_fails_with = [](const std::string& content, const std::string& message) {
    {
      std::ofstream out(PathOf("bad_callers"));
      out << content;
    }
    std::string command = absl::StrCat(
        JSCORED_PATH, " --listen=127.0.0.1:0 --auth_callers_file=", PathOf("bad_callers"), " 2>&1");
    FILE* pipe = popen(command.c_str(), "r");
    std::string out;
    char buf[512];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
    int status = pclose(pipe);
    EXPECT_NE(WEXITSTATUS(status), 0) << content;
    EXPECT_THAT(out, ::testing::HasSubstr(message)) << content;
  };
  start_fails_with("alice\n", "line 1: expected name:token");
  start_fails_with("alice:short\n", "line 1: the token must be at least 16 characters");
  start_fails_with(absl::StrCat("# c\nalice:", kAlice, "\nalice:", kBob, "\n"),
                   "line 3: caller alice appears twice");
  start_fails_with(absl::StrCat("alice:", kAlice, "\nbob:", kAlice, "\n"),
                   "caller bob's token is also another caller's");
  start_fails_with(absl::StrCat("a b:", kAlice, "\n"), "a caller name is 1-64");
  start_fails_with("# nobody\n", "names no caller");
}

// Client certificates name callers: CN=alpha and CN=beta are two callers; the
// same certificate on two connections is one.
TEST(CallersTest, ClientCertificatesSeparateCallers) {
  std::string script = absl::StrCat(
      "set -e; cd ", ProcessTempDir(), "; ",
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=callers-ca "
      "-keyout cca.key -out cca.pem 2>/dev/null; ",
      "openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout cserver.key -out "
      "cserver.csr 2>/dev/null; ",
      "printf 'subjectAltName=IP:127.0.0.1' > csan.ext; ",
      "openssl x509 -req -in cserver.csr -CA cca.pem -CAkey cca.key -CAcreateserial -days 2 "
      "-extfile csan.ext -out cserver.pem 2>/dev/null; ",
      "for n in alpha beta; do ",
      "openssl req -newkey rsa:2048 -nodes -subj /CN=$n -keyout $n.key -out $n.csr 2>/dev/null; ",
      "openssl x509 -req -in $n.csr -CA cca.pem -CAkey cca.key -CAcreateserial -days 2 "
      "-out $n.pem 2>/dev/null; done");
  ASSERT_EQ(std::system(script.c_str()), 0) << script;
  auto credentials = [](const std::string& who) {
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = Read(PathOf("cca.pem"));
    options.pem_private_key = Read(PathOf(who + ".key"));
    options.pem_cert_chain = Read(PathOf(who + ".pem"));
    return grpc::SslCredentials(options);
  };
  ClientOptions alpha_options{credentials("alpha"), "127.0.0.1"};
  auto daemon = DaemonProcess::Start(
      {"--workers=1", "--tls_cert=" + PathOf("cserver.pem"), "--tls_key=" + PathOf("cserver.key"),
       "--tls_client_ca=" + PathOf("cca.pem")},
      absl::Seconds(30), alpha_options);
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  auto stub_as = [&](const std::string& who) {
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride("127.0.0.1");
    args.SetInt("jscore.test.connection", who == "alpha2" ? 2 : 1);  // its own connection
    std::string cert = who == "alpha2" ? "alpha" : who;
    return v1::JsCore::NewStub(
        grpc::CreateCustomChannel((*daemon)->address(), credentials(cert), args));
  };
  As alpha(stub_as("alpha"), ""), beta(stub_as("beta"), ""), alpha2(stub_as("alpha2"), "");
  ExpectSeparated(alpha, beta, alpha2);
  EXPECT_EQ((*daemon)->Terminate(), 0);
}

}  // namespace
}  // namespace jscore::testing
