// Decode: the Go value of a result into a typed Go variable, as encoding/json does.

package jscore

import (
	"encoding"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"time"
)

var (
	jsonUnmarshaler = reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()
	textUnmarshaler = reflect.TypeOf((*encoding.TextUnmarshaler)(nil)).Elem()
)

// DecodeError says where and why a value did not fit the Go type it was decoded into.
type DecodeError struct {
	Path  string       // JSON Pointer into the value ("" is the value itself)
	Value string       // what the value was: "number 1.5", "string", "object"...
	Type  reflect.Type // the Go type it did not fit
	Err   error        // an underlying error (from UnmarshalJSON, say), if any
}

func (e *DecodeError) Error() string {
	msg := fmt.Sprintf("jscore: cannot decode %s into Go value of type %s", e.Value, e.Type)
	if e.Path != "" {
		msg += " at " + strconv.Quote(e.Path)
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *DecodeError) Unwrap() error { return e.Err }

// Decode stores v (a value as DecodeValue and Result.Value give it) in the variable
// that target points to, following encoding/json's rules: structs by their json tags
// (exact name first, then case-insensitively), maps with string or integer keys,
// slices, arrays, pointers and interfaces; null leaves a non-pointer target as it is.
// Beyond JSON: numbers fit integer types when integral and in range; *big.Int fits
// integer types in range, big.Int, float64 and string (its decimal form); time.Time
// fits time.Time and string (RFC 3339); []byte fits []byte and []number types.
// Types implementing json.Unmarshaler get the JSON of the value.
func Decode(v any, target any) error {
	rv := reflect.ValueOf(target)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("jscore: Decode needs a non-nil pointer, not %T", target)
	}
	return decodeInto(v, rv.Elem(), "")
}

func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		return "number " + strconv.FormatFloat(x, 'g', -1, 64)
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case *big.Int:
		return "bigint " + x.String()
	case time.Time:
		return "date"
	case []byte:
		return "bytes"
	}
	return fmt.Sprintf("%T", v)
}

func decodeInto(src any, dst reflect.Value, path string) error {
	fail := func(err error) error {
		return &DecodeError{Path: path, Value: describe(src), Type: dst.Type(), Err: err}
	}
	t := dst.Type()

	// null: pointers, interfaces, maps and slices become nil; other values stay as they are.
	if src == nil {
		switch t.Kind() {
		case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice:
			dst.Set(reflect.Zero(t))
		}
		return nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		if dst.IsNil() {
			dst.Set(reflect.New(t.Elem()))
		}
		return decodeInto(src, dst.Elem(), path)
	case reflect.Interface:
		if t.NumMethod() == 0 || reflect.TypeOf(src).Implements(t) {
			dst.Set(reflect.ValueOf(src))
			return nil
		}
		if !dst.IsNil() && dst.Elem().Kind() == reflect.Pointer {
			return decodeInto(src, dst.Elem(), path)
		}
		return fail(nil)
	}

	// Types with a meaning of their own.
	switch t {
	case timeType:
		switch s := src.(type) {
		case time.Time:
			dst.Set(reflect.ValueOf(s))
			return nil
		case string:
			if parsed, ok := ParseDate(s); ok {
				dst.Set(reflect.ValueOf(parsed))
				return nil
			}
			parsed, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				return fail(err)
			}
			dst.Set(reflect.ValueOf(parsed))
			return nil
		}
		return fail(nil)
	case bigIntType:
		b := dst.Addr().Interface().(*big.Int)
		switch s := src.(type) {
		case *big.Int:
			b.Set(s)
			return nil
		case float64:
			if s != math.Trunc(s) || math.IsInf(s, 0) {
				return fail(nil)
			}
			new(big.Float).SetFloat64(s).Int(b)
			return nil
		case string:
			if _, ok := b.SetString(s, 10); ok {
				return nil
			}
		}
		return fail(nil)
	}
	if dst.CanAddr() {
		if u, ok := dst.Addr().Interface().(json.Unmarshaler); ok {
			data, err := json.Marshal(jsonForm(src))
			if err != nil {
				return fail(err)
			}
			if err := u.UnmarshalJSON(data); err != nil {
				return fail(err)
			}
			return nil
		}
		if s, ok := src.(string); ok {
			if u, ok := dst.Addr().Interface().(encoding.TextUnmarshaler); ok {
				if err := u.UnmarshalText([]byte(s)); err != nil {
					return fail(err)
				}
				return nil
			}
		}
	}

	switch t.Kind() {
	case reflect.Bool:
		if b, ok := src.(bool); ok {
			dst.SetBool(b)
			return nil
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		switch n := src.(type) {
		case float64:
			if n == math.Trunc(n) && !math.IsInf(n, 0) && n >= -(1<<63) && n < (1<<63) {
				i := int64(n)
				if !dst.OverflowInt(i) {
					dst.SetInt(i)
					return nil
				}
			}
		case *big.Int:
			if n.IsInt64() && !dst.OverflowInt(n.Int64()) {
				dst.SetInt(n.Int64())
				return nil
			}
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		switch n := src.(type) {
		case float64:
			if n == math.Trunc(n) && n >= 0 && n < (1<<64) {
				u := uint64(n)
				if !dst.OverflowUint(u) {
					dst.SetUint(u)
					return nil
				}
			}
		case *big.Int:
			if n.IsUint64() && !dst.OverflowUint(n.Uint64()) {
				dst.SetUint(n.Uint64())
				return nil
			}
		}
	case reflect.Float32, reflect.Float64:
		switch n := src.(type) {
		case float64:
			dst.SetFloat(n)
			return nil
		case *big.Int:
			f, _ := new(big.Float).SetInt(n).Float64()
			dst.SetFloat(f)
			return nil
		}
	case reflect.String:
		switch s := src.(type) {
		case string:
			dst.SetString(s)
			return nil
		case *big.Int:
			dst.SetString(s.String())
			return nil
		case time.Time:
			dst.SetString(formatTime(s))
			return nil
		}
	case reflect.Slice:
		if b, ok := src.([]byte); ok {
			if t.Elem().Kind() == reflect.Uint8 {
				dst.SetBytes(append([]byte(nil), b...))
				return nil
			}
			src = bytesAsList(b)
		}
		list, ok := src.([]any)
		if !ok {
			break
		}
		out := reflect.MakeSlice(t, len(list), len(list))
		for i, item := range list {
			if err := decodeInto(item, out.Index(i), path+"/"+strconv.Itoa(i)); err != nil {
				return err
			}
		}
		dst.Set(out)
		return nil
	case reflect.Array:
		if b, ok := src.([]byte); ok {
			src = bytesAsList(b)
		}
		list, ok := src.([]any)
		if !ok {
			break
		}
		for i := 0; i < dst.Len(); i++ {
			if i < len(list) {
				if err := decodeInto(list[i], dst.Index(i), path+"/"+strconv.Itoa(i)); err != nil {
					return err
				}
			} else {
				dst.Index(i).Set(reflect.Zero(t.Elem()))
			}
		}
		return nil
	case reflect.Map:
		obj, ok := src.(map[string]any)
		if !ok {
			break
		}
		if dst.IsNil() {
			dst.Set(reflect.MakeMapWithSize(t, len(obj)))
		}
		for key, item := range obj {
			k, err := mapKey(key, t.Key())
			if err != nil {
				return &DecodeError{Path: path, Value: "object key " + strconv.Quote(key), Type: t.Key(), Err: err}
			}
			elem := reflect.New(t.Elem()).Elem()
			if err := decodeInto(item, elem, path+"/"+escapePointer(key)); err != nil {
				return err
			}
			dst.SetMapIndex(k, elem)
		}
		return nil
	case reflect.Struct:
		obj, ok := src.(map[string]any)
		if !ok {
			break
		}
		fields := structFields(t)
		for key, item := range obj {
			f := findField(fields, key)
			if f == nil {
				continue // unknown keys are ignored, as encoding/json does
			}
			fv, ok := fieldForSet(dst, f.index)
			if !ok {
				continue
			}
			if err := decodeInto(item, fv, path+"/"+escapePointer(key)); err != nil {
				return err
			}
		}
		return nil
	}
	return fail(nil)
}

func findField(fields []field, key string) *field {
	for i := range fields {
		if fields[i].name == key {
			return &fields[i]
		}
	}
	for i := range fields {
		if strings.EqualFold(fields[i].name, key) {
			return &fields[i]
		}
	}
	return nil
}

func mapKey(key string, t reflect.Type) (reflect.Value, error) {
	k := reflect.New(t).Elem()
	if u, ok := k.Addr().Interface().(encoding.TextUnmarshaler); ok {
		return k, u.UnmarshalText([]byte(key))
	}
	switch t.Kind() {
	case reflect.String:
		k.SetString(key)
		return k, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(key, 10, t.Bits())
		k.SetInt(n)
		return k, err
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n, err := strconv.ParseUint(key, 10, t.Bits())
		k.SetUint(n)
		return k, err
	}
	return k, fmt.Errorf("unsupported map key type")
}

func bytesAsList(b []byte) []any {
	list := make([]any, len(b))
	for i, x := range b {
		list[i] = float64(x)
	}
	return list
}

func escapePointer(token string) string {
	return strings.ReplaceAll(strings.ReplaceAll(token, "~", "~0"), "/", "~1")
}

// jsonForm is v with the rebuilt JS types turned back into what encoding/json can
// write: *big.Int as a number literal, time.Time as RFC 3339, []byte as a list.
// NaN and ±Inf have no JSON form (json.Marshal then fails).
func jsonForm(v any) any {
	switch x := v.(type) {
	case *big.Int:
		return json.Number(x.String())
	case time.Time:
		return formatTime(x)
	case []byte:
		return bytesAsList(x)
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = jsonForm(item)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, item := range x {
			out[k] = jsonForm(item)
		}
		return out
	}
	return v
}
