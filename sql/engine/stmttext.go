package engine

import (
	"strconv"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/expr"
	"github.com/ksqlgo/ksqlgo/sql/parser"
)

// withStatement appends ksqlDB's rendering of the CREATE ... AS SELECT s to err's message
// when err is one of the errors ksqlDB reports with the statement it planned
// ("...\nStatement: CREATE TABLE ..."), as its KsqlStatementException does.
func (e *Engine) withStatement(err error, s *parser.CreateAsSelect) error {
	ee, ok := err.(*Error)
	if !ok || !ee.quote {
		return err
	}
	text, ok := e.createAsText(s)
	if !ok {
		return err
	}
	out := *ee
	out.Msg += "\nStatement: " + text
	return &out
}

// createAsText renders s as ksqlDB's SqlFormatter does after rewriting it: every select
// item aliased, columns qualified by their source, the source aliased by its name, one
// item per line. ok is false for a statement it does not render (joins).
func (e *Engine) createAsText(s *parser.CreateAsSelect) (string, bool) {
	sel := s.Select
	if sel.From == nil || sel.From.Source == nil {
		return "", false
	}
	src := e.Catalog.Source(sel.From.Source.Name)
	if src == nil {
		return "", false
	}
	alias := src.Name
	if sel.From.Alias != nil {
		alias = sel.From.Alias.Name
	}
	items, err := expandSelect(sel, newInputLayout(src, alias))
	if err != nil {
		return "", false
	}
	q := func(x parser.Expr) string { return qualifiedText(x, alias) }
	var b strings.Builder
	kind := "STREAM"
	if s.Kind == parser.KindTable {
		kind = "TABLE"
	}
	b.WriteString("CREATE " + kind + " " + s.Name.Name)
	if len(s.Props) > 0 {
		props := make([]string, len(s.Props))
		for i, p := range s.Props {
			props[i] = strings.ToUpper(p.Name.Name) + "=" + expr.Format(p.Value)
		}
		b.WriteString(" WITH (" + strings.Join(props, ", ") + ")")
	}
	b.WriteString(" AS SELECT\n")
	for i, it := range items {
		b.WriteString("  " + q(it.expr) + " " + it.name)
		if i < len(items)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("FROM " + src.Name + " " + alias)
	if w := sel.Window; w != nil {
		b.WriteString("\nWINDOW " + windowText(w))
	}
	if sel.Where != nil {
		b.WriteString("\nWHERE " + q(sel.Where))
	}
	list := func(es []parser.Expr) string {
		out := make([]string, len(es))
		for i, x := range es {
			out[i] = q(x)
		}
		return strings.Join(out, ", ")
	}
	if len(sel.GroupBy) > 0 {
		b.WriteString("\nGROUP BY " + list(sel.GroupBy))
	}
	if len(sel.PartitionBy) > 0 {
		b.WriteString("\nPARTITION BY " + list(sel.PartitionBy))
	}
	if sel.Having != nil {
		b.WriteString("\nHAVING " + q(sel.Having))
	}
	if sel.Emit == parser.EmitFinal {
		b.WriteString("\nEMIT FINAL")
	} else {
		b.WriteString("\nEMIT CHANGES")
	}
	if sel.Limit != nil {
		b.WriteString("\nLIMIT " + sel.Limit.Text)
	}
	return b.String(), true
}

// qualifiedText formats x with its unqualified column references qualified by source
// (lambda bodies are left alone: their names may be parameters) and COUNT(*) as written.
func qualifiedText(x parser.Expr, source string) string {
	var refs []*parser.ColumnRef
	var stars []*parser.Call
	expr.Walk(x, func(n parser.Expr) bool {
		switch r := n.(type) {
		case *parser.Lambda:
			return false
		case *parser.ColumnRef:
			if r.Source == nil {
				refs = append(refs, r)
			}
		case *parser.Call:
			if r.Star && len(r.Args) == 0 {
				stars = append(stars, r)
			}
		}
		return true
	})
	// Rewrite the nodes in place for Format, then restore them.
	q := &parser.Ident{Name: source}
	for _, r := range refs {
		r.Source = q
	}
	for _, c := range stars {
		c.Args = []parser.Expr{&parser.ColumnRef{Pos: c.Pos, Name: parser.Ident{Name: "*"}}}
	}
	text := expr.Format(x)
	for _, r := range refs {
		r.Source = nil
	}
	for _, c := range stars {
		c.Args = nil
	}
	return text
}

// windowText renders a WINDOW clause's window.
func windowText(w *parser.WindowSpec) string {
	d := func(x parser.Duration) string { return strconv.FormatInt(x.Count, 10) + " " + x.Unit }
	var parts []string
	if w.Kind == parser.WindowSession {
		parts = append(parts, d(w.Size))
	} else {
		parts = append(parts, "SIZE "+d(w.Size))
	}
	if w.Advance != nil {
		parts = append(parts, "ADVANCE BY "+d(*w.Advance))
	}
	if w.Retention != nil {
		parts = append(parts, "RETENTION "+d(*w.Retention))
	}
	if w.Grace != nil {
		parts = append(parts, "GRACE PERIOD "+d(*w.Grace))
	}
	return w.Kind.String() + " (" + strings.Join(parts, ", ") + ")"
}
