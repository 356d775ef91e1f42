package engine

import (
	"time"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/serde"
	"github.com/ksqlgo/ksqlgo/sql/expr"
	"github.com/ksqlgo/ksqlgo/sql/format"
	"github.com/ksqlgo/ksqlgo/sql/parser"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// The joined row's value is the segments of the sources joined so far, one after the
// other: each source's row as a single-source query sees it (its columns, then ROWTIME,
// ROWPARTITION, ROWOFFSET and, if windowed, WINDOWSTART and WINDOWEND; inputLayout). Its
// key is the join key ([]any{value}, plus the window bounds of windowed sources). The
// virtual source's layout reads exactly this: its key column is the join key and its value
// columns are the segments in order.

// keyFormatSource is the source whose key format the join key is written in: the first
// table (its topic's partitions hold its keys in that format, and a table is never
// repartitioned), else the first source with a key; repartition topics use it so that
// a re-keyed record lands in the partition of the rows it joins.
func (j *joinInfo) keyFormatSource() *Source {
	for _, s := range j.sources {
		if s.src.Table {
			return s.src
		}
	}
	for _, s := range j.sources {
		if s.src.KeyFormat != "NONE" {
			return s.src
		}
	}
	return j.sources[0].src
}

// keySerde is the serde of the join key (keys of join stores and repartition topics).
func (j *joinInfo) keySerde() (serde.Serde[[]any], error) {
	f := j.keyFormatSource()
	kf := f.KeyFormat
	if kf == "NONE" {
		kf = "JSON"
	}
	c, err := format.New(kf, []types.Column{{Name: j.keyCols[0], Type: j.virtual.Columns[0].Type}}, format.Options{Key: true, Delimiter: f.KeyDelimiter})
	if err != nil {
		return nil, stmtErr("%v", err)
	}
	return keySerde(c, f.Window), nil
}

// segmentWidth is the width of source i's segment.
func (j *joinInfo) segmentWidth(i int) int { return newInputLayout(j.sources[i].src, "").width }

// joinedStream builds the joins of a query whose result is a stream: the joined rows,
// keyed by the join key.
func (e *Engine) joinedStream(b *dsl.Builder, j *joinInfo) (dsl.Stream[[]any, []any], error) {
	joinKeySerde, err := j.keySerde()
	if err != nil {
		return dsl.Stream[[]any, []any]{}, err
	}
	acc, err := e.segmentStream(b, j, j.steps[0].left, joinKeySerde)
	if err != nil {
		return acc, err
	}
	width := j.segmentWidth(0)
	for k, st := range j.steps {
		if k > 0 && st.left.repartition {
			if acc, err = e.rekeyJoined(acc, j, st.left, joinKeySerde); err != nil {
				return acc, err
			}
		}
		rw := j.segmentWidth(st.right.src)
		lw := width
		concat := concatSegments(lw, rw)
		right := j.sources[st.right.src]
		if right.src.Table {
			t, err := e.segmentTable(b, j, st.right.src, joinKeySerde)
			if err != nil {
				return acc, err
			}
			if st.kind == parser.JoinLeft {
				acc = dsl.LeftJoinTable(acc, t, func(_ []any, l, r []any, found bool) []any { return concat(l, true, r, found) })
			} else {
				acc = dsl.JoinTable(acc, t, func(_ []any, l, r []any) []any { return concat(l, true, r, true) })
			}
		} else {
			rs, err := e.segmentStream(b, j, st.right, joinKeySerde)
			if err != nil {
				return acc, err
			}
			w := joinWindows(st.within)
			switch st.kind {
			case parser.JoinInner:
				acc = dsl.JoinStreams(acc, rs, func(_ []any, l, r []any) []any { return concat(l, true, r, true) }, w)
			case parser.JoinLeft:
				acc = dsl.LeftJoinStreams(acc, rs, func(_ []any, l, r []any, found bool) []any { return concat(l, true, r, found) }, w)
			case parser.JoinRight:
				acc = dsl.LeftJoinStreams(rs, acc, func(_ []any, r, l []any, found bool) []any { return concat(l, found, r, true) }, mirror(w))
			default:
				acc = dsl.OuterJoinStreams(acc, rs, func(_ []any, l []any, lok bool, r []any, rok bool) []any { return concat(l, lok, r, rok) }, w)
			}
		}
		acc = acc.WithSerdes(joinKeySerde, internalSerde)
		width = lw + rw
	}
	return acc, nil
}

// joinedTable builds the joins of a table-table query: the joined rows as a table keyed
// by the join key (the tables' primary key).
func (e *Engine) joinedTable(b *dsl.Builder, j *joinInfo) (dsl.Table[[]any, []any], error) {
	if j.steps[0].fk {
		return e.fkJoinedTable(b, j)
	}
	joinKeySerde, err := j.keySerde()
	if err != nil {
		return dsl.Table[[]any, []any]{}, err
	}
	acc, err := e.segmentTable(b, j, 0, joinKeySerde)
	if err != nil {
		return acc, err
	}
	width := j.segmentWidth(0)
	for _, st := range j.steps {
		rw := j.segmentWidth(st.right.src)
		lw := width
		concat := concatSegments(lw, rw)
		t, err := e.segmentTable(b, j, st.right.src, joinKeySerde)
		if err != nil {
			return acc, err
		}
		switch st.kind {
		case parser.JoinInner:
			acc = dsl.JoinTables(acc, t, func(_ []any, l, r []any) []any { return concat(l, true, r, true) })
		case parser.JoinLeft:
			acc = dsl.LeftJoinTables(acc, t, func(_ []any, l, r []any, found bool) []any { return concat(l, true, r, found) })
		case parser.JoinRight:
			acc = dsl.LeftJoinTables(t, acc, func(_ []any, r, l []any, found bool) []any { return concat(l, found, r, true) })
		default:
			acc = dsl.OuterJoinTables(acc, t, func(_ []any, l []any, lok bool, r []any, rok bool) []any { return concat(l, lok, r, rok) })
		}
		acc = acc.WithSerdes(joinKeySerde, internalSerde)
		width = lw + rw
	}
	return acc, nil
}

// fkJoinedTable builds a foreign-key table-table join: the left table's rows, keyed by
// their primary key, joined with the right table's row whose key is the left criterion's
// value. Each side keeps its own key format: the foreign key is written in the right
// table's, so that it finds the right table's partition.
func (e *Engine) fkJoinedTable(b *dsl.Builder, j *joinInfo) (dsl.Table[[]any, []any], error) {
	st := j.steps[0]
	keys := func(i int) (serde.Serde[[]any], error) {
		src := j.sources[i].src
		kc, _, err := codecs(src)
		if err != nil {
			return nil, stmtErr("%v", err)
		}
		return keySerde(kc, src.Window), nil
	}
	lk, err := keys(0)
	if err != nil {
		return dsl.Table[[]any, []any]{}, err
	}
	rk, err := keys(st.right.src)
	if err != nil {
		return dsl.Table[[]any, []any]{}, err
	}
	left, err := e.segmentTable(b, j, 0, lk)
	if err != nil {
		return left, err
	}
	right, err := e.segmentTable(b, j, st.right.src, rk)
	if err != nil {
		return left, err
	}
	ll := newInputLayout(j.sources[0].src, j.sources[0].name)
	fk, err := e.compiler().Compile(st.left.expr, ll.scope)
	if err != nil {
		return left, err
	}
	foreignKey := func(_ []any, row []any) ([]any, bool) {
		v, err := fk.Eval(row)
		if err != nil || v == nil {
			return nil, false
		}
		return []any{v}, true
	}
	concat := concatSegments(j.segmentWidth(0), j.segmentWidth(st.right.src))
	var out dsl.Table[[]any, []any]
	if st.kind == parser.JoinLeft {
		out = dsl.LeftFKJoinTables(left, right, foreignKey, func(_ []any, l, r []any, found bool) []any { return concat(l, true, r, found) })
	} else {
		out = dsl.FKJoinTables(left, right, foreignKey, func(_ []any, l, r []any) []any { return concat(l, true, r, true) })
	}
	return out.WithSerdes(lk, internalSerde), nil
}

// concatSegments returns the joiner's row builder: the left segments (lw wide) then the
// right segment (rw wide), a missing side's columns NULL.
func concatSegments(lw, rw int) func(l []any, lok bool, r []any, rok bool) []any {
	return func(l []any, lok bool, r []any, rok bool) []any {
		row := make([]any, lw+rw)
		if lok {
			copy(row, l)
		}
		if rok {
			copy(row[lw:], r)
		}
		return row
	}
}

// joinWindows converts WITHIN to the join's windows. Without GRACE PERIOD ksqlDB keeps
// Kafka Streams' legacy windows: a grace of 24 hours, and unmatched left/outer records
// emitted at once rather than when their window closes.
func joinWindows(w *parser.JoinWindow) dsl.JoinWindows {
	ms := func(d parser.Duration) time.Duration {
		n, _ := durationMillis(d) // checked by the analysis
		return time.Duration(n) * time.Millisecond
	}
	if w.Grace == nil {
		return dsl.JoinWindows{Before: ms(w.Before), After: ms(w.After), Grace: 24 * time.Hour, EmitUnmatchedEagerly: true}
	}
	return dsl.JoinWindows{Before: ms(w.Before), After: ms(w.After), Grace: ms(*w.Grace)}
}

// mirror swaps a window's sides, for a RIGHT join run as a LEFT join of swapped inputs.
func mirror(w dsl.JoinWindows) dsl.JoinWindows {
	w.Before, w.After = w.After, w.Before
	return w
}

// segmentStream reads a stream source of a join as segments keyed by side's expression,
// re-keyed (and so repartitioned by the join) when side must be, or when its key format
// is not the join key's (keys written differently may sit in other partitions).
func (e *Engine) segmentStream(b *dsl.Builder, j *joinInfo, side joinSide, keys serde.Serde[[]any]) (dsl.Stream[[]any, []any], error) {
	js := j.sources[side.src]
	s, err := e.sourceStream(b, js.src, nil)
	if err != nil {
		return s, err
	}
	l := newInputLayout(js.src, js.name)
	key, err := e.compiler().Compile(side.expr, l.scope)
	if err != nil {
		return s, err
	}
	supplier := func() dsl.Processor[[]any, []any, []any, []any] {
		return &segmentProcessor{l: l, key: key.Eval, window: js.src.Window != nil}
	}
	var out dsl.Stream[[]any, []any]
	if side.repartition || js.src.KeyFormat != j.keyFormatSource().KeyFormat {
		out = dsl.Process(s, supplier)
	} else {
		out = dsl.ProcessValues(s, supplier)
	}
	return out.WithSerdes(keys, internalSerde), nil
}

// segmentTable reads table source i of a join as segments keyed by its primary key.
func (e *Engine) segmentTable(b *dsl.Builder, j *joinInfo, i int, keys serde.Serde[[]any]) (dsl.Table[[]any, []any], error) {
	js := j.sources[i]
	kc, vc, err := codecs(js.src)
	if err != nil {
		return dsl.Table[[]any, []any]{}, stmtErr("%v", err)
	}
	l := newInputLayout(js.src, js.name)
	t := dsl.TableOf(b, js.src.Topic, dsl.Consumed(keySerde(kc, js.src.Window), rowSerde(vc)))
	seg := dsl.MapTableValuesWithContext(t, func(rc dsl.RecordContext, key, value []any) []any {
		if value == nil {
			return nil
		}
		return l.fillTable(rc, key, value)
	})
	return seg.WithSerdes(keys, internalSerde), nil
}

// rekeyJoined re-keys the joined rows so far by side's expression (a later join on
// another expression than the current key).
func (e *Engine) rekeyJoined(s dsl.Stream[[]any, []any], j *joinInfo, side joinSide, keys serde.Serde[[]any]) (dsl.Stream[[]any, []any], error) {
	vl := newInputLayout(j.virtual, "")
	ce, err := e.compiler().Compile(flatten(side.expr), vl.scope) // typed in checkKeys already
	if err != nil {
		return s, err
	}
	return dsl.Map(s, func(key, value []any) ([]any, []any) {
		row := make([]any, vl.width)
		copy(row[1:], value) // the virtual row: the join key, then the segments
		v, err := ce.Eval(row)
		if err != nil || v == nil {
			return nil, value
		}
		return []any{v}, value
	}).WithSerdes(keys, internalSerde), nil
}

// segmentProcessor turns a stream record into its segment, keyed by the join expression.
type segmentProcessor struct {
	l      *inputLayout
	key    expr.Eval
	window bool
	ctx    *dsl.ProcessorContext[[]any, []any]
}

func (p *segmentProcessor) Init(ctx *dsl.ProcessorContext[[]any, []any]) error {
	p.ctx = ctx
	return nil
}

func (p *segmentProcessor) Close() error { return nil }

func (p *segmentProcessor) Process(r dsl.Record[[]any, []any]) error {
	if r.Value == nil {
		return nil
	}
	md := p.ctx.Metadata()
	row := p.l.fill(r.Key, r.Value, r.Timestamp, md.Partition, md.Offset, recordHeaders(r.Headers))
	k, err := p.key(row)
	if err != nil || k == nil {
		return err // a record with no join key joins nothing: dropped
	}
	key := []any{k}
	if p.window && len(r.Key) >= 2 {
		key = append(key, r.Key[len(r.Key)-2], r.Key[len(r.Key)-1])
	}
	p.ctx.Forward(dsl.Record[[]any, []any]{Key: key, Value: row, Timestamp: r.Timestamp, Headers: r.Headers})
	return nil
}

// inputStream is the stream a query reads: its source's topic (sourceStream, decoding
// only the used columns when used is set), or the joined rows of a join.
func (e *Engine) inputStream(b *dsl.Builder, l *inputLayout, used []bool) (dsl.Stream[[]any, []any], error) {
	if l.join != nil {
		return e.joinedStream(b, l.join)
	}
	return e.sourceStream(b, l.src, used)
}

// inputTable is the table a query over a table reads: its source's topic, or the joined
// rows of a table-table join.
func (e *Engine) inputTable(b *dsl.Builder, l *inputLayout) (dsl.Table[[]any, []any], error) {
	if l.join != nil {
		return e.joinedTable(b, l.join)
	}
	src := l.src
	kcs, vcs, err := codecs(src)
	if err != nil {
		return dsl.Table[[]any, []any]{}, stmtErr("%v", err)
	}
	return dsl.TableOf(b, src.Topic, dsl.Consumed(keySerde(kcs, src.Window), rowSerde(vcs))), nil
}
