package jscore_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"jscore.dev/jscore"
	jscorev1 "jscore.dev/jscore/jscorev1"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestEvaluate(t *testing.T) {
	ctx := ctxT(t)
	r, err := client.Evaluate(ctx, "1 + 2")
	if err != nil {
		t.Fatal(err)
	}
	if r.Value() != 3.0 {
		t.Fatalf("Value() = %#v, want 3.0", r.Value())
	}
	var n int
	if err := r.Decode(&n); err != nil || n != 3 {
		t.Fatalf("Decode(&int) = %d, %v", n, err)
	}
	if r.Undefined || r.Stats.WallTime <= 0 {
		t.Fatalf("Undefined=%v Stats=%+v", r.Undefined, r.Stats)
	}

	r, err = client.Evaluate(ctx, "undefined")
	if err != nil || !r.Undefined || r.Value() != nil {
		t.Fatalf("undefined: %+v, %v", r, err)
	}

	r, err = client.Evaluate(ctx, `console.log("hi", 1); console.warn("w"); "done"`)
	if err != nil {
		t.Fatal(err)
	}
	want := []jscore.ConsoleLine{{Level: "log", Text: "hi 1"}, {Level: "warn", Text: "w"}}
	if fmt.Sprint(r.Console) != fmt.Sprint(want) || r.Value() != "done" {
		t.Fatalf("console = %+v value = %v", r.Console, r.Value())
	}
}

func TestGlobals(t *testing.T) {
	ctx := ctxT(t)
	r, err := client.Evaluate(ctx, "x * 2", jscore.Global("x", 21))
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := r.Decode(&n); err != nil || n != 42 {
		t.Fatalf("x*2 = %d, %v", n, err)
	}

	type Order struct {
		ID    string   `json:"id"`
		Qty   int      `json:"qty"`
		Tags  []string `json:"tags,omitempty"`
		Note  string   `json:"-"`
		Price float64
	}
	r, err = client.Evaluate(ctx, `({id: order.id, total: order.qty * order.Price, tags: typeof order.tags, note: typeof order.Note, keys: Object.keys(order).sort()})`,
		jscore.Globals(map[string]any{"order": Order{ID: "a1", Qty: 3, Price: 2.5, Note: "hidden"}}))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		ID    string
		Total float64
		Tags  string
		Note  string
		Keys  []string
	}
	if err := r.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.ID != "a1" || got.Total != 7.5 || got.Tags != "undefined" || got.Note != "undefined" ||
		strings.Join(got.Keys, ",") != "Price,id,qty" {
		t.Fatalf("got %+v", got)
	}

	// An integer that a JS number would not hold exactly becomes a BigInt.
	r, err = client.Evaluate(ctx, "typeof x + ' ' + x", jscore.Global("x", int64(1)<<60))
	if err != nil || r.Value() != "bigint 1152921504606846976" {
		t.Fatalf("huge int: %v, %v", r, err)
	}
	_, err = client.Evaluate(ctx, "x", jscore.Global("x", make(chan int)))
	if err == nil {
		t.Fatal("a channel global was accepted")
	}
}

func TestAsync(t *testing.T) {
	ctx := ctxT(t)
	start := time.Now()
	r, err := client.Evaluate(ctx, `(async () => {
		await new Promise(r => setTimeout(r, 50));
		return {a: [1, "x", null]};
	})()`)
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(start) < 50*time.Millisecond {
		t.Fatalf("returned after %v, before the timer", time.Since(start))
	}
	var got map[string][]any
	if err := r.Decode(&got); err != nil || fmt.Sprint(got) != "map[a:[1 x <nil>]]" {
		t.Fatalf("got %v, %v", got, err)
	}
}

func TestJsError(t *testing.T) {
	ctx := ctxT(t)
	_, err := client.Evaluate(ctx, "\n  throw new TypeError('bad')", jscore.Filename("t.js"))
	var jsErr *jscore.JsError
	if !errors.As(err, &jsErr) {
		t.Fatalf("err = %#v, want a *JsError", err)
	}
	if jsErr.Name != "TypeError" || jsErr.Message != "bad" || jsErr.Line != 2 || jsErr.Column == 0 ||
		!strings.Contains(jsErr.Stack, "t.js") {
		t.Fatalf("JsError = %+v", jsErr)
	}
	if err.Error() != "jscore: TypeError: bad" {
		t.Fatalf("Error() = %q", err.Error())
	}
	if status.Code(err) != codes.Unknown || jscore.Code(err) != codes.Unknown {
		t.Fatalf("a JsError has no gRPC status, got %v", status.Code(err))
	}

	// A rejected promise, wrapped by the caller: errors.As still finds it.
	_, err = client.Evaluate(ctx, "Promise.reject(new RangeError('r'))")
	wrapped := fmt.Errorf("signing: %w", err)
	if !errors.As(wrapped, &jsErr) || jsErr.Name != "RangeError" || jsErr.Message != "r" {
		t.Fatalf("rejected promise: %v", err)
	}

	// Console output up to the throw comes with the error.
	_, err = client.Evaluate(ctx, "console.log('before'); null.x")
	if !errors.As(err, &jsErr) || len(jsErr.Console) != 1 || jsErr.Console[0].Text != "before" {
		t.Fatalf("console with error: %+v", jsErr)
	}
}

func TestTimeout(t *testing.T) {
	ctx := ctxT(t)
	start := time.Now()
	_, err := client.Evaluate(ctx, "while (true) {}", jscore.Timeout(200*time.Millisecond))
	elapsed := time.Since(start)
	if status.Code(err) != codes.DeadlineExceeded {
		t.Fatalf("err = %v, want DEADLINE_EXCEEDED", err)
	}
	var se *jscore.StatusError
	if !errors.As(err, &se) || se.Code() != codes.DeadlineExceeded || se.Op != "Evaluate" {
		t.Fatalf("StatusError = %#v", err)
	}
	if jscore.Code(fmt.Errorf("wrapped: %w", err)) != codes.DeadlineExceeded {
		t.Fatal("jscore.Code does not see through wrapping")
	}
	if !errors.Is(err, status.Error(codes.DeadlineExceeded, "")) {
		t.Fatal("errors.Is(err, status.Error(DeadlineExceeded, \"\")) is false")
	}
	if elapsed > 3*time.Second {
		t.Fatalf("the timeout took %v", elapsed)
	}
	// A script awaiting past its deadline is stopped too.
	_, err = client.Evaluate(ctx, "new Promise(r => setTimeout(r, 60000))", jscore.Timeout(100*time.Millisecond))
	if status.Code(err) != codes.DeadlineExceeded {
		t.Fatalf("parked: err = %v", err)
	}
	// The context's deadline bounds a call as well.
	short, cancel := context.WithTimeout(ctx, 150*time.Millisecond)
	defer cancel()
	_, err = client.Evaluate(short, "while (true) {}")
	if status.Code(err) != codes.DeadlineExceeded {
		t.Fatalf("ctx deadline: err = %v", err)
	}
	// The workers stay usable.
	if r, err := client.Evaluate(ctx, "'still here'"); err != nil || r.Value() != "still here" {
		t.Fatalf("after timeouts: %v, %v", r, err)
	}
}

func TestHooked(t *testing.T) {
	ctx := ctxT(t)
	_, err := client.Evaluate(ctx, "console.log('a'); $terminate({token: 7n, n: 1}); 'not reached'")
	var jsErr *jscore.JsError
	if errors.As(err, &jsErr) && strings.Contains(jsErr.Message, "$terminate is not defined") {
		t.Skip("this jscored has no $terminate")
	}
	var hooked *jscore.Hooked
	if !errors.As(err, &hooked) {
		t.Fatalf("err = %v, want *Hooked", err)
	}
	var data struct {
		Token string `json:"token"`
		N     int    `json:"n"`
	}
	if err := hooked.Decode(&data); err != nil || data.Token != "7" || data.N != 1 {
		t.Fatalf("hooked data %+v (%#v), %v", data, hooked.Data, err)
	}
	if len(hooked.Console) != 1 {
		t.Fatalf("console %+v", hooked.Console)
	}
}

func TestHealthAndStats(t *testing.T) {
	ctx := ctxT(t)
	if s, err := client.Health(ctx, ""); err != nil || s != "SERVING" {
		t.Fatalf("health %q, %v", s, err)
	}
	stats, err := client.Stats(ctx)
	if err != nil || len(stats.GetWorkers()) != 4 || stats.GetJobsCompleted() == 0 {
		t.Fatalf("stats %v, %v", stats, err)
	}
}

func TestPrograms(t *testing.T) {
	ctx := ctxT(t)
	src := `
		var calls = 0;
		function sign(s, n) { calls++; return require("hash").h(s + ":" + n) }
		var CryptoLib = { prefix: "p", encrypt(x) { return this.prefix + x } };
		async function later(x) { await new Promise(r => setTimeout(r, 5)); return x * 2 }
	`
	p, err := client.LoadProgram(ctx, src, jscore.Modules(map[string]string{
		"hash": `exports.h = s => { let h = 7; for (const c of s) h = (h * 31 + c.charCodeAt(0)) >>> 0; return h.toString(16) }`,
	}), jscore.Filename("sign.js"))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.ID()) != 64 {
		t.Fatalf("program id %q", p.ID())
	}
	r, err := p.Call(ctx, "sign", "a", 1)
	if err != nil {
		t.Fatal(err)
	}
	want, err := client.Evaluate(ctx, `let h = 7; for (const c of "a:1") h = (h * 31 + c.charCodeAt(0)) >>> 0; h.toString(16)`)
	if err != nil || r.Value() != want.Value() {
		t.Fatalf("sign = %v, want %v (%v)", r.Value(), want.Value(), err)
	}
	if r, err := p.Call(ctx, "CryptoLib.encrypt", "x"); err != nil || r.Value() != "px" {
		t.Fatalf("dotted: %v, %v", r, err)
	}
	if r, err := p.Call(ctx, "later", 21); err != nil || r.Value() != 42.0 {
		t.Fatalf("async: %v, %v", r, err)
	}
	if r, err := p.CallWith(ctx, "sign", []any{"b", 2}, jscore.Fresh(), jscore.Timeout(2*time.Second)); err != nil || r.Value() == nil {
		t.Fatalf("fresh: %v, %v", r, err)
	}
	_, err = p.Call(ctx, "nope")
	var jsErr *jscore.JsError
	if !errors.As(err, &jsErr) {
		t.Fatalf("calling a missing function: %v", err)
	}

	// Loading the same source again gives the same id.
	p2, err := client.LoadProgram(ctx, src, jscore.Modules(map[string]string{
		"hash": `exports.h = s => { let h = 7; for (const c of s) h = (h * 31 + c.charCodeAt(0)) >>> 0; return h.toString(16) }`,
	}))
	if err != nil || p2.ID() != p.ID() {
		t.Fatalf("reload id %v vs %v (%v)", p2.ID(), p.ID(), err)
	}

	// A syntax error is a JsError with a position.
	_, err = client.LoadProgram(ctx, "function (", jscore.Filename("bad.js"))
	if !errors.As(err, &jsErr) || jsErr.Name != "SyntaxError" || jsErr.Line != 1 {
		t.Fatalf("syntax error: %#v", err)
	}
	if err := client.Validate(ctx, "function ok() {}"); err != nil {
		t.Fatal(err)
	}
	if err := client.Validate(ctx, "}"); !errors.As(err, &jsErr) {
		t.Fatalf("validate: %v", err)
	}
}

func TestProgramReload(t *testing.T) {
	ctx := ctxT(t)
	p, err := client.LoadProgram(ctx, "function twice(x) { return 2 * x } // reload test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Call(ctx, "twice", 1); err != nil {
		t.Fatal(err)
	}
	// Drop it behind the client's back, as a restarted replica would have.
	if _, err := client.Stub().UnloadProgram(ctx, &jscorev1.UnloadProgramRequest{Program: p.ID()}); err != nil {
		t.Fatal(err)
	}
	// The raw stub now fails with FAILED_PRECONDITION + the ErrorDetail...
	_, err = client.Stub().Call(ctx, &jscorev1.CallRequest{
		Target: &jscorev1.CallRequest_Program{Program: p.ID()}, Function: "twice"})
	if status.Code(err) != codes.FailedPrecondition {
		t.Fatalf("raw call after unload: %v", err)
	}
	// ...and Program.Call re-sends the source and retries.
	r, err := p.Call(ctx, "twice", 21)
	if err != nil || r.Value() != 42.0 {
		t.Fatalf("call after unload: %v, %v", r, err)
	}
	// Unload through the API, then call again.
	if err := p.Unload(ctx); err != nil {
		t.Fatal(err)
	}
	if r, err := p.Call(ctx, "twice", 2); err != nil || r.Value() != 4.0 {
		t.Fatalf("call after Unload: %v, %v", r, err)
	}
	// A session from an unloaded program reloads it too.
	if err := p.Unload(ctx); err != nil {
		t.Fatal(err)
	}
	s, err := p.NewSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if r, err := s.Call(ctx, "twice", 5); err != nil || r.Value() != 10.0 {
		t.Fatalf("session from reloaded program: %v, %v", r, err)
	}
}

func TestSessions(t *testing.T) {
	ctx := ctxT(t)
	s, err := client.NewSession(ctx, jscore.TTL(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.ID() == "" {
		t.Fatal("no session id")
	}
	if err := s.Compile(ctx, "var n = 0; function inc(by) { return n += (by ?? 1) }"); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		r, err := s.Call(ctx, "inc")
		if err != nil || r.Value() != float64(i) {
			t.Fatalf("inc #%d: %v, %v", i, r, err)
		}
	}
	if r, err := s.Call(ctx, "inc", 10); err != nil || r.Value() != 13.0 {
		t.Fatalf("inc(10): %v, %v", r, err)
	}
	r, err := s.Evaluate(ctx, "n + k", jscore.Global("k", 100))
	if err != nil || r.Value() != 113.0 {
		t.Fatalf("evaluate: %v, %v", r, err)
	}
	_, err = s.Evaluate(ctx, "throw new Error('in session')")
	var jsErr *jscore.JsError
	if !errors.As(err, &jsErr) || jsErr.Message != "in session" {
		t.Fatalf("throw in session: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	_, err = s.Evaluate(ctx, "n")
	if status.Code(err) != codes.NotFound {
		t.Fatalf("after Close: %v, want NOT_FOUND", err)
	}

	// A session created with a source, without extensions.
	s2, err := client.NewSession(ctx, jscore.Source("var base = 40"), jscore.NoExtensions())
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if r, err := s2.Evaluate(ctx, "base + 2 + (typeof setTimeout === 'undefined' ? 0 : 1000)"); err != nil || r.Value() != 42.0 {
		t.Fatalf("session with source: %v, %v", r, err)
	}
	if _, err := client.NewSession(ctx, jscore.Source("throw new SyntaxError('x')")); !errors.As(err, &jsErr) {
		t.Fatalf("session source that throws: %v", err)
	}
}

func TestConcurrency(t *testing.T) {
	ctx := ctxT(t)
	p, err := client.LoadProgram(ctx, "function mul(a, b) { return a * b }")
	if err != nil {
		t.Fatal(err)
	}
	s, err := client.NewSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Compile(ctx, "var count = 0; function bump() { return ++count }"); err != nil {
		t.Fatal(err)
	}
	const goroutines, rounds = 32, 40
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				var n int
				r, err := client.Evaluate(ctx, "a + b", jscore.Globals(map[string]any{"a": g, "b": i}))
				if err == nil {
					err = r.Decode(&n)
				}
				if err != nil || n != g+i {
					errs <- fmt.Errorf("evaluate %d+%d = %d, %v", g, i, n, err)
					return
				}
				r, err = p.Call(ctx, "mul", g, i)
				if err == nil {
					err = r.Decode(&n)
				}
				if err != nil || n != g*i {
					errs <- fmt.Errorf("mul %d*%d = %d, %v", g, i, n, err)
					return
				}
				if _, err := s.Call(ctx, "bump"); err != nil {
					errs <- fmt.Errorf("bump: %v", err)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// The session ran every bump, one at a time.
	if r, err := s.Evaluate(ctx, "count"); err != nil || r.Value() != float64(goroutines*rounds) {
		t.Fatalf("count = %v, %v", r, err)
	}
}
