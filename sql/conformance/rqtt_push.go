package conformance

import (
	"encoding/json"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/engine"
	"github.com/ksqlgo/ksqlgo/sql/parser"
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
	parts := make([]string, len(p.Columns))
	for i, c := range p.Columns {
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
		if p.Done(n) {
			break
		}
		row, err := p.Decode(rec.Value)
		if err != nil {
			return nil, err
		}
		if row == nil {
			continue
		}
		b, err := engine.RowJSON(p.Columns, row)
		if err != nil {
			return nil, err
		}
		elems = append(elems, json.RawMessage(`{"row":{"columns":`+string(b)+`}}`))
		n++
	}
	if p.Done(n) {
		elems = append(elems, json.RawMessage(`{"finalMessage":"`+engine.FinalLimitReached+`"}`))
	}
	return json.Marshal(elems)
}
