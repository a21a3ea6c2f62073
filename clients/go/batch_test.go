package jscore_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"jscore.dev/jscore"
	jscorev1 "jscore.dev/jscore/jscorev1"

	"google.golang.org/grpc/codes"
)

// 10,000 items (evaluations and program calls, a few that throw, one that cannot be
// sent), every result checked.
func TestBatch10k(t *testing.T) {
	ctx := ctxT(t)
	p, err := client.LoadProgram(ctx, "function sq(x) { return x * x }")
	if err != nil {
		t.Fatal(err)
	}
	const n = 10000
	items := make([]jscore.BatchItem, n)
	for i := range items {
		switch {
		case i%1000 == 999:
			items[i] = jscore.BatchItem{ID: "throw-" + strconv.Itoa(i), Source: "throw new Error('item ' + i)",
				Globals: map[string]any{"i": i}}
		case i == 5000:
			items[i] = jscore.BatchItem{ID: "unsendable", Source: "x", Globals: map[string]any{"x": make(chan int)}}
		case i%2 == 0:
			items[i] = jscore.BatchItem{ID: strconv.Itoa(i), Source: "i + 1", Globals: map[string]any{"i": i}}
		default:
			items[i] = jscore.BatchItem{ID: strconv.Itoa(i), Function: "sq", Args: []any{i}, Program: p}
		}
	}
	start := time.Now()
	seen := make([]bool, n)
	count := 0
	for r := range client.Batch(ctx, items, jscore.Window(256)) {
		count++
		if seen[r.Index] {
			t.Fatalf("item %d answered twice", r.Index)
		}
		seen[r.Index] = true
		if r.ID != items[r.Index].ID {
			t.Fatalf("result %d has id %q, want %q", r.Index, r.ID, items[r.Index].ID)
		}
		i := r.Index
		switch {
		case i%1000 == 999:
			var jsErr *jscore.JsError
			if !errors.As(r.Err, &jsErr) || jsErr.Message != fmt.Sprintf("item %d", i) {
				t.Fatalf("item %d: %v", i, r.Err)
			}
		case i == 5000:
			if r.Err == nil || jscore.Code(r.Err) != codes.Unknown {
				t.Fatalf("unsendable item: %v", r.Err)
			}
		default:
			var got int
			if err := r.Decode(&got); err != nil {
				t.Fatalf("item %d: %v", i, err)
			}
			want := i + 1
			if i%2 == 1 {
				want = i * i
			}
			if got != want {
				t.Fatalf("item %d = %d, want %d", i, got, want)
			}
		}
	}
	elapsed := time.Since(start)
	if count != n {
		t.Fatalf("%d results for %d items", count, n)
	}
	t.Logf("batch: %d items in %v (%.0f items/s)", n, elapsed, float64(n)/elapsed.Seconds())
}

func TestBatchSessionsAndLimits(t *testing.T) {
	ctx := ctxT(t)
	s, err := client.NewSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Compile(ctx, "var total = 0; function add(x) { return total += x }"); err != nil {
		t.Fatal(err)
	}
	items := []jscore.BatchItem{
		{Function: "add", Args: []any{1}, Session: s},
		{Function: "add", Args: []any{2}, Session: s},
		{Source: "total", Session: s},
		{Source: "while (true) {}", Timeout: 100 * time.Millisecond},
		{Source: "$terminate(5)"},
		{Function: "f"}, // neither program nor session
	}
	results := map[int]jscore.BatchResult{}
	for r := range client.Batch(ctx, items, jscore.Window(1)) {
		results[r.Index] = r
	}
	if len(results) != len(items) {
		t.Fatalf("%d results", len(results))
	}
	// Window(1) and one session: the items ran in order.
	if results[0].Value != 1.0 || results[1].Value != 3.0 || results[2].Value != 3.0 {
		t.Fatalf("session items: %+v %+v %+v", results[0], results[1], results[2])
	}
	if jscore.Code(results[3].Err) != codes.DeadlineExceeded {
		t.Fatalf("timeout item: %v", results[3].Err)
	}
	var hooked *jscore.Hooked
	var jsErr *jscore.JsError
	if !errors.As(results[4].Err, &hooked) && !errors.As(results[4].Err, &jsErr) {
		t.Fatalf("$terminate item: %v", results[4].Err)
	}
	if results[5].Err == nil {
		t.Fatal("a call item with no target was accepted")
	}
}

// Items whose program the daemon lost are retried after the program is re-sent.
func TestBatchProgramReload(t *testing.T) {
	ctx := ctxT(t)
	p, err := client.LoadProgram(ctx, "function neg(x) { return -x } // batch reload")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Stub().UnloadProgram(ctx, &jscorev1.UnloadProgramRequest{Program: p.ID()}); err != nil {
		t.Fatal(err)
	}
	items := make([]jscore.BatchItem, 500)
	for i := range items {
		items[i] = jscore.BatchItem{Function: "neg", Args: []any{i}, Program: p}
	}
	count := 0
	for r := range client.Batch(ctx, items, jscore.Window(64)) {
		count++
		var got int
		if err := r.Decode(&got); err != nil || got != -r.Index {
			t.Fatalf("item %d = %d, %v", r.Index, got, err)
		}
	}
	if count != len(items) {
		t.Fatalf("%d results", count)
	}
}

// BatchFrom reads a channel lazily; cancelling the context ends the batch.
func TestBatchFromAndCancel(t *testing.T) {
	ctx := ctxT(t)
	in := make(chan jscore.BatchItem)
	go func() {
		defer close(in)
		for i := 0; i < 300; i++ {
			in <- jscore.BatchItem{Source: "i * 3", Globals: map[string]any{"i": i}}
		}
	}()
	sum := 0
	for r := range client.BatchFrom(ctx, in, jscore.Window(16)) {
		var v int
		if err := r.Decode(&v); err != nil {
			t.Fatal(err)
		}
		sum += v
	}
	if sum != 3*300*299/2 {
		t.Fatalf("sum %d", sum)
	}

	cctx, cancel := context.WithCancel(ctx)
	items := make([]jscore.BatchItem, 100)
	for i := range items {
		items[i] = jscore.BatchItem{Source: "new Promise(r => setTimeout(r, 10000))"}
	}
	results := client.Batch(cctx, items)
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	for range results {
	}
	if time.Since(start) > 5*time.Second {
		t.Fatalf("cancel took %v", time.Since(start))
	}
}
