package functions

import (
	"math"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// STDDEV_SAMP and CORRELATION. Both keep running sums in a STRUCT state, so they can be
// undone (tables) and merged (session windows).

func init() {
	builtinAggregates = append(builtinAggregates,
		&Aggregate{
			Name: "STDDEV_SAMP",
			Description: "Returns the sample standard deviation of the column's values by key as a " +
				"DOUBLE; NULLs are ignored; 0.0 for fewer than two values.",
			Signatures: []string{"STDDEV_SAMP(val INT)", "STDDEV_SAMP(val BIGINT)", "STDDEV_SAMP(val DOUBLE)"},
			Bind: aggOverloads("STDDEV_SAMP",
				aggOverload{Params: []string{"INT"}, Names: []string{"val"}, Make: aggStddevMake},
				aggOverload{Params: []string{"BIGINT"}, Names: []string{"val"}, Make: aggStddevMake},
				aggOverload{Params: []string{"DOUBLE"}, Names: []string{"val"}, Make: aggStddevMake},
			),
		},
		&Aggregate{
			Name: "CORRELATION",
			Description: "Returns the Pearson correlation coefficient of two columns by key as a " +
				"DOUBLE; rows where either value is NULL are ignored; NaN when it is undefined.",
			Signatures: []string{"CORRELATION(x DOUBLE, y DOUBLE)"},
			Bind: aggOverloads("CORRELATION",
				aggOverload{Params: []string{"DOUBLE", "DOUBLE"}, Names: []string{"x", "y"}, Make: aggCorrelationMake},
			),
		},
	)
}

// aggFloats reads a STRUCT state of numbers as float64s (the last field, COUNT, as int64).
func aggFloats(name string, state any, n int) ([]float64, int64, error) {
	s, ok := state.(*types.Struct)
	if !ok || len(s.Values) != n+1 {
		return nil, 0, aggBadState(name, state)
	}
	out := make([]float64, n)
	for i := range n {
		f, ok := s.Values[i].(float64)
		if !ok {
			return nil, 0, aggBadState(name, state)
		}
		out[i] = f
	}
	c, ok := s.Values[n].(int64)
	if !ok {
		return nil, 0, aggBadState(name, state)
	}
	return out, c, nil
}

// aggM2Delta is by how much M2 (the sum of squared deviations from the mean) grows when x
// joins n values whose sum is sum; 0 when n is 0.
func aggM2Delta(n int64, x, sum float64) float64 {
	if n <= 0 {
		return 0
	}
	d := float64(n)*x - sum
	return d * d / (float64(n) * float64(n+1))
}

func aggStddevMake(name string, _ []Arg, _ []*types.Type, _ Config) (*AggregateImpl, error) {
	// SUM, M2 (sum of squared deviations from the mean), COUNT.
	st := types.StructOf(types.Field{Name: "SUM", Type: types.DOUBLE}, types.Field{Name: "M2", Type: types.DOUBLE},
		types.Field{Name: "COUNT", Type: types.BIGINT})
	mk := func(sum, m2 float64, n int64) any {
		if n <= 0 {
			sum, m2, n = 0, 0, 0
		}
		return &types.Struct{Type: st, Values: []any{sum, math.Max(m2, 0), n}}
	}
	return &AggregateImpl{
		Returns:   types.DOUBLE,
		StateType: st,
		Init:      func() any { return mk(0, 0, 0) },
		Add: func(state any, args []any) (any, error) {
			v := aggArg(args, 0)
			if v == nil {
				return state, nil
			}
			f, n, err := aggFloats(name, state, 2)
			if err != nil {
				return nil, err
			}
			x, sum, m2 := types.ToFloat(v), f[0], f[1]
			m2 += aggM2Delta(n, x, sum)
			return mk(sum+x, m2, n+1), nil
		},
		Undo: func(state any, args []any) (any, error) {
			v := aggArg(args, 0)
			if v == nil {
				return state, nil
			}
			f, n, err := aggFloats(name, state, 2)
			if err != nil {
				return nil, err
			}
			x, sum, m2 := types.ToFloat(v), f[0]-types.ToFloat(v), f[1]
			n--
			m2 -= aggM2Delta(n, x, sum)
			return mk(sum, m2, n), nil
		},
		Merge: func(a, b any) (any, error) {
			fa, na, err := aggFloats(name, a, 2)
			if err != nil {
				return nil, err
			}
			fb, nb, err := aggFloats(name, b, 2)
			if err != nil {
				return nil, err
			}
			if na == 0 {
				return b, nil
			}
			if nb == 0 {
				return a, nil
			}
			d := fb[0]/float64(nb) - fa[0]/float64(na)
			m2 := fa[1] + fb[1] + d*d*float64(na)*float64(nb)/float64(na+nb)
			return mk(fa[0]+fb[0], m2, na+nb), nil
		},
		Result: func(state any) (any, error) {
			f, n, err := aggFloats(name, state, 2)
			if err != nil {
				return nil, err
			}
			if n < 2 {
				return 0.0, nil
			}
			return math.Sqrt(f[1] / float64(n-1)), nil
		},
	}, nil
}

func aggCorrelationMake(name string, _ []Arg, _ []*types.Type, _ Config) (*AggregateImpl, error) {
	st := types.StructOf(
		types.Field{Name: "X_SUM", Type: types.DOUBLE}, types.Field{Name: "Y_SUM", Type: types.DOUBLE},
		types.Field{Name: "X_SQUARED_SUM", Type: types.DOUBLE}, types.Field{Name: "Y_SQUARED_SUM", Type: types.DOUBLE},
		types.Field{Name: "XY_SUM", Type: types.DOUBLE}, types.Field{Name: "COUNT", Type: types.BIGINT})
	mk := func(f []float64, n int64) any {
		return &types.Struct{Type: st, Values: []any{f[0], f[1], f[2], f[3], f[4], n}}
	}
	step := func(sign float64) func(state any, args []any) (any, error) {
		return func(state any, args []any) (any, error) {
			xv, yv := aggArg(args, 0), aggArg(args, 1)
			if xv == nil || yv == nil {
				return state, nil
			}
			f, n, err := aggFloats(name, state, 5)
			if err != nil {
				return nil, err
			}
			x, y := types.ToFloat(xv), types.ToFloat(yv)
			g := []float64{f[0] + sign*x, f[1] + sign*y, f[2] + sign*x*x, f[3] + sign*y*y, f[4] + sign*x*y}
			return mk(g, n+int64(sign)), nil
		}
	}
	return &AggregateImpl{
		Returns:   types.DOUBLE,
		StateType: st,
		Init:      func() any { return mk(make([]float64, 5), 0) },
		Add:       step(1),
		Undo:      step(-1),
		Merge: func(a, b any) (any, error) {
			fa, na, err := aggFloats(name, a, 5)
			if err != nil {
				return nil, err
			}
			fb, nb, err := aggFloats(name, b, 5)
			if err != nil {
				return nil, err
			}
			g := make([]float64, 5)
			for i := range g {
				g[i] = fa[i] + fb[i]
			}
			return mk(g, na+nb), nil
		},
		Result: func(state any) (any, error) {
			f, n, err := aggFloats(name, state, 5)
			if err != nil {
				return nil, err
			}
			c := float64(n)
			num := c*f[4] - f[0]*f[1]
			den := math.Sqrt(c*f[2]-f[0]*f[0]) * math.Sqrt(c*f[3]-f[1]*f[1])
			return num / den, nil
		},
	}, nil
}
