// Benchmarks against the test daemon: go test -run '^$' -bench . (GO_TEST_FLAGS).

package jscore_test

import (
	"context"
	"testing"

	"jscore.dev/jscore"
)

func BenchmarkEvaluateUnary(b *testing.B) {
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		if _, err := client.Evaluate(ctx, "i + 1", jscore.Global("i", i)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkProgramCallParallel(b *testing.B) {
	ctx := context.Background()
	p, err := client.LoadProgram(ctx, "function sq(x) { return x * x }")
	if err != nil {
		b.Fatal(err)
	}
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := p.Call(ctx, "sq", 3); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkBatchProgramCall(b *testing.B) {
	ctx := context.Background()
	p, err := client.LoadProgram(ctx, "function sq(x) { return x * x }")
	if err != nil {
		b.Fatal(err)
	}
	items := make([]jscore.BatchItem, b.N)
	for i := range items {
		items[i] = jscore.BatchItem{Function: "sq", Args: []any{i}, Program: p}
	}
	b.ResetTimer()
	for r := range client.Batch(ctx, items) {
		if r.Err != nil {
			b.Fatal(r.Err)
		}
	}
}

func BenchmarkBatchEvaluate(b *testing.B) {
	ctx := context.Background()
	items := make([]jscore.BatchItem, b.N)
	for i := range items {
		items[i] = jscore.BatchItem{Source: "i + 1", Globals: map[string]any{"i": i}}
	}
	b.ResetTimer()
	for r := range client.Batch(ctx, items) {
		if r.Err != nil {
			b.Fatal(r.Err)
		}
	}
}
