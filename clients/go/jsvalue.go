// Go values to jscore.v1.JsValue (JSON text in key order plus a types tree), and
// Object, the ordered JS object.

package jscore

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"time"

	jscorev1 "jscore.dev/jscore/jscorev1"

	"google.golang.org/protobuf/types/known/structpb"
)

// Member is one key and value of an Object.
type Member struct {
	Key   string
	Value any
}

// Object is a JS object with its keys in order: what to pass when the order matters
// (a Go map's keys are sent sorted, as encoding/json writes them), and what
// Result.Ordered gives for every JS object. Build one with NewObject or a literal:
//
//	jscore.NewObject("b", 1, "a", 2)            // {b: 1, a: 2}
//	jscore.Object{{"b", 1}, {"a", 2}}           // the same
type Object []Member

// NewObject makes an Object from alternating keys (strings) and values. It panics if
// a key is not a string or a value is missing, like a malformed literal would not compile.
func NewObject(keysAndValues ...any) Object {
	if len(keysAndValues)%2 != 0 {
		panic("jscore.NewObject: odd number of arguments (a key without a value)")
	}
	o := make(Object, 0, len(keysAndValues)/2)
	index := make(map[string]int, len(keysAndValues)/2)
	for i := 0; i < len(keysAndValues); i += 2 {
		key, ok := keysAndValues[i].(string)
		if !ok {
			panic(fmt.Sprintf("jscore.NewObject: key %d is a %T, not a string", i/2, keysAndValues[i]))
		}
		if at, found := index[key]; found { // as in a JS literal: first place, last value
			o[at].Value = keysAndValues[i+1]
			continue
		}
		index[key] = len(o)
		o = append(o, Member{key, keysAndValues[i+1]})
	}
	return o
}

// Get is the value of key, and whether the object has it.
func (o Object) Get(key string) (any, bool) {
	for _, m := range o {
		if m.Key == key {
			return m.Value, true
		}
	}
	return nil, false
}

// Set replaces the value of key in place, or appends key at the end (as a JS
// assignment does), and returns the object.
func (o Object) Set(key string, value any) Object {
	for i := range o {
		if o[i].Key == key {
			o[i].Value = value
			return o
		}
	}
	return append(o, Member{key, value})
}

// Keys are the object's keys in order.
func (o Object) Keys() []string {
	keys := make([]string, len(o))
	for i, m := range o {
		keys[i] = m.Key
	}
	return keys
}

// Map is the object as a map[string]any (its values unchanged, the order lost).
func (o Object) Map() map[string]any {
	out := make(map[string]any, len(o))
	for _, m := range o {
		out[m.Key] = m.Value
	}
	return out
}

// MarshalJSON writes the object with its keys in order.
func (o Object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		writeString(&b, m.Key)
		b.WriteByte(':')
		data, err := json.Marshal(m.Value)
		if err != nil {
			return nil, err
		}
		b.Write(data)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

var objectType = reflect.TypeOf(Object{})

// EncodeJSValue converts a Go value into a JsValue for an argument or a global: the
// same Go types as ToValue takes, with the order and the JS types kept:
//
//	Object                              object, keys in order
//	structs                             object, fields in declaration order
//	maps                                object, keys sorted (as encoding/json)
//	float NaN, ±Inf                     NaN, ±Infinity
//	time.Time                           Date
//	[]byte                              Uint8Array
//	json.Marshaler                      its JSON, as written (order kept)
//	integers, *big.Int                  number within ±2^53, BigInt past it (exact)
func EncodeJSValue(v any) (*jscorev1.JsValue, error) {
	e := jsEncoder{}
	node, err := e.encode(reflect.ValueOf(v), 0)
	if err != nil {
		return nil, err
	}
	out := &jscorev1.JsValue{Json: e.buf.String()}
	if node != nil {
		types, err := json.Marshal(node)
		if err != nil {
			return nil, err
		}
		out.Types = string(types)
	}
	return out, nil
}

// A types node: a kind string, or []any{kind or nil, map[string]any{key: node}};
// nil when nothing below is annotated. encoding/json writes the maps' keys sorted,
// which is fine: the tree is keyed, not ordered.
type typesNode = any

type jsEncoder struct{ buf bytes.Buffer }

func withChild(children map[string]any, key string, node typesNode) map[string]any {
	if node == nil {
		return children
	}
	if children == nil {
		children = map[string]any{}
	}
	children[key] = node
	return children
}

func nodeOf(kind any, children map[string]any) typesNode {
	if children == nil {
		return kind
	}
	return []any{kind, children}
}

func (e *jsEncoder) encode(rv reflect.Value, depth int) (typesNode, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("jscore: value is nested deeper than %d levels (does it contain a cycle?)", maxDepth)
	}
	b := &e.buf
	if !rv.IsValid() {
		b.WriteString("null")
		return nil, nil
	}
	t := rv.Type()
	switch t {
	case timeType:
		writeString(b, formatTime(rv.Interface().(time.Time)))
		return "date", nil
	case bigIntType:
		bi := rv.Interface().(big.Int)
		return e.bigInt(&bi), nil
	case objectType:
		return e.object(rv.Interface().(Object), depth)
	case valueType:
		if rv.CanAddr() {
			return e.encode(reflect.ValueOf(FromValue(rv.Addr().Interface().(*structpb.Value))), depth+1)
		}
	}
	if n, ok := rv.Interface().(json.Number); ok {
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil {
			return nil, fmt.Errorf("jscore: json.Number %q: %w", string(n), err)
		}
		return e.float(f), nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		if rv.IsNil() {
			b.WriteString("null")
			return nil, nil
		}
		switch p := rv.Interface().(type) {
		case *structpb.Value:
			return e.encode(reflect.ValueOf(FromValue(p)), depth+1)
		case *big.Int:
			return e.bigInt(p), nil
		}
		if t.Elem() == objectType || t.Elem() == timeType {
			return e.encode(rv.Elem(), depth+1)
		}
		if ok, err := e.viaMarshaler(rv); ok {
			return nil, err
		}
		return e.encode(rv.Elem(), depth+1)
	case reflect.Interface:
		if rv.IsNil() {
			b.WriteString("null")
			return nil, nil
		}
		return e.encode(rv.Elem(), depth)
	}
	if ok, err := e.viaMarshaler(rv); ok {
		return nil, err
	}
	switch t.Kind() {
	case reflect.Bool:
		b.WriteString(strconv.FormatBool(rv.Bool()))
		return nil, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n := rv.Int()
		if n > MaxSafeInteger || n < -MaxSafeInteger {
			writeString(b, strconv.FormatInt(n, 10))
			return "bigint", nil
		}
		b.WriteString(strconv.FormatInt(n, 10))
		return nil, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n := rv.Uint()
		if n > MaxSafeInteger {
			writeString(b, strconv.FormatUint(n, 10))
			return "bigint", nil
		}
		b.WriteString(strconv.FormatUint(n, 10))
		return nil, nil
	case reflect.Float32, reflect.Float64:
		return e.float(rv.Float()), nil
	case reflect.String:
		writeString(b, rv.String())
		return nil, nil
	case reflect.Slice, reflect.Array:
		if t.Kind() == reflect.Slice && rv.IsNil() {
			b.WriteString("null")
			return nil, nil
		}
		if t.Elem().Kind() == reflect.Uint8 { // []byte: a Uint8Array
			b.WriteByte('[')
			for i := 0; i < rv.Len(); i++ {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(strconv.FormatUint(rv.Index(i).Uint(), 10))
			}
			b.WriteByte(']')
			return "bytes", nil
		}
		var children map[string]any
		b.WriteByte('[')
		for i := 0; i < rv.Len(); i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			node, err := e.encode(rv.Index(i), depth+1)
			if err != nil {
				return nil, err
			}
			children = withChild(children, strconv.Itoa(i), node)
		}
		b.WriteByte(']')
		return nodeOf(nil, children), nil
	case reflect.Map:
		if rv.IsNil() {
			b.WriteString("null")
			return nil, nil
		}
		type entry struct {
			key   string
			value reflect.Value
		}
		entries := make([]entry, 0, rv.Len())
		iter := rv.MapRange()
		for iter.Next() {
			key, err := mapKeyString(iter.Key())
			if err != nil {
				return nil, err
			}
			entries = append(entries, entry{key, iter.Value()})
		}
		sort.Slice(entries, func(i, j int) bool { return entries[i].key < entries[j].key })
		var children map[string]any
		b.WriteByte('{')
		for i, en := range entries {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, en.key)
			b.WriteByte(':')
			node, err := e.encode(en.value, depth+1)
			if err != nil {
				return nil, err
			}
			children = withChild(children, en.key, node)
		}
		b.WriteByte('}')
		return nodeOf(nil, children), nil
	case reflect.Struct:
		var children map[string]any
		b.WriteByte('{')
		first := true
		for _, f := range structFields(t) {
			fv, ok := fieldByIndex(rv, f.index)
			if !ok || (f.omitEmpty && isEmptyValue(fv)) {
				continue
			}
			if !first {
				b.WriteByte(',')
			}
			first = false
			writeString(b, f.name)
			b.WriteByte(':')
			node, err := e.encode(fv, depth+1)
			if err != nil {
				return nil, fmt.Errorf("%w (field %s)", err, f.name)
			}
			children = withChild(children, f.name, node)
		}
		b.WriteByte('}')
		return nodeOf(nil, children), nil
	}
	return nil, fmt.Errorf("jscore: cannot pass a %s to JavaScript", t)
}

func (e *jsEncoder) object(o Object, depth int) (typesNode, error) {
	b := &e.buf
	var children map[string]any
	seen := make(map[string]bool, len(o))
	b.WriteByte('{')
	for i, m := range o {
		if seen[m.Key] {
			return nil, fmt.Errorf("jscore: Object has the key %q twice", m.Key)
		}
		seen[m.Key] = true
		if i > 0 {
			b.WriteByte(',')
		}
		writeString(b, m.Key)
		b.WriteByte(':')
		node, err := e.encode(reflect.ValueOf(m.Value), depth+1)
		if err != nil {
			return nil, err
		}
		children = withChild(children, m.Key, node)
	}
	b.WriteByte('}')
	return nodeOf(nil, children), nil
}

func (e *jsEncoder) float(f float64) typesNode {
	switch {
	case math.IsNaN(f):
		e.buf.WriteString("null")
		return "nan"
	case math.IsInf(f, 1):
		e.buf.WriteString("null")
		return "infinity"
	case math.IsInf(f, -1):
		e.buf.WriteString("null")
		return "-infinity"
	}
	// As encoding/json writes float64s: plain digits, exponents only for the very large
	// and the very small.
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	e.buf.Write(strconv.AppendFloat(nil, f, format, -1, 64))
	return nil
}

// bigInt writes b as a number when it is exact as one, else as a BigInt.
func (e *jsEncoder) bigInt(b *big.Int) typesNode {
	if b.IsInt64() && b.Int64() <= MaxSafeInteger && b.Int64() >= -MaxSafeInteger {
		e.buf.WriteString(b.String())
		return nil
	}
	writeString(&e.buf, b.String())
	return "bigint"
}

// viaMarshaler writes values whose type says how it is written as JSON (as written,
// order kept) or text (a string).
func (e *jsEncoder) viaMarshaler(rv reflect.Value) (bool, error) {
	t := rv.Type()
	if t.Implements(jsonMarshaler) {
		data, err := rv.Interface().(json.Marshaler).MarshalJSON()
		if err != nil {
			return true, fmt.Errorf("jscore: %s.MarshalJSON: %w", t, err)
		}
		if err := json.Compact(&e.buf, data); err != nil {
			return true, fmt.Errorf("jscore: %s.MarshalJSON: %w", t, err)
		}
		return true, nil
	}
	if t.Implements(textMarshaler) {
		text, err := rv.Interface().(encoding.TextMarshaler).MarshalText()
		if err != nil {
			return true, fmt.Errorf("jscore: %s.MarshalText: %w", t, err)
		}
		writeString(&e.buf, string(text))
		return true, nil
	}
	return false, nil
}

// writeString writes s as a JSON string (invalid UTF-8 becomes U+FFFD, as in encoding/json).
func writeString(b *bytes.Buffer, s string) {
	data, _ := json.Marshal(s) // a string always marshals
	b.Write(data)
}
