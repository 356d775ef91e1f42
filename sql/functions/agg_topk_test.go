package functions

import (
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// Cases mirror topk-group-by.json and the TOPK/TOPKDISTINCT window cases.

func TestAggTopk(t *testing.T) {
	k3 := aggLit(types.INT, int32(3))
	k2 := aggLit(types.INT, int32(2))
	ints := func(v ...int32) []any {
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = x
		}
		return out
	}
	runAggCases(t, []aggCase{
		{name: "integer", fn: "TOPK", args: []Arg{aggCol(types.INT), k3}, steps: []aggStep{
			aggAdd(ints(0), int32(0), int32(3)), aggAdd(ints(100, 0), int32(100), int32(3)),
			aggAdd(ints(100, 99, 0), int32(99), int32(3)), aggAdd(ints(100, 99, 7), int32(7), int32(3)),
			aggAdd(ints(100, 100, 99), int32(100), int32(3))}},
		{name: "long", fn: "TOPK", args: []Arg{aggCol(types.BIGINT), k3}, steps: []aggStep{
			aggAdd([]any{int64(2147483648)}, int64(2147483648), int32(3)),
			aggAdd([]any{int64(2147483648), int64(100)}, int64(100), int32(3)),
			aggAdd([]any{int64(2147483648), int64(100), int64(99)}, int64(99), int32(3)),
			aggAdd([]any{int64(2147483648), int64(100), int64(99)}, int64(7), int32(3)),
			aggAdd([]any{int64(2147483648), int64(100), int64(100)}, int64(100), int32(3))}},
		{name: "double", fn: "TOPK", args: []Arg{aggCol(types.DOUBLE), k3}, steps: []aggStep{
			aggAdd([]any{2147483648.9}, 2147483648.9, int32(3)),
			aggAdd([]any{2147483648.9, 100.5}, 100.5, int32(3)),
			aggAdd([]any{2147483648.9, 100.5, 99.9}, 99.9, int32(3)),
			aggAdd([]any{2147483648.9, 100.5, 99.9}, 7.3, int32(3)),
			aggAdd([]any{2147483648.9, 100.5, 100.5}, 100.5, int32(3))}},
		{name: "string", fn: "TOPK", args: []Arg{aggCol(types.STRING), k3}, steps: []aggStep{
			aggAdd([]any{"a"}, "a", int32(3)), aggAdd([]any{"b", "a"}, "b", int32(3)),
			aggAdd([]any{"c", "b", "a"}, "c", int32(3)), aggAdd([]any{"c", "b", "b"}, "b", int32(3)),
			aggAdd([]any{"d", "c", "b"}, "d", int32(3))}},
		{name: "nulls ignored", fn: "TOPK", args: []Arg{aggCol(types.INT), k3}, steps: []aggStep{
			aggAdd([]any{}, nil, int32(3)), aggAdd(ints(1), int32(1), int32(3))}},
		{name: "hopping", fn: "TOPK", args: []Arg{aggCol(types.DOUBLE), k2}, steps: []aggStep{
			aggAdd([]any{0.0}, 0.0, int32(2)), aggAdd([]any{100.0, 0.0}, 100.0, int32(2))}},
		{name: "tumbling", fn: "TOPK", args: []Arg{aggCol(types.DOUBLE), k2}, steps: []aggStep{
			aggAdd([]any{0.0}, 0.0, int32(2)), aggAdd([]any{100.0, 0.0}, 100.0, int32(2)),
			aggAdd([]any{100.0, 10.0}, 10.0, int32(2))}},
	})
}

func TestAggTopkStruct(t *testing.T) {
	k3 := aggLit(types.INT, int32(3))
	for _, c := range []struct {
		name string
		typ  *types.Type
		in   []any
		want [][][2]any // per step, the (sort_col, col0) pairs
	}{
		{"integer struct", types.INT, []any{int32(0), "zero", int32(100), "one", int32(99), "two", nil, "three", int32(100), nil},
			[][][2]any{
				{{int32(0), "zero"}},
				{{int32(100), "one"}, {int32(0), "zero"}},
				{{int32(100), "one"}, {int32(99), "two"}, {int32(0), "zero"}},
				{{int32(100), "one"}, {int32(99), "two"}, {int32(0), "zero"}},
				{{int32(100), "one"}, {int32(100), nil}, {int32(99), "two"}},
			}},
		{"long struct", types.BIGINT, []any{int64(2147483648), "zero", int64(100), "one", int64(99), "two", nil, "three", int64(100), nil},
			[][][2]any{
				{{int64(2147483648), "zero"}},
				{{int64(2147483648), "zero"}, {int64(100), "one"}},
				{{int64(2147483648), "zero"}, {int64(100), "one"}, {int64(99), "two"}},
				{{int64(2147483648), "zero"}, {int64(100), "one"}, {int64(99), "two"}},
				{{int64(2147483648), "zero"}, {int64(100), "one"}, {int64(100), nil}},
			}},
		{"double struct", types.DOUBLE, []any{2147483648.9, "zero", 100.5, "one", 99.9, "two", nil, "three", 100.5, nil},
			[][][2]any{
				{{2147483648.9, "zero"}},
				{{2147483648.9, "zero"}, {100.5, "one"}},
				{{2147483648.9, "zero"}, {100.5, "one"}, {99.9, "two"}},
				{{2147483648.9, "zero"}, {100.5, "one"}, {99.9, "two"}},
				{{2147483648.9, "zero"}, {100.5, "one"}, {100.5, nil}},
			}},
		{"string struct", types.STRING, []any{"a", "zero", nil, "one", "c", "two", "b", "three", "d", nil},
			[][][2]any{
				{{"a", "zero"}},
				{{"a", "zero"}},
				{{"c", "two"}, {"a", "zero"}},
				{{"c", "two"}, {"b", "three"}, {"a", "zero"}},
				{{"d", nil}, {"c", "two"}, {"b", "three"}},
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			impl := aggBind(t, "TOPK", []Arg{aggCol(c.typ), aggCol(types.STRING), k3}, nil)
			st := types.StructOf(types.Field{Name: "sort_col", Type: c.typ}, types.Field{Name: "col0", Type: types.STRING})
			if !impl.Returns.Equal(types.ArrayOf(st)) {
				t.Fatalf("returns %s", impl.Returns)
			}
			steps := make([]aggStep, len(c.want))
			for i, w := range c.want {
				want := make([]any, len(w))
				for j, p := range w {
					want[j] = aggStructOf(st, p[0], p[1])
				}
				steps[i] = aggAdd(want, c.in[2*i], c.in[2*i+1], int32(3))
			}
			aggRun(t, impl, steps)
		})
	}
}

func TestAggTopkDistinct(t *testing.T) {
	k2 := aggLit(types.INT, int32(2))
	runAggCases(t, []aggCase{
		{name: "tumbling", fn: "TOPKDISTINCT", args: []Arg{aggCol(types.DOUBLE), k2}, steps: []aggStep{
			aggAdd([]any{0.0}, 0.0, int32(2)), aggAdd([]any{100.0, 0.0}, 100.0, int32(2)),
			aggAdd([]any{100.0, 10.0}, 10.0, int32(2)), aggAdd([]any{100.0, 10.0}, 100.0, int32(2))}},
		{name: "hopping", fn: "TOPKDISTINCT", args: []Arg{aggCol(types.DOUBLE), k2}, steps: []aggStep{
			aggAdd([]any{0.0}, 0.0, int32(2)), aggAdd([]any{100.0, 0.0}, 100.0, int32(2)),
			aggAdd([]any{100.0, 0.0}, 100.0, int32(2))}},
		{name: "decimal", fn: "TOPKDISTINCT", args: []Arg{aggCol(types.DecimalOf(4, 1)), k2}, steps: []aggStep{
			aggAdd([]any{aggDec("1.5")}, aggDec("1.5"), int32(2)), aggAdd([]any{aggDec("1.5")}, aggDec("1.5"), int32(2)),
			aggAdd([]any{aggDec("2.0"), aggDec("1.5")}, aggDec("2.0"), int32(2))}},
	})
	impl := aggBind(t, "TOPKDISTINCT", []Arg{aggCol(types.INT), aggLit(types.INT, int32(3))}, nil)
	a := aggFold(t, impl, []any{int32(5), int32(3)}, []any{int32(1), int32(3)})
	b := aggFold(t, impl, []any{int32(5), int32(3)}, []any{int32(4), int32(3)})
	m, err := impl.Merge(a, b)
	if err != nil || aggFmt(m) != aggFmt([]any{int32(5), int32(4), int32(1)}) {
		t.Fatalf("merge: %s %v", aggFmt(m), err)
	}
}

func TestAggTopkBind(t *testing.T) {
	impl := aggBind(t, "TOPK", []Arg{aggCol(types.DecimalOf(4, 1)), aggLit(types.INT, int32(2))}, nil)
	if impl.Returns.String() != "ARRAY<DOUBLE>" {
		t.Fatalf("topk(decimal) widens to DOUBLE: %s", impl.Returns)
	}
	if got := aggResult(t, impl, aggFold(t, impl, []any{aggDec("1.5"), int32(2)})); aggFmt(got) != aggFmt([]any{1.5}) {
		t.Fatalf("topk(decimal): %s", aggFmt(got))
	}
	// NULL matches the first overload, as in ksqlDB's resolution.
	if impl := aggBind(t, "TOPK", []Arg{aggLit(types.NULL, nil), aggLit(types.INT, int32(2))}, nil); impl.Returns.String() != "ARRAY<INTEGER>" {
		t.Fatalf("topk(null): %s", impl.Returns)
	}
	for _, c := range []struct {
		fn   string
		args []Arg
		want string
	}{
		{"TOPK", []Arg{aggCol(types.INT), aggCol(types.INT)}, "Parameter 2 passed to function TOPK must be a literal constant"},
		{"TOPK", []Arg{aggCol(types.INT), aggLit(types.INT, int32(0))}, "k must be 1 or greater"},
		{"TOPK", []Arg{aggCol(types.BOOLEAN), aggLit(types.INT, int32(2))}, "Function 'topk' does not accept parameters (BOOLEAN, INTEGER)."},
		{"TOPK", []Arg{aggCol(types.INT)}, "Function 'topk' does not accept parameters (INTEGER)."},
		{"TOPK", []Arg{aggCol(types.INT), aggLit(types.STRING, "x")}, "Function 'topk' does not accept parameters (INTEGER, STRING)."},
		{"TOPKDISTINCT", []Arg{aggCol(types.INT), aggCol(types.STRING), aggLit(types.INT, int32(2))}, "Function 'topkdistinct' does not accept"},
	} {
		err := aggBindErr(c.fn, c.args, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s%v: %v, want %q", c.fn, c.args, err, c.want)
		}
	}
}
