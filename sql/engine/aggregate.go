package engine

import (
	"strconv"
	"strings"
	"time"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/serde"
	"github.com/ksqlgo/ksqlgo/sql/expr"
	"github.com/ksqlgo/ksqlgo/sql/format"
	"github.com/ksqlgo/ksqlgo/sql/functions"
	"github.com/ksqlgo/ksqlgo/sql/parser"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// aggCall is one distinct aggregate call of a query.
type aggCall struct {
	call  *parser.Call
	key   string
	impl  *functions.AggregateImpl
	args  []expr.Eval // over the input row (nil for constants evaluated below)
	off   int         // first slot of its arguments in the aggregation input row
	nargs int
}

// aggPlan is the analysed aggregation.
type aggPlan struct {
	l        *inputLayout
	where    *expr.Compiled
	groupBy  []*expr.Compiled
	calls    []*aggCall
	width    int // aggregation input row width (all calls' arguments)
	having   *expr.Compiled
	keyCols  []types.Column
	valCols  []types.Column
	valEvals []expr.Eval
	window   *parser.WindowSpec
	winInfo  *WindowInfo
	final    bool
	postW    int // post-aggregation row width
	// byKey is set when a stream is grouped by exactly its key columns, in order: the
	// records of a group already share a partition, so they need no repartition.
	byKey bool
	// used marks the value columns of a stream source the query reads (nil: all), so that
	// decoding can skip the others (format.Prune).
	used []bool
}

func (e *Engine) planAggregate(sel *parser.Select, l *inputLayout, sinkName string, table bool, w withProps, into *Source) (*queryPlan, error) {
	src := l.src
	if len(sel.GroupBy) == 0 && sel.Window != nil && !selectHasAggregate(e.Funcs, sel) {
		return nil, stmtErrAt(sel.Pos, "WINDOW clause requires a GROUP BY clause.")
	}
	if into != nil || !table {
		return nil, stmtErrAt(sel.Pos, "Invalid result type. Your SELECT query produces a TABLE. Please use CREATE TABLE AS SELECT statement instead.")
	}
	if len(sel.GroupBy) > 0 && src.ValueFormat == "KAFKA" {
		return nil, stmtErr("Source(s) %s are using the 'KAFKA' value format. This format does not yet support GROUP BY.", src.Name)
	}
	for _, it := range sel.Items {
		if it.Expr != nil && containsTableFunction(e.Funcs, it.Expr) {
			return nil, stmtErrAt(it.Pos, "Table functions cannot be used with aggregations.")
		}
	}
	for _, g := range sel.GroupBy {
		if c := firstAggregate(e.Funcs, g); c != nil {
			return nil, stmtErrAt(g.Position(), "GROUP BY does not support aggregate functions: %s is an aggregate function.", strings.ToUpper(c.Name.Name))
		}
	}
	c := e.compiler()
	readSlots := make([]bool, l.width)
	c.Column = func(ref *parser.ColumnRef, scope *expr.Scope) (*expr.Compiled, error) {
		if col, err := scope.Resolve(ref); err == nil && col.Slot >= 0 && col.Slot < len(readSlots) {
			readSlots[col.Slot] = true
		}
		return nil, nil
	}
	items, err := expandSelect(sel, l)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if reserved[it.name] && !l.transient {
			return nil, stmtErr("Reserved column name in select: `%s`. Please remove or alias the column.", it.name)
		}
	}
	hasAgg := selectHasAggregate(e.Funcs, sel)
	seenGroup := map[string]bool{}
	for _, g := range sel.GroupBy {
		k := exprKey(g)
		if seenGroup[k] {
			return nil, stmtErrAt(g.Position(), "Duplicate GROUP BY expression: %s", qualified(g, src.Name))
		}
		seenGroup[k] = true
	}
	p := &aggPlan{l: l, window: sel.Window, final: sel.Emit == parser.EmitFinal}
	if sel.Where != nil {
		if p.where, err = compileWhere(c, sel.Where, l); err != nil {
			return nil, err
		}
	}
	if src.Window == nil {
		if err := checkWindowBounds(e.Funcs, sel, items); err != nil {
			return nil, err
		}
	}
	for _, g := range sel.GroupBy {
		ce, err := c.Compile(g, l.scope)
		if err != nil {
			return nil, err
		}
		p.groupBy = append(p.groupBy, ce)
	}
	p.byKey = !src.Table && src.Window == nil && groupsBySourceKey(sel.GroupBy, l)
	// Aggregate calls, in order of appearance.
	collect := func(e2 parser.Expr) error {
		var err error
		expr.Walk(e2, func(n parser.Expr) bool {
			if err != nil {
				return false
			}
			call, ok := n.(*parser.Call)
			if !ok || e.Funcs.Aggregate(call.Name.Name) == nil {
				return true
			}
			for _, a := range call.Args {
				if inner := firstAggregate(e.Funcs, a); inner != nil {
					err = stmtErrAt(call.Pos, "Aggregate functions can not be nested: %s(%s())", strings.ToUpper(call.Name.Name), strings.ToUpper(inner.Name.Name))
					return false
				}
			}
			key := exprKey(call)
			for _, ac := range p.calls {
				if ac.key == key {
					return false
				}
			}
			ac := &aggCall{call: call, key: key, off: p.width}
			args, evals, cerr := c.Args(call, l.scope)
			if cerr != nil {
				err = cerr
				return false
			}
			impl, berr := e.Funcs.Aggregate(call.Name.Name).Bind(args, e.config())
			if berr != nil {
				err = stmtErrAt(call.Pos, "%v", berr)
				return false
			}
			if src.Table && impl.Undo == nil {
				err = undoError(e.Funcs, items, sel.Having, src)
				return false
			}
			ac.impl, ac.args, ac.nargs = impl, evals, len(evals)
			p.width += len(evals)
			p.calls = append(p.calls, ac)
			return false
		})
		return err
	}
	for _, it := range items {
		if err := collect(it.expr); err != nil {
			return nil, err
		}
	}
	if sel.Having != nil {
		if err := collect(sel.Having); err != nil {
			return nil, err
		}
	}
	// Post-aggregation scope: group keys, aggregate results, window bounds.
	nk := len(sel.GroupBy)
	post := &expr.Scope{Sources: l.scope.Sources}
	for i := range sel.GroupBy {
		post.Cols = append(post.Cols, expr.Col{Name: "$key" + strconv.Itoa(i), Type: p.groupBy[i].Type, Slot: i})
	}
	for i, ac := range p.calls {
		post.Cols = append(post.Cols, expr.Col{Name: "$agg" + strconv.Itoa(i), Type: ac.impl.Returns, Slot: nk + i})
	}
	wsSlot := nk + len(p.calls)
	p.postW = wsSlot + 2
	post.Width = p.postW
	if sel.Window != nil {
		p.winInfo = &WindowInfo{Type: sel.Window.Kind.String()}
		if sel.Window.Kind != parser.WindowSession {
			if p.winInfo.Size, err = durationMillis(sel.Window.Size); err != nil {
				return nil, err
			}
		}
	}
	var nonAgg []string
	pc := &expr.Compiler{Funcs: e.Funcs, Config: e.config(), Types: e.Catalog.Type}
	pc.Subtree = func(n parser.Expr, _ *expr.Scope) (*expr.Compiled, error) {
		k := exprKey(n)
		for i, g := range sel.GroupBy {
			if exprKey(g) == k {
				slot := i
				return &expr.Compiled{Type: p.groupBy[i].Type, Eval: func(row []any) (any, error) { return row[slot], nil }}, nil
			}
		}
		if call, ok := n.(*parser.Call); ok && e.Funcs.Aggregate(call.Name.Name) != nil {
			for i, ac := range p.calls {
				if ac.key == k {
					slot := nk + i
					return &expr.Compiled{Type: ac.impl.Returns, Eval: func(row []any) (any, error) { return row[slot], nil }}, nil
				}
			}
		}
		if ref, ok := n.(*parser.ColumnRef); ok {
			switch ref.Name.Name {
			case colWindowStart, colWindowEnd:
				if sel.Window == nil {
					return nil, stmtErrAt(ref.Pos, "Window bounds column %s can only be used in the SELECT clause of windowed aggregations", ref.Name.Name)
				}
				slot := wsSlot
				if ref.Name.Name == colWindowEnd {
					slot++
				}
				return &expr.Compiled{Type: types.BIGINT, Eval: func(row []any) (any, error) { return row[slot], nil }}, nil
			}
			if _, err := l.scope.Resolve(ref); err != nil {
				return nil, stmtErrAt(ref.Pos, "SELECT column '%s' cannot be resolved.", expr.RefText(ref))
			}
			nonAgg = append(nonAgg, expr.Format(stripQualifiers(ref)))
			return &expr.Compiled{Type: types.NULL, Eval: func([]any) (any, error) { return nil, nil }}, nil
		}
		return nil, nil
	}
	compiled := make([]*expr.Compiled, len(items))
	var nonAggItems []string
	for j, it := range items {
		before := len(nonAgg)
		ce, err := pc.Compile(it.expr, post)
		if err != nil {
			return nil, err
		}
		compiled[j] = ce
		if len(nonAgg) > before {
			nonAgg = nonAgg[:before]
			nonAggItems = append(nonAggItems, expr.Format(stripQualifiers(it.expr)))
		}
	}
	if sel.Having != nil {
		if p.having, err = pc.Compile(sel.Having, post); err != nil {
			return nil, err
		}
	}
	if len(sel.GroupBy) > 0 && !hasAgg {
		return nil, stmtErrAt(sel.Pos, "GROUP BY requires aggregate functions in either the SELECT or HAVING clause.")
	}
	if len(nonAggItems) > 0 {
		return nil, stmtErr("Non-aggregate SELECT expression(s) not part of GROUP BY: %s\nEither add the column(s) to the GROUP BY or remove them from the SELECT.", strings.Join(dedupe(nonAggItems), ", "))
	}
	if len(nonAgg) > 0 {
		return nil, stmtErr("Non-aggregate HAVING expression not part of GROUP BY: %s", strings.Join(dedupe(nonAgg), ", "))
	}
	if len(sel.GroupBy) == 0 {
		for _, it := range items {
			if ac := firstAggregate(e.Funcs, it.expr); ac != nil {
				return nil, stmtErrAt(sel.Pos, "CREATE TABLE AS SELECT statement does not support aggregate function [%s] without a GROUP BY clause.", aggText(ac))
			}
		}
		return nil, stmtErrAt(sel.Pos, "WINDOW clause requires a GROUP BY clause.")
	}
	if !hasAgg {
		return nil, stmtErrAt(sel.Pos, "GROUP BY requires aggregate functions in either the SELECT or HAVING clause.")
	}
	// Key columns: the projected grouping expressions.
	keyItem := make([]int, nk)
	var missing []string
	for i, g := range sel.GroupBy {
		keyItem[i] = -1
		for j, it := range items {
			if !sameExpr(it.expr, g) {
				continue
			}
			if keyItem[i] >= 0 {
				return nil, stmtErr("The projection contains a key column more than once: `%s` and `%s`.", items[keyItem[i]].name, it.name)
			}
			keyItem[i] = j
		}
		if keyItem[i] < 0 && !l.transient {
			missing = append(missing, expr.Format(stripQualifiers(g)))
		}
	}
	if len(missing) > 0 {
		return nil, stmtErr("The query used to build `%s` must include the grouping %s in its projection (eg, SELECT %s...).",
			sinkName, plural(len(missing), "expression", "expressions")+" "+andList(missing), strings.Join(missing, ", "))
	}
	seenName := map[string]bool{}
	for j, it := range items {
		if seenName[it.name] {
			t := compiled[j].Type
			if t.Kind == types.KNull {
				t = types.STRING
			}
			return nil, stmtErr("Duplicate value columns found in schema: `%s` %s", it.name, t.String())
		}
		seenName[it.name] = true
	}
	isKey := map[int]bool{}
	for i, j := range keyItem {
		name := expr.Format(stripQualifiers(sel.GroupBy[i])) // a push query's unselected key
		if j >= 0 {
			isKey[j] = true
			name = items[j].name
		}
		p.keyCols = append(p.keyCols, types.Column{Name: name, Type: p.groupBy[i].Type})
	}
	for j, it := range items {
		if isKey[j] && !l.transient {
			continue
		}
		t := compiled[j].Type
		if t.Kind == types.KNull {
			t = types.STRING
		}
		p.valCols = append(p.valCols, types.Column{Name: it.name, Type: t})
		p.valEvals = append(p.valEvals, compiled[j].Eval)
	}
	if len(p.valCols) == 0 {
		return nil, stmtErr("The projection contains no value columns.")
	}
	if err := p.checkStateFormat(src.ValueFormat); err != nil {
		return nil, err
	}
	if !src.Table && !hasLambda(sel) {
		p.used = usedValueColumns(l, readSlots)
	}
	sink, err := e.sinkFor(sinkName, !l.transient, p.keyCols, p.valCols, src, w, p.winInfo, nil) // a push query writes a change stream
	if err != nil {
		return nil, err
	}
	plan := &queryPlan{sink: sink, sources: []string{src.Topic}, from: []string{src.Name}}
	if (p.window == nil || !p.final) && !l.transient { // EMIT FINAL windows: the sink's store
		if plan.aggregate, err = newAggregateRead(p, sink); err != nil {
			return nil, err
		}
	}
	plan.build = func(b *dsl.Builder, queryID string) error { return e.buildAggregate(b, p, sink, queryID) }
	return plan, nil
}

// checkStateFormat checks that the source's value format can hold the aggregation's
// intermediate state, as ksqlDB's aggregation store is written in it.
func (p *aggPlan) checkStateFormat(valueFormat string) error {
	if valueFormat == "NONE" {
		return nil // a source without value columns: ksqlDB's check does not apply
	}
	cols := make([]types.Column, len(p.calls))
	for i, ac := range p.calls {
		cols[i] = types.Column{Name: "AGG_" + strconv.Itoa(i), Type: ac.impl.StateType}
		if cols[i].Type == nil {
			cols[i].Type = ac.impl.Returns
		}
	}
	if _, err := format.New(valueFormat, cols, format.Options{}); err != nil {
		return stmtErr("One of the functions used in the statement has an intermediate type that the value format can not handle. Please remove the function or change the format.")
	}
	return nil
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func firstAggregate(funcs *functions.Registry, e parser.Expr) *parser.Call {
	var found *parser.Call
	expr.Walk(e, func(n parser.Expr) bool {
		if c, ok := n.(*parser.Call); ok && funcs.Aggregate(c.Name.Name) != nil && found == nil {
			found = c
		}
		return found == nil
	})
	return found
}

// undoError is ksqlDB's error for aggregate functions that cannot run on a table.
func undoError(funcs *functions.Registry, items []selectItem, having parser.Expr, src *Source) error {
	var names []string
	seen := map[string]bool{}
	check := func(e parser.Expr) {
		expr.Walk(e, func(n parser.Expr) bool {
			if c, ok := n.(*parser.Call); ok {
				if a := funcs.Aggregate(c.Name.Name); a != nil {
					impl, err := a.Bind(nil, nil)
					name := strings.ToUpper(c.Name.Name)
					if (err != nil || impl.Undo == nil) && !seen[name] {
						seen[name] = true
						names = append(names, name)
					}
				}
			}
			return true
		})
	}
	for _, it := range items {
		check(it.expr)
	}
	check(having)
	list := strings.Join(names, ", ")
	if i := strings.LastIndex(list, ", "); i >= 0 {
		list = list[:i] + " and " + list[i+2:]
	}
	return stmtErr("The aggregation functions %s cannot be applied to a table source, only to a stream source.", list)
}

// aggInputRow evaluates the grouping key and the aggregate arguments of one input row.
func (p *aggPlan) aggInputRow(row []any) (key, args []any, ok bool) {
	key = make([]any, len(p.groupBy))
	for i, g := range p.groupBy {
		v, err := g.Eval(row)
		if err != nil || v == nil {
			return nil, nil, false
		}
		key[i] = v
	}
	args = make([]any, p.width)
	for _, ac := range p.calls {
		for j, a := range ac.args {
			if a == nil {
				continue
			}
			v, err := a(row)
			if err == nil {
				args[ac.off+j] = v
			}
		}
	}
	return key, args, true
}

func (p *aggPlan) init() []any {
	st := make([]any, len(p.calls))
	for i, ac := range p.calls {
		st[i] = ac.impl.Init()
	}
	return st
}

func (p *aggPlan) add(args, states []any, undo bool) []any {
	out := make([]any, len(p.calls))
	copy(out, states)
	for i, ac := range p.calls {
		f := ac.impl.Add
		if undo {
			f = ac.impl.Undo
		}
		if f == nil || i >= len(states) {
			continue
		}
		if ns, err := f(states[i], args[ac.off:ac.off+ac.nargs]); err == nil {
			out[i] = ns
		}
	}
	return out
}

func (p *aggPlan) merge(a, b []any) []any {
	out := make([]any, len(p.calls))
	for i, ac := range p.calls {
		if ac.impl.Merge == nil {
			out[i] = b[i]
			continue
		}
		if m, err := ac.impl.Merge(a[i], b[i]); err == nil {
			out[i] = m
		}
	}
	return out
}

// postRow is the row the projection and HAVING see after aggregation.
func (p *aggPlan) postRow(key []any, start, end any, states []any) []any {
	row := make([]any, p.postW)
	copy(row, key)
	nk := len(p.groupBy)
	for i, ac := range p.calls {
		if i < len(states) {
			if v, err := ac.impl.Result(states[i]); err == nil {
				row[nk+i] = v
			}
		}
	}
	row[p.postW-2], row[p.postW-1] = start, end
	return row
}

func (p *aggPlan) project(post []any) []any {
	if p.having != nil {
		ok, err := p.having.Eval(post)
		if err != nil || ok != true {
			return nil
		}
	}
	out := make([]any, len(p.valEvals))
	for i, ev := range p.valEvals {
		if v, err := ev(post); err == nil {
			out[i] = v
		}
	}
	return out
}

func (e *Engine) buildAggregate(b *dsl.Builder, p *aggPlan, sink *Source, queryID string) error {
	l := p.l
	src := l.src
	kc, vc, err := codecs(sink)
	if err != nil {
		return stmtErr("%v", err)
	}
	sinkKeys := keySerde(kc, sink.Window)
	sinkVals := rowSerde(vc)
	storeName := aggregateStore
	if src.Table {
		t, err := e.inputTable(b, l)
		if err != nil {
			return err
		}
		if p.where != nil {
			t = t.FilterWithContext(func(rc dsl.RecordContext, key, value []any) bool {
				ok, err := p.where.Eval(l.fillTable(rc, key, value))
				return err == nil && ok == true
			})
		}
		g := dsl.TableGroupByWithContext(t, func(rc dsl.RecordContext, key, value []any) ([]any, []any) {
			k, args, ok := p.aggInputRow(l.fillTable(rc, key, value))
			if !ok {
				return nil, nil
			}
			return k, args
		}, internalSerde, internalSerde, dsl.Named("Aggregate-GroupBy"))
		agg := dsl.TableAggregate(g, p.init,
			func(_ []any, v []any, st []any) []any { return p.add(v, st, false) },
			func(_ []any, v []any, st []any) []any { return p.add(v, st, true) },
			internalSerde, dsl.Named(storeName))
		e.finishAggregate(agg, p, sink, sinkKeys, sinkVals)
		return nil
	}
	s, err := e.inputStream(b, l, p.used)
	if err != nil {
		return err
	}
	newPre := func() dsl.Processor[[]any, []any, []any, []any] { return &preAggregate{p: p} }
	var pre dsl.Stream[[]any, []any]
	if p.byKey {
		pre = dsl.ProcessValues(s, newPre) // the grouping key is the source's key: ksqlDB's groupByKey
	} else {
		pre = dsl.Process(s, newPre)
	}
	pre = pre.WithSerdes(internalSerde, internalSerde)
	g := pre.GroupByKey(dsl.Named("Aggregate-GroupBy"))
	if p.window == nil {
		agg := dsl.Aggregate(g, p.init, func(_ []any, v []any, st []any) []any { return p.add(v, st, false) }, internalSerde, dsl.Named(storeName))
		e.finishAggregate(agg, p, sink, sinkKeys, sinkVals)
		return nil
	}
	grace := 24 * time.Hour
	if p.final {
		grace = 0 // EMIT FINAL closes windows at their end unless a grace period is given
	}
	if p.window.Grace != nil {
		ms, err := durationMillis(*p.window.Grace)
		if err != nil {
			return err
		}
		grace = time.Duration(ms) * time.Millisecond
	}
	var retention time.Duration
	if p.window.Retention != nil {
		ms, err := durationMillis(*p.window.Retention)
		if err != nil {
			return err
		}
		retention = time.Duration(ms) * time.Millisecond
	}
	size, err := durationMillis(p.window.Size)
	if err != nil {
		return err
	}
	sizeD := time.Duration(size) * time.Millisecond
	var table dsl.Table[dsl.Windowed[[]any], []any]
	switch p.window.Kind {
	case parser.WindowSession:
		sw := dsl.SessionWindows(sizeD, grace)
		if retention > 0 {
			sw = sw.WithRetention(retention)
		}
		table = dsl.SessionAggregate(g.WindowedBySession(sw), p.init,
			func(_ []any, v []any, st []any) []any { return p.add(v, st, false) },
			func(_ []any, a, b []any) []any { return p.merge(a, b) },
			internalSerde, dsl.Named(storeName))
		if p.final {
			table = dsl.SuppressUntilWindowCloses(table, sw)
		}
	default:
		var w dsl.Windows
		if p.window.Kind == parser.WindowHopping {
			adv, err := durationMillis(*p.window.Advance)
			if err != nil {
				return err
			}
			w = dsl.HoppingWindows(sizeD, time.Duration(adv)*time.Millisecond, grace)
		} else {
			w = dsl.TumblingWindows(sizeD, grace)
		}
		if retention > 0 {
			w = w.WithRetention(retention)
		}
		ws := g.WindowedBy(w)
		if p.final {
			ws = ws.EmitOnWindowClose()
		}
		table = dsl.WindowedAggregate(ws, p.init,
			func(_ []any, v []any, st []any) []any { return p.add(v, st, false) },
			internalSerde, dsl.Named(storeName))
	}
	post := dsl.MapTableValues(table, func(k dsl.Windowed[[]any], st []any) []any {
		return p.postRow(k.Key, k.Start, k.End, st)
	})
	projected := dsl.MapTableValues(post.Filter(func(_ dsl.Windowed[[]any], row []any) bool {
		return p.having == nil || p.project(row) != nil
	}), func(_ dsl.Windowed[[]any], row []any) []any { return p.project(row) })
	toSink(dsl.Map(projected.ToStream(), func(k dsl.Windowed[[]any], v []any) ([]any, []any) {
		key := append(append([]any(nil), k.Key...), k.Start, k.End)
		return key, v
	}), p.l, sink, sinkKeys, sinkVals, p.final) // EMIT FINAL: pull queries read the emitted windows
	return nil
}

// finishAggregate adds HAVING, the projection and the sink below a non-windowed
// aggregation. With no HAVING, the projection maps the table's update stream: only the
// new value of each update is projected, as nothing downstream reads the old one. The sink
// is not materialized: pull queries read the aggregation's store (aggregateRead).
func (e *Engine) finishAggregate(t dsl.Table[[]any, []any], p *aggPlan, sink *Source, ks, vs serde.Serde[[]any]) {
	if p.having == nil {
		toSink(dsl.MapValuesWithKey(t.ToStream(), p.sinkValue), p.l, sink, ks, vs, false)
		return
	}
	post := dsl.MapTableValues(t, func(k []any, st []any) []any { return p.postRow(k, nil, nil, st) })
	projected := dsl.MapTableValues(post.Filter(func(_ []any, row []any) bool {
		return p.project(row) != nil
	}), func(_ []any, row []any) []any { return p.project(row) })
	toSink(projected.ToStream(), p.l, sink, ks, vs, false)
}

// sinkValue is the sink row of a non-windowed aggregation's key and state: nil when the
// state is nil or HAVING does not hold. Pull queries read the table through it too
// (aggregateRead).
func (p *aggPlan) sinkValue(key, states []any) []any {
	if states == nil {
		return nil
	}
	return p.project(p.postRow(key, nil, nil, states))
}

// groupsBySourceKey says whether groupBy is exactly the source's key columns, in order,
// with no expression around them.
func groupsBySourceKey(groupBy []parser.Expr, l *inputLayout) bool {
	if len(groupBy) != len(l.keySlots) {
		return false
	}
	for i, g := range groupBy {
		ref, ok := g.(*parser.ColumnRef)
		if !ok {
			return false
		}
		c, err := l.scope.Resolve(ref)
		if err != nil || c.Slot != l.keySlots[i] {
			return false
		}
	}
	return true
}

// preAggregate filters input rows and maps them to (grouping key, aggregate arguments).
type preAggregate struct {
	p   *aggPlan
	ctx *dsl.ProcessorContext[[]any, []any]
}

func (a *preAggregate) Init(ctx *dsl.ProcessorContext[[]any, []any]) error {
	a.ctx = ctx
	return nil
}

func (a *preAggregate) Close() error { return nil }

func (a *preAggregate) Process(r dsl.Record[[]any, []any]) error {
	if r.Value == nil {
		return nil // aggregations ignore null values
	}
	md := a.ctx.Metadata()
	row := a.p.l.fill(r.Key, r.Value, r.Timestamp, md.Partition, md.Offset, recordHeaders(r.Headers))
	if a.p.where != nil {
		ok, err := a.p.where.Eval(row)
		if err != nil || ok != true {
			return nil
		}
	}
	k, args, ok := a.p.aggInputRow(row)
	if !ok {
		return nil
	}
	a.ctx.Forward(dsl.Record[[]any, []any]{Key: k, Value: args, Timestamp: r.Timestamp, Headers: r.Headers})
	return nil
}

// qualified renders an expression with its column references qualified by source, as
// ksqlDB's messages do ("TEST.DATA").
func qualified(e parser.Expr, source string) string {
	if ref, ok := e.(*parser.ColumnRef); ok && ref.Source == nil {
		return source + "." + ref.Name.Name
	}
	return expr.Format(e)
}

// aggText renders an aggregate call for messages; COUNT(*) is COUNT(ROWTIME) there.
func aggText(c *parser.Call) string {
	if c.Star || len(c.Args) == 0 {
		return strings.ToUpper(c.Name.Name) + "(ROWTIME)"
	}
	return expr.Format(stripQualifiers(c))
}
