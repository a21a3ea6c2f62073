// Go values to and from google.protobuf.Value, losslessly where JS allows.

package jscore

import (
	"encoding"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	jscorev1 "jscore.dev/jscore/jscorev1"

	"google.golang.org/protobuf/types/known/structpb"
)

// MaxSafeInteger is 2^53: integers beyond ±MaxSafeInteger are not exact as JS numbers,
// so ToValue refuses them (pass them as strings and use BigInt(s) in JS).
const MaxSafeInteger = 1 << 53

const maxDepth = 200

var (
	timeType      = reflect.TypeOf(time.Time{})
	bigIntType    = reflect.TypeOf(big.Int{})
	valueType     = reflect.TypeOf(structpb.Value{})
	jsonMarshaler = reflect.TypeOf((*json.Marshaler)(nil)).Elem()
	textMarshaler = reflect.TypeOf((*encoding.TextMarshaler)(nil)).Elem()
)

// ToValue converts a Go value into a google.protobuf.Value for a global or an argument:
//
//	nil, nil pointers, nil maps/slices  null
//	bool                                boolean
//	int*, uint*                         number (|x| ≤ 2^53, else an error)
//	*big.Int                            number (|x| ≤ 2^53, else an error)
//	float32, float64                    number (NaN and ±Inf too)
//	json.Number                         number
//	string                              string
//	[]byte                              list of byte numbers
//	time.Time                           RFC 3339 string in UTC, millisecond precision
//	slices, arrays                      list
//	maps with string (or integer) keys  object
//	structs                             object, by their json tags (as encoding/json)
//	json.Marshaler, encoding.TextMarshaler  what their JSON or text is
//	*structpb.Value                     itself
//
// Anything else (channels, functions, complex numbers) is an error.
func ToValue(v any) (*structpb.Value, error) {
	return toValue(reflect.ValueOf(v), 0)
}

func toValue(rv reflect.Value, depth int) (*structpb.Value, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("jscore: value is nested deeper than %d levels (does it contain a cycle?)", maxDepth)
	}
	if !rv.IsValid() {
		return structpb.NewNullValue(), nil
	}
	t := rv.Type()
	// Types with a meaning of their own come first.
	switch t {
	case timeType:
		return structpb.NewStringValue(formatTime(rv.Interface().(time.Time))), nil
	case bigIntType:
		b := rv.Interface().(big.Int)
		return bigToValue(&b)
	case valueType:
		if rv.CanAddr() {
			return rv.Addr().Interface().(*structpb.Value), nil
		}
	}
	if n, ok := rv.Interface().(json.Number); ok {
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil {
			return nil, fmt.Errorf("jscore: json.Number %q: %w", string(n), err)
		}
		return structpb.NewNumberValue(f), nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		if rv.IsNil() {
			return structpb.NewNullValue(), nil
		}
		if v, ok := rv.Interface().(*structpb.Value); ok {
			return v, nil
		}
		if b, ok := rv.Interface().(*big.Int); ok {
			return bigToValue(b)
		}
		if marshaled, ok, err := viaMarshaler(rv); ok {
			return marshaled, err
		}
		return toValue(rv.Elem(), depth+1)
	case reflect.Interface:
		if rv.IsNil() {
			return structpb.NewNullValue(), nil
		}
		return toValue(rv.Elem(), depth)
	}
	if marshaled, ok, err := viaMarshaler(rv); ok {
		return marshaled, err
	}
	switch t.Kind() {
	case reflect.Bool:
		return structpb.NewBoolValue(rv.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n := rv.Int()
		if n > MaxSafeInteger || n < -MaxSafeInteger {
			return nil, fmt.Errorf("jscore: integer %d is outside ±2^53 and cannot be a JS number exactly; "+
				"pass it as a string and convert it in JS with BigInt(s)", n)
		}
		return structpb.NewNumberValue(float64(n)), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n := rv.Uint()
		if n > MaxSafeInteger {
			return nil, fmt.Errorf("jscore: integer %d is outside ±2^53 and cannot be a JS number exactly; "+
				"pass it as a string and convert it in JS with BigInt(s)", n)
		}
		return structpb.NewNumberValue(float64(n)), nil
	case reflect.Float32, reflect.Float64:
		return structpb.NewNumberValue(rv.Float()), nil
	case reflect.String:
		return structpb.NewStringValue(rv.String()), nil
	case reflect.Slice, reflect.Array:
		if t.Kind() == reflect.Slice && rv.IsNil() {
			return structpb.NewNullValue(), nil
		}
		values := make([]*structpb.Value, rv.Len())
		if t.Elem().Kind() == reflect.Uint8 { // []byte: a list of byte numbers
			for i := range values {
				values[i] = structpb.NewNumberValue(float64(rv.Index(i).Uint()))
			}
			return structpb.NewListValue(&structpb.ListValue{Values: values}), nil
		}
		for i := range values {
			v, err := toValue(rv.Index(i), depth+1)
			if err != nil {
				return nil, err
			}
			values[i] = v
		}
		return structpb.NewListValue(&structpb.ListValue{Values: values}), nil
	case reflect.Map:
		if rv.IsNil() {
			return structpb.NewNullValue(), nil
		}
		fields := make(map[string]*structpb.Value, rv.Len())
		iter := rv.MapRange()
		for iter.Next() {
			key, err := mapKeyString(iter.Key())
			if err != nil {
				return nil, err
			}
			v, err := toValue(iter.Value(), depth+1)
			if err != nil {
				return nil, err
			}
			fields[key] = v
		}
		return structpb.NewStructValue(&structpb.Struct{Fields: fields}), nil
	case reflect.Struct:
		fields := map[string]*structpb.Value{}
		for _, f := range structFields(t) {
			fv, ok := fieldByIndex(rv, f.index)
			if !ok || (f.omitEmpty && isEmptyValue(fv)) {
				continue
			}
			v, err := toValue(fv, depth+1)
			if err != nil {
				return nil, fmt.Errorf("%w (field %s)", err, f.name)
			}
			fields[f.name] = v
		}
		return structpb.NewStructValue(&structpb.Struct{Fields: fields}), nil
	}
	return nil, fmt.Errorf("jscore: cannot pass a %s to JavaScript", t)
}

// viaMarshaler converts values whose type says how it is written as JSON or text.
func viaMarshaler(rv reflect.Value) (*structpb.Value, bool, error) {
	t := rv.Type()
	if t.Implements(jsonMarshaler) {
		data, err := rv.Interface().(json.Marshaler).MarshalJSON()
		if err != nil {
			return nil, true, fmt.Errorf("jscore: %s.MarshalJSON: %w", t, err)
		}
		var plain any
		dec := json.NewDecoder(strings.NewReader(string(data)))
		dec.UseNumber()
		if err := dec.Decode(&plain); err != nil {
			return nil, true, fmt.Errorf("jscore: %s.MarshalJSON: %w", t, err)
		}
		v, err := toValue(reflect.ValueOf(plain), 0)
		return v, true, err
	}
	if t.Implements(textMarshaler) {
		text, err := rv.Interface().(encoding.TextMarshaler).MarshalText()
		if err != nil {
			return nil, true, fmt.Errorf("jscore: %s.MarshalText: %w", t, err)
		}
		return structpb.NewStringValue(string(text)), true, nil
	}
	return nil, false, nil
}

func bigToValue(b *big.Int) (*structpb.Value, error) {
	if !b.IsInt64() || b.Int64() > MaxSafeInteger || b.Int64() < -MaxSafeInteger {
		return nil, fmt.Errorf("jscore: integer %s is outside ±2^53 and cannot be a JS number exactly; "+
			"pass it as a string (b.String()) and convert it in JS with BigInt(s)", b)
	}
	return structpb.NewNumberValue(float64(b.Int64())), nil
}

func mapKeyString(k reflect.Value) (string, error) {
	if k.Kind() == reflect.String {
		return k.String(), nil
	}
	if tm, ok := k.Interface().(encoding.TextMarshaler); ok {
		text, err := tm.MarshalText()
		return string(text), err
	}
	switch k.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(k.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(k.Uint(), 10), nil
	}
	return "", fmt.Errorf("jscore: map keys must be strings or integers, not %s", k.Type())
}

// formatTime is JS's Date.prototype.toISOString form: UTC, milliseconds, "Z".
func formatTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
}

// --- Value -> Go ---------------------------------------------------------------------

// FromValue is the plain Go form of a google.protobuf.Value, as encoding/json gives
// for `any`: nil, bool, float64, string, []any and map[string]any.
func FromValue(v *structpb.Value) any {
	switch k := v.GetKind().(type) {
	case *structpb.Value_NumberValue:
		return k.NumberValue
	case *structpb.Value_StringValue:
		return k.StringValue
	case *structpb.Value_BoolValue:
		return k.BoolValue
	case *structpb.Value_StructValue:
		out := make(map[string]any, len(k.StructValue.GetFields()))
		for key, item := range k.StructValue.GetFields() {
			out[key] = FromValue(item)
		}
		return out
	case *structpb.Value_ListValue:
		items := k.ListValue.GetValues()
		out := make([]any, len(items))
		for i, item := range items {
			out[i] = FromValue(item)
		}
		return out
	}
	return nil // null, or unset
}

// DecodeValue is the Go value of a result: FromValue, then the JS types that the
// annotations name rebuilt in place:
//
//	BigInt              *big.Int
//	Date                time.Time in UTC (nil if the date was invalid)
//	ArrayBuffer, Uint8Array, DataView   []byte
//	NaN, ±Infinity      float64 (math.NaN(), math.Inf(±1))
//	undefined           nil
//	Map                 map[string]any (keys stringified by the daemon)
//	Set                 []any
//
// An annotation whose path or value does not fit is ignored: the plain JSON-like value
// is still the right answer then.
func DecodeValue(v *structpb.Value, annotations []*jscorev1.TypeAnnotation) any {
	value := FromValue(v)
	if len(annotations) == 0 {
		return value
	}
	return applyAnnotations(value, annotations)
}

func applyAnnotations(value any, annotations []*jscorev1.TypeAnnotation) any {
	// Deepest paths first: a Set of Dates first gets its times, then its list.
	type parsed struct {
		tokens []string
		kind   jscorev1.TypeAnnotation_Kind
	}
	list := make([]parsed, 0, len(annotations))
	for _, a := range annotations {
		if tokens, ok := parsePointer(a.GetPath()); ok {
			list = append(list, parsed{tokens, a.GetKind()})
		}
	}
	// A stable insertion sort by depth, deepest first (annotation lists are short).
	for i := 1; i < len(list); i++ {
		for j := i; j > 0 && len(list[j].tokens) > len(list[j-1].tokens); j-- {
			list[j], list[j-1] = list[j-1], list[j]
		}
	}
	root := []any{value}
	for _, a := range list {
		var container any = root
		key := "0"
		ok := true
		for _, token := range a.tokens {
			current := get(container, key)
			switch c := current.(type) {
			case []any:
				i, err := strconv.Atoi(token)
				if err != nil || i < 0 || i >= len(c) || token != strconv.Itoa(i) {
					ok = false
				}
			case map[string]any:
				if _, found := c[token]; !found {
					ok = false
				}
			default:
				ok = false
			}
			if !ok {
				break
			}
			container, key = current, token
		}
		if ok {
			set(container, key, rebuild(a.kind, get(container, key)))
		}
	}
	return root[0]
}

func get(container any, key string) any {
	switch c := container.(type) {
	case []any:
		i, _ := strconv.Atoi(key)
		return c[i]
	case map[string]any:
		return c[key]
	}
	return nil
}

func set(container any, key string, v any) {
	switch c := container.(type) {
	case []any:
		i, _ := strconv.Atoi(key)
		c[i] = v
	case map[string]any:
		c[key] = v
	}
}

func parsePointer(path string) ([]string, bool) {
	if path == "" {
		return nil, true
	}
	if !strings.HasPrefix(path, "/") {
		return nil, false
	}
	tokens := strings.Split(path[1:], "/")
	for i, t := range tokens {
		tokens[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
	}
	return tokens, true
}

func rebuild(kind jscorev1.TypeAnnotation_Kind, v any) any {
	switch kind {
	case jscorev1.TypeAnnotation_KIND_UNDEFINED:
		return nil
	case jscorev1.TypeAnnotation_KIND_BIGINT:
		if s, ok := v.(string); ok {
			if b, ok := new(big.Int).SetString(s, 10); ok {
				return b
			}
		}
	case jscorev1.TypeAnnotation_KIND_DATE:
		if s, ok := v.(string); ok {
			if t, ok := ParseDate(s); ok {
				return t
			}
		}
	case jscorev1.TypeAnnotation_KIND_BYTES:
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
	case jscorev1.TypeAnnotation_KIND_NAN:
		return math.NaN()
	case jscorev1.TypeAnnotation_KIND_INFINITY:
		if f, ok := v.(float64); ok && !math.IsInf(f, 0) {
			if f < 0 {
				return math.Inf(-1)
			}
			return math.Inf(1)
		}
	}
	return v // KIND_MAP is already a map, KIND_SET a list; unknown kinds stay as they are.
}

var dateRE = regexp.MustCompile(
	`^([+-]?\d{4,6})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)?$`)

// ParseDate parses the ISO-8601 form of a JS Date ("2024-01-02T03:04:05.678Z", and the
// extended years "+275760-09-13T00:00:00.000Z") into a time.Time in UTC.
func ParseDate(s string) (time.Time, bool) {
	m := dateRE.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	atoi := func(s string) int { n, _ := strconv.Atoi(strings.TrimPrefix(s, "+")); return n }
	nanos := 0
	if m[7] != "" {
		nanos = atoi((m[7] + "000000000")[:9])
	}
	t := time.Date(atoi(m[1]), time.Month(atoi(m[2])), atoi(m[3]),
		atoi(m[4]), atoi(m[5]), atoi(m[6]), nanos, time.UTC)
	if zone := m[8]; zone != "" && zone != "Z" {
		offset := time.Duration(atoi(zone[1:3]))*time.Hour + time.Duration(atoi(zone[4:6]))*time.Minute
		if zone[0] == '+' {
			t = t.Add(-offset)
		} else {
			t = t.Add(offset)
		}
	}
	return t, true
}
