package jscore_test

import (
	"bytes"
	"encoding/json"
	"math"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"

	"jscore.dev/jscore"
	jscorev1 "jscore.dev/jscore/jscorev1"

	"google.golang.org/protobuf/types/known/structpb"
)

// Go values sent to JS and back, checked on the JS side too.
func TestValuesRoundTrip(t *testing.T) {
	ctx := ctxT(t)
	when := time.Date(2024, 1, 2, 3, 4, 5, 678_000_000, time.UTC)
	type Inner struct {
		B []byte `json:"b"`
	}
	type Outer struct {
		Name  string             `json:"name"`
		When  time.Time          `json:"when"`
		Inner Inner              `json:"inner"`
		Ptr   *Inner             `json:"ptr"`
		M     map[string]int     `json:"m"`
		Opt   string             `json:"opt,omitempty"`
		L     []float64          `json:"l"`
		Raw   json.RawMessage    `json:"raw"`
		Keyed map[int]string     `json:"keyed"`
		Arr   [2]bool            `json:"arr"`
		Any   map[string]any     `json:"any"`
		Deep  []map[string][]int `json:"deep"`
	}
	in := Outer{
		Name: "é😀", When: when, Inner: Inner{B: []byte{0, 1, 255}}, M: map[string]int{"a": 1},
		L: []float64{1.5, -2}, Raw: json.RawMessage(`{"r":[1,"x"]}`), Keyed: map[int]string{7: "seven"},
		Arr: [2]bool{true, false}, Any: map[string]any{"n": nil, "f": 0.25}, Deep: []map[string][]int{{"x": {1, 2}}},
	}
	// JS sees the right types: the date as a Date, bytes as a Uint8Array.
	check := `v.name === "é😀" && v.when instanceof Date && v.when.toISOString() === "2024-01-02T03:04:05.678Z" &&
		v.inner.b instanceof Uint8Array && v.inner.b.join() === "0,1,255" && v.ptr === null && v.m.a === 1 &&
		!("opt" in v) && v.l[1] === -2 && v.raw.r[1] === "x" && v.keyed["7"] === "seven" &&
		v.arr[0] === true && v.any.n === null && v.deep[0].x[1] === 2`
	r, err := client.Evaluate(ctx, check, jscore.Global("v", in))
	if err != nil || r.Value() != true {
		t.Fatalf("JS-side check: %v, %v", r, err)
	}
	// Back to Go: the bytes come back as []byte, the Date as time.Time.
	r, err = client.Evaluate(ctx, "v", jscore.Global("v", in))
	if err != nil {
		t.Fatal(err)
	}
	var out Outer
	if err := r.Decode(&out); err != nil {
		t.Fatal(err)
	}
	if !out.When.Equal(in.When) {
		t.Fatalf("when %v != %v", out.When, in.When)
	}
	out.When = in.When
	var rawOut, rawIn any
	_ = json.Unmarshal(out.Raw, &rawOut)
	_ = json.Unmarshal(in.Raw, &rawIn)
	if !reflect.DeepEqual(rawOut, rawIn) {
		t.Fatalf("raw %s != %s", out.Raw, in.Raw)
	}
	out.Raw = in.Raw
	if !reflect.DeepEqual(out, in) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", out, in)
	}

	// Typed JS values, rebuilt from the annotations.
	r, err = client.Evaluate(ctx, `({
		big: BigInt(s) * 2n, date: new Date(ms), bytes: new Uint8Array(b),
		nan: NaN, inf: -Infinity, undef: undefined,
		map: new Map([["k", 1n]]), set: new Set([1, "a"]),
	})`, jscore.Globals(map[string]any{"s": "9007199254740993", "ms": when.UnixMilli(), "b": []byte("hi")}))
	if err != nil {
		t.Fatal(err)
	}
	v := r.Value().(map[string]any)
	wantBig, _ := new(big.Int).SetString("18014398509481986", 10)
	if b, ok := v["big"].(*big.Int); !ok || b.Cmp(wantBig) != 0 {
		t.Fatalf("big %#v", v["big"])
	}
	if d, ok := v["date"].(time.Time); !ok || !d.Equal(when) || d.Location() != time.UTC {
		t.Fatalf("date %#v", v["date"])
	}
	if b, ok := v["bytes"].([]byte); !ok || string(b) != "hi" {
		t.Fatalf("bytes %#v", v["bytes"])
	}
	if f, ok := v["nan"].(float64); !ok || !math.IsNaN(f) {
		t.Fatalf("nan %#v", v["nan"])
	}
	if f, ok := v["inf"].(float64); !ok || !math.IsInf(f, -1) {
		t.Fatalf("inf %#v", v["inf"])
	}
	if u, ok := v["undef"]; !ok || u != nil {
		t.Fatalf("undef %#v", v["undef"])
	}
	if m, ok := v["map"].(map[string]any); !ok || m["k"].(*big.Int).Int64() != 1 {
		t.Fatalf("map %#v", v["map"])
	}
	if s, ok := v["set"].([]any); !ok || len(s) != 2 || s[1] != "a" {
		t.Fatalf("set %#v", v["set"])
	}
	// ...and decoded into typed Go fields.
	var typed struct {
		Big   *big.Int
		Date  time.Time
		Bytes []byte
		NaN   float64
		Inf   float64
		Undef *int
		Map   map[string]*big.Int
		Set   []any
	}
	if err := r.Decode(&typed); err != nil {
		t.Fatal(err)
	}
	if typed.Big.Cmp(wantBig) != 0 || !typed.Date.Equal(when) || string(typed.Bytes) != "hi" ||
		!math.IsNaN(typed.NaN) || !math.IsInf(typed.Inf, -1) || typed.Undef != nil || typed.Map["k"].Int64() != 1 {
		t.Fatalf("typed %+v", typed)
	}
	// A BigInt into a too-small integer is a DecodeError naming the path.
	var small struct{ Big int32 }
	err = r.Decode(&small)
	var de *jscore.DecodeError
	if !asDecodeError(err, &de) || de.Path != "/big" {
		t.Fatalf("decode bigint into int32: %v", err)
	}

	// Special float arguments go through as numbers.
	r, err = client.Evaluate(ctx, "[Number.isNaN(a), b === Infinity, c === -Infinity]",
		jscore.Globals(map[string]any{"a": math.NaN(), "b": math.Inf(1), "c": math.Inf(-1)}))
	if err != nil || !reflect.DeepEqual(r.Value(), []any{true, true, true}) {
		t.Fatalf("special floats: %v, %v", r, err)
	}
}

func asDecodeError(err error, target **jscore.DecodeError) bool {
	de, ok := err.(*jscore.DecodeError)
	if ok {
		*target = de
	}
	return ok
}

// Unit tests of the value mapping (no daemon needed).

func TestToValue(t *testing.T) {
	cases := []struct {
		in   any
		want string // protojson-ish text of the Value
	}{
		{nil, `null`},
		{true, `true`},
		{int8(-3), `-3`},
		{uint64(jscore.MaxSafeInteger), `9007199254740992`},
		{float32(0.5), `0.5`},
		{"s", `"s"`},
		{[]byte{1, 2}, `[1,2]`},
		{[]int{}, `[]`},
		{[]any(nil), `null`},
		{map[string]any{"a": []any{1, "x"}}, `{"a":[1,"x"]}`},
		{time.Date(2020, 5, 6, 7, 8, 9, 10_000_000, time.FixedZone("X", 3600)), `"2020-05-06T06:08:09.010Z"`},
		{big.NewInt(-5), `-5`},
		{json.Number("1e3"), `1000`},
		{&struct{ A *int }{}, `{"A":null}`},
		{struct {
			A int `json:"a,omitempty"`
			B int `json:"b"`
		}{B: 1}, `{"b":1}`},
	}
	for _, c := range cases {
		v, err := jscore.ToValue(c.in)
		if err != nil {
			t.Errorf("ToValue(%#v): %v", c.in, err)
			continue
		}
		got, _ := json.Marshal(jscore.FromValue(v))
		if string(got) != c.want {
			t.Errorf("ToValue(%#v) = %s, want %s", c.in, got, c.want)
		}
	}
	for _, bad := range []any{int64(1) << 54, uint64(1) << 60, new(big.Int).Lsh(big.NewInt(1), 70), func() {}, complex(1, 2), map[float64]int{1: 1}} {
		if _, err := jscore.ToValue(bad); err == nil {
			t.Errorf("ToValue(%T) accepted", bad)
		}
	}
	// A cycle is an error, not a stack overflow.
	type node struct{ Next *node }
	n := &node{}
	n.Next = n
	if _, err := jscore.ToValue(n); err == nil || !strings.Contains(err.Error(), "cycle") {
		t.Errorf("cycle: %v", err)
	}
}

func TestDecodeValueAnnotations(t *testing.T) {
	v, _ := structpb.NewValue(map[string]any{
		"d":   "+275760-09-13T00:00:00.000Z",
		"d2":  "-000001-01-01T00:00:00.000Z",
		"bad": "not a date",
		"b":   []any{1.0, 300.0},
		"n":   0.0,
	})
	ann := func(path string, kind jscorev1.TypeAnnotation_Kind) *jscorev1.TypeAnnotation {
		return &jscorev1.TypeAnnotation{Path: path, Kind: kind}
	}
	got := jscore.DecodeValue(v, []*jscorev1.TypeAnnotation{
		ann("/d", jscorev1.TypeAnnotation_KIND_DATE),
		ann("/d2", jscorev1.TypeAnnotation_KIND_DATE),
		ann("/bad", jscorev1.TypeAnnotation_KIND_DATE),
		ann("/b", jscorev1.TypeAnnotation_KIND_BYTES), // 300 is no byte: stays a list
		ann("/n", jscorev1.TypeAnnotation_KIND_NAN),
		ann("/missing/0", jscorev1.TypeAnnotation_KIND_BIGINT), // ignored
		ann("no-slash", jscorev1.TypeAnnotation_KIND_BIGINT),   // ignored
	}).(map[string]any)
	if d := got["d"].(time.Time); d.Year() != 275760 || d.Month() != 9 {
		t.Errorf("extended year: %v", d)
	}
	if d := got["d2"].(time.Time); d.Year() != -1 {
		t.Errorf("negative year: %v", d)
	}
	if got["bad"] != "not a date" {
		t.Errorf("bad date: %#v", got["bad"])
	}
	if _, ok := got["b"].([]any); !ok {
		t.Errorf("bytes out of range: %#v", got["b"])
	}
	if !math.IsNaN(got["n"].(float64)) {
		t.Errorf("nan: %#v", got["n"])
	}
}

func TestDecodeRules(t *testing.T) {
	src := map[string]any{
		"Int": 3.0, "Frac": 1.5, "Str": "s", "List": []any{1.0, 2.0}, "Obj": map[string]any{"1": "a"},
		"Bytes": []byte{1, 2}, "Null": nil, "camel_case": true, "unknown": 1.0,
	}
	var dst struct {
		Int       uint8
		Frac      float32
		Str       *string
		List      []int
		Obj       map[int]string
		Bytes     []int
		Null      []int
		CamelCase bool `json:"camel_case"`
	}
	dst.Null = []int{1}
	if err := jscore.Decode(src, &dst); err != nil {
		t.Fatal(err)
	}
	if dst.Int != 3 || dst.Frac != 1.5 || *dst.Str != "s" || !reflect.DeepEqual(dst.List, []int{1, 2}) ||
		dst.Obj[1] != "a" || !reflect.DeepEqual(dst.Bytes, []int{1, 2}) || dst.Null != nil || !dst.CamelCase {
		t.Fatalf("%+v", dst)
	}
	var i int
	if err := jscore.Decode(1.5, &i); err == nil {
		t.Error("1.5 into int accepted")
	}
	if err := jscore.Decode(300.0, new(uint8)); err == nil {
		t.Error("300 into uint8 accepted")
	}
	if err := jscore.Decode("x", new(bool)); err == nil {
		t.Error("string into bool accepted")
	}
	if err := jscore.Decode(1.0, i); err == nil {
		t.Error("a non-pointer target accepted")
	}
	var raw json.RawMessage
	if err := jscore.Decode(map[string]any{"a": []any{1.0, nil}}, &raw); err != nil || !bytes.Equal(raw, []byte(`{"a":[1,null]}`)) {
		t.Errorf("RawMessage %s, %v", raw, err)
	}
}
