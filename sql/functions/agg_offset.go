package functions

import (
	"fmt"
	"sort"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// EARLIEST_BY_OFFSET and LATEST_BY_OFFSET. The engine calls Add in offset order, so the
// earliest value is the first one added and the latest the last one; each kept value is
// stored with a sequence number (STRUCT<SEQ BIGINT, VAL T>, as ksqlDB does) so that Merge
// (session windows) can keep offset order. Neither can be undone: they are refused on
// tables.

func init() {
	builtinAggregates = append(builtinAggregates,
		&Aggregate{
			Name: "EARLIEST_BY_OFFSET",
			Description: "Returns the earliest value of the column by offset, or with N the earliest N " +
				"values as an array; NULLs are ignored unless ignoreNulls is false. Streams only.",
			Signatures: []string{"EARLIEST_BY_OFFSET(val T)", "EARLIEST_BY_OFFSET(val T, ignoreNulls BOOLEAN)",
				"EARLIEST_BY_OFFSET(val T, earliestN INT)", "EARLIEST_BY_OFFSET(val T, earliestN INT, ignoreNulls BOOLEAN)"},
			Bind: aggOverloads("EARLIEST_BY_OFFSET", aggOffsetOverloads(false, "earliestN")...),
		},
		&Aggregate{
			Name: "LATEST_BY_OFFSET",
			Description: "Returns the latest value of the column by offset, or with N the latest N " +
				"values as an array (oldest first); NULLs are ignored unless ignoreNulls is false. " +
				"Streams only.",
			Signatures: []string{"LATEST_BY_OFFSET(val T)", "LATEST_BY_OFFSET(val T, ignoreNulls BOOLEAN)",
				"LATEST_BY_OFFSET(val T, latestN INT)", "LATEST_BY_OFFSET(val T, latestN INT, ignoreNulls BOOLEAN)"},
			Bind: aggOverloads("LATEST_BY_OFFSET", aggOffsetOverloads(true, "latestN")...),
		},
	)
}

func aggOffsetOverloads(latest bool, nName string) []aggOverload {
	mk := func(nIdx, ignIdx int) func(string, []Arg, []*types.Type, Config) (*AggregateImpl, error) {
		return func(name string, args []Arg, ts []*types.Type, _ Config) (*AggregateImpl, error) {
			n, ignore := 0, true
			var err error
			if nIdx > 0 {
				if n, err = aggConstInt(name, args, nIdx); err != nil {
					return nil, err
				}
				if n <= 0 {
					return nil, fmt.Errorf("%s must be 1 or greater", nName)
				}
			}
			if ignIdx > 0 {
				if ignore, err = aggConstBool(name, args, ignIdx); err != nil {
					return nil, err
				}
			}
			return aggByOffset(name, ts[0], latest, n, ignore), nil
		}
	}
	return []aggOverload{
		{Params: []string{"T"}, Names: []string{"val"}, Make: mk(0, 0)},
		{Params: []string{"T", "BOOLEAN"}, Names: []string{"val", "ignoreNulls"}, Make: mk(0, 1)},
		{Params: []string{"T", "INT"}, Names: []string{"val", nName}, Make: mk(1, 0)},
		{Params: []string{"T", "INT", "BOOLEAN"}, Names: []string{"val", nName, "ignoreNulls"}, Make: mk(1, 2)},
	}
}

// aggByOffset builds the function; n == 0 is the single-value form.
func aggByOffset(name string, t *types.Type, latest bool, n int, ignoreNulls bool) *AggregateImpl {
	st := types.StructOf(types.Field{Name: "SEQ", Type: types.BIGINT}, types.Field{Name: "VAL", Type: t})
	entry := func(v any) *types.Struct { return &types.Struct{Type: st, Values: []any{aggNextSeq(), v}} }
	seqOf := func(s any) (int64, any, bool) {
		e, ok := s.(*types.Struct)
		if !ok || len(e.Values) != 2 {
			return 0, nil, false
		}
		q, ok := e.Values[0].(int64)
		return q, e.Values[1], ok
	}
	name = strings.ToUpper(name)
	if n == 0 {
		return &AggregateImpl{
			Returns:   t,
			StateType: st,
			Init:      func() any { return nil },
			Add: func(state any, args []any) (any, error) {
				v := aggArg(args, 0)
				if v == nil && ignoreNulls || !latest && state != nil {
					return state, nil
				}
				return entry(v), nil
			},
			Merge: func(a, b any) (any, error) {
				if a == nil {
					return b, nil
				}
				if b == nil {
					return a, nil
				}
				qa, _, ok1 := seqOf(a)
				qb, _, ok2 := seqOf(b)
				if !ok1 || !ok2 {
					return nil, aggBadState(name, a)
				}
				if (qb > qa) == latest {
					return b, nil
				}
				return a, nil
			},
			Result: func(state any) (any, error) {
				if state == nil {
					return nil, nil
				}
				_, v, ok := seqOf(state)
				if !ok {
					return nil, aggBadState(name, state)
				}
				return v, nil
			},
		}
	}
	keep := func(l []any) []any { // the n to keep of a list in offset order
		if len(l) <= n {
			return l
		}
		if latest {
			return l[len(l)-n:]
		}
		return l[:n]
	}
	return &AggregateImpl{
		Returns:   types.ArrayOf(t),
		StateType: types.ArrayOf(st),
		Init:      func() any { return []any{} },
		Add: func(state any, args []any) (any, error) {
			l, ok := state.([]any)
			if !ok && state != nil {
				return nil, aggBadState(name, state)
			}
			v := aggArg(args, 0)
			if v == nil && ignoreNulls || !latest && len(l) >= n {
				return state, nil
			}
			out := aggCopy(l, 1)
			return keep(append(out, entry(v))), nil
		},
		Merge: func(a, b any) (any, error) {
			la, lb := aggList(a), aggList(b)
			all := make([]any, 0, len(la)+len(lb))
			all = append(append(all, la...), lb...)
			seqs := make([]int64, len(all))
			for i, e := range all {
				q, _, ok := seqOf(e)
				if !ok {
					return nil, aggBadState(name, e)
				}
				seqs[i] = q
			}
			idx := make([]int, len(all))
			for i := range idx {
				idx[i] = i
			}
			sort.SliceStable(idx, func(i, j int) bool { return seqs[idx[i]] < seqs[idx[j]] })
			sorted := make([]any, len(all))
			for i, k := range idx {
				sorted[i] = all[k]
			}
			return keep(sorted), nil
		},
		Result: func(state any) (any, error) {
			l := aggList(state)
			out := make([]any, len(l))
			for i, e := range l {
				_, v, ok := seqOf(e)
				if !ok {
					return nil, aggBadState(name, e)
				}
				out[i] = v
			}
			return out, nil
		},
	}
}
