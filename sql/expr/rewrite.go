package expr

import "github.com/ksqlgo/ksqlgo/sql/parser"

// Rewrite returns a copy of e in which fn has replaced nodes. fn is called on each node
// before its children; when it returns ok, its result replaces the node and the node's
// children are not visited. Nodes fn leaves alone are copied with rewritten children, so
// e itself is never modified. A lambda's parameters are not columns: fn sees the Lambda
// node and may rewrite its body itself.
func Rewrite(e parser.Expr, fn func(parser.Expr) (parser.Expr, bool)) parser.Expr {
	if e == nil {
		return nil
	}
	if r, ok := fn(e); ok {
		return r
	}
	rw := func(x parser.Expr) parser.Expr { return Rewrite(x, fn) }
	list := func(xs []parser.Expr) []parser.Expr {
		if xs == nil {
			return nil
		}
		out := make([]parser.Expr, len(xs))
		for i, x := range xs {
			out[i] = rw(x)
		}
		return out
	}
	switch x := e.(type) {
	case *parser.Unary:
		c := *x
		c.X = rw(x.X)
		return &c
	case *parser.Binary:
		c := *x
		c.L, c.R = rw(x.L), rw(x.R)
		return &c
	case *parser.IsNull:
		c := *x
		c.X = rw(x.X)
		return &c
	case *parser.IsDistinct:
		c := *x
		c.L, c.R = rw(x.L), rw(x.R)
		return &c
	case *parser.Between:
		c := *x
		c.X, c.Lo, c.Hi = rw(x.X), rw(x.Lo), rw(x.Hi)
		return &c
	case *parser.Like:
		c := *x
		c.X, c.Pattern = rw(x.X), rw(x.Pattern)
		return &c
	case *parser.In:
		c := *x
		c.X, c.List = rw(x.X), list(x.List)
		return &c
	case *parser.Case:
		c := *x
		c.Operand = rw(x.Operand)
		c.Whens = make([]parser.When, len(x.Whens))
		for i, w := range x.Whens {
			c.Whens[i] = parser.When{Cond: rw(w.Cond), Result: rw(w.Result)}
		}
		c.Else = rw(x.Else)
		return &c
	case *parser.Cast:
		c := *x
		c.Expr = rw(x.Expr)
		return &c
	case *parser.Deref:
		c := *x
		c.X = rw(x.X)
		return &c
	case *parser.Subscript:
		c := *x
		c.X, c.Index = rw(x.X), rw(x.Index)
		return &c
	case *parser.ArrayExpr:
		c := *x
		c.Elems = list(x.Elems)
		return &c
	case *parser.MapExpr:
		c := *x
		c.Entries = make([]parser.MapEntry, len(x.Entries))
		for i, en := range x.Entries {
			c.Entries[i] = parser.MapEntry{Key: rw(en.Key), Value: rw(en.Value)}
		}
		return &c
	case *parser.StructExpr:
		c := *x
		c.Fields = make([]parser.StructValue, len(x.Fields))
		for i, f := range x.Fields {
			c.Fields[i] = parser.StructValue{Name: f.Name, Value: rw(f.Value)}
		}
		return &c
	case *parser.Call:
		c := *x
		c.Args = list(x.Args)
		return &c
	case *parser.Lambda:
		c := *x
		c.Body = rw(x.Body)
		return &c
	}
	return e
}
