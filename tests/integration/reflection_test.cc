// Issue 17: server reflection v1 (grpc.reflection.v1) beside v1alpha, against a real
// jscored: services listed, files by symbol and by name with their dependencies,
// errors as error responses, and the token asked for as for every method.
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.pb.h"
#include "grpc/reflection/v1/reflection.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/support/daemon_process.h"

namespace jscore::testing {
namespace {

using grpc::reflection::v1::ServerReflection;
using grpc::reflection::v1::ServerReflectionRequest;
using grpc::reflection::v1::ServerReflectionResponse;
using ::testing::Contains;
using ::testing::HasSubstr;

std::vector<std::string> FileNames(const ServerReflectionResponse& response) {
  std::vector<std::string> names;
  for (const std::string& bytes : response.file_descriptor_response().file_descriptor_proto()) {
    google::protobuf::FileDescriptorProto file;
    EXPECT_TRUE(file.ParseFromString(bytes));
    names.push_back(file.name());
  }
  return names;
}

TEST(ReflectionTest, V1ListsServicesAndDescribesThem) {
  auto daemon = DaemonProcess::Start({"--workers=1"});
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  auto stub = ServerReflection::NewStub((*daemon)->NewChannel());
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  auto stream = stub->ServerReflectionInfo(&context);
  ServerReflectionResponse response;

  ServerReflectionRequest list;
  list.set_list_services("");
  ASSERT_TRUE(stream->Write(list));
  ASSERT_TRUE(stream->Read(&response));
  std::vector<std::string> services;
  for (const auto& s : response.list_services_response().service()) services.push_back(s.name());
  EXPECT_THAT(services, Contains("jscore.v1.JsCore"));
  EXPECT_THAT(services, Contains("grpc.reflection.v1.ServerReflection"));
  EXPECT_THAT(services, Contains("grpc.reflection.v1alpha.ServerReflection"));

  // The file of jscore.v1.JsCore, first, with the well-known types it imports.
  ServerReflectionRequest symbol;
  symbol.set_file_containing_symbol("jscore.v1.JsCore");
  ASSERT_TRUE(stream->Write(symbol));
  ASSERT_TRUE(stream->Read(&response));
  std::vector<std::string> files = FileNames(response);
  ASSERT_FALSE(files.empty()) << response.DebugString();
  EXPECT_EQ(files[0], "jscore/v1/jscore.proto");
  EXPECT_THAT(files, Contains("google/protobuf/struct.proto"));
  google::protobuf::FileDescriptorProto jscore_file;
  ASSERT_TRUE(
      jscore_file.ParseFromString(response.file_descriptor_response().file_descriptor_proto(0)));
  ASSERT_GE(jscore_file.service_size(), 1);
  EXPECT_EQ(jscore_file.service(0).name(), "JsCore");
  std::vector<std::string> methods;
  for (const auto& m : jscore_file.service(0).method()) methods.push_back(m.name());
  EXPECT_THAT(methods, Contains("Evaluate"));
  EXPECT_THAT(methods, Contains("Batch"));

  // By file name: the file itself again; its dependencies went already on this stream.
  ServerReflectionRequest by_name;
  by_name.set_file_by_filename("jscore/v1/jscore.proto");
  ASSERT_TRUE(stream->Write(by_name));
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_EQ(FileNames(response), std::vector<std::string>{"jscore/v1/jscore.proto"});
  EXPECT_EQ(response.original_request().file_by_filename(), "jscore/v1/jscore.proto");

  ServerReflectionRequest missing;
  missing.set_file_containing_symbol("no.such.Service");
  ASSERT_TRUE(stream->Write(missing));
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_EQ(response.error_response().error_code(), static_cast<int>(grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(response.error_response().error_message(), HasSubstr("no.such.Service"));

  stream->WritesDone();
  EXPECT_FALSE(stream->Read(&response));
  EXPECT_TRUE(stream->Finish().ok());
}

TEST(ReflectionTest, V1AsksForTheToken) {
  const std::string token = "reflection-token-0123456789";
  std::string path = absl::StrCat(ProcessTempDir(), "/reflection_token");
  ASSERT_EQ(system(absl::StrCat("printf '%s\\n' '", token, "' > ", path).c_str()), 0);
  auto daemon = DaemonProcess::Start({"--workers=1", "--auth_token_file=" + path});
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  auto stub = ServerReflection::NewStub((*daemon)->NewChannel());
  ServerReflectionRequest list;
  list.set_list_services("");
  ServerReflectionResponse response;
  for (bool with_token : {false, true}) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    if (with_token) context.AddMetadata("authorization", "Bearer " + token);
    auto stream = stub->ServerReflectionInfo(&context);
    stream->Write(list);
    bool read = stream->Read(&response);
    stream->WritesDone();
    while (stream->Read(&response)) {
    }
    grpc::Status status = stream->Finish();
    if (with_token) {
      EXPECT_TRUE(read);
      EXPECT_TRUE(status.ok()) << status.error_message();
    } else {
      EXPECT_FALSE(read);
      EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
    }
  }
}

}  // namespace
}  // namespace jscore::testing
