package engine

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/expr"
	"github.com/ksqlgo/ksqlgo/sql/parser"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// Properties of pull queries (ksqlDB's names and defaults).
const (
	// PropPullTableScan allows pull queries on tables whose WHERE clause does not pin every
	// key column (default true).
	PropPullTableScan = "ksql.query.pull.table.scan.enabled"
	// PropPullRangeScan allows range bounds (<, <=, >, >=) on a table's single STRING key
	// when table scans are off (default true).
	PropPullRangeScan = "ksql.query.pull.range.scan.enabled"
	// PropPullStream allows pull queries on streams (default true).
	PropPullStream = "ksql.query.pull.stream.enabled"
)

// pullHelp ends ksqlDB's messages for clauses pull queries do not support.
const pullHelp = " See https://cnfl.io/queries for more info.\nAdd EMIT CHANGES if you intended to issue a push query."

// Final messages of a pull query on a stream.
const (
	FinalQueryCompleted = "Query Completed"
	FinalLimitReached   = "Limit Reached"
)

// pullQuery runs a SELECT without EMIT: it reads the current contents of a materialized
// table (a CREATE TABLE AS SELECT sink or a CREATE SOURCE TABLE, from its query's store
// when the runner can read it, else from its topic) or of a stream's topic, and answers
// with the matching rows.
func (e *Engine) pullQuery(s *parser.Query) (*Result, error) {
	q, err := e.planPull(s.Select)
	if err != nil {
		return nil, err
	}
	recs, err := e.pullRecords(q)
	if err != nil {
		return nil, err
	}
	res, err := q.run(recs, e.logf)
	if err != nil {
		return nil, err
	}
	out := &Result{Pull: res}
	for _, c := range res.Columns {
		out.Columns = append(out.Columns, c.Name)
	}
	for _, row := range res.Rows {
		cells := make([]string, len(row))
		for i, v := range row {
			if v == nil {
				cells[i] = "null"
			} else {
				cells[i] = expr.ToText(v)
			}
		}
		out.Rows = append(out.Rows, cells)
	}
	return out, nil
}

// pullPlan is an analysed pull query.
type pullPlan struct {
	id    string
	src   *Source
	l     *inputLayout
	where *expr.Compiled
	cols  []PullColumn
	evals []expr.Eval
	limit int // -1: none
	// keys are the serialized keys the WHERE clause pins, looked up in the table's
	// materialization store; nil: scan.
	keys [][]byte
}

// planPull validates a pull query as ksqlDB does and compiles it over the source's rows.
func (e *Engine) planPull(sel *parser.Select) (*pullPlan, error) {
	if sel.From == nil {
		return nil, stmtErrAt(sel.Pos, "FROM clause is required")
	}
	switch {
	case sel.From.Join != nil:
		return nil, stmtErr("Pull queries don't support JOIN clauses." + pullHelp)
	case sel.Window != nil:
		return nil, stmtErr("Pull queries don't support WINDOW clauses." + pullHelp)
	case len(sel.GroupBy) > 0:
		return nil, stmtErr("Pull queries don't support GROUP BY clauses." + pullHelp)
	case len(sel.PartitionBy) > 0:
		return nil, stmtErr("Pull queries don't support PARTITION BY clauses." + pullHelp)
	case sel.Having != nil:
		return nil, stmtErr("Pull queries don't support HAVING clauses." + pullHelp)
	}
	src := e.Catalog.Source(sel.From.Source.Name)
	if src == nil {
		return nil, stmtErrAt(sel.From.Source.Pos, "%s does not exist.", sel.From.Source.Name)
	}
	if err := checkPullPseudoColumns(sel); err != nil {
		return nil, err
	}
	for _, it := range sel.Items {
		if it.Expr != nil && containsAggregate(e.Funcs, it.Expr) {
			return nil, stmtErr("Pull queries don't support aggregate functions in the SELECT clause." + pullHelp)
		}
		if it.Expr != nil && containsTableFunction(e.Funcs, it.Expr) {
			return nil, stmtErr("Pull queries don't support table functions in the SELECT clause." + pullHelp)
		}
	}
	alias := ""
	if sel.From.Alias != nil {
		alias = sel.From.Alias.Name
	}
	l := newInputLayout(src, alias)
	p := &pullPlan{id: "query_pull_" + strings.ToLower(src.Name), src: src, l: l, limit: -1}
	c := e.compiler()
	if sel.Where != nil && src.Window != nil {
		w, err := windowBoundLiterals(sel.Where)
		if err != nil {
			return nil, err
		}
		sel = shallowSelect(sel, w)
	}
	if sel.Where != nil {
		if err := e.checkPullWhereTypes(sel.Where, l); err != nil {
			return nil, err
		}
		sc := *l.scope
		sc.Unknown = func(ref *parser.ColumnRef) error {
			return stmtErrAt(ref.Pos, "WHERE column '%s' cannot be resolved.", expr.RefText(ref))
		}
		w, err := c.Compile(sel.Where, &sc)
		if err != nil {
			return nil, pullWhereError(err, sel.Where)
		}
		if w.Type.Kind != types.KBoolean && w.Type.Kind != types.KNull {
			return nil, stmtErrAt(sel.Where.Position(), "Type error in WHERE expression: Should evaluate to boolean but is %s (%s) instead.", expr.Format(sel.Where), w.Type.SQL())
		}
		p.where = w
		p.keys = e.lookupKeys(sel.Where, l)
	}
	if src.Table {
		if err := e.checkPullKeys(sel.Where, src); err != nil {
			return nil, err
		}
	}
	items, err := pullItems(sel, l)
	if err != nil {
		return nil, err
	}
	sc := *l.scope
	sc.Unknown = func(ref *parser.ColumnRef) error {
		return stmtErrAt(ref.Pos, "SELECT column '%s' cannot be resolved.", expr.RefText(ref))
	}
	seen := map[string]bool{}
	for _, it := range items {
		ce, err := c.Compile(it.expr, &sc)
		if err != nil {
			return nil, err
		}
		col := PullColumn{Column: types.Column{Name: it.name, Type: ce.Type}}
		if col.Type.Kind == types.KNull {
			col.Type = types.STRING
		}
		if ref, ok := it.expr.(*parser.ColumnRef); ok && src.Table {
			switch sc := src.Column(ref.Name.Name); {
			case sc != nil && sc.Kind == KeyCol:
				col.Key = true
			case sc != nil && sc.Kind == HeaderCol:
				col.Header = " HEADER('" + sc.HeaderKey + "')"
			case sc != nil && sc.Kind == HeadersCol:
				col.Header = " HEADERS"
			case sc == nil && src.Window != nil && (ref.Name.Name == colWindowStart || ref.Name.Name == colWindowEnd):
				col.Key = true
			}
		}
		if seen[col.Name] {
			kind := "value"
			if col.Key {
				kind = "key"
			}
			return nil, stmtErr("Duplicate %s columns found in schema: `%s` %s", kind, col.Name, col.Type.String())
		}
		seen[col.Name] = true
		p.cols = append(p.cols, col)
		p.evals = append(p.evals, ce.Eval)
	}
	if src.Table {
		if src.Query == "" && !src.ReadOnly {
			return nil, stmtErr("The `%s` table isn't queryable. To derive a queryable table, you can do 'CREATE TABLE QUERYABLE_%s AS SELECT * FROM %s'."+pullHelp, src.Name, src.Name, src.Name)
		}
	} else if !e.flag(PropPullStream, true) {
		return nil, stmtErr("Pull queries on streams are disabled. To create a push query on the stream, add EMIT CHANGES to the end. To enable pull queries on streams, set the %s config to 'true'.", PropPullStream)
	}
	if sel.Limit != nil {
		n, err := strconv.Atoi(sel.Limit.Text)
		if err != nil || n < 0 {
			return nil, stmtErr("Invalid LIMIT: %s", sel.Limit.Text)
		}
		p.limit = n
	}
	return p, nil
}

// pullItems names the SELECT items of a pull query. `*` lists the key columns, then
// WINDOWSTART and WINDOWEND for a windowed table, then the other columns.
func pullItems(sel *parser.Select, l *inputLayout) ([]selectItem, error) {
	items, err := expandSelect(sel, l)
	if err != nil {
		return nil, err
	}
	stars := map[parser.Pos]bool{}
	for _, it := range sel.Items {
		if it.Star && it.Expr == nil { // not STRUCT_COL->*: its fields stay in place
			stars[it.Pos] = true
		}
	}
	rank := func(it selectItem) int {
		ref, _ := it.expr.(*parser.ColumnRef)
		if c := l.src.Column(ref.Name.Name); c != nil {
			switch c.Kind {
			case KeyCol:
				return 0
			}
		}
		return 3
	}
	var out []selectItem
	for i := 0; i < len(items); {
		if !stars[items[i].pos] {
			out = append(out, items[i])
			i++
			continue
		}
		j := i
		for j < len(items) && items[j].pos == items[i].pos {
			j++
		}
		group := append([]selectItem(nil), items[i:j]...)
		if l.src.Window != nil {
			for _, name := range []string{colWindowStart, colWindowEnd} {
				group = append(group, selectItem{name: name, pos: items[i].pos,
					expr: &parser.ColumnRef{Pos: items[i].pos, Name: parser.Ident{Name: name, Quoted: true, Pos: items[i].pos}}})
			}
		}
		sort.SliceStable(group, func(a, b int) bool {
			ra, rb := rank(group[a]), rank(group[b])
			if group[a].name == colWindowStart || group[a].name == colWindowEnd {
				ra = 1
			}
			if group[b].name == colWindowStart || group[b].name == colWindowEnd {
				rb = 1
			}
			return ra < rb
		})
		out = append(out, group...)
		i = j
	}
	return out, nil
}

// checkPullPseudoColumns rejects ROWPARTITION and ROWOFFSET, which pull queries do not
// support.
func checkPullPseudoColumns(sel *parser.Select) error {
	find := func(e parser.Expr) []string {
		var out []string
		expr.Walk(e, func(n parser.Expr) bool {
			if ref, ok := n.(*parser.ColumnRef); ok && (ref.Name.Name == colRowPartition || ref.Name.Name == colRowOffset) {
				name := "`" + ref.Name.Name + "`"
				for _, o := range out {
					if o == name {
						return true
					}
				}
				out = append(out, name)
			}
			return true
		})
		return out
	}
	var inSelect []string
	for _, it := range sel.Items {
		if it.Expr != nil {
			inSelect = append(inSelect, find(it.Expr)...)
		}
	}
	if len(inSelect) > 0 {
		return stmtErr("Pull queries don't support the following columns in SELECT clauses: %s\n", strings.Join(inSelect, ", "))
	}
	if sel.Where != nil {
		if inWhere := find(sel.Where); len(inWhere) > 0 {
			return stmtErr("Pull queries don't support the following columns in WHERE clauses: %s\n", strings.Join(inWhere, ", "))
		}
	}
	return nil
}

// flag reads a boolean property, def when unset or not a boolean.
func (e *Engine) flag(name string, def bool) bool {
	if v, ok := e.Props[name]; ok {
		if b, err := boolProp(strings.TrimSpace(v)); err == nil {
			return b
		}
	}
	return def
}

// run evaluates the plan over the records of the source's topic (oldest first).
func (p *pullPlan) run(recs []Record, logf func(string, ...any)) (*PullResult, error) {
	rows, err := p.sourceRows(recs, logf)
	if err != nil {
		return nil, err
	}
	res := &PullResult{QueryID: p.id, Columns: p.cols, Rows: [][]any{}}
	for _, r := range rows {
		if p.limit >= 0 && len(res.Rows) >= p.limit {
			break
		}
		row := p.l.fill(r.key, r.value, r.ts, 0, 0, r.headers)
		if p.where != nil {
			ok, err := p.where.Eval(row)
			if err != nil || ok != true {
				continue
			}
		}
		out := make([]any, len(p.evals))
		for i, ev := range p.evals {
			v, err := ev(row)
			if err != nil {
				logf("pull query %s: %v", p.id, err)
			}
			out[i] = v
		}
		res.Rows = append(res.Rows, out)
	}
	if !p.src.Table {
		res.Final = FinalQueryCompleted
		if p.limit >= 0 && len(res.Rows) >= p.limit {
			res.Final = FinalLimitReached
		}
	}
	return res, nil
}

// sourceRow is one decoded record of a pull query's source.
type sourceRow struct {
	key, value []any
	ts         int64
	headers    []headerKV
}

// sourceRows decodes the source's records: every record of a stream (null values
// skipped), or the latest value of every key of a table (null values delete).
func (p *pullPlan) sourceRows(recs []Record, logf func(string, ...any)) ([]sourceRow, error) {
	kc, vc, err := codecs(p.src)
	if err != nil {
		return nil, stmtErr("%v", err)
	}
	keys, values := keySerde(kc, p.src.Window), rowSerde(vc)
	if p.src.Table {
		latest := map[string]int{}
		var order []Record
		for _, r := range recs {
			if r.Key == nil {
				continue
			}
			i, ok := latest[string(r.Key)]
			switch {
			case r.Value == nil && ok:
				order[i].Value = nil
			case r.Value == nil:
			case ok:
				order[i] = r
			default:
				latest[string(r.Key)] = len(order)
				order = append(order, r)
			}
		}
		recs = order
	}
	var out []sourceRow
	for _, r := range recs {
		if r.Value == nil {
			continue
		}
		k, err := keys.Deserialize(r.Topic, r.Key)
		if err != nil {
			logf("pull query %s: skipping a record of %s: key: %v", p.id, r.Topic, err)
			continue
		}
		v, err := values.Deserialize(r.Topic, r.Value)
		if err != nil {
			logf("pull query %s: skipping a record of %s: value: %v", p.id, r.Topic, err)
			continue
		}
		out = append(out, sourceRow{key: k, value: v, ts: r.Timestamp, headers: recordHeaders(r.Headers)})
	}
	return out, nil
}

// pullWhereError rewords a WHERE compilation error as ksqlDB's pull queries do.
func pullWhereError(err error, where parser.Expr) error {
	e := asError(err)
	if strings.HasPrefix(e.Msg, "Error in WHERE expression") || strings.HasPrefix(e.Msg, "WHERE column") {
		return e
	}
	return &Error{Class: e.Class, Msg: fmt.Sprintf("Error in WHERE expression: %s\nStatement: %s", e.Msg, expr.Format(where)), Pos: e.Pos}
}

// shallowSelect returns a copy of sel with where as its WHERE clause.
func shallowSelect(sel *parser.Select, where parser.Expr) *parser.Select {
	c := *sel
	c.Where = where
	return &c
}
