package functions

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// ksqlDB's ARRAY and MAP scalar functions.

// collMaxSeries bounds GENERATE_SERIES, which would otherwise exhaust memory on a wide
// range.
const collMaxSeries = 10_000_000

// collKey returns a hashable key standing for v under collEqual, or ok=false for values
// that have none (arrays, maps, structs).
func collKey(v any) (any, bool) {
	switch x := v.(type) {
	case nil, bool, int32, int64, string, types.Date, types.Time, types.Timestamp:
		return x, true
	case float64:
		if math.IsNaN(x) {
			return collNaN{}, true
		}
		return x, true
	case types.Decimal:
		return collDecKey(x), true
	case []byte:
		return collBytes(string(x)), true
	}
	return nil, false
}

type (
	collNaN   struct{}
	collBytes string
	collDec   string
)

// collDecKey is a decimal's value without trailing zeros ("1.50" and "1.5" are equal).
func collDecKey(d types.Decimal) collDec {
	s := d.String()
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return collDec(s)
}

// collEqual is element equality of the collection functions (Java's equals: NaN equals
// NaN; collections compared deeply).
func collEqual(a, b any) bool {
	if x, ok := a.(float64); ok {
		if y, ok := b.(float64); ok && math.IsNaN(x) && math.IsNaN(y) {
			return true
		}
	}
	return types.Equal(a, b)
}

// collSet is a set of SQL values under collEqual.
type collSet struct {
	keys  map[any]struct{}
	other []any
}

func (s *collSet) has(v any) bool {
	if k, ok := collKey(v); ok {
		_, found := s.keys[k]
		return found
	}
	for _, o := range s.other {
		if collEqual(o, v) {
			return true
		}
	}
	return false
}

// add inserts v and says whether it was new.
func (s *collSet) add(v any) bool {
	if s.has(v) {
		return false
	}
	if k, ok := collKey(v); ok {
		if s.keys == nil {
			s.keys = map[any]struct{}{}
		}
		s.keys[k] = struct{}{}
	} else {
		s.other = append(s.other, v)
	}
	return true
}

func collSetOf(vals []any) *collSet {
	s := &collSet{}
	for _, v := range vals {
		s.add(v)
	}
	return s
}

// collCompare orders two non-nil values as Java's compareTo does (strings by UTF-16 code
// units, NaN above every double).
func collCompare(a, b any) (int, error) {
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			return collCompareUTF16(x, y), nil
		}
	case float64:
		if y, ok := b.(float64); ok {
			switch {
			case math.IsNaN(x) && math.IsNaN(y):
				return 0, nil
			case math.IsNaN(x):
				return 1, nil
			case math.IsNaN(y):
				return -1, nil
			}
		}
	}
	c, ok := types.Compare(a, b)
	if !ok {
		return 0, fmt.Errorf("cannot compare values of type %s", collTypeName(a))
	}
	return c, nil
}

// collTypeName names the SQL type of a value for error messages.
func collTypeName(v any) string {
	switch v.(type) {
	case nil:
		return "NULL"
	case bool, int32, int64, float64, types.Decimal, string, []byte, types.Date, types.Time, types.Timestamp, []any, map[any]any, *types.Struct:
		if s, ok := v.(*types.Struct); ok && s.Type == nil {
			return "STRUCT"
		}
		return types.TypeOfValue(v).SQL()
	}
	return fmt.Sprintf("%T", v)
}

// collCompareUTF16 compares strings as Java's String.compareTo (UTF-16 code units).
func collCompareUTF16(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			ua, ub := collFirstUnit(ra), collFirstUnit(rb)
			if ua != ub {
				return collCmpInt(int(ua), int(ub))
			}
			return collCmpInt(int(ra), int(rb))
		}
		a, b = a[na:], b[nb:]
	}
	return collCmpInt(len(a), len(b))
}

func collFirstUnit(r rune) rune {
	if r >= 0x10000 {
		return 0xD800 + (r-0x10000)>>10
	}
	return r
}

func collCmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// collSortedKeys returns a map's keys in ascending order (maps have no order in Go; this
// keeps the functions deterministic).
func collSortedKeys(m map[any]any) []any {
	keys := make([]any, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.SliceStable(keys, func(i, j int) bool {
		switch {
		case keys[i] == nil:
			return false
		case keys[j] == nil:
			return true
		}
		c, err := collCompare(keys[i], keys[j])
		return err == nil && c < 0
	})
	return keys
}

// collJavaString is Java's toString of a primitive element, for ARRAY_JOIN.
func collJavaString(v any) (string, bool) {
	switch x := v.(type) {
	case types.Decimal:
		return collBigDecimalString(x), true
	case nil, bool, int32, int64, float64, string:
		return types.PrimitiveText(x)
	}
	return "", false
}

// collBigDecimalString is BigDecimal.toString: plain unless the scale is negative or the
// adjusted exponent is below -6, then scientific ("1.23E+5").
func collBigDecimalString(d types.Decimal) string {
	plain := d.String()
	digits := "0"
	if d.Unscaled != nil {
		digits = d.Unscaled.String()
	}
	neg := strings.HasPrefix(digits, "-")
	digits = strings.TrimPrefix(digits, "-")
	adjusted := len(digits) - 1 - d.Scale
	if d.Scale >= 0 && adjusted >= -6 {
		return plain
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	b.WriteString(digits[:1])
	if len(digits) > 1 {
		b.WriteByte('.')
		b.WriteString(digits[1:])
	}
	b.WriteByte('E')
	if adjusted >= 0 {
		b.WriteByte('+')
	}
	b.WriteString(strconv.Itoa(adjusted))
	return b.String()
}

// collElem returns the element type of an ARRAY argument, or nil (NULL argument).
func collElem(a Arg) *types.Type {
	if a.Type != nil && a.Type.Kind == types.KArray {
		return a.Type.Elem
	}
	return nil
}

func init() {
	arr := func(v any) []any { s, _ := v.([]any); return s }

	mathRegister("ARRAY_CONTAINS", collArrayCat, "Returns true if the array is non-null and contains the supplied value.",
		Overload{Params: []string{"ARRAY<T>", "T"}, Names: []string{"array", "val"}, Returns: "BOOLEAN", Impl: func(a []any) (any, error) {
			for _, e := range arr(a[0]) {
				if collEqual(e, a[1]) {
					return true, nil
				}
			}
			return false, nil
		}})
	mathRegister("ARRAY_DISTINCT", collArrayCat, "Returns an array of all the distinct values, including NULL if present, from the input array. The output array elements will be in order of their first occurrence in the input. Returns NULL if the input array is NULL.",
		Overload{Params: []string{"ARRAY<T>"}, Names: []string{"array"}, Returns: "ARRAY<T>", NullOnNull: true, Impl: func(a []any) (any, error) {
			s := &collSet{}
			out := []any{}
			for _, e := range arr(a[0]) {
				if s.add(e) {
					out = append(out, e)
				}
			}
			return out, nil
		}})
	mathRegister("ARRAY_EXCEPT", collArrayCat, "Returns an array of all the distinct elements from an array, except for those also present in a second array. The order of entries in the first array is preserved but duplicates are removed. Returns NULL if either input is NULL.",
		Overload{Params: []string{"ARRAY<T>", "ARRAY<T>"}, Names: []string{"left", "right"}, Returns: "ARRAY<T>", NullOnNull: true, Impl: func(a []any) (any, error) {
			except := collSetOf(arr(a[1]))
			seen := &collSet{}
			out := []any{}
			for _, e := range arr(a[0]) {
				if !except.has(e) && seen.add(e) {
					out = append(out, e)
				}
			}
			return out, nil
		}})
	mathRegister("ARRAY_INTERSECT", collArrayCat, "Returns an array of all the distinct elements from the intersection of both input arrays. The order of entries in the output is the same as in the first input array. Returns NULL if either input is NULL.",
		Overload{Params: []string{"ARRAY<T>", "ARRAY<T>"}, Names: []string{"left", "right"}, Returns: "ARRAY<T>", NullOnNull: true, Impl: func(a []any) (any, error) {
			other := collSetOf(arr(a[1]))
			seen := &collSet{}
			out := []any{}
			for _, e := range arr(a[0]) {
				if other.has(e) && seen.add(e) {
					out = append(out, e)
				}
			}
			return out, nil
		}})
	mathRegister("ARRAY_UNION", collArrayCat, "Returns an array of all the distinct elements from both input arrays, in the order they're encountered. Returns NULL if either input is NULL.",
		Overload{Params: []string{"ARRAY<T>", "ARRAY<T>"}, Names: []string{"left", "right"}, Returns: "ARRAY<T>", NullOnNull: true, Impl: func(a []any) (any, error) {
			seen := &collSet{}
			out := []any{}
			for _, e := range append(append([]any{}, arr(a[0])...), arr(a[1])...) {
				if seen.add(e) {
					out = append(out, e)
				}
			}
			return out, nil
		}})
	mathRegister("ARRAY_CONCAT", collArrayCat, "Returns an array representing the concatenation of both input arrays. Returns NULL if both input arrays are NULL; a NULL array is treated as empty otherwise.",
		Overload{Params: []string{"ARRAY<T>", "ARRAY<T>"}, Names: []string{"left", "right"}, Returns: "ARRAY<T>", Impl: func(a []any) (any, error) {
			if a[0] == nil && a[1] == nil {
				return nil, nil
			}
			out := make([]any, 0, len(arr(a[0]))+len(arr(a[1])))
			return append(append(out, arr(a[0])...), arr(a[1])...), nil
		}})

	join := func(a []any) (any, error) {
		if a[0] == nil {
			return nil, nil
		}
		delim := ","
		if len(a) > 1 {
			delim, _ = a[1].(string) // a NULL delimiter joins with nothing
		}
		var b strings.Builder
		for i, e := range arr(a[0]) {
			s, ok := collJavaString(e)
			if !ok {
				return nil, fmt.Errorf("error: array_join function only supports arrays of primitive types, found: %s", collTypeName(e))
			}
			if i > 0 {
				b.WriteString(delim)
			}
			b.WriteString(s)
		}
		return b.String(), nil
	}
	mathRegister("ARRAY_JOIN", collArrayCat, "Creates a flat string representation of all the primitive elements contained in the given array, separated by the delimiter (default ',').",
		Overload{Params: []string{"ARRAY<T>"}, Names: []string{"array"}, Returns: "STRING", Impl: join},
		Overload{Params: []string{"ARRAY<T>", "STRING"}, Names: []string{"array", "delimiter"}, Returns: "STRING", Impl: join},
	)
	mathRegister("ARRAY_LENGTH", collArrayCat, "Returns the length of an array. Returns NULL if the array is NULL.",
		Overload{Params: []string{"ARRAY<T>"}, Names: []string{"array"}, Returns: "INT", NullOnNull: true, Impl: func(a []any) (any, error) {
			return int32(len(arr(a[0]))), nil
		}})

	extreme := func(sign int) Impl {
		return func(a []any) (any, error) {
			var best any
			for _, e := range arr(a[0]) {
				if e == nil {
					continue
				}
				if best == nil {
					best = e
					continue
				}
				c, err := collCompare(e, best)
				if err != nil {
					return nil, err
				}
				if c*sign > 0 {
					best = e
				}
			}
			return best, nil
		}
	}
	mathRegister("ARRAY_MAX", collArrayCat, "Returns the maximum value from within a given array of primitive elements (not arrays of other arrays, or maps, or structs, or combinations thereof). Array entries are compared according to their natural sort order, which sorts the various data-types per the following examples: - array_max[-1, 2, NULL, 0] -> 2 - array_max[false, NULL, true] -> true - array_max['Foo', 'Bar', NULL, 'baz'] -> 'baz' (lower-case characters are 'greater' than upper-case characters) If the array field is NULL, or contains only NULLs, then NULL is returned.",
		Overload{Params: []string{"ARRAY<T>"}, Names: []string{"array"}, Returns: "T", NullOnNull: true, Impl: extreme(1)})
	mathRegister("ARRAY_MIN", collArrayCat, "Returns the minimum value from within a given array of primitive elements (not arrays of other arrays, or maps, or structs, or combinations thereof). Array entries are compared according to their natural sort order. If the array field is NULL, or contains only NULLs, then NULL is returned.",
		Overload{Params: []string{"ARRAY<T>"}, Names: []string{"array"}, Returns: "T", NullOnNull: true, Impl: extreme(-1)})

	sortImpl := func(a []any) (any, error) {
		desc := false
		if len(a) > 1 {
			switch strings.ToUpper(a[1].(string)) {
			case "ASC", "ASCENDING":
			case "DESC", "DESCENDING":
				desc = true
			default:
				return nil, nil
			}
		}
		out := append([]any{}, arr(a[0])...)
		var err error
		sort.SliceStable(out, func(i, j int) bool {
			x, y := out[i], out[j]
			switch {
			case x == nil:
				return false
			case y == nil:
				return true
			}
			c, e := collCompare(x, y)
			if e != nil {
				err = e
			}
			if desc {
				return c > 0
			}
			return c < 0
		})
		if err != nil {
			return nil, err
		}
		return out, nil
	}
	mathRegister("ARRAY_SORT", collArrayCat, "Sorts an array of primitive values, according to their natural sort order. Any NULLs in the array will be placed at the end. The optional second argument, 'ASC' (default) or 'DESC', gives the direction; any other value returns NULL.",
		Overload{Params: []string{"ARRAY<T>"}, Names: []string{"array"}, Returns: "ARRAY<T>", NullOnNull: true, Impl: sortImpl},
		Overload{Params: []string{"ARRAY<T>", "STRING"}, Names: []string{"array", "direction"}, Returns: "ARRAY<T>", NullOnNull: true, Impl: sortImpl},
	)
	mathRegister("ARRAY_REMOVE", collArrayCat, "Removes all elements from the input array equal to the second argument (NULL removes NULLs). Returns NULL if the array is NULL.",
		Overload{Params: []string{"ARRAY<T>", "T"}, Names: []string{"array", "victim"}, Returns: "ARRAY<T>", Impl: func(a []any) (any, error) {
			if a[0] == nil {
				return nil, nil
			}
			out := []any{}
			for _, e := range arr(a[0]) {
				if !collEqual(e, a[1]) {
					out = append(out, e)
				}
			}
			return out, nil
		}})
	mathRegister("SLICE", collArrayCat, "Slices a list based on the supplied indices. The indices start at 1 and include both endpoints; a NULL index means the start or end of the list. Returns NULL if the indices are out of range.",
		Overload{Params: []string{"ARRAY<T>", "INT", "INT"}, Names: []string{"list", "from", "to"}, Returns: "ARRAY<T>", Impl: func(a []any) (any, error) {
			if a[0] == nil {
				return nil, nil
			}
			in := arr(a[0])
			start, end := 0, len(in)
			if a[1] != nil {
				start = int(a[1].(int32)) - 1
			}
			if a[2] != nil {
				end = int(a[2].(int32))
			}
			if start < 0 || end > len(in) || start > end {
				return nil, nil
			}
			return append([]any{}, in[start:end]...), nil
		}})

	series := func(a []any) (any, error) {
		for _, v := range a {
			if v == nil {
				return nil, nil
			}
		}
		toI := func(v any) int64 {
			if x, ok := v.(int32); ok {
				return int64(x)
			}
			return v.(int64)
		}
		_, isInt := a[0].(int32)
		start, end := toI(a[0]), toI(a[1])
		var step int64 = 1
		if end < start {
			step = -1
		}
		if len(a) > 2 {
			step = toI(a[2])
		}
		if step == 0 {
			return nil, fmt.Errorf("GENERATE_SERIES step cannot be zero")
		}
		if end > start && step < 0 || end < start && step > 0 {
			return nil, fmt.Errorf("GENERATE_SERIES has a step in the wrong direction")
		}
		// size = 1 + (end-start)/step without overflowing
		span := uint64(end - start)
		if end < start {
			span = uint64(start - end)
		}
		ustep := uint64(step)
		if step < 0 {
			ustep = uint64(-step)
		}
		if step == math.MinInt64 {
			ustep = 1 << 63
		}
		n := span/ustep + 1
		if n > collMaxSeries {
			return nil, fmt.Errorf("GENERATE_SERIES would produce %d elements, more than the limit of %d", n, collMaxSeries)
		}
		out := make([]any, n)
		v := start
		for i := range out {
			if isInt {
				out[i] = int32(v)
			} else {
				out[i] = v
			}
			v += step
		}
		return out, nil
	}
	mathRegister("GENERATE_SERIES", collArrayCat, "Constructs an array of values between start and end (inclusive). An optional step gives the difference between consecutive values (default 1, or -1 when end is less than start).",
		Overload{Params: []string{"INT", "INT"}, Names: []string{"start", "end"}, Returns: "ARRAY<INT>", Impl: series},
		Overload{Params: []string{"INT", "INT", "INT"}, Names: []string{"start", "end", "step"}, Returns: "ARRAY<INT>", Impl: series},
		Overload{Params: []string{"BIGINT", "BIGINT"}, Names: []string{"start", "end"}, Returns: "ARRAY<BIGINT>", Impl: series},
		Overload{Params: []string{"BIGINT", "BIGINT", "BIGINT"}, Names: []string{"start", "end", "step"}, Returns: "ARRAY<BIGINT>", Impl: series},
	)

	// maps
	mp := func(v any) map[any]any { m, _ := v.(map[any]any); return m }
	mathRegister("MAP_KEYS", collMapCat, "Returns an array that contains all of the keys from the specified map (in ascending order). Returns NULL if the input map is NULL.",
		Overload{Params: []string{"MAP<K, V>"}, Names: []string{"map"}, Returns: "ARRAY<K>", NullOnNull: true, Impl: func(a []any) (any, error) {
			keys := collSortedKeys(mp(a[0]))
			if keys == nil {
				keys = []any{}
			}
			return keys, nil
		}})
	mathRegister("MAP_VALUES", collMapCat, "Returns an array that contains all of the values from the specified map (in the order of their keys). Returns NULL if the input map is NULL.",
		Overload{Params: []string{"MAP<K, V>"}, Names: []string{"map"}, Returns: "ARRAY<V>", NullOnNull: true, Impl: func(a []any) (any, error) {
			m := mp(a[0])
			out := make([]any, 0, len(m))
			for _, k := range collSortedKeys(m) {
				out = append(out, m[k])
			}
			return out, nil
		}})
	mathRegister("MAP_UNION", collMapCat, "Returns a new map containing the union of all entries from both input maps. If a key is present in both input maps, the corresponding value from input2 is returned. A NULL map is ignored; returns NULL if both are NULL.",
		Overload{Params: []string{"MAP<K, V>", "MAP<K, V>"}, Names: []string{"map1", "map2"}, Returns: "MAP<K, V>", Impl: func(a []any) (any, error) {
			if a[0] == nil && a[1] == nil {
				return nil, nil
			}
			out := make(map[any]any, len(mp(a[0]))+len(mp(a[1])))
			for _, m := range []map[any]any{mp(a[0]), mp(a[1])} {
				for k, v := range m {
					out[k] = v
				}
			}
			return out, nil
		}})
	mathRegister("AS_MAP", collMapCat, "Construct a map from a list of keys and a list of values. A key without a value (the values list is shorter) maps to NULL; NULL keys are skipped.",
		Overload{Params: []string{"ARRAY<STRING>", "ARRAY<V>"}, Names: []string{"keys", "values"}, Returns: "MAP<STRING, V>", NullOnNull: true, Impl: func(a []any) (any, error) {
			keys, vals := arr(a[0]), arr(a[1])
			out := make(map[any]any, len(keys))
			for i, k := range keys {
				if k == nil {
					continue
				}
				var v any
				if i < len(vals) {
					v = vals[i]
				}
				out[k] = v
			}
			return out, nil
		}})
	entries := func(args []Arg, ret *types.Type) (Impl, error) {
		st := ret.Elem
		return func(a []any) (any, error) {
			if a[0] == nil {
				return nil, nil
			}
			m := mp(a[0])
			keys := collSortedKeys(m) // sorted or not: Go maps have no order of their own
			out := make([]any, len(keys))
			for i, k := range keys {
				out[i] = &types.Struct{Type: st, Values: []any{k, m[k]}}
			}
			return out, nil
		}, nil
	}
	mathRegister("ENTRIES", collMapCat, "Constructs an array of structs from the entries in a map. Each struct has a field named K containing the key, which is a string, and a field named V, which holds the value. If the second argument is true, the entries are sorted by key (they always are in ksqlgo).",
		Overload{Params: []string{"MAP<STRING, V>", "BOOLEAN"}, Names: []string{"map", "sorted"}, Make: entries,
			ReturnFn: func(args []Arg, gen map[string]*types.Type) (*types.Type, error) {
				v := gen["V"]
				if v == nil {
					v = types.STRING
				}
				return types.ArrayOf(types.StructOf(types.Field{Name: "K", Type: types.STRING}, types.Field{Name: "V", Type: v})), nil
			}},
	)
}
