package expr_test

import (
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/expr"
	"github.com/ksqlgo/ksqlgo/sql/functions"
	"github.com/ksqlgo/ksqlgo/sql/parser"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// scope: A INT, B BIGINT, C DOUBLE, D DECIMAL(4,2), S STRING, ARR ARRAY<INT>,
// M MAP<STRING, INT>, ST STRUCT<X INT>, N STRING (always NULL).
var testScope = &expr.Scope{Sources: []string{"T"}, Width: 9, Cols: []expr.Col{
	{Source: "T", Name: "A", Type: types.INT, Slot: 0},
	{Source: "T", Name: "B", Type: types.BIGINT, Slot: 1},
	{Source: "T", Name: "C", Type: types.DOUBLE, Slot: 2},
	{Source: "T", Name: "D", Type: types.DecimalOf(4, 2), Slot: 3},
	{Source: "T", Name: "S", Type: types.STRING, Slot: 4},
	{Source: "T", Name: "ARR", Type: types.ArrayOf(types.INT), Slot: 5},
	{Source: "T", Name: "M", Type: types.MapOf(types.STRING, types.INT), Slot: 6},
	{Source: "T", Name: "ST", Type: types.StructOf(types.Field{Name: "X", Type: types.INT}), Slot: 7},
	{Source: "T", Name: "N", Type: types.STRING, Slot: 8},
}}

func testRow() []any {
	st := types.StructOf(types.Field{Name: "X", Type: types.INT})
	return []any{int32(7), int64(100), 2.5, types.NewDecimal(150, 2), "hello",
		[]any{int32(1), int32(2), int32(3)}, map[any]any{"k": int32(9)}, &types.Struct{Type: st, Values: []any{int32(4)}}, nil}
}

func parseExpr(t testing.TB, text string) parser.Expr {
	t.Helper()
	stmts, err := parser.Parse("SELECT "+text+" FROM T;", nil)
	if err != nil {
		t.Fatalf("parse %q: %v", text, err)
	}
	return stmts[0].(*parser.Query).Select.Items[0].Expr
}

func compile(t testing.TB, text string) (*expr.Compiled, error) {
	c := &expr.Compiler{Funcs: functions.Builtins()}
	return c.Compile(parseExpr(t, text), testScope)
}

// evalCase is an expression, the type it compiles to and the text of its value on testRow.
type evalCase struct{ expr, typ, want string }

// checkEval compiles each case, evaluates it on testRow and checks its type and value.
func checkEval(t *testing.T, cases []evalCase) {
	t.Helper()
	for _, tc := range cases {
		c, err := compile(t, tc.expr)
		if err != nil {
			t.Errorf("%s: %v", tc.expr, err)
			continue
		}
		if c.Type.String() != tc.typ {
			t.Errorf("%s: type %s, want %s", tc.expr, c.Type, tc.typ)
		}
		v, err := c.Eval(testRow())
		if err != nil {
			t.Errorf("%s: %v", tc.expr, err)
			continue
		}
		if got := expr.ToText(v); got != tc.want {
			t.Errorf("%s = %s, want %s", tc.expr, got, tc.want)
		}
	}
}

// errorCase is an expression that does not compile and a part of its error.
type errorCase struct{ expr, want string }

// checkCompileErrors checks that each case fails to compile with an error containing want.
func checkCompileErrors(t *testing.T, cases []errorCase) {
	t.Helper()
	for _, tc := range cases {
		_, err := compile(t, tc.expr)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.expr, err, tc.want)
		}
	}
}

func TestEvaluate(t *testing.T) {
	cases := []struct {
		expr, typ, want string
	}{
		{"A + 1", "INTEGER", "8"},
		{"A + B", "BIGINT", "107"},
		{"A / 2", "INTEGER", "3"},
		{"A % 4", "INTEGER", "3"},
		{"C * 2", "DOUBLE", "5.0"},
		{"D + 1", "DECIMAL(13, 2)", "2.50"},
		{"D * D", "DECIMAL(9, 4)", "2.2500"},
		{"D / 3", "DECIMAL(15, 13)", "0.5000000000000"},
		{"1.5", "DECIMAL(2, 1)", "1.5"},
		{"A > 5 AND S = 'hello'", "BOOLEAN", "true"},
		{"N = 'x'", "BOOLEAN", "false"},
		{"N IS NULL", "BOOLEAN", "true"},
		{"NOT (N = 'x') OR N IS NOT NULL", "BOOLEAN", "true"},
		{"A BETWEEN 1 AND 7", "BOOLEAN", "true"},
		{"A IN (1, 2, '7')", "BOOLEAN", "true"},
		{"S LIKE 'h%o'", "BOOLEAN", "true"},
		{"S LIKE 'h_llo'", "BOOLEAN", "true"},
		{"S NOT LIKE '%x%'", "BOOLEAN", "true"},
		{"N IS DISTINCT FROM 'x'", "BOOLEAN", "true"},
		{"CASE WHEN A > 10 THEN 'big' WHEN A > 5 THEN 'mid' ELSE 'small' END", "STRING", "mid"},
		{"CASE A WHEN 7 THEN 1 END", "INTEGER", "1"},
		{"CAST(A AS STRING)", "STRING", "7"},
		{"CAST(C AS INT)", "INTEGER", "2"},
		{"CAST('12' AS BIGINT)", "BIGINT", "12"},
		{"CAST(C AS DECIMAL(5, 1))", "DECIMAL(5, 1)", "2.5"},
		{"S || '!'", "STRING", "hello!"},
		{"ARR[1]", "INTEGER", "1"},
		{"ARR[-1]", "INTEGER", "3"},
		{"ARR[10]", "INTEGER", "null"},
		{"M['k']", "INTEGER", "9"},
		{"ST->X", "INTEGER", "4"},
		{"ARRAY[A, 2]", "ARRAY<INTEGER>", "[7, 2]"},
		{"STRUCT(F := A)", "STRUCT<`F` INTEGER>", "Struct{F=7}"},
		{"MAP('a' := 1)", "MAP<STRING, INTEGER>", "{a=1}"},
		{"-A", "INTEGER", "-7"},
		{"-9223372036854775808", "BIGINT", "-9223372036854775808"},
		{"A / 0", "INTEGER", "error"},
	}
	for _, tc := range cases {
		c, err := compile(t, tc.expr)
		if err != nil {
			t.Errorf("%s: %v", tc.expr, err)
			continue
		}
		if c.Type.String() != tc.typ {
			t.Errorf("%s: type %s, want %s", tc.expr, c.Type, tc.typ)
		}
		v, err := c.Eval(testRow())
		got := expr.ToText(v)
		if err != nil {
			got = "error"
		}
		if got != tc.want {
			t.Errorf("%s = %s, want %s", tc.expr, got, tc.want)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	cases := []struct{ expr, want string }{
		{"NOPE", "Column 'NOPE' cannot be resolved."},
		{"X.A", "'X' is not a valid stream/table name or alias."},
		{"A = TRUE", "operator does not exist: INTEGER = BOOLEAN (true)"},
		{"B = 'ten'", `invalid input syntax for type BIGINT: "ten"`},
		{"ARR < ARR", "Cannot compare ARR (ARRAY<INTEGER>) to ARR (ARRAY<INTEGER>) with LESS_THAN."},
		{"ST < ST", "Cannot compare ST (STRUCT<`X` INTEGER>) to ST (STRUCT<`X` INTEGER>) with LESS_THAN."},
		{"NO_SUCH_FN(A)", "Can't find any functions with the name 'NO_SUCH_FN'"},
		{"ARRAY[NULL]", "Cannot construct an array with all NULL elements"},
		{"CASE WHEN A > 1 THEN NULL END", "All case branches have NULL type"},
		{"ST->Y", "Could not find field 'Y'"},
		{"S + 1", "Unsupported arithmetic types"},
		{"A + NULL", "Error processing expression: (A + null). Arithmetic on types INTEGER and null are not supported."},
		{"NULL * NULL", "Error processing expression: (null * null). Arithmetic on types null and null are not supported."},
	}
	for _, tc := range cases {
		_, err := compile(t, tc.expr)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.expr, err, tc.want)
			continue
		}
		var ee *expr.Error
		if !asExprError(err, &ee) || ee.Pos.Line != 1 {
			t.Errorf("%s: error %v has no position", tc.expr, err)
		}
	}
}

func asExprError(err error, target **expr.Error) bool {
	e, ok := err.(*expr.Error)
	if ok {
		*target = e
	}
	return ok
}

// FuzzCompile feeds arbitrary expression text through the parser and the compiler and
// evaluates what compiles: nothing may panic.
func FuzzCompile(f *testing.F) {
	for _, s := range []string{"A + 1", "CASE WHEN A > 1 THEN S ELSE 'x' END", "ARR[A]", "M[S]", "ST->X",
		"CAST(S AS DECIMAL(4,2))", "D / 0", "A IN (1, '2', NULL)", "S LIKE '%_\\\\%' ESCAPE '\\\\'", "SUBSTRING(S, A)",
		"TRANSFORM(ARR, x => x + 1)", "ARRAY[1, NULL, 3]", "MAP('a' := A)", "-D * D - C", "NOT N IS NULL"} {
		f.Add(s)
	}
	c := &expr.Compiler{Funcs: functions.Builtins()}
	f.Fuzz(func(t *testing.T, text string) {
		stmts, err := parser.Parse("SELECT "+text+" FROM T;", nil)
		if err != nil || len(stmts) != 1 {
			return
		}
		q, ok := stmts[0].(*parser.Query)
		if !ok || len(q.Select.Items) == 0 || q.Select.Items[0].Expr == nil {
			return
		}
		ce, err := c.Compile(q.Select.Items[0].Expr, testScope)
		if err != nil {
			return
		}
		_, _ = ce.Eval(testRow())
		_, _ = ce.Eval(make([]any, 9))
	})
}

// BenchmarkWhere5 measures a compiled 5-term WHERE clause per evaluated row.
func BenchmarkWhere5(b *testing.B) {
	c, err := compile(b, "A > 5 AND B < 1000 AND C >= 1.0 AND S <> 'x' AND N IS NULL")
	if err != nil {
		b.Fatal(err)
	}
	row := testRow()
	b.ReportAllocs()
	for b.Loop() {
		if v, _ := c.Eval(row); v != true {
			b.Fatal("false")
		}
	}
}
