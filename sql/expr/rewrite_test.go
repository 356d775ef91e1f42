package expr_test

import (
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/expr"
	"github.com/ksqlgo/ksqlgo/sql/parser"
)

// TestRewrite: every column reference is reached (inside CASE, IN, lambdas, constructors,
// calls), the replacement stops the descent, and the input is left as it was.
func TestRewrite(t *testing.T) {
	src := `CASE WHEN a IN (b, 1) THEN TRANSFORM(arr, x => x + c) ELSE ARRAY[d, STRUCT(f := e)->f][1] END`
	e := parseExpr(t, src)
	before := expr.Format(e)
	var seen []string
	out := expr.Rewrite(e, func(n parser.Expr) (parser.Expr, bool) {
		if ref, ok := n.(*parser.ColumnRef); ok {
			seen = append(seen, ref.Name.Name)
			return &parser.ColumnRef{Pos: ref.Pos, Name: parser.Ident{Name: "Z_" + ref.Name.Name}}, true
		}
		return nil, false
	})
	if expr.Format(e) != before {
		t.Fatalf("input changed: %s", expr.Format(e))
	}
	want := "(CASE WHEN (Z_A IN (Z_B, 1)) THEN TRANSFORM(Z_ARR, (X) => (Z_X + Z_C)) ELSE ARRAY[Z_D, STRUCT(F:=Z_E)->F][1] END)"
	if got := expr.Format(out); got != want {
		t.Fatalf("rewritten %s\nwant      %s", got, want)
	}
	if len(seen) != 7 {
		t.Fatalf("visited %v", seen)
	}
}
