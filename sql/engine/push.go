package engine

import (
	"strconv"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/sql/format"
	"github.com/ksqlgo/ksqlgo/sql/parser"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// PushQuery is a transient SELECT ... EMIT CHANGES: a query writing to a private topic
// that the caller reads (and decodes with Decode) until Limit rows or until it stops it.
type PushQuery struct {
	Query   *Query
	Sink    *Source
	Limit   int // 0: no limit
	Columns []types.Column
}

func newBuilder() *dsl.Builder { return dsl.NewBuilder() }

func (e *Engine) pushQuery(s *parser.Query) (*Result, error) {
	if s.Select.Emit != parser.EmitChanges && s.Select.Emit != parser.EmitFinal {
		return nil, stmtErrAt(s.Pos, "Pull queries are not supported yet: add EMIT CHANGES for a push query")
	}
	id := "transient_" + strconv.Itoa(e.counter)
	e.counter++
	sinkName := "TRANSIENT_" + id
	table := len(s.Select.GroupBy) > 0 || s.Select.Window != nil
	if from := s.Select.From; from != nil && from.Source != nil {
		if src := e.Catalog.Source(from.Source.Name); src != nil && src.Table {
			table = true
		}
	}
	plan, err := e.planSelect(s.Select, sinkName, table, withProps{"KAFKA_TOPIC": &parser.Literal{Kind: parser.LitString, Text: "_ksqlgo_" + id}}, nil)
	if err != nil {
		return nil, err
	}
	b := dsl.NewBuilder()
	if err := plan.build(b, id); err != nil {
		return nil, err
	}
	topo, err := b.Build()
	if err != nil {
		return nil, stmtErr("%v", err)
	}
	q := &Query{ID: id, Kind: "PUSH", Sink: sinkName, SinkTopic: plan.sink.Topic, Sources: plan.sources, Topology: topo, SQL: s.SelectText}
	limit := 0
	if s.Select.Limit != nil {
		limit, _ = strconv.Atoi(s.Select.Limit.Text)
	}
	cols := append(plan.sink.KeyColumns(), plan.sink.ValueColumns()...)
	return &Result{Push: &PushQuery{Query: q, Sink: plan.sink, Limit: limit, Columns: cols}}, nil
}

// Decode turns a record of the push query's topic into a row of Columns (key columns
// then value columns); nil for a tombstone.
func (p *PushQuery) Decode(key, value []byte) ([]any, error) {
	kc, vc, err := codecs(p.Sink)
	if err != nil {
		return nil, err
	}
	if value == nil {
		return nil, nil
	}
	var k []any
	if len(p.Sink.KeyColumns()) > 0 && key != nil {
		kb := key
		if p.Sink.Window != nil {
			if p.Sink.Window.Type == "SESSION" {
				kb, _, _, err = format.DecodeSessionWindowed(key)
			} else {
				kb, _, err = format.DecodeTimeWindowed(key)
			}
			if err != nil {
				return nil, err
			}
		}
		if k, err = kc.Decode(kb); err != nil {
			return nil, err
		}
	}
	for len(k) < len(p.Sink.KeyColumns()) {
		k = append(k, nil)
	}
	v, err := vc.Decode(value)
	if err != nil {
		return nil, err
	}
	return append(k, v...), nil
}
