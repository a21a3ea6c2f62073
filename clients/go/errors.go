// The errors of the jscore client.

package jscore

import (
	"errors"
	"fmt"

	jscorev1 "jscore.dev/jscore/jscorev1"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// ErrorDetailKey is the trailing metadata key of the serialized jscore.v1.ErrorDetail
// that the daemon attaches to statuses a client can act on.
const ErrorDetailKey = "jscore-error-detail-bin"

// JsError is a script that threw, or returned a rejected promise. The RPC itself
// succeeded: status.Code of a JsError is codes.Unknown, so test for it with errors.As.
type JsError struct {
	Name       string // the error's constructor name ("TypeError"); empty if a non-Error was thrown
	Message    string
	Stack      string // as V8 formats it
	Line       int    // 1-based, 0 if unknown
	Column     int    // 1-based, 0 if unknown
	SourceLine string // the source line of the throw, when known
	Console    []ConsoleLine
	// Thrown is the thrown value when the script threw something that is not an Error
	// (`throw {code: 7}`, `throw "x"`), decoded as Result.Value decodes (Name is then
	// empty and Message the value as console.log writes it); nil for an Error.
	// HasThrown tells `throw null` from an Error; ThrownOrdered keeps the key order.
	Thrown    any
	HasThrown bool

	thrown *jscorev1.JsValue
}

// ThrownOrdered is Thrown with every JS object as an Object (keys in JS order).
func (e *JsError) ThrownOrdered() any {
	if e.thrown == nil {
		return nil
	}
	return DecodeJSValueOrdered(e.thrown)
}

func (e *JsError) Error() string {
	if e.Name == "" {
		return "jscore: uncaught " + e.Message
	}
	return "jscore: " + e.Name + ": " + e.Message
}

func newJsError(e *jscorev1.JsError, console []ConsoleLine) *JsError {
	return &JsError{
		Name:       e.GetName(),
		Message:    e.GetMessage(),
		Stack:      e.GetStack(),
		Line:       int(e.GetLine()),
		Column:     int(e.GetColumn()),
		SourceLine: e.GetSourceLine(),
		Console:    console,
		Thrown:     DecodeJSValue(e.GetThrown()),
		HasThrown:  e.GetThrown() != nil,
		thrown:     e.GetThrown(),
	}
}

// Hooked is a script that stopped itself with $terminate(v) and handed back v.
type Hooked struct {
	Data    any // v, as Result.Value gives values
	Console []ConsoleLine

	raw *jscorev1.JsValue
}

// Ordered is Data with every JS object as an Object (keys in JS order).
func (e *Hooked) Ordered() any {
	if e.raw == nil {
		return e.Data
	}
	return DecodeJSValueOrdered(e.raw)
}

func (e *Hooked) Error() string {
	return "jscore: the script stopped itself with $terminate() and handed back data"
}

// Decode stores the handed-back data in target (see Decode).
func (e *Hooked) Decode(target any) error { return Decode(e.Data, target) }

// StatusError is an RPC that failed with a gRPC status (timeout, queue full, unknown
// session...). It works with status.Code, status.FromError and errors.As:
//
//	if status.Code(err) == codes.DeadlineExceeded { ... }
//
// Code(err) does the same for errors wrapped further with fmt.Errorf("...: %w").
type StatusError struct {
	Op     string // the RPC ("Evaluate", "Call"...)
	Detail *jscorev1.ErrorDetail
	status *status.Status
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("jscore: %s: %s: %s", e.Op, e.status.Code(), e.status.Message())
}

// GRPCStatus is what status.Code and status.FromError look for.
func (e *StatusError) GRPCStatus() *status.Status { return e.status }

// Code is the gRPC status code.
func (e *StatusError) Code() codes.Code { return e.status.Code() }

// Message is the status message of the daemon (or of gRPC).
func (e *StatusError) Message() string { return e.status.Message() }

// Is makes errors.Is(err, status.Error(code, "")) true for any error of that code.
func (e *StatusError) Is(target error) bool {
	t, ok := target.(interface{ GRPCStatus() *status.Status })
	return ok && t.GRPCStatus().Code() == e.status.Code() && t.GRPCStatus().Message() == ""
}

// ProgramNotLoaded says the daemon does not hold the program: re-send it and retry
// (Program.Call does this on its own).
func (e *StatusError) ProgramNotLoaded() bool {
	return e.status.Code() == codes.FailedPrecondition && e.Detail != nil &&
		e.Detail.GetReason() == jscorev1.ErrorDetail_PROGRAM_NOT_LOADED
}

// Code is the gRPC code of err, also when err wraps a StatusError: codes.OK for nil,
// codes.Unknown for errors without a status (a JsError, for instance).
func Code(err error) codes.Code {
	if err == nil {
		return codes.OK
	}
	var se interface{ GRPCStatus() *status.Status }
	if errors.As(err, &se) {
		return se.GRPCStatus().Code()
	}
	return codes.Unknown
}

// statusError turns an error of a gRPC call into a *StatusError (with the ErrorDetail
// from the trailers, if any). Errors that are not statuses pass through.
func statusError(op string, err error, trailer metadata.MD) error {
	if err == nil {
		return nil
	}
	st, ok := status.FromError(err)
	if !ok {
		return err
	}
	return &StatusError{Op: op, Detail: errorDetail(trailer), status: st}
}

func errorDetail(md metadata.MD) *jscorev1.ErrorDetail {
	values := md.Get(ErrorDetailKey)
	if len(values) == 0 {
		return nil
	}
	detail := &jscorev1.ErrorDetail{}
	if err := proto.Unmarshal([]byte(values[0]), detail); err != nil {
		return nil // a garbled detail is no detail
	}
	return detail
}
