package functions

import (
	"cmp"
	"fmt"
	"math"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// Conversions and conditionals: TO_BYTES, FROM_BYTES, COALESCE, IFNULL, NULLIF,
// GREATEST, LEAST.
//
// COALESCE, IFNULL and NULLIF are generic over one type T: their arguments are widened to
// a common type (INT -> BIGINT -> DECIMAL -> DOUBLE; decimals to the precision and scale
// that hold them all), other types must be equal.

func init() {
	builtinScalars = append(builtinScalars,
		strScalar("TO_BYTES", "CONVERSIONS", "Converts a string in the given encoding (hex, utf8, ascii, base64) to bytes.",
			Overload{Params: []string{"STRING", "STRING"}, Names: []string{"str", "encoding"}, Returns: "BYTES", NullOnNull: true,
				Impl: func(a []any) (any, error) {
					enc, err := convEncoding(a[1].(string))
					if err != nil {
						return nil, err
					}
					return strDecodeString(a[0].(string), enc)
				}}),
		strScalar("FROM_BYTES", "CONVERSIONS", "Converts bytes to a string in the given encoding (hex, utf8, ascii, base64).",
			Overload{Params: []string{"BYTES", "STRING"}, Names: []string{"bytes", "encoding"}, Returns: "STRING", NullOnNull: true,
				Impl: func(a []any) (any, error) {
					enc, err := convEncoding(a[1].(string))
					if err != nil {
						return nil, err
					}
					return strEncodeBytes(a[0].([]byte), enc), nil
				}}),
		&Scalar{
			Name: "COALESCE", Category: "CONDITIONAL",
			Description: "Returns the first non-NULL argument, or NULL when all are NULL.",
			Signatures:  []string{"COALESCE(first T, others T...)"},
			Bind: func(args []Arg, _ Config) (*types.Type, Impl, error) {
				if len(args) < 1 {
					return nil, nil, convNoMatch("COALESCE", args)
				}
				t, conv, err := convCommonType("COALESCE", args)
				if err != nil {
					return nil, nil, err
				}
				return t, func(a []any) (any, error) {
					for i, v := range a {
						if v != nil {
							return convApply(conv, i, v), nil
						}
					}
					return nil, nil
				}, nil
			},
		},
		&Scalar{
			Name: "IFNULL", Category: "CONDITIONAL",
			Description: "Returns expression when it is not NULL, else altValue.",
			Signatures:  []string{"IFNULL(expression T, altValue T)"},
			Bind: func(args []Arg, _ Config) (*types.Type, Impl, error) {
				if len(args) != 2 {
					return nil, nil, convNoMatch("IFNULL", args)
				}
				t, conv, err := convCommonType("IFNULL", args)
				if err != nil {
					return nil, nil, err
				}
				return t, func(a []any) (any, error) {
					if a[0] != nil {
						return convApply(conv, 0, a[0]), nil
					}
					if a[1] != nil {
						return convApply(conv, 1, a[1]), nil
					}
					return nil, nil
				}, nil
			},
		},
		&Scalar{
			Name: "NULLIF", Category: "CONDITIONAL",
			Description: "Returns NULL when expr1 equals expr2, else expr1.",
			Signatures:  []string{"NULLIF(expr1 T, expr2 T)"},
			Bind: func(args []Arg, _ Config) (*types.Type, Impl, error) {
				if len(args) != 2 {
					return nil, nil, convNoMatch("NULLIF", args)
				}
				t, conv, err := convCommonType("NULLIF", args)
				if err != nil {
					return nil, nil, err
				}
				return t, func(a []any) (any, error) {
					if a[0] == nil {
						return nil, nil
					}
					x := convApply(conv, 0, a[0])
					if a[1] != nil && types.Equal(x, convApply(conv, 1, a[1])) {
						return nil, nil
					}
					return x, nil
				}, nil
			},
		},
		convExtreme("GREATEST", 1, "Returns the greatest non-NULL argument, or NULL when all are NULL."),
		convExtreme("LEAST", -1, "Returns the least non-NULL argument, or NULL when all are NULL."),
	)
}

// convEncoding checks a TO_BYTES/FROM_BYTES encoding name (any case).
func convEncoding(name string) (string, error) {
	enc := strings.ToLower(name)
	if !strEncodingNames[enc] {
		return "", fmt.Errorf("Unknown encoding type '%s'. Supported formats are 'hex', 'utf8', 'ascii', and 'base64'.", name)
	}
	return enc, nil
}

// convNoMatch is ksqlDB's error for arguments without a common type.
func convNoMatch(name string, args []Arg) error {
	return NoMatch(name, args, []Overload{{Params: []string{"T", "T"}}})
}

// convCommonType returns the type every argument widens to, and per argument a value
// converter (nil when none is needed).
func convCommonType(name string, args []Arg) (*types.Type, []func(any) any, error) {
	var t *types.Type
	for _, a := range args {
		if a.Lambda != nil {
			return nil, nil, convNoMatch(name, args)
		}
		if a.Type == nil || a.Type.Kind == types.KNull {
			continue
		}
		if t == nil {
			t = a.Type
			continue
		}
		u := convWiden(t, a.Type)
		if u == nil {
			return nil, nil, convNoMatch(name, args)
		}
		t = u
	}
	if t == nil {
		return nil, nil, fmt.Errorf("cannot infer the type of %s: every argument is NULL", name)
	}
	conv := make([]func(any) any, len(args))
	for i, a := range args {
		if a.Type != nil && a.Type.Kind != types.KNull {
			conv[i] = convValue(a.Type, t)
		}
	}
	return t, conv, nil
}

// convWiden returns the common type of a and b, or nil.
func convWiden(a, b *types.Type) *types.Type {
	if a.Equal(b) {
		return a
	}
	if !a.IsNumeric() || !b.IsNumeric() {
		return nil
	}
	switch {
	case a.Kind == types.KDouble || b.Kind == types.KDouble:
		return types.DOUBLE
	case a.Kind == types.KDecimal || b.Kind == types.KDecimal:
		da, db := types.AsDecimal(a), types.AsDecimal(b)
		scale := max(da.Scale, db.Scale)
		whole := max(da.Precision-da.Scale, db.Precision-db.Scale)
		return types.DecimalOf(whole+scale, scale)
	}
	return types.BIGINT // INT and BIGINT
}

// convValue returns the converter of values of type from into type to, nil for none.
func convValue(from, to *types.Type) func(any) any {
	if from.Equal(to) {
		return nil
	}
	switch to.Kind {
	case types.KBigint:
		if from.Kind == types.KInt {
			return func(v any) any { return int64(v.(int32)) }
		}
	case types.KDecimal:
		scale := to.Scale
		return func(v any) any { return types.ToDecimal(v).Rescale(scale) }
	case types.KDouble:
		return func(v any) any { return types.ToFloat(v) }
	}
	return nil
}

func convApply(conv []func(any) any, i int, v any) any {
	if c := conv[i]; c != nil && v != nil {
		return c(v)
	}
	return v
}

// convExtreme builds GREATEST (sign 1) or LEAST (sign -1): NULL arguments are ignored.
func convExtreme(name string, sign int, desc string) *Scalar {
	var ovs []Overload
	for _, t := range []string{"INT", "BIGINT", "DECIMAL", "DOUBLE", "STRING", "BYTES", "DATE", "TIME", "TIMESTAMP"} {
		o := Overload{Params: []string{t, t}, Names: []string{"val", "vals"}, Variadic: true}
		if t == "DECIMAL" {
			o.ReturnFn = func(args []Arg, _ map[string]*types.Type) (*types.Type, error) {
				var d *types.Type
				for _, a := range args {
					if a.Type == nil || a.Type.Kind == types.KNull {
						continue
					}
					if d == nil {
						d = types.AsDecimal(a.Type)
					} else {
						d = convWiden(d, a.Type)
					}
				}
				if d == nil {
					return types.DecimalOf(10, 0), nil
				}
				return d, nil
			}
			o.Make = func(_ []Arg, ret *types.Type) (Impl, error) {
				scale := ret.Scale
				return func(a []any) (any, error) {
					v := convPick(a, sign)
					if v == nil {
						return nil, nil
					}
					return types.ToDecimal(v).Rescale(scale), nil
				}, nil
			}
		} else {
			o.Returns = t
			o.Impl = func(a []any) (any, error) { return convPick(a, sign), nil }
		}
		ovs = append(ovs, o)
	}
	return strScalar(name, "MATHEMATICAL", desc, ovs...)
}

// convPick returns the greatest (sign 1) or least (sign -1) non-nil value.
func convPick(a []any, sign int) any {
	var best any
	for _, v := range a {
		if v == nil {
			continue
		}
		if best == nil || convCompare(v, best)*sign > 0 {
			best = v
		}
	}
	return best
}

// convCompare orders two values of one type; doubles as Java's Double.compare.
func convCompare(a, b any) int {
	if x, ok := a.(float64); ok {
		return javaCompareDoubles(x, b.(float64))
	}
	c, _ := types.Compare(a, b)
	return c
}

// javaCompareDoubles orders two doubles as Java's Double.compare does: NaN above everything
// (all NaNs equal), -0.0 below 0.0.
func javaCompareDoubles(x, y float64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	xb, yb := int64(math.Float64bits(x)), int64(math.Float64bits(y))
	if math.IsNaN(x) {
		xb = math.MaxInt64
	}
	if math.IsNaN(y) {
		yb = math.MaxInt64
	}
	return cmp.Compare(xb, yb)
}
