package format

import (
	"fmt"
	"math"
	"strconv"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// Conversions of the Go values of a row to the representation of their column's type,
// for encoding. They accept the value's own Go type and the lossless integer widenings, so
// an engine that produced an int32 for a BIGINT column still writes a BIGINT.

func asInt32(v any) (int32, bool) {
	switch x := v.(type) {
	case int32:
		return x, true
	case int64:
		if x >= math.MinInt32 && x <= math.MaxInt32 {
			return int32(x), true
		}
	}
	return 0, false
}

func asInt64(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int32:
		return int64(x), true
	}
	return 0, false
}

func asFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int32:
		return float64(x), true
	case int64:
		return float64(x), true
	case types.Decimal:
		return x.Float(), true
	}
	return 0, false
}

// asDecimal returns v with the scale of t (HALF_UP), so DECIMAL(4,2) 1.5 is written 1.50.
func asDecimal(v any, t *types.Type) (types.Decimal, bool) {
	switch x := v.(type) {
	case types.Decimal:
		return x.Rescale(t.Scale), true
	case int32:
		return types.DecimalFromInt(int64(x)).Rescale(t.Scale), true
	case int64:
		return types.DecimalFromInt(x).Rescale(t.Scale), true
	}
	return types.Decimal{}, false
}

// asTemporal returns the integer written for a DATE (days), TIME (ms of day) or
// TIMESTAMP (epoch ms) value.
func asTemporal(v any, k types.Kind) (int64, bool) {
	switch x := v.(type) {
	case types.Date:
		return int64(x), k == types.KDate
	case types.Time:
		return int64(x), k == types.KTime
	case types.Timestamp:
		return int64(x), k == types.KTimestamp
	case int64:
		return x, k == types.KTimestamp
	}
	return 0, false
}

func encodeTypeError(v any, t *types.Type) error {
	return fmt.Errorf("serialize: cannot write a %T as %s", v, t)
}

// appendPlainText appends the text that DELIMITED and JSON both write for a non-null value of
// a BOOLEAN, INT, BIGINT, DECIMAL, DATE, TIME or TIMESTAMP type t (temporals as numbers); ok is
// false for other types, or for a value whose Go type does not fit t.
func appendPlainText(dst []byte, v any, t *types.Type) (out []byte, ok bool) {
	switch t.Kind {
	case types.KBoolean:
		if b, ok := v.(bool); ok {
			return strconv.AppendBool(dst, b), true
		}
	case types.KInt:
		if n, ok := asInt32(v); ok {
			return strconv.AppendInt(dst, int64(n), 10), true
		}
	case types.KBigint:
		if n, ok := asInt64(v); ok {
			return strconv.AppendInt(dst, n, 10), true
		}
	case types.KDecimal:
		if d, ok := asDecimal(v, t); ok {
			return append(dst, d.String()...), true
		}
	case types.KDate, types.KTime, types.KTimestamp:
		if n, ok := asTemporal(v, t.Kind); ok {
			return strconv.AppendInt(dst, n, 10), true
		}
	}
	return dst, false
}
