package engine

import (
	"strconv"
	"strings"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/serde"
	"github.com/ksqlgo/ksqlgo/sql/expr"
	"github.com/ksqlgo/ksqlgo/sql/format"
	"github.com/ksqlgo/ksqlgo/sql/parser"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// queryPlan is a planned persistent query before it is given an id and started.
type queryPlan struct {
	sink     *Source // the sink as the query defines it (columns, formats, window)
	build    func(b *dsl.Builder, queryID string) error
	sources  []string // topics read
	from     []string // catalog sources read, in FROM order
	internal []string
	// aggregate, when set, is how pull queries read the sink from the store of the
	// query's aggregation.
	aggregate *aggregateRead
}

// topology builds the plan's topology for query queryID.
func (p *queryPlan) topology(queryID string) (*runtime.Topology, error) {
	b := dsl.NewBuilder()
	if err := p.build(b, queryID); err != nil {
		return nil, err
	}
	topo, err := b.Build()
	if err != nil {
		return nil, stmtErr("%v", err)
	}
	return topo, nil
}

func (e *Engine) compiler() *expr.Compiler {
	return &expr.Compiler{Funcs: e.Funcs, Config: e.config(), Types: e.Catalog.Type,
		CallError: func(fn string, err error) { e.logf("expression error: %s: %v", fn, err) }}
}

func (e *Engine) createAsSelect(s *parser.CreateAsSelect) (*Result, error) {
	name := s.Name.Name
	kind := "stream"
	if s.Kind == parser.KindTable {
		kind = "table"
	}
	old := e.Catalog.Source(name)
	if old != nil {
		if s.IfNotExists {
			return &Result{}, nil
		}
		if !s.OrReplace {
			return nil, stmtErrAt(s.Pos, "Cannot add %s '%s': A %s with the same name already exists", kind, name, strings.ToLower(old.Kind()))
		}
	}
	if err := e.checkPersistentSource(s.Select); err != nil {
		return nil, err
	}
	w := readProps(s.Props)
	plan, err := e.planSelect(s.Select, name, s.Kind == parser.KindTable, w, nil, false)
	if err != nil {
		return nil, e.withStatement(err, s)
	}
	if old != nil && old.Query != "" {
		if _, err := e.terminate(&parser.Terminate{QueryID: old.Query}); err != nil {
			return nil, err
		}
	}
	prefix := "CSAS"
	if plan.sink.Table {
		prefix = "CTAS"
	}
	q, err := e.startPlan(plan, prefix, name, s.SelectText)
	if err != nil {
		return nil, err
	}
	plan.sink.Query = q.ID
	plan.sink.SQL = s.SelectText
	e.Catalog.put(plan.sink)
	return &Result{Message: "Created query with ID " + q.ID, Query: q}, nil
}

func (e *Engine) insertSelect(s *parser.InsertSelect) (*Result, error) {
	target := e.Catalog.Source(s.Target.Name)
	if target == nil {
		return nil, stmtErrAt(s.Target.Pos, "Source `%s` does not exist.", s.Target.Name)
	}
	if target.ReadOnly {
		return nil, stmtErrAt(s.Pos, "Cannot insert into read-only %s: %s", strings.ToLower(target.Kind()), target.Name)
	}
	if target.Table {
		return nil, stmtErrAt(s.Pos, "INSERT INTO can only be used to insert into a stream. %s is a table.", target.Name)
	}
	for _, c := range target.Columns {
		if c.Kind == HeaderCol || c.Kind == HeadersCol {
			return nil, stmtErrAt(s.Pos, "Cannot insert into %s because it has header columns", target.Name)
		}
	}
	if err := e.checkPersistentSource(s.Select); err != nil {
		return nil, err
	}
	plan, err := e.planSelect(s.Select, target.Name, false, readProps(s.Props), target, false)
	if err != nil {
		return nil, err
	}
	q, err := e.startPlan(plan, "INSERTQUERY", "", s.SelectText)
	if err != nil {
		return nil, err
	}
	return &Result{Message: "Created query with ID " + q.ID, Query: q}, nil
}

func (e *Engine) startPlan(plan *queryPlan, prefix, sink, sql string) (*Query, error) {
	var id string
	if prefix == "INSERTQUERY" {
		id = prefix + "_" + strconv.Itoa(e.counter)
		e.counter++
	} else {
		id = e.nextQueryID(prefix, sink)
	}
	topo, err := plan.topology(id)
	if err != nil {
		return nil, err
	}
	if err := e.Runner.CreateTopic(plan.sink.Topic, plan.sink.Partitions); err != nil {
		return nil, err
	}
	q := &Query{ID: id, Kind: prefix, Sink: plan.sink.Name, SinkTopic: plan.sink.Topic, Sources: plan.sources, From: plan.from, Topology: topo, SQL: sql,
		ExactlyOnce: e.exactlyOnce(), FromLatest: e.fromLatest()}
	if plan.aggregate != nil {
		q.Store, q.aggregate = aggregateStore, plan.aggregate
	} else if topo.HasStore(sinkStore) {
		q.Store = sinkStore
	}
	if err := e.Runner.StartQuery(q); err != nil {
		return nil, err
	}
	e.queries = append(e.queries, q)
	return q, nil
}

// sinkStore names the key-value store that materializes a table sink: the sink's
// serialized key -> the record timestamp and serialized value (dsl.EncodeMaterialized), as
// the compacted sink topic holds them. Pull queries on the table read it.
const sinkStore = "KsqlSink-Materialize"

// toSink writes a query's output to its sink topic, materializing it first in sinkStore
// when materialize is set and the sink is a table of a persistent query (a push query's is
// not, l.transient).
func toSink(s dsl.Stream[[]any, []any], l *inputLayout, sink *Source, keys, values serde.Serde[[]any], materialize bool) {
	produced := dsl.Produced(keys, values)
	if materialize && sink.Table && !l.transient {
		s.ToMaterialized(sink.Topic, sinkStore, produced, dsl.Named(sinkStore))
		return
	}
	s.To(sink.Topic, produced)
}

// checkPersistentSource rejects what ksqlDB does not run as a persistent query: reading a
// windowed table.
func (e *Engine) checkPersistentSource(sel *parser.Select) error {
	if sel.From == nil || sel.From.Source == nil {
		return nil
	}
	if src := e.Catalog.Source(sel.From.Source.Name); src != nil && src.Table && src.Window != nil {
		return stmtErrAt(sel.From.Source.Pos, "KSQL does not support persistent queries on windowed tables.")
	}
	return nil
}

// planSelect analyses a persistent query and returns its plan. into is the existing sink of
// an INSERT INTO (nil for CREATE ... AS SELECT). transient plans a push query instead: its
// sink holds the projection in select order (see inputLayout.transient).
func (e *Engine) planSelect(sel *parser.Select, sinkName string, table bool, w withProps, into *Source, transient bool) (*queryPlan, error) {
	if sel.From == nil {
		return nil, stmtErrAt(sel.Pos, "FROM clause is required")
	}
	var join *joinInfo
	if sel.From.Join != nil {
		var err error
		if join, sel, err = e.analyzeJoin(sel); err != nil {
			return nil, err
		}
	}
	src := e.Catalog.Source(sel.From.Source.Name)
	if join != nil {
		src = join.virtual
	}
	if src == nil {
		return nil, stmtErrAt(sel.From.Source.Pos, "%s does not exist.", sel.From.Source.Name)
	}
	alias := ""
	if sel.From.Alias != nil {
		alias = sel.From.Alias.Name
	}
	l := newInputLayout(src, alias)
	l.transient = transient
	l.join = join
	plan, err := e.planSingle(sel, l, sinkName, table, w, into)
	if err != nil || join == nil {
		return plan, err
	}
	plan.sources, plan.from = nil, nil
	for _, s := range join.sources {
		plan.sources = append(plan.sources, s.src.Topic)
		plan.from = append(plan.from, s.src.Name)
	}
	return plan, nil
}

// planSingle plans a query over one input: a source, or the joined row of a join.
func (e *Engine) planSingle(sel *parser.Select, l *inputLayout, sinkName string, table bool, w withProps, into *Source) (*queryPlan, error) {
	src := l.src
	agg := len(sel.GroupBy) > 0 || sel.Window != nil
	if !agg {
		for _, it := range sel.Items {
			if it.Expr != nil && containsAggregate(e.Funcs, it.Expr) {
				agg = true
			}
		}
	}
	if sel.Emit == parser.EmitFinal && sel.Window == nil {
		return nil, stmtErrAt(sel.Pos, "EMIT FINAL is only supported for windowed aggregations.")
	}
	if agg {
		return e.planAggregate(sel, l, sinkName, table, w, into)
	}
	if sel.Having != nil {
		return nil, stmtErrAt(sel.Having.Position(), "HAVING clause requires a GROUP BY clause")
	}
	if table && !src.Table {
		return nil, stmtErrAt(sel.Pos, "Invalid result type. Your SELECT query produces a STREAM. Please use CREATE STREAM AS SELECT statement instead.")
	}
	if !table && src.Table && into == nil {
		return nil, stmtErrAt(sel.Pos, "Invalid result type. Your SELECT query produces a TABLE. Please use CREATE TABLE AS SELECT statement instead.")
	}
	return e.planStateless(sel, l, sinkName, w, into)
}

// sinkSource builds the catalog entry of a query's sink.
func (e *Engine) sinkSource(name string, table bool, keys, values []types.Column, src *Source, w withProps, window *WindowInfo) (*Source, error) {
	f, err := e.readFormats(w, &formats{Key: src.KeyFormat, Value: src.ValueFormat, Delimiter: src.Delimiter, KeyDelimiter: src.KeyDelimiter})
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 && f.Key != "NONE" {
		if _, ok := w["KEY_FORMAT"]; !ok {
			f.Key = "KAFKA"
		}
	} else if len(keys) > 0 && f.Key == "NONE" {
		// The query gave a keyless source a key: it gets the default key format.
		if _, ok := w["KEY_FORMAT"]; !ok {
			f.Key = "KAFKA"
			if d := strings.ToUpper(e.prop("ksql.persistence.default.format.key")); d != "" {
				f.Key = d
			}
		}
	}
	e.defaultWrapSingle(&f, values)
	if err := checkFormats(f, keys, values, table); err != nil {
		if ee, ok := err.(*Error); ok {
			ee.quote = true
		}
		return nil, err
	}
	topic, ok := w.str("KAFKA_TOPIC")
	if !ok {
		topic = e.prop("ksql.output.topic.name.prefix") + name
	}
	out := &Source{Name: name, Table: table, Topic: topic, KeyFormat: f.Key, ValueFormat: f.Value,
		WrapSingle: f.WrapSingle, Delimiter: f.Delimiter, KeyDelimiter: f.KeyDelimiter, Partitions: src.Partitions, PartitionsKnown: src.PartitionsKnown, Window: window}
	if p, ok := w["PARTITIONS"]; ok {
		if err := e.readSourceOptions(out, withProps{"PARTITIONS": p}); err != nil {
			return nil, err
		}
	}
	for _, k := range keys {
		out.Columns = append(out.Columns, Column{Column: k, Kind: KeyCol})
	}
	for _, v := range values {
		out.Columns = append(out.Columns, Column{Column: v})
	}
	if err := checkTimestampName(w, append(append([]types.Column(nil), keys...), values...)); err != nil {
		return nil, err
	}
	if v, ok := w.str("TIMESTAMP"); ok {
		name := strings.ToUpper(v)
		c := out.Column(name)
		out.TimestampColumn = name
		out.TimestampFormat, _ = w.str("TIMESTAMP_FORMAT")
		if err := checkTimestampColumn(c, out.TimestampFormat); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// checkTimestampName reports a TIMESTAMP property in w that names none of cols.
func checkTimestampName(w withProps, cols []types.Column) error {
	v, ok := w.str("TIMESTAMP")
	if !ok {
		return nil
	}
	name := strings.ToUpper(v)
	for _, c := range cols {
		if c.Name == name {
			return nil
		}
	}
	return stmtErr("The TIMESTAMP column set in the WITH clause does not exist in the schema: '%s'", name)
}

// codecs returns the key and value serdes of a source.
func codecs(s *Source) (key, value format.Codec, err error) {
	key, err = format.New(s.KeyFormat, s.KeyColumns(), format.Options{Key: true, Delimiter: s.KeyDelimiter})
	if err != nil {
		return nil, nil, err
	}
	value, err = format.New(s.ValueFormat, s.ValueColumns(), format.Options{WrapSingle: s.WrapSingle, Delimiter: s.Delimiter})
	return key, value, err
}

// sourceStream reads a source as a stream of key and value rows, with the source's
// timestamp column when it has one. used, when not nil, marks the value columns the query
// reads: the others may decode to NULL (format.Prune).
func (e *Engine) sourceStream(b *dsl.Builder, src *Source, used []bool) (dsl.Stream[[]any, []any], error) {
	kc, vc, err := codecs(src)
	if err != nil {
		return dsl.Stream[[]any, []any]{}, stmtErr("%v", err)
	}
	if used != nil {
		vc = format.Prune(vc, used)
	}
	var opts []dsl.Opt
	if src.TimestampColumn != "" {
		ex, err := e.timestampExtractor(src)
		if err != nil {
			return dsl.Stream[[]any, []any]{}, err
		}
		opts = append(opts, dsl.WithTimestamp(ex))
	}
	return dsl.StreamOf(b, src.Topic, dsl.Consumed(keySerde(kc, src.Window), rowSerde(vc)), opts...), nil
}

// recordHeaders converts runtime headers.
func recordHeaders(hs []runtime.Header) []headerKV {
	if len(hs) == 0 {
		return nil
	}
	out := make([]headerKV, len(hs))
	for i, h := range hs {
		out[i] = headerKV{key: h.Key, value: h.Value}
	}
	return out
}

// PlanSink plans the query of a CREATE STREAM/TABLE AS SELECT statement without running
// it and returns the source it would create.
func (e *Engine) PlanSink(sql string) (*Source, error) {
	stmts, err := parser.Parse(sql, e.vars)
	if err != nil {
		return nil, err
	}
	if len(stmts) != 1 {
		return nil, stmtErr("PlanSink takes one statement, not %d", len(stmts))
	}
	s, ok := stmts[0].(*parser.CreateAsSelect)
	if !ok {
		return nil, stmtErr("PlanSink takes a CREATE ... AS SELECT statement")
	}
	plan, err := e.planSelect(s.Select, s.Name.Name, s.Kind == parser.KindTable, readProps(s.Props), nil, false)
	if err != nil {
		return nil, err
	}
	return plan.sink, nil
}
