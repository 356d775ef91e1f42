package functions

import (
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// Cases mirror attr.json.

func TestAggAttr(t *testing.T) {
	st := types.StructOf(types.Field{Name: "A", Type: types.STRING}, types.Field{Name: "B", Type: types.INT})
	s := aggStructOf(st, "a", int32(1))
	li := []any{int32(1), int32(2), int32(3)}
	same := func(v any) []aggStep { return []aggStep{aggAdd(v, v), aggAdd(v, v), aggAdd(v, v)} }
	runAggCases(t, []aggCase{
		{name: "string", fn: "ATTR", args: []Arg{aggCol(types.STRING)}, steps: same("s")},
		{name: "int", fn: "ATTR", args: []Arg{aggCol(types.INT)}, steps: same(int32(1))},
		{name: "bigint", fn: "ATTR", args: []Arg{aggCol(types.BIGINT)}, steps: same(int64(1))},
		{name: "double", fn: "ATTR", args: []Arg{aggCol(types.DOUBLE)}, steps: same(1.0)},
		{name: "boolean", fn: "ATTR", args: []Arg{aggCol(types.BOOLEAN)}, steps: same(true)},
		{name: "array", fn: "ATTR", args: []Arg{aggCol(types.ArrayOf(types.INT))}, steps: same(li)},
		{name: "struct", fn: "ATTR", args: []Arg{aggCol(st)}, steps: same(s)},
		{name: "valid with nulls", fn: "ATTR", args: []Arg{aggCol(types.STRING)}, steps: same(nil)},
		{name: "invalid", fn: "ATTR", args: []Arg{aggCol(types.STRING)}, steps: []aggStep{
			aggAdd("1", "1"), aggAdd(nil, "2"), aggAdd(nil, "3")}},
		{name: "invalid with nulls", fn: "ATTR", args: []Arg{aggCol(types.STRING)}, steps: []aggStep{
			aggAdd("1", "1"), aggAdd(nil, nil), aggAdd(nil, "1")}},
		{name: "invalid with nulls as first entry", fn: "ATTR", args: []Arg{aggCol(types.STRING)}, steps: []aggStep{
			aggAdd(nil, nil), aggAdd(nil, "2"), aggAdd(nil, "2")}},
		{name: "table with tombstones", fn: "ATTR", args: []Arg{aggCol(types.STRING)}, steps: []aggStep{
			aggAdd("1", "1"), aggAdd("1", "1"), aggUndo("1", "1"), aggUndo(nil, "1"),
			aggAdd("2", "2"), aggAdd(nil, "3"), aggUndo("2", "3")}},
	})
	impl := aggBind(t, "ATTR", []Arg{aggCol(types.STRING)}, nil)
	if impl.Returns != types.STRING || impl.Undo == nil {
		t.Fatalf("attr: %s", impl.Returns)
	}
	m, err := impl.Merge(aggFold(t, impl, []any{"a"}), aggFold(t, impl, []any{"a"}, []any{"a"}))
	if err != nil || aggResult(t, impl, m) != "a" {
		t.Fatalf("merge: %s %v", aggFmt(m), err)
	}
	if m, err = impl.Merge(m, aggFold(t, impl, []any{"b"})); err != nil || aggResult(t, impl, m) != nil {
		t.Fatalf("merge: %s %v", aggFmt(m), err)
	}
}
