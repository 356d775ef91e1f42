package conformance

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/engine"
	"github.com/ksqlgo/ksqlgo/sql/parser"
	"github.com/ksqlgo/ksqlgo/sql/qtt"
)

// RunRFiles runs every case of the given RQTT files; filter, when set, selects cases by
// name.
func RunRFiles(files []*qtt.RFile, filter func(name string) bool) []Result {
	var out []Result
	for _, f := range files {
		for _, c := range qtt.ExpandR(f) {
			if filter != nil && !filter(c.Name) {
				continue
			}
			out = append(out, RunRCase(c))
		}
	}
	return out
}

// RunRCase runs one RQTT case on the test driver (README 2.2): the admin statements,
// then the inputs, then each query, and compares the responses and outputs.
func RunRCase(c qtt.RCase) Result {
	return runGuarded(Result{Case: c.Name, File: c.File, Core: c.Core}, c.NonCoreReason, func() error { return runRCase(c) })
}

// rqttRun is the state of one RQTT case.
type rqttRun struct {
	c         qtt.RCase
	r         *engine.DriverRunner
	e         *engine.Engine
	responses []json.RawMessage
	produced  bool
}

func runRCase(c qtt.RCase) error {
	r := engine.NewDriverRunner()
	defer r.Close()
	e := engine.New(r)
	for k, v := range c.Properties {
		e.Props[k] = v
	}
	run := &rqttRun{c: c, r: r, e: e}
	failed, err := run.statements()
	if err != nil {
		return err
	}
	if c.ExpectedError != nil {
		if !failed {
			return fmt.Errorf("expected error %q, but every statement succeeded", c.ExpectedError.Message)
		}
		return nil
	}
	if err := run.produceInputs(); err != nil {
		return err
	}
	if err := run.verifyOutputs(); err != nil {
		return err
	}
	if why := qtt.MatchResponses(c.Responses, run.responses, c.VerifyOrder); why != "" {
		return errors.New(why)
	}
	return nil
}

// statements runs the admin statements, produces the inputs (unless a push query waits
// for them) and runs the queries. failed reports that a statement failed as the case
// expects; err is any other failure.
func (run *rqttRun) statements() (failed bool, err error) {
	c := run.c
	for i, text := range c.Statements {
		if i == c.NumAdmin && !c.WaitForPush {
			if err := run.produceInputs(); err != nil {
				return false, err
			}
		}
		resp, err := run.statement(text)
		if err != nil {
			if c.ExpectedError == nil {
				return false, fmt.Errorf("statement %d (%s) failed: %v", i+1, text, err)
			}
			if i != len(c.Statements)-1 {
				return false, fmt.Errorf("statement %d failed (expected the last one to fail): %v", i+1, err)
			}
			msg := engine.RESTMessage(err, text)
			if !strings.Contains(msg, c.ExpectedError.Message) {
				return false, fmt.Errorf("wrong error: got %q; want %q", msg, c.ExpectedError.Message)
			}
			return true, nil
		}
		run.responses = append(run.responses, resp)
	}
	return false, nil
}

// statement runs one statement and returns its REST response.
func (run *rqttRun) statement(text string) (json.RawMessage, error) {
	raws, err := parser.Split(text)
	if err != nil {
		return nil, err
	}
	if len(raws) != 1 {
		return nil, fmt.Errorf("%d statements in one element", len(raws))
	}
	res, err := run.e.ExecuteRaw(raws[0])
	if err != nil {
		return nil, err
	}
	switch {
	case res.Pull != nil:
		return pullResponse(res.Pull)
	case res.Push != nil:
		return run.push(res.Push, raws[0])
	}
	return json.Marshal(map[string]any{
		"@type":         "currentStatus",
		"statementText": text,
		"commandStatus": map[string]any{"status": "SUCCESS", "message": res.Message},
	})
}

// pullResponse renders a pull query's answer as ksqlDB's REST query response.
func pullResponse(p *engine.PullResult) (json.RawMessage, error) {
	var b strings.Builder
	header, err := json.Marshal(map[string]any{"header": map[string]any{"queryId": p.QueryID, "schema": p.Schema()}})
	if err != nil {
		return nil, err
	}
	b.WriteByte('[')
	b.Write(header)
	for i := range p.Rows {
		row, err := p.RowJSON(i)
		if err != nil {
			return nil, err
		}
		b.WriteString(`,{"row":{"columns":`)
		b.Write(row)
		b.WriteString(`}}`)
	}
	if p.Final != "" {
		fm, _ := json.Marshal(map[string]string{"finalMessage": p.Final})
		b.WriteByte(',')
		b.Write(fm)
	}
	b.WriteByte(']')
	return json.RawMessage(b.String()), nil
}

// produceInputs writes the case's inputs, once.
func (run *rqttRun) produceInputs() error {
	if run.produced {
		return nil
	}
	run.produced = true
	for i, in := range run.c.Inputs {
		rec, err := encodeInput(run.e.Catalog, in)
		if err != nil {
			return fmt.Errorf("input %d: %v", i, err)
		}
		if err := run.r.Pipe(in.Topic, rec.key, rec.value, rec.ts, rec.headers...); err != nil {
			return fmt.Errorf("input %d: %v", i, err)
		}
	}
	return nil
}

// verifyOutputs checks the expected records of every topic named in outputs.
func (run *rqttRun) verifyOutputs() error {
	order, byTopic := qtt.ByTopic(run.c.Outputs)
	opts := qtt.MatchOpts{NoInputs: len(run.c.Inputs) == 0, ExactNumeric: true}
	for _, topic := range order {
		want := byTopic[topic]
		got := run.r.Output(topic)
		if len(got) != len(want) {
			return fmt.Errorf("topic %s: %d records, want %d", topic, len(got), len(want))
		}
		src := sourceForTopic(run.e.Catalog, topic, true)
		for i := range want {
			act, err := decodeActual(src, topicRecord{key: got[i].Key, value: got[i].Value, ts: got[i].Timestamp, headers: got[i].Headers})
			if err != nil {
				return fmt.Errorf("topic %s record %d: %v", topic, i, err)
			}
			if ok, why := qtt.MatchRecord(want[i], act, opts); !ok {
				return fmt.Errorf("topic %s record %d: %s", topic, i, why)
			}
		}
	}
	return nil
}
