// Faithful values through a real daemon: key order both ways, depth 100, thrown
// values, and a seeded property test of random nested values with random key orders.

package jscore_test

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand"
	"strings"
	"testing"
	"time"

	"jscore.dev/jscore"

	"google.golang.org/grpc/codes"
)

const signSource = "function f(a) { return Object.keys(a).join() + '|' + JSON.stringify(a) }"

var signArg = jscore.NewObject(
	"zeta", 1,
	"alpha", jscore.NewObject("y", []any{1, jscore.NewObject("q", 2, "b", 3)}, "x", nil),
	"mid", "m",
	"beta", 2.5,
)

const signWant = `zeta,alpha,mid,beta|{"zeta":1,"alpha":{"y":[1,{"q":2,"b":3}],"x":null},"mid":"m","beta":2.5}`

func TestOrder200IdenticalCalls(t *testing.T) {
	ctx := ctxT(t)
	p, err := client.LoadProgram(ctx, signSource)
	if err != nil {
		t.Fatal(err)
	}
	answers := map[any]int{}
	for i := 0; i < 200; i++ {
		r, err := p.Call(ctx, "f", signArg)
		if err != nil {
			t.Fatal(err)
		}
		answers[r.Value()]++
	}
	items := make([]jscore.BatchItem, 200)
	for i := range items {
		items[i] = jscore.BatchItem{Program: p, Function: "f", Args: []any{signArg}}
	}
	for r := range client.Batch(ctx, items) {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		answers[r.Value]++
	}
	if len(answers) != 1 || answers[signWant] != 400 {
		t.Fatalf("answers %v, want only %q", answers, signWant)
	}
	// A struct goes in field order; the same value through globals, in option order.
	type S struct {
		Zeta  int    `json:"zeta"`
		Alpha string `json:"alpha"`
	}
	r, err := p.Call(ctx, "f", S{1, "a"})
	if err != nil || r.Value() != `zeta,alpha|{"zeta":1,"alpha":"a"}` {
		t.Fatalf("struct: %v, %v", r, err)
	}
	r, err = client.Evaluate(ctx, "Object.keys(globalThis).filter(k => k.startsWith('g_')).join()",
		jscore.Global("g_b", 1), jscore.Global("g_a", 2),
		jscore.OrderedGlobals(jscore.NewObject("g_d", 3, "g_c", 4)))
	if err != nil || r.Value() != "g_b,g_a,g_d,g_c" {
		t.Fatalf("globals: %v, %v", r, err)
	}
}

func TestOrderResultsInJSOrder(t *testing.T) {
	ctx := ctxT(t)
	r, err := client.Evaluate(ctx, "({b: 1, a: 2, c: 3, m: new Map([['k2', 1], ['k1', 2]]), n: {z: 1, y: 2}})")
	if err != nil {
		t.Fatal(err)
	}
	o := r.Ordered().(jscore.Object)
	m, _ := o.Get("m")
	n, _ := o.Get("n")
	got := strings.Join(o.Keys(), ",") + "|" + strings.Join(m.(jscore.Object).Keys(), ",") + "|" +
		strings.Join(n.(jscore.Object).Keys(), ",")
	if got != "b,a,c,m,n|k2,k1|z,y" {
		t.Fatalf("order %s", got)
	}
	if v := r.Value().(map[string]any); len(v) != 5 || v["b"] != 1.0 {
		t.Fatalf("Value %#v", v)
	}
	_, err = client.Evaluate(ctx, "$terminate({b: 1, a: 2})")
	var hooked *jscore.Hooked
	if !errors.As(err, &hooked) || strings.Join(hooked.Ordered().(jscore.Object).Keys(), ",") != "b,a" {
		t.Fatalf("hooked %v", err)
	}
}

func TestThrownValues(t *testing.T) {
	ctx := ctxT(t)
	_, err := client.Evaluate(ctx, "throw {code: 7, b: 5n}")
	var jsErr *jscore.JsError
	if !errors.As(err, &jsErr) || !jsErr.HasThrown || jsErr.Name != "" {
		t.Fatalf("err %#v", err)
	}
	thrown := jsErr.Thrown.(map[string]any)
	if thrown["code"] != 7.0 || thrown["b"].(*big.Int).Int64() != 5 ||
		strings.Join(jsErr.ThrownOrdered().(jscore.Object).Keys(), ",") != "code,b" {
		t.Fatalf("thrown %#v", jsErr.Thrown)
	}
	_, err = client.Evaluate(ctx, "throw new RangeError('r')")
	if !errors.As(err, &jsErr) || jsErr.HasThrown || jsErr.Thrown != nil || jsErr.Name != "RangeError" {
		t.Fatalf("err %#v", err)
	}
}

func TestNativeTypesReachJSAsJSTypes(t *testing.T) {
	ctx := ctxT(t)
	p, err := client.LoadProgram(ctx, `function f(a) { return [a.d instanceof Date && a.d.toISOString(),
		a.b instanceof Uint8Array && a.b.length, Number.isNaN(a.n), a.i === -Infinity,
		typeof a.big === 'bigint' && String(a.big), typeof a.small].join() }`)
	if err != nil {
		t.Fatal(err)
	}
	r, err := p.Call(ctx, "f", jscore.NewObject(
		"d", time.Date(2024, 1, 2, 3, 4, 5, 678_000_000, time.UTC), "b", []byte{0, 1, 255},
		"n", math.NaN(), "i", math.Inf(-1), "big", int64(1)<<60, "small", int64(1)<<53))
	if err != nil || r.Value() != "2024-01-02T03:04:05.678Z,3,true,true,1152921504606846976,number" {
		t.Fatalf("%v, %v", r, err)
	}
}

func TestDepth100BothWays(t *testing.T) {
	ctx := ctxT(t)
	p, err := client.LoadProgram(ctx, "function id(a) { return a }")
	if err != nil {
		t.Fatal(err)
	}
	var deep any = "leaf"
	for i := 0; i < 99; i++ { // 99 containers around a leaf: 100 levels
		if i%2 == 0 {
			deep = []any{deep}
		} else {
			deep = jscore.NewObject("k", deep, "n", float64(i))
		}
	}
	r, err := p.Call(ctx, "id", deep)
	if err != nil {
		t.Fatal(err)
	}
	compareNative(t, r.Ordered(), deep, "")
	// 100 containers pass; 101 (a leaf inside them) are refused: the argument naming its
	// path, the result as a RangeError naming it.
	if _, err = p.Call(ctx, "id", []any{deep}); err != nil {
		t.Fatalf("argument of 100 containers: %v", err)
	}
	_, err = p.Call(ctx, "id", []any{[]any{deep}})
	if jscore.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), `at "/0/0/0`) {
		t.Fatalf("argument at depth 101: %v", err)
	}
	_, err = client.Evaluate(ctx, "let v = 1; for (let i = 0; i < 101; i++) v = [v]; v")
	var jsErr *jscore.JsError
	if !errors.As(err, &jsErr) || jsErr.Name != "RangeError" || !strings.Contains(jsErr.Message, `"/0/0/0`) {
		t.Fatalf("result at depth 101: %v", err)
	}
}

// randomValue is a random nested value, objects with random key orders, with the Go
// types that come back as themselves (float64, string, bool, nil, *big.Int past 2^53,
// time.Time in UTC milliseconds, []byte, NaN and ±Inf).
func randomValue(rng *rand.Rand, depth int) any {
	n := 8
	if depth < 5 {
		n = 11
	}
	switch rng.Intn(n) {
	case 0:
		return nil
	case 1:
		return rng.Intn(2) == 0
	case 2:
		return float64(rng.Int63n(1<<53)) - float64(1<<52)
	case 3:
		return []float64{0.5, -1.25, 1e21, 1e-7, math.NaN(), math.Inf(1), math.Inf(-1)}[rng.Intn(7)]
	case 4:
		letters := []rune("abcXYZé😀\"\\\n")
		s := make([]rune, rng.Intn(6))
		for i := range s {
			s[i] = letters[rng.Intn(len(letters))]
		}
		return string(s)
	case 5:
		return time.UnixMilli(rng.Int63n(1e13) - 1e12).UTC()
	case 6:
		b := make([]byte, rng.Intn(5))
		rng.Read(b)
		return b
	case 7:
		return new(big.Int).Lsh(big.NewInt(rng.Int63()), 20)
	case 8:
		list := make([]any, rng.Intn(5))
		for i := range list {
			list[i] = randomValue(rng, depth+1)
		}
		return list
	}
	o := jscore.Object{}
	for _, i := range rng.Perm(10)[:rng.Intn(7)] {
		o = append(o, jscore.Member{Key: fmt.Sprintf("k%c%d", 'a'+rune(rng.Intn(26)), i), Value: randomValue(rng, depth+1)})
	}
	return o
}

func TestPropertyRandomValuesRoundTripInOrder(t *testing.T) {
	ctx := ctxT(t)
	p, err := client.LoadProgram(ctx, "function id(a) { return a }")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1313))
	values := make([]any, 150)
	items := make([]jscore.BatchItem, len(values))
	for i := range values {
		values[i] = randomValue(rng, 0)
		items[i] = jscore.BatchItem{Program: p, Function: "id", Args: []any{values[i]}}
	}
	seen := 0
	for r := range client.Batch(ctx, items) {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		seen++
		compareNative(t, r.Result.Ordered(), values[r.Index], fmt.Sprintf("value %d", r.Index))
	}
	if seen != len(values) {
		t.Fatalf("%d results for %d items", seen, len(values))
	}
	for i, v := range values[:30] { // and one by one, through Call
		r, err := p.Call(ctx, "id", v)
		if err != nil {
			t.Fatal(err)
		}
		compareNative(t, r.Ordered(), v, fmt.Sprintf("call %d", i))
	}
}
