package engine

import (
	"strconv"

	"github.com/ksqlgo/ksqlgo/sql/expr"
	"github.com/ksqlgo/ksqlgo/sql/parser"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// PushQuery is a transient SELECT ... EMIT CHANGES: a query writing to a private topic
// that the caller reads (and decodes with Decode) until Limit rows or until it stops it.
type PushQuery struct {
	Query *Query
	Sink  *Source
	// Limit is the LIMIT clause's row count; -1 when the query has none.
	Limit int
	// Columns are the result columns: the projection in select order, as ksqlDB plans a
	// transient query (no key columns; * includes WINDOWSTART and WINDOWEND of a
	// windowed source).
	Columns []types.Column
}

func (e *Engine) pushQuery(s *parser.Query) (*Result, error) {
	id := "transient_" + strconv.Itoa(e.counter)
	e.counter++
	sinkName := "TRANSIENT_" + id
	table := len(s.Select.GroupBy) > 0 || s.Select.Window != nil || e.readsTables(s.Select.From)
	plan, err := e.planSelect(s.Select, sinkName, table, withProps{"KAFKA_TOPIC": &parser.Literal{Kind: parser.LitString, Text: "_ksqlgo_" + id}}, nil, true)
	if err != nil {
		return nil, err
	}
	topo, err := plan.topology(id)
	if err != nil {
		return nil, err
	}
	q := &Query{ID: id, Kind: "PUSH", Sink: sinkName, SinkTopic: plan.sink.Topic, Sources: plan.sources, From: plan.from, Topology: topo, SQL: s.SelectText,
		FromLatest: e.fromLatest()}
	limit := -1
	if s.Select.Limit != nil {
		if limit, err = strconv.Atoi(s.Select.Limit.Text); err != nil || limit < 0 {
			return nil, stmtErrAt(s.Select.Limit.Pos, "Invalid LIMIT: %s", s.Select.Limit.Text)
		}
	}
	return &Result{Push: &PushQuery{Query: q, Sink: plan.sink, Limit: limit, Columns: plan.sink.ValueColumns()}}, nil
}

// Decode turns a record of the push query's topic into a row of Columns; nil for a
// tombstone.
func (p *PushQuery) Decode(value []byte) ([]any, error) {
	if value == nil {
		return nil, nil
	}
	_, vc, err := codecs(p.Sink)
	if err != nil {
		return nil, err
	}
	return vc.Decode(value)
}

// Done says whether a push query that has produced n rows reached its LIMIT.
func (p *PushQuery) Done(n int) bool { return p.Limit >= 0 && n >= p.Limit }

// withKey adds to a push query's WHERE clause (nil: none) that the record has a key, as
// ksqlDB's scalable push queries skip records whose key is null.
func withKey(where *expr.Compiled, keySlots []int) *expr.Compiled {
	return &expr.Compiled{Type: types.BOOLEAN, Eval: func(row []any) (any, error) {
		null := true
		for _, s := range keySlots {
			null = null && row[s] == nil
		}
		if null {
			return false, nil
		}
		if where == nil {
			return true, nil
		}
		return where.Eval(row)
	}}
}

// readsTables says whether a FROM clause reads only tables (one table, or tables joined):
// its query's result is a table.
func (e *Engine) readsTables(r *parser.Relation) bool {
	if r == nil {
		return false
	}
	if r.Join != nil {
		return e.readsTables(r.Join.Left) && e.readsTables(r.Join.Right)
	}
	src := e.Catalog.Source(r.Source.Name)
	return src != nil && src.Table
}
