package functions

import (
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// Cases mirror earliest-offset-udaf.json, latest-offset-udaf.json and count.json's
// auto-incrementing id.

func aggOffsetArgs(t *types.Type, extra ...any) []Arg {
	args := []Arg{aggCol(t)}
	for _, e := range extra {
		switch v := e.(type) {
		case bool:
			args = append(args, aggLit(types.BOOLEAN, v))
		case int:
			args = append(args, aggLit(types.INT, int32(v)))
		}
	}
	return args
}

// aggRows turns the input values of a test into Add steps with their results.
func aggRows(vals []any, wants []any, extra ...any) []aggStep {
	steps := make([]aggStep, len(vals))
	for i, v := range vals {
		steps[i] = aggAdd(wants[i], append([]any{v}, extra...)...)
	}
	return steps
}

func TestAggLatestByOffset(t *testing.T) {
	st := types.StructOf(types.Field{Name: "A", Type: types.STRING}, types.Field{Name: "B", Type: types.BIGINT})
	s1, s2 := aggStructOf(st, "Early0", int64(1)), aggStructOf(st, "Later0", int64(3))
	m1, m2 := map[any]any{"Early0": 1.234}, map[any]any{"Later0": 3.6789}
	a1, a2 := []any{int32(0), int32(0), int32(1)}, []any{int32(1), int32(2)}
	runAggCases(t, []aggCase{
		{name: "structs", fn: "LATEST_BY_OFFSET", args: aggOffsetArgs(st), steps: aggRows([]any{s1, s2}, []any{s1, s2})},
		{name: "maps", fn: "LATEST_BY_OFFSET", args: aggOffsetArgs(types.MapOf(types.STRING, types.DOUBLE)),
			steps: aggRows([]any{m1, m2}, []any{m1, m2})},
		{name: "arrays", fn: "LATEST_BY_OFFSET", args: aggOffsetArgs(types.ArrayOf(types.INT)),
			steps: aggRows([]any{a1, a2}, []any{a1, a2})},
		{name: "int", fn: "LATEST_BY_OFFSET", args: aggOffsetArgs(types.INT),
			steps: aggRows([]any{int32(12), int32(21)}, []any{int32(12), int32(21)})},
		{name: "bytes", fn: "LATEST_BY_OFFSET", args: aggOffsetArgs(types.BYTES),
			steps: aggRows([]any{[]byte("a"), []byte("b")}, []any{[]byte("a"), []byte("b")})},
		{name: "timestamp", fn: "LATEST_BY_OFFSET", args: aggOffsetArgs(types.TIMESTAMP),
			steps: aggRows([]any{types.Timestamp(12), types.Timestamp(34)}, []any{types.Timestamp(12), types.Timestamp(34)})},
		{name: "decimals", fn: "LATEST_BY_OFFSET", args: aggOffsetArgs(types.DecimalOf(3, 2), true),
			steps: aggRows([]any{aggDec("3.40"), aggDec("8.90")}, []any{aggDec("3.40"), aggDec("8.90")}, true)},
		{name: "nulls ignored - single", fn: "LATEST_BY_OFFSET", args: aggOffsetArgs(types.INT, true),
			steps: aggRows([]any{int32(12), nil, int32(13)}, []any{int32(12), int32(12), int32(13)}, true)},
		{name: "nulls ignored - multiple", fn: "LATEST_BY_OFFSET", args: aggOffsetArgs(types.INT, 2, true),
			steps: aggRows([]any{int32(12), nil, int32(13)},
				[]any{[]any{int32(12)}, []any{int32(12)}, []any{int32(12), int32(13)}}, int32(2), true)},
		{name: "nulls not ignored - single", fn: "LATEST_BY_OFFSET", args: aggOffsetArgs(types.INT, false),
			steps: aggRows([]any{int32(12), nil, int32(13)}, []any{int32(12), nil, int32(13)}, false)},
		{name: "nulls not ignored - multiple", fn: "LATEST_BY_OFFSET", args: aggOffsetArgs(types.INT, 2, false),
			steps: aggRows([]any{int32(12), nil, int32(13)},
				[]any{[]any{int32(12)}, []any{int32(12), nil}, []any{nil, int32(13)}}, int32(2), false)},
		{name: "all nulls", fn: "LATEST_BY_OFFSET", args: aggOffsetArgs(types.INT),
			steps: aggRows([]any{nil, nil}, []any{nil, nil})},
		{name: "latest n", fn: "LATEST_BY_OFFSET", args: aggOffsetArgs(types.STRING, 2),
			steps: aggRows([]any{"foo", "bar", "baz"}, []any{[]any{"foo"}, []any{"foo", "bar"}, []any{"bar", "baz"}}, int32(2))},
		{name: "latest n with nulls", fn: "LATEST_BY_OFFSET", args: aggOffsetArgs(types.INT, 2),
			steps: aggRows([]any{int32(12), nil}, []any{[]any{int32(12)}, []any{int32(12)}}, int32(2))},
		{name: "latest n with all nulls", fn: "LATEST_BY_OFFSET", args: aggOffsetArgs(types.INT, 2),
			steps: aggRows([]any{nil, nil}, []any{[]any{}, []any{}}, int32(2))},
		{name: "auto-incrementing id", fn: "LATEST_BY_OFFSET", args: aggOffsetArgs(types.INT),
			steps: aggRows([]any{int32(12), int32(8367), int32(764)}, []any{int32(12), int32(8367), int32(764)})},
	})
	impl := aggBind(t, "LATEST_BY_OFFSET", aggOffsetArgs(types.INT, 2), nil)
	if impl.Returns.String() != "ARRAY<INTEGER>" || impl.StateType.String() != "ARRAY<STRUCT<`SEQ` BIGINT, `VAL` INTEGER>>" {
		t.Fatalf("types: %s %s", impl.Returns, impl.StateType)
	}
	impl = aggBind(t, "LATEST_BY_OFFSET", aggOffsetArgs(types.INT), nil)
	if impl.Returns != types.INT || impl.StateType.String() != "STRUCT<`SEQ` BIGINT, `VAL` INTEGER>" || impl.Undo != nil {
		t.Fatalf("types: %s %s", impl.Returns, impl.StateType)
	}
}

func TestAggEarliestByOffset(t *testing.T) {
	st := types.StructOf(types.Field{Name: "A", Type: types.STRING}, types.Field{Name: "B", Type: types.BIGINT})
	s1, s2 := aggStructOf(st, "Early0", int64(1)), aggStructOf(st, "Later0", int64(3))
	runAggCases(t, []aggCase{
		{name: "structs", fn: "EARLIEST_BY_OFFSET", args: aggOffsetArgs(st), steps: aggRows([]any{s1, s2}, []any{s1, s1})},
		{name: "int", fn: "EARLIEST_BY_OFFSET", args: aggOffsetArgs(types.INT),
			steps: aggRows([]any{int32(12), int32(21)}, []any{int32(12), int32(12)})},
		{name: "decimals", fn: "EARLIEST_BY_OFFSET", args: aggOffsetArgs(types.DecimalOf(3, 2), true),
			steps: aggRows([]any{aggDec("3.40"), aggDec("8.90")}, []any{aggDec("3.40"), aggDec("3.40")}, true)},
		{name: "null first - single - ignoring nulls", fn: "EARLIEST_BY_OFFSET", args: aggOffsetArgs(types.INT, true),
			steps: aggRows([]any{nil, int32(13)}, []any{nil, int32(13)}, true)},
		{name: "null first - multiple - ignoring nulls", fn: "EARLIEST_BY_OFFSET", args: aggOffsetArgs(types.INT, 2),
			steps: aggRows([]any{nil, int32(13)}, []any{[]any{}, []any{int32(13)}}, int32(2))},
		{name: "null first - single - not ignoring nulls", fn: "EARLIEST_BY_OFFSET", args: aggOffsetArgs(types.INT, false),
			steps: aggRows([]any{nil, int32(13)}, []any{nil, nil}, false)},
		{name: "null first - multiple - not ignoring nulls", fn: "EARLIEST_BY_OFFSET", args: aggOffsetArgs(types.INT, 2, false),
			steps: aggRows([]any{nil, int32(13)}, []any{[]any{nil}, []any{nil, int32(13)}}, int32(2), false)},
		{name: "nulls later - single - nulls ignored", fn: "EARLIEST_BY_OFFSET", args: aggOffsetArgs(types.INT),
			steps: aggRows([]any{int32(12), nil, int32(13)}, []any{int32(12), int32(12), int32(12)})},
		{name: "nulls later - multiple - nulls ignored", fn: "EARLIEST_BY_OFFSET", args: aggOffsetArgs(types.INT, 2),
			steps: aggRows([]any{int32(12), nil, int32(13)},
				[]any{[]any{int32(12)}, []any{int32(12)}, []any{int32(12), int32(13)}}, int32(2))},
		{name: "null later - single - nulls not ignored", fn: "EARLIEST_BY_OFFSET", args: aggOffsetArgs(types.INT, false),
			steps: aggRows([]any{int32(12), nil, int32(13)}, []any{int32(12), int32(12), int32(12)}, false)},
		{name: "null later - multiple - nulls not ignored", fn: "EARLIEST_BY_OFFSET", args: aggOffsetArgs(types.INT, 2, false),
			steps: aggRows([]any{int32(12), nil, int32(13)},
				[]any{[]any{int32(12)}, []any{int32(12), nil}, []any{int32(12), nil}}, int32(2), false)},
		{name: "all nulls", fn: "EARLIEST_BY_OFFSET", args: aggOffsetArgs(types.INT),
			steps: aggRows([]any{nil, nil}, []any{nil, nil})},
		{name: "earliest n", fn: "EARLIEST_BY_OFFSET", args: aggOffsetArgs(types.BOOLEAN, 2),
			steps: aggRows([]any{true, false, false}, []any{[]any{true}, []any{true, false}, []any{true, false}}, int32(2))},
		{name: "earliest n with all nulls", fn: "EARLIEST_BY_OFFSET", args: aggOffsetArgs(types.INT, 2),
			steps: aggRows([]any{nil, nil}, []any{[]any{}, []any{}}, int32(2))},
	})
}

// TestAggByOffsetSessionMerge mirrors the "merging session windows" cases: two sessions
// get one record each, then a third record joins them; Kafka Streams merges the initial
// state with each old session in turn and adds the new record last.
func TestAggByOffsetSessionMerge(t *testing.T) {
	cases := []struct {
		name  string
		fn    string
		extra []any // constant arguments
		in    [3]any
		want  [3]any // first session, second session, merged
	}{
		{"latest", "LATEST_BY_OFFSET", nil, [3]any{int32(1), int32(3), int32(2)}, [3]any{int32(1), int32(3), int32(2)}},
		{"latest - with nulls ignored", "LATEST_BY_OFFSET", nil, [3]any{int32(1), nil, int32(2)}, [3]any{int32(1), nil, int32(2)}},
		{"latest - with nulls not ignored", "LATEST_BY_OFFSET", []any{false}, [3]any{int32(1), nil, int32(2)}, [3]any{int32(1), nil, int32(2)}},
		{"latest - all nulls", "LATEST_BY_OFFSET", []any{false}, [3]any{nil, nil, nil}, [3]any{nil, nil, nil}},
		{"latest - with nulls ignored - N", "LATEST_BY_OFFSET", []any{2, true}, [3]any{int32(1), nil, int32(2)},
			[3]any{[]any{int32(1)}, []any{}, []any{int32(1), int32(2)}}},
		{"latest - with nulls not ignored - N", "LATEST_BY_OFFSET", []any{2, false}, [3]any{int32(1), nil, int32(2)},
			[3]any{[]any{int32(1)}, []any{nil}, []any{nil, int32(2)}}},
		{"latest - all nulls - N", "LATEST_BY_OFFSET", []any{2, false}, [3]any{nil, nil, nil},
			[3]any{[]any{nil}, []any{nil}, []any{nil, nil}}},
		{"earliest", "EARLIEST_BY_OFFSET", nil, [3]any{int32(1), int32(3), int32(2)}, [3]any{int32(1), int32(3), int32(1)}},
		{"earliest - with nulls ignored", "EARLIEST_BY_OFFSET", []any{true}, [3]any{nil, int32(1), nil}, [3]any{nil, int32(1), int32(1)}},
		{"earliest - with nulls not ignored", "EARLIEST_BY_OFFSET", []any{false}, [3]any{nil, int32(1), nil}, [3]any{nil, int32(1), nil}},
		{"earliest - all nulls", "EARLIEST_BY_OFFSET", []any{false}, [3]any{nil, nil, nil}, [3]any{nil, nil, nil}},
		{"earliest - with nulls ignored - N", "EARLIEST_BY_OFFSET", []any{2, true}, [3]any{nil, int32(1), nil},
			[3]any{[]any{}, []any{int32(1)}, []any{int32(1)}}},
		{"earliest - with nulls not ignored - N", "EARLIEST_BY_OFFSET", []any{2, false}, [3]any{nil, int32(1), nil},
			[3]any{[]any{nil}, []any{int32(1)}, []any{nil, int32(1)}}},
		{"earliest - all nulls - N", "EARLIEST_BY_OFFSET", []any{2, false}, [3]any{nil, nil, nil},
			[3]any{[]any{nil}, []any{nil}, []any{nil, nil}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			impl := aggBind(t, c.fn, aggOffsetArgs(types.INT, c.extra...), nil)
			row := func(v any) []any {
				r := []any{v}
				for _, e := range c.extra {
					if n, ok := e.(int); ok {
						r = append(r, int32(n))
					} else {
						r = append(r, e)
					}
				}
				return r
			}
			s1 := aggFold(t, impl, row(c.in[0]))
			s2 := aggFold(t, impl, row(c.in[1]))
			m, err := impl.Merge(impl.Init(), s1)
			if err == nil {
				m, err = impl.Merge(m, s2)
			}
			if err == nil {
				m, err = impl.Add(m, row(c.in[2]))
			}
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range []any{s1, s2, m} {
				if got := aggResult(t, impl, s); aggFmt(got) != aggFmt(c.want[i]) {
					t.Fatalf("result %d: got %s, want %s", i, aggFmt(got), aggFmt(c.want[i]))
				}
			}
		})
	}
}

func TestAggByOffsetErrors(t *testing.T) {
	for _, c := range []struct {
		fn   string
		args []Arg
		want string
	}{
		{"LATEST_BY_OFFSET", aggOffsetArgs(types.INT, 0), "latestN must be 1 or greater"},
		{"EARLIEST_BY_OFFSET", aggOffsetArgs(types.INT, -1, true), "earliestN must be 1 or greater"},
		{"LATEST_BY_OFFSET", []Arg{aggCol(types.INT), aggCol(types.INT)}, "Parameter 2 passed to function LATEST_BY_OFFSET must be a literal constant"},
		{"LATEST_BY_OFFSET", []Arg{aggCol(types.INT), aggCol(types.BOOLEAN)}, "Parameter 2 passed to function LATEST_BY_OFFSET must be a literal constant"},
		{"LATEST_BY_OFFSET", []Arg{aggCol(types.INT), aggLit(types.STRING, "x")},
			"Function 'latest_by_offset' does not accept parameters (INTEGER, STRING).\nValid alternatives are:\nlatest_by_offset(T val)\nlatest_by_offset(T val, BOOLEAN ignoreNulls)"},
		{"LATEST_BY_OFFSET", []Arg{aggLit(types.NULL, nil)}, "cannot infer"},
	} {
		err := aggBindErr(c.fn, c.args, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s%v: %v, want %q", c.fn, c.args, err, c.want)
		}
	}
}
