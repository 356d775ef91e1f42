package functions

import (
	"math"
	"strconv"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// Cases mirror count-distinct.json; the sketch is also checked for accuracy at larger
// cardinalities and for sharing chunks between states.

func TestAggCountDistinct(t *testing.T) {
	runAggCases(t, []aggCase{
		{name: "count distinct foo", fn: "COUNT_DISTINCT", args: []Arg{aggCol(types.STRING)}, steps: []aggStep{
			aggAdd(int64(1), "one"), aggAdd(int64(2), "two"), aggAdd(int64(2), "one"), aggAdd(int64(2), "two"),
			aggAdd(int64(2), nil)}},
		{name: "count distinct bar", fn: "COUNT_DISTINCT", args: []Arg{aggCol(types.STRING)}, steps: []aggStep{
			aggAdd(int64(1), "one")}},
		{name: "no values", fn: "COUNT_DISTINCT", args: []Arg{aggCol(types.INT)}, steps: []aggStep{
			aggAdd(int64(0), nil)}},
		{name: "decimals by value", fn: "COUNT_DISTINCT", args: []Arg{aggCol(types.DecimalOf(4, 2))}, steps: []aggStep{
			aggAdd(int64(1), aggDec("1.50")), aggAdd(int64(1), aggDec("1.5")), aggAdd(int64(2), aggDec("2.00"))}},
		{name: "maps in any order", fn: "COUNT_DISTINCT", args: []Arg{aggCol(types.MapOf(types.STRING, types.INT))}, steps: []aggStep{
			aggAdd(int64(1), map[any]any{"a": int32(1), "b": int32(2)}), aggAdd(int64(1), map[any]any{"b": int32(2), "a": int32(1)}),
			aggAdd(int64(2), map[any]any{"a": int32(1)})}},
		{name: "arrays and structs", fn: "COUNT_DISTINCT", args: []Arg{aggCol(types.ArrayOf(types.INT))}, steps: []aggStep{
			aggAdd(int64(1), []any{int32(1), nil}), aggAdd(int64(1), []any{int32(1), nil}), aggAdd(int64(2), []any{nil, int32(1)})}},
	})
	impl := aggBind(t, "COUNT_DISTINCT", []Arg{aggCol(types.BIGINT)}, nil)
	if impl.Returns != types.BIGINT || impl.StateType.String() != "ARRAY<ARRAY<INTEGER>>" || impl.Undo != nil {
		t.Fatalf("types: %s %s", impl.Returns, impl.StateType)
	}
	for _, n := range []int{10, 100, 1000, 5000, 20000, 200000} {
		s := impl.Init()
		var err error
		for i := range n {
			// every value twice
			for range 2 {
				if s, err = impl.Add(s, []any{int64(i) * 7919}); err != nil {
					t.Fatal(err)
				}
			}
		}
		got := aggResult(t, impl, s).(int64)
		tol := 0.03
		if n <= 100 {
			tol = 0.0
		}
		if math.Abs(float64(got)-float64(n)) > tol*float64(n) {
			t.Errorf("%d distinct values: estimate %d", n, got)
		}
		if n >= 20000 {
			// One more value copies at most the chunk it changes.
			var next any
			for i := 0; next == nil || aggFmt(next) == aggFmt(s); i++ {
				if next, err = impl.Add(s, []any{int64(-i - 1)}); err != nil {
					t.Fatal(err)
				}
			}
			shared := 0
			for c := range aggHllChunks {
				c1, _ := s.([]any)[c].([]any)
				c2, _ := next.([]any)[c].([]any)
				if len(c1) > 0 && len(c2) > 0 && &c1[0] == &c2[0] {
					shared++
				}
			}
			if shared != aggHllChunks-1 {
				t.Errorf("%d of %d chunks shared after an Add", shared, aggHllChunks)
			}
		}
	}
	// Merge: the union's cardinality.
	a, b := impl.Init(), impl.Init()
	var err error
	for i := range 3000 {
		if a, err = impl.Add(a, []any{int64(i)}); err != nil {
			t.Fatal(err)
		}
		if b, err = impl.Add(b, []any{int64(i + 1500)}); err != nil {
			t.Fatal(err)
		}
	}
	m, err := impl.Merge(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if got := aggResult(t, impl, m).(int64); math.Abs(float64(got)-4500) > 0.03*4500 {
		t.Errorf("merged estimate %d, want about 4500", got)
	}
	small, err := impl.Merge(aggFold(t, impl, []any{int64(1)}), aggFold(t, impl, []any{int64(1)}, []any{int64(2)}))
	if err != nil || aggResult(t, impl, small) != int64(2) {
		t.Fatalf("small merge: %s %v", aggFmt(small), err)
	}
}

// TestAggCountDistinctStrings checks exactness for small string sets (no register
// collisions among typical values).
func TestAggCountDistinctStrings(t *testing.T) {
	impl := aggBind(t, "COUNT_DISTINCT", []Arg{aggCol(types.STRING)}, nil)
	s := impl.Init()
	var err error
	for i := range 50 {
		if s, err = impl.Add(s, []any{"value-" + strconv.Itoa(i)}); err != nil {
			t.Fatal(err)
		}
		if got := aggResult(t, impl, s); got != int64(i+1) {
			t.Fatalf("after %d values: %v", i+1, got)
		}
	}
}
