package engine

import (
	"fmt"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/expr"
	"github.com/ksqlgo/ksqlgo/sql/parser"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// parseExpr turns an expression of INSERT ... VALUES into a full expression tree: the
// parts kept as raw text (at the top or inside ARRAY, MAP, STRUCT, CAST and function
// calls) go through the SELECT parser.
func parseExpr(e parser.Expr) (parser.Expr, error) {
	var err error
	each := func(xs []parser.Expr) []parser.Expr {
		out := make([]parser.Expr, len(xs))
		for i, x := range xs {
			if err == nil {
				out[i], err = parseExpr(x)
			}
		}
		return out
	}
	switch x := e.(type) {
	case *parser.RawExpr:
		return parseRaw(x)
	case *parser.ArrayExpr:
		return &parser.ArrayExpr{Pos: x.Pos, Elems: each(x.Elems)}, err
	case *parser.MapExpr:
		m := &parser.MapExpr{Pos: x.Pos, Entries: make([]parser.MapEntry, len(x.Entries))}
		for i, en := range x.Entries {
			kv := each([]parser.Expr{en.Key, en.Value})
			m.Entries[i] = parser.MapEntry{Key: kv[0], Value: kv[1]}
		}
		return m, err
	case *parser.StructExpr:
		st := &parser.StructExpr{Pos: x.Pos, Fields: make([]parser.StructValue, len(x.Fields))}
		for i, f := range x.Fields {
			st.Fields[i] = parser.StructValue{Name: f.Name, Value: each([]parser.Expr{f.Value})[0]}
		}
		return st, err
	case *parser.Cast:
		return &parser.Cast{Pos: x.Pos, Expr: each([]parser.Expr{x.Expr})[0], Type: x.Type}, err
	case *parser.Call:
		c := *x
		c.Args = each(x.Args)
		return &c, err
	}
	return e, nil
}

// parseRaw parses an expression kept as raw text through the SELECT parser.
func parseRaw(raw *parser.RawExpr) (parser.Expr, error) {
	stmts, err := parser.Parse("SELECT "+raw.Text+" FROM X;", nil)
	if err != nil {
		return nil, stmtErrAt(raw.Pos, "%v", err)
	}
	q, ok := stmts[0].(*parser.Query)
	if !ok || len(q.Select.Items) != 1 || q.Select.Items[0].Expr == nil {
		return nil, stmtErrAt(raw.Pos, "invalid expression: %s", raw.Text)
	}
	return q.Select.Items[0].Expr, nil
}

// checkNoSourceRefs rejects a value that names a stream or table (FOO.BAR), as ksqlDB
// does when it prepares the statement.
func checkNoSourceRefs(e parser.Expr) error {
	var err error
	expr.Walk(e, func(n parser.Expr) bool {
		if ref, ok := n.(*parser.ColumnRef); ok && ref.Source != nil && err == nil {
			err = stmtErrAt(ref.Pos, "Failed to prepare statement: '%s' is not a valid stream/table name or alias.", ref.Source.Name)
		}
		return err == nil
	})
	return err
}

func (e *Engine) insertValues(s *parser.InsertValues) (*Result, error) {
	target := e.Catalog.Source(s.Target.Name)
	if target == nil {
		hint := ""
		if s.Target.Quoted {
			if e.Catalog.Source(strings.ToUpper(s.Target.Name)) != nil {
				hint = fmt.Sprintf("\nDid you mean %s? Hint: try removing double quotes from the source name.", strings.ToUpper(s.Target.Name))
			}
		} else {
			for _, src := range e.Catalog.Sources() {
				if strings.ToUpper(src.Name) == s.Target.Name && src.Name != s.Target.Name {
					hint = fmt.Sprintf("\nDid you mean \"%s\"? Hint: wrap the source name in double quotes to make it case-sensitive.", src.Name)
				}
			}
		}
		return nil, stmtErrAt(s.Target.Pos, "Cannot insert values into an unknown stream/table: `%s`%s", s.Target.Name, hint)
	}
	if target.ReadOnly {
		return nil, stmtErrAt(s.Pos, "Cannot insert values into read-only %s: %s", strings.ToLower(target.Kind()), target.Name)
	}
	// Column list: given, or every column in schema order (header columns included, which
	// makes the insert fail, as in ksqlDB).
	var cols []string
	if s.Columns != nil {
		for _, c := range s.Columns {
			cols = append(cols, c.Name)
		}
	} else {
		for _, c := range target.Columns {
			cols = append(cols, c.Name)
		}
	}
	if len(cols) != len(s.Values) {
		if s.Columns != nil {
			return nil, stmtErrAt(s.Pos, "Failed to prepare statement: Expected number columns and values to match: %d, %d", len(cols), len(s.Values))
		}
		return nil, stmtErrAt(s.Pos, "Expected a value for each column. Expected Columns: [%s]. Got [%s]", strings.Join(cols, ", "), formatValues(s.Values))
	}
	for _, name := range cols {
		if name == colRowPartition || name == colRowOffset {
			return nil, stmtErrAt(s.Pos, "Inserting into column `%s` is not allowed.", name)
		}
	}
	var headerCols []string
	for _, name := range cols {
		if c := target.Column(name); c != nil && (c.Kind == HeaderCol || c.Kind == HeadersCol) {
			headerCols = append(headerCols, name)
		}
	}
	if len(headerCols) > 0 {
		return nil, stmtErrAt(s.Pos, "Cannot insert into HEADER columns: %s", strings.Join(headerCols, ", "))
	}
	c := e.compiler()
	scope := &expr.Scope{}
	key := make([]any, len(target.KeyColumns()))
	value := make([]any, len(target.ValueColumns()))
	ts := int64(-1)
	for i, name := range cols {
		ex, err := parseExpr(s.Values[i])
		if err != nil {
			return nil, err
		}
		if err := checkNoSourceRefs(ex); err != nil {
			return nil, err
		}
		ce, err := c.Compile(ex, scope)
		if err != nil {
			return nil, err
		}
		v, err := ce.Eval(nil)
		if err != nil {
			return nil, stmtErrAt(ex.Position(), "Failed to insert values into '%s'. %v", target.Name, err)
		}
		if name == colRowtime {
			n, ok := v.(int64)
			if iv, isInt := v.(int32); isInt {
				n, ok = int64(iv), true
			}
			if !ok {
				return nil, stmtErrAt(ex.Position(), "ROWTIME must be a BIGINT")
			}
			ts = n
			continue
		}
		col := target.Column(name)
		if col == nil {
			return nil, stmtErrAt(s.Pos, "Column name %s does not exist.", name)
		}
		if v != nil {
			conv, err := expr.Converter(ce.Type, col.Type)
			if err != nil || (!ce.Type.Equal(col.Type) && !implicitOK(ce.Type, col.Type)) {
				return nil, stmtErrAt(ex.Position(), "Failed to insert values into '%s'. Expected type %s for column %s but got %s", target.Name, col.Type.SQL(), name, ce.Type.SQL())
			}
			if v, err = conv(v); err != nil {
				return nil, stmtErrAt(ex.Position(), "Failed to insert values into '%s'. %v", target.Name, err)
			}
		}
		if col.Kind == KeyCol {
			key[keyIndex(target, name)] = v
		} else {
			value[valueIndex(target, name)] = v
		}
	}
	if target.HasHeaders() && s.Columns == nil {
		return nil, stmtErrAt(s.Pos, "Cannot insert into %s because it has header columns", target.Name)
	}
	kc, vc, err := codecs(target)
	if err != nil {
		return nil, err
	}
	var kb []byte
	if len(key) > 0 {
		if kb, err = kc.Encode(key); err != nil {
			return nil, stmtErr("Failed to insert values into '%s'. %v", target.Name, err)
		}
	}
	vb, err := vc.Encode(value)
	if err != nil {
		return nil, stmtErr("Failed to insert values into '%s'. %v", target.Name, err)
	}
	if ts < 0 {
		ts = e.now()
	}
	if err := e.Runner.Produce(Record{Topic: target.Topic, Key: kb, Value: vb, Timestamp: ts}); err != nil {
		return nil, err
	}
	return &Result{}, nil
}

// implicitOK says whether INSERT VALUES may convert a value of type from into a column
// of type to (numeric widening, strings into temporal columns).
func implicitOK(from, to *types.Type) bool {
	switch {
	case from.IsNumeric() && to.IsNumeric():
		return from.Kind <= to.Kind || from.Kind == types.KInt || from.Kind == types.KBigint
	case from.Kind == types.KString && (to.Kind == types.KTimestamp || to.Kind == types.KDate || to.Kind == types.KTime):
		return true
	case from.Kind == to.Kind:
		return true
	}
	return false
}

func keyIndex(s *Source, name string) int {
	for i, c := range s.KeyColumns() {
		if c.Name == name {
			return i
		}
	}
	return -1
}

func valueIndex(s *Source, name string) int {
	for i, c := range s.ValueColumns() {
		if c.Name == name {
			return i
		}
	}
	return -1
}

func formatValues(vs []parser.Expr) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = expr.Format(v)
	}
	return strings.Join(parts, ", ")
}

func (e *Engine) now() int64 {
	if e.Now != nil {
		return e.Now()
	}
	return 0
}

func (e *Engine) logf(format string, args ...any) {
	if e.Log != nil {
		e.Log(fmt.Sprintf(format, args...))
	}
}
