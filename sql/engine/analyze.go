package engine

import (
	"strconv"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/expr"
	"github.com/ksqlgo/ksqlgo/sql/functions"
	"github.com/ksqlgo/ksqlgo/sql/parser"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// Pseudo column names.
const (
	colRowtime      = "ROWTIME"
	colRowPartition = "ROWPARTITION"
	colRowOffset    = "ROWOFFSET"
	colWindowStart  = "WINDOWSTART"
	colWindowEnd    = "WINDOWEND"
)

// inputLayout is the row a query's expressions see for one source record: the source's
// columns in catalog order, then ROWTIME, ROWPARTITION, ROWOFFSET, then WINDOWSTART and
// WINDOWEND for a windowed source.
type inputLayout struct {
	src      *Source
	alias    string
	scope    *expr.Scope
	rowtime  int
	width    int
	keySlots []int // slot of each key column
	valSlots []int // slot of each value column
}

func newInputLayout(src *Source, alias string) *inputLayout {
	l := &inputLayout{src: src, alias: alias}
	sc := &expr.Scope{Sources: []string{src.Name}}
	if alias != "" && alias != src.Name {
		sc.Sources = append(sc.Sources, alias)
	}
	add := func(name string, t *types.Type, slot int) {
		sc.Cols = append(sc.Cols, expr.Col{Source: src.Name, Name: name, Type: t, Slot: slot})
		if alias != "" && alias != src.Name {
			sc.Cols = append(sc.Cols, expr.Col{Source: alias, Name: name, Type: t, Slot: slot})
		}
	}
	for i, c := range src.Columns {
		add(c.Name, c.Type, i)
		switch c.Kind {
		case KeyCol:
			l.keySlots = append(l.keySlots, i)
		case ValueCol:
			l.valSlots = append(l.valSlots, i)
		}
	}
	n := len(src.Columns)
	l.rowtime = n
	add(colRowtime, types.BIGINT, n)
	add(colRowPartition, types.INT, n+1)
	add(colRowOffset, types.BIGINT, n+2)
	l.width = n + 3
	if src.Window != nil {
		add(colWindowStart, types.BIGINT, n+3)
		add(colWindowEnd, types.BIGINT, n+4)
		l.width = n + 5
	}
	sc.Width = l.width
	l.scope = sc
	return l
}

// fill builds the input row of one record. key holds the key columns (plus window start
// and end for a windowed source), value the value columns.
func (l *inputLayout) fill(key, value []any, ts int64, partition int32, offset int64, headers []headerKV) []any {
	row := make([]any, l.width)
	for i, s := range l.keySlots {
		if i < len(key) {
			row[s] = key[i]
		}
	}
	for i, s := range l.valSlots {
		if i < len(value) {
			row[s] = value[i]
		}
	}
	for i, c := range l.src.Columns {
		switch c.Kind {
		case HeadersCol:
			hs := make([]any, len(headers))
			for j, h := range headers {
				hs[j] = &types.Struct{Type: c.Type.Elem, Values: []any{h.key, h.value}}
			}
			row[i] = hs
		case HeaderCol:
			for j := len(headers) - 1; j >= 0; j-- {
				if headers[j].key == c.HeaderKey {
					row[i] = headers[j].value
					break
				}
			}
		}
	}
	n := len(l.src.Columns)
	row[n] = ts
	row[n+1] = partition
	row[n+2] = offset
	if l.src.Window != nil && len(key) >= len(l.keySlots)+2 {
		row[n+3] = key[len(l.keySlots)]
		row[n+4] = key[len(l.keySlots)+1]
	}
	return row
}

type headerKV struct {
	key   string
	value []byte
}

// selectItem is one resolved output column of a query.
type selectItem struct {
	name string
	expr parser.Expr
	pos  parser.Pos
}

// expandSelect resolves `*` and names every item: the alias, the column name of a
// column reference, the field name of a dereference, else KSQL_COL_<n>.
func expandSelect(sel *parser.Select, l *inputLayout) ([]selectItem, error) {
	var out []selectItem
	gen := 0
	used := map[string]bool{}
	for _, c := range l.src.Columns {
		used[c.Name] = true
	}
	for _, it := range sel.Items {
		if it.Alias != nil {
			used[it.Alias.Name] = true
		}
	}
	for _, it := range sel.Items {
		if it.Star {
			if it.Source != nil && it.Source.Name != l.src.Name && it.Source.Name != l.alias {
				return nil, stmtErrAt(it.Pos, "'%s' is not a valid stream/table name or alias.", it.Source.Name)
			}
			for _, c := range l.src.Columns {
				out = append(out, selectItem{name: c.Name, pos: it.Pos,
					expr: &parser.ColumnRef{Pos: it.Pos, Name: parser.Ident{Name: c.Name, Quoted: true, Pos: it.Pos}}})
				used[c.Name] = true
			}
			continue
		}
		var name string
		switch {
		case it.Alias != nil:
			name = it.Alias.Name
			if reserved[name] {
				return nil, stmtErrAt(it.Alias.Pos, "`%s` is a reserved column name. You cannot use it as an alias for a column.", name)
			}
		default:
			switch x := it.Expr.(type) {
			case *parser.ColumnRef:
				name = x.Name.Name
			case *parser.Deref:
				name = x.Field.Name
			}
			if name == "" {
				for {
					name = "KSQL_COL_" + strconv.Itoa(gen)
					gen++
					if !used[name] {
						break
					}
				}
			}
		}
		used[name] = true
		out = append(out, selectItem{name: name, expr: it.Expr, pos: it.Pos})
	}
	return out, nil
}

// isAggregateCall says whether c calls an aggregate function.
func isAggregateCall(funcs *functions.Registry, e parser.Expr) bool {
	c, ok := e.(*parser.Call)
	return ok && funcs.Aggregate(c.Name.Name) != nil
}

// containsAggregate says whether e calls an aggregate function anywhere.
func containsAggregate(funcs *functions.Registry, e parser.Expr) bool {
	found := false
	expr.Walk(e, func(n parser.Expr) bool {
		if isAggregateCall(funcs, n) {
			found = true
		}
		return !found
	})
	return found
}

// tableFunctionCall returns the table function call at the top of e, if any.
func tableFunctionCall(funcs *functions.Registry, e parser.Expr) *parser.Call {
	c, ok := e.(*parser.Call)
	if ok && funcs.Table(c.Name.Name) != nil {
		return c
	}
	return nil
}

// sameExpr compares expressions by their canonical text, ignoring source qualifiers that
// name the single source.
func sameExpr(a, b parser.Expr) bool { return exprKey(a) == exprKey(b) }

func exprKey(e parser.Expr) string {
	s := expr.Format(stripQualifiers(e))
	return s
}

// stripQualifiers returns e with column references unqualified (single-source queries).
func stripQualifiers(e parser.Expr) parser.Expr {
	switch x := e.(type) {
	case *parser.ColumnRef:
		return &parser.ColumnRef{Pos: x.Pos, Name: x.Name}
	case *parser.Deref:
		return &parser.Deref{Pos: x.Pos, X: stripQualifiers(x.X), Field: x.Field}
	case *parser.Call:
		c := *x
		c.Args = make([]parser.Expr, len(x.Args))
		for i, a := range x.Args {
			c.Args[i] = stripQualifiers(a)
		}
		return &c
	case *parser.Binary:
		return &parser.Binary{Pos: x.Pos, Op: x.Op, L: stripQualifiers(x.L), R: stripQualifiers(x.R)}
	case *parser.Unary:
		return &parser.Unary{Pos: x.Pos, Op: x.Op, X: stripQualifiers(x.X)}
	case *parser.Cast:
		return &parser.Cast{Pos: x.Pos, Expr: stripQualifiers(x.Expr), Type: x.Type}
	case *parser.Subscript:
		return &parser.Subscript{Pos: x.Pos, X: stripQualifiers(x.X), Index: stripQualifiers(x.Index)}
	}
	return e
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
