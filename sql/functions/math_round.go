package functions

import (
	"fmt"
	"math"
	"math/big"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// CEIL, FLOOR, ROUND and TRUNC, with Java's BigDecimal.setScale semantics for DECIMAL and
// DOUBLE-with-places values.

// mathMode is a BigDecimal rounding mode.
type mathMode int

const (
	// mathHalfUp is ksqlDB's ROUND: HALF_UP for positive values, HALF_DOWN for negative
	// ones, i.e. halves round towards positive infinity, as Java's Math.round.
	mathHalfUp    mathMode = iota
	mathDown               // towards zero (TRUNC)
	mathCeiling            // towards positive infinity
	mathFloorMode          // towards negative infinity
)

// mathSetScale is BigDecimal.setScale(scale, mode).
func mathSetScale(d types.Decimal, scale int, mode mathMode) types.Decimal {
	u := d.Unscaled
	if u == nil {
		u = new(big.Int)
	}
	if scale >= d.Scale {
		return d.Rescale(scale)
	}
	k := d.Scale - scale // digits dropped
	if k > len(new(big.Int).Abs(u).String())+1 {
		// |u| < 10^(k-1): the quotient is 0 and the remainder below half of 10^k.
		q := new(big.Int)
		switch {
		case mode == mathCeiling && u.Sign() > 0:
			q.SetInt64(1)
		case mode == mathFloorMode && u.Sign() < 0:
			q.SetInt64(-1)
		}
		return types.Decimal{Unscaled: q, Scale: scale}
	}
	div := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(k)), nil)
	q, r := new(big.Int).QuoRem(u, div, new(big.Int))
	switch mode {
	case mathCeiling:
		if r.Sign() > 0 {
			q.Add(q, big.NewInt(1))
		}
	case mathFloorMode:
		if r.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		}
	case mathHalfUp:
		r2 := new(big.Int).Abs(r)
		r2.Lsh(r2, 1)
		c := r2.Cmp(div)
		switch {
		case u.Sign() > 0 && c >= 0:
			q.Add(q, big.NewInt(1))
		case u.Sign() < 0 && c > 0:
			q.Sub(q, big.NewInt(1))
		}
	}
	return types.Decimal{Unscaled: q, Scale: scale}
}

// mathRoundPlaces is setScale(places, mode).setScale(d.scale(), UNNECESSARY): the value
// keeps its scale.
func mathRoundPlaces(d types.Decimal, places int, mode mathMode) types.Decimal {
	if places >= d.Scale {
		return d
	}
	r := mathSetScale(d, places, mode)
	if r.Sign() == 0 {
		return types.Decimal{Unscaled: new(big.Int), Scale: d.Scale}
	}
	return r.Rescale(d.Scale)
}

// mathDoublePlaces rounds a DOUBLE to places decimal places through BigDecimal.valueOf.
func mathDoublePlaces(name string, x float64, places int, mode mathMode) (any, error) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil, fmt.Errorf("%s: cannot convert %s to a decimal", name, types.FormatDouble(x))
	}
	d, err := types.ParseDecimal(types.FormatDoubleExact(x))
	if err != nil {
		return nil, err
	}
	if places >= d.Scale {
		return x, nil
	}
	f := mathRoundPlaces(d, places, mode).Float()
	if f == 0 && math.Signbit(x) {
		return 0.0, nil // BigDecimal has no negative zero
	}
	return f, nil
}

// mathJavaRound is Java's Math.round(double).
func mathJavaRound(x float64) int64 {
	if math.IsNaN(x) {
		return 0
	}
	f := math.Floor(x)
	if x-f >= 0.5 {
		f++
	}
	return mathClampInt64(f)
}

// mathClampInt64 converts an integral float64 as Java's (long) cast does (saturating).
func mathClampInt64(f float64) int64 {
	switch {
	case math.IsNaN(f):
		return 0
	case f >= 9.223372036854775807e18:
		return math.MaxInt64
	case f <= -9.223372036854775808e18:
		return math.MinInt64
	}
	return int64(f)
}

// mathRoundingOverloads are CEIL's and FLOOR's: integers unchanged, DOUBLE through f,
// DECIMAL keeping its type and scale.
func mathRoundingOverloads(f func(float64) float64, mode mathMode) []Overload {
	same := func(a []any) (any, error) { return a[0], nil }
	return []Overload{
		{Params: []string{"INT"}, Names: []string{"val"}, Returns: "INT", Impl: same, NullOnNull: true},
		{Params: []string{"BIGINT"}, Names: []string{"val"}, Returns: "BIGINT", Impl: same, NullOnNull: true},
		{Params: []string{"DOUBLE"}, Names: []string{"val"}, Returns: "DOUBLE", NullOnNull: true, Impl: func(a []any) (any, error) {
			return f(a[0].(float64)), nil
		}},
		{Params: []string{"DECIMAL"}, Names: []string{"val"}, ReturnFn: mathSameDecimal, NullOnNull: true, Impl: func(a []any) (any, error) {
			d := a[0].(types.Decimal)
			return mathRoundPlaces(d, 0, mode), nil
		}},
	}
}

// mathRoundOverloads are ROUND's and TRUNC's: (BIGINT) -> BIGINT, (DOUBLE) -> BIGINT,
// (DECIMAL(p, s)) -> DECIMAL(p', 0), (DECIMAL(p, s), INT) -> DECIMAL(p, s),
// (DOUBLE, INT) -> DOUBLE. DECIMAL comes before DOUBLE so that an INT or BIGINT value
// with places widens to the exact DECIMAL, the narrower candidate.
func mathRoundOverloads(name string, mode mathMode) []Overload {
	toLong := func(x float64) int64 { return mathClampInt64(math.Trunc(x)) }
	if mode == mathHalfUp {
		toLong = mathJavaRound
	}
	intPart := func(args []Arg, _ map[string]*types.Type) (*types.Type, error) {
		// ksqlDB's DECIMAL(p - s, 0) (math.json expects DECIMAL(17, 0) from
		// DECIMAL(33, 16)), though rounding 9.5 up needs one more digit.
		t := mathDecimalType(args[0].Type)
		return types.DecimalOf(max(t.Precision-t.Scale, 1), 0), nil
	}
	return []Overload{
		{Params: []string{"BIGINT"}, Names: []string{"val"}, Returns: "BIGINT", NullOnNull: true, Impl: func(a []any) (any, error) {
			return a[0], nil
		}},
		{Params: []string{"DECIMAL"}, Names: []string{"val"}, ReturnFn: intPart, NullOnNull: true, Impl: func(a []any) (any, error) {
			return mathSetScale(a[0].(types.Decimal), 0, mode), nil
		}},
		{Params: []string{"DOUBLE"}, Names: []string{"val"}, Returns: "BIGINT", NullOnNull: true, Impl: func(a []any) (any, error) {
			return toLong(a[0].(float64)), nil
		}},
		{Params: []string{"DECIMAL", "INT"}, Names: []string{"val", "decimalPlaces"}, ReturnFn: mathSameDecimal, NullOnNull: true, Impl: func(a []any) (any, error) {
			return mathRoundPlaces(a[0].(types.Decimal), int(a[1].(int32)), mode), nil
		}},
		{Params: []string{"DOUBLE", "INT"}, Names: []string{"val", "decimalPlaces"}, Returns: "DOUBLE", NullOnNull: true, Impl: func(a []any) (any, error) {
			return mathDoublePlaces(name, a[0].(float64), int(a[1].(int32)), mode)
		}},
	}
}
