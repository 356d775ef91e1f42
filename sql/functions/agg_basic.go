package functions

import (
	"fmt"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// COUNT, SUM, SUM_LIST, AVG, MIN and MAX.

func init() {
	builtinAggregates = append(builtinAggregates,
		&Aggregate{
			Name: "COUNT",
			Description: "Counts records by key. COUNT(*) and COUNT() count every row; COUNT(col) " +
				"counts the rows whose col is not NULL.",
			Signatures: []string{"COUNT()", "COUNT(col1 ANY)"},
			Bind: aggOverloads("COUNT",
				aggOverload{Make: func(string, []Arg, []*types.Type, Config) (*AggregateImpl, error) {
					return aggCount(true), nil
				}},
				aggOverload{Params: []string{"ANY"}, Names: []string{"col1"},
					Make: func(string, []Arg, []*types.Type, Config) (*AggregateImpl, error) {
						return aggCount(false), nil
					}},
			),
		},
		&Aggregate{
			Name: "SUM",
			Description: "Computes the sum of the column's values by key; NULLs are ignored and " +
				"the sum of no values is 0. A DECIMAL sum has the precision and scale of its input.",
			Signatures: []string{"SUM(col1 INT)", "SUM(col1 BIGINT)", "SUM(col1 DOUBLE)", "SUM(col1 DECIMAL)"},
			Bind: aggOverloads("SUM",
				aggOverload{Params: []string{"INT"}, Names: []string{"val"}, Make: aggSumMake},
				aggOverload{Params: []string{"BIGINT"}, Names: []string{"val"}, Make: aggSumMake},
				aggOverload{Params: []string{"DOUBLE"}, Names: []string{"val"}, Make: aggSumMake},
				aggOverload{Params: []string{"DECIMAL"}, Names: []string{"val"}, Make: aggSumMake},
			),
		},
		&Aggregate{
			Name:        "SUM_LIST",
			Description: "Computes the sum of the elements of the arrays by key; NULL arrays and elements are ignored.",
			Signatures:  []string{"SUM_LIST(list ARRAY<INT>)", "SUM_LIST(list ARRAY<BIGINT>)", "SUM_LIST(list ARRAY<DOUBLE>)"},
			Bind: aggOverloads("SUM_LIST",
				aggOverload{Params: []string{"ARRAY<INT>"}, Names: []string{"list"}, Make: aggSumListMake},
				aggOverload{Params: []string{"ARRAY<BIGINT>"}, Names: []string{"list"}, Make: aggSumListMake},
				aggOverload{Params: []string{"ARRAY<DOUBLE>"}, Names: []string{"list"}, Make: aggSumListMake},
			),
		},
		&Aggregate{
			Name: "AVG",
			Description: "Returns the average of the column's values by key as a DOUBLE; NULLs are " +
				"ignored and the average of no values is 0.0.",
			Signatures: []string{"AVG(val INT)", "AVG(val BIGINT)", "AVG(val DOUBLE)"},
			Bind: aggOverloads("AVG",
				aggOverload{Params: []string{"INT"}, Names: []string{"val"}, Make: aggAvgMake},
				aggOverload{Params: []string{"BIGINT"}, Names: []string{"val"}, Make: aggAvgMake},
				aggOverload{Params: []string{"DOUBLE"}, Names: []string{"val"}, Make: aggAvgMake},
			),
		},
		&Aggregate{
			Name:        "MIN",
			Description: "Returns the minimum of the column's values by key; NULLs are ignored. Streams only.",
			Signatures:  aggMinMaxSigs("MIN"),
			Bind:        aggOverloads("MIN", aggMinMaxOverloads(-1)...),
		},
		&Aggregate{
			Name:        "MAX",
			Description: "Returns the maximum of the column's values by key; NULLs are ignored. Streams only.",
			Signatures:  aggMinMaxSigs("MAX"),
			Bind:        aggOverloads("MAX", aggMinMaxOverloads(1)...),
		},
	)
}

// aggCount counts every row (star) or the rows whose first argument is not NULL.
func aggCount(star bool) *AggregateImpl {
	counts := func(args []any) bool { return star || aggArg(args, 0) != nil }
	step := func(d int64) func(state any, args []any) (any, error) {
		return func(state any, args []any) (any, error) {
			n, ok := state.(int64)
			if !ok {
				return nil, aggBadState("COUNT", state)
			}
			if counts(args) {
				n += d
			}
			return n, nil
		}
	}
	return &AggregateImpl{
		Returns:   types.BIGINT,
		StateType: types.BIGINT,
		Init:      func() any { return int64(0) },
		Add:       step(1),
		Undo:      step(-1),
		Merge: func(a, b any) (any, error) {
			x, ok1 := a.(int64)
			y, ok2 := b.(int64)
			if !ok1 || !ok2 {
				return nil, aggBadState("COUNT", a)
			}
			return x + y, nil
		},
		Result: func(state any) (any, error) { return state, nil },
	}
}

// aggNum is the arithmetic of one numeric SQL type (Java semantics: INT and BIGINT wrap).
type aggNum struct {
	typ  *types.Type
	zero any
	add  func(a, b any) (any, error)
	sub  func(a, b any) (any, error)
}

func aggNumOf(name string, t *types.Type) (aggNum, error) {
	bad := func(v any) error { return fmt.Errorf("%s: unexpected value %T for %s", name, v, t) }
	switch t.Kind {
	case types.KInt:
		return aggNumGo[int32](t, bad), nil
	case types.KBigint:
		return aggNumGo[int64](t, bad), nil
	case types.KDouble:
		return aggNumGo[float64](t, bad), nil
	case types.KDecimal:
		op := func(neg bool) func(a, b any) (any, error) {
			return func(a, b any) (any, error) {
				x, ok1 := a.(types.Decimal)
				y, ok2 := b.(types.Decimal)
				if !ok1 || !ok2 {
					return nil, bad(b)
				}
				if neg {
					y = y.Neg()
				}
				r := x.Add(y).Rescale(t.Scale)
				if !r.Fits(t.Precision, t.Scale) {
					return nil, aggDecimalOverflow(t, x.Add(y))
				}
				return r, nil
			}
		}
		return aggNum{typ: t, zero: types.Decimal{}.Rescale(t.Scale), add: op(false), sub: op(true)}, nil
	}
	return aggNum{}, fmt.Errorf("No %s aggregate function with %s argument type exists!", name, t)
}

// aggNumGo is the aggNum of a SQL type held as the Go number type T (INT, BIGINT, DOUBLE); bad
// makes the error for a value of another Go type.
func aggNumGo[T int32 | int64 | float64](t *types.Type, bad func(v any) error) aggNum {
	op := func(sign T) func(a, b any) (any, error) {
		return func(a, b any) (any, error) {
			x, ok1 := a.(T)
			y, ok2 := b.(T)
			if !ok1 || !ok2 {
				return nil, bad(b)
			}
			return x + sign*y, nil
		}
	}
	return aggNum{typ: t, zero: T(0), add: op(1), sub: op(-1)}
}

// aggDecimalOverflow is ksqlDB's error for a DECIMAL result that does not fit its type.
func aggDecimalOverflow(t *types.Type, v types.Decimal) error {
	return fmt.Errorf("Numeric field overflow: A field with precision %d and scale %d must round to an absolute value less than 10^%d. Got %s",
		t.Precision, t.Scale, t.Precision-t.Scale, v.String())
}

func aggSumMake(name string, _ []Arg, ts []*types.Type, _ Config) (*AggregateImpl, error) {
	num, err := aggNumOf(name, ts[0])
	if err != nil {
		return nil, err
	}
	step := func(op func(a, b any) (any, error)) func(state any, args []any) (any, error) {
		return func(state any, args []any) (any, error) {
			v := aggArg(args, 0)
			if v == nil {
				return state, nil
			}
			return op(state, v)
		}
	}
	return &AggregateImpl{
		Returns:   num.typ,
		StateType: num.typ,
		Init:      func() any { return num.zero },
		Add:       step(num.add),
		Undo:      step(num.sub),
		Merge:     num.add,
		Result:    func(state any) (any, error) { return state, nil },
	}, nil
}

func aggSumListMake(name string, _ []Arg, ts []*types.Type, _ Config) (*AggregateImpl, error) {
	num, err := aggNumOf(name, ts[0].Elem)
	if err != nil {
		return nil, err
	}
	step := func(op func(a, b any) (any, error)) func(state any, args []any) (any, error) {
		return func(state any, args []any) (any, error) {
			l, _ := aggArg(args, 0).([]any)
			var err error
			for _, v := range l {
				if v == nil {
					continue
				}
				if state, err = op(state, v); err != nil {
					return nil, err
				}
			}
			return state, nil
		}
	}
	return &AggregateImpl{
		Returns:   num.typ,
		StateType: num.typ,
		Init:      func() any { return num.zero },
		Add:       step(num.add),
		Undo:      step(num.sub),
		Merge:     num.add,
		Result:    func(state any) (any, error) { return state, nil },
	}, nil
}

func aggAvgMake(name string, _ []Arg, ts []*types.Type, _ Config) (*AggregateImpl, error) {
	num, err := aggNumOf(name, ts[0])
	if err != nil {
		return nil, err
	}
	st := types.StructOf(types.Field{Name: "SUM", Type: num.typ}, types.Field{Name: "COUNT", Type: types.BIGINT})
	parts := func(state any) (any, int64, error) {
		s, ok := state.(*types.Struct)
		if !ok || len(s.Values) != 2 {
			return nil, 0, aggBadState(name, state)
		}
		n, ok := s.Values[1].(int64)
		if !ok {
			return nil, 0, aggBadState(name, state)
		}
		return s.Values[0], n, nil
	}
	step := func(op func(a, b any) (any, error), d int64) func(state any, args []any) (any, error) {
		return func(state any, args []any) (any, error) {
			v := aggArg(args, 0)
			if v == nil {
				return state, nil
			}
			sum, n, err := parts(state)
			if err != nil {
				return nil, err
			}
			if sum, err = op(sum, v); err != nil {
				return nil, err
			}
			return &types.Struct{Type: st, Values: []any{sum, n + d}}, nil
		}
	}
	return &AggregateImpl{
		Returns:   types.DOUBLE,
		StateType: st,
		Init:      func() any { return &types.Struct{Type: st, Values: []any{num.zero, int64(0)}} },
		Add:       step(num.add, 1),
		Undo:      step(num.sub, -1),
		Merge: func(a, b any) (any, error) {
			s1, n1, err := parts(a)
			if err != nil {
				return nil, err
			}
			s2, n2, err := parts(b)
			if err != nil {
				return nil, err
			}
			sum, err := num.add(s1, s2)
			if err != nil {
				return nil, err
			}
			return &types.Struct{Type: st, Values: []any{sum, n1 + n2}}, nil
		},
		Result: func(state any) (any, error) {
			sum, n, err := parts(state)
			if err != nil {
				return nil, err
			}
			if n == 0 {
				return 0.0, nil
			}
			return types.ToFloat(sum) / float64(n), nil
		},
	}, nil
}

var aggMinMaxTypes = []string{"INT", "BIGINT", "DOUBLE", "DECIMAL", "STRING", "DATE", "TIME", "TIMESTAMP", "BYTES"}

func aggMinMaxSigs(name string) []string {
	out := make([]string, len(aggMinMaxTypes))
	for i, t := range aggMinMaxTypes {
		out[i] = name + "(val " + t + ")"
	}
	return out
}

// aggMinMaxOverloads builds MIN (dir -1) or MAX (dir +1).
func aggMinMaxOverloads(dir int) []aggOverload {
	ovs := make([]aggOverload, len(aggMinMaxTypes))
	for i, t := range aggMinMaxTypes {
		ovs[i] = aggOverload{Params: []string{t}, Names: []string{"val"}, Make: func(name string, _ []Arg, ts []*types.Type, _ Config) (*AggregateImpl, error) {
			return aggMinMax(ts[0], dir), nil
		}}
	}
	return ovs
}

func aggMinMax(t *types.Type, dir int) *AggregateImpl {
	// pick returns the one of a, b to keep (either may be nil).
	pick := func(a, b any) any {
		if a == nil {
			return b
		}
		if b == nil {
			return a
		}
		if c, ok := types.Compare(b, a); ok && c*dir > 0 {
			return b
		}
		return a
	}
	return &AggregateImpl{
		Returns:   t,
		StateType: t,
		Init:      func() any { return nil },
		Add: func(state any, args []any) (any, error) {
			return pick(state, aggArg(args, 0)), nil
		},
		Merge:  func(a, b any) (any, error) { return pick(a, b), nil },
		Result: func(state any) (any, error) { return state, nil },
	}
}
