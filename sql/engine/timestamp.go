package engine

import (
	"fmt"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/sql/functions"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// timestampExtractor returns the function reading a record's timestamp from the source's
// TIMESTAMP column (BIGINT, TIMESTAMP, or STRING with TIMESTAMP_FORMAT).
func (e *Engine) timestampExtractor(src *Source) (func(key, value []any) (int64, error), error) {
	col := src.Column(src.TimestampColumn)
	idx := valueIndex(src, col.Name)
	inKey := false
	if col.Kind == KeyCol {
		idx, inKey = keyIndex(src, col.Name), true
	}
	var parse functions.Impl
	if col.Type.Kind == types.KString {
		fn := e.Funcs.Scalar("STRINGTOTIMESTAMP")
		if fn == nil {
			return nil, stmtErr("STRINGTOTIMESTAMP is not available")
		}
		_, impl, err := fn.Bind([]functions.Arg{{Type: types.STRING}, {Type: types.STRING, Const: true, Value: src.TimestampFormat}}, e.config())
		if err != nil {
			return nil, stmtErr("%v", err)
		}
		parse = impl
	}
	return func(key, value []any) (int64, error) {
		row := value
		if inKey {
			row = key
		}
		if idx < 0 || idx >= len(row) {
			return 0, fmt.Errorf("no timestamp column")
		}
		v := row[idx]
		if parse != nil && v != nil {
			x, err := parse([]any{v, src.TimestampFormat})
			if err != nil {
				return 0, err
			}
			v = x
		}
		if t, ok := timestampOf(v); ok {
			return t, nil
		}
		return 0, fmt.Errorf("invalid timestamp %v in column %s", v, col.Name)
	}, nil
}

// sinkTimestamps returns s with each record's timestamp set from the sink's TIMESTAMP
// column (read from the record's key or value row, parsed with TIMESTAMP_FORMAT), as
// ksqlDB's sink does: a record whose timestamp is null, cannot be parsed or is negative
// is logged and dropped. s is returned unchanged for a sink without a TIMESTAMP column.
func (e *Engine) sinkTimestamps(s dsl.Stream[[]any, []any], sink *Source) (dsl.Stream[[]any, []any], error) {
	if sink.TimestampColumn == "" {
		return s, nil
	}
	extract, err := e.timestampExtractor(sink)
	if err != nil {
		return s, err
	}
	return dsl.Process(s, func() dsl.Processor[[]any, []any, []any, []any] {
		return &sinkTimestamper{extract: extract, engine: e, sink: sink.Name}
	}), nil
}

// sinkTimestamper is the processor of sinkTimestamps.
type sinkTimestamper struct {
	extract func(key, value []any) (int64, error)
	engine  *Engine
	sink    string
	ctx     *dsl.ProcessorContext[[]any, []any]
}

func (p *sinkTimestamper) Init(ctx *dsl.ProcessorContext[[]any, []any]) error {
	p.ctx = ctx
	return nil
}

func (p *sinkTimestamper) Close() error { return nil }

func (p *sinkTimestamper) Process(r dsl.Record[[]any, []any]) error {
	ts, err := p.extract(r.Key, r.Value)
	if err == nil && ts < 0 {
		err = fmt.Errorf("negative timestamp %d", ts)
	}
	if err != nil {
		p.engine.logf("sink %s: record dropped: invalid timestamp: %v", p.sink, err)
		return nil
	}
	r.Timestamp = ts
	p.ctx.Forward(r)
	return nil
}
