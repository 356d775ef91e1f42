package functions

import (
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// Cases mirror collect-list.json and collect-set.json.

func aggCollectComplex() (*types.Type, func(a string, m map[any]any, d any) *types.Struct) {
	st := types.StructOf(types.Field{Name: "A", Type: types.STRING},
		types.Field{Name: "M", Type: types.MapOf(types.STRING, types.DOUBLE)},
		types.Field{Name: "D", Type: types.DecimalOf(4, 1)})
	return types.ArrayOf(st), func(a string, m map[any]any, d any) *types.Struct {
		return aggStructOf(st, a, m, d)
	}
}

func TestAggCollectList(t *testing.T) {
	ct, s := aggCollectComplex()
	e0 := []any{s("Early0", map[any]any{"Early0": 1.234}, aggDec("123.4")), s("Early2", map[any]any{"Early2": 1.23456}, nil)}
	e1 := []any{s("Early1", map[any]any{"Early0": 2.345}, aggDec("234.5"))}
	l0 := []any{s("Later0", map[any]any{"Early0": 3.45}, nil)}
	l1 := []any{s("Later0", map[any]any{"Early0": 3.45}, aggDec("0.1"))}
	st := types.StructOf(types.Field{Name: "A", Type: types.STRING}, types.Field{Name: "B", Type: types.BIGINT})
	runAggCases(t, []aggCase{
		{name: "arrays structs and maps key 0", fn: "COLLECT_LIST", args: []Arg{aggCol(ct)}, steps: []aggStep{
			aggAdd([]any{e0}, e0), aggAdd([]any{e0, e1}, e1)}},
		{name: "arrays structs and maps key 1", fn: "COLLECT_LIST", args: []Arg{aggCol(ct)}, steps: []aggStep{
			aggAdd([]any{l0}, l0), aggAdd([]any{l0, l1}, l1), aggAdd([]any{l0, l1, []any{nil}}, []any{nil}),
			aggAdd([]any{l0, l1, []any{nil}, nil}, nil)}},
		{name: "maps", fn: "COLLECT_LIST", args: []Arg{aggCol(types.MapOf(types.STRING, types.BIGINT))}, steps: []aggStep{
			aggAdd([]any{map[any]any{"Record0": int64(100)}}, map[any]any{"Record0": int64(100)}),
			aggAdd([]any{map[any]any{"Record0": int64(100)}, map[any]any{"Record0": int64(100)}}, map[any]any{"Record0": int64(100)})}},
		{name: "arrays", fn: "COLLECT_LIST", args: []Arg{aggCol(types.ArrayOf(types.INT))}, steps: []aggStep{
			aggAdd([]any{[]any{int32(0), int32(1)}}, []any{int32(0), int32(1)}),
			aggAdd([]any{[]any{int32(0), int32(1)}, []any{int32(2)}}, []any{int32(2)})}},
		{name: "struct", fn: "COLLECT_LIST", args: []Arg{aggCol(st)}, steps: []aggStep{
			aggAdd([]any{aggStructOf(st, "Record0", int64(1))}, aggStructOf(st, "Record0", int64(1))),
			aggAdd([]any{aggStructOf(st, "Record0", int64(1)), aggStructOf(st, "Record1", int64(100))}, aggStructOf(st, "Record1", int64(100)))}},
		{name: "int", fn: "COLLECT_LIST", args: []Arg{aggCol(types.INT)}, steps: []aggStep{
			aggAdd([]any{int32(0)}, int32(0)), aggAdd([]any{int32(0), int32(100)}, int32(100))}},
		{name: "long", fn: "COLLECT_LIST", args: []Arg{aggCol(types.BIGINT)}, steps: []aggStep{
			aggAdd([]any{int64(2147483648)}, int64(2147483648)), aggAdd([]any{int64(2147483648), int64(100)}, int64(100))}},
		{name: "decimal with nulls", fn: "COLLECT_LIST", args: []Arg{aggCol(types.DecimalOf(4, 1))}, steps: []aggStep{
			aggAdd([]any{aggDec("500.9")}, aggDec("500.9")),
			aggAdd([]any{aggDec("500.9"), aggDec("300.8")}, aggDec("300.8")),
			aggAdd([]any{aggDec("500.9"), aggDec("300.8"), nil}, nil),
			aggAdd([]any{aggDec("500.9"), aggDec("300.8"), nil, aggDec("300.8")}, aggDec("300.8")),
			aggAdd([]any{aggDec("500.9"), aggDec("300.8"), nil, aggDec("300.8"), nil}, nil)}},
		{name: "double", fn: "COLLECT_LIST", args: []Arg{aggCol(types.DOUBLE)}, steps: []aggStep{
			aggAdd([]any{5.4}, 5.4), aggAdd([]any{5.4, 100.1}, 100.1)}},
		{name: "string", fn: "COLLECT_LIST", args: []Arg{aggCol(types.STRING)}, steps: []aggStep{
			aggAdd([]any{"baz"}, "baz"), aggAdd([]any{"baz", "baz"}, "baz"), aggAdd([]any{"baz", "baz", "foo"}, "foo"),
			aggAdd([]any{"baz", "baz", "foo", nil}, nil)}},
		{name: "bool", fn: "COLLECT_LIST", args: []Arg{aggCol(types.BOOLEAN)}, steps: []aggStep{
			aggAdd([]any{true}, true), aggAdd([]any{true, false}, false), aggAdd([]any{true, false, true}, true)}},
		{name: "timestamp", fn: "COLLECT_LIST", args: []Arg{aggCol(types.TIMESTAMP)}, steps: []aggStep{
			aggAdd([]any{types.Timestamp(10)}, types.Timestamp(10)), aggAdd([]any{types.Timestamp(10), types.Timestamp(20)}, types.Timestamp(20))}},
		{name: "time", fn: "COLLECT_LIST", args: []Arg{aggCol(types.TIME)}, steps: []aggStep{
			aggAdd([]any{types.Time(10)}, types.Time(10))}},
		{name: "date", fn: "COLLECT_LIST", args: []Arg{aggCol(types.DATE)}, steps: []aggStep{
			aggAdd([]any{types.Date(10)}, types.Date(10))}},
		{name: "bytes", fn: "COLLECT_LIST", args: []Arg{aggCol(types.BYTES)}, steps: []aggStep{
			aggAdd([]any{[]byte("a")}, []byte("a")), aggAdd([]any{[]byte("a"), []byte("b")}, []byte("b"))}},
		{name: "int table", fn: "COLLECT_LIST", args: []Arg{aggCol(types.INT)}, steps: []aggStep{
			aggAdd([]any{int32(0)}, int32(0)), aggUndo([]any{}, int32(0)), aggAdd([]any{int32(100)}, int32(100))}},
		{name: "undo removes the last equal value", fn: "COLLECT_LIST", args: []Arg{aggCol(types.STRING)}, steps: []aggStep{
			aggAdd([]any{"a"}, "a"), aggAdd([]any{"a", "b"}, "b"), aggAdd([]any{"a", "b", "a"}, "a"),
			aggUndo([]any{"a", "b"}, "a"), aggUndo([]any{"a", "b"}, "zzz"), aggUndo([]any{"b"}, "a")}},
		{name: "undo null", fn: "COLLECT_LIST", args: []Arg{aggCol(types.STRING)}, steps: []aggStep{
			aggAdd([]any{nil}, nil), aggUndo([]any{}, nil)}},
		{name: "limit of 1", fn: "COLLECT_LIST", args: []Arg{aggCol(types.INT)},
			cfg: Config{"ksql.functions.collect_list.limit": "1"}, steps: []aggStep{
				aggAdd([]any{int32(0)}, int32(0)), aggAdd([]any{int32(0)}, int32(100)), aggUndo([]any{int32(0)}, int32(100))}},
		{name: "negative limit: none", fn: "COLLECT_LIST", args: []Arg{aggCol(types.INT)},
			cfg: Config{"ksql.functions.collect_list.limit": "-1"}, steps: []aggStep{
				aggAdd([]any{int32(0)}, int32(0)), aggAdd([]any{int32(0), int32(1)}, int32(1))}},
	})
	impl := aggBind(t, "COLLECT_LIST", []Arg{aggCol(types.INT)}, Config{"ksql.functions.collect_list.limit": "3"})
	a := aggFold(t, impl, []any{int32(1)}, []any{int32(2)})
	b := aggFold(t, impl, []any{int32(3)}, []any{int32(4)})
	m, err := impl.Merge(a, b)
	if err != nil || aggFmt(m) != aggFmt([]any{int32(1), int32(2), int32(3)}) {
		t.Fatalf("merge: %s %v", aggFmt(m), err)
	}
	if !impl.Returns.Equal(types.ArrayOf(types.INT)) {
		t.Fatalf("returns %s", impl.Returns)
	}
	// The collect_set limit does not apply to COLLECT_LIST.
	impl = aggBind(t, "COLLECT_LIST", []Arg{aggCol(types.INT)}, Config{"ksql.functions.collect_set.limit": "1"})
	if got := aggResult(t, impl, aggFold(t, impl, []any{int32(1)}, []any{int32(2)})); len(got.([]any)) != 2 {
		t.Fatalf("collect_set limit applied to collect_list: %s", aggFmt(got))
	}
	if err := aggBindErr("COLLECT_LIST", []Arg{aggCol(types.INT)}, Config{"ksql.functions.collect_list.limit": "x"}); err == nil {
		t.Fatal("bad limit accepted")
	}
}

func TestAggCollectSet(t *testing.T) {
	ct, s := aggCollectComplex()
	l0 := []any{s("Later0", map[any]any{"Early0": 3.45}, nil)}
	l1 := []any{s("Later0", map[any]any{"Early0": 3.45}, aggDec("0.1"))}
	st := types.StructOf(types.Field{Name: "A", Type: types.STRING}, types.Field{Name: "B", Type: types.BIGINT})
	m02 := map[any]any{"Record0": int64(100), "Record2": int64(2)}
	runAggCases(t, []aggCase{
		{name: "arrays structs and maps", fn: "COLLECT_SET", args: []Arg{aggCol(ct)}, steps: []aggStep{
			aggAdd([]any{l0}, l0), aggAdd([]any{l0, l1}, l1), aggAdd([]any{l0, l1, []any{nil}}, []any{nil}),
			aggAdd([]any{l0, l1, []any{nil}, nil}, nil), aggAdd([]any{l0, l1, []any{nil}, nil}, l1)}},
		{name: "maps in any key order", fn: "COLLECT_SET", args: []Arg{aggCol(types.MapOf(types.STRING, types.BIGINT))}, steps: []aggStep{
			aggAdd([]any{m02}, m02), aggAdd([]any{m02}, map[any]any{"Record2": int64(2), "Record0": int64(100)})}},
		{name: "arrays", fn: "COLLECT_SET", args: []Arg{aggCol(types.ArrayOf(types.INT))}, steps: []aggStep{
			aggAdd([]any{[]any{int32(0), int32(0), int32(1)}}, []any{int32(0), int32(0), int32(1)}),
			aggAdd([]any{[]any{int32(0), int32(0), int32(1)}}, []any{int32(0), int32(0), int32(1)})}},
		{name: "struct", fn: "COLLECT_SET", args: []Arg{aggCol(st)}, steps: []aggStep{
			aggAdd([]any{aggStructOf(st, "Record0", int64(100))}, aggStructOf(st, "Record0", int64(100))),
			aggAdd([]any{aggStructOf(st, "Record0", int64(100))}, aggStructOf(st, "Record0", int64(100)))}},
		{name: "int", fn: "COLLECT_SET", args: []Arg{aggCol(types.INT)}, steps: []aggStep{
			aggAdd([]any{int32(500)}, int32(500)), aggAdd([]any{int32(500), int32(100)}, int32(100))}},
		{name: "long", fn: "COLLECT_SET", args: []Arg{aggCol(types.BIGINT)}, steps: []aggStep{
			aggAdd([]any{int64(2147483648)}, int64(2147483648)), aggAdd([]any{int64(2147483648), int64(100)}, int64(100))}},
		{name: "decimal with nulls", fn: "COLLECT_SET", args: []Arg{aggCol(types.DecimalOf(4, 1))}, steps: []aggStep{
			aggAdd([]any{aggDec("500.9")}, aggDec("500.9")),
			aggAdd([]any{aggDec("500.9"), aggDec("300.8")}, aggDec("300.8")),
			aggAdd([]any{aggDec("500.9"), aggDec("300.8"), nil}, nil),
			aggAdd([]any{aggDec("500.9"), aggDec("300.8"), nil}, aggDec("300.8")),
			aggAdd([]any{aggDec("500.9"), aggDec("300.8"), nil}, nil)}},
		{name: "string", fn: "COLLECT_SET", args: []Arg{aggCol(types.STRING)}, steps: []aggStep{
			aggAdd([]any{"baz"}, "baz"), aggAdd([]any{"baz"}, "baz"), aggAdd([]any{"baz", "foo"}, "foo"),
			aggAdd([]any{"baz", "foo", nil}, nil)}},
		{name: "bool", fn: "COLLECT_SET", args: []Arg{aggCol(types.BOOLEAN)}, steps: []aggStep{
			aggAdd([]any{true}, true), aggAdd([]any{true, false}, false), aggAdd([]any{true, false}, true)}},
		{name: "timestamp", fn: "COLLECT_SET", args: []Arg{aggCol(types.TIMESTAMP)}, steps: []aggStep{
			aggAdd([]any{types.Timestamp(10)}, types.Timestamp(10)), aggAdd([]any{types.Timestamp(10), types.Timestamp(20)}, types.Timestamp(20)),
			aggAdd([]any{types.Timestamp(10), types.Timestamp(20)}, types.Timestamp(20))}},
		{name: "bytes", fn: "COLLECT_SET", args: []Arg{aggCol(types.BYTES)}, steps: []aggStep{
			aggAdd([]any{[]byte("a")}, []byte("a")), aggAdd([]any{[]byte("a"), []byte("b")}, []byte("b")),
			aggAdd([]any{[]byte("a"), []byte("b")}, []byte("b"))}},
		{name: "table", fn: "COLLECT_SET", args: []Arg{aggCol(types.INT)}, steps: []aggStep{
			aggAdd([]any{int32(0)}, int32(0)), aggUndo([]any{}, int32(0)), aggAdd([]any{int32(100)}, int32(100))}},
		{name: "limit of 1", fn: "COLLECT_SET", args: []Arg{aggCol(types.INT)},
			cfg: Config{"ksql.functions.collect_set.limit": "1"}, steps: []aggStep{
				aggAdd([]any{int32(0)}, int32(0)), aggAdd([]any{int32(0)}, int32(100))}},
	})
	impl := aggBind(t, "COLLECT_SET", []Arg{aggCol(types.INT)}, nil)
	a := aggFold(t, impl, []any{int32(1)}, []any{int32(2)})
	b := aggFold(t, impl, []any{int32(2)}, []any{int32(3)})
	m, err := impl.Merge(a, b)
	if err != nil || aggFmt(m) != aggFmt([]any{int32(1), int32(2), int32(3)}) {
		t.Fatalf("merge: %s %v", aggFmt(m), err)
	}
}

func TestAggHistogram(t *testing.T) {
	runAggCases(t, []aggCase{
		{name: "counts", fn: "HISTOGRAM", args: []Arg{aggCol(types.STRING)}, steps: []aggStep{
			aggAdd(map[any]any{"a": int64(1)}, "a"),
			aggAdd(map[any]any{"a": int64(1), "b": int64(1)}, "b"),
			aggAdd(map[any]any{"a": int64(2), "b": int64(1)}, "a"),
			aggAdd(map[any]any{"a": int64(2), "b": int64(1)}, nil),
			aggUndo(map[any]any{"a": int64(2)}, "b"),
			aggUndo(map[any]any{"a": int64(2)}, "zzz"),
			aggUndo(map[any]any{"a": int64(1)}, "a")}},
	})
	impl := aggBind(t, "HISTOGRAM", []Arg{aggCol(types.STRING)}, nil)
	if impl.Returns.String() != "MAP<STRING, BIGINT>" {
		t.Fatalf("returns %s", impl.Returns)
	}
	s := impl.Init()
	for i := range 1005 {
		var err error
		if s, err = impl.Add(s, []any{"k" + string(rune('0'+i%10)) + string(rune('a'+i/10%26)) + string(rune('a'+i/260))}); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(s.(map[any]any)); n != 1000 {
		t.Fatalf("histogram kept %d distinct values, want the limit 1000", n)
	}
	a := aggFold(t, impl, []any{"x"}, []any{"y"})
	b := aggFold(t, impl, []any{"x"})
	m, err := impl.Merge(a, b)
	if err != nil || aggFmt(m) != aggFmt(map[any]any{"x": int64(2), "y": int64(1)}) {
		t.Fatalf("merge: %s %v", aggFmt(m), err)
	}
}
