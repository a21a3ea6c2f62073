package jscore_test

import (
	"encoding/json"
	"math"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"

	"jscore.dev/jscore"
	jscorev1 "jscore.dev/jscore/jscorev1"
)

// The encoder alone (no daemon): order, JSON text and the types tree.
func TestEncodeJSValue(t *testing.T) {
	type S struct {
		Z    int       `json:"z"`
		A    []byte    `json:"a"`
		When time.Time `json:"when"`
		Skip string    `json:"-"`
	}
	when := time.Date(2024, 1, 2, 3, 4, 5, 678_000_000, time.UTC)
	big70 := new(big.Int).Lsh(big.NewInt(1), 70)
	v, err := jscore.EncodeJSValue([]any{
		jscore.NewObject("b", 1, "a", math.NaN(), "c", []float64{math.Inf(1), math.Inf(-1), 0.5}),
		S{Z: 1, A: []byte{0, 255}, When: when},
		map[string]any{"y": 1, "x": "é"},
		int64(1) << 60, big70, big.NewInt(7), nil, json.RawMessage(`{"q": 1, "p": [2]}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	wantJSON := `[{"b":1,"a":null,"c":[null,null,0.5]},` +
		`{"z":1,"a":[0,255],"when":"2024-01-02T03:04:05.678Z"},{"x":"é","y":1},` +
		`"1152921504606846976","1180591620717411303424",7,null,{"q":1,"p":[2]}]`
	if v.Json != wantJSON {
		t.Fatalf("json\n got %s\nwant %s", v.Json, wantJSON)
	}
	wantTypes := `[null,{"0":[null,{"a":"nan","c":[null,{"0":"infinity","1":"-infinity"}]}],` +
		`"1":[null,{"a":"bytes","when":"date"}],"3":"bigint","4":"bigint"}]`
	if v.Types != wantTypes {
		t.Fatalf("types\n got %s\nwant %s", v.Types, wantTypes)
	}
	plain, _ := jscore.EncodeJSValue(map[string]int{"a": 1})
	if plain.Types != "" {
		t.Fatalf("plain JSON has types %q", plain.Types)
	}
	if _, err := jscore.EncodeJSValue(jscore.Object{{"a", 1}, {"a", 2}}); err == nil {
		t.Fatal("an Object with a key twice was accepted")
	}
	if _, err := jscore.EncodeJSValue(make(chan int)); err == nil {
		t.Fatal("a channel was accepted")
	}
}

// The decoder alone: JS order kept by DecodeJSValueOrdered, the types rebuilt by both.
func TestDecodeJSValue(t *testing.T) {
	in := &jscorev1.JsValue{
		Json: `{"z":1,"a":["5","2024-01-02T03:04:05.678Z",[1,2],null,null,null,{"y":null,"x":1},[1]],"m":{}}`,
		Types: `[null,{"a":[null,{"0":"bigint","1":"date","2":"bytes","3":"nan","4":"infinity",` +
			`"5":"-infinity","6":["map",{"y":"undefined"}],"7":"set"}],"m":"map"}]`,
	}
	ordered := jscore.DecodeJSValueOrdered(in).(jscore.Object)
	if got := strings.Join(ordered.Keys(), ","); got != "z,a,m" {
		t.Fatalf("keys %s", got)
	}
	a, _ := ordered.Get("a")
	list := a.([]any)
	if got := strings.Join(list[6].(jscore.Object).Keys(), ","); got != "y,x" {
		t.Fatalf("nested keys %s", got)
	}
	check := func(list []any) {
		t.Helper()
		if b, ok := list[0].(*big.Int); !ok || b.Int64() != 5 {
			t.Fatalf("bigint %#v", list[0])
		}
		if d, ok := list[1].(time.Time); !ok || d.UnixMilli() != 1704164645678 {
			t.Fatalf("date %#v", list[1])
		}
		if b, ok := list[2].([]byte); !ok || !reflect.DeepEqual(b, []byte{1, 2}) {
			t.Fatalf("bytes %#v", list[2])
		}
		if !math.IsNaN(list[3].(float64)) || !math.IsInf(list[4].(float64), 1) || !math.IsInf(list[5].(float64), -1) {
			t.Fatalf("special numbers %#v", list[3:6])
		}
	}
	check(list)
	plain := jscore.DecodeJSValue(in).(map[string]any)
	check(plain["a"].([]any))
	if m := plain["a"].([]any)[6].(map[string]any); m["y"] != nil || m["x"] != 1.0 {
		t.Fatalf("map %#v", m)
	}
	if jscore.DecodeJSValue(&jscorev1.JsValue{}) != nil {
		t.Fatal("an empty JsValue is not nil")
	}
}

// 100 nested levels go both ways through the encoder and the decoders.
func TestJSValueDepth100(t *testing.T) {
	var deep any = "leaf"
	for i := 0; i < 100; i++ {
		if i%2 == 0 {
			deep = []any{deep}
		} else {
			deep = jscore.NewObject("k", deep, "n", math.NaN())
		}
	}
	v, err := jscore.EncodeJSValue(deep)
	if err != nil {
		t.Fatal(err)
	}
	got := jscore.DecodeJSValueOrdered(v)
	for i := 99; i >= 0; i-- {
		if i%2 == 0 {
			got = got.([]any)[0]
		} else {
			o := got.(jscore.Object)
			if n, _ := o.Get("n"); !math.IsNaN(n.(float64)) {
				t.Fatalf("level %d: n = %v", i, n)
			}
			got, _ = o.Get("k")
		}
	}
	if got != "leaf" {
		t.Fatalf("leaf %#v", got)
	}
	if jscore.DecodeJSValue(v) == nil {
		t.Fatal("DecodeJSValue failed on 100 levels")
	}
}
