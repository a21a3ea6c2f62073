// Struct fields by their json tags, as encoding/json names them.

package jscore

import (
	"reflect"
	"strings"
	"sync"
)

type field struct {
	name      string
	index     []int
	omitEmpty bool
}

var fieldCache sync.Map // reflect.Type -> []field

// structFields lists the fields encoding/json would write for t: exported fields under
// their json tag name (or Go name), "-" skipped, the fields of untagged embedded
// structs promoted (a shallower field wins a name clash, as in encoding/json; two at
// the same depth both lose). Embedded structs of unexported types are skipped.
func structFields(t reflect.Type) []field {
	if cached, ok := fieldCache.Load(t); ok {
		return cached.([]field)
	}
	type candidate struct {
		field
		depth  int
		tagged bool
	}
	var all []candidate
	var walk func(t reflect.Type, index []int, depth int, seen map[reflect.Type]bool)
	walk = func(t reflect.Type, index []int, depth int, seen map[reflect.Type]bool) {
		if seen[t] {
			return
		}
		seen[t] = true
		defer delete(seen, t)
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			tag := sf.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			idx := append(append([]int(nil), index...), i)
			ft := sf.Type
			if sf.Anonymous && name == "" {
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if ft.Kind() == reflect.Struct && ft != timeType && ft != bigIntType {
					if sf.IsExported() || ft.Name() == "" || isExportedName(ft.Name()) {
						walk(ft, idx, depth+1, seen)
					}
					continue
				}
			}
			if !sf.IsExported() {
				continue
			}
			tagged := name != ""
			if !tagged {
				name = sf.Name
			}
			all = append(all, candidate{
				field:  field{name: name, index: idx, omitEmpty: strings.Contains(","+opts+",", ",omitempty,")},
				depth:  depth,
				tagged: tagged,
			})
		}
	}
	walk(t, nil, 0, map[reflect.Type]bool{})

	// Resolve name clashes: the shallowest wins; at equal depth a tagged field wins;
	// otherwise the name is dropped.
	byName := map[string][]candidate{}
	var order []string
	for _, c := range all {
		if _, ok := byName[c.name]; !ok {
			order = append(order, c.name)
		}
		byName[c.name] = append(byName[c.name], c)
	}
	var fields []field
	for _, name := range order {
		cs := byName[name]
		best := cs[0]
		clash := false
		for _, c := range cs[1:] {
			switch {
			case c.depth < best.depth || (c.depth == best.depth && c.tagged && !best.tagged):
				best, clash = c, false
			case c.depth == best.depth && c.tagged == best.tagged:
				clash = true
			}
		}
		if !clash {
			fields = append(fields, best.field)
		}
	}
	fieldCache.Store(t, fields)
	return fields
}

func isExportedName(name string) bool {
	return name != "" && strings.ToUpper(name[:1]) == name[:1]
}

// fieldByIndex is reflect.Value.FieldByIndex that reports a nil embedded pointer
// instead of panicking.
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

// fieldForSet is fieldByIndex for writing: it allocates nil embedded pointers.
func fieldForSet(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				if !v.CanSet() {
					return reflect.Value{}, false
				}
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return false
}
