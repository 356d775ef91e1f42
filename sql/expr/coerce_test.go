package expr_test

import (
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/expr"
	"github.com/ksqlgo/ksqlgo/sql/functions"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// Constructors and IN lists take the common type of their elements, as ksqlDB's
// CoercionUtil.coerceUserList does.
func TestCoerceLists(t *testing.T) {
	cases := []evalCase{
		{"A IN (1, '7')", "BOOLEAN", "true"},
		{"A IN (1, '2147483648')", "BOOLEAN", "false"},
		{"S IN (true, 10, 'hello')", "BOOLEAN", "true"},
		{"'10.30' IN (10.3, 10.30)", "BOOLEAN", "true"},
		{"ARR IN (ARRAY['1', 2, 3])", "BOOLEAN", "true"},
		{"ST IN (STRUCT(X := '4'))", "BOOLEAN", "true"},
		{"ST IN (STRUCT(X := 4, Y := 1))", "BOOLEAN", "false"},
		{"M IN (MAP('k' := '9'))", "BOOLEAN", "true"},
		{"ARRAY[NULL, 1, '2e1', B]", "ARRAY<DECIMAL(19, 0)>", "[null, 1, 20, 100]"}, // '2e1' is a DECIMAL (QTT create_array)
		{"ARRAY[STRUCT(X := A), STRUCT(Y := S)]", "ARRAY<STRUCT<`X` INTEGER, `Y` STRING>>", "[Struct{X=7,Y=null}, Struct{X=null,Y=hello}]"},
		{"ARRAY['a', 1, true]", "ARRAY<STRING>", "[a, 1, true]"},
		{"MAP('a' := TRUE, 'b' := 'no', 1 := 'y')", "MAP<STRING, BOOLEAN>", "{1=true, a=true, b=false}"},
		{"MAP(CAST(NULL AS STRING) := 1)", "MAP<STRING, INTEGER>", "{null=1}"},
	}
	checkEval(t, cases)
}

func TestCoerceErrors(t *testing.T) {
	cases := []errorCase{
		{"A IN (1, 'x')", `Invalid Predicate: invalid input syntax for type INTEGER: "x".`},
		{"D IN (1, TRUE)", "Invalid Predicate: operator does not exist: DECIMAL(12, 2) = BOOLEAN (true)"},
		{"S IN (1, C)", "Invalid Predicate: operator does not exist: STRING = DOUBLE (C)"},
		{"ARR IN (ARRAY[S])", "Invalid Predicate: operator does not exist: ARRAY<INTEGER> = ARRAY<STRING> (ARRAY[S])"},
		{"ST IN (STRUCT(X := S))", "Invalid Predicate: operator does not exist: STRUCT<`X` INTEGER> = STRUCT<`X` STRING> (STRUCT(X:=S))"},
		{"ST IN (STRUCT(X := 'four'))", `Invalid Predicate: invalid input syntax for type INTEGER: "four".`},
		{"ARRAY[1, S]", "operator does not exist: INTEGER = STRING (S)"},
		{"ARRAY[D, 'x']", `invalid input syntax for type DECIMAL: "x".`},
		{"MAP('a' := 1, 'b' := 'hello')", `invalid input syntax for type INTEGER: "hello".`},
		{"STRUCT(F := 1, F := 2)", "Duplicate field names found in STRUCT"},
	}
	checkCompileErrors(t, cases)
}

// A time unit name as a function argument is the unit, not a column.
func TestIntervalUnitArgument(t *testing.T) {
	c, err := compile(t, "TIMESTAMPADD(DAYS, 2, FROM_UNIXTIME(B))")
	if err != nil {
		t.Fatal(err)
	}
	if v, err := c.Eval(testRow()); err != nil || v != types.Timestamp(2*86400000+100) {
		t.Errorf("got %v (%s), %v", v, c.Type, err)
	}
	if _, err := compile(t, "TIMESTAMPADD(`DAYS`, 2, FROM_UNIXTIME(B))"); err == nil || !strings.Contains(err.Error(), "DAYS") {
		t.Errorf("quoted DAYS is a column: %v", err)
	}
}

// With CallError set, a failing function call is NULL and the rest of the expression
// is evaluated (ksqlDB's generated code); without, the error is the expression's.
func TestCallError(t *testing.T) {
	text := "MAP('boo' := STRINGTODATE(S, 'yyyyMMdd'), 'shoe' := 3)"
	var got []string
	c := &expr.Compiler{Funcs: functions.Builtins(), CallError: func(fn string, err error) { got = append(got, fn) }}
	ce, err := c.Compile(parseExpr(t, text), testScope)
	if err != nil {
		t.Fatal(err)
	}
	v, err := ce.Eval(testRow())
	if err != nil || expr.ToText(v) != "{boo=null, shoe=3}" || strings.Join(got, ",") != "STRINGTODATE" {
		t.Errorf("got %s, %v; hook saw %v", expr.ToText(v), err, got)
	}
	ce, err = compile(t, text)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ce.Eval(testRow()); err == nil {
		t.Error("no error without CallError")
	}
}
