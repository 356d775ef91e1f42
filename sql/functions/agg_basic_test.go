package functions

import (
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// Cases mirror count.json, sum.json (core), average-udaf.json, having.json, group-by.json
// and the MIN/MAX uses in case-expression.json and the window files.

type aggCase struct {
	name  string
	fn    string
	args  []Arg
	cfg   Config
	steps []aggStep
}

func runAggCases(t *testing.T, cases []aggCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			aggRun(t, aggBind(t, c.fn, c.args, c.cfg), c.steps)
		})
	}
}

func TestAggCount(t *testing.T) {
	runAggCases(t, []aggCase{
		{name: "count()", fn: "COUNT", steps: []aggStep{aggAdd(int64(1)), aggAdd(int64(2))}},
		{name: "count(*) table back to zero", fn: "COUNT", steps: []aggStep{
			aggAdd(int64(1)), aggAdd(int64(2)), aggUndo(int64(1)), aggUndo(int64(0))}},
		{name: "count literal", fn: "COUNT", args: []Arg{aggLit(types.INT, int32(1))}, steps: []aggStep{
			aggAdd(int64(1), int32(1)), aggAdd(int64(2), int32(1))}},
		{name: "count table", fn: "COUNT", args: []Arg{aggLit(types.INT, int32(1))}, steps: []aggStep{
			aggAdd(int64(1), int32(1)), aggUndo(int64(0), int32(1))}},
		{name: "count column skips nulls", fn: "COUNT", args: []Arg{aggCol(types.STRING)}, steps: []aggStep{
			aggAdd(int64(1), "bob"), aggAdd(int64(1), nil), aggAdd(int64(2), "bob"),
			aggUndo(int64(2), nil), aggUndo(int64(1), "bob")}},
		{name: "count struct column", fn: "COUNT", args: []Arg{aggCol(types.StructOf(types.Field{Name: "A", Type: types.INT}))},
			steps: []aggStep{aggAdd(int64(1), aggStructOf(nil, int32(1)))}},
		{name: "count null literal", fn: "COUNT", args: []Arg{aggLit(types.NULL, nil)}, steps: []aggStep{
			aggAdd(int64(0), nil)}},
	})
	if err := aggBindErr("COUNT", []Arg{aggCol(types.INT), aggCol(types.INT)}, nil); err == nil ||
		!strings.Contains(err.Error(), "Function 'count' does not accept parameters (INTEGER, INTEGER).") {
		t.Fatalf("count(a, b): %v", err)
	}
	impl := aggBind(t, "COUNT", nil, nil)
	if impl.Returns != types.BIGINT || impl.Undo == nil || impl.Merge == nil {
		t.Fatalf("count: %+v", impl)
	}
	m, err := impl.Merge(int64(2), int64(3))
	if err != nil || m != int64(5) {
		t.Fatalf("merge: %v %v", m, err)
	}
}

func TestAggSum(t *testing.T) {
	d41 := types.DecimalOf(4, 1)
	runAggCases(t, []aggCase{
		{name: "int", fn: "SUM", args: []Arg{aggCol(types.INT)}, steps: []aggStep{
			aggAdd(int32(0), int32(0)), aggAdd(int32(100), int32(100))}},
		{name: "int other key", fn: "SUM", args: []Arg{aggCol(types.INT)}, steps: []aggStep{
			aggAdd(int32(500), int32(500)), aggAdd(int32(600), int32(100))}},
		{name: "int left join of table", fn: "SUM", args: []Arg{aggCol(types.INT)}, steps: []aggStep{
			aggAdd(int32(0), nil),
			aggUndo(aggNoCheck{}, nil), aggAdd(int32(5), int32(5)),
			aggUndo(aggNoCheck{}, int32(5)), aggAdd(int32(20), int32(20)),
			aggUndo(aggNoCheck{}, int32(20)), aggAdd(int32(0), nil)}},
		{name: "long", fn: "SUM", args: []Arg{aggCol(types.BIGINT)}, steps: []aggStep{
			aggAdd(int64(2147483648), int64(2147483648)), aggAdd(int64(2147483748), int64(100))}},
		{name: "double", fn: "SUM", args: []Arg{aggCol(types.DOUBLE)}, steps: []aggStep{
			aggAdd(5.4, 5.4), aggAdd(105.5, 100.1)}},
		{name: "double other key", fn: "SUM", args: []Arg{aggCol(types.DOUBLE)}, steps: []aggStep{
			aggAdd(500.9, 500.9), aggAdd(801.7, 300.8)}},
		{name: "decimal", fn: "SUM", args: []Arg{aggCol(d41)}, steps: []aggStep{
			aggAdd(aggDec("5.4"), aggDec("5.4")), aggAdd(aggDec("105.5"), aggDec("100.1"))}},
		{name: "decimal with overflow", fn: "SUM", args: []Arg{aggCol(d41)}, steps: []aggStep{
			aggAdd(aggDec("500.9"), aggDec("500.9")), aggAdd(aggDec("801.7"), aggDec("300.8")),
			{args: []any{aggDec("400.8")}, wantErr: "Numeric field overflow"}}},
		{name: "decimal cast to higher precision", fn: "SUM", args: []Arg{aggCol(types.DecimalOf(6, 2))}, steps: []aggStep{
			aggAdd(aggDec("500.90"), aggDec("500.90")), aggAdd(aggDec("801.70"), aggDec("300.80")),
			aggAdd(aggDec("1202.50"), aggDec("400.80"))}},
		{name: "decimal cast to lower precision overflows", fn: "SUM", args: []Arg{aggCol(types.DecimalOf(3, 1))}, steps: []aggStep{
			aggAdd(aggDec("50.9"), aggDec("50.9")), {args: []any{aggDec("50.8")}, wantErr: "Numeric field overflow"}}},
		{name: "decimal all null is zero with scale", fn: "SUM", args: []Arg{aggCol(d41)}, steps: []aggStep{
			aggAdd(aggDec("0.0"), nil), aggAdd(aggDec("1.0"), aggDec("1.0")), aggUndo(aggDec("0.0"), aggDec("1.0"))}},
		{name: "double map value", fn: "SUM", args: []Arg{aggCol(types.DOUBLE)}, steps: []aggStep{
			aggAdd(10.0, 10.0), aggAdd(20.0, 10.0), aggAdd(30.0, 10.0), aggAdd(40.0, 10.0), aggAdd(50.0, 10.0)}},
		{name: "constant int arg", fn: "SUM", args: []Arg{aggLit(types.INT, int32(2))}, steps: []aggStep{
			aggAdd(int32(2), int32(2)), aggAdd(int32(4), int32(2)), aggAdd(int32(6), int32(2))}},
		{name: "constant long arg", fn: "SUM", args: []Arg{aggLit(types.BIGINT, int64(2))}, steps: []aggStep{
			aggAdd(int64(2), int64(2)), aggAdd(int64(4), int64(2))}},
		{name: "constant double arg", fn: "SUM", args: []Arg{aggLit(types.DOUBLE, 1.0)}, steps: []aggStep{
			aggAdd(1.0, 1.0), aggAdd(2.0, 1.0), aggAdd(3.0, 1.0)}},
		{name: "having: windowed sum", fn: "SUM", args: []Arg{aggCol(types.BIGINT)}, steps: []aggStep{
			aggAdd(int64(101), int64(101)), aggAdd(int64(96), int64(-5))}},
		{name: "int wraps like Java", fn: "SUM", args: []Arg{aggCol(types.INT)}, steps: []aggStep{
			aggAdd(int32(2147483647), int32(2147483647)), aggAdd(int32(-2147483648), int32(1))}},
	})
	for _, c := range []struct {
		arg  *types.Type
		want *types.Type
	}{
		{types.INT, types.INT}, {types.BIGINT, types.BIGINT}, {types.DOUBLE, types.DOUBLE},
		{types.DecimalOf(4, 1), types.DecimalOf(4, 1)},
	} {
		impl := aggBind(t, "SUM", []Arg{aggCol(c.arg)}, nil)
		if !impl.Returns.Equal(c.want) || !impl.StateType.Equal(c.want) || impl.Undo == nil || impl.Merge == nil {
			t.Fatalf("sum(%s): returns %s", c.arg, impl.Returns)
		}
	}
	if err := aggBindErr("SUM", []Arg{aggCol(types.STRING)}, nil); err == nil ||
		!strings.HasPrefix(err.Error(), "Function 'sum' does not accept parameters (STRING).\nValid alternatives are:\nsum(INT val)") {
		t.Fatalf("sum(string): %v", err)
	}
}

func TestAggSumList(t *testing.T) {
	runAggCases(t, []aggCase{
		{name: "doubles", fn: "SUM_LIST", args: []Arg{aggCol(types.ArrayOf(types.DOUBLE))}, steps: []aggStep{
			aggAdd(2.0, []any{1.0, 1.0}), aggAdd(6.0, []any{2.0, 2.0}),
			aggAdd(922337203692.0, []any{922337203685.0, 1.0}), aggAdd(922337203694.0, []any{1.0, 1.0, nil})}},
		{name: "ints", fn: "SUM_LIST", args: []Arg{aggCol(types.ArrayOf(types.INT))}, steps: []aggStep{
			aggAdd(int32(2), []any{int32(1), int32(1)}), aggAdd(int32(6), []any{int32(2), int32(2)}),
			aggAdd(int32(206), []any{int32(100), int32(100)}), aggAdd(int32(406), []any{int32(100), int32(100), nil}),
			aggUndo(int32(206), []any{int32(100), int32(100)}), aggAdd(int32(206), nil)}},
		{name: "longs", fn: "SUM_LIST", args: []Arg{aggCol(types.ArrayOf(types.BIGINT))}, steps: []aggStep{
			aggAdd(int64(2), []any{int64(1), int64(1)}), aggAdd(int64(6), []any{int64(2), int64(2)}),
			aggAdd(int64(206), []any{int64(100), int64(100)}), aggAdd(int64(406), []any{int64(100), int64(100), nil})}},
	})
}

func TestAggAvg(t *testing.T) {
	runAggCases(t, []aggCase{
		{name: "int alice", fn: "AVG", args: []Arg{aggCol(types.INT)}, steps: []aggStep{
			aggAdd(1.0, int32(1)), aggAdd(1.5, int32(2)), aggAdd(1.6666666666666667, int32(2)),
			aggAdd(1.6666666666666667, nil)}},
		{name: "int bob", fn: "AVG", args: []Arg{aggCol(types.INT)}, steps: []aggStep{
			aggAdd(2.0, int32(2)), aggAdd(2.0, int32(2)), aggAdd(1.3333333333333333, int32(0))}},
		{name: "long alice", fn: "AVG", args: []Arg{aggCol(types.BIGINT)}, steps: []aggStep{
			aggAdd(-1.0, int64(-1)), aggAdd(4.611686018427388e+18, int64(9223372036854775807)),
			aggAdd(3.0744573456182584e+18, int64(1)), aggAdd(3.0744573456182584e+18, nil)}},
		{name: "long bob", fn: "AVG", args: []Arg{aggCol(types.BIGINT)}, steps: []aggStep{
			aggAdd(2.0, int64(2)), aggAdd(0.0, int64(-2)), aggAdd(0.0, int64(0))}},
		{name: "double alice", fn: "AVG", args: []Arg{aggCol(types.DOUBLE)}, steps: []aggStep{
			aggAdd(-1.8, -1.8), aggAdd(4611686018426.487, 9223372036854.775), aggAdd(3074457345651.058, 100.2),
			aggAdd(3074457345651.058, nil)}},
		{name: "double bob", fn: "AVG", args: []Arg{aggCol(types.DOUBLE)}, steps: []aggStep{
			aggAdd(2.3, 2.3), aggAdd(-99999.15000000001, -200000.6), aggAdd(-66666.1, 0.0)}},
		{name: "udaf with table", fn: "AVG", args: []Arg{aggCol(types.INT)}, steps: []aggStep{
			aggAdd(1.0, int32(1)), aggAdd(1.5, int32(2)),
			aggUndo(aggNoCheck{}, int32(1)), aggAdd(2.0, nil),
			aggUndo(aggNoCheck{}, nil), aggAdd(3.0, int32(4))}},
		{name: "no values", fn: "AVG", args: []Arg{aggCol(types.INT)}, steps: []aggStep{aggAdd(0.0, nil)}},
		{name: "decimal widens to double", fn: "AVG", args: []Arg{aggCol(types.DecimalOf(4, 1))}, steps: []aggStep{
			aggAdd(1.5, aggDec("1.5")), aggAdd(2.0, aggDec("2.5"))}},
	})
	impl := aggBind(t, "AVG", []Arg{aggCol(types.INT)}, nil)
	if impl.Returns != types.DOUBLE || impl.StateType.String() != "STRUCT<`SUM` INTEGER, `COUNT` BIGINT>" {
		t.Fatalf("avg(int): %s %s", impl.Returns, impl.StateType)
	}
	a := aggFold(t, impl, []any{int32(1)}, []any{int32(2)})
	b := aggFold(t, impl, []any{int32(6)})
	m, err := impl.Merge(a, b)
	if err != nil || aggFmt(aggResult(t, impl, m)) != aggFmt(3.0) {
		t.Fatalf("merge: %v %v", aggFmt(m), err)
	}
}

func TestAggMinMax(t *testing.T) {
	d := types.DecimalOf(4, 2)
	runAggCases(t, []aggCase{
		{name: "min case expression", fn: "MIN", args: []Arg{aggCol(types.INT)}, steps: []aggStep{
			aggAdd(int32(120125102), int32(120125102)), aggAdd(int32(120125102), nil)}},
		{name: "min null first", fn: "MIN", args: []Arg{aggCol(types.INT)}, steps: []aggStep{
			aggAdd(nil, nil), aggAdd(int32(100125102), int32(100125102))}},
		{name: "min tumbling", fn: "MIN", args: []Arg{aggCol(types.BIGINT)}, steps: []aggStep{
			aggAdd(int64(100), int64(100)), aggAdd(int64(6), int64(6)), aggAdd(int64(6), int64(300))}},
		{name: "max hopping", fn: "MAX", args: []Arg{aggCol(types.BIGINT)}, steps: []aggStep{
			aggAdd(int64(0), int64(0)), aggAdd(int64(5), int64(5)), aggAdd(int64(6), int64(6)), aggAdd(int64(6), nil)}},
		{name: "max double", fn: "MAX", args: []Arg{aggCol(types.DOUBLE)}, steps: []aggStep{
			aggAdd(-1.5, -1.5), aggAdd(2.5, 2.5), aggAdd(2.5, 0.0)}},
		{name: "max decimal", fn: "MAX", args: []Arg{aggCol(d)}, steps: []aggStep{
			aggAdd(aggDec("1.50"), aggDec("1.50")), aggAdd(aggDec("10.25"), aggDec("10.25")), aggAdd(aggDec("10.25"), aggDec("-3.00"))}},
		{name: "min string", fn: "MIN", args: []Arg{aggCol(types.STRING)}, steps: []aggStep{
			aggAdd("b", "b"), aggAdd("a", "a"), aggAdd("a", "c")}},
		{name: "max timestamp", fn: "MAX", args: []Arg{aggCol(types.TIMESTAMP)}, steps: []aggStep{
			aggAdd(types.Timestamp(5), types.Timestamp(5)), aggAdd(types.Timestamp(7), types.Timestamp(7))}},
		{name: "min date", fn: "MIN", args: []Arg{aggCol(types.DATE)}, steps: []aggStep{
			aggAdd(types.Date(5), types.Date(5)), aggAdd(types.Date(3), types.Date(3))}},
		{name: "max time", fn: "MAX", args: []Arg{aggCol(types.TIME)}, steps: []aggStep{
			aggAdd(types.Time(5), types.Time(5)), aggAdd(types.Time(5), types.Time(3))}},
		{name: "max bytes", fn: "MAX", args: []Arg{aggCol(types.BYTES)}, steps: []aggStep{
			aggAdd([]byte("a"), []byte("a")), aggAdd([]byte("b"), []byte("b"))}},
		{name: "min windowstart", fn: "MIN", args: []Arg{aggCol(types.BIGINT)}, steps: []aggStep{
			aggAdd(int64(1000), int64(1000))}},
	})
	impl := aggBind(t, "MAX", []Arg{aggCol(d)}, nil)
	if !impl.Returns.Equal(d) {
		t.Fatalf("max(decimal): %s", impl.Returns)
	}
	for _, fn := range []string{"MIN", "MAX"} {
		impl := aggBind(t, fn, []Arg{aggCol(types.BIGINT)}, nil)
		if impl.Undo != nil {
			t.Fatalf("%s must not be undoable (not on tables)", fn)
		}
		m, err := impl.Merge(int64(3), int64(9))
		want := map[string]int64{"MIN": 3, "MAX": 9}[fn]
		if err != nil || m != want {
			t.Fatalf("%s merge: %v %v", fn, m, err)
		}
		if m, _ := impl.Merge(nil, int64(4)); m != int64(4) {
			t.Fatalf("%s merge with empty: %v", fn, m)
		}
	}
	if err := aggBindErr("MAX", []Arg{aggCol(types.BOOLEAN)}, nil); err == nil ||
		!strings.HasPrefix(err.Error(), "Function 'max' does not accept parameters (BOOLEAN).") {
		t.Fatalf("max(boolean): %v", err)
	}
}

// TestAggTableSupport checks which aggregates can be undone (ksqlDB's
// TableAggregationFunction): the others are refused on tables by the engine.
func TestAggTableSupport(t *testing.T) {
	undo := map[string]bool{
		"COUNT": true, "SUM": true, "SUM_LIST": true, "AVG": true, "COLLECT_LIST": true,
		"COLLECT_SET": true, "HISTOGRAM": true, "STDDEV_SAMP": true, "CORRELATION": true, "ATTR": true,
		"MIN": false, "MAX": false, "LATEST_BY_OFFSET": false, "EARLIEST_BY_OFFSET": false,
		"TOPK": false, "TOPKDISTINCT": false, "COUNT_DISTINCT": false,
	}
	args := map[string][]Arg{
		"SUM_LIST":     {aggCol(types.ArrayOf(types.INT))},
		"HISTOGRAM":    {aggCol(types.STRING)},
		"CORRELATION":  {aggCol(types.DOUBLE), aggCol(types.DOUBLE)},
		"TOPK":         {aggCol(types.INT), aggLit(types.INT, int32(2))},
		"TOPKDISTINCT": {aggCol(types.INT), aggLit(types.INT, int32(2))},
	}
	for fn, want := range undo {
		a := args[fn]
		if a == nil {
			a = []Arg{aggCol(types.INT)}
		}
		impl := aggBind(t, fn, a, nil)
		if (impl.Undo != nil) != want {
			t.Errorf("%s: undo %v, want %v", fn, impl.Undo != nil, want)
		}
		if impl.Merge == nil {
			t.Errorf("%s: no merge", fn)
		}
	}
}
