package engine

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/sql/expr"
	"github.com/ksqlgo/ksqlgo/sql/functions"
	"github.com/ksqlgo/ksqlgo/sql/parser"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// projection is a compiled SELECT list split into key and value columns.
type projection struct {
	keys, values     []types.Column
	keyEval, valEval []expr.Eval
	// table function: the select item index it fills and its closure.
	tfIndex []int
	tfEval  []tfCall
}

type tfCall struct {
	args []expr.Eval
	impl functions.TableImpl
	slot int // value slot (or -1) and key slot (or -1) it fills
	key  bool
}

// planStateless plans a query without aggregation: filter, projection, table functions,
// PARTITION BY.
func (e *Engine) planStateless(sel *parser.Select, l *inputLayout, sinkName string, w withProps, into *Source) (*queryPlan, error) {
	src := l.src
	c := e.compiler()
	items, err := expandSelect(sel, l)
	if err != nil {
		return nil, err
	}
	var where *expr.Compiled
	if sel.Where != nil {
		if where, err = compileWhere(c, sel.Where, l); err != nil {
			return nil, err
		}
	}
	if l.transient && !src.Table && len(l.keySlots) > 0 {
		where = withKey(where, l.keySlots)
	}
	sc := *l.scope
	sc.Unknown = func(ref *parser.ColumnRef) error {
		return stmtErrAt(ref.Pos, "SELECT column '%s' cannot be resolved.", expr.RefText(ref))
	}
	// Which select items are the key?
	var keyItems []int
	partitionBy := sel.PartitionBy
	if len(partitionBy) == 1 {
		if lit, ok := partitionBy[0].(*parser.Literal); ok && lit.Kind == parser.LitNull {
			partitionBy = nil
			keyItems = []int{}
		}
	}
	starKey := map[int]bool{} // key items added for SELECT * ... PARTITION BY
	if len(partitionBy) > 0 && src.Window != nil {
		return nil, stmtErr("Implicit repartitioning of windowed sources is not supported. See https://github.com/confluentinc/ksql/issues/4385.")
	}
	if l.transient {
		keyItems = []int{} // a push query's rows are its projection, all value columns
	} else if len(partitionBy) > 0 {
		for _, pe := range partitionBy {
			found := -1
			for i, it := range items {
				if sameExpr(it.expr, pe) {
					found = i
					break
				}
			}
			if found < 0 && hasStar(sel) {
				// SELECT * keeps every column and adds the partitioning expression as the key.
				items = append(items, selectItem{name: partitionKeyName(pe, items), expr: pe, pos: pe.Position()})
				found = len(items) - 1
				starKey[found] = true
			}
			if found < 0 {
				if _, err := c.Compile(pe, &sc); err != nil {
					return nil, err
				}
				return nil, stmtErr("The query used to build `%s` must include the partitioning expression %s in its projection (eg, SELECT %s...).", sinkName, expr.Format(stripQualifiers(pe)), expr.Format(stripQualifiers(pe)))
			}
			keyItems = append(keyItems, found)
		}
	}
	var keyErr error // reported once the items compiled, as ksqlDB does
	switch {
	case keyItems != nil:
	case l.join != nil:
		keyItems, keyErr = l.join.projectedKeys(items, sinkName)
	default:
		keyItems, keyErr = e.projectedKeys(l, items, sinkName)
	}
	isKey := map[int]bool{}
	for _, k := range keyItems {
		isKey[k] = true
	}
	p := &projection{}
	for i, it := range items {
		if ref, ok := it.expr.(*parser.ColumnRef); ok && ref.Source == nil && it.name == ref.Name.Name {
			if (ref.Name.Name == colWindowStart || ref.Name.Name == colWindowEnd) && src.Window == nil {
				return nil, stmtErr("Window bounds column %s can only be used in the SELECT clause of windowed aggregations", ref.Name.Name)
			}
		}
		if reserved[it.name] && !starKey[i] && !l.transient {
			return nil, stmtErr("Reserved column name in select: `%s`. Please remove or alias the column.", it.name)
		}
		var ce *expr.Compiled
		var tf *tfCall
		if call, fields := tableFunctionCall(e.Funcs, it.expr); call != nil {
			args, evals, err := c.Args(call, &sc)
			if err != nil {
				return nil, err
			}
			rt, impl, err := e.Funcs.Table(call.Name.Name).Bind(args, e.config())
			if err != nil {
				return nil, stmtErrAt(call.Pos, "%v", err)
			}
			if rt, impl, err = derefTableFunction(rt, impl, fields); err != nil {
				return nil, err
			}
			ce = &expr.Compiled{Type: rt}
			tf = &tfCall{args: evals, impl: impl}
		} else {
			if containsTableFunction(e.Funcs, it.expr) {
				return nil, stmtErrAt(it.pos, "Table functions cannot be nested or used in expressions: %s", expr.Format(it.expr))
			}
			if ce, err = c.Compile(it.expr, &sc); err != nil {
				return nil, err
			}
			if k := slices.Index(keyItems, i); k >= 0 && l.join != nil && k < len(l.join.keyCols) {
				// A join's key column is the join's key, even when its side found no match.
				ref := &parser.ColumnRef{Pos: it.pos, Name: parser.Ident{Name: l.join.keyCols[k], Quoted: true, Pos: it.pos}}
				if ce, err = c.Compile(ref, &sc); err != nil {
					return nil, err
				}
			}
		}
		col := types.Column{Name: it.name, Type: ce.Type}
		if col.Type.Kind == types.KNull {
			col.Type = types.STRING
		}
		if isKey[i] {
			if tf != nil {
				tf.key, tf.slot = true, len(p.keys)
			}
			p.keys = append(p.keys, col)
			p.keyEval = append(p.keyEval, ce.Eval)
		} else {
			if tf != nil {
				tf.slot = len(p.values)
			}
			p.values = append(p.values, col)
			p.valEval = append(p.valEval, ce.Eval)
		}
		if tf != nil {
			p.tfEval = append(p.tfEval, *tf)
		}
	}
	if keyErr != nil {
		if err := checkTimestampName(w, p.values); err != nil {
			return nil, err
		}
		return nil, keyErr
	}
	// Keys in PARTITION BY order, else in the source's key order, or, with ksqlDB's new
	// query planner, in select order.
	if len(partitionBy) == 0 && e.prop("ksql.new.query.planner.enabled") == "true" {
		slices.Sort(keyItems)
	}
	orderKeys(p, keyItems, items, isKey)
	if len(p.values) == 0 {
		return nil, stmtErr("The projection contains no value columns.")
	}
	if src.Table && len(p.tfEval) > 0 {
		return nil, stmtErr("Table source is not supported with table functions")
	}
	var window *WindowInfo
	if src.Window != nil && !l.transient {
		window = src.Window
	}
	sink, err := e.sinkFor(sinkName, src.Table && !l.transient, p.keys, p.values, src, w, window, into) // a push query writes a change stream
	if err != nil {
		return nil, err
	}
	plan := &queryPlan{sink: sink, sources: []string{src.Topic}, from: []string{src.Name}}
	plan.build = func(b *dsl.Builder, queryID string) error {
		return e.buildStateless(b, l, where, p, sink)
	}
	return plan, nil
}

// projectedKeys returns the select items that project the source's key columns, in key
// order. Every key column must be projected, unless none is and ksqlDB's new query
// planner is enabled for a stream: the result then has no key.
func (e *Engine) projectedKeys(l *inputLayout, items []selectItem, sinkName string) ([]int, error) {
	src := l.src
	keyItems := []int{}
	var names []string
	missing := 0
	for _, ks := range l.keySlots {
		kname := src.Columns[ks].Name
		names = append(names, kname)
		found := -1
		for i, it := range items {
			ref, ok := it.expr.(*parser.ColumnRef)
			if ok && ref.Name.Name == kname {
				if found >= 0 {
					return nil, stmtErr("The projection contains a key column (`%s`) more than once, aliased as: %s and %s.", kname, items[found].name, it.name)
				}
				found = i
			}
		}
		if found < 0 {
			missing++
			continue
		}
		keyItems = append(keyItems, found)
	}
	switch {
	case missing == 0:
		return keyItems, nil
	case missing == len(names) && !src.Table && e.prop("ksql.new.query.planner.enabled") == "true":
		return []int{}, nil
	}
	return nil, stmtErr("The query used to build `%s` must include the key %s in its projection (eg, SELECT %s...).",
		sinkName, plural(len(names), "column", "columns")+" "+andList(names), strings.Join(names, ", "))
}

func containsTableFunction(funcs *functions.Registry, e parser.Expr) bool {
	found := false
	expr.Walk(e, func(n parser.Expr) bool {
		if c, ok := n.(*parser.Call); ok && funcs.Table(c.Name.Name) != nil {
			found = true
		}
		return !found
	})
	return found
}

// orderKeys reorders the key columns to the order of keyItems (they were collected in
// select order).
func orderKeys(p *projection, keyItems []int, items []selectItem, isKey map[int]bool) {
	pos := map[int]int{} // item index -> position among keys in select order
	n := 0
	for i := range items {
		if isKey[i] {
			pos[i] = n
			n++
		}
	}
	keys := make([]types.Column, len(keyItems))
	evals := make([]expr.Eval, len(keyItems))
	remap := make([]int, len(keyItems))
	for j, it := range keyItems {
		keys[j] = p.keys[pos[it]]
		evals[j] = p.keyEval[pos[it]]
		remap[pos[it]] = j
	}
	for i := range p.tfEval {
		if p.tfEval[i].key {
			p.tfEval[i].slot = remap[p.tfEval[i].slot]
		}
	}
	p.keys, p.keyEval = keys, evals
}

// sinkFor returns the sink of a query: a new source, or the INSERT INTO target after
// checking that the schemas agree.
func (e *Engine) sinkFor(name string, table bool, keys, values []types.Column, src *Source, w withProps, window *WindowInfo, into *Source) (*Source, error) {
	if into == nil {
		return e.sinkSource(name, table, keys, values, src, w, window)
	}
	if !sameColumns(into.KeyColumns(), keys) || !sameColumns(into.ValueColumns(), values) {
		return nil, stmtErr("Incompatible schema between results and sink.\nResult schema is %s\nSink schema is %s", schemaText(keys, values), into.Schema())
	}
	return into, nil
}

func sameColumns(a, b []types.Column) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || !a[i].Type.Equal(b[i].Type) {
			return false
		}
	}
	return true
}

func schemaText(keys, values []types.Column) string {
	var parts []string
	if len(keys) > 0 {
		parts = append(parts, types.FormatColumns(keys, " KEY"))
	}
	if len(values) > 0 {
		parts = append(parts, types.FormatColumns(values, ""))
	}
	return strings.Join(parts, ", ")
}

// hasStar says whether the projection has a * item.
func hasStar(sel *parser.Select) bool {
	for _, it := range sel.Items {
		if it.Star && it.Expr == nil {
			return true
		}
	}
	return false
}

// partitionKeyName names the key column a PARTITION BY expression adds to a SELECT *: a
// column's or struct field's own name, else the first free KSQL_COL_n.
func partitionKeyName(pe parser.Expr, items []selectItem) string {
	switch x := pe.(type) {
	case *parser.ColumnRef:
		return x.Name.Name
	case *parser.Deref:
		return x.Field.Name
	}
	used := map[string]bool{}
	for _, it := range items {
		used[it.name] = true
	}
	for n := 0; ; n++ {
		if name := "KSQL_COL_" + strconv.Itoa(n); !used[name] {
			return name
		}
	}
}

// buildStateless adds the query's nodes to b.
func (e *Engine) buildStateless(b *dsl.Builder, l *inputLayout, where *expr.Compiled, p *projection, sink *Source) error {
	src := l.src
	kc, vc, err := codecs(sink)
	if err != nil {
		return stmtErr("%v", err)
	}
	sinkKeys := keySerde(kc, sink.Window)
	sinkVals := rowSerde(vc)
	windowed := sink.Window != nil
	project := func(row []any, key []any) ([]any, []any, error) {
		k := make([]any, len(p.keyEval), len(p.keyEval)+2)
		for i, ev := range p.keyEval {
			if ev == nil {
				continue
			}
			v, err := ev(row)
			if err != nil {
				return nil, nil, err
			}
			k[i] = v
		}
		if windowed && len(key) >= 2 {
			k = append(k, key[len(key)-2], key[len(key)-1])
		}
		v := make([]any, len(p.valEval))
		for i, ev := range p.valEval {
			if ev == nil {
				continue
			}
			x, err := ev(row)
			if err != nil {
				e.logf("expression error: %v", err)
				continue
			}
			v[i] = x
		}
		return k, v, nil
	}
	if src.Table {
		t, err := e.inputTable(b, l)
		if err != nil {
			return err
		}
		if l.join != nil && where != nil {
			// A join result carries old values, and ksqlDB filters it with Kafka Streams'
			// KTable.filter: a row that matched neither before nor now is not forwarded.
			w := where
			t = t.FilterWithContext(func(rc dsl.RecordContext, key, value []any) bool {
				ok, err := w.Eval(l.fillTable(rc, key, value))
				return err == nil && ok == true
			})
			where = nil
		}
		// WHERE and projection in one step, as ksqlDB's table filter (a transformValues to
		// an optional row): a row the WHERE rejects is a delete, whatever the old row was,
		// and the old row is not re-judged under the metadata of the record at hand.
		mapped := dsl.MapTableValuesWithContext(t, func(rc dsl.RecordContext, key, value []any) []any {
			row := l.fillTable(rc, key, value)
			if where != nil {
				if ok, err := where.Eval(row); err != nil || ok != true {
					return nil
				}
			}
			_, v, _ := project(row, key)
			return v
		})
		out, err := e.sinkTimestamps(dsl.Map(mapped.ToStream(), func(key, value []any) ([]any, []any) {
			row := l.fill(key, nil, 0, 0, 0, nil)
			k, _, _ := project(row, key)
			return k, value
		}), sink)
		if err != nil {
			return err
		}
		toSink(out, l, sink, sinkKeys, sinkVals, true)
		return nil
	}
	s, err := e.inputStream(b, l, nil)
	if err != nil {
		return err
	}
	out := dsl.Process(s, func() dsl.Processor[[]any, []any, []any, []any] {
		return &selectProcessor{l: l, where: where, p: p, project: project, engine: e}
	})
	if out, err = e.sinkTimestamps(out, sink); err != nil {
		return err
	}
	out.To(sink.Topic, dsl.Produced(sinkKeys, sinkVals))
	return nil
}

// selectProcessor is the per-record work of a stateless query on a stream.
type selectProcessor struct {
	l       *inputLayout
	where   *expr.Compiled
	p       *projection
	project func(row, key []any) ([]any, []any, error)
	engine  *Engine
	ctx     *dsl.ProcessorContext[[]any, []any]
}

func (s *selectProcessor) Init(ctx *dsl.ProcessorContext[[]any, []any]) error {
	s.ctx = ctx
	return nil
}

func (s *selectProcessor) Close() error { return nil }

func (s *selectProcessor) Process(r dsl.Record[[]any, []any]) error {
	if r.Value == nil {
		return s.forwardNull(r)
	}
	md := s.ctx.Metadata()
	row := s.l.fill(r.Key, r.Value, r.Timestamp, md.Partition, md.Offset, recordHeaders(r.Headers))
	if s.where != nil {
		ok, err := s.where.Eval(row)
		if err != nil {
			return fmt.Errorf("Error in WHERE expression: %w", err)
		}
		if ok != true {
			return nil
		}
	}
	k, v, err := s.project(row, r.Key)
	if err != nil {
		return err
	}
	if len(s.p.tfEval) == 0 {
		s.emit(r, k, v)
		return nil
	}
	// Table functions: one output row per element; several functions zip, shorter
	// ones padded with NULL.
	results := make([][]any, len(s.p.tfEval))
	n := 0
	for i, tf := range s.p.tfEval {
		args := make([]any, len(tf.args))
		for j, a := range tf.args {
			if a == nil {
				continue
			}
			x, err := a(row)
			if err != nil {
				return err
			}
			args[j] = x
		}
		out, err := tf.impl(args)
		if err != nil {
			return err
		}
		results[i] = out
		n = max(n, len(out))
	}
	for j := 0; j < n; j++ {
		kk := append([]any(nil), k...)
		vv := append([]any(nil), v...)
		for i, tf := range s.p.tfEval {
			var x any
			if j < len(results[i]) {
				x = results[i][j]
			}
			if tf.key {
				kk[tf.slot] = x
			} else {
				vv[tf.slot] = x
			}
		}
		s.emit(r, kk, vv)
	}
	return nil
}

// forwardNull passes a null value through the query as ksqlDB does: the projection of a
// null row is null (its key computed over null value columns), while a WHERE clause or a
// table function drops it.
func (s *selectProcessor) forwardNull(r dsl.Record[[]any, []any]) error {
	if s.where != nil || len(s.p.tfEval) > 0 {
		return nil
	}
	md := s.ctx.Metadata()
	row := s.l.fill(r.Key, nil, r.Timestamp, md.Partition, md.Offset, recordHeaders(r.Headers))
	k, _, err := s.project(row, r.Key)
	if err != nil {
		return err
	}
	if len(k) == 0 {
		k = nil
	}
	s.ctx.Forward(dsl.Record[[]any, []any]{Key: k, Timestamp: r.Timestamp, Headers: r.Headers})
	return nil
}

func (s *selectProcessor) emit(r dsl.Record[[]any, []any], k, v []any) {
	if len(k) == 0 {
		k = nil
	}
	s.ctx.Forward(dsl.Record[[]any, []any]{Key: k, Value: v, Timestamp: r.Timestamp, Headers: r.Headers})
}

func timestampOf(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case types.Timestamp:
		return int64(x), true
	}
	return 0, false
}
