package format

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// Coercion of parsed JSON to SQL values, as ksqlDB's KsqlJsonDeserializer does it:
//
//   - null is NULL for every type;
//   - BOOLEAN: true/false, or the strings "true"/"false" in any case;
//   - INT, BIGINT: any number, truncated toward zero and narrowed to the low 32/64 bits as
//     Java's intValue/longValue do (-1.7 is -1), or a string holding an integer;
//   - DOUBLE: any number (rounded to the nearest double), or a string as Double.parseDouble;
//   - DECIMAL: any number or numeric string, exactly, rescaled to the column's scale
//     HALF_UP; an absolute value of 10^(precision-scale) or more is an error;
//   - STRING: a string as is; a number or boolean as its text (a number with a fraction as
//     Java's BigDecimal.toString); an object as its compact JSON; an array as its elements'
//     texts in "[a, b]";
//   - BYTES: a base64 string;
//   - DATE (days), TIME (ms of the day, 0 to 86400000) and TIMESTAMP (epoch ms): a number
//     or a string holding an integer;
//   - ARRAY: an array; MAP: an object (keys are strings); STRUCT: an object whose members
//     are matched to the fields by exact name, else by upper-cased name; missing fields are
//     NULL, unknown members ignored.
//
// Anything else is an error naming the Jackson node type and the path, e.g. "Can't convert
// type. sourceType: TextNode, requiredType: ARRAY<INTEGER>, path: $.A".

// coercionError is a failed coercion at a path below the root ("$").
type coercionError struct {
	msg  string
	path string
}

func (e *coercionError) Error() string { return e.msg + ", path: $" + e.path }

// atPath prefixes the path of a coercion error with part (".NAME", "[3]").
func atPath(err error, part string) error {
	if ce, ok := err.(*coercionError); ok {
		return &coercionError{msg: ce.msg, path: part + ce.path}
	}
	return &coercionError{msg: err.Error(), path: part}
}

func invalidConversion(n *jnode, t *types.Type) error {
	return &coercionError{msg: "Can't convert type. sourceType: " + n.className() + ", requiredType: " + t.String()}
}

func failedStringCoercion(t *types.Type) error {
	return &coercionError{msg: "Can't coerce string to type. targetType: " + t.String()}
}

// coerceJSON converts n to a value of type t.
func coerceJSON(n *jnode, t *types.Type) (any, error) {
	if n.kind == jNull || t.Kind == types.KNull {
		return nil, nil
	}
	switch t.Kind {
	case types.KBoolean:
		switch n.kind {
		case jTrue:
			return true, nil
		case jFalse:
			return false, nil
		case jString:
			switch {
			case strings.EqualFold(n.text, "true"):
				return true, nil
			case strings.EqualFold(n.text, "false"):
				return false, nil
			}
			return nil, failedStringCoercion(t)
		}
	case types.KInt, types.KBigint, types.KDate, types.KTime, types.KTimestamp:
		return coerceIntegral(n, t)
	case types.KDouble:
		switch n.kind {
		case jNumber:
			f, err := strconv.ParseFloat(n.text, 64)
			if err != nil {
				if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
					return nil, &coercionError{msg: "Invalid numeric value: " + n.text}
				}
			}
			return f, nil
		case jString:
			if f, ok := parseJavaDouble(n.text); ok {
				return f, nil
			}
			return nil, failedStringCoercion(t)
		}
	case types.KDecimal:
		if n.kind == jNumber || n.kind == jString {
			d, ok := parseJavaDecimal(n.text)
			if !ok {
				if n.kind == jString {
					return nil, failedStringCoercion(t)
				}
				return nil, &coercionError{msg: "Invalid numeric value: " + n.text}
			}
			d, err := fitDecimal(d, t.Precision, t.Scale)
			if err != nil {
				return nil, &coercionError{msg: err.Error()}
			}
			return d, nil
		}
	case types.KString:
		return processString(n), nil
	case types.KBytes:
		if n.kind == jString {
			b, err := base64.StdEncoding.DecodeString(n.text)
			if err != nil {
				return nil, &coercionError{msg: "Value is not a valid Base64 encoded string: " + n.text}
			}
			return b, nil
		}
	case types.KArray:
		if n.kind == jArray {
			arr := make([]any, len(n.vals))
			for i := range n.vals {
				v, err := coerceJSON(&n.vals[i], t.Elem)
				if err != nil {
					return nil, atPath(err, "["+strconv.Itoa(i)+"]")
				}
				arr[i] = v
			}
			return arr, nil
		}
	case types.KMap:
		if n.kind == jObject {
			m := make(map[any]any, len(n.keys))
			for i, key := range n.keys {
				key = strings.Clone(key) // member names share the input's memory
				k, err := coerceJSON(&jnode{kind: jString, text: key}, t.Key)
				if err != nil {
					return nil, atPath(err, "."+key+".key")
				}
				if k == nil || !hashable(k) {
					return nil, &coercionError{msg: "Invalid map key for " + t.String(), path: "." + key + ".key"}
				}
				v, err := coerceJSON(&n.vals[i], t.Elem)
				if err != nil {
					return nil, atPath(err, "."+key+".value")
				}
				m[k] = v
			}
			return m, nil
		}
	case types.KStruct:
		if n.kind == jObject {
			vals, err := coerceFields(n, t.Fields, nil)
			if err != nil {
				return nil, err
			}
			return &types.Struct{Type: t, Values: vals}, nil
		}
	}
	return nil, invalidConversion(n, t)
}

// hashable says whether a coerced map key can key a Go map.
func hashable(k any) bool {
	switch k.(type) {
	case []byte, []any, map[any]any:
		return false
	}
	return true
}

// coerceIntegral converts n to INT, BIGINT, DATE, TIME or TIMESTAMP.
func coerceIntegral(n *jnode, t *types.Type) (any, error) {
	var v int64
	switch n.kind {
	case jNumber:
		var ok bool
		if v, ok = numberLow64(n); !ok {
			return nil, &coercionError{msg: "Invalid numeric value: " + n.text}
		}
	case jString:
		bits := 64
		if t.Kind == types.KInt {
			bits = 32
		}
		var ok bool
		if v, ok = parseJavaInt(n.text, bits); !ok {
			return nil, failedStringCoercion(t)
		}
	default:
		return nil, invalidConversion(n, t)
	}
	switch t.Kind {
	case types.KInt:
		return int32(v), nil
	case types.KDate:
		return types.Date(int32(v)), nil
	case types.KTime:
		if v < 0 || v > 86400000 {
			return nil, &coercionError{msg: "Time values must use number of milliseconds greater than 0 and less than 86400000."}
		}
		return types.Time(v), nil
	case types.KTimestamp:
		return types.Timestamp(v), nil
	}
	return v, nil
}

// numberLow64 returns the integer part of a number literal in its low 64 bits, as
// Jackson's asLong (and, narrowed, intValue) do.
func numberLow64(n *jnode) (int64, bool) {
	if !n.frac {
		if v, err := strconv.ParseInt(n.text, 10, 64); err == nil {
			return v, true
		}
	}
	d, ok := parseJavaDecimal(n.text)
	if !ok {
		return 0, false
	}
	return truncLow64(d), true
}

// coerceFields matches the members of object n to fields (exact name, else upper-cased
// name; the last of duplicate members wins) and coerces them. use, when not nil, says per
// field whether to coerce it (fieldDecoded), only check that it coerces (fieldChecked,
// leaving it NULL) or leave it NULL (fieldIgnored).
func coerceFields(n *jnode, fields []types.Field, use []fieldUse) ([]any, error) {
	vals := make([]any, len(fields))
	idx := objIndex{n: n}
	for i, f := range fields {
		if use != nil && use[i] == fieldIgnored {
			continue
		}
		j := idx.find(f.Name)
		if j < 0 {
			continue
		}
		if use != nil && use[i] == fieldChecked {
			if err := checkJSON(&n.vals[j], f.Type); err != nil {
				return nil, atPath(err, "."+f.Name)
			}
			continue
		}
		v, err := coerceJSON(&n.vals[j], f.Type)
		if err != nil {
			return nil, atPath(err, "."+f.Name)
		}
		vals[i] = v
	}
	return vals, nil
}

// objIndex finds object members by field name, as ksqlDB does: the member with exactly
// the name, else the member whose upper-cased name equals it.
type objIndex struct {
	n     *jnode
	exact map[string]int // for wide objects
	upMap map[string]int
}

// wideObject is the member count from which lookups go through maps.
const wideObject = 16

func (x *objIndex) find(name string) int {
	keys := x.n.keys
	if len(keys) >= wideObject {
		if x.exact == nil {
			x.exact = make(map[string]int, len(keys))
			for i, k := range keys {
				x.exact[k] = i
			}
		}
		if i, ok := x.exact[name]; ok {
			return i
		}
		if x.upMap == nil {
			x.upMap = make(map[string]int, len(keys))
			for i, k := range keys {
				x.upMap[strings.ToUpper(k)] = i
			}
		}
		if i, ok := x.upMap[name]; ok {
			return i
		}
		return -1
	}
	for i := len(keys) - 1; i >= 0; i-- {
		if keys[i] == name {
			return i
		}
	}
	for i := len(keys) - 1; i >= 0; i-- {
		if upperEquals(keys[i], name) {
			return i
		}
	}
	return -1
}

// upperEquals says whether strings.ToUpper(key) == name, without allocating for ASCII keys.
func upperEquals(key, name string) bool {
	if len(key) != len(name) {
		for i := range len(key) {
			if key[i] >= utf8.RuneSelf {
				return strings.ToUpper(key) == name // upper-casing may change the length
			}
		}
		return false
	}
	for i := range len(key) {
		c := key[i]
		if c >= utf8.RuneSelf {
			return strings.ToUpper(key) == name
		}
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != name[i] {
			return false
		}
	}
	return true
}

// processString renders n for a STRING column as ksqlDB does.
func processString(n *jnode) string {
	switch n.kind {
	case jString:
		return n.text
	case jObject:
		return string(appendJackson(nil, n))
	case jArray:
		var sb strings.Builder
		sb.WriteByte('[')
		for i := range n.vals {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString(processString(&n.vals[i]))
		}
		sb.WriteByte(']')
		return sb.String()
	case jTrue:
		return "true"
	case jFalse:
		return "false"
	case jNumber:
		return numberText(n)
	}
	return "null"
}

// numberText renders a number literal as Jackson's asText: integers canonically, numbers
// with a fraction or exponent as BigDecimal.toString.
func numberText(n *jnode) string {
	if !n.frac {
		if n.text == "-0" {
			return "0"
		}
		return n.text
	}
	if d, ok := parseJavaDecimal(n.text); ok {
		return javaDecimalString(d)
	}
	return n.text
}

// appendJackson appends n as Jackson re-serializes a parsed tree: compact, duplicate
// object members collapsed (first position, last value), numbers as numberText.
func appendJackson(dst []byte, n *jnode) []byte {
	switch n.kind {
	case jNull:
		return append(dst, "null"...)
	case jTrue:
		return append(dst, "true"...)
	case jFalse:
		return append(dst, "false"...)
	case jNumber:
		return append(dst, numberText(n)...)
	case jString:
		return appendJSONString(dst, n.text)
	case jArray:
		dst = append(dst, '[')
		for i := range n.vals {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJackson(dst, &n.vals[i])
		}
		return append(dst, ']')
	}
	dst = append(dst, '{')
	last := lastOccurrence(n.keys)
	first := true
	for _, k := range n.keys {
		j := last(k)
		if j < 0 {
			continue // a later duplicate, already written
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = append(appendJSONString(dst, k), ':')
		dst = appendJackson(dst, &n.vals[j])
	}
	return append(dst, '}')
}

// lastOccurrence returns a function that, called for the keys in order, returns the index
// of the last member with that key on the key's first occurrence and -1 afterwards.
func lastOccurrence(keys []string) func(string) int {
	lastIdx := make(map[string]int, len(keys))
	for i, k := range keys {
		lastIdx[k] = i
	}
	return func(k string) int {
		j, ok := lastIdx[k]
		if !ok {
			return -1
		}
		delete(lastIdx, k)
		return j
	}
}

// rootError prefixes a JSON decoding error with the direction and format.
func rootError(err error) error {
	return fmt.Errorf("deserialize JSON: %w", err)
}
