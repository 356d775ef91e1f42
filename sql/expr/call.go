package expr

import (
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/functions"
	"github.com/ksqlgo/ksqlgo/sql/parser"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// Function calls: arguments (time units, lambdas that see the enclosing row) and the
// call of the bound function.

func (c *Compiler) call(x *parser.Call, scope *Scope) (*Compiled, error) {
	name := strings.ToUpper(x.Name.Name)
	fn := c.Funcs.Scalar(name)
	if fn == nil {
		if c.Funcs.Aggregate(name) != nil {
			return nil, errorAt(x.Pos, "Aggregate function %s is not allowed here", name)
		}
		if c.Funcs.Table(name) != nil {
			return nil, errorAt(x.Pos, "Table function %s is not allowed here", name)
		}
		return nil, errorAt(x.Pos, "Can't find any functions with the name '%s'", name)
	}
	args, evals, err := c.Args(x, scope)
	if err != nil {
		return nil, err
	}
	rt, impl, err := fn.Bind(args, c.Config)
	if err != nil {
		return nil, errorAt(x.Pos, "%s", err.Error())
	}
	n := len(evals)
	onErr := c.CallError
	return &Compiled{Type: rt, Eval: func(row []any) (any, error) {
		vals := make([]any, n)
		for i, e := range evals {
			v, err := e(row)
			if err != nil {
				return nil, err
			}
			vals[i] = v
		}
		v, err := impl(vals)
		if err != nil && onErr != nil {
			onErr(name, err)
			return nil, nil
		}
		return v, err
	}}, nil
}

// Args compiles the arguments of a call into functions.Args (lambdas left for the function
// to compile) and their closures. A lambda argument's closure returns the row itself: it
// is the environment the function passes back to the bound lambda, whose body may read
// the row's columns.
func (c *Compiler) Args(x *parser.Call, scope *Scope) ([]functions.Arg, []Eval, error) {
	args := make([]functions.Arg, len(x.Args))
	evals := make([]Eval, len(x.Args))
	for i, a := range x.Args {
		if l, ok := a.(*parser.Lambda); ok {
			args[i] = functions.Arg{Lambda: c.lambda(l, scope)}
			evals[i] = lambdaEnv
			continue
		}
		ca, ok := intervalUnit(a)
		if !ok {
			var err error
			if ca, err = c.Compile(a, scope); err != nil {
				return nil, nil, err
			}
		}
		args[i] = functions.Arg{Type: ca.Type, Const: ca.Const, Value: ca.Value}
		evals[i] = ca.Eval
	}
	return args, evals, nil
}

// intervalUnits are the time units ksqlDB's grammar takes as a function argument
// (DATEADD(DAYS, 1, d)), in singular and plural.
var intervalUnits = map[string]bool{
	"DAY": true, "HOUR": true, "MINUTE": true, "SECOND": true, "MILLISECOND": true,
	"DAYS": true, "HOURS": true, "MINUTES": true, "SECONDS": true, "MILLISECONDS": true,
}

// intervalUnit compiles a function argument that is an unquoted time unit name to a
// STRING constant holding the name: the grammar reads it as a unit, never as a column.
func intervalUnit(e parser.Expr) (*Compiled, bool) {
	ref, ok := e.(*parser.ColumnRef)
	if !ok || ref.Source != nil || ref.Name.Quoted || !intervalUnits[ref.Name.Name] {
		return nil, false
	}
	return constant(types.STRING, ref.Name.Name), true
}

// lambdaEnv is the closure of a lambda argument: its value is the row.
func lambdaEnv(row []any) (any, error) { return row, nil }

// lambda returns the functions.Lambda that compiles l's body in the enclosing scope plus
// its parameters, which take the slots after the enclosing scope's. The body runs over a
// copy of the enclosing row (the environment the function passes back) extended with the
// parameter values, so it may read the row's columns and outer lambdas' parameters.
func (c *Compiler) lambda(l *parser.Lambda, scope *Scope) *functions.Lambda {
	return &functions.Lambda{Params: len(l.Params), Bind: func(params []*types.Type) (*types.Type, functions.LambdaFunc, error) {
		if len(params) != len(l.Params) {
			return nil, nil, errorAt(l.Pos, "lambda takes %d parameters, %d given", len(l.Params), len(params))
		}
		base := scope.Width
		inner := *scope
		inner.Width = base + len(params)
		inner.Params = make([]Col, 0, len(params)+len(scope.Params))
		for i, p := range l.Params {
			inner.Params = append(inner.Params, Col{Name: p.Name, Type: params[i], Slot: base + i})
		}
		inner.Params = append(inner.Params, scope.Params...)
		body, err := c.Compile(l.Body, &inner)
		if err != nil {
			return nil, nil, err
		}
		return body.Type, func(env any, args []any) (any, error) {
			row := make([]any, base+len(args))
			outer, _ := env.([]any)
			copy(row[:base], outer)
			copy(row[base:], args)
			return body.Eval(row)
		}, nil
	}}
}
