#include "daemon/batch_wire.h"

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "grpcpp/support/proto_buffer_writer.h"

namespace jscore::daemon {
namespace {

using google::protobuf::internal::WireFormatLite;
using google::protobuf::io::CodedInputStream;

constexpr int kMoreField = v1::BatchRequest::kMoreFieldNumber;
// Deeper than protobuf's own parser goes (100): such a message fails to parse anyway.
constexpr int kMaxDepth = 100;

// Counts the message at the stream's current limit and the `more` items inside it.
// False when counting must stop (past `limit`, malformed, too deep).
bool Count(CodedInputStream* in, int depth, int64_t limit, int64_t* count) {
  if (++*count > limit || depth > kMaxDepth) return false;
  while (true) {
    uint32_t tag = in->ReadTag();
    if (tag == 0) return true;  // the end of this message (or malformed bytes)
    if (WireFormatLite::GetTagFieldNumber(tag) == kMoreField &&
        WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      uint32_t length = 0;
      if (!in->ReadVarint32(&length)) return false;
      CodedInputStream::Limit outer = in->PushLimit(static_cast<int>(length));
      if (!Count(in, depth + 1, limit, count)) return false;
      in->PopLimit(outer);
    } else if (!WireFormatLite::SkipField(in, tag)) {
      return false;
    }
  }
}

}  // namespace

int64_t CountBatchItems(grpc::ByteBuffer* request, int64_t limit) {
  grpc::ProtoBufferReader reader(request);
  CodedInputStream in(&reader);
  int64_t count = 0;
  Count(&in, 0, limit, &count);
  return count;
}

absl::Status ParseBatchRequest(grpc::ByteBuffer* buffer, v1::BatchRequest* request) {
  grpc::Status status = grpc::SerializationTraits<v1::BatchRequest>::Deserialize(buffer, request);
  if (!status.ok()) return absl::InvalidArgumentError("a Batch message could not be parsed");
  return absl::OkStatus();
}

absl::Status SerializeBatchResponse(const v1::BatchResponse& response, grpc::ByteBuffer* buffer) {
  bool own = false;
  grpc::Status status =
      grpc::SerializationTraits<v1::BatchResponse>::Serialize(response, buffer, &own);
  if (!status.ok()) return absl::InternalError("a Batch result could not be serialized");
  return absl::OkStatus();
}

}  // namespace jscore::daemon
