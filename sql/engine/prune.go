package engine

import (
	"github.com/ksqlgo/ksqlgo/sql/expr"
	"github.com/ksqlgo/ksqlgo/sql/parser"
)

// usedValueColumns returns, per value column of l's source, whether the query reads it:
// its slot is in readSlots (the slots its compiled expressions resolved), or it is the
// source's timestamp column.
func usedValueColumns(l *inputLayout, readSlots []bool) []bool {
	used := make([]bool, len(l.valSlots))
	for i, s := range l.valSlots {
		used[i] = readSlots[s] || l.src.Columns[s].Name == l.src.TimestampColumn
	}
	return used
}

// hasLambda says whether any expression of sel holds a lambda, whose body may be compiled
// after planning: the columns such a query reads are not known for certain.
func hasLambda(sel *parser.Select) bool {
	found := false
	check := func(e parser.Expr) {
		expr.Walk(e, func(n parser.Expr) bool {
			if _, ok := n.(*parser.Lambda); ok {
				found = true
			}
			return !found
		})
	}
	check(sel.Where)
	check(sel.Having)
	for _, g := range sel.GroupBy {
		check(g)
	}
	for _, it := range sel.Items {
		check(it.Expr)
	}
	return found
}
