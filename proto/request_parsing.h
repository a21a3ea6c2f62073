// How jscored parses the requests that carry values (EvaluateRequest, CallRequest,
// BatchRequest): deeper than protobuf's default 100 message levels, and never failing.
//
// google.protobuf.Value costs three message levels per JS object, so protobuf's default
// limit stops at about 33 nested objects; and gRPC's callback server answers a request
// it cannot parse with UNIMPLEMENTED and an empty message. These SerializationTraits
// parse with a limit that fits --max_result_depth's largest value (1000 JS levels), and
// when a request still cannot be parsed (deeper than that, or malformed) they hand the
// handler an empty request marked with the reason (RequestParseFailure), so that the
// daemon answers INVALID_ARGUMENT saying why. The daemon then checks the values' depth
// against its own limit (daemon/request_mapping.cc).
//
// This header is force-included (CMake, jscore::proto, PUBLIC) into every translation
// unit that uses the generated code, so that one definition of the traits is seen
// everywhere. Any thread.
#ifndef JSCORE_PROTO_REQUEST_PARSING_H_
#define JSCORE_PROTO_REQUEST_PARSING_H_

#include <climits>
#include <string>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/unknown_field_set.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "jscore/v1/jscore.pb.h"

namespace jscore::v1 {

// 1000 JS levels of objects (3 message levels each) plus the request's own wrappers.
inline constexpr int kMaxRequestMessageLevels = 3 * 1000 + 16;
// The unknown field that marks a request that could not be parsed (the largest field
// number protobuf allows).
inline constexpr int kRequestParseFailureField = 536870911;

// The reason a request could not be parsed, or "" when it was.
inline std::string RequestParseFailure(const google::protobuf::Message& request) {
  const google::protobuf::UnknownFieldSet& unknown =
      request.GetReflection()->GetUnknownFields(request);
  for (int i = 0; i < unknown.field_count(); ++i) {
    const google::protobuf::UnknownField& field = unknown.field(i);
    if (field.number() == kRequestParseFailureField &&
        field.type() == google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED) {
      return field.length_delimited();
    }
  }
  return "";
}

inline void MarkRequestParseFailure(google::protobuf::Message* request) {
  request->Clear();
  request->GetReflection()->MutableUnknownFields(request)->AddLengthDelimited(
      kRequestParseFailureField,
      "the request could not be parsed: it is malformed, or nested deeper than protobuf "
      "can read (a google.protobuf.Value deeper than 1000 levels); send deep values as "
      "JSON text (args_json, globals_json)");
}

template <class T>
class DeepRequestTraits {
 public:
  static grpc::Status Serialize(const T& msg, grpc::ByteBuffer* buffer, bool* own_buffer) {
    return grpc::GenericSerialize<grpc::ProtoBufferWriter, T>(msg, buffer, own_buffer);
  }

  static grpc::Status Deserialize(grpc::ByteBuffer* buffer, T* msg) {
    if (buffer == nullptr) return grpc::Status(grpc::StatusCode::INTERNAL, "No payload");
    bool parsed = false;
    {
      grpc::ProtoBufferReader reader(buffer);
      if (!reader.status().ok()) return reader.status();
      google::protobuf::io::CodedInputStream coded(&reader);
      coded.SetRecursionLimit(kMaxRequestMessageLevels);
      coded.SetTotalBytesLimit(INT_MAX);
      parsed = msg->ParseFromCodedStream(&coded);
    }
    buffer->Clear();
    if (!parsed) Mark(msg);
    return grpc::Status::OK;
  }

 private:
  static void Mark(T* msg) { MarkRequestParseFailure(msg); }
};

// A Batch item that cannot be parsed fails as an item: its evaluation carries the mark.
template <>
inline void DeepRequestTraits<BatchRequest>::Mark(BatchRequest* msg) {
  msg->Clear();
  MarkRequestParseFailure(msg->mutable_evaluate());
}

}  // namespace jscore::v1

namespace grpc {

template <>
class SerializationTraits<jscore::v1::EvaluateRequest>
    : public jscore::v1::DeepRequestTraits<jscore::v1::EvaluateRequest> {};
template <>
class SerializationTraits<jscore::v1::CallRequest>
    : public jscore::v1::DeepRequestTraits<jscore::v1::CallRequest> {};
template <>
class SerializationTraits<jscore::v1::BatchRequest>
    : public jscore::v1::DeepRequestTraits<jscore::v1::BatchRequest> {};

}  // namespace grpc

#endif  // JSCORE_PROTO_REQUEST_PARSING_H_
