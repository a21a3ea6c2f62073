// Package jscore is the Go client of jscored, the jscore JavaScript evaluation daemon.
//
// One *Client (Dial) holds one gRPC connection and is safe for concurrent use.
// Client.Evaluate runs a script in a fresh context; Client.LoadProgram compiles a
// script once for many Program.Call calls (re-sent transparently to a daemon that lost
// it); Client.NewSession keeps a context on the daemon; Client.Batch streams many
// evaluations and calls through one stream and returns their results on a channel.
//
// Results are rebuilt losslessly from the daemon's type annotations (BigInt as
// *big.Int, Date as time.Time, bytes as []byte, NaN and ±Inf as float64) and can be
// decoded into typed Go values with Result.Decode, like encoding/json.
//
// A script that throws gives a *JsError, one that calls $terminate(v) a *Hooked (test
// with errors.As); a failed RPC gives a *StatusError, which status.Code understands.
//
// It is the module jscore.dev/jscore; require it with a replace line pointing at
// clients/go of a jscore checkout. It builds offline in module mode over Debian's Go
// packages (debian_proxy.sh): see README.md.
package jscore
