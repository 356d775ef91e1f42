package functions

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// lambdaOf builds a lambda argument whose body is a Go function; ret computes the body's
// type from the parameter types.
func lambdaOf(n int, ret func(p []*types.Type) *types.Type, body func(a []any) any) Arg {
	return Arg{Lambda: &Lambda{Params: n, Bind: func(p []*types.Type) (*types.Type, LambdaFunc, error) {
		if len(p) != n {
			return nil, nil, fmt.Errorf("bound with %d parameters", len(p))
		}
		return ret(p), func(_ any, a []any) (any, error) { return body(a), nil }, nil
	}}}
}

// lambdaAddTypes is the type of a + b over INT/BIGINT.
func lambdaAddTypes(a, b *types.Type) *types.Type {
	if a.Kind == types.KBigint || b.Kind == types.KBigint {
		return types.BIGINT
	}
	return types.INT
}

// lambdaAdd adds INT/BIGINT values (NULL if either is), as the + operator.
func lambdaAdd(a, b any) any {
	if a == nil || b == nil {
		return nil
	}
	x, y := types.ToDecimal(a), types.ToDecimal(b)
	s, _ := x.Add(y).Int64()
	_, ai := a.(int32)
	_, bi := b.(int32)
	if ai && bi {
		return int32(s)
	}
	return s
}

// lambdaPlus is (s, x) => s + x.
var lambdaPlus = lambdaOf(2, func(p []*types.Type) *types.Type { return lambdaAddTypes(p[0], p[1]) },
	func(a []any) any { return lambdaAdd(a[0], a[1]) })

// reduce-array.json
func TestLambdaReduceArray(t *testing.T) {
	ints := collArr(types.INT)
	ret, _ := mathBind(t, "REDUCE", ints, mathLit(types.INT, int32(2)), lambdaPlus)
	if ret != types.INT {
		t.Errorf("REDUCE returns %v", ret)
	}
	mathRows(t, "REDUCE", []Arg{ints, mathLit(types.INT, int32(2)), lambdaPlus}, []mathRow{
		{[]any{collL(int32(3), int32(6)), int32(2)}, int32(11)},
		{[]any{collL(int32(5), nil), int32(2)}, nil},
		{[]any{nil, int32(2)}, int32(2)},
	})
	mathRows(t, "REDUCE", []Arg{ints, mBigint, lambdaPlus}, []mathRow{
		{[]any{collL(int32(1), int32(2)), nil}, nil},
		{[]any{nil, nil}, nil},
		{[]any{collL(int32(1), int32(2)), int64(3)}, int64(6)},
	})
	concat := lambdaOf(2, func([]*types.Type) *types.Type { return types.STRING }, func(a []any) any {
		var b strings.Builder
		for _, v := range a {
			if s, ok := v.(string); ok {
				b.WriteString(s)
			}
		}
		return b.String()
	})
	mathRows(t, "REDUCE", []Arg{collArr(types.STRING), mathLit(types.STRING, ""), concat}, []mathRow{
		{[]any{collL("blah", "blah", "blaaah"), ""}, "blahblahblaaah"},
		{[]any{collL("to be or", nil), ""}, "to be or"},
		{[]any{nil, ""}, ""},
	})
	// An INT state summing BIGINTs becomes a BIGINT state (pull-queries: REDUCE(ID, 0, ...)).
	ret, _ = mathBind(t, "REDUCE", collArr(types.BIGINT), mathLit(types.INT, int32(0)), lambdaPlus)
	if ret != types.BIGINT {
		t.Errorf("REDUCE(ARRAY<BIGINT>, 0, ...) returns %v", ret)
	}
	mathRows(t, "REDUCE", []Arg{collArr(types.BIGINT), mathLit(types.INT, int32(0)), lambdaPlus}, []mathRow{
		{[]any{collL(int64(3), int64(4)), int32(0)}, int64(7)},
		{[]any{collL(), int32(0)}, int64(0)},
	})
	// A BIGINT state summing INT results stays BIGINT.
	mathRows(t, "REDUCE", []Arg{ints, mathLit(types.BIGINT, int64(1)), lambdaOf(2, func([]*types.Type) *types.Type { return types.INT },
		func(a []any) any { return a[1] })}, []mathRow{{[]any{collL(int32(4), int32(5)), int64(1)}, int64(5)}})
}

// pull-queries-against-materialized-aggregates.json: TRANSFORM(ID, x => 2 * x).
func TestLambdaTransformArray(t *testing.T) {
	double := lambdaOf(1, func(p []*types.Type) *types.Type { return p[0] }, func(a []any) any {
		if a[0] == nil {
			return nil
		}
		return a[0].(int32) * 2
	})
	ret, _ := mathBind(t, "TRANSFORM", collArr(types.INT), double)
	if !ret.Equal(types.ArrayOf(types.INT)) {
		t.Errorf("TRANSFORM returns %v", ret)
	}
	mathRows(t, "TRANSFORM", []Arg{collArr(types.INT), double}, []mathRow{
		{[]any{collL(int32(3), int32(4))}, collL(int32(6), int32(8))},
		{[]any{collL(int32(1), nil)}, collL(int32(2), nil)},
		{[]any{collL()}, collL()},
		{[]any{nil}, nil},
	})
}

// complex-lambda.json "transform a map with array values":
// TRANSFORM(TRANSFORM(VALUE, (x,y) => x, (x,y) => FILTER(y, z => z < 5)), (x,y) => UCASE(x), (k,v) => ARRAY_MAX(v)).
func TestLambdaTransformMap(t *testing.T) {
	mt := types.MapOf(types.STRING, types.ArrayOf(types.INT))
	key := lambdaOf(2, func(p []*types.Type) *types.Type { return p[0] }, func(a []any) any { return a[0] })
	// (x, y) => FILTER(y, z => z < 5), through the FILTER built-in itself.
	less5 := lambdaOf(1, func([]*types.Type) *types.Type { return types.BOOLEAN }, func(a []any) any {
		if a[0] == nil {
			return nil
		}
		return a[0].(int32) < 5
	})
	filterRet, filter := mathBind(t, "FILTER", collArr(types.INT), less5)
	inner := lambdaOf(2, func([]*types.Type) *types.Type { return filterRet }, func(a []any) any {
		v, err := filter([]any{a[1], nil})
		if err != nil {
			t.Fatal(err)
		}
		return v
	})
	innerRet, innerImpl := mathBind(t, "TRANSFORM", mathCol(mt), key, inner)
	if !innerRet.Equal(mt) {
		t.Fatalf("inner TRANSFORM returns %v", innerRet)
	}
	ucase := lambdaOf(2, func([]*types.Type) *types.Type { return types.STRING }, func(a []any) any { return strings.ToUpper(a[0].(string)) })
	maxRet, arrayMax := mathBind(t, "ARRAY_MAX", collArr(types.INT))
	amax := lambdaOf(2, func([]*types.Type) *types.Type { return maxRet }, func(a []any) any {
		v, _ := arrayMax([]any{a[1]})
		return v
	})
	outerRet, outer := mathBind(t, "TRANSFORM", mathCol(innerRet), ucase, amax)
	if !outerRet.Equal(types.MapOf(types.STRING, types.INT)) {
		t.Fatalf("TRANSFORM returns %v", outerRet)
	}
	for _, c := range []struct{ in, want map[any]any }{
		{map[any]any{"a": collL(int32(2), nil, int32(5), int32(4)), "b": collL(int32(-1), int32(-2))}, map[any]any{"A": int32(4), "B": int32(-1)}},
		{map[any]any{"c": collL(nil, nil, int32(-1)), "t": collL(int32(3), int32(1))}, map[any]any{"C": int32(-1), "T": int32(3)}},
		{map[any]any{"d": collL(int32(4)), "q": collL(int32(0), int32(0))}, map[any]any{"D": int32(4), "Q": int32(0)}},
	} {
		mid, err := innerImpl([]any{c.in, nil, nil})
		if err != nil {
			t.Fatal(err)
		}
		got, err := outer([]any{mid, nil, nil})
		if err != nil || !mathSame(got, c.want) {
			t.Errorf("TRANSFORM(%v) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	// Two keys mapping to one is an error, as Java's Collectors.toMap.
	constKey := lambdaOf(2, func([]*types.Type) *types.Type { return types.STRING }, func([]any) any { return "k" })
	if _, err := mathCall(t, "TRANSFORM", []Arg{mathCol(mt), constKey, inner}, map[any]any{"a": collL(), "b": collL()}); err == nil || !strings.Contains(err.Error(), "Duplicate key k") {
		t.Errorf("duplicate keys: %v", err)
	}
}

// complex-lambda.json "complex lambda":
// TRANSFORM(FILTER(MAPPING, (a, b) => LEN(a) > 2 AND REDUCE(b, 0, (c, d) => c+d) < 20),
//
//	(X,Y) => LPAD(x, REDUCE(Y, 2, (s, k) => ABS(ABS(k)-s)), 'a'),
//	(X,Y) => REDUCE(ARRAY_UNION(Y, TRANSFORM(Y, z => z*3)), 0, (e, f) => e+f))
func TestLambdaComplex(t *testing.T) {
	ints := collArr(types.INT)
	mt := types.MapOf(types.STRING, types.ArrayOf(types.INT))
	_, sum := mathBind(t, "REDUCE", ints, mathLit(types.INT, int32(0)), lambdaPlus)
	pred := lambdaOf(2, func([]*types.Type) *types.Type { return types.BOOLEAN }, func(a []any) any {
		if utf8.RuneCountInString(a[0].(string)) <= 2 {
			return false
		}
		s, _ := sum([]any{a[1], int32(0), nil})
		if s == nil {
			return nil
		}
		return s.(int32) < 20
	})
	fret, filter := mathBind(t, "FILTER", mathCol(mt), pred)
	absDiff := lambdaOf(2, func([]*types.Type) *types.Type { return types.INT }, func(a []any) any {
		s, k := a[0].(int32), a[1].(int32)
		abs := func(v int32) int32 {
			if v < 0 {
				return -v
			}
			return v
		}
		return abs(abs(k) - s)
	})
	_, padLen := mathBind(t, "REDUCE", ints, mathLit(types.INT, int32(2)), absDiff)
	keyFn := lambdaOf(2, func([]*types.Type) *types.Type { return types.STRING }, func(a []any) any {
		n, _ := padLen([]any{a[1], int32(2), nil})
		s, l := a[0].(string), int(n.(int32))
		for len(s) < l {
			s = "a" + s
		}
		return s[:l]
	})
	times3 := lambdaOf(1, func([]*types.Type) *types.Type { return types.INT }, func(a []any) any { return a[0].(int32) * 3 })
	_, tr := mathBind(t, "TRANSFORM", ints, times3)
	_, union := mathBind(t, "ARRAY_UNION", ints, ints)
	valFn := lambdaOf(2, func([]*types.Type) *types.Type { return types.INT }, func(a []any) any {
		t3, _ := tr([]any{a[1], nil})
		u, _ := union([]any{a[1], t3})
		s, _ := sum([]any{u, int32(0), nil})
		return s
	})
	_, out := mathBind(t, "TRANSFORM", mathCol(fret), keyFn, valFn)
	for _, c := range []struct{ in, want any }{
		{map[any]any{"a": collL(int32(2), int32(4), int32(5)), "bcd": collL(int32(-5), int32(7))}, map[any]any{"abcd": int32(8)}},
		{map[any]any{"hello": collL(int32(200), int32(4), int32(5)), "hey": collL(int32(14), int32(-3), int32(-15), int32(3)), "wow": collL(int32(2), int32(3), int32(4))},
			map[any]any{"hey": int32(-4), "w": int32(36)}},
		{map[any]any{"a": nil, "bcdefg": collL(int32(-15), int32(72))}, map[any]any{}},
		{nil, nil},
	} {
		f, err := filter([]any{c.in, nil})
		if err != nil {
			t.Fatal(err)
		}
		got, err := out([]any{f, nil, nil})
		if err != nil || !mathSame(got, c.want) {
			t.Errorf("complex lambda on %v = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}

// complex-lambda.json "reduce an array of maps": the map form of REDUCE with (s, k, v).
func TestLambdaReduceMap(t *testing.T) {
	mt := types.MapOf(types.STRING, types.INT)
	twice := lambdaOf(3, func(p []*types.Type) *types.Type { return p[0] }, func(a []any) any {
		if a[0] == nil || a[2] == nil {
			return nil
		}
		return a[0].(int32) + 2*a[2].(int32)
	})
	mathRows(t, "REDUCE", []Arg{mathCol(mt), mathLit(types.INT, int32(0)), twice}, []mathRow{
		{[]any{map[any]any{"goodmorningleah": int32(34)}, int32(0)}, int32(68)},
		{[]any{map[any]any{"a": int32(1), "b": int32(2)}, int32(5)}, int32(11)},
		{[]any{map[any]any{}, int32(5)}, int32(5)},
		{[]any{nil, int32(5)}, int32(5)},
	})
	mathRows(t, "FILTER", []Arg{mathCol(mt), lambdaOf(2, func([]*types.Type) *types.Type { return types.BOOLEAN }, func(a []any) any {
		if a[1] == nil {
			return nil
		}
		return a[1].(int32)%2 != 0
	})}, []mathRow{
		{[]any{map[any]any{"a": int32(1), "b": int32(2), "c": nil}}, map[any]any{"a": int32(1)}},
		{[]any{nil}, nil},
	})
}

func TestLambdaBindErrors(t *testing.T) {
	ints := collArr(types.INT)
	one := lambdaOf(1, func(p []*types.Type) *types.Type { return p[0] }, func(a []any) any { return a[0] })
	two := lambdaOf(2, func(p []*types.Type) *types.Type { return p[0] }, func(a []any) any { return a[0] })
	for _, c := range []struct {
		fn   string
		args []Arg
		want string
	}{
		{"TRANSFORM", []Arg{ints, two}, "Was expecting 1 arguments but found 2"},
		{"TRANSFORM", []Arg{mInt, one}, "Function 'transform' does not accept parameters (INTEGER, LAMBDA)."},
		{"TRANSFORM", []Arg{ints, mInt}, "Function 'transform' does not accept parameters (ARRAY<INTEGER>, INTEGER)."},
		{"FILTER", []Arg{ints, one}, "expects a lambda returning BOOLEAN"},
		{"FILTER", []Arg{mathLit(types.NULL, nil), one}, "Function 'filter' does not accept parameters (null, LAMBDA)."},
		{"REDUCE", []Arg{ints, mathLit(types.STRING, ""), lambdaPlus}, "Function 'reduce' does not accept parameters (ARRAY<INTEGER>, STRING, LAMBDA)."},
		{"REDUCE", []Arg{ints, one}, "Function 'reduce' does not accept parameters"},
	} {
		if got := mathBindErr(t, c.fn, c.args...); !strings.Contains(got, c.want) {
			t.Errorf("%s: error %q, want %q", c.fn, got, c.want)
		}
	}
	// An error of the body stops the evaluation.
	failing := Arg{Lambda: &Lambda{Params: 1, Bind: func([]*types.Type) (*types.Type, LambdaFunc, error) {
		return types.INT, func(any, []any) (any, error) { return nil, fmt.Errorf("boom") }, nil
	}}}
	if _, err := mathCall(t, "TRANSFORM", []Arg{ints, failing}, collL(int32(1))); err == nil || err.Error() != "boom" {
		t.Errorf("failing lambda: %v", err)
	}
}
