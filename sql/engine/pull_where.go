package engine

import (
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/expr"
	"github.com/ksqlgo/ksqlgo/sql/parser"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// comparisonNames are ksqlDB's names of the comparison operators, as its messages print
// them.
var comparisonNames = map[parser.Op]string{
	parser.OpEq: "EQUAL", parser.OpNe: "NOT_EQUAL", parser.OpLt: "LESS_THAN",
	parser.OpLe: "LESS_THAN_OR_EQUAL", parser.OpGt: "GREATER_THAN", parser.OpGe: "GREATER_THAN_OR_EQUAL",
}

// checkPullWhereTypes applies the type rules ksqlDB's pull-query planner adds to the
// WHERE clause: a key column is compared only with a literal of its own kind (string with
// string, number with number), never with NULL; LIKE needs a STRING column.
func (e *Engine) checkPullWhereTypes(where parser.Expr, l *inputLayout) error {
	var err error
	colType := func(x parser.Expr) (*Column, bool) {
		ref, ok := x.(*parser.ColumnRef)
		if !ok {
			return nil, false
		}
		c := l.src.Column(ref.Name.Name)
		return c, c != nil
	}
	mismatch := func(c *Column, lit *parser.Literal) bool {
		isString := c.Type.Kind == types.KString
		switch lit.Kind {
		case parser.LitString:
			return !isString
		case parser.LitInteger, parser.LitDecimal, parser.LitDouble:
			return isString
		}
		return false
	}
	expr.Walk(where, func(n parser.Expr) bool {
		if err != nil {
			return false
		}
		switch x := n.(type) {
		case *parser.Binary:
			name, isCmp := comparisonNames[x.Op]
			if !isCmp {
				return true
			}
			c, ok := colType(x.L)
			other := x.R
			if !ok {
				c, ok = colType(x.R)
				other = x.L
			}
			lit, isLit := other.(*parser.Literal)
			if !ok || c.Kind != KeyCol || !l.src.Table || !isLit {
				return true
			}
			if lit.Kind == parser.LitNull {
				err = stmtErr("Error in WHERE expression: Comparison with NULL not supported: %s %s NULL\nUse 'IS NULL' or 'IS NOT NULL' instead.\nStatement: (%s %s null)", c.Type.SQL(), x.Op, c.Name, x.Op)
			} else if mismatch(c, lit) {
				err = stmtErr("Error in WHERE expression: Cannot compare %s (%s) to %s (%s) with %s.\nStatement: %s", c.Name, c.Type.SQL(), expr.Format(lit), litType(lit), name, expr.Format(x))
			}
		case *parser.In:
			c, ok := colType(x.X)
			if !ok || c.Kind != KeyCol || !l.src.Table {
				return true
			}
			for _, item := range x.List {
				lit, isLit := item.(*parser.Literal)
				if !isLit {
					continue
				}
				if lit.Kind == parser.LitNull {
					err = stmtErr("Primary key columns can not be NULL: (%s = null)", c.Name)
				} else if mismatch(c, lit) {
					err = stmtErr("%s can not be converted to the type of the key column: %s %s KEY", expr.Format(lit), c.Name, c.Type.SQL())
				}
				if err != nil {
					break
				}
			}
		case *parser.Like:
			if c, ok := colType(x.X); ok && c.Type.Kind != types.KString {
				err = stmtErr("The column type for Like condition must be VARCHAR. The column type is %s", c.Type.SQL())
			}
		case *parser.Between:
			c, ok := colType(x.X)
			if !ok {
				return true
			}
			for i, bound := range []parser.Expr{x.Lo, x.Hi} {
				if lit, isLit := bound.(*parser.Literal); isLit && mismatch(c, lit) {
					op := "GREATER_THAN_OR_EQUAL"
					if i == 1 {
						op = "LESS_THAN_OR_EQUAL"
					}
					err = stmtErr("Invalid expression: Cannot compare %s (%s) to %s (%s) with %s", c.Name, c.Type.SQL(), expr.Format(lit), litType(lit), op)
					break
				}
			}
		}
		return err == nil
	})
	return err
}

// litType is the SQL type of a literal, for messages.
func litType(lit *parser.Literal) string {
	switch lit.Kind {
	case parser.LitString:
		return "STRING"
	case parser.LitInteger:
		return "INTEGER"
	case parser.LitDecimal:
		return "DECIMAL"
	case parser.LitDouble:
		return "DOUBLE"
	case parser.LitBool:
		return "BOOLEAN"
	}
	return "NULL"
}

// checkPullKeys applies ksqlDB's rules for the WHERE clause of a pull query on a table
// when table scans are disabled: every disjunct must pin every key column with one '='
// (or one range bound on a single STRING key, when range scans are enabled) to a value
// that does not depend on the row. With table scans enabled (the default) any WHERE
// clause is answered by a scan.
func (e *Engine) checkPullKeys(where parser.Expr, src *Source) error {
	if e.flag(PropPullTableScan, true) {
		return nil
	}
	if where == nil {
		return errNeedsScan
	}
	rangeScan := e.flag(PropPullRangeScan, true)
	ds := disjuncts(where)
	for _, d := range ds {
		// ksqlDB scans key ranges for a single disjunct only.
		if err := checkDisjunct(d, src, rangeScan && len(ds) == 1); err != nil {
			return err
		}
	}
	return nil
}

var errNeedsScan = stmtErr("Query requires table scan to be enabled. Table scans generally should be avoided, as they are inefficient. To enable table scans, set %s to true.", PropPullTableScan)

// keyBound is a constraint of a disjunct on a key column.
type keyBound struct {
	col string
	op  parser.Op
}

func checkDisjunct(conj []parser.Expr, src *Source, rangeScan bool) error {
	isKey := func(x parser.Expr) (string, bool) {
		ref, ok := x.(*parser.ColumnRef)
		if !ok {
			return "", false
		}
		if c := src.Column(ref.Name.Name); c != nil && c.Kind == KeyCol {
			return c.Name, true
		}
		return "", false
	}
	isWindowBound := func(x parser.Expr) bool {
		ref, ok := x.(*parser.ColumnRef)
		return ok && src.Window != nil && (ref.Name.Name == colWindowStart || ref.Name.Name == colWindowEnd)
	}
	var bounds []keyBound
	for _, c := range conj {
		switch x := c.(type) {
		case *parser.Binary:
			if _, isCmp := comparisonNames[x.Op]; !isCmp {
				return errNeedsScan
			}
			if isWindowBound(x.L) || isWindowBound(x.R) {
				continue
			}
			col, other, op := "", parser.Expr(nil), x.Op
			if name, ok := isKey(x.L); ok {
				col, other = name, x.R
			} else if name, ok := isKey(x.R); ok {
				col, other, op = name, x.L, flip(x.Op)
			}
			if col == "" {
				_, lref := x.L.(*parser.ColumnRef)
				_, rref := x.R.(*parser.ColumnRef)
				if lref || rref {
					continue // a condition on a value column
				}
				return stmtErr("A comparison must directly reference a key column.")
			}
			if referencesColumn(other) {
				return stmtErr("A comparison must be between a key column and a resolvable expression.")
			}
			bounds = append(bounds, keyBound{col: col, op: op})
		case *parser.Like:
			if _, ok := x.X.(*parser.ColumnRef); !ok {
				return stmtErr("Like condition must be between strings")
			}
			if _, ok := isKey(x.X); ok {
				return errNeedsScan
			}
		}
	}
	seen := map[string]bool{}
	for _, b := range bounds {
		if seen[b.col] {
			return stmtErr("A comparison condition on the key column cannot be combined with other comparisons such as an IN predicate")
		}
		seen[b.col] = true
	}
	keys := src.KeyColumns()
	for _, k := range keys {
		if seen[k.Name] {
			continue
		}
		if len(keys) > 1 {
			return stmtErr("Multi-column sources must specify every key in the WHERE clause.")
		}
		return stmtErr("WHERE clause missing key column for disjunct: %s", expr.Format(andAll(conj)))
	}
	for _, b := range bounds {
		switch b.op {
		case parser.OpEq:
		case parser.OpNe:
			parts := make([]string, len(keys))
			for i, k := range keys {
				parts[i] = "`" + k.Name + "` " + k.Type.SQL() + " KEY"
			}
			return stmtErr("Bound on key columns '[%s]' must currently be '='. ", strings.Join(parts, ", "))
		default:
			if !rangeScan || len(keys) > 1 || src.Window != nil || keys[0].Type.Kind != types.KString {
				return errNeedsScan
			}
		}
	}
	return nil
}

// flip returns the operator with its operands swapped (a < b is b > a).
func flip(op parser.Op) parser.Op {
	switch op {
	case parser.OpLt:
		return parser.OpGt
	case parser.OpLe:
		return parser.OpGe
	case parser.OpGt:
		return parser.OpLt
	case parser.OpGe:
		return parser.OpLe
	}
	return op
}

func referencesColumn(e parser.Expr) bool {
	found := false
	expr.Walk(e, func(n parser.Expr) bool {
		if _, ok := n.(*parser.ColumnRef); ok {
			found = true
		}
		return !found
	})
	return found
}

// disjuncts rewrites e into disjunctive normal form, as ksqlDB does before extracting
// keys: IN becomes a disjunction of equalities and BETWEEN two bounds. Each element is
// the list of conjuncts of one disjunct.
func disjuncts(e parser.Expr) [][]parser.Expr {
	switch x := e.(type) {
	case *parser.Binary:
		switch x.Op {
		case parser.OpOr:
			return append(disjuncts(x.L), disjuncts(x.R)...)
		case parser.OpAnd:
			var out [][]parser.Expr
			for _, l := range disjuncts(x.L) {
				for _, r := range disjuncts(x.R) {
					out = append(out, append(append([]parser.Expr(nil), l...), r...))
				}
			}
			return out
		}
	case *parser.In:
		if !x.Not {
			out := make([][]parser.Expr, len(x.List))
			for i, item := range x.List {
				out[i] = []parser.Expr{&parser.Binary{Pos: x.Pos, Op: parser.OpEq, L: x.X, R: item}}
			}
			return out
		}
	case *parser.Between:
		if !x.Not {
			return [][]parser.Expr{{
				&parser.Binary{Pos: x.Pos, Op: parser.OpGe, L: x.X, R: x.Lo},
				&parser.Binary{Pos: x.Pos, Op: parser.OpLe, L: x.X, R: x.Hi},
			}}
		}
	}
	return [][]parser.Expr{{e}}
}

// andAll joins conjuncts with AND.
func andAll(conj []parser.Expr) parser.Expr {
	out := conj[0]
	for _, c := range conj[1:] {
		out = &parser.Binary{Pos: out.Position(), Op: parser.OpAnd, L: out, R: c}
	}
	return out
}
