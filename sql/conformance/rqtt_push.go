package conformance

import (
	"encoding/json"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/engine"
	"github.com/ksqlgo/ksqlgo/sql/format"
	"github.com/ksqlgo/ksqlgo/sql/parser"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// push runs a push query on the driver until it has read what its sources hold: the
// inputs when the case waits for the push query, else the records already there when
// auto.offset.reset is earliest. Its rows, up to its LIMIT, form the response; the
// header's queryId is named as ksqlDB names scalable push queries.
func (run *rqttRun) push(p *engine.PushQuery, _ parser.RawStatement) (json.RawMessage, error) {
	if err := run.r.StartQuery(p.Query); err != nil {
		return nil, err
	}
	defer run.r.StopQuery(p.Query)
	if run.c.WaitForPush {
		if err := run.produceInputs(); err != nil {
			return nil, err
		}
	} else if v, _ := run.c.Properties.Get("auto.offset.reset"); strings.EqualFold(v, "earliest") {
		if err := run.r.Replay(p.Query); err != nil {
			return nil, err
		}
	}
	// A windowed sink's rows carry the window bounds after the key columns.
	nkeys := len(p.Sink.KeyColumns())
	cols := append([]types.Column(nil), p.Columns[:nkeys]...)
	if p.Sink.Window != nil {
		cols = append(cols, types.Column{Name: "WINDOWSTART", Type: types.BIGINT}, types.Column{Name: "WINDOWEND", Type: types.BIGINT})
	}
	cols = append(cols, p.Columns[nkeys:]...)
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = "`" + c.Name + "` " + c.Type.String()
	}
	header, err := json.Marshal(map[string]any{"header": map[string]any{
		"queryId": "SCALABLE_PUSH_QUERY_" + p.Query.ID, "schema": strings.Join(parts, ", ")}})
	if err != nil {
		return nil, err
	}
	elems := []json.RawMessage{header}
	n := 0
	for _, rec := range run.r.Output(p.Query.SinkTopic) {
		if p.Limit > 0 && n >= p.Limit {
			break
		}
		row, err := p.Decode(rec.Key, rec.Value)
		if err != nil {
			return nil, err
		}
		if row == nil {
			continue
		}
		if p.Sink.Window != nil {
			start, end, err := windowBounds(p.Sink.Window, rec.Key)
			if err != nil {
				return nil, err
			}
			row = append(append(append([]any(nil), row[:nkeys]...), start, end), row[nkeys:]...)
		}
		b, err := engine.RowJSON(cols, row)
		if err != nil {
			return nil, err
		}
		elems = append(elems, json.RawMessage(`{"row":{"columns":`+string(b)+`}}`))
		n++
	}
	if p.Limit > 0 && n >= p.Limit {
		elems = append(elems, json.RawMessage(`{"finalMessage":"`+engine.FinalLimitReached+`"}`))
	}
	return json.Marshal(elems)
}

// windowBounds reads the window of a windowed key.
func windowBounds(w *engine.WindowInfo, key []byte) (start, end int64, err error) {
	if w.Type == "SESSION" {
		_, start, end, err = format.DecodeSessionWindowed(key)
		return start, end, err
	}
	_, start, err = format.DecodeTimeWindowed(key)
	return start, start + w.Size, err
}
