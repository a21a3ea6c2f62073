// The gRPC codec of the client: protobuf's current Go API (APIv2).

package jscore

import (
	"fmt"

	"google.golang.org/grpc/encoding"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/runtime/protoiface"
	"google.golang.org/protobuf/runtime/protoimpl"
)

// Codec is the codec the client forces on its connection. Debian's gRPC 1.33 marshals
// with github.com/golang/protobuf, which in its 1.3 version (what apt installs by
// default beside golang-google-grpc-dev) cannot handle the APIv2 messages that
// protoc-gen-go 1.28 generates; this codec handles both APIv2 and older generated
// messages (the health stubs of gRPC 1.33 are of the old kind). Pass
// grpc.ForceCodec(jscore.Codec()) when calling the generated stubs on a connection
// of your own; the connection of Client.Conn already has it.
func Codec() encoding.Codec { return codec{} }

type codec struct{}

func (codec) Name() string { return "proto" }

func (codec) Marshal(v any) ([]byte, error) {
	m, err := messageOf(v)
	if err != nil {
		return nil, err
	}
	return proto.Marshal(m)
}

func (codec) Unmarshal(data []byte, v any) error {
	m, err := messageOf(v)
	if err != nil {
		return err
	}
	return proto.Unmarshal(data, m)
}

func messageOf(v any) (proto.Message, error) {
	switch m := v.(type) {
	case proto.Message:
		return m, nil
	case protoiface.MessageV1:
		return protoimpl.X.ProtoMessageV2Of(m), nil
	}
	return nil, fmt.Errorf("jscore: %T is not a protobuf message", v)
}
