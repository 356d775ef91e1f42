package functions

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// Helpers shared by the math_, dt_, coll_ and lambda_ tests.

// mathFind returns the built-in scalar called name, from this package's init lists.
func mathFind(t *testing.T, name string) *Scalar {
	t.Helper()
	for _, s := range builtinScalars {
		if strings.EqualFold(s.Name, name) {
			return s
		}
	}
	t.Fatalf("no scalar function %s", name)
	return nil
}

func mathCol(t *types.Type) Arg { return Arg{Type: t} }

func mathLit(t *types.Type, v any) Arg { return Arg{Type: t, Const: true, Value: v} }

// mathBind binds name for args, failing the test on a bind error.
func mathBind(t *testing.T, name string, args ...Arg) (*types.Type, Impl) {
	t.Helper()
	ret, impl, err := mathFind(t, name).Bind(args, Config{})
	if err != nil {
		t.Fatalf("bind %s: %v", name, err)
	}
	return ret, impl
}

// mathBindErr returns the bind error of name for args ("" when it binds).
func mathBindErr(t *testing.T, name string, args ...Arg) string {
	t.Helper()
	_, _, err := mathFind(t, name).Bind(args, Config{})
	if err == nil {
		return ""
	}
	return err.Error()
}

// mathCall binds name for args and evaluates it on vals.
func mathCall(t *testing.T, name string, args []Arg, vals ...any) (any, error) {
	t.Helper()
	_, impl := mathBind(t, name, args...)
	return impl(mathPad(vals, len(args)))
}

// mathPad extends argument values to one per argument: the values of trailing lambda
// arguments (their environment) are NULL.
func mathPad(vals []any, n int) []any {
	if len(vals) >= n {
		return vals
	}
	return append(append(make([]any, 0, n), vals...), make([]any, n-len(vals))...)
}

func mathDec(s string) types.Decimal {
	d, err := types.ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

// mathSame compares SQL values exactly: decimals by value and scale, doubles bitwise
// (NaN equal to NaN), collections deeply.
func mathSame(a, b any) bool {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		return ok && (x == y && math.Signbit(x) == math.Signbit(y) || math.IsNaN(x) && math.IsNaN(y))
	case types.Decimal:
		y, ok := b.(types.Decimal)
		return ok && x.Scale == y.Scale && x.String() == y.String()
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) || (x == nil) != (y == nil) {
			return false
		}
		for i := range x {
			if !mathSame(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[any]any:
		y, ok := b.(map[any]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !mathSame(v, w) {
				return false
			}
		}
		return true
	case *types.Struct:
		y, ok := b.(*types.Struct)
		return ok && x.Type.Equal(y.Type) && mathSame(x.Values, y.Values)
	case []byte:
		y, ok := b.([]byte)
		return ok && string(x) == string(y)
	}
	return a == b
}

func mathShow(v any) string {
	switch x := v.(type) {
	case float64:
		return types.FormatDouble(x)
	case types.Decimal:
		return fmt.Sprintf("Decimal(%s)", x.String())
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = mathShow(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case *types.Struct:
		return "Struct" + mathShow(x.Values)
	}
	return fmt.Sprintf("%#v", v)
}

// mathRow is one evaluation: argument values and the expected result.
type mathRow struct {
	in   []any
	want any
}

func mathRows(t *testing.T, name string, args []Arg, rows []mathRow) {
	t.Helper()
	_, impl := mathBind(t, name, args...)
	for _, r := range rows {
		got, err := impl(mathPad(r.in, len(args)))
		if err != nil {
			t.Errorf("%s%s: error %v", name, mathShow(r.in), err)
			continue
		}
		if !mathSame(got, r.want) {
			t.Errorf("%s%s = %s, want %s", name, mathShow(r.in), mathShow(got), mathShow(r.want))
		}
	}
}

var (
	mInt    = mathCol(types.INT)
	mBigint = mathCol(types.BIGINT)
	mDouble = mathCol(types.DOUBLE)
	mString = mathCol(types.STRING)
)

// TestMathUnaryQTT mirrors math.json's exp, ln, sqrt, sign, cbrt and log tests: the same
// function over INT, BIGINT and DOUBLE columns.
func TestMathUnaryQTT(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		fn   string
		in   [][3]any // i, l, d
		want [][3]any
	}{
		{"EXP", [][3]any{{int32(-1), int64(-2), -3.0}, {int32(0), int64(0), 0.0}, {int32(1), int64(2), 3.0}},
			[][3]any{{0.36787944117144233, 0.1353352832366127, 0.049787068367863944}, {1.0, 1.0, 1.0}, {2.718281828459045, 7.38905609893065, 20.085536923187668}}},
		{"LN", [][3]any{{int32(-1), int64(-2), -3.0}, {int32(0), int64(0), 0.0}, {int32(1), int64(2), 3.0}},
			[][3]any{{nan, nan, nan}, {-inf, -inf, -inf}, {0.0, 0.6931471805599453, 1.0986122886681098}}},
		{"SQRT", [][3]any{{int32(-1), int64(-2), -3.0}, {int32(0), int64(0), 0.0}, {int32(1), int64(2), 3.0}},
			[][3]any{{nan, nan, nan}, {0.0, 0.0, 0.0}, {1.0, 1.4142135623730951, 1.7320508075688772}}},
		{"SIGN", [][3]any{{int32(-1), int64(-2), -3.0}, {int32(0), int64(0), 0.0}, {int32(1), int64(2), 3.0}},
			[][3]any{{int32(-1), int32(-1), int32(-1)}, {int32(0), int32(0), int32(0)}, {int32(1), int32(1), int32(1)}}},
		{"CBRT", [][3]any{{int32(-8), int64(-3), -1.0}, {int32(0), int64(0), 0.0}, {int32(8), int64(3), 1.0}},
			[][3]any{{-2.0, -1.4422495703074083, -1.0}, {0.0, 0.0, 0.0}, {2.0, 1.4422495703074083, 1.0}}},
		{"LOG", [][3]any{{int32(-13), int64(-13), -13.0}, {int32(0), int64(0), 0.0}, {int32(1), int64(1), 1.0}, {int32(13), int64(13), 13.0}},
			[][3]any{{nan, nan, nan}, {-inf, -inf, -inf}, {0.0, 0.0, 0.0}, {2.5649493574615367, 2.5649493574615367, 2.5649493574615367}}},
	}
	for _, c := range cases {
		t.Run(c.fn, func(t *testing.T) {
			for col, arg := range []Arg{mInt, mBigint, mDouble} {
				rows := []mathRow{{in: []any{nil}, want: nil}}
				for i := range c.in {
					rows = append(rows, mathRow{in: []any{c.in[i][col]}, want: c.want[i][col]})
				}
				mathRows(t, c.fn, []Arg{arg}, rows)
			}
		})
	}
}

// TestMathRounded13 mirrors math.json's trigonometric tests, which compare
// ROUND(fn(x), 13) (12 for DEGREES).
func TestMathRounded13(t *testing.T) {
	cases := []struct {
		fn     string
		places int32
		in     [][3]any
		want   [][3]float64
	}{
		{"ACOS", 13, [][3]any{{int32(-1), int64(-1), -0.43}, {int32(0), int64(0), 0.0}, {int32(1), int64(1), 0.43}},
			[][3]float64{{3.1415926535898, 3.1415926535898, 2.0152891037307}, {1.5707963267949, 1.5707963267949, 1.5707963267949}, {0.0, 0.0, 1.1263035498591}}},
		{"ASIN", 13, [][3]any{{int32(-1), int64(-1), -0.43}, {int32(0), int64(0), 0.0}, {int32(1), int64(1), 0.43}},
			[][3]float64{{-1.5707963267949, -1.5707963267949, -0.4444927769358}, {0.0, 0.0, 0.0}, {1.5707963267949, 1.5707963267949, 0.4444927769358}}},
		{"ATAN", 13, [][3]any{{int32(-2), int64(-6), -1.1}, {int32(-1), int64(-1), -0.43}, {int32(0), int64(0), 0.0}, {int32(1), int64(1), 0.43}, {int32(2), int64(6), 1.1}},
			[][3]float64{{-1.1071487177941, -1.4056476493803, -0.8329812666744}, {-0.7853981633974, -0.7853981633974, -0.4060980583176}, {0.0, 0.0, 0.0}, {0.7853981633974, 0.7853981633974, 0.4060980583176}, {1.1071487177941, 1.4056476493803, 0.8329812666744}}},
		{"COS", 13, [][3]any{{int32(-7), int64(-7), -9.1}, {int32(-6), int64(-6), -0.43}, {int32(0), int64(0), 0.0}, {int32(6), int64(6), 0.43}, {int32(7), int64(7), 9.1}},
			[][3]float64{{0.7539022543433, 0.7539022543433, -0.9477216021311}, {0.9601702866504, 0.9601702866504, 0.9089657496749}, {1.0, 1.0, 1.0}, {0.9601702866504, 0.9601702866504, 0.9089657496749}, {0.7539022543433, 0.7539022543433, -0.9477216021311}}},
		{"SIN", 13, [][3]any{{int32(-7), int64(-7), -9.1}, {int32(-6), int64(-6), -0.43}, {int32(0), int64(0), 0.0}, {int32(6), int64(6), 0.43}, {int32(7), int64(7), 9.1}},
			[][3]float64{{-0.6569865987188, -0.6569865987188, -0.3190983623494}, {0.2794154981989, 0.2794154981989, -0.4168708024292}, {0.0, 0.0, 0.0}, {-0.2794154981989, -0.2794154981989, 0.4168708024292}, {0.6569865987188, 0.6569865987188, 0.3190983623494}}},
		{"TAN", 13, [][3]any{{int32(-7), int64(-7), -9.1}, {int32(-6), int64(-6), -0.43}, {int32(0), int64(0), 0.0}, {int32(6), int64(6), 0.43}, {int32(7), int64(7), 9.1}},
			[][3]float64{{-0.8714479827243, -0.8714479827243, 0.3367005264329}, {0.2910061913847, 0.2910061913847, -0.4586210234856}, {0.0, 0.0, 0.0}, {-0.2910061913847, -0.2910061913847, 0.4586210234856}, {0.8714479827243, 0.8714479827243, -0.3367005264329}}},
		{"COT", 13, [][3]any{{int32(-7), int64(-7), -9.1}, {int32(-6), int64(-6), -0.43}, {int32(6), int64(6), 0.43}, {int32(7), int64(7), 9.1}},
			[][3]float64{{-1.1475154224051, -1.1475154224051, 2.9699983263892}, {3.4363530041801, 3.4363530041801, -2.1804495406685}, {-3.4363530041801, -3.4363530041801, 2.1804495406685}, {1.1475154224051, 1.1475154224051, -2.9699983263892}}},
		{"COSH", 13, [][3]any{{int32(-7), int64(-7), -9.1}, {int32(-6), int64(-6), -0.43}, {int32(0), int64(0), 0.0}, {int32(6), int64(6), 0.43}, {int32(7), int64(7), 9.1}},
			[][3]float64{{548.317035155212, 548.317035155212, 4477.646407574158}, {201.7156361224559, 201.7156361224559, 1.0938833091358}, {1.0, 1.0, 1.0}, {201.7156361224559, 201.7156361224559, 1.0938833091358}, {548.317035155212, 548.317035155212, 4477.646407574158}}},
		{"SINH", 13, [][3]any{{int32(-7), int64(-7), -9.1}, {int32(-6), int64(-6), -0.43}, {int32(0), int64(0), 0.0}, {int32(6), int64(6), 0.43}, {int32(7), int64(7), 9.1}},
			[][3]float64{{-548.3161232732465, -548.3161232732465, -4477.64629590835}, {-201.7131573702792, -201.7131573702792, -0.4433742144125}, {0.0, 0.0, 0.0}, {201.7131573702792, 201.7131573702792, 0.4433742144125}, {548.3161232732465, 548.3161232732465, 4477.64629590835}}},
		{"TANH", 13, [][3]any{{int32(-7), int64(-7), -9.1}, {int32(-6), int64(-6), -0.43}, {int32(0), int64(0), 0.0}, {int32(6), int64(6), 0.43}, {int32(7), int64(7), 9.1}},
			[][3]float64{{-0.9999983369439, -0.9999983369439, -0.9999999750615}, {-0.9999877116508, -0.9999877116508, -0.4053213086895}, {0.0, 0.0, 0.0}, {0.9999877116508, 0.9999877116508, 0.4053213086895}, {0.9999983369439, 0.9999983369439, 0.9999999750615}}},
		{"DEGREES", 12, [][3]any{{int32(-2), int64(-2), -1.2345}, {int32(0), int64(0), 0.0}, {int32(2), int64(2), 1.2345}},
			[][3]float64{{-114.591559026165, -114.591559026165, -70.7316398089}, {0.0, 0.0, 0.0}, {114.591559026165, 114.591559026165, 70.7316398089}}},
		{"RADIANS", 13, [][3]any{{int32(-114), int64(-114), -70.73163980890013}, {int32(0), int64(0), 0.0}, {int32(114), int64(114), 70.73163980890013}},
			[][3]float64{{-1.9896753472735, -1.9896753472735, -1.2345}, {0.0, 0.0, 0.0}, {1.9896753472735, 1.9896753472735, 1.2345}}},
	}
	_, round := mathBind(t, "ROUND", mDouble, mathLit(types.INT, int32(13)))
	for _, c := range cases {
		t.Run(c.fn, func(t *testing.T) {
			for col, arg := range []Arg{mInt, mBigint, mDouble} {
				_, impl := mathBind(t, c.fn, arg)
				if got, err := impl([]any{nil}); got != nil || err != nil {
					t.Errorf("%s(NULL) = %v, %v", c.fn, got, err)
				}
				for i := range c.in {
					v, err := impl([]any{c.in[i][col]})
					if err != nil {
						t.Fatal(err)
					}
					r, err := round([]any{v, c.places})
					if err != nil {
						t.Fatal(err)
					}
					if !mathSame(r, c.want[i][col]) {
						t.Errorf("round(%s(%v), %d) = %s, want %s", c.fn, c.in[i][col], c.places, mathShow(r), mathShow(c.want[i][col]))
					}
				}
			}
		})
	}
}

func TestMathEdgeCases(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, fn := range []string{"ACOS", "ASIN"} {
		for col, arg := range []Arg{mInt, mBigint, mDouble} {
			in := [][3]any{{int32(-2), int64(-6), -1.1}, {int32(2), int64(6), 1.1}}
			mathRows(t, fn, []Arg{arg}, []mathRow{{[]any{in[0][col]}, nan}, {[]any{in[1][col]}, nan}})
		}
	}
	mathRows(t, "COT", []Arg{mInt}, []mathRow{{[]any{int32(0)}, inf}, {[]any{nil}, nil}})
	mathRows(t, "COT", []Arg{mDouble}, []mathRow{{[]any{0.0}, inf}})
	mathRows(t, "PI", nil, []mathRow{{nil, 3.141592653589793}})
	_, rnd := mathBind(t, "RANDOM")
	for range 100 {
		v, _ := rnd(nil)
		if f := v.(float64); f < 0 || f >= 1 {
			t.Fatalf("RANDOM() = %v", f)
		}
	}
}

func TestMathAtan2(t *testing.T) {
	// math.json atan2: (iy, ix), (ly, lx), (dy, dx); results rounded to 13 places.
	in := [][6]any{
		{int32(-2), int32(-3), int64(-2), int64(-2), -1.1, -0.24},
		{int32(-2), int32(3), int64(-2), int64(2), -1.1, 0.24},
		{int32(-2), int32(0), int64(-2), int64(0), -1.1, 0.0},
		{int32(2), int32(-3), int64(2), int64(-2), 1.1, -0.24},
		{int32(2), int32(3), int64(2), int64(2), 1.1, 0.24},
		{int32(2), int32(0), int64(2), int64(0), 1.1, 0.0},
		{int32(0), int32(-3), int64(0), int64(-2), 0.0, -0.24},
		{int32(0), int32(3), int64(0), int64(2), 0.0, 0.24},
		{int32(0), int32(0), int64(0), int64(0), 0.0, 0.0},
	}
	want := [][3]float64{
		{-2.5535900500422, -2.3561944901923, -1.7856117271966},
		{-0.5880026035476, -0.7853981633974, -1.3559809263932},
		{-1.5707963267949, -1.5707963267949, -1.5707963267949},
		{2.5535900500422, 2.3561944901923, 1.7856117271966},
		{0.5880026035476, 0.7853981633974, 1.3559809263932},
		{1.5707963267949, 1.5707963267949, 1.5707963267949},
		{3.1415926535898, 3.1415926535898, 3.1415926535898},
		{0.0, 0.0, 0.0},
		{0.0, 0.0, 0.0},
	}
	_, round := mathBind(t, "ROUND", mDouble, mathLit(types.INT, int32(13)))
	for col, arg := range []Arg{mInt, mBigint, mDouble} {
		_, impl := mathBind(t, "ATAN2", arg, arg)
		for _, nulls := range [][]any{{nil, nil}, {nil, in[0][2*col+1]}, {in[0][2*col], nil}} {
			if v, err := impl(nulls); v != nil || err != nil {
				t.Errorf("atan2%v = %v, %v", nulls, v, err)
			}
		}
		for i := range in {
			v, err := impl([]any{in[i][2*col], in[i][2*col+1]})
			if err != nil {
				t.Fatal(err)
			}
			r, _ := round([]any{v, int32(13)})
			if !mathSame(r, want[i][col]) {
				t.Errorf("atan2(%v, %v) = %s, want %v", in[i][2*col], in[i][2*col+1], mathShow(r), want[i][col])
			}
		}
	}
}

func TestMathPowerAndLogBase(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	pin := [][2]float64{{15, -1}, {15, 0}, {0, 0}, {15, 13}, {-15, 2}, {0, 2}, {1, 2}}
	pwant := []float64{0.06666666666666667, 1.0, 1.0, 1946195068359375.0, 225.0, 0.0, 1.0}
	lin := [][2]float64{{15, 13}, {15, 1}, {15, 0}, {15, -13}, {-15, 13}, {0, 13}, {1, 13}}
	lwant := []float64{0.9471572411831843, 0.0, -inf, nan, nan, nan, nan}
	for _, c := range []struct {
		fn   string
		in   [][2]float64
		want []float64
	}{{"POWER", pin, pwant}, {"LOG", lin, lwant}} {
		for _, arg := range []Arg{mInt, mBigint, mDouble} {
			conv := func(f float64) any {
				switch arg.Type.Kind {
				case types.KInt:
					return int32(f)
				case types.KBigint:
					return int64(f)
				}
				return f
			}
			rows := []mathRow{{[]any{nil, conv(13)}, nil}, {[]any{conv(13), nil}, nil}}
			for i, in := range c.in {
				rows = append(rows, mathRow{[]any{conv(in[0]), conv(in[1])}, c.want[i]})
			}
			mathRows(t, c.fn, []Arg{arg, arg}, rows)
		}
	}
}

func TestMathAbsCeilFloor(t *testing.T) {
	dec := mathCol(types.DecimalOf(2, 1))
	mathRows(t, "ABS", []Arg{mInt}, []mathRow{{[]any{nil}, nil}, {[]any{int32(-1)}, int32(1)}, {[]any{int32(0)}, int32(0)}, {[]any{int32(1)}, int32(1)}})
	mathRows(t, "ABS", []Arg{mBigint}, []mathRow{{[]any{int64(-2)}, int64(2)}, {[]any{int64(2)}, int64(2)}})
	mathRows(t, "ABS", []Arg{mDouble}, []mathRow{{[]any{-3.1}, 3.1}, {[]any{0.0}, 0.0}, {[]any{3.3}, 3.3}})
	mathRows(t, "ABS", []Arg{dec}, []mathRow{{[]any{mathDec("-3.2")}, mathDec("3.2")}, {[]any{mathDec("0.0")}, mathDec("0.0")}, {[]any{mathDec("3.4")}, mathDec("3.4")}})
	if ret, _ := mathBind(t, "ABS", dec); !ret.Equal(types.DecimalOf(2, 1)) {
		t.Errorf("ABS(DECIMAL(2,1)) returns %v", ret)
	}

	in := []string{"0.0", "1.0", "1.1", "1.5", "1.7", "2.0", "-1.0", "-1.1", "-1.5", "-1.7", "-2.0"}
	floor := []string{"0.0", "1.0", "1.0", "1.0", "1.0", "2.0", "-1.0", "-2.0", "-2.0", "-2.0", "-2.0"}
	ceil := []string{"0.0", "1.0", "2.0", "2.0", "2.0", "2.0", "-1.0", "-1.0", "-1.0", "-1.0", "-2.0"}
	for _, c := range []struct {
		fn   string
		want []string
	}{{"FLOOR", floor}, {"CEIL", ceil}} {
		var drows, brows []mathRow
		for i := range in {
			f := mathDec(in[i]).Float()
			drows = append(drows, mathRow{[]any{f}, mathDec(c.want[i]).Float()})
			brows = append(brows, mathRow{[]any{mathDec(in[i])}, mathDec(c.want[i])})
		}
		mathRows(t, c.fn, []Arg{mDouble}, drows)
		mathRows(t, c.fn, []Arg{dec}, brows)
		mathRows(t, c.fn, []Arg{mInt}, []mathRow{{[]any{int32(-1)}, int32(-1)}, {[]any{nil}, nil}})
		mathRows(t, c.fn, []Arg{mBigint}, []mathRow{{[]any{int64(1)}, int64(1)}})
	}
}

// TestMathRoundTrunc mirrors math.json's round and trunc tests.
func TestMathRoundTrunc(t *testing.T) {
	places := []int32{0, 1, 2, 10, -1, -2}
	in := []float64{1.2, 1.7, 1.5, 3, 1.234567, 0, 111, -1.1, -1.5, -1.7, 12345.678, -12345.678}
	roundWant := [][]any{
		{int64(1), 1.0, 1.2, 1.2, 1.2, 0.0, 0.0},
		{int64(2), 2.0, 1.7, 1.7, 1.7, 0.0, 0.0},
		{int64(2), 2.0, 1.5, 1.5, 1.5, 0.0, 0.0},
		{int64(3), 3.0, 3.0, 3.0, 3.0, 0.0, 0.0},
		{int64(1), 1.0, 1.2, 1.23, 1.234567, 0.0, 0.0},
		{int64(0), 0.0, 0.0, 0.0, 0.0, 0.0, 0.0},
		{int64(111), 111.0, 111.0, 111.0, 111.0, 110.0, 100.0},
		{int64(-1), -1.0, -1.1, -1.1, -1.1, 0.0, 0.0},
		{int64(-1), -1.0, -1.5, -1.5, -1.5, 0.0, 0.0},
		{int64(-2), -2.0, -1.7, -1.7, -1.7, 0.0, 0.0},
		{int64(12346), 12346.0, 12345.7, 12345.68, 12345.678, 12350.0, 12300.0},
		{int64(-12346), -12346.0, -12345.7, -12345.68, -12345.678, -12350.0, -12300.0},
	}
	truncWant := [][]any{
		{int64(1), 1.0, 1.2, 1.2, 1.2, 0.0, 0.0},
		{int64(1), 1.0, 1.7, 1.7, 1.7, 0.0, 0.0},
		{int64(1), 1.0, 1.5, 1.5, 1.5, 0.0, 0.0},
		{int64(3), 3.0, 3.0, 3.0, 3.0, 0.0, 0.0},
		{int64(1), 1.0, 1.2, 1.23, 1.234567, 0.0, 0.0},
		{int64(0), 0.0, 0.0, 0.0, 0.0, 0.0, 0.0},
		{int64(111), 111.0, 111.0, 111.0, 111.0, 110.0, 100.0},
		{int64(-1), -1.0, -1.1, -1.1, -1.1, 0.0, 0.0},
		{int64(-1), -1.0, -1.5, -1.5, -1.5, 0.0, 0.0},
		{int64(-1), -1.0, -1.7, -1.7, -1.7, 0.0, 0.0},
		{int64(12345), 12345.0, 12345.6, 12345.67, 12345.678, 12340.0, 12300.0},
		{int64(-12345), -12345.0, -12345.6, -12345.67, -12345.678, -12340.0, -12300.0},
	}
	for _, c := range []struct {
		fn   string
		want [][]any
	}{{"ROUND", roundWant}, {"TRUNC", truncWant}} {
		t.Run(c.fn+"/double", func(t *testing.T) {
			rows := []mathRow{{[]any{nil}, nil}}
			for i, v := range in {
				rows = append(rows, mathRow{[]any{v}, c.want[i][0]})
			}
			mathRows(t, c.fn, []Arg{mDouble}, rows)
			for j, p := range places {
				pl := mathLit(types.INT, p)
				rows := []mathRow{{[]any{nil, p}, nil}}
				for i, v := range in {
					rows = append(rows, mathRow{[]any{v, p}, c.want[i][j+1]})
				}
				mathRows(t, c.fn, []Arg{mDouble, pl}, rows)
			}
		})
		t.Run(c.fn+"/decimal", func(t *testing.T) {
			// The value keeps its scale with places; without, it has scale 0.
			dec := mathCol(types.DecimalOf(12, 7))
			for i, v := range in {
				d, _ := types.DecimalFromFloat(v, 7)
				got, err := mathCall(t, c.fn, []Arg{dec}, d)
				want := mathDec(fmt.Sprint(c.want[i][0]))
				if err != nil || !mathSame(got, want) {
					t.Errorf("%s(%s) = %s, %v, want %s", c.fn, d, mathShow(got), err, mathShow(want))
				}
				for j, p := range places {
					got, err := mathCall(t, c.fn, []Arg{dec, mathLit(types.INT, p)}, d, p)
					want, _ := types.DecimalFromFloat(c.want[i][j+1].(float64), 7)
					if err != nil || !mathSame(got, want) {
						t.Errorf("%s(%s, %d) = %s, %v, want %s", c.fn, d, p, mathShow(got), err, mathShow(want))
					}
				}
			}
		})
	}
	// TRUNC/ROUND of integers return BIGINT unchanged.
	ret, _ := mathBind(t, "TRUNC", mInt)
	if ret != types.BIGINT {
		t.Errorf("TRUNC(INT) returns %v", ret)
	}
	mathRows(t, "TRUNC", []Arg{mInt}, []mathRow{{[]any{int32(-12345)}, int64(-12345)}, {[]any{nil}, nil}})
	mathRows(t, "TRUNC", []Arg{mBigint}, []mathRow{{[]any{int64(2147483648)}, int64(2147483648)}})
	mathRows(t, "ROUND", []Arg{mInt}, []mathRow{{[]any{int32(7)}, int64(7)}})
}

// TestMathRoundLargeDecimal mirrors "round with large DECIMAL values - DELIMITED".
func TestMathRoundLargeDecimal(t *testing.T) {
	dec := mathCol(types.DecimalOf(33, 16))
	v := mathDec("12345678987654321.2345678987654321")
	ret, _ := mathBind(t, "ROUND", dec)
	if ret.Kind != types.KDecimal || ret.Scale != 0 || ret.Precision != 17 {
		t.Errorf("ROUND(DECIMAL(33, 16)) returns %v", ret)
	}
	if ret, _ := mathBind(t, "ROUND", dec, mathLit(types.INT, int32(1))); !ret.Equal(types.DecimalOf(33, 16)) {
		t.Errorf("ROUND(DECIMAL(33, 16), 1) returns %v", ret)
	}
	want := []string{"12345678987654321", "12345678987654321.0000000000000000", "12345678987654321.2000000000000000",
		"12345678987654321.2300000000000000", "12345678987654321.2345678988000000", "12345678987654320.0000000000000000",
		"12345678987654300.0000000000000000"}
	got, _ := mathCall(t, "ROUND", []Arg{dec}, v)
	if got.(types.Decimal).String() != want[0] {
		t.Errorf("ROUND = %s", got)
	}
	for i, p := range []int32{0, 1, 2, 10, -1, -2} {
		got, _ := mathCall(t, "ROUND", []Arg{dec, mathLit(types.INT, p)}, v, p)
		if s := got.(types.Decimal).String(); s != want[i+1] {
			t.Errorf("ROUND(v, %d) = %s, want %s", p, s, want[i+1])
		}
	}
	// Huge place counts do not allocate huge numbers.
	for _, p := range []int32{math.MaxInt32, math.MinInt32} {
		if _, err := mathCall(t, "ROUND", []Arg{dec, mathLit(types.INT, p)}, v, p); err != nil {
			t.Error(err)
		}
		if _, err := mathCall(t, "ROUND", []Arg{mDouble, mathLit(types.INT, p)}, 1.5, p); err != nil {
			t.Error(err)
		}
	}
}

func TestMathJavaRound(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want int64
	}{{0.5, 1}, {-0.5, 0}, {2.5, 3}, {-2.5, -2}, {0.49999999999999994, 0}, {math.NaN(), 0},
		{1e300, math.MaxInt64}, {-1e300, math.MinInt64}, {4503599627370497, 4503599627370497}} {
		if got := mathJavaRound(c.in); got != c.want {
			t.Errorf("Math.round(%v) = %d, want %d", c.in, got, c.want)
		}
	}
	// ROUND(x, n) rounds halves of negative values towards zero, as Math.round.
	mathRows(t, "ROUND", []Arg{mDouble, mathLit(types.INT, int32(1))}, []mathRow{{[]any{-1.55, int32(1)}, -1.5}, {[]any{1.55, int32(1)}, 1.6}, {[]any{-0.04, int32(1)}, 0.0}})
	if _, err := mathCall(t, "ROUND", []Arg{mDouble, mathLit(types.INT, int32(1))}, math.NaN(), int32(1)); err == nil {
		t.Error("ROUND(NaN, 1): want an error")
	}
}

func TestMathGeoDistance(t *testing.T) {
	near := func(got any, want float64) bool {
		f, ok := got.(float64)
		return ok && math.Abs(f-want) < 1e-6
	}
	_, four := mathBind(t, "GEO_DISTANCE", mDouble, mDouble, mDouble, mDouble)
	_, five := mathBind(t, "GEO_DISTANCE", mDouble, mDouble, mDouble, mDouble, mString)
	cases := []struct {
		in   []any
		want float64
	}{
		{[]any{37.4439, -122.1663, 51.5257, -0.1122, nil}, 8634.659796579544},
		{[]any{37.4439, -122.1663, 51.5257, -0.1122, "KM"}, 8634.659796579544},
		{[]any{37.4439, -122.1663, 51.5257, -0.1122, "MI"}, 5365.659729188262},
		{[]any{51.5257, -0.1122, -33.9323, 18.4197, nil}, 9673.40421197142},
		{[]any{51.5257, -0.1122, -33.9323, 18.4197, "KM"}, 9673.40421197142},
		{[]any{51.5257, -0.1122, -33.9323, 18.4197, "MI"}, 6011.1453892944355},
		{[]any{-33.9323, 18.4197, -33.8666, 151.1, nil}, 11005.23304055582},
		{[]any{-33.9323, 18.4197, -33.8666, 151.1, "KM"}, 11005.23304055582},
		{[]any{-33.9323, 18.4197, -33.8666, 151.1, "MI"}, 6838.756491533589},
		{[]any{39.18660374, -76.73262144, 39.18660374, -76.73222145, nil}, 0.03447366811448324},
		{[]any{37.4439, -122.1663, 51.0, 0.0, nil}, 8682.459061368269},
	}
	for _, c := range cases {
		got, err := five(c.in)
		if err != nil || !near(got, c.want) {
			t.Errorf("geo_distance%v = %v, %v, want %v", c.in, got, err, c.want)
		}
		if c.in[4] == nil {
			if got, err := four(c.in[:4]); err != nil || !near(got, c.want) {
				t.Errorf("geo_distance%v = %v, %v, want %v", c.in[:4], got, err, c.want)
			}
		}
	}
	// udf-implicit-cast.json: INT, BIGINT and DECIMAL arguments widen to DOUBLE.
	for _, arg := range []Arg{mInt, mBigint, mathCol(types.DecimalOf(3, 1)), mathLit(types.INT, int32(51))} {
		_, impl := mathBind(t, "GEO_DISTANCE", mDouble, mDouble, arg, mathLit(types.INT, int32(0)))
		lat := map[types.Kind]any{types.KInt: int32(51), types.KBigint: int64(51), types.KDecimal: mathDec("51.0")}[arg.Type.Kind]
		if got, err := impl([]any{37.4439, -122.1663, lat, int32(0)}); err != nil || !near(got, 8682.459061368269) {
			t.Errorf("geo_distance with %v = %v, %v", arg.Type, got, err)
		}
	}
	msg := mathBindErr(t, "GEO_DISTANCE", mDouble, mDouble, mathLit(types.STRING, "foo"), mathLit(types.INT, int32(0)))
	if !strings.Contains(msg, "Function 'geo_distance' does not accept parameters") {
		t.Errorf("error %q", msg)
	}
	if _, err := four([]any{91.0, 0.0, 0.0, 0.0}); err == nil {
		t.Error("latitude 91: want an error")
	}
	if _, err := five([]any{1.0, 0.0, 0.0, 0.0, "parsecs"}); err == nil {
		t.Error("unit parsecs: want an error")
	}
}

func TestMathBindErrors(t *testing.T) {
	for _, c := range []struct {
		fn   string
		args []Arg
		want string
	}{
		{"SQRT", []Arg{mString}, "Function 'sqrt' does not accept parameters (STRING)."},
		{"ROUND", []Arg{mDouble, mBigint}, "Function 'round' does not accept parameters (DOUBLE, BIGINT)."},
		{"ABS", []Arg{mInt, mInt}, "Function 'abs' does not accept parameters (INTEGER, INTEGER)."},
	} {
		if got := mathBindErr(t, c.fn, c.args...); !strings.HasPrefix(got, c.want) {
			t.Errorf("%s: error %q, want %q", c.fn, got, c.want)
		}
	}
	// A DECIMAL widens to DOUBLE for the DOUBLE-only functions.
	if ret, _ := mathBind(t, "SQRT", mathCol(types.DecimalOf(4, 2))); ret != types.DOUBLE {
		t.Errorf("SQRT(DECIMAL) returns %v", ret)
	}
}

// mathLnRef is ln(x) correctly rounded, through big.Float.
func mathLnRef(x float64) float64 {
	const prec = 200
	m, k := math.Frexp(x)
	z := new(big.Float).SetPrec(prec).SetFloat64(m) // m in [0.5, 1)
	one := new(big.Float).SetPrec(prec).SetInt64(1)
	s := new(big.Float).SetPrec(prec).Quo(new(big.Float).SetPrec(prec).Sub(z, one), new(big.Float).SetPrec(prec).Add(z, one))
	s2 := new(big.Float).SetPrec(prec).Mul(s, s)
	sum := new(big.Float).SetPrec(prec)
	term := new(big.Float).SetPrec(prec).Set(s)
	for i := int64(1); i < 400; i += 2 {
		sum.Add(sum, new(big.Float).SetPrec(prec).Quo(term, new(big.Float).SetPrec(prec).SetInt64(i)))
		term.Mul(term, s2)
	}
	sum.Mul(sum, new(big.Float).SetPrec(prec).SetInt64(2))
	ln2, _, _ := big.ParseFloat("0.69314718055994530941723212145817656807550013436025525412068000949339362196969471560586332699641868754200148102057068573368552023575813055703267075163507596193072757082837143519030703862389167347112335", 10, prec, big.ToNearestEven)
	sum.Add(sum, new(big.Float).SetPrec(prec).Mul(ln2, new(big.Float).SetPrec(prec).SetInt64(int64(k))))
	f, _ := sum.Float64()
	return f
}

func TestMathLnAccuracy(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	xs := []float64{2, 3, 5, 7, 10, 13, 15, 0.1, 0.5, 1.5, 1e-300, 1e300, math.SmallestNonzeroFloat64, math.MaxFloat64, 1 + 1e-15, 1 - 1e-16}
	for range 3000 {
		xs = append(xs, math.Exp(r.Float64()*1400-700), r.Float64()*2+0.3)
	}
	bad := 0
	for _, x := range xs {
		if got, want := mathLn(x), mathLnRef(x); got != want {
			bad++
			t.Logf("ln(%v) = %v, want %v", x, got, want)
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d logarithms not correctly rounded", bad, len(xs))
	}
}

// TestMathRegistered checks that this package's math, date/time, collection and lambda
// functions are registered once each and resolve through Builtins.
func TestMathRegistered(t *testing.T) {
	names := strings.Fields(`ABS CEIL FLOOR ROUND TRUNC SIGN SQRT CBRT EXP LN LOG POWER RANDOM PI DEGREES RADIANS
		SIN COS TAN COT ASIN ACOS ATAN ATAN2 SINH COSH TANH GEO_DISTANCE
		UNIX_TIMESTAMP UNIX_DATE FROM_UNIXTIME FROM_DAYS STRINGTOTIMESTAMP TIMESTAMPTOSTRING STRINGTODATE
		DATETOSTRING PARSE_DATE FORMAT_DATE PARSE_TIME FORMAT_TIME PARSE_TIMESTAMP FORMAT_TIMESTAMP CONVERT_TZ
		DATEADD DATESUB TIMEADD TIMESUB TIMESTAMPADD TIMESTAMPSUB
		ARRAY_CONTAINS ARRAY_DISTINCT ARRAY_EXCEPT ARRAY_INTERSECT ARRAY_UNION ARRAY_JOIN ARRAY_LENGTH ARRAY_MAX
		ARRAY_MIN ARRAY_SORT ARRAY_REMOVE ARRAY_CONCAT SLICE ENTRIES GENERATE_SERIES MAP_KEYS MAP_VALUES MAP_UNION
		AS_MAP TRANSFORM FILTER REDUCE`)
	count := map[string]int{}
	for _, s := range builtinScalars {
		count[strings.ToUpper(s.Name)]++
	}
	for _, n := range names {
		if count[n] != 1 {
			t.Errorf("%s registered %d times", n, count[n])
		}
	}
	for _, n := range names {
		s := mathFind(t, n)
		if s.Description == "" || len(s.Signatures) == 0 || s.Category == "" {
			t.Errorf("%s: missing description, signatures or category", n)
		}
	}
}
