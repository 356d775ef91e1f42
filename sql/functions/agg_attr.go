package functions

import (
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// ATTR: the column's value when every row of the group has the same one (NULL counting
// as a value), else NULL. The state counts each distinct value,
// ARRAY<STRUCT<VAL T, COUNT BIGINT>>, so that ATTR can be undone (tables) and merged.

func init() {
	builtinAggregates = append(builtinAggregates, &Aggregate{
		Name: "ATTR",
		Description: "Returns the column's value if it is the same for every row of the group, " +
			"else NULL (a NULL value counts as a different value).",
		Signatures: []string{"ATTR(val T)"},
		Bind: aggOverloads("ATTR", aggOverload{Params: []string{"T"}, Names: []string{"val"},
			Make: func(name string, _ []Arg, ts []*types.Type, _ Config) (*AggregateImpl, error) {
				return aggAttr(name, ts[0]), nil
			}}),
	})
}

func aggAttr(name string, t *types.Type) *AggregateImpl {
	et := types.StructOf(types.Field{Name: "VAL", Type: t}, types.Field{Name: "COUNT", Type: types.BIGINT})
	entry := func(e any) (any, int64, bool) {
		s, ok := e.(*types.Struct)
		if !ok || len(s.Values) != 2 {
			return nil, 0, false
		}
		n, ok := s.Values[1].(int64)
		return s.Values[0], n, ok
	}
	// bump returns l with d added to the count of v (entries at 0 dropped).
	bump := func(l []any, v any, d int64) ([]any, error) {
		out := make([]any, 0, len(l)+1)
		found := false
		for _, e := range l {
			val, n, ok := entry(e)
			if !ok {
				return nil, aggBadState(name, e)
			}
			if !found && aggSame(val, v) {
				found = true
				n += d
				if n <= 0 {
					continue
				}
				e = &types.Struct{Type: et, Values: []any{val, n}}
			}
			out = append(out, e)
		}
		if !found && d > 0 {
			out = append(out, &types.Struct{Type: et, Values: []any{v, d}})
		}
		return out, nil
	}
	step := func(d int64) func(state any, args []any) (any, error) {
		return func(state any, args []any) (any, error) {
			l, ok := state.([]any)
			if !ok && state != nil {
				return nil, aggBadState(name, state)
			}
			return bump(l, aggArg(args, 0), d)
		}
	}
	return &AggregateImpl{
		Returns:   t,
		StateType: types.ArrayOf(et),
		Init:      func() any { return []any{} },
		Add:       step(1),
		Undo:      step(-1),
		Merge: func(a, b any) (any, error) {
			l := aggList(a)
			for _, e := range aggList(b) {
				val, n, ok := entry(e)
				if !ok {
					return nil, aggBadState(name, e)
				}
				var err error
				if l, err = bump(l, val, n); err != nil {
					return nil, err
				}
			}
			if l == nil {
				l = []any{}
			}
			return l, nil
		},
		Result: func(state any) (any, error) {
			l := aggList(state)
			if len(l) != 1 {
				return nil, nil
			}
			val, _, ok := entry(l[0])
			if !ok {
				return nil, aggBadState(name, l[0])
			}
			return val, nil
		},
	}
}
