package conformance

import (
	"errors"
	"fmt"
	"regexp"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/runtime/ttd"
	"github.com/ksqlgo/ksqlgo/sql/engine"
	"github.com/ksqlgo/ksqlgo/sql/qtt"
)

// topicRecord is a record in the harness's in-memory topics.
type topicRecord struct {
	key, value []byte
	ts         int64
	headers    []runtime.Header
}

// harness is engine.Runner for one test case: topics in memory, queries kept for the
// processing phase.
type harness struct {
	topics  map[string][]topicRecord
	queries []*engine.Query
}

func (h *harness) StartQuery(q *engine.Query) error {
	for i, old := range h.queries {
		if old.Sink == q.Sink && old.Kind != "INSERTQUERY" && q.Kind != "INSERTQUERY" {
			h.queries[i] = q // CREATE OR REPLACE: in place
			return nil
		}
	}
	h.queries = append(h.queries, q)
	return nil
}

func (h *harness) StopQuery(q *engine.Query) error {
	for i, old := range h.queries {
		if old == q {
			h.queries = append(h.queries[:i], h.queries[i+1:]...)
			break
		}
	}
	return nil
}

func (h *harness) Produce(r engine.Record) error {
	h.topics[r.Topic] = append(h.topics[r.Topic], topicRecord{key: r.Key, value: r.Value, ts: r.Timestamp, headers: r.Headers})
	return nil
}

func (h *harness) CreateTopic(topic string, partitions int) error {
	if _, ok := h.topics[topic]; !ok {
		h.topics[topic] = nil
	}
	return nil
}

// Result is the outcome of one test case.
type Result = qtt.Result

// RunCase runs one expanded test case.
func RunCase(c qtt.Case) Result {
	var post postResult
	res := runGuarded(Result{Case: c.Name, File: c.File, Core: c.Core, Features: c.Features}, c.NonCoreReason,
		func() error { return runCase(c, &post) })
	if res.Passed {
		res.PostChecked = post.checked
		if post.err != nil {
			res.PostFailure = post.err.Error()
		}
	}
	return res
}

// runGuarded completes res, a case's result: a non-core case is skipped with
// nonCoreReason; otherwise run's error, or its panic, fails the case and a nil error
// passes it.
func runGuarded(res Result, nonCoreReason string, run func() error) (out Result) {
	out = res
	if !out.Core {
		out.Skipped = true
		out.Reason = "non-core: " + nonCoreReason
		return out
	}
	defer func() {
		if p := recover(); p != nil {
			out.Passed = false
			out.Reason = fmt.Sprintf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	if err := run(); err != nil {
		out.Reason = err.Error()
		return out
	}
	out.Passed = true
	return out
}

func runCase(c qtt.Case, post *postResult) error {
	h := &harness{topics: map[string][]topicRecord{}}
	e := engine.New(h)
	for k, v := range c.Properties {
		e.Props[k] = v
	}
	for _, t := range c.Topics {
		h.topics[t.Name] = nil
	}
	var stmtErr error
	line := 0
	for i, text := range c.Statements {
		_, err := e.ExecuteScript(strings.Repeat("\n", line) + text)
		line += strings.Count(text, "\n") + 1
		if err != nil {
			stmtErr = err
			if i != len(c.Statements)-1 && c.ExpectedException != nil {
				return fmt.Errorf("statement %d failed (expected the last one to fail): %v", i+1, err)
			}
			break
		}
	}
	if c.ExpectedException != nil {
		if stmtErr == nil {
			// Runtime failures are not in the core subset; the error must come from a
			// statement.
			return fmt.Errorf("expected exception %s %q, but every statement succeeded", c.ExpectedException.Type, c.ExpectedException.Message)
		}
		var ee *engine.Error
		class := "KsqlStatementException"
		msg := stmtErr.Error()
		if errors.As(stmtErr, &ee) {
			class = ee.Class
			msg = ee.Msg
			switch {
			case ee.Class == "ParseFailedException":
				msg = stmtErr.Error()
			case ee.Pos.Line > 0:
				msg = fmt.Sprintf("Line: %d, Col: %d: %s", ee.Pos.Line, ee.Pos.Col, ee.Msg)
			}
		}
		if !c.ExpectedException.Match(class, msg) {
			return fmt.Errorf("wrong error: got %s: %s; want %s: %q", class, msg, c.ExpectedException.Type, c.ExpectedException.Message)
		}
		return nil
	}
	if stmtErr != nil {
		return fmt.Errorf("statement failed: %v", stmtErr)
	}
	if len(h.queries) == 0 {
		return fmt.Errorf("no persistent query was created")
	}
	// Inputs go to their topics in file order.
	encoded := make([]topicRecord, len(c.Inputs))
	for i, in := range c.Inputs {
		r, err := encodeInput(e.Catalog, in)
		if err != nil {
			return fmt.Errorf("input %d: %v", i, err)
		}
		encoded[i] = r
	}
	inputTopics := map[string]bool{}
	for _, in := range c.Inputs {
		inputTopics[in.Topic] = true
	}
	for i, in := range c.Inputs {
		h.topics[in.Topic] = append(h.topics[in.Topic], encoded[i])
	}
	for _, q := range h.queries {
		if err := runQuery(h, q, c.Inputs, encoded, inputTopics); err != nil {
			return fmt.Errorf("%s: %v", q.ID, err)
		}
	}
	if err := verify(c, e.Catalog, h); err != nil {
		return err
	}
	if c.Post != nil && len(c.Post.Sources) > 0 {
		post.checked = true
		post.err = checkPostSources(c, e.Catalog)
	}
	return nil
}

// postResult is the outcome of a passing case's post.sources check.
type postResult struct {
	checked bool
	err     error
}

func runQuery(h *harness, q *engine.Query, inputs []qtt.Record, encoded []topicRecord, inputTopics map[string]bool) error {
	d, err := ttd.New(q.Topology, ttd.AppID("_confluent-ksql-default_query_"+q.ID),
		ttd.RuntimeOpts(runtime.OnProcessingError(runtime.LogAndContinue()), runtime.OnDeserializationError(runtime.LogAndContinue())))
	if err != nil {
		return err
	}
	defer d.Close()
	reads := map[string]bool{}
	for _, t := range q.Sources {
		reads[t] = true
	}
	for i, in := range inputs {
		if !reads[in.Topic] {
			continue
		}
		r := encoded[i]
		if err := d.Pipe(in.Topic, r.key, r.value, r.ts, r.headers...); err != nil {
			return err
		}
	}
	for _, t := range q.Sources {
		if inputTopics[t] {
			continue
		}
		for _, r := range h.topics[t] {
			if err := d.Pipe(t, r.key, r.value, r.ts, r.headers...); err != nil {
				return err
			}
		}
	}
	for _, r := range d.AllOutput(q.SinkTopic) {
		h.topics[q.SinkTopic] = append(h.topics[q.SinkTopic], topicRecord{key: r.Key, value: r.Value, ts: r.Timestamp, headers: r.Headers})
	}
	return nil
}

func verify(c qtt.Case, cat *engine.Catalog, h *harness) error {
	if err := checkBlacklist(c, h); err != nil {
		return err
	}
	order, byTopic := qtt.ByTopic(c.Outputs)
	exact := true
	if v, ok := c.Properties["use.exact.numeric.comparison"]; ok && strings.EqualFold(v, "false") {
		exact = false
	}
	opts := qtt.MatchOpts{NoInputs: len(c.Inputs) == 0, ExactNumeric: exact}
	for _, topic := range order {
		want := byTopic[topic]
		got := h.topics[topic]
		src := sourceForTopic(cat, topic, true)
		var problems []string
		if len(got) != len(want) {
			problems = append(problems, fmt.Sprintf("topic %s: %d records, want %d", topic, len(got), len(want)))
		}
		for i := 0; i < len(want) && i < len(got); i++ {
			act, err := decodeActual(src, got[i])
			if err != nil {
				problems = append(problems, fmt.Sprintf("topic %s record %d: %v", topic, i, err))
				break
			}
			if ok, why := qtt.MatchRecord(want[i], act, opts); !ok {
				problems = append(problems, fmt.Sprintf("topic %s record %d: %s", topic, i, why))
				break
			}
		}
		if len(problems) > 0 {
			return errors.New(strings.Join(problems, "; "))
		}
	}
	return nil
}

// sourceForTopic returns the catalog source bound to a topic: for outputs the sink of a
// query when there is one.
func sourceForTopic(cat *engine.Catalog, topic string, preferSink bool) *engine.Source {
	var found *engine.Source
	for _, s := range cat.Sources() {
		if s.Topic != topic {
			continue
		}
		if found == nil || preferSink && s.Query != "" && found.Query == "" {
			found = s
		}
	}
	return found
}

// checkBlacklist applies post.topics.blacklist (README 1.11): no topic created during the
// test - sink and internal topics of every query, named as ksqlDB names them - may contain
// a match of the regular expression. The only value used, ".*-repartition", says "this
// query must not repartition".
func checkBlacklist(c qtt.Case, h *harness) error {
	if c.Post == nil || c.Post.Topics == nil || c.Post.Topics.Blacklist == "" {
		return nil
	}
	re, err := regexp.Compile(c.Post.Topics.Blacklist)
	if err != nil {
		return fmt.Errorf("post.topics.blacklist: %v", err)
	}
	var created []string
	for t := range h.topics {
		created = append(created, t)
	}
	for _, q := range h.queries {
		for _, t := range q.Topology.InternalTopics() {
			created = append(created, "_confluent-ksql-default_query_"+q.ID+"-"+t)
		}
	}
	sort.Strings(created)
	for _, t := range created {
		if re.MatchString(t) {
			return fmt.Errorf("topic %s was created, but post.topics.blacklist %q forbids it", t, c.Post.Topics.Blacklist)
		}
	}
	return nil
}
