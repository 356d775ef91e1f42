package functions

import (
	"math"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

func aggNear(t *testing.T, what string, got any, want float64) {
	t.Helper()
	f, ok := got.(float64)
	if !ok || math.Abs(f-want) > 1e-9*math.Max(1, math.Abs(want)) {
		t.Fatalf("%s: got %s, want %v", what, aggFmt(got), want)
	}
}

func TestAggStddevSamp(t *testing.T) {
	for _, c := range []struct {
		typ  *types.Type
		vals []any
	}{
		{types.INT, []any{int32(2), int32(4), int32(4), int32(4), int32(5), int32(5), int32(7), int32(9)}},
		{types.BIGINT, []any{int64(2), int64(4), int64(4), int64(4), int64(5), int64(5), int64(7), int64(9)}},
		{types.DOUBLE, []any{2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0}},
	} {
		impl := aggBind(t, "STDDEV_SAMP", []Arg{aggCol(c.typ)}, nil)
		if impl.Returns != types.DOUBLE {
			t.Fatalf("returns %s", impl.Returns)
		}
		s := impl.Init()
		if got := aggResult(t, impl, s); got != 0.0 {
			t.Fatalf("empty: %v", got)
		}
		var err error
		for _, v := range append(c.vals, nil) {
			if s, err = impl.Add(s, []any{v}); err != nil {
				t.Fatal(err)
			}
		}
		// mean 5, squared deviations 32, sample variance 32/7
		aggNear(t, c.typ.String(), aggResult(t, impl, s), math.Sqrt(32.0/7))
		// undo 9 and 2: 4 4 4 5 5 7, mean 29/6
		for _, v := range []any{c.vals[7], c.vals[0], nil} {
			if s, err = impl.Undo(s, []any{v}); err != nil {
				t.Fatal(err)
			}
		}
		aggNear(t, c.typ.String()+" undo", aggResult(t, impl, s), aggSampleStddev(4, 4, 4, 5, 5, 7))
		// merge two halves
		a := aggFold(t, impl, []any{c.vals[0]}, []any{c.vals[1]}, []any{c.vals[2]})
		b := aggFold(t, impl, []any{c.vals[3]}, []any{c.vals[4]}, []any{c.vals[5]}, []any{c.vals[6]}, []any{c.vals[7]})
		m, err := impl.Merge(a, b)
		if err != nil {
			t.Fatal(err)
		}
		aggNear(t, c.typ.String()+" merge", aggResult(t, impl, m), math.Sqrt(32.0/7))
		one := aggFold(t, impl, []any{c.vals[0]})
		if got := aggResult(t, impl, one); got != 0.0 {
			t.Fatalf("one value: %v", got)
		}
		if s, err = impl.Undo(one, []any{c.vals[0]}); err != nil || aggFmt(s) != aggFmt(impl.Init()) {
			t.Fatalf("undo to empty: %s %v", aggFmt(s), err)
		}
	}
}

func aggSampleStddev(v ...float64) float64 {
	mean := 0.0
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	ss := 0.0
	for _, x := range v {
		ss += (x - mean) * (x - mean)
	}
	return math.Sqrt(ss / float64(len(v)-1))
}

func TestAggCorrelation(t *testing.T) {
	impl := aggBind(t, "CORRELATION", []Arg{aggCol(types.DOUBLE), aggCol(types.INT)}, nil)
	if impl.Returns != types.DOUBLE {
		t.Fatalf("returns %s", impl.Returns)
	}
	if got := aggResult(t, impl, impl.Init()); !math.IsNaN(got.(float64)) {
		t.Fatalf("empty: %v", got)
	}
	s := aggFold(t, impl, []any{1.0, int32(2)}, []any{2.0, int32(4)}, []any{3.0, int32(6)}, []any{nil, int32(1)}, []any{4.0, nil})
	aggNear(t, "perfect", aggResult(t, impl, s), 1.0)
	s, err := impl.Add(s, []any{4.0, int32(-10)})
	if err != nil {
		t.Fatal(err)
	}
	// x 1 2 3 4, y 2 4 6 -10
	aggNear(t, "mixed", aggResult(t, impl, s), -17/math.Sqrt(5*155))
	if s, err = impl.Undo(s, []any{4.0, int32(-10)}); err != nil {
		t.Fatal(err)
	}
	aggNear(t, "undo", aggResult(t, impl, s), 1.0)
	m, err := impl.Merge(aggFold(t, impl, []any{1.0, int32(3)}), aggFold(t, impl, []any{2.0, int32(2)}, []any{3.0, int32(1)}))
	if err != nil {
		t.Fatal(err)
	}
	aggNear(t, "merge", aggResult(t, impl, m), -1.0)
	if err := aggBindErr("CORRELATION", []Arg{aggCol(types.STRING), aggCol(types.DOUBLE)}, nil); err == nil {
		t.Fatal("correlation(string, double) accepted")
	}
}
