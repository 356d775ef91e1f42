package expr

import (
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/parser"
)

// Walk calls fn for e and, while fn returns true, for its sub-expressions (depth first).
func Walk(e parser.Expr, fn func(parser.Expr) bool) {
	if e == nil || !fn(e) {
		return
	}
	switch x := e.(type) {
	case *parser.Unary:
		Walk(x.X, fn)
	case *parser.Binary:
		Walk(x.L, fn)
		Walk(x.R, fn)
	case *parser.IsNull:
		Walk(x.X, fn)
	case *parser.IsDistinct:
		Walk(x.L, fn)
		Walk(x.R, fn)
	case *parser.Between:
		Walk(x.X, fn)
		Walk(x.Lo, fn)
		Walk(x.Hi, fn)
	case *parser.Like:
		Walk(x.X, fn)
		Walk(x.Pattern, fn)
	case *parser.In:
		Walk(x.X, fn)
		for _, a := range x.List {
			Walk(a, fn)
		}
	case *parser.Case:
		Walk(x.Operand, fn)
		for _, w := range x.Whens {
			Walk(w.Cond, fn)
			Walk(w.Result, fn)
		}
		Walk(x.Else, fn)
	case *parser.Cast:
		Walk(x.Expr, fn)
	case *parser.Deref:
		Walk(x.X, fn)
	case *parser.Subscript:
		Walk(x.X, fn)
		Walk(x.Index, fn)
	case *parser.ArrayExpr:
		for _, a := range x.Elems {
			Walk(a, fn)
		}
	case *parser.MapExpr:
		for _, en := range x.Entries {
			Walk(en.Key, fn)
			Walk(en.Value, fn)
		}
	case *parser.StructExpr:
		for _, f := range x.Fields {
			Walk(f.Value, fn)
		}
	case *parser.Call:
		for _, a := range x.Args {
			Walk(a, fn)
		}
	case *parser.Lambda:
		Walk(x.Body, fn)
	}
}

// Format renders an expression in ksqlDB's canonical text (as its messages and generated
// names show it), e.g. "(T.ID = 0)", "CAST(X AS STRING)", "SUM(COUNT())".
func Format(e parser.Expr) string {
	var b strings.Builder
	format(&b, e)
	return b.String()
}

func format(b *strings.Builder, e parser.Expr) {
	switch x := e.(type) {
	case nil:
	case *parser.Literal:
		switch x.Kind {
		case parser.LitString:
			b.WriteString("'" + strings.ReplaceAll(x.Text, "'", "''") + "'")
		case parser.LitBool, parser.LitNull:
			b.WriteString(strings.ToLower(x.Text))
		default:
			b.WriteString(x.Text)
		}
	case *parser.ColumnRef:
		b.WriteString(RefText(x))
	case *parser.Unary:
		switch x.Op {
		case parser.OpNot:
			b.WriteString("(NOT ")
			format(b, x.X)
			b.WriteString(")")
		default:
			b.WriteString(x.Op.String())
			format(b, x.X)
		}
	case *parser.Binary:
		b.WriteString("(")
		format(b, x.L)
		b.WriteString(" " + x.Op.String() + " ")
		format(b, x.R)
		b.WriteString(")")
	case *parser.IsNull:
		b.WriteString("(")
		format(b, x.X)
		if x.Not {
			b.WriteString(" IS NOT NULL)")
		} else {
			b.WriteString(" IS NULL)")
		}
	case *parser.IsDistinct:
		b.WriteString("(")
		format(b, x.L)
		if x.Not {
			b.WriteString(" IS NOT DISTINCT FROM ")
		} else {
			b.WriteString(" IS DISTINCT FROM ")
		}
		format(b, x.R)
		b.WriteString(")")
	case *parser.Between:
		formatNegatable(b, x.X, x.Not, "BETWEEN ")
		format(b, x.Lo)
		b.WriteString(" AND ")
		format(b, x.Hi)
		b.WriteString(")")
	case *parser.Like:
		formatNegatable(b, x.X, x.Not, "LIKE ")
		format(b, x.Pattern)
		b.WriteString(")")
	case *parser.In:
		formatNegatable(b, x.X, x.Not, "IN (")
		formatList(b, x.List)
		b.WriteString("))")
	case *parser.Case:
		b.WriteString("(CASE ")
		if x.Operand != nil {
			format(b, x.Operand)
			b.WriteString(" ")
		}
		for _, w := range x.Whens {
			b.WriteString("WHEN ")
			format(b, w.Cond)
			b.WriteString(" THEN ")
			format(b, w.Result)
			b.WriteString(" ")
		}
		if x.Else != nil {
			b.WriteString("ELSE ")
			format(b, x.Else)
			b.WriteString(" ")
		}
		b.WriteString("END)")
	case *parser.Cast:
		b.WriteString("CAST(")
		format(b, x.Expr)
		b.WriteString(" AS " + x.Type.String() + ")")
	case *parser.Deref:
		format(b, x.X)
		b.WriteString("->" + x.Field.Name)
	case *parser.Subscript:
		format(b, x.X)
		b.WriteString("[")
		format(b, x.Index)
		b.WriteString("]")
	case *parser.ArrayExpr:
		b.WriteString("ARRAY[")
		formatList(b, x.Elems)
		b.WriteString("]")
	case *parser.MapExpr:
		b.WriteString("MAP(")
		for i, en := range x.Entries {
			if i > 0 {
				b.WriteString(", ")
			}
			format(b, en.Key)
			b.WriteString(":=")
			format(b, en.Value)
		}
		b.WriteString(")")
	case *parser.StructExpr:
		b.WriteString("STRUCT(")
		for i, f := range x.Fields {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(f.Name.Name + ":=")
			format(b, f.Value)
		}
		b.WriteString(")")
	case *parser.Call:
		b.WriteString(strings.ToUpper(x.Name.Name) + "(")
		if x.Distinct {
			b.WriteString("DISTINCT ")
		}
		formatList(b, x.Args)
		b.WriteString(")")
	case *parser.Lambda:
		b.WriteString("(")
		for i, p := range x.Params {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(p.Name)
		}
		b.WriteString(") => ")
		format(b, x.Body)
	case *parser.RawExpr:
		b.WriteString(x.Text)
	}
}

// formatList writes es separated by commas.
func formatList(b *strings.Builder, es []parser.Expr) {
	for i, e := range es {
		if i > 0 {
			b.WriteString(", ")
		}
		format(b, e)
	}
}

// formatNegatable opens a predicate that NOT can negate: "(x [NOT] op", op carrying the
// text that follows it ("BETWEEN ", "IN (").
func formatNegatable(b *strings.Builder, x parser.Expr, not bool, op string) {
	b.WriteString("(")
	format(b, x)
	if not {
		b.WriteString(" NOT")
	}
	b.WriteString(" " + op)
}
