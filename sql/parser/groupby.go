package parser

import (
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/opcode"
)

// checkGroupBy rejects the GROUP BY items that ksqlDB's grammar does not accept, which
// TiDB's does: an item is a value expression (a predicate or a logical expression needs
// parentheses), and a parenthesized list of expressions (a grouping set) must be the only
// item. starts holds the first token of each item.
func (c *converter) checkGroupBy(items []*ast.ByItem, starts []int) error {
	r := c.r
	for k, it := range items {
		if k >= len(starts) {
			break
		}
		if _, ok := it.Expr.(*ast.RowExpr); ok && len(items) > 1 {
			if i := r.depthOneComma(starts[k]); i >= 0 {
				return r.errAt(i, "Syntax Error\nmissing ')' at ','")
			}
		}
		if isPredicate(it.Expr) {
			return r.unexpected(r.predicateToken(starts[k]))
		}
	}
	return nil
}

// isPredicate says whether e is a boolean expression that is not a value expression in
// ksqlDB's grammar.
func isPredicate(e ast.ExprNode) bool {
	switch x := e.(type) {
	case *ast.BinaryOperationExpr:
		switch x.Op {
		case opcode.LogicAnd, opcode.LogicOr, opcode.LogicXor,
			opcode.EQ, opcode.NE, opcode.LT, opcode.LE, opcode.GT, opcode.GE, opcode.NullEQ:
			return true
		}
	case *ast.UnaryOperationExpr:
		return x.Op == opcode.Not
	case *ast.IsNullExpr, *ast.IsTruthExpr, *ast.BetweenExpr, *ast.PatternInExpr,
		*ast.PatternLikeOrIlikeExpr, *ast.PatternRegexpExpr:
		return true
	}
	return false
}

// depthOneComma returns the first ',' directly inside the parentheses opening at token
// i, or -1.
func (r *rewrite) depthOneComma(i int) int {
	depth := 0
	for k := i; k < len(r.toks); k++ {
		t := r.toks[k]
		switch {
		case t.IsOp("(") || t.IsOp("["):
			depth++
		case t.IsOp(")") || t.IsOp("]"):
			depth--
			if depth <= 0 {
				return -1
			}
		case depth == 1 && t.IsOp(","):
			return k
		}
	}
	return -1
}

// predicateToken returns the first token from i, outside brackets and CASE expressions,
// that makes an expression a predicate (a comparison, AND, OR, IS, ...); i if none.
func (r *rewrite) predicateToken(i int) int {
	depth := 0
	for k := i; k < len(r.toks); k++ {
		t := r.toks[k]
		switch {
		case t.IsOp("(") || t.IsOp("[") || t.Is("CASE"):
			depth++
		case t.IsOp(")") || t.IsOp("]") || t.Is("END"):
			depth--
			if depth < 0 {
				return i
			}
		case depth == 0 && (t.IsOp(",") || t.Kind == TokIdent && clauseWords[t.Value]):
			return i
		case depth == 0 && t.Kind == TokOp && predicateOps[t.Value],
			depth == 0 && t.Kind == TokIdent && predicateWords[t.Value]:
			return k
		}
	}
	return i
}

var (
	predicateOps   = map[string]bool{"=": true, "<>": true, "!=": true, "<": true, "<=": true, ">": true, ">=": true}
	predicateWords = map[string]bool{"AND": true, "OR": true, "XOR": true, "NOT": true, "IS": true, "IN": true, "BETWEEN": true, "LIKE": true}
)
