// jscore.v1.JsValue to Go values: map[string]any (DecodeJSValue) or, keeping the JS
// key order, Object (DecodeJSValueOrdered).

package jscore

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"math/big"
	"strconv"

	jscorev1 "jscore.dev/jscore/jscorev1"
)

// DecodeJSValue is the Go value of a JsValue, as DecodeValue gives values: objects are
// map[string]any (their order lost: see DecodeJSValueOrdered), numbers float64, and the
// types tree rebuilt: *big.Int (BigInt), time.Time (Date; nil if invalid), []byte,
// NaN and ±Inf, nil (undefined), map[string]any (Map), []any (Set). An empty or
// unparsable JsValue is nil.
func DecodeJSValue(v *jscorev1.JsValue) any {
	if v.GetJson() == "" {
		return nil
	}
	var out any
	if err := json.Unmarshal([]byte(v.GetJson()), &out); err != nil {
		return nil
	}
	return applyTypes(out, v.GetTypes())
}

// DecodeJSValueOrdered is DecodeJSValue with every JS object (and Map) as an Object,
// its keys in JS order (the order of Object.keys and JSON.stringify).
func DecodeJSValueOrdered(v *jscorev1.JsValue) any {
	if v.GetJson() == "" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(v.GetJson())))
	out, err := orderedValue(dec)
	if err != nil {
		return nil
	}
	return applyTypes(out, v.GetTypes())
}

func orderedValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch d := tok.(type) {
	case json.Delim:
		switch d {
		case '{':
			o := Object{}
			for dec.More() {
				key, err := dec.Token()
				if err != nil {
					return nil, err
				}
				value, err := orderedValue(dec)
				if err != nil {
					return nil, err
				}
				// The daemon writes each key once (linear: no lookup per key).
				o = append(o, Member{key.(string), value})
			}
			_, err := dec.Token() // '}'
			return o, err
		case '[':
			list := []any{}
			for dec.More() {
				value, err := orderedValue(dec)
				if err != nil {
					return nil, err
				}
				list = append(list, value)
			}
			_, err := dec.Token() // ']'
			return list, err
		}
		return nil, errors.New("unexpected delimiter")
	case nil, bool, float64, string:
		return d, nil
	}
	return nil, io.ErrUnexpectedEOF
}

// applyTypes rebuilds the JS types that the types tree (JSON text) names.
func applyTypes(value any, types string) any {
	if types == "" {
		return value
	}
	var tree any
	if err := json.Unmarshal([]byte(types), &tree); err != nil {
		return value
	}
	return applyNode(value, tree)
}

func applyNode(value any, node any) any {
	if kind, ok := node.(string); ok {
		return rebuildKind(kind, value)
	}
	pair, ok := node.([]any)
	if !ok || len(pair) != 2 {
		return value
	}
	children, ok := pair[1].(map[string]any)
	if !ok {
		return value
	}
	var index map[string]int // an Object's keys, to stay linear
	if o, ok := value.(Object); ok {
		index = make(map[string]int, len(o))
		for i, m := range o {
			index[m.Key] = i
		}
	}
	for key, child := range children {
		switch c := value.(type) {
		case map[string]any:
			if item, found := c[key]; found {
				c[key] = applyNode(item, child)
			}
		case Object:
			if i, found := index[key]; found {
				c[i].Value = applyNode(c[i].Value, child)
			}
		case []any:
			if i, err := strconv.Atoi(key); err == nil && i >= 0 && i < len(c) && strconv.Itoa(i) == key {
				c[i] = applyNode(c[i], child)
			}
		}
	}
	if kind, ok := pair[0].(string); ok {
		return rebuildKind(kind, value)
	}
	return value
}

func rebuildKind(kind string, v any) any {
	switch kind {
	case "undefined":
		return nil
	case "bigint":
		if s, ok := v.(string); ok {
			if b, ok := new(big.Int).SetString(s, 10); ok {
				return b
			}
		}
	case "date":
		if s, ok := v.(string); ok {
			if t, ok := ParseDate(s); ok {
				return t
			}
		}
	case "bytes":
		if list, ok := v.([]any); ok {
			out := make([]byte, len(list))
			for i, item := range list {
				f, ok := item.(float64)
				if !ok || f < 0 || f > 255 || f != math.Trunc(f) {
					return v
				}
				out[i] = byte(f)
			}
			return out
		}
	case "nan":
		return math.NaN()
	case "infinity":
		return math.Inf(1)
	case "-infinity":
		return math.Inf(-1)
	}
	return v // a Map is already an object, a Set a list; unknown kinds stay as they are.
}
