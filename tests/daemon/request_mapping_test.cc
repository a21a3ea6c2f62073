// In-process tests of daemon/request_mapping.h: requests become the engine's JobSpec
// field by field; bad input is INVALID_ARGUMENT (or UNIMPLEMENTED for what is not
// offered) saying what is wrong; deadlines take the smallest limit; outcomes fill
// responses. No jscored process, no V8.
#include "daemon/request_mapping.h"

#include <string>
#include <utility>
#include <variant>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/arena.h"
#include "gtest/gtest.h"
#include "proto/request_parsing.h"

namespace jscore::daemon {
namespace {

using ::testing::HasSubstr;

const std::string kProgram(64, 'c');  // a well-formed program id

// The request's error: its code, and a message containing `text`.
MATCHER_P2(FailsWith, code, text, "") {
  if (arg.ok()) {
    *result_listener << "is OK";
    return false;
  }
  *result_listener << "is " << arg.status();
  return arg.status().code() == code &&
         absl::StrContains(arg.status().message(), std::string(text));
}

DaemonConfig SmallConfig() {
  DaemonConfig config;
  config.max_source_bytes = 100;
  config.max_globals = 3;
  config.pool.max_result_depth = 4;
  return config;
}

v1::EvaluateRequest Eval(const std::string& source) {
  v1::EvaluateRequest request;
  request.set_source(source);
  return request;
}

google::protobuf::Value Nested(int levels) {
  google::protobuf::Value value;
  value.set_number_value(1);
  for (int i = 0; i < levels; ++i) {
    google::protobuf::Value outer;
    *outer.mutable_list_value()->add_values() = value;
    value = outer;
  }
  return value;
}

// The rvalue forms (the daemon's handlers, on a request they own) build the same spec
// as the const ones, but take the large parts out of the request instead of copying.
TEST(RequestMappingTest, MovingARequestGivesTheSameSpecAndEmptiesItsLargeParts) {
  v1::CallRequest call;
  call.set_program(kProgram);
  call.set_function("sign");
  (*call.add_args()->mutable_struct_value()->mutable_fields())["uid"].set_string_value("10086");
  call.add_args()->set_number_value(17);
  absl::StatusOr<engine::JobSpec> copied = SpecFromRequest(call, SmallConfig());
  ASSERT_TRUE(copied.ok()) << copied.status();
  v1::CallRequest taken_from = call;
  absl::StatusOr<engine::JobSpec> moved = SpecFromRequest(std::move(taken_from), SmallConfig());
  ASSERT_TRUE(moved.ok()) << moved.status();
  const auto& moved_call = std::get<engine::CallSpec>(moved->what);
  const auto& copied_call = std::get<engine::CallSpec>(copied->what);
  EXPECT_EQ(moved_call.program, copied_call.program);
  EXPECT_EQ(moved_call.function, "sign");
  ASSERT_EQ(moved_call.args.size(), 2u);
  EXPECT_EQ(moved_call.args[0].struct_value().fields().at("uid").string_value(), "10086");
  EXPECT_EQ(moved_call.args[1].number_value(), 17);
  EXPECT_EQ(moved_call.args[0].DebugString(), copied_call.args[0].DebugString());
  EXPECT_FALSE(taken_from.args(0).has_struct_value());  // moved out, not copied

  v1::CallRequest json_call;
  json_call.set_program(kProgram);
  json_call.set_function("f");
  json_call.mutable_args_json()->set_json("[1,\"two\"]");
  absl::StatusOr<engine::JobSpec> json_spec = SpecFromRequest(std::move(json_call), SmallConfig());
  ASSERT_TRUE(json_spec.ok()) << json_spec.status();
  const auto& json_call_spec = std::get<engine::CallSpec>(json_spec->what);
  ASSERT_TRUE(json_call_spec.args_json.has_value());
  EXPECT_EQ(json_call_spec.args_json->json, "[1,\"two\"]");

  v1::EvaluateRequest eval = Eval("x + y");
  (*eval.mutable_globals())["x"].set_number_value(1);
  (*eval.mutable_globals())["y"].set_string_value("two");
  absl::StatusOr<engine::JobSpec> eval_copied = SpecFromRequest(eval, SmallConfig());
  ASSERT_TRUE(eval_copied.ok()) << eval_copied.status();
  absl::StatusOr<engine::JobSpec> eval_moved = SpecFromRequest(std::move(eval), SmallConfig());
  ASSERT_TRUE(eval_moved.ok()) << eval_moved.status();
  const auto& moved_eval = std::get<engine::EvaluateSpec>(eval_moved->what);
  const auto& copied_eval = std::get<engine::EvaluateSpec>(eval_copied->what);
  EXPECT_EQ(moved_eval.source, "x + y");
  ASSERT_EQ(moved_eval.globals.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(moved_eval.globals[i].first, copied_eval.globals[i].first);
    EXPECT_EQ(moved_eval.globals[i].second.DebugString(),
              copied_eval.globals[i].second.DebugString());
  }

  // A bad request is refused the same way either way.
  v1::CallRequest bad;
  bad.set_program("not-an-id");
  bad.set_function("f");
  EXPECT_THAT(SpecFromRequest(std::move(bad), SmallConfig()),
              FailsWith(absl::StatusCode::kInvalidArgument, "program must be a program id"));
}

TEST(RequestMappingTest, EvaluateCarriesEveryField) {
  v1::EvaluateRequest request = Eval("x + 1");
  request.set_filename("job.js");
  (*request.mutable_globals())["x"].set_number_value(41);
  request.set_random_seed(7);
  request.set_frozen_time_ms(-1000);
  request.set_probe(true);
  request.set_extensions(v1::EXTENSIONS_NONE);
  request.set_value_encoding(v1::VALUE_ENCODING_JSON);
  request.set_type(v1::SOURCE_TYPE_MODULE);
  (*request.mutable_modules())["./a.js"] = "export default 1";
  absl::StatusOr<engine::JobSpec> spec = SpecFromRequest(request, SmallConfig());
  ASSERT_TRUE(spec.ok()) << spec.status();
  ASSERT_EQ(spec->kind(), engine::JobKind::kEvaluate);
  const auto& evaluate = std::get<engine::EvaluateSpec>(spec->what);
  EXPECT_EQ(evaluate.source, "x + 1");
  EXPECT_EQ(evaluate.filename, "job.js");
  ASSERT_EQ(evaluate.globals.size(), 1u);
  EXPECT_EQ(evaluate.globals[0].first, "x");
  EXPECT_EQ(evaluate.globals[0].second.number_value(), 41);
  EXPECT_EQ(evaluate.settings.random_seed, 7u);
  EXPECT_EQ(evaluate.settings.frozen_time_ms, -1000);
  EXPECT_TRUE(evaluate.settings.probe);
  EXPECT_EQ(evaluate.environment, engine::Environment::kBare);
  EXPECT_EQ(evaluate.value_encoding, engine::ValueEncoding::kJson);
  EXPECT_EQ(evaluate.source_type, engine::SourceType::kModule);
  EXPECT_EQ(evaluate.modules.at("./a.js"), "export default 1");
  EXPECT_FALSE(evaluate.settings.browser.has_value());

  absl::StatusOr<engine::JobSpec> plain = SpecFromRequest(Eval("1"), SmallConfig());
  ASSERT_TRUE(plain.ok()) << plain.status();
  ASSERT_EQ(plain->kind(), engine::JobKind::kEvaluate);
  const auto& plain_evaluate = std::get<engine::EvaluateSpec>(plain->what);
  EXPECT_EQ(plain_evaluate.filename, "<eval>");
  EXPECT_EQ(plain_evaluate.environment, engine::Environment::kStandard);
  EXPECT_EQ(plain_evaluate.value_encoding, engine::ValueEncoding::kProtobuf);
}

TEST(RequestMappingTest, EvaluateRefusesOversizedInput) {
  const DaemonConfig config = SmallConfig();
  const auto kInvalid = absl::StatusCode::kInvalidArgument;
  EXPECT_THAT(SpecFromRequest(Eval(std::string(101, ' ')), config),
              FailsWith(kInvalid, "source is 101 bytes; the limit is 100"));
  EXPECT_TRUE(SpecFromRequest(Eval(std::string(100, ' ')), config).ok());

  v1::EvaluateRequest named = Eval("1");
  named.set_filename(std::string(1025, 'f'));
  EXPECT_THAT(SpecFromRequest(named, config), FailsWith(kInvalid, "filename is longer"));

  v1::EvaluateRequest globals = Eval("1");
  for (const char* name : {"a", "b", "c", "d"})
    (*globals.mutable_globals())[name].set_bool_value(true);
  EXPECT_THAT(SpecFromRequest(globals, config),
              FailsWith(kInvalid, "too many globals (4; the limit is 3)"));

  v1::EvaluateRequest deep = Eval("1");
  (*deep.mutable_globals())["g"] = Nested(5);
  EXPECT_THAT(SpecFromRequest(deep, config),
              FailsWith(kInvalid, "globals is nested deeper than 4 levels at \"/g/0/0/0/0\""));
  (*deep.mutable_globals())["g"] = Nested(4);
  EXPECT_TRUE(SpecFromRequest(deep, config).ok());

  v1::EvaluateRequest modules = Eval(std::string(60, ' '));
  (*modules.mutable_modules())["./m.js"] = std::string(41, ' ');
  EXPECT_THAT(SpecFromRequest(modules, config),
              FailsWith(kInvalid, "program source and modules are 101 bytes"));
}

TEST(RequestMappingTest, EvaluateRefusesContradictions) {
  const DaemonConfig config = SmallConfig();
  const auto kInvalid = absl::StatusCode::kInvalidArgument;
  v1::EvaluateRequest both = Eval("1");
  (*both.mutable_globals())["a"].set_number_value(1);
  both.mutable_globals_json()->set_json(R"({"b":2})");
  EXPECT_THAT(SpecFromRequest(both, config),
              FailsWith(kInvalid, "set globals or globals_json, not both"));

  v1::EvaluateRequest array = Eval("1");
  array.mutable_globals_json()->set_json("[1]");
  EXPECT_THAT(SpecFromRequest(array, config),
              FailsWith(kInvalid, "globals_json must be a JSON object"));

  v1::EvaluateRequest unnamed = Eval("1");
  (*unnamed.mutable_globals())[""].set_number_value(1);
  EXPECT_THAT(SpecFromRequest(unnamed, config), FailsWith(kInvalid, "a global has an empty name"));

  v1::EvaluateRequest browser = Eval("1");
  browser.mutable_browser()->set_user_agent("x");
  EXPECT_THAT(SpecFromRequest(browser, config),
              FailsWith(kInvalid, "profile is not PROFILE_BROWSER"));
  browser.set_profile(v1::PROFILE_BROWSER);
  absl::StatusOr<engine::JobSpec> with_browser = SpecFromRequest(browser, config);
  ASSERT_TRUE(with_browser.ok()) << with_browser.status();
  ASSERT_EQ(with_browser->kind(), engine::JobKind::kEvaluate);
  const auto& browser_settings = std::get<engine::EvaluateSpec>(with_browser->what).settings;
  ASSERT_TRUE(browser_settings.browser.has_value());
  EXPECT_EQ(browser_settings.browser->user_agent, "x");
  browser.set_session("s1");
  EXPECT_THAT(SpecFromRequest(browser, config), FailsWith(kInvalid, "chosen when it is created"));

  v1::EvaluateRequest probe = Eval("1");
  probe.set_session("s1");
  probe.set_probe(true);
  EXPECT_THAT(SpecFromRequest(probe, config), FailsWith(absl::StatusCode::kUnimplemented,
                                                        "probe is not available inside a session"));

  v1::EvaluateRequest module = Eval("1");
  module.set_session("s1");
  module.set_type(v1::SOURCE_TYPE_MODULE);
  EXPECT_THAT(SpecFromRequest(module, config),
              FailsWith(kInvalid, "type and modules apply to fresh"));

  v1::EvaluateRequest time = Eval("1");
  time.set_frozen_time_ms(8640000000000001);
  EXPECT_THAT(SpecFromRequest(time, config), FailsWith(kInvalid, "frozen_time_ms is outside"));
  time.set_frozen_time_ms(8640000000000000);
  EXPECT_TRUE(SpecFromRequest(time, config).ok());

  v1::EvaluateRequest encoding = Eval("1");
  encoding.set_value_encoding(static_cast<v1::ValueEncoding>(99));
  EXPECT_THAT(SpecFromRequest(encoding, config), FailsWith(kInvalid, "unknown value_encoding"));
}

// A request the gRPC layer could not parse arrives empty and marked: its reason is
// the answer, not "empty source".
TEST(RequestMappingTest, UnparsedRequestsSayWhy) {
  v1::EvaluateRequest evaluate = Eval("1");
  v1::MarkRequestParseFailure(&evaluate);
  EXPECT_THAT(SpecFromRequest(evaluate, SmallConfig()),
              FailsWith(absl::StatusCode::kInvalidArgument, "the request could not be parsed"));
  v1::CallRequest call;
  call.set_program(kProgram);
  call.set_function("f");
  v1::MarkRequestParseFailure(&call);
  EXPECT_THAT(SpecFromRequest(call, SmallConfig()),
              FailsWith(absl::StatusCode::kInvalidArgument, "the request could not be parsed"));
}

TEST(RequestMappingTest, CallNamesAProgramOrASession) {
  const DaemonConfig config = SmallConfig();
  const auto kInvalid = absl::StatusCode::kInvalidArgument;
  v1::CallRequest call;
  call.set_function("api.sign");
  EXPECT_THAT(SpecFromRequest(call, config),
              FailsWith(kInvalid, "a call names a program or a session"));
  call.set_program(std::string(64, 'C'));
  EXPECT_THAT(SpecFromRequest(call, config), FailsWith(kInvalid, "64 lowercase hex digits"));
  call.set_program(kProgram.substr(1));
  EXPECT_THAT(SpecFromRequest(call, config), FailsWith(kInvalid, "64 lowercase hex digits"));

  call.set_program(kProgram);
  call.add_args()->set_string_value("a");
  call.add_args()->set_number_value(2);
  call.set_fresh(true);
  call.set_random_seed(3);
  absl::StatusOr<engine::JobSpec> spec = SpecFromRequest(call, config);
  ASSERT_TRUE(spec.ok()) << spec.status();
  ASSERT_EQ(spec->kind(), engine::JobKind::kCall);
  const auto& call_spec = std::get<engine::CallSpec>(spec->what);
  EXPECT_EQ(call_spec.program, kProgram);
  EXPECT_EQ(call_spec.session, "");
  EXPECT_EQ(call_spec.function, "api.sign");
  ASSERT_EQ(call_spec.args.size(), 2u);
  EXPECT_EQ(call_spec.args[0].string_value(), "a");
  EXPECT_EQ(call_spec.args[1].number_value(), 2);
  EXPECT_TRUE(call_spec.fresh);
  EXPECT_EQ(call_spec.settings.random_seed, 3u);

  call.mutable_args_json()->set_json("[1]");
  EXPECT_THAT(SpecFromRequest(call, config),
              FailsWith(kInvalid, "set args or args_json, not both"));
  call.clear_args();
  call.mutable_args_json()->set_json(R"({"a":1})");
  EXPECT_THAT(SpecFromRequest(call, config), FailsWith(kInvalid, "args_json must be a JSON array"));
  call.clear_args_json();
  *call.add_args() = Nested(5);
  EXPECT_THAT(SpecFromRequest(call, config),
              FailsWith(kInvalid, "args is nested deeper than 4 levels"));
  call.clear_args();
  call.set_function("");
  EXPECT_THAT(SpecFromRequest(call, config), FailsWith(kInvalid, "function must name a function"));

  v1::CallRequest in_session;
  in_session.set_session("s1");
  in_session.set_function("f");
  absl::StatusOr<engine::JobSpec> session_spec = SpecFromRequest(in_session, config);
  ASSERT_TRUE(session_spec.ok()) << session_spec.status();
  ASSERT_EQ(session_spec->kind(), engine::JobKind::kCall);
  EXPECT_EQ(std::get<engine::CallSpec>(session_spec->what).session, "s1");
  EXPECT_EQ(std::get<engine::CallSpec>(session_spec->what).program, "");
  in_session.set_fresh(true);
  EXPECT_THAT(SpecFromRequest(in_session, config),
              FailsWith(kInvalid, "fresh applies to programs"));
  in_session.set_fresh(false);
  in_session.set_probe(true);
  EXPECT_THAT(
      SpecFromRequest(in_session, config),
      FailsWith(absl::StatusCode::kUnimplemented, "probe is not available inside a session"));
}

TEST(RequestMappingTest, ProgramsAndSessions) {
  const DaemonConfig config = SmallConfig();
  const auto kInvalid = absl::StatusCode::kInvalidArgument;
  v1::LoadProgramRequest load;
  load.set_source("function f() {}");
  load.set_validate_only(true);
  load.set_type(v1::SOURCE_TYPE_COMMONJS);
  absl::StatusOr<engine::JobSpec> program = SpecFromRequest(load, config);
  ASSERT_TRUE(program.ok()) << program.status();
  ASSERT_EQ(program->kind(), engine::JobKind::kLoadProgram);
  const auto& load_spec = std::get<engine::LoadProgramSpec>(program->what);
  EXPECT_EQ(load_spec.filename, "<program>");
  EXPECT_TRUE(load_spec.validate_only);
  EXPECT_EQ(load_spec.source_type, engine::SourceType::kCommonJs);
  load.set_type(static_cast<v1::SourceType>(42));
  EXPECT_THAT(SpecFromRequest(load, config), FailsWith(kInvalid, "unknown source type"));
  load.set_type(v1::SOURCE_TYPE_SCRIPT);
  (*load.mutable_modules())[""] = "x";
  EXPECT_THAT(SpecFromRequest(load, config), FailsWith(kInvalid, "a module name is empty"));

  v1::CreateSessionRequest create;
  create.set_source("var n = 0;");
  create.set_program(kProgram);
  create.mutable_ttl()->set_seconds(90);
  create.set_extensions(v1::EXTENSIONS_NONE);
  create.set_random_seed(5);
  create.set_frozen_time_ms(1000);
  create.set_profile(v1::PROFILE_BROWSER);
  create.mutable_browser()->set_platform("Linux x86_64");
  absl::StatusOr<engine::JobSpec> session = SpecFromRequest(create, config);
  ASSERT_TRUE(session.ok()) << session.status();
  ASSERT_EQ(session->kind(), engine::JobKind::kCreateSession);
  const auto& create_spec = std::get<engine::CreateSessionSpec>(session->what);
  EXPECT_EQ(create_spec.program, kProgram);
  EXPECT_EQ(create_spec.filename, "<session>");
  EXPECT_EQ(create_spec.ttl, absl::Seconds(90));
  EXPECT_EQ(create_spec.environment, engine::Environment::kBare);
  // The context settings, read by the same function as Evaluate's and Call's.
  EXPECT_EQ(create_spec.settings.random_seed, 5u);
  EXPECT_EQ(create_spec.settings.frozen_time_ms, 1000);
  ASSERT_TRUE(create_spec.settings.browser.has_value());
  EXPECT_EQ(create_spec.settings.browser->platform, "Linux x86_64");
  EXPECT_FALSE(create_spec.settings.probe);
  create.set_frozen_time_ms(-8640000000000001);
  EXPECT_THAT(SpecFromRequest(create, config), FailsWith(kInvalid, "frozen_time_ms is outside"));
  create.set_frozen_time_ms(0);
  create.mutable_ttl()->set_seconds(-1);
  EXPECT_THAT(SpecFromRequest(create, config), FailsWith(kInvalid, "ttl must not be negative"));
  create.clear_ttl();
  create.set_program("not-a-program");
  EXPECT_THAT(SpecFromRequest(create, config), FailsWith(kInvalid, "program must be a program id"));

  v1::DeleteSessionRequest remove;
  EXPECT_THAT(SpecFromRequest(remove, config), FailsWith(kInvalid, "session must be a session id"));
  remove.set_session("s9");
  absl::StatusOr<engine::JobSpec> removal = SpecFromRequest(remove, config);
  ASSERT_TRUE(removal.ok()) << removal.status();
  ASSERT_EQ(removal->kind(), engine::JobKind::kDeleteSession);
  const auto& delete_spec = std::get<engine::DeleteSessionSpec>(removal->what);
  EXPECT_EQ(delete_spec.session, "s9");
}

// The smallest of the request's timeout (or the default), --max_timeout and the gRPC
// deadline.
TEST(RequestMappingTest, DeadlineTakesTheSmallestLimit) {
  DaemonConfig config;
  config.default_timeout = absl::Seconds(5);
  config.max_timeout = absl::Seconds(60);
  const absl::Time now = absl::FromUnixSeconds(1000);
  const absl::Time no_grpc_deadline = absl::InfiniteFuture();
  google::protobuf::Duration timeout;
  EXPECT_EQ(*DeadlineFor(timeout, no_grpc_deadline, now, config), now + absl::Seconds(5));
  timeout.set_nanos(250000000);
  EXPECT_EQ(*DeadlineFor(timeout, no_grpc_deadline, now, config), now + absl::Milliseconds(250));
  timeout.set_seconds(3600);
  EXPECT_EQ(*DeadlineFor(timeout, no_grpc_deadline, now, config), now + absl::Seconds(60));
  EXPECT_EQ(*DeadlineFor(timeout, now + absl::Seconds(2), now, config), now + absl::Seconds(2));
  timeout.set_seconds(-1);
  timeout.set_nanos(0);
  EXPECT_THAT(DeadlineFor(timeout, no_grpc_deadline, now, config),
              FailsWith(absl::StatusCode::kInvalidArgument, "timeout must not be negative"));
}

// A response on an arena (the daemon's MessagePool) takes the engine's value tree
// over instead of copying it into the arena; the arena deletes it when it goes.
TEST(RequestMappingTest, AValueIsHandedToAResponseOnAnArenaNotCopied) {
  for (bool hook : {false, true}) {
    google::protobuf::Arena arena;
    auto* response = google::protobuf::Arena::CreateMessage<v1::EvaluateResponse>(&arena);
    engine::Outcome outcome;
    outcome.kind = hook ? engine::Outcome::Kind::kHook : engine::Outcome::Kind::kValue;
    (*outcome.value.mutable_struct_value()->mutable_fields())["k"].set_string_value(
        std::string(1000, 'x'));
    const google::protobuf::Struct* tree = &outcome.value.struct_value();
    ASSERT_TRUE(FillResponse(std::move(outcome), response).ok());
    const google::protobuf::Value& out = hook ? response->hook_data() : response->value();
    EXPECT_EQ(&out.struct_value(), tree);  // the same tree, not a copy
    EXPECT_EQ(out.struct_value().fields().at("k").string_value(), std::string(1000, 'x'));
    EXPECT_EQ(hook, !response->has_value());
    v1::EvaluateResponse parsed;  // and it encodes as any response
    ASSERT_TRUE(parsed.ParseFromString(response->SerializeAsString()));
    EXPECT_EQ((hook ? parsed.hook_data() : parsed.value()).DebugString(), out.DebugString());
  }
}

TEST(RequestMappingTest, OutcomesFillResponses) {
  engine::Outcome value;
  value.kind = engine::Outcome::Kind::kValue;
  value.value.set_number_value(3);
  value.console.push_back({engine::ConsoleLine::Level::kWarn, "careful"});
  value.probed_missing = {"window"};
  value.stats.worker = 1;
  value.stats.wall_time = absl::Milliseconds(1500);
  v1::EvaluateResponse evaluated;
  ASSERT_TRUE(FillResponse(value, &evaluated).ok());
  EXPECT_EQ(evaluated.result_case(), v1::EvaluateResponse::kValue);
  EXPECT_EQ(evaluated.value().number_value(), 3);
  ASSERT_EQ(evaluated.console_size(), 1);
  EXPECT_EQ(evaluated.console(0).level(), v1::ConsoleLine::WARN);
  EXPECT_EQ(evaluated.console(0).text(), "careful");
  EXPECT_THAT(evaluated.probed_missing(), ::testing::ElementsAre("window"));
  EXPECT_EQ(evaluated.stats().worker(), 1);
  EXPECT_EQ(evaluated.stats().wall_time().seconds(), 1);
  EXPECT_EQ(evaluated.stats().wall_time().nanos(), 500000000);

  engine::Outcome hook;
  hook.kind = engine::Outcome::Kind::kHook;
  hook.value_json = engine::JsonValue{R"({"sig":1})", ""};
  v1::EvaluateResponse hooked;
  ASSERT_TRUE(FillResponse(hook, &hooked).ok());
  EXPECT_EQ(hooked.result_case(), v1::EvaluateResponse::kHookDataJson);
  EXPECT_EQ(hooked.hook_data_json().json(), R"({"sig":1})");

  engine::Outcome thrown;
  thrown.kind = engine::Outcome::Kind::kJsError;
  thrown.error.name = "TypeError";
  thrown.error.message = "bad";
  thrown.error.line = 2;
  v1::EvaluateResponse errored;
  ASSERT_TRUE(FillResponse(thrown, &errored).ok());
  EXPECT_EQ(errored.result_case(), v1::EvaluateResponse::kError);
  EXPECT_EQ(errored.error().name(), "TypeError");
  EXPECT_EQ(errored.error().line(), 2);

  // A failed job is the RPC's status, whatever the response.
  absl::Status full = absl::ResourceExhaustedError("queue full");
  v1::EvaluateResponse failed;
  EXPECT_EQ(FillResponse(engine::Outcome::Failed(full), &failed), full);
  v1::DeleteSessionResponse deleted;
  EXPECT_EQ(FillResponse(engine::Outcome::Failed(absl::NotFoundError("gone")), &deleted),
            absl::NotFoundError("gone"));

  engine::Outcome loaded;
  loaded.kind = engine::Outcome::Kind::kValue;
  loaded.id = kProgram;
  v1::LoadProgramResponse program;
  ASSERT_TRUE(FillResponse(loaded, &program).ok());
  EXPECT_EQ(program.program(), kProgram);

  engine::Outcome created;
  created.kind = engine::Outcome::Kind::kValue;
  created.id = "s1";
  created.stats.worker = 2;
  v1::CreateSessionResponse session;
  ASSERT_TRUE(FillResponse(created, &session).ok());
  EXPECT_EQ(session.session(), "s1");
  EXPECT_EQ(session.worker(), 2);
}

}  // namespace
}  // namespace jscore::daemon
