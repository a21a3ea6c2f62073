// The shared conformance table (tests/client_conformance/*.json, format in its
// README.md), run through this client.

package jscore_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"jscore.dev/jscore"

	"google.golang.org/grpc/codes"
)

type conformanceCase struct {
	Name          string          `json:"name"`
	Source        *string         `json:"source"`
	Globals       json.RawMessage `json:"globals"` // decoded in order (jscore.Object)
	ProgramSource *string         `json:"program_source"`
	Function      string          `json:"function"`
	Args          json.RawMessage `json:"args"`
	TimeoutMs     int             `json:"timeout_ms"`
	Expect        json.RawMessage `json:"expect"` // "null" when null, empty when absent
	ExpectType    string          `json:"expect_type"`
	Annotations   []struct {
		Path string `json:"path"`
		Kind string `json:"kind"`
	} `json:"annotations"`
	ExpectError *struct {
		Name            *string         `json:"name"`
		Message         *string         `json:"message"`
		MessageContains string          `json:"message_contains"`
		Thrown          json.RawMessage `json:"thrown"` // absent: not checked
		ThrownType      string          `json:"thrown_type"`
		ThrownAbsent    bool            `json:"thrown_absent"`
	} `json:"expect_error"`
	ExpectStatus          string          `json:"expect_status"`
	StatusMessageContains string          `json:"status_message_contains"`
	ExpectHooked          json.RawMessage `json:"expect_hooked"`
	// This runner compares key order everywhere; the field is read and accepted.
	ExpectKeysOrder bool     `json:"expect_keys_order"`
	Skip            []string `json:"skip"`
	Comment         string   `json:"comment"`
}

func conformanceDir() string {
	if d := os.Getenv("JSCORE_CONFORMANCE_DIR"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "tests", "client_conformance")
}

func TestConformance(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(conformanceDir(), "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no conformance files in %s (%v)", conformanceDir(), err)
	}
	names := map[string]string{}
	total := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var cases []conformanceCase
		dec := json.NewDecoder(strings.NewReader(string(data)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cases); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, c := range cases {
			c := c
			if prev, dup := names[c.Name]; dup || c.Name == "" {
				t.Errorf("%s: case name %q empty or already used in %s", file, c.Name, prev)
				continue
			}
			names[c.Name] = filepath.Base(file)
			total++
			t.Run(c.Name, func(t *testing.T) {
				t.Parallel()
				runConformanceCase(t, &c)
			})
		}
	}
	t.Logf("%d cases from %d files", total, len(files))
}

func runConformanceCase(t *testing.T, c *conformanceCase) {
	for _, s := range c.Skip {
		if s == "go" {
			t.Skip(c.Comment)
		}
	}
	ctx := ctxT(t)
	var opts []jscore.EvalOption
	if c.TimeoutMs > 0 {
		opts = append(opts, jscore.Timeout(time.Duration(c.TimeoutMs)*time.Millisecond))
	}
	var result *jscore.Result
	var err error
	switch {
	case c.Source != nil:
		if len(c.Globals) > 0 {
			globals, _ := orderedJSON(t, c.Globals).(jscore.Object)
			opts = append(opts, jscore.OrderedGlobals(globals))
		}
		result, err = client.Evaluate(ctx, *c.Source, opts...)
	case c.ProgramSource != nil:
		p, loadErr := client.LoadProgram(ctx, *c.ProgramSource)
		if loadErr != nil {
			t.Fatalf("LoadProgram: %v", loadErr)
		}
		args := []any{}
		if len(c.Args) > 0 {
			args = orderedJSON(t, c.Args).([]any)
		}
		result, err = p.CallWith(ctx, c.Function, args, opts...)
	default:
		t.Fatal("a case needs source or program_source")
	}

	// The annotations the case expects, as a set.
	wantAnn := map[string]string{}
	for _, a := range c.Annotations {
		wantAnn[a.Path] = a.Kind
	}
	if c.ExpectType != "" && c.ExpectType != "undefined" {
		wantAnn[""] = c.ExpectType
	}

	switch {
	case c.ExpectError != nil:
		var jsErr *jscore.JsError
		if !errors.As(err, &jsErr) {
			t.Fatalf("want a JsError, got value %v, err %v", result, err)
		}
		e := c.ExpectError
		if e.Name != nil && jsErr.Name != *e.Name {
			t.Errorf("name %q, want %q", jsErr.Name, *e.Name)
		}
		if e.Message != nil && jsErr.Message != *e.Message {
			t.Errorf("message %q, want %q", jsErr.Message, *e.Message)
		}
		if !strings.Contains(jsErr.Message, e.MessageContains) {
			t.Errorf("message %q does not contain %q", jsErr.Message, e.MessageContains)
		}
		if e.ThrownAbsent && jsErr.HasThrown {
			t.Errorf("thrown %#v, want none", jsErr.Thrown)
		}
		if len(e.Thrown) > 0 {
			if !jsErr.HasThrown {
				t.Fatalf("no thrown value, want %s", e.Thrown)
			}
			kinds := map[string]string{}
			if e.ThrownType != "" {
				kinds[""] = e.ThrownType
			}
			want := nativeExpected(t, e.Thrown, kinds)
			compareNative(t, jsErr.ThrownOrdered(), want, "thrown")
			compareNative(t, jsErr.Thrown, unordered(want), "thrown")
		}
	case c.ExpectStatus != "":
		if got := jscore.Code(err); got.String() != statusName(c.ExpectStatus) {
			t.Fatalf("status %v (%v), want %s", got, err, c.ExpectStatus)
		}
		if !strings.Contains(err.Error(), c.StatusMessageContains) {
			t.Errorf("status message %q does not contain %q", err.Error(), c.StatusMessageContains)
		}
	case len(c.ExpectHooked) > 0:
		var jsErr *jscore.JsError
		if errors.As(err, &jsErr) && strings.Contains(jsErr.Message, "$terminate is not defined") {
			t.Skip("this jscored has no $terminate")
		}
		var hooked *jscore.Hooked
		if !errors.As(err, &hooked) {
			t.Fatalf("want Hooked, got value %v, err %v", result, err)
		}
		// The annotations of hook data come in the response; Hooked holds the rebuilt data.
		compareNative(t, hooked.Ordered(), nativeExpected(t, c.ExpectHooked, wantAnn), "")
		compareNative(t, hooked.Data, unordered(nativeExpected(t, c.ExpectHooked, wantAnn)), "")
	case len(c.Expect) > 0:
		if err != nil {
			t.Fatalf("error: %v", err)
		}
		if (c.ExpectType == "undefined") != result.Undefined {
			t.Errorf("undefined flag %v, want %v", result.Undefined, c.ExpectType == "undefined")
		}
		gotAnn := map[string]string{}
		for _, a := range result.Response.GetAnnotations() {
			gotAnn[a.GetPath()] = strings.ToLower(strings.TrimPrefix(a.GetKind().String(), "KIND_"))
		}
		if v := result.Response.GetValueJson(); v != nil {
			typesPaths(t, v.GetTypes(), gotAnn)
			if result.Undefined { // the result itself: the flag says it, as in `expect_type`
				delete(gotAnn, "")
			}
		}
		if !reflect.DeepEqual(gotAnn, wantAnn) && !(len(gotAnn) == 0 && len(wantAnn) == 0) {
			t.Errorf("annotations %v, want %v", gotAnn, wantAnn)
		}
		want := nativeExpected(t, c.Expect, wantAnn)
		compareNative(t, result.Ordered(), want, "")
		compareNative(t, result.Value(), unordered(want), "")
	default:
		t.Fatal("a case needs expect, expect_error, expect_status or expect_hooked")
	}
}

// statusName turns "DEADLINE_EXCEEDED" into codes.DeadlineExceeded's String().
func statusName(s string) string {
	for c := codes.OK; c <= codes.Unauthenticated; c++ {
		name := c.String()
		var snake strings.Builder
		for i, r := range name {
			if i > 0 && r >= 'A' && r <= 'Z' {
				snake.WriteByte('_')
			}
			snake.WriteRune(r)
		}
		if strings.EqualFold(snake.String(), s) || (s == "CANCELLED" && c == codes.Canceled) {
			return name
		}
	}
	return s
}

// nativeExpected builds the expected Go value from the plain JSON form and the
// annotations, independently of the client's decoder; objects are jscore.Objects in
// the order the case writes them.
func nativeExpected(t *testing.T, raw json.RawMessage, ann map[string]string) any {
	return convertAt(t, orderedJSON(t, raw), "", ann)
}

// orderedJSON parses JSON text with every object as a jscore.Object, keys in order.
func orderedJSON(t *testing.T, raw json.RawMessage) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	var parse func() any
	parse = func() any {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("case JSON %s: %v", raw, err)
		}
		switch tok {
		case json.Delim('{'):
			o := jscore.Object{}
			for dec.More() {
				key, _ := dec.Token()
				o = append(o, jscore.Member{Key: key.(string), Value: parse()})
			}
			dec.Token()
			return o
		case json.Delim('['):
			list := []any{}
			for dec.More() {
				list = append(list, parse())
			}
			dec.Token()
			return list
		}
		return tok
	}
	return parse()
}

// unordered is v with every jscore.Object as a map[string]any (as Result.Value gives).
func unordered(v any) any {
	switch x := v.(type) {
	case jscore.Object:
		m := make(map[string]any, len(x))
		for _, member := range x {
			m[member.Key] = unordered(member.Value)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = unordered(item)
		}
		return out
	}
	return v
}

// typesPaths adds the places a JsValue types tree names to out, as JSON Pointer ->
// kind in the README's names ("-infinity" is "infinity" there, as on the protobuf wire).
func typesPaths(t *testing.T, types string, out map[string]string) {
	if types == "" {
		return
	}
	var tree any
	if err := json.Unmarshal([]byte(types), &tree); err != nil {
		t.Fatalf("types tree %q: %v", types, err)
	}
	var walk func(node any, path string)
	walk = func(node any, path string) {
		add := func(kind string) {
			if kind == "-infinity" {
				kind = "infinity"
			}
			out[path] = kind
		}
		if kind, ok := node.(string); ok {
			add(kind)
			return
		}
		pair, ok := node.([]any)
		if !ok || len(pair) != 2 {
			t.Fatalf("types tree %q: bad node at %q", types, path)
		}
		if kind, ok := pair[0].(string); ok {
			add(kind)
		}
		for key, child := range pair[1].(map[string]any) {
			walk(child, path+"/"+strings.ReplaceAll(strings.ReplaceAll(key, "~", "~0"), "/", "~1"))
		}
	}
	walk(tree, "")
}

func convertAt(t *testing.T, v any, path string, ann map[string]string) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = convertAt(t, item, fmt.Sprintf("%s/%d", path, i), ann)
		}
		v = out
	case jscore.Object:
		out := make(jscore.Object, len(x))
		for i, m := range x {
			token := strings.ReplaceAll(strings.ReplaceAll(m.Key, "~", "~0"), "/", "~1")
			out[i] = jscore.Member{Key: m.Key, Value: convertAt(t, m.Value, path+"/"+token, ann)}
		}
		v = out
	}
	kind, ok := ann[path]
	if !ok {
		return v
	}
	switch kind {
	case "undefined", "map", "set":
		return v
	case "bigint":
		b, ok := new(big.Int).SetString(v.(string), 10)
		if !ok {
			t.Fatalf("bad bigint %v at %q", v, path)
		}
		return b
	case "date":
		if v == nil {
			return nil
		}
		d, err := time.Parse(time.RFC3339Nano, v.(string))
		if err != nil {
			t.Fatalf("bad date %v at %q: %v", v, path, err)
		}
		return d
	case "bytes":
		list := v.([]any)
		b := make([]byte, len(list))
		for i, n := range list {
			b[i] = byte(n.(float64))
		}
		return b
	case "nan":
		return math.NaN()
	case "infinity":
		if v == "-Infinity" {
			return math.Inf(-1)
		}
		return math.Inf(1)
	}
	t.Fatalf("unknown kind %q at %q", kind, path)
	return nil
}

func compareNative(t *testing.T, got, want any, path string) {
	t.Helper()
	fail := func() { t.Errorf("at %q: got %#v, want %#v", path, got, want) }
	switch w := want.(type) {
	case nil:
		if got != nil {
			fail()
		}
	case float64:
		g, ok := got.(float64)
		if !ok || !(g == w || (math.IsNaN(g) && math.IsNaN(w))) {
			fail()
		}
	case *big.Int:
		g, ok := got.(*big.Int)
		if !ok || g.Cmp(w) != 0 {
			fail()
		}
	case time.Time:
		g, ok := got.(time.Time)
		if !ok || !g.Equal(w) {
			fail()
		}
	case []byte:
		g, ok := got.([]byte)
		if !ok || string(g) != string(w) {
			fail()
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			fail()
			return
		}
		for i := range w {
			compareNative(t, g[i], w[i], fmt.Sprintf("%s/%d", path, i))
		}
	case jscore.Object: // the order counts
		g, ok := got.(jscore.Object)
		if !ok || strings.Join(g.Keys(), ",") != strings.Join(w.Keys(), ",") {
			t.Errorf("at %q: got %#v, want keys in the order %q", path, got, w.Keys())
			return
		}
		for i := range w {
			compareNative(t, g[i].Value, w[i].Value, path+"/"+w[i].Key)
		}
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok || len(g) != len(w) {
			fail()
			return
		}
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if _, present := g[k]; !present {
				t.Errorf("at %q: key %q missing", path, k)
				continue
			}
			compareNative(t, g[k], w[k], path+"/"+k)
		}
	default:
		if got != want {
			fail()
		}
	}
}
