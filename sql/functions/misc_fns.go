package functions

import "github.com/ksqlgo/ksqlgo/sql/types"

func init() {
	builtinScalars = append(builtinScalars, &Scalar{
		Name:        "AS_VALUE",
		Category:    "OTHER",
		Description: "Copies a key column into the value of a query's result (identity function).",
		Signatures:  []string{"AS_VALUE(val T)"},
		Bind: func(args []Arg, _ Config) (*types.Type, Impl, error) {
			if len(args) != 1 || args[0].Lambda != nil {
				return nil, nil, NoMatch("AS_VALUE", args, nil)
			}
			t := args[0].Type
			if t == nil || t.Kind == types.KNull {
				t = types.STRING
			}
			return t, func(a []any) (any, error) { return a[0], nil }, nil
		},
	})
}
