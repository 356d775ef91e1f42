package format

import (
	"encoding/base64"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// JSON output as ksqlDB's serializer (Kafka Connect's JsonConverter on Jackson) writes
// it: compact; DOUBLE as Java's Double.toString (2.0, 1.0E20) and NaN/Infinity as
// strings; DECIMAL as a number with exactly the column's scale; BYTES base64; DATE as
// days, TIME as ms of the day and TIMESTAMP as epoch ms; STRUCT as an object of all its
// fields (nulls included); MAP as an object (keys sorted, for deterministic output).

const hexDigits = "0123456789ABCDEF"

// appendJSONString appends s as a JSON string escaped as Jackson does: quote, backslash
// and control characters only (\b \t \n \f \r, else \u00XX); invalid UTF-8 becomes U+FFFD.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				dst = append(dst, s[start:i]...)
				dst = append(dst, "\uFFFD"...)
				i++
				start = i
				continue
			}
			i += size
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\r':
			dst = append(dst, '\\', 'r')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendJSONDouble appends f as Jackson writes a double.
func appendJSONDouble(dst []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(append(append(dst, '"'), types.FormatDouble(f)...), '"')
	}
	return append(dst, types.FormatDouble(f)...)
}

// appendJSONValue appends v, a value of type t, as JSON.
func appendJSONValue(dst []byte, v any, t *types.Type) ([]byte, error) {
	if v == nil {
		return append(dst, "null"...), nil
	}
	switch t.Kind {
	case types.KDouble:
		if f, ok := asFloat(v); ok {
			return appendJSONDouble(dst, f), nil
		}
	case types.KString:
		if s, ok := v.(string); ok {
			return appendJSONString(dst, s), nil
		}
	case types.KBytes:
		if b, ok := v.([]byte); ok {
			dst = append(dst, '"')
			dst = base64.StdEncoding.AppendEncode(dst, b)
			return append(dst, '"'), nil
		}
	case types.KArray:
		if a, ok := v.([]any); ok {
			dst = append(dst, '[')
			for i, e := range a {
				if i > 0 {
					dst = append(dst, ',')
				}
				var err error
				if dst, err = appendJSONValue(dst, e, t.Elem); err != nil {
					return nil, err
				}
			}
			return append(dst, ']'), nil
		}
	case types.KMap:
		if m, ok := v.(map[any]any); ok {
			return appendJSONMap(dst, m, t)
		}
	case types.KStruct:
		if s, ok := v.(*types.Struct); ok {
			if len(s.Values) != len(t.Fields) {
				return nil, fmt.Errorf("serialize: struct with %d values for %s", len(s.Values), t)
			}
			dst = append(dst, '{')
			for i, f := range t.Fields {
				if i > 0 {
					dst = append(dst, ',')
				}
				dst = append(appendJSONString(dst, f.Name), ':')
				var err error
				if dst, err = appendJSONValue(dst, s.Values[i], f.Type); err != nil {
					return nil, err
				}
			}
			return append(dst, '}'), nil
		}
	default:
		if out, ok := appendPlainText(dst, v, t); ok {
			return out, nil
		}
	}
	return nil, encodeTypeError(v, t)
}

func appendJSONMap(dst []byte, m map[any]any, t *types.Type) ([]byte, error) {
	type entry struct {
		key string
		val any
	}
	entries := make([]entry, 0, len(m))
	for k, v := range m {
		ks, err := mapKeyText(k)
		if err != nil {
			return nil, err
		}
		entries = append(entries, entry{ks, v})
	}
	if len(entries) > 1 {
		slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.key, b.key) })
	}
	dst = append(dst, '{')
	for i, e := range entries {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(appendJSONString(dst, e.key), ':')
		var err error
		if dst, err = appendJSONValue(dst, e.val, t.Elem); err != nil {
			return nil, err
		}
	}
	return append(dst, '}'), nil
}

// mapKeyText renders a map key as a JSON member name (JSON maps have STRING keys; other
// primitive keys are written as their text, a NULL key as "null" like Jackson does).
func mapKeyText(k any) (string, error) {
	switch x := k.(type) {
	case nil:
		return "null", nil
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case int32:
		return strconv.FormatInt(int64(x), 10), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		return types.FormatDouble(x), nil
	case types.Decimal:
		return x.String(), nil
	case types.Date:
		return strconv.FormatInt(int64(x), 10), nil
	case types.Time:
		return strconv.FormatInt(int64(x), 10), nil
	case types.Timestamp:
		return strconv.FormatInt(int64(x), 10), nil
	}
	return "", fmt.Errorf("serialize: cannot write a map key of type %T", k)
}
