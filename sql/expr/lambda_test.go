package expr_test

import (
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/expr"
	"github.com/ksqlgo/ksqlgo/sql/functions"
	"github.com/ksqlgo/ksqlgo/sql/parser"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// Lambda bodies see the row's columns and the parameters of enclosing lambdas.
func TestLambdaOuterColumns(t *testing.T) {
	cases := []evalCase{
		{"TRANSFORM(ARR, x => x + A)", "ARRAY<INTEGER>", "[8, 9, 10]"},
		{"TRANSFORM(ARR, x => x * T.B)", "ARRAY<BIGINT>", "[100, 200, 300]"},
		{"FILTER(ARR, x => x + ST->X > 6)", "ARRAY<INTEGER>", "[3]"},
		{"REDUCE(ARR, A, (s, x) => s + x * A)", "INTEGER", "49"},
		{"TRANSFORM(M, (k, v) => CONCAT(k, S), (k, v) => v + A)", "MAP<STRING, INTEGER>", "{khello=16}"},
		{"FILTER(M, (k, v) => v > A)", "MAP<STRING, INTEGER>", "{k=9}"},
		// pull-queries-complex-lambda.json "lambdas - compatible array elements"
		{"TRANSFORM(ARR, x => ARRAY[null, ARRAY[A, x - 2], ARRAY[A, x + 1]])", "ARRAY<ARRAY<ARRAY<INTEGER>>>",
			"[[null, [7, -1], [7, 2]], [null, [7, 0], [7, 3]], [null, [7, 1], [7, 4]]]"},
		// nested lambdas: the inner body reads the outer parameter and a column
		{"TRANSFORM(ARR, x => REDUCE(ARR, 0, (s, y) => s + x * y + A))", "ARRAY<INTEGER>", "[27, 33, 39]"},
		{"TRANSFORM(ARR, x => FILTER(ARR, y => y > x))", "ARRAY<ARRAY<INTEGER>>", "[[2, 3], [3], []]"},
		// a parameter hides the column of its name; the qualified name still reads the column
		{"TRANSFORM(ARR, A => A + 1)", "ARRAY<INTEGER>", "[2, 3, 4]"},
		{"TRANSFORM(ARR, A => A + T.A)", "ARRAY<INTEGER>", "[8, 9, 10]"},
		{"TRANSFORM(ARR, x => TRANSFORM(ARRAY[x], x => x * 10))", "ARRAY<ARRAY<INTEGER>>", "[[10], [20], [30]]"},
	}
	checkEval(t, cases)
}

// A compiled lambda reads the row it is evaluated with, not the first one.
func TestLambdaOuterColumnsPerRow(t *testing.T) {
	c, err := compile(t, "TRANSFORM(ARR, x => x + A)")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []int32{1, 2, -5} {
		row := testRow()
		row[0] = a
		v, err := c.Eval(row)
		if err != nil {
			t.Fatal(err)
		}
		want := expr.ToText([]any{1 + a, 2 + a, 3 + a})
		if got := expr.ToText(v); got != want {
			t.Errorf("A = %d: got %s, want %s", a, got, want)
		}
	}
	row := testRow()
	row[0] = nil
	if v, err := c.Eval(row); err != nil || expr.ToText(v) != "[null, null, null]" {
		t.Errorf("A = NULL: got %s, %v", expr.ToText(v), err)
	}
}

func TestLambdaErrors(t *testing.T) {
	cases := []errorCase{
		{"TRANSFORM(ARR, x => x + NOPE)", "Column 'NOPE' cannot be resolved."},
		{"TRANSFORM(ARR, x => y)", "Column 'Y' cannot be resolved."},
		{"TRANSFORM(ARR, x => x + S)", "Unsupported arithmetic types"},
	}
	checkCompileErrors(t, cases)
}

// Lambda parameters are resolved before the compiler's hooks, which only see the row's
// columns (the planner's hooks reject names that are not columns of the source).
func TestLambdaParamsBypassHooks(t *testing.T) {
	var seen []string
	c := &expr.Compiler{Funcs: functions.Builtins()}
	c.Subtree = func(e parser.Expr, scope *expr.Scope) (*expr.Compiled, error) {
		ref, ok := e.(*parser.ColumnRef)
		if !ok {
			return nil, nil
		}
		seen = append(seen, ref.Name.Name)
		if _, err := testScope.Resolve(ref); err != nil {
			return nil, err
		}
		return nil, nil
	}
	ce, err := c.Compile(parseExpr(t, "TRANSFORM(ARR, x => x + A)"), testScope)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(seen, ",") != "ARR,A" {
		t.Errorf("hook saw %v, want [ARR A]", seen)
	}
	if v, err := ce.Eval(testRow()); err != nil || expr.ToText(v) != "[8, 9, 10]" {
		t.Errorf("got %s, %v", expr.ToText(v), err)
	}
	if ce.Type.String() != types.ArrayOf(types.INT).String() {
		t.Errorf("type %s", ce.Type)
	}
}
