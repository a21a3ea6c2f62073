// Evaluate, and the Result of an evaluation or a call.

package jscore

import (
	"context"
	"fmt"
	"strings"
	"time"

	jscorev1 "jscore.dev/jscore/jscorev1"
)

// ConsoleLine is one line of console output.
type ConsoleLine struct {
	Level string // "log", "info", "warn", "error", "debug" or "trace"
	Text  string
}

// ExecStats says where and how long a job ran.
type ExecStats struct {
	Worker    int
	QueueWait time.Duration // from admission to a worker taking the job
	WallTime  time.Duration // on the worker, awaiting included
	CPUTime   time.Duration // running the job's JavaScript
}

// Result is the outcome of an evaluation or a call that produced a value.
type Result struct {
	// Undefined is true when the script's value was undefined (Value is then nil).
	Undefined        bool
	Console          []ConsoleLine
	ConsoleTruncated bool
	// ProbedMissing: with Probe, the names the script read but found undefined, in
	// first-read order.
	ProbedMissing []string
	Stats         ExecStats
	// Response is the raw response, for what this type does not cover.
	Response *jscorev1.EvaluateResponse

	value any
}

// Value is the result as a Go value: nil, bool, float64, string, []any and
// map[string]any as encoding/json gives them, plus the JS types the daemon annotated:
// *big.Int (BigInt), time.Time (Date), []byte (ArrayBuffer, Uint8Array, DataView),
// NaN and ±Inf float64s, nil (undefined), map[string]any (Map) and []any (Set).
// A map has no order: Ordered gives the same value with the JS key order.
func (r *Result) Value() any { return r.value }

// Ordered is Value with every JS object (and Map) as an Object, its keys in JS order
// (as Object.keys and JSON.stringify list them). Decoded again on each call.
func (r *Result) Ordered() any {
	if v, ok := r.Response.GetResult().(*jscorev1.EvaluateResponse_ValueJson); ok {
		return DecodeJSValueOrdered(v.ValueJson)
	}
	return r.value
}

// Decode stores the value in the variable target points to, like json.Unmarshal
// (see the package function Decode for the rules).
func (r *Result) Decode(target any) error { return Decode(r.value, target) }

// String is the value in a short human form.
func (r *Result) String() string {
	if r.Undefined {
		return "undefined"
	}
	return fmt.Sprint(r.value)
}

func consoleOf(resp *jscorev1.EvaluateResponse) []ConsoleLine {
	if len(resp.GetConsole()) == 0 {
		return nil
	}
	lines := make([]ConsoleLine, len(resp.GetConsole()))
	for i, l := range resp.GetConsole() {
		lines[i] = ConsoleLine{Level: strings.ToLower(l.GetLevel().String()), Text: l.GetText()}
	}
	return lines
}

// resultOf turns a response into a Result, or into its *JsError / *Hooked.
func resultOf(resp *jscorev1.EvaluateResponse) (*Result, error) {
	switch r := resp.GetResult().(type) {
	case *jscorev1.EvaluateResponse_Error:
		return nil, newJsError(r.Error, consoleOf(resp))
	case *jscorev1.EvaluateResponse_HookData:
		return nil, &Hooked{Data: DecodeValue(r.HookData, resp.GetAnnotations()), Console: consoleOf(resp)}
	case *jscorev1.EvaluateResponse_HookDataJson:
		return nil, &Hooked{Data: DecodeJSValue(r.HookDataJson), Console: consoleOf(resp), raw: r.HookDataJson}
	}
	value := DecodeValue(resp.GetValue(), resp.GetAnnotations())
	if v, ok := resp.GetResult().(*jscorev1.EvaluateResponse_ValueJson); ok {
		value = DecodeJSValue(v.ValueJson)
	}
	s := resp.GetStats()
	return &Result{
		Undefined:        resp.GetUndefined(),
		Console:          consoleOf(resp),
		ConsoleTruncated: resp.GetConsoleTruncated(),
		ProbedMissing:    resp.GetProbedMissing(),
		Stats: ExecStats{
			Worker:    int(s.GetWorker()),
			QueueWait: s.GetQueueWait().AsDuration(),
			WallTime:  s.GetWallTime().AsDuration(),
			CPUTime:   s.GetCpuTime().AsDuration(),
		},
		Response: resp,
		value:    value,
	}, nil
}

func (c *Client) evalConfig(opts []EvalOption) evalConfig {
	cfg := evalConfig{timeout: c.timeout}
	for _, opt := range opts {
		opt.applyEval(&cfg)
	}
	return cfg
}

func globalsOf(globals Object) (*jscorev1.JsValue, error) {
	if len(globals) == 0 {
		return nil, nil
	}
	value, err := EncodeJSValue(globals)
	if err != nil {
		for _, m := range globals { // name the global that failed
			if _, e := EncodeJSValue(m.Value); e != nil {
				return nil, fmt.Errorf("%w (global %q)", e, m.Key)
			}
		}
		return nil, err
	}
	return value, nil
}

func argsOf(args []any) (*jscorev1.JsValue, error) {
	if args == nil {
		args = []any{}
	}
	value, err := EncodeJSValue(args)
	if err != nil {
		for i, v := range args {
			if _, e := EncodeJSValue(v); e != nil {
				return nil, fmt.Errorf("%w (argument %d)", e, i)
			}
		}
		return nil, err
	}
	return value, nil
}

func evaluateRequest(src, session string, cfg *evalConfig) (*jscorev1.EvaluateRequest, error) {
	if cfg.timeout < 0 {
		return nil, fmt.Errorf("jscore: negative timeout %v", cfg.timeout)
	}
	globals, err := globalsOf(cfg.globals)
	if err != nil {
		return nil, err
	}
	req := &jscorev1.EvaluateRequest{
		Source:        src,
		Filename:      cfg.filename,
		GlobalsJson:   globals,
		ValueEncoding: jscorev1.ValueEncoding_VALUE_ENCODING_JSON,
		Timeout:       durationOrNil(cfg.timeout),
		Session:       session,
		RandomSeed:    cfg.randomSeed,
		FrozenTimeMs:  cfg.frozenTimeMs,
		Probe:         cfg.probe,
		Type:          cfg.sourceType,
		Modules:       cfg.modules,
	}
	if cfg.noExtensions {
		req.Extensions = jscorev1.Extensions_EXTENSIONS_NONE
	}
	if cfg.browser != nil {
		req.Profile = jscorev1.Profile_PROFILE_BROWSER
		req.Browser = cfg.browser
	}
	return req, nil
}

func callRequest(function string, args []any, cfg *evalConfig) (*jscorev1.CallRequest, error) {
	if cfg.timeout < 0 {
		return nil, fmt.Errorf("jscore: negative timeout %v", cfg.timeout)
	}
	if cfg.browser != nil {
		return nil, fmt.Errorf("jscore: Browser is for evaluations, sessions and LoadProgram: a call runs in its program's context")
	}
	if cfg.sourceType != jscorev1.SourceType_SOURCE_TYPE_SCRIPT || cfg.modules != nil {
		return nil, fmt.Errorf("jscore: a source type and Modules are for LoadProgram and Evaluate, not calls")
	}
	values, err := argsOf(args)
	if err != nil {
		return nil, err
	}
	return &jscorev1.CallRequest{
		Function:      function,
		ArgsJson:      values,
		ValueEncoding: jscorev1.ValueEncoding_VALUE_ENCODING_JSON,
		Timeout:       durationOrNil(cfg.timeout),
		Fresh:         cfg.fresh,
		RandomSeed:    cfg.randomSeed,
		FrozenTimeMs:  cfg.frozenTimeMs,
		Probe:         cfg.probe,
	}, nil
}

// Evaluate runs src in a fresh context and returns its value; a returned promise is
// awaited. A script that throws gives a *JsError, one that calls $terminate(v) a
// *Hooked; a failed RPC (timeout, queue full...) gives a *StatusError.
//
//	r, err := c.Evaluate(ctx, "x * 2", jscore.Global("x", 21))
//	var n int
//	err = r.Decode(&n) // 42
func (c *Client) Evaluate(ctx context.Context, src string, opts ...EvalOption) (*Result, error) {
	cfg := c.evalConfig(opts)
	req, err := evaluateRequest(src, "", &cfg)
	if err != nil {
		return nil, err
	}
	resp, err := unaryRetried(ctx, c, "Evaluate", cfg.timeout, c.stub.Evaluate, req)
	if err != nil {
		return nil, err
	}
	return resultOf(resp)
}
