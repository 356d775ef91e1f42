package expr

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ksqlgo/ksqlgo/sql/parser"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// castTo converts a compiled expression to type t (CAST, or an implicit conversion).
func castTo(a *Compiled, t *types.Type, pos parser.Pos) (*Compiled, error) {
	if a.Type.Equal(t) {
		return a, nil
	}
	if a.Type.Kind == types.KNull {
		return &Compiled{Type: t, Eval: a.Eval, Const: a.Const, Value: nil}, nil
	}
	conv, err := Converter(a.Type, t)
	if err != nil {
		return nil, errorAt(pos, "%v", err)
	}
	if a.Const {
		v, err := conv(a.Value)
		if err == nil {
			return constant(t, v), nil
		}
	}
	return &Compiled{Type: t, Eval: func(row []any) (any, error) {
		v, err := a.Eval(row)
		if v == nil || err != nil {
			return nil, err
		}
		return conv(v)
	}}, nil
}

// Converter returns the function converting non-nil values of type from to type to, with
// ksqlDB's CAST semantics, or an error when the cast is not supported.
func Converter(from, to *types.Type) (func(any) (any, error), error) {
	if from.Equal(to) {
		return func(v any) (any, error) { return v, nil }, nil
	}
	unsupported := fmt.Errorf("Cast of %s to %s is not supported", from.SQL(), to.SQL())
	switch to.Kind {
	case types.KString:
		return func(v any) (any, error) { return ToText(v), nil }, nil
	case types.KBoolean:
		if from.Kind == types.KString {
			return func(v any) (any, error) {
				if b, ok := ParseBoolean(v.(string)); ok {
					return b, nil
				}
				return nil, fmt.Errorf("invalid input syntax for type BOOLEAN: \"%s\".", v)
			}, nil
		}
	case types.KInt, types.KBigint, types.KDouble, types.KDecimal:
		if from.IsNumeric() {
			return numConverter(to), nil
		}
		if from.Kind == types.KString {
			nc := numConverter(to)
			return func(v any) (any, error) {
				s := strings.TrimSpace(v.(string))
				var n any
				switch to.Kind {
				case types.KInt, types.KBigint:
					i, err := strconv.ParseInt(s, 10, 64)
					if err != nil || to.Kind == types.KInt && (i > math.MaxInt32 || i < math.MinInt32) {
						return nil, fmt.Errorf("invalid input syntax for type %s: \"%s\".", to.SQL(), v)
					}
					n = i
				case types.KDouble:
					f, err := strconv.ParseFloat(s, 64)
					if err != nil {
						return nil, fmt.Errorf("invalid input syntax for type %s: \"%s\".", to.SQL(), v)
					}
					n = f
				default:
					d, err := types.ParseDecimal(s)
					if err != nil {
						return nil, fmt.Errorf("invalid input syntax for type DECIMAL: \"%s\".", v)
					}
					n = d
				}
				return nc(n)
			}, nil
		}
	case types.KTimestamp:
		switch from.Kind {
		case types.KString:
			return func(v any) (any, error) { return ParseTimestamp(v.(string)) }, nil
		case types.KDate:
			return func(v any) (any, error) { return types.Timestamp(int64(v.(types.Date)) * 86400000), nil }, nil
		case types.KTime:
			return func(v any) (any, error) { return types.Timestamp(int64(v.(types.Time))), nil }, nil
		}
	case types.KDate:
		switch from.Kind {
		case types.KString:
			return func(v any) (any, error) {
				t, err := time.Parse("2006-01-02", strings.TrimSpace(v.(string)))
				if err != nil {
					return nil, fmt.Errorf("Required format is: \"yyyy-MM-dd\"")
				}
				return types.Date(t.Unix() / 86400), nil
			}, nil
		case types.KTimestamp:
			return func(v any) (any, error) {
				ms := int64(v.(types.Timestamp))
				return types.Date(floorDiv(ms, 86400000)), nil
			}, nil
		}
	case types.KTime:
		switch from.Kind {
		case types.KString:
			return func(v any) (any, error) {
				s := strings.TrimSpace(v.(string))
				for _, layout := range []string{"15:04:05.000", "15:04:05", "15:04"} {
					if t, err := time.Parse(layout, s); err == nil {
						return types.Time(t.Hour()*3600000 + t.Minute()*60000 + t.Second()*1000 + t.Nanosecond()/1e6), nil
					}
				}
				return nil, fmt.Errorf("Required format is: \"HH:mm:ss.SSS\"")
			}, nil
		case types.KTimestamp:
			return func(v any) (any, error) {
				ms := int64(v.(types.Timestamp))
				return types.Time(ms - floorDiv(ms, 86400000)*86400000), nil
			}, nil
		}
	case types.KBytes:
		if from.Kind == types.KString {
			return nil, unsupported
		}
	case types.KArray:
		if from.Kind == types.KArray {
			ec, err := Converter(from.Elem, to.Elem)
			if err != nil {
				return nil, err
			}
			return func(v any) (any, error) {
				in := v.([]any)
				out := make([]any, len(in))
				for i, e := range in {
					if e == nil {
						continue
					}
					c, err := ec(e)
					if err != nil {
						return nil, err
					}
					out[i] = c
				}
				return out, nil
			}, nil
		}
	case types.KMap:
		if from.Kind == types.KMap {
			kc, err := Converter(from.Key, to.Key)
			if err != nil {
				return nil, err
			}
			vc, err := Converter(from.Elem, to.Elem)
			if err != nil {
				return nil, err
			}
			return func(v any) (any, error) {
				out := map[any]any{}
				for k, e := range v.(map[any]any) {
					var ck any
					if k != nil {
						var err error
						if ck, err = kc(k); err != nil {
							return nil, err
						}
					}
					if e != nil {
						if e, err = vc(e); err != nil {
							return nil, err
						}
					}
					out[ck] = e
				}
				return out, nil
			}, nil
		}
	case types.KStruct:
		if from.Kind == types.KStruct {
			convs := make([]func(any) (any, error), len(to.Fields))
			idx := make([]int, len(to.Fields))
			for i, f := range to.Fields {
				idx[i] = from.FieldIndex(f.Name)
				if idx[i] < 0 {
					continue
				}
				c, err := Converter(from.Fields[idx[i]].Type, f.Type)
				if err != nil {
					return nil, err
				}
				convs[i] = c
			}
			return func(v any) (any, error) {
				in := v.(*types.Struct)
				out := make([]any, len(to.Fields))
				for i := range to.Fields {
					if idx[i] < 0 || in.Values[idx[i]] == nil {
						continue
					}
					c, err := convs[i](in.Values[idx[i]])
					if err != nil {
						return nil, err
					}
					out[i] = c
				}
				return &types.Struct{Type: to, Values: out}, nil
			}, nil
		}
	}
	return nil, unsupported
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func numConverter(to *types.Type) func(any) (any, error) {
	switch to.Kind {
	case types.KInt:
		return func(v any) (any, error) {
			switch n := v.(type) {
			case int32:
				return n, nil
			case int64:
				return int32(n), nil
			case float64:
				return int32(javaF2L(n)), nil
			case types.Decimal:
				i, _ := n.Int64()
				return int32(i), nil
			}
			return nil, fmt.Errorf("cannot convert %T to INT", v)
		}
	case types.KBigint:
		return func(v any) (any, error) {
			switch n := v.(type) {
			case int32:
				return int64(n), nil
			case int64:
				return n, nil
			case float64:
				return javaF2L(n), nil
			case types.Decimal:
				i, _ := n.Int64()
				return i, nil
			}
			return nil, fmt.Errorf("cannot convert %T to BIGINT", v)
		}
	case types.KDouble:
		return func(v any) (any, error) { return types.ToFloat(v), nil }
	}
	p, s := to.Precision, to.Scale
	return func(v any) (any, error) {
		var d types.Decimal
		if f, ok := v.(float64); ok {
			var err error
			if d, err = types.DecimalFromFloat(f, s); err != nil {
				return nil, err
			}
		} else {
			d = types.ToDecimal(v).Rescale(s)
		}
		if !d.Fits(p, s) {
			return nil, fmt.Errorf("Numeric field overflow: A field with precision %d and scale %d must round to an absolute value less than 10^%d. Got %s", p, s, p-s, types.ToDecimal(v).String())
		}
		return d, nil
	}
}

// javaF2L converts like Java's (long) cast: truncation, NaN -> 0, saturation.
func javaF2L(f float64) int64 {
	switch {
	case math.IsNaN(f):
		return 0
	case f >= math.MaxInt64:
		return math.MaxInt64
	case f <= math.MinInt64:
		return math.MinInt64
	}
	return int64(f)
}

// ParseTimestamp reads an ISO-8601 timestamp as ksqlDB's CAST does ("2021-01-01T10:00:00",
// with optional fraction and zone; a date alone is midnight UTC).
func ParseTimestamp(s string) (any, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05Z07:00",
		"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02T15", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return types.Timestamp(t.UnixMilli()), nil
		}
	}
	return nil, fmt.Errorf("Failed to parse timestamp '%s': Text '%s' could not be parsed", s, s)
}

// ToText renders a value as ksqlDB's CAST(... AS STRING) does.
func ToText(v any) string {
	if s, ok := types.PrimitiveText(v); ok {
		return s
	}
	switch x := v.(type) {
	case types.Time:
		t := time.UnixMilli(int64(x)).UTC()
		if t.Nanosecond() != 0 {
			return t.Format("15:04:05.000")
		}
		return t.Format("15:04:05")
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = ToText(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[any]any:
		parts := make([]string, 0, len(x))
		for k, e := range x {
			parts = append(parts, ToText(k)+"="+ToText(e))
		}
		sort.Strings(parts)
		return "{" + strings.Join(parts, ", ") + "}"
	case *types.Struct:
		parts := make([]string, len(x.Values))
		for i, e := range x.Values {
			parts[i] = x.Type.Fields[i].Name + "=" + ToText(e)
		}
		return "Struct{" + strings.Join(parts, ",") + "}"
	}
	return fmt.Sprint(v)
}
