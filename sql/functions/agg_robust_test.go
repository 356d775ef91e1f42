package functions

import (
	"fmt"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// TestAggNoPanics feeds every built-in aggregate and table function values, states and
// argument lists of the wrong shape: each call must return (an error or a value), never
// panic.
func TestAggNoPanics(t *testing.T) {
	st := types.StructOf(types.Field{Name: "A", Type: types.INT})
	garbage := []any{nil, true, int32(7), int64(-3), 2.5, aggDec("1.25"), "s", []byte("b"),
		types.Date(1), types.Time(2), types.Timestamp(3), []any{int32(1), nil, "x"},
		map[any]any{"k": int32(1)}, aggStructOf(st, int32(1)), aggStructOf(nil), []any{aggStructOf(st)},
		[]any{[]any{int32(1)}}, fmt.Errorf("not a SQL value")}
	argTypes := [][]Arg{
		nil,
		{aggCol(types.INT)}, {aggCol(types.BIGINT)}, {aggCol(types.DOUBLE)}, {aggCol(types.DecimalOf(4, 2))},
		{aggCol(types.STRING)}, {aggCol(types.BYTES)}, {aggCol(types.ArrayOf(types.INT))},
		{aggCol(types.ArrayOf(types.DOUBLE))}, {aggCol(st)},
		{aggCol(types.INT), aggLit(types.INT, int32(2))}, {aggCol(types.DecimalOf(4, 2)), aggLit(types.INT, int32(2))},
		{aggCol(types.INT), aggLit(types.BOOLEAN, false)}, {aggCol(types.INT), aggLit(types.INT, int32(2)), aggLit(types.BOOLEAN, false)},
		{aggCol(types.INT), aggCol(types.STRING), aggLit(types.INT, int32(2))},
		{aggCol(types.DOUBLE), aggCol(types.INT)},
	}
	safe := func(t *testing.T, what string, f func()) {
		t.Helper()
		defer func() {
			if r := recover(); r != nil {
				t.Errorf("%s panicked: %v", what, r)
			}
		}()
		f()
	}
	for _, n := range Builtins().Names() {
		switch n[1] {
		case "AGGREGATE":
			a := Builtins().Aggregate(n[0])
			for _, args := range argTypes {
				var impl *AggregateImpl
				safe(t, n[0]+" bind", func() { impl, _ = a.Bind(args, nil) })
				if impl == nil {
					continue
				}
				what := fmt.Sprintf("%s%v", n[0], args)
				states := append([]any{impl.Init()}, garbage...)
				if s, err := impl.Add(impl.Init(), []any{int32(1), int32(2), false}); err == nil {
					states = append(states, s)
				}
				for _, s := range states {
					safe(t, what+" result", func() { _, _ = impl.Result(s) })
					for _, v := range garbage {
						for _, row := range [][]any{nil, {v}, {v, v}, {v, int32(2), true}, {v, v, v, v}} {
							safe(t, what+" add", func() { _, _ = impl.Add(s, row) })
							if impl.Undo != nil {
								safe(t, what+" undo", func() { _, _ = impl.Undo(s, row) })
							}
						}
					}
					if impl.Merge != nil {
						for _, s2 := range states {
							safe(t, what+" merge", func() { _, _ = impl.Merge(s, s2) })
						}
					}
				}
			}
		case "TABLE":
			f := Builtins().Table(n[0])
			for _, args := range append(argTypes, []Arg{aggCol(types.ArrayOf(types.DecimalOf(4, 2)))}) {
				var impl TableImpl
				safe(t, n[0]+" bind", func() { _, impl, _ = f.Bind(args, nil) })
				if impl == nil {
					continue
				}
				for _, v := range garbage {
					for _, row := range [][]any{nil, {v}, {v, v}} {
						safe(t, n[0]+" call", func() { _, _ = impl(row) })
					}
				}
			}
		}
	}
}
