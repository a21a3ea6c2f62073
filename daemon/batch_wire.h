// The Batch stream's messages as bytes: counting a request's items before it is
// parsed (so that an oversized message costs no memory), parsing, serializing.
#ifndef JSCORE_DAEMON_BATCH_WIRE_H_
#define JSCORE_DAEMON_BATCH_WIRE_H_

#include <cstdint>

#include "absl/status/status.h"
#include "grpcpp/support/byte_buffer.h"
#include "jscore/v1/jscore.pb.h"

namespace jscore::daemon {

// The BatchRequest messages in serialized `request`: itself, its `more` items and
// theirs (ignored, but parsed all the same), counted without building any, up to
// `limit` + 1 (counting stops there). Malformed bytes count what was read before
// them; parsing then fails. Any thread; `request` is not consumed.
int64_t CountBatchItems(grpc::ByteBuffer* request, int64_t limit);

// Parses `buffer` (consumed) into `request`; INVALID_ARGUMENT if malformed.
absl::Status ParseBatchRequest(grpc::ByteBuffer* buffer, v1::BatchRequest* request);

// Serializes `response` into `buffer`.
absl::Status SerializeBatchResponse(const v1::BatchResponse& response, grpc::ByteBuffer* buffer);

}  // namespace jscore::daemon

#endif  // JSCORE_DAEMON_BATCH_WIRE_H_
