package functions

import (
	"fmt"
	"math"
	"sort"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// COLLECT_LIST, COLLECT_SET and HISTOGRAM.

// Config keys of the collect limits, and ksqlDB's defaults.
const (
	aggCollectListLimitKey = "ksql.functions.collect_list.limit"
	aggCollectSetLimitKey  = "ksql.functions.collect_set.limit"
	aggCollectDefaultLimit = 1000
	aggHistogramLimit      = 1000
)

func init() {
	builtinAggregates = append(builtinAggregates,
		&Aggregate{
			Name: "COLLECT_LIST",
			Description: "Gathers the column's values by key into an array, NULLs included, in arrival " +
				"order, up to ksql.functions.collect_list.limit values (default 1000; negative: no limit).",
			Signatures: []string{"COLLECT_LIST(col1 T)"},
			Bind: aggOverloads("COLLECT_LIST", aggOverload{Params: []string{"T"}, Names: []string{"col1"},
				Make: func(name string, _ []Arg, ts []*types.Type, cfg Config) (*AggregateImpl, error) {
					limit, err := aggLimit(cfg, aggCollectListLimitKey, aggCollectDefaultLimit)
					if err != nil {
						return nil, err
					}
					return aggCollect(name, ts[0], limit, false), nil
				}}),
		},
		&Aggregate{
			Name: "COLLECT_SET",
			Description: "Gathers the column's distinct values by key into an array, NULL included, in " +
				"order of first arrival, up to ksql.functions.collect_set.limit values (default 1000; " +
				"negative: no limit).",
			Signatures: []string{"COLLECT_SET(col1 T)"},
			Bind: aggOverloads("COLLECT_SET", aggOverload{Params: []string{"T"}, Names: []string{"col1"},
				Make: func(name string, _ []Arg, ts []*types.Type, cfg Config) (*AggregateImpl, error) {
					limit, err := aggLimit(cfg, aggCollectSetLimitKey, aggCollectDefaultLimit)
					if err != nil {
						return nil, err
					}
					return aggCollect(name, ts[0], limit, true), nil
				}}),
		},
		&Aggregate{
			Name: "HISTOGRAM",
			Description: "Returns a map of each distinct non-NULL value of the column to the number of " +
				"times it occurs, by key; at most 1000 distinct values are counted.",
			Signatures: []string{"HISTOGRAM(col1 STRING)"},
			Bind: aggOverloads("HISTOGRAM", aggOverload{Params: []string{"STRING"}, Names: []string{"col1"},
				Make: func(name string, _ []Arg, _ []*types.Type, _ Config) (*AggregateImpl, error) {
					return aggHistogram(name), nil
				}}),
		},
	)
}

// aggSame is Java's equals for SQL values: like types.Equal, but NaN equals NaN.
func aggSame(a, b any) bool {
	if x, ok := a.(float64); ok {
		if y, ok := b.(float64); ok && math.IsNaN(x) && math.IsNaN(y) {
			return true
		}
	}
	return types.Equal(a, b)
}

func aggIndex(l []any, v any, last bool) int {
	if last {
		for i := len(l) - 1; i >= 0; i-- {
			if aggSame(l[i], v) {
				return i
			}
		}
		return -1
	}
	for i, e := range l {
		if aggSame(e, v) {
			return i
		}
	}
	return -1
}

// aggCollect is COLLECT_LIST (set false) or COLLECT_SET (set true).
func aggCollect(name string, t *types.Type, limit int, set bool) *AggregateImpl {
	at := types.ArrayOf(t)
	add := func(l []any, v any) []any {
		if len(l) >= limit || set && aggIndex(l, v, false) >= 0 {
			return l
		}
		out := aggCopy(l, 1)
		return append(out, v)
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
			return add(l, aggArg(args, 0)), nil
		},
		// ksqlDB removes the last equal value (a list) or the value (a set); a value never
		// collected (over the limit) leaves the state as it is.
		Undo: func(state any, args []any) (any, error) {
			l, ok := state.([]any)
			if !ok && state != nil {
				return nil, aggBadState(name, state)
			}
			i := aggIndex(l, aggArg(args, 0), true)
			if i < 0 {
				return l, nil
			}
			out := make([]any, 0, len(l)-1)
			out = append(out, l[:i]...)
			return append(out, l[i+1:]...), nil
		},
		Merge:  aggListMerge(add),
		Result: aggListResult,
	}
}

func aggHistogram(name string) *AggregateImpl {
	mt := types.MapOf(types.STRING, types.BIGINT)
	asMap := func(state any) (map[any]any, error) {
		if state == nil {
			return map[any]any{}, nil
		}
		m, ok := state.(map[any]any)
		if !ok {
			return nil, aggBadState(name, state)
		}
		return m, nil
	}
	clone := func(m map[any]any) map[any]any {
		out := make(map[any]any, len(m)+1)
		for k, v := range m {
			out[k] = v
		}
		return out
	}
	// bump adds d to the count of k (created when under the limit, dropped at 0).
	bump := func(m map[any]any, k any, d int64) map[any]any {
		n, had := m[k].(int64)
		if !had && (d < 0 || len(m) >= aggHistogramLimit) {
			return m
		}
		out := clone(m)
		if n+d <= 0 {
			delete(out, k)
		} else {
			out[k] = n + d
		}
		return out
	}
	step := func(d int64) func(state any, args []any) (any, error) {
		return func(state any, args []any) (any, error) {
			m, err := asMap(state)
			if err != nil {
				return nil, err
			}
			k := aggArg(args, 0)
			if k == nil {
				return m, nil
			}
			if _, ok := k.(string); !ok {
				return nil, fmt.Errorf("%s: unexpected value %T for STRING", name, k)
			}
			return bump(m, k, d), nil
		}
	}
	return &AggregateImpl{
		Returns:   mt,
		StateType: mt,
		Init:      func() any { return map[any]any{} },
		Add:       step(1),
		Undo:      step(-1),
		Merge: func(a, b any) (any, error) {
			m, err := asMap(a)
			if err != nil {
				return nil, err
			}
			m2, err := asMap(b)
			if err != nil {
				return nil, err
			}
			// Keys in a fixed order, so that which ones fit under the limit is deterministic.
			keys := make([]string, 0, len(m2))
			for k := range m2 {
				if s, ok := k.(string); ok {
					keys = append(keys, s)
				}
			}
			sort.Strings(keys)
			out := clone(m)
			for _, k := range keys {
				n, ok := m2[k].(int64)
				if !ok || n <= 0 {
					continue
				}
				if c, had := out[k].(int64); had {
					out[k] = c + n
				} else if len(out) < aggHistogramLimit {
					out[k] = n
				}
			}
			return out, nil
		},
		Result: func(state any) (any, error) { return asMap(state) },
	}
}
