package functions

import (
	"fmt"
	"math/bits"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// EXPLODE and CUBE_EXPLODE, ksqlDB's built-in table functions.

// tfCubeMaxElems bounds CUBE_EXPLODE's input: n elements make 2^n rows.
const tfCubeMaxElems = 20

func init() {
	builtinTables = append(builtinTables,
		&Table{
			Name: "EXPLODE",
			Description: "Explodes an array into one row per element (NULL elements included); a NULL " +
				"or empty array produces no rows.",
			Signatures: []string{"EXPLODE(input ARRAY<DECIMAL>)", "EXPLODE(list ARRAY<T>)"},
			Bind: tfBind("EXPLODE", func(args []any) ([]any, error) {
				l, _ := args[0].([]any)
				return l, nil
			},
				Overload{Params: []string{"ARRAY<DECIMAL>"}, Names: []string{"input"},
					ReturnFn: func(args []Arg, _ map[string]*types.Type) (*types.Type, error) { return args[0].Type.Elem, nil }},
				Overload{Params: []string{"ARRAY<T>"}, Names: []string{"list"}, Returns: "T"},
			),
		},
		&Table{
			Name: "CUBE_EXPLODE",
			Description: "Returns one row per combination of the array's elements, each an array in " +
				"which the other elements are NULL (2^n rows for n non-NULL elements; at most " +
				"20 elements); a NULL array produces no rows.",
			Signatures: []string{"CUBE_EXPLODE(cols ARRAY<T>)"},
			Bind: tfBind("CUBE_EXPLODE", tfCube,
				Overload{Params: []string{"ARRAY<T>"}, Names: []string{"cols"}, Returns: "ARRAY<T>"},
			),
		},
	)
}

// tfBind resolves a table function's call over ovs (overload.go's rules) and returns
// impl's rows.
func tfBind(name string, impl func(args []any) ([]any, error), ovs ...Overload) func(args []Arg, cfg Config) (*types.Type, TableImpl, error) {
	for i := range ovs {
		ovs[i].Impl = func(args []any) (any, error) {
			if len(args) == 0 || args[0] == nil {
				return []any(nil), nil
			}
			return impl(args)
		}
	}
	bind := Overloads(name, ovs...)
	return func(args []Arg, cfg Config) (*types.Type, TableImpl, error) {
		if len(ovs) > 1 && len(args) == 1 && args[0].Lambda == nil && (args[0].Type == nil || args[0].Type.Kind == types.KNull) {
			return nil, nil, tfAmbiguous(name, args, ovs)
		}
		ret, f, err := bind(args, cfg)
		if err != nil {
			return nil, nil, err
		}
		if ret == nil || ret.Kind == types.KNull {
			return nil, nil, fmt.Errorf("Function '%s' cannot infer its result type from a NULL argument", strings.ToLower(name))
		}
		return ret, func(vals []any) ([]any, error) {
			v, err := f(vals)
			if err != nil {
				return nil, err
			}
			rows, _ := v.([]any)
			return rows, nil
		}, nil
	}
}

// tfAmbiguous is ksqlDB's error for a NULL argument that several overloads accept.
func tfAmbiguous(name string, args []Arg, ovs []Overload) error {
	msg := NoMatch(name, args, ovs).Error()
	msg = strings.Replace(msg, "does not accept parameters", "cannot be resolved due to ambiguous method parameters", 1)
	return fmt.Errorf("%s", msg)
}

// tfCube returns every combination of the elements as ksqlDB orders them: bit i of a
// counter (most significant = first element) keeps element i; combinations keeping a
// NULL element duplicate one that drops it and are skipped.
func tfCube(args []any) ([]any, error) {
	cols, _ := args[0].([]any)
	n := len(cols)
	if n > tfCubeMaxElems {
		return nil, fmt.Errorf("cube_explode: the array has %d elements, more than the %d supported", n, tfCubeMaxElems)
	}
	nullMask := 0
	for i, c := range cols {
		if c == nil {
			nullMask |= 1 << (n - 1 - i)
		}
	}
	rows := make([]any, 0, 1<<(n-bits.OnesCount(uint(nullMask))))
	for mask := 0; mask < 1<<n; mask++ {
		if mask&nullMask != 0 {
			continue
		}
		row := make([]any, n)
		for i := range cols {
			if mask&(1<<(n-1-i)) != 0 {
				row[i] = cols[i]
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}
