package functions

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// This file holds ksqlDB's mathematical scalar functions (ABS, SQRT, SIN, ...) and the
// small registration helpers shared by the math_, dt_, coll_ and lambda_ files.

// Function categories of this file's groups, as ksqlDB names them.
const (
	mathCategory   Category = "MATHEMATICAL"
	dtCategory     Category = "DATE / TIME"
	collArrayCat   Category = "ARRAY"
	collMapCat     Category = "MAP"
	lambdaCategory Category = "LAMBDA"
)

// mathRegister appends a scalar function resolved by Overloads to the built-ins.
func mathRegister(name string, cat Category, desc string, ovs ...Overload) {
	builtinScalars = append(builtinScalars, &Scalar{
		Name:        name,
		Description: desc,
		Category:    cat,
		Signatures:  mathSignatures(name, ovs),
		Bind:        Overloads(name, ovs...),
	})
}

// mathSignatures renders overloads for DESCRIBE FUNCTION, e.g. "ROUND(val DOUBLE, places INT)".
func mathSignatures(name string, ovs []Overload) []string {
	out := make([]string, 0, len(ovs))
	for _, o := range ovs {
		ps := make([]string, len(o.Params))
		for i, p := range o.Params {
			ps[i] = p
			if i < len(o.Names) {
				ps[i] = o.Names[i] + " " + p
			}
			if o.Variadic && i == len(o.Params)-1 {
				ps[i] += "..."
			}
		}
		out = append(out, strings.ToUpper(name)+"("+strings.Join(ps, ", ")+")")
	}
	return out
}

// mathRet returns a ReturnFn yielding a fixed type.
func mathRet(t *types.Type) func([]Arg, map[string]*types.Type) (*types.Type, error) {
	return func([]Arg, map[string]*types.Type) (*types.Type, error) { return t, nil }
}

// mathDecimalType returns the DECIMAL type an argument has once widened to DECIMAL, as
// ksqlDB does: INT is DECIMAL(10, 0), BIGINT DECIMAL(19, 0).
func mathDecimalType(t *types.Type) *types.Type {
	if t != nil && (t.Kind == types.KDecimal || t.Kind == types.KInt || t.Kind == types.KBigint) {
		return types.AsDecimal(t)
	}
	return types.DecimalOf(1, 0)
}

// mathSameDecimal is the ReturnFn of functions returning their DECIMAL argument's type.
func mathSameDecimal(args []Arg, _ map[string]*types.Type) (*types.Type, error) {
	return mathDecimalType(args[0].Type), nil
}

// mathUnaryDouble is the usual INT/BIGINT/DOUBLE -> DOUBLE function of java.lang.Math.
func mathUnaryDouble(name, desc string, f func(float64) float64) {
	impl := func(args []any) (any, error) { return f(types.ToFloat(args[0])), nil }
	mathRegister(name, mathCategory, desc,
		Overload{Params: []string{"INT"}, Names: []string{"value"}, Returns: "DOUBLE", Impl: impl, NullOnNull: true},
		Overload{Params: []string{"BIGINT"}, Names: []string{"value"}, Returns: "DOUBLE", Impl: impl, NullOnNull: true},
		Overload{Params: []string{"DOUBLE"}, Names: []string{"value"}, Returns: "DOUBLE", Impl: impl, NullOnNull: true},
	)
}

// mathBinaryDouble is an (INT, INT)/(BIGINT, BIGINT)/(DOUBLE, DOUBLE) -> DOUBLE function.
func mathBinaryDouble(name, desc string, names []string, f func(a, b float64) float64) {
	impl := func(args []any) (any, error) { return f(types.ToFloat(args[0]), types.ToFloat(args[1])), nil }
	mathRegister(name, mathCategory, desc,
		Overload{Params: []string{"INT", "INT"}, Names: names, Returns: "DOUBLE", Impl: impl, NullOnNull: true},
		Overload{Params: []string{"BIGINT", "BIGINT"}, Names: names, Returns: "DOUBLE", Impl: impl, NullOnNull: true},
		Overload{Params: []string{"DOUBLE", "DOUBLE"}, Names: names, Returns: "DOUBLE", Impl: impl, NullOnNull: true},
	)
}

func init() {
	mathRegister("ABS", mathCategory, "Returns the absolute value of its argument. If the argument is not negative, the argument is returned. If the argument is negative, the negation of the argument is returned.",
		Overload{Params: []string{"INT"}, Names: []string{"val"}, Returns: "INT", NullOnNull: true, Impl: func(a []any) (any, error) {
			if v := a[0].(int32); v < 0 {
				return -v, nil // Math.abs(Integer.MIN_VALUE) stays negative, as in Java
			}
			return a[0], nil
		}},
		Overload{Params: []string{"BIGINT"}, Names: []string{"val"}, Returns: "BIGINT", NullOnNull: true, Impl: func(a []any) (any, error) {
			if v := a[0].(int64); v < 0 {
				return -v, nil
			}
			return a[0], nil
		}},
		Overload{Params: []string{"DOUBLE"}, Names: []string{"val"}, Returns: "DOUBLE", NullOnNull: true, Impl: func(a []any) (any, error) {
			return math.Abs(a[0].(float64)), nil
		}},
		Overload{Params: []string{"DECIMAL"}, Names: []string{"val"}, ReturnFn: mathSameDecimal, NullOnNull: true, Impl: func(a []any) (any, error) {
			d := a[0].(types.Decimal)
			if d.Sign() < 0 {
				return d.Neg(), nil
			}
			return d, nil
		}},
	)
	mathRegister("CEIL", mathCategory, "Returns the smallest integer value that is greater than or equal to the value of the argument.",
		mathRoundingOverloads(math.Ceil, mathCeiling)...)
	mathRegister("FLOOR", mathCategory, "Returns the largest integer value that is less than or equal to the value of the argument.",
		mathRoundingOverloads(math.Floor, mathFloorMode)...)
	mathRegister("ROUND", mathCategory, "Round a value to the number of decimal places as specified by the second argument, or to the nearest whole number when no decimal places are given. Rounds half up, as Java's Math.round.",
		mathRoundOverloads("ROUND", mathHalfUp)...)
	mathRegister("TRUNC", mathCategory, "Truncates a value to the number of decimal places as specified by the second argument, or to a whole number when no decimal places are given.",
		mathRoundOverloads("TRUNC", mathDown)...)

	signImpl := func(a []any) (any, error) {
		switch v := a[0].(type) {
		case int32:
			return int32(mathSign3(int64(v))), nil
		case int64:
			return int32(mathSign3(v)), nil
		case float64:
			switch {
			case v > 0:
				return int32(1), nil
			case v < 0:
				return int32(-1), nil
			}
			return int32(0), nil // 0, -0 and NaN, as (int) Math.signum
		case types.Decimal:
			return int32(v.Sign()), nil
		}
		return nil, fmt.Errorf("sign: unexpected %T", a[0])
	}
	mathRegister("SIGN", mathCategory, "The sign of a numeric value as an INTEGER: -1 for negative values, 0 for zero, 1 for positive values.",
		Overload{Params: []string{"INT"}, Names: []string{"value"}, Returns: "INT", Impl: signImpl, NullOnNull: true},
		Overload{Params: []string{"BIGINT"}, Names: []string{"value"}, Returns: "INT", Impl: signImpl, NullOnNull: true},
		Overload{Params: []string{"DOUBLE"}, Names: []string{"value"}, Returns: "INT", Impl: signImpl, NullOnNull: true},
		Overload{Params: []string{"DECIMAL"}, Names: []string{"value"}, Returns: "INT", Impl: signImpl, NullOnNull: true},
	)

	mathUnaryDouble("SQRT", "Returns the correctly rounded positive square root of a DOUBLE value.", math.Sqrt)
	mathUnaryDouble("CBRT", "Returns the cube root of a DOUBLE value.", math.Cbrt)
	mathUnaryDouble("EXP", "Returns Euler's number e raised to the power of a DOUBLE value.", math.Exp)
	mathUnaryDouble("LN", "Returns the natural logarithm (base e) of a DOUBLE value.", mathLn)
	mathUnaryDouble("DEGREES", "Converts an angle measured in radians to an approximately equivalent angle measured in degrees.", func(x float64) float64 { return x * (180 / math.Pi) })
	mathUnaryDouble("RADIANS", "Converts an angle measured in degrees to an approximately equivalent angle measured in radians.", func(x float64) float64 { return x / 180 * math.Pi })
	mathUnaryDouble("SIN", "Returns the sine of an angle in radians.", math.Sin)
	mathUnaryDouble("COS", "Returns the cosine of an angle in radians.", math.Cos)
	mathUnaryDouble("TAN", "Returns the tangent of an angle in radians.", math.Tan)
	mathUnaryDouble("COT", "Returns the cotangent of an angle in radians.", func(x float64) float64 { return 1 / math.Tan(x) })
	mathUnaryDouble("ASIN", "Returns the arc sine of a value; the returned angle is in the range -pi/2 through pi/2.", math.Asin)
	mathUnaryDouble("ACOS", "Returns the arc cosine of a value; the returned angle is in the range 0.0 through pi.", math.Acos)
	mathUnaryDouble("ATAN", "Returns the arc tangent of a value; the returned angle is in the range -pi/2 through pi/2.", math.Atan)
	mathUnaryDouble("SINH", "Returns the hyperbolic sine of a DOUBLE value.", math.Sinh)
	mathUnaryDouble("COSH", "Returns the hyperbolic cosine of a DOUBLE value.", math.Cosh)
	mathUnaryDouble("TANH", "Returns the hyperbolic tangent of a DOUBLE value.", math.Tanh)

	mathBinaryDouble("ATAN2", "Returns the angle theta from the conversion of rectangular coordinates (x, y) to polar coordinates (r, theta).", []string{"y", "x"}, math.Atan2)
	mathBinaryDouble("POWER", "Returns the value of the first argument raised to the power of the second argument.", []string{"base", "exponent"}, math.Pow)

	logImpl := func(a []any) (any, error) { return mathLn(types.ToFloat(a[0])), nil }
	logBaseImpl := func(a []any) (any, error) {
		base, v := types.ToFloat(a[0]), types.ToFloat(a[1])
		if base <= 0 || base == 1 {
			return math.NaN(), nil
		}
		return mathLn(v) / mathLn(base), nil
	}
	mathRegister("LOG", mathCategory, "Returns the natural logarithm of a value, or the logarithm of the second argument in the base of the first.",
		Overload{Params: []string{"INT"}, Names: []string{"value"}, Returns: "DOUBLE", Impl: logImpl, NullOnNull: true},
		Overload{Params: []string{"BIGINT"}, Names: []string{"value"}, Returns: "DOUBLE", Impl: logImpl, NullOnNull: true},
		Overload{Params: []string{"DOUBLE"}, Names: []string{"value"}, Returns: "DOUBLE", Impl: logImpl, NullOnNull: true},
		Overload{Params: []string{"INT", "INT"}, Names: []string{"base", "value"}, Returns: "DOUBLE", Impl: logBaseImpl, NullOnNull: true},
		Overload{Params: []string{"BIGINT", "BIGINT"}, Names: []string{"base", "value"}, Returns: "DOUBLE", Impl: logBaseImpl, NullOnNull: true},
		Overload{Params: []string{"DOUBLE", "DOUBLE"}, Names: []string{"base", "value"}, Returns: "DOUBLE", Impl: logBaseImpl, NullOnNull: true},
	)

	mathRegister("RANDOM", mathCategory, "Returns a random DOUBLE value between 0.0 and 1.0.",
		Overload{Returns: "DOUBLE", Impl: func([]any) (any, error) { return rand.Float64(), nil }})
	mathRegister("PI", mathCategory, "Returns an approximate value of pi.",
		Overload{Returns: "DOUBLE", Impl: func([]any) (any, error) { return math.Pi, nil }})

	geoNames := []string{"lat1", "lon1", "lat2", "lon2", "units"}
	mathRegister("GEO_DISTANCE", mathCategory, "Compute the distance between two points on the surface of the earth, according to the Haversine formula for \"great circle distance\". The 2 input points should be specified as (lat, lon) pairs, measured in decimal degrees. An optional fifth parameter allows to specify either \"MI\" (miles) or \"KM\" (kilometers) as the desired unit for the output measurement. Default is KM.",
		Overload{Params: []string{"DOUBLE", "DOUBLE", "DOUBLE", "DOUBLE"}, Names: geoNames, Returns: "DOUBLE", Impl: mathGeoDistance, NullOnNull: true},
		Overload{Params: []string{"DOUBLE", "DOUBLE", "DOUBLE", "DOUBLE", "STRING"}, Names: geoNames, Returns: "DOUBLE", Impl: mathGeoDistance},
	)
}

func mathSign3(v int64) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// Earth radii of ksqlDB's GEO_DISTANCE.
const (
	mathEarthRadiusKM    = 6371
	mathEarthRadiusMiles = 3959
)

func mathGeoDistance(a []any) (any, error) {
	for _, v := range a[:4] {
		if v == nil {
			return nil, nil
		}
	}
	lat1, lon1, lat2, lon2 := a[0].(float64), a[1].(float64), a[2].(float64), a[3].(float64)
	for _, lat := range []float64{lat1, lat2} {
		if !(lat >= -90 && lat <= 90) {
			return nil, fmt.Errorf("valid latitude values for GeoDistance function are in the range of -90 to 90 decimal degrees. Value provided was %s", types.FormatDouble(lat))
		}
	}
	for _, lon := range []float64{lon1, lon2} {
		if !(lon >= -180 && lon <= 180) {
			return nil, fmt.Errorf("valid longitude values for GeoDistance function are in the range of -180 to 180 decimal degrees. Value provided was %s", types.FormatDouble(lon))
		}
	}
	radius := float64(mathEarthRadiusKM)
	if len(a) > 4 && a[4] != nil {
		switch u := strings.ToLower(strings.TrimSpace(a[4].(string))); u {
		case "km", "kilometer", "kilometers", "kilometre", "kilometres":
		case "mi", "mile", "miles":
			radius = mathEarthRadiusMiles
		default:
			return nil, fmt.Errorf("GeoDistance function units parameter must be one of 'MI', 'MILES', 'KM' or 'KILOMETERS'. Value provided was %s", a[4])
		}
	}
	// ksqlDB's haversine, operation for operation (Java 8's Math.toRadians included), with
	// Java's rounding of sin, cos and asin.
	rad := func(d float64) float64 { return d / 180 * math.Pi }
	hav := func(r float64) float64 { s := mathSin(r / 2); return s * s }
	h := hav(rad(lat2-lat1)) + hav(rad(lon2-lon1))*mathCos(rad(lat1))*mathCos(rad(lat2))
	return 2 * mathAsin(math.Sqrt(h)) * radius, nil
}

// mathLn is the natural logarithm, correctly rounded in all but astronomically rare cases
// (Java's Math.log is; Go's math.Log is up to one ulp off, e.g. ln(3)). It evaluates
// ln(m) = 2 atanh((m-1)/(m+1)) in double-double arithmetic.
func mathLn(x float64) float64 {
	switch {
	case math.IsNaN(x) || x < 0:
		return math.NaN()
	case x == 0:
		return math.Inf(-1)
	case math.IsInf(x, 1):
		return x
	case x == 1:
		return 0
	}
	m, k := math.Frexp(x) // x = m * 2^k, m in [0.5, 1)
	if m < math.Sqrt2/2 {
		m *= 2
		k--
	}
	// s = (m-1)/(m+1) as a double-double; m-1 is exact (Sterbenz).
	f := m - 1
	dh, dl := mathTwoSum(m, 1)
	q1 := f / dh
	ph, pl := mathTwoProd(q1, dh)
	r := ((f - ph) - pl) - q1*dl
	q2 := r / dh
	sh, sl := mathTwoSum(q1, q2)
	// z = s^2
	zh, zl := mathDDMul(sh, sl, sh, sl)
	// t = z/3 + z^2/5 + z^3/7 + ...: the first two terms in double-double, the tail in double.
	z := zh
	tail := 0.0
	zp := z * z * z
	for i := 7; i < 80; i += 2 {
		term := zp / float64(i)
		tail += term
		if term < 1e-40 {
			break
		}
		zp *= z
	}
	t1h, t1l := mathDDDivF(zh, zl, 3)
	z2h, z2l := mathDDMul(zh, zl, zh, zl)
	t2h, t2l := mathDDDivF(z2h, z2l, 5)
	th, tl := mathDDAdd(t1h, t1l, t2h, t2l)
	th, tl = mathDDAdd(th, tl, tail, 0)
	// ln(m) = 2 s (1 + t)
	uh, ul := mathDDAdd(1, 0, th, tl)
	lh, ll := mathDDMul(sh, sl, uh, ul)
	lh, ll = 2*lh, 2*ll
	// + k ln 2
	const ln2Hi, ln2Lo = 0.6931471805599453, 2.3190468138462996e-17
	kf := float64(k)
	kh, kl := mathTwoProd(kf, ln2Hi)
	kl += kf * ln2Lo
	rh, rl := mathDDAdd(kh, kl, lh, ll)
	return rh + rl
}

func mathTwoSum(a, b float64) (float64, float64) {
	s := a + b
	bb := s - a
	return s, (a - (s - bb)) + (b - bb)
}

func mathTwoProd(a, b float64) (float64, float64) {
	p := a * b
	return p, math.FMA(a, b, -p)
}

func mathDDAdd(ah, al, bh, bl float64) (float64, float64) {
	s, e := mathTwoSum(ah, bh)
	e += al + bl
	return mathTwoSum(s, e)
}

func mathDDMul(ah, al, bh, bl float64) (float64, float64) {
	p, e := mathTwoProd(ah, bh)
	e += ah*bl + al*bh
	return mathTwoSum(p, e)
}

func mathDDDivF(ah, al, b float64) (float64, float64) {
	q1 := ah / b
	ph, pl := mathTwoProd(q1, b)
	r := ((ah - ph) - pl) + al
	return mathTwoSum(q1, r/b)
}
