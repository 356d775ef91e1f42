package engine

import (
	"strconv"
	"strings"

	"github.com/ksqlgo/ksqlgo/dsl"
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
	// transient marks a push query's input. As in ksqlDB, its key, pseudo and window
	// bound columns are ordinary columns: * includes the window bounds of a windowed
	// source, any of them may be selected, and the projection is the value in select
	// order, with no key columns required.
	transient bool
	// join is the analysis of a join query, whose input is the joined row (src is then
	// joinInfo.virtual).
	join *joinInfo
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
				hs[j] = &types.Struct{Type: c.Type.Elem, Values: []any{h.key, h.bytes()}}
			}
			row[i] = hs
		case HeaderCol:
			for j := len(headers) - 1; j >= 0; j-- {
				if headers[j].key == c.HeaderKey {
					row[i] = headers[j].bytes()
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

// fillTable builds the input row of a table row, with the pseudo and header columns of
// the record that last updated it.
func (l *inputLayout) fillTable(rc dsl.RecordContext, key, value []any) []any {
	return l.fill(key, value, rc.Timestamp, rc.Partition, rc.Offset, recordHeaders(rc.Headers))
}

type headerKV struct {
	key   string
	value []byte
}

// bytes returns the header's value as a BYTES value: nil (SQL NULL) for a null header
// value, never a typed nil.
func (h headerKV) bytes() any {
	if h.value == nil {
		return nil
	}
	return h.value
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
		if it.Star && it.Expr != nil {
			fields, err := structStarFields(it.Expr, l)
			if err != nil {
				return nil, err
			}
			for _, f := range fields {
				out = append(out, selectItem{name: f.Name, pos: it.Pos,
					expr: &parser.Deref{Pos: it.Pos, X: it.Expr, Field: parser.Ident{Name: f.Name, Quoted: true, Pos: it.Pos}}})
				used[f.Name] = true
			}
			continue
		}
		if it.Star {
			if it.Source != nil && it.Source.Name != l.src.Name && it.Source.Name != l.alias {
				return nil, stmtErrAt(it.Pos, "'%s' is not a valid stream/table name or alias.", it.Source.Name)
			}
			for _, name := range starNames(l, len(sel.PartitionBy) > 0) {
				out = append(out, selectItem{name: name, pos: it.Pos,
					expr: &parser.ColumnRef{Pos: it.Pos, Name: parser.Ident{Name: name, Quoted: true, Pos: it.Pos}}})
				used[name] = true
			}
			continue
		}
		var name string
		switch {
		case it.Alias != nil:
			name = it.Alias.Name
			if reserved[name] && l.join == nil { // a join reports it with the projection
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

// starNames returns the names of the columns a * stands for: starColumns, with the window
// bounds after the key columns for a push query on a windowed source.
func starNames(l *inputLayout, partitioned bool) []string {
	var out []string
	bounds := l.transient && l.src.Window != nil
	for _, c := range starColumns(l.src, partitioned) {
		if bounds && c.Kind != KeyCol {
			out = append(out, colWindowStart, colWindowEnd)
			bounds = false
		}
		out = append(out, c.Name)
	}
	if bounds {
		out = append(out, colWindowStart, colWindowEnd)
	}
	return out
}

// starColumns returns the columns a * stands for: the source's columns in schema order,
// or, below a PARTITION BY, the non-key columns first and the old key columns last, as
// ksqlDB's repartition step moves the key into the value.
func starColumns(src *Source, partitioned bool) []Column {
	if !partitioned {
		return src.Columns
	}
	out := make([]Column, 0, len(src.Columns))
	for _, c := range src.Columns {
		if c.Kind != KeyCol {
			out = append(out, c)
		}
	}
	for _, c := range src.Columns {
		if c.Kind == KeyCol {
			out = append(out, c)
		}
	}
	return out
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

// tableFunctionCall returns the table function call at the top of e, if any, and the
// struct fields dereferenced from its result, innermost first (EXPLODE(arr)->F1->F2).
func tableFunctionCall(funcs *functions.Registry, e parser.Expr) (*parser.Call, []parser.Ident) {
	var fields []parser.Ident
	for {
		d, ok := e.(*parser.Deref)
		if !ok {
			break
		}
		fields = append([]parser.Ident{d.Field}, fields...)
		e = d.X
	}
	c, ok := e.(*parser.Call)
	if ok && funcs.Table(c.Name.Name) != nil {
		return c, fields
	}
	return nil, nil
}

// derefTableFunction applies the dereferences of EXPLODE(arr)->F1 to a table function's
// result type and to each value it produces.
func derefTableFunction(rt *types.Type, impl functions.TableImpl, fields []parser.Ident) (*types.Type, functions.TableImpl, error) {
	if len(fields) == 0 {
		return rt, impl, nil
	}
	for _, f := range fields {
		var next *types.Type
		if rt.Kind == types.KStruct {
			for _, sf := range rt.Fields {
				if sf.Name == f.Name {
					next = sf.Type
				}
			}
		}
		if next == nil {
			return nil, nil, stmtErrAt(f.Pos, "Could not find field '%s' in '%s'.", f.Name, rt)
		}
		rt = next
	}
	return rt, func(args []any) ([]any, error) {
		vals, err := impl(args)
		if err != nil {
			return nil, err
		}
		out := make([]any, len(vals))
		for i, v := range vals {
			for _, f := range fields {
				s, _ := v.(*types.Struct)
				if s == nil {
					v = nil
					break
				}
				v = s.Get(f.Name)
			}
			out[i] = v
		}
		return out, nil
	}, nil
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
	return expr.Rewrite(e, func(n parser.Expr) (parser.Expr, bool) {
		if x, ok := n.(*parser.ColumnRef); ok {
			return &parser.ColumnRef{Pos: x.Pos, Name: x.Name}, true
		}
		return nil, false
	})
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// compileWhere compiles a query's WHERE clause over the input row. Its columns are
// resolved before anything else is checked, and unknown ones reported in ksqlDB's words
// (the window bounds of a source that has none are unknown to the expression compiler).
func compileWhere(c *expr.Compiler, where parser.Expr, l *inputLayout) (*expr.Compiled, error) {
	sc := *l.scope
	sc.Unknown = func(ref *parser.ColumnRef) error {
		if n := ref.Name.Name; ref.Source == nil && (n == colWindowStart || n == colWindowEnd) {
			return stmtErrAt(ref.Pos, "Error in WHERE expression: Unknown column %s.", n)
		}
		return stmtErrAt(ref.Pos, "WHERE column '%s' cannot be resolved.", expr.RefText(ref))
	}
	var err error
	expr.Walk(where, func(n parser.Expr) bool {
		switch x := n.(type) {
		case *parser.Lambda:
			return false // its parameters are not columns
		case *parser.ColumnRef:
			if _, rerr := sc.Resolve(x); rerr != nil && err == nil {
				err = rerr
			}
		}
		return err == nil
	})
	if err != nil {
		return nil, err
	}
	ce, err := c.Compile(where, &sc)
	if err != nil {
		return nil, err
	}
	if ce.Type.Kind != types.KBoolean && ce.Type.Kind != types.KNull {
		return nil, stmtErrAt(where.Position(), "Type error in WHERE expression: Should evaluate to boolean but is %s (%s) instead.", expr.Format(where), ce.Type.SQL())
	}
	return ce, nil
}

// selectHasAggregate says whether a SELECT calls an aggregate function in its items or
// HAVING clause.
func selectHasAggregate(funcs *functions.Registry, sel *parser.Select) bool {
	for _, it := range sel.Items {
		if it.Expr != nil && containsAggregate(funcs, it.Expr) {
			return true
		}
	}
	return sel.Having != nil && containsAggregate(funcs, sel.Having)
}

// checkWindowBounds rejects WINDOWSTART and WINDOWEND where ksqlDB does in an aggregation
// of a source that has no window: they name the window of the result, so only the SELECT
// clause may use them, outside aggregate calls (not GROUP BY, aggregate arguments or
// HAVING).
func checkWindowBounds(funcs *functions.Registry, sel *parser.Select, items []selectItem) error {
	var err error
	check := func(e parser.Expr) {
		expr.Walk(e, func(n parser.Expr) bool {
			if ref, ok := n.(*parser.ColumnRef); ok && err == nil {
				if name := ref.Name.Name; name == colWindowStart || name == colWindowEnd {
					err = stmtErrAt(ref.Pos, "Window bounds column %s can only be used in the SELECT clause of windowed aggregations", name)
				}
			}
			return err == nil
		})
	}
	for _, g := range sel.GroupBy {
		check(g)
	}
	for _, it := range items {
		expr.Walk(it.expr, func(n parser.Expr) bool {
			if isAggregateCall(funcs, n) {
				for _, a := range n.(*parser.Call).Args {
					check(a)
				}
				return false
			}
			return err == nil
		})
	}
	if sel.Having != nil {
		check(sel.Having)
	}
	return err
}

// andList joins names as ksqlDB's messages do: "A", "A and B", "A, B and C".
func andList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// plural returns one when n is 1, else many.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// structStarFields returns the fields STRUCT_COL->* (or STRUCT_COL->A->*) expands to: the
// struct is a column of the source, or a field of one, reached through dereferences.
func structStarFields(x parser.Expr, l *inputLayout) ([]types.Field, error) {
	var t *types.Type
	switch e := x.(type) {
	case *parser.ColumnRef:
		c := l.src.Column(e.Name.Name)
		if c == nil {
			return nil, stmtErrAt(e.Pos, "Column '%s' cannot be resolved.", e.Name.Name)
		}
		t = c.Type
	case *parser.Deref:
		fields, err := structStarFields(e.X, l)
		if err != nil {
			return nil, err
		}
		for _, f := range fields {
			if f.Name == e.Field.Name {
				t = f.Type
			}
		}
		if t == nil {
			return nil, stmtErrAt(e.Pos, "Could not find field '%s' in '%s'.", e.Field.Name, expr.Format(e.X))
		}
	default:
		return nil, stmtErrAt(x.Position(), "->* needs a STRUCT column or field, not %s", expr.Format(x))
	}
	if t.Kind != types.KStruct {
		return nil, stmtErrAt(x.Position(), "->* needs a STRUCT, but %s is %s", expr.Format(x), t)
	}
	return t.Fields, nil
}
