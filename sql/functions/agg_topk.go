package functions

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// TOPK and TOPKDISTINCT: the k greatest values of a column (k a constant, the last
// argument), in descending order. TOPK(val, col0, col1, ..., k) also keeps the other
// columns' values of the top rows, as ARRAY<STRUCT<sort_col T, col0 U0, ...>>. NULL sort
// values are ignored. Neither can be undone (streams only); both merge.

var (
	aggTopkTypes         = []string{"INT", "BIGINT", "DOUBLE", "STRING"}
	aggTopkDistinctTypes = []string{"INT", "BIGINT", "DOUBLE", "STRING", "DECIMAL"}
)

func init() {
	builtinAggregates = append(builtinAggregates,
		&Aggregate{
			Name: "TOPK",
			Description: "Computes the top k values of a column by key, in descending order; with other " +
				"columns, returns structs of the sort value (sort_col) and those columns' values (col0, ...).",
			Signatures: append(aggTopkSigs("TOPK", aggTopkTypes), "TOPK(val T, otherCols ANY..., k INT)"),
			Bind:       aggTopkBind("TOPK", aggTopkTypes, false),
		},
		&Aggregate{
			Name:        "TOPKDISTINCT",
			Description: "Computes the top k distinct values of a column by key, in descending order.",
			Signatures:  aggTopkSigs("TOPKDISTINCT", aggTopkDistinctTypes),
			Bind:        aggTopkBind("TOPKDISTINCT", aggTopkDistinctTypes, true),
		},
	)
}

func aggTopkSigs(name string, ts []string) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = name + "(val " + t + ", k INT)"
	}
	return out
}

func aggTopkBind(name string, sortTypes []string, distinct bool) func(args []Arg, cfg Config) (*AggregateImpl, error) {
	alts := make([]Overload, len(sortTypes))
	sortPats := make([]*pattern, len(sortTypes))
	for i, t := range sortTypes {
		alts[i] = Overload{Params: []string{t, "INT"}, Names: []string{"val", "k"}}
		sortPats[i] = mustPattern(t)
	}
	intPat := mustPattern("INT")
	return func(args []Arg, cfg Config) (*AggregateImpl, error) {
		if len(args) < 2 || distinct && len(args) != 2 {
			return nil, NoMatch(name, args, alts)
		}
		last := len(args) - 1
		if _, ok := intPat.match(args[last].Type, nil, false); !ok || args[last].Lambda != nil {
			return nil, NoMatch(name, args, alts)
		}
		for _, a := range args[1:last] {
			if a.Lambda != nil || a.Type == nil {
				return nil, NoMatch(name, args, alts)
			}
		}
		// The sort column: an exact match first, then one with implicit widening.
		var conv func(any) any
		var st *types.Type
		for _, widen := range []bool{false, true} {
			for _, p := range sortPats {
				if args[0].Lambda != nil {
					break
				}
				if c, ok := p.match(args[0].Type, map[string]*types.Type{}, widen); ok {
					conv, st = c, p.typ
					if st == nil { // DECIMAL
						st = args[0].Type
						if conv != nil {
							st = types.AsDecimal(st)
						}
					}
					break
				}
			}
			if st != nil {
				break
			}
		}
		if st == nil {
			return nil, NoMatch(name, args, alts)
		}
		if st.Kind == types.KNull {
			return nil, fmt.Errorf("Function '%s' cannot infer the type of its parameter 1 from a NULL argument", strings.ToLower(name))
		}
		k, err := aggConstInt(name, args, last)
		if err != nil {
			return nil, err
		}
		if k <= 0 {
			return nil, fmt.Errorf("%s: k must be 1 or greater, got %d", name, k)
		}
		var others []*types.Type
		for _, a := range args[1:last] {
			others = append(others, a.Type)
		}
		impl := aggTopk(name, st, others, k, distinct)
		if conv != nil {
			impl = aggWrapConv(impl, []func(any) any{conv}, []*types.Type{args[0].Type})
		}
		return impl, nil
	}
}

// aggTopkCmp orders sort values as Java's compareTo does (NaN greatest, -0.0 < 0.0).
func aggTopkCmp(a, b any) int {
	if x, ok := a.(float64); ok {
		if y, ok := b.(float64); ok {
			return javaCompareDoubles(x, y)
		}
	}
	c, _ := types.Compare(a, b)
	return c
}

// aggTopk keeps a descending list of at most k elements: sort values, or structs whose
// first field is the sort value. Among equal sort values the earlier one comes first.
func aggTopk(name string, t *types.Type, others []*types.Type, k int, distinct bool) *AggregateImpl {
	var elem *types.Type
	if len(others) == 0 {
		elem = t
	} else {
		fields := []types.Field{{Name: "sort_col", Type: t}}
		for i, o := range others {
			fields = append(fields, types.Field{Name: "col" + strconv.Itoa(i), Type: o})
		}
		elem = types.StructOf(fields...)
	}
	at := types.ArrayOf(elem)
	sortVal := func(e any) any {
		if s, ok := e.(*types.Struct); ok && len(others) > 0 {
			if len(s.Values) > 0 {
				return s.Values[0]
			}
			return nil
		}
		return e
	}
	// insert returns l with e inserted after every element not smaller than it, trimmed.
	insert := func(l []any, e any) []any {
		v := sortVal(e)
		i := 0
		for i < len(l) {
			c := aggTopkCmp(sortVal(l[i]), v)
			if distinct && c == 0 {
				return l
			}
			if c < 0 {
				break
			}
			i++
		}
		if i >= k {
			return l
		}
		out := make([]any, 0, min(len(l)+1, k))
		out = append(out, l[:i]...)
		out = append(out, e)
		for _, x := range l[i:] {
			if len(out) == k {
				break
			}
			out = append(out, x)
		}
		return out
	}
	return &AggregateImpl{
		Returns:   at,
		StateType: at,
		Init:      func() any { return []any{} },
		Add: func(state any, args []any) (any, error) {
			l, ok := state.([]any)
			if !ok && state != nil {
				return nil, aggBadState(name, state)
			}
			v := aggArg(args, 0)
			if v == nil {
				return state, nil
			}
			if len(others) == 0 {
				return insert(l, v), nil
			}
			vals := make([]any, 1+len(others))
			vals[0] = v
			for i := range others {
				vals[i+1] = aggArg(args, i+1)
			}
			return insert(l, &types.Struct{Type: elem, Values: vals}), nil
		},
		Merge:  aggListMerge(insert),
		Result: aggListResult,
	}
}
