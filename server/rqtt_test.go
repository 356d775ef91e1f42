package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/broker"
	"github.com/ksqlgo/ksqlgo/sql/conformance"
	"github.com/ksqlgo/ksqlgo/sql/engine"
	"github.com/ksqlgo/ksqlgo/sql/qtt"
)

var (
	updateRQTT = flag.Bool("update-rqtt-http-known-failures", false, "rewrite testdata/rqtt-http-known-failures.txt with the current failures")
	rqttRunRE  = flag.String("rqtt.run", "", "only run RQTT cases whose name matches this regexp")
)

const (
	rqttDir       = "../../shared/conformance/rqtt"
	rqttKnownFile = "testdata/rqtt-http-known-failures.txt"
)

// TestRQTTOverHTTP runs the core cases of the shared RQTT files through the REST API, as
// ksqlDB's RestTestExecutor does (conformance README 2.2): each case gets a fresh
// embedded broker and server; its admin statements go to /ksql in one request, its
// inputs are produced to the broker, and once the persistent queries have caught up each
// query goes to /query; the responses are matched with qtt.MatchResponses. A core case
// failing that is not in testdata/rqtt-http-known-failures.txt fails the test, and so
// does a known failure that now passes. -short skips it.
func TestRQTTOverHTTP(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the RQTT cases run on a live broker")
	}
	if _, err := os.Stat(rqttDir); err != nil {
		t.Skipf("no RQTT files at %s", rqttDir)
	}
	files, err := qtt.LoadRDir(rqttDir)
	if err != nil {
		t.Fatal(err)
	}
	var filter *regexp.Regexp
	if *rqttRunRE != "" {
		filter = regexp.MustCompile(*rqttRunRE)
	}
	var results []qtt.Result
	for _, f := range files {
		for _, c := range qtt.ExpandR(f) {
			if filter != nil && !filter.MatchString(c.Name) {
				continue
			}
			res := qtt.Result{Case: c.Name, File: c.File, Core: c.Core}
			if !c.Core {
				res.Skipped, res.Reason = true, "non-core: "+c.NonCoreReason
			} else if err := runRCaseHTTP(t, c); err != nil {
				res.Reason = err.Error()
			} else {
				res.Passed = true
			}
			results = append(results, res)
		}
	}
	sum := qtt.Summarize(results)
	t.Logf("RQTT core over HTTP: %d passed, %d failed, %d skipped", sum.Core.Passed, sum.Core.Failed, sum.Skipped)
	checkKnownFailures(t, results, filter != nil)
}

// rcaseRun is one RQTT case on its own broker and server.
type rcaseRun struct {
	c        qtt.RCase
	s        *Server
	url      string
	brokers  []string
	cl       *kgo.Client
	produced bool
}

// caseTimeout bounds the waits of one case.
const caseTimeout = 30 * time.Second

func runRCaseHTTP(t *testing.T, c qtt.RCase) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	b, err := broker.New(broker.Listen("127.0.0.1:0"), broker.InMemory())
	if err != nil {
		return err
	}
	defer b.Close()
	r := &engine.LiveRunner{Brokers: []string{b.Addr()}, StateDir: t.TempDir(), Log: slog.New(slog.DiscardHandler)}
	defer r.Close()
	e := engine.New(r)
	e.Now = func() int64 { return time.Now().UnixMilli() }
	s, err := New(e, r.Brokers)
	if err != nil {
		return err
	}
	defer s.Close()
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addr()), kgo.AllowAutoTopicCreation())
	if err != nil {
		return err
	}
	defer cl.Close()
	run := &rcaseRun{c: c, s: s, url: hs.URL, brokers: r.Brokers, cl: cl}
	return run.run()
}

func (run *rcaseRun) run() error {
	c := run.c
	ctx, cancel := context.WithTimeout(context.Background(), caseTimeout)
	defer cancel()
	for _, tp := range c.Topics {
		parts := int32(1)
		if tp.Partitions > 0 {
			parts = int32(tp.Partitions)
		}
		if _, err := kadm.NewClient(run.cl).CreateTopic(ctx, parts, 1, nil, tp.Name); err != nil {
			return fmt.Errorf("create topic %s: %v", tp.Name, err)
		}
	}
	var responses []json.RawMessage
	admin := c.Statements[:c.NumAdmin]
	if len(admin) > 0 {
		code, body, err := run.post(ctx, "/ksql", strings.Join(admin, "\n"))
		if err != nil {
			return err
		}
		if code != http.StatusOK {
			return run.checkError(code, body, len(admin) == len(c.Statements))
		}
		var ents []json.RawMessage
		if err := json.Unmarshal(body, &ents); err != nil {
			return fmt.Errorf("/ksql: %v in %s", err, body)
		}
		responses = append(responses, ents...)
	}
	if !c.WaitForPush {
		if err := run.produceInputs(ctx); err != nil {
			return err
		}
	}
	if len(c.Statements) > c.NumAdmin {
		if err := run.waitCaughtUp(ctx); err != nil {
			return err
		}
	}
	for i, q := range c.Statements[c.NumAdmin:] {
		last := c.NumAdmin+i == len(c.Statements)-1
		code, body, err := run.query(ctx, q)
		if err != nil {
			return err
		}
		if code != http.StatusOK {
			return run.checkError(code, body, last)
		}
		responses = append(responses, body)
	}
	if c.ExpectedError != nil {
		return fmt.Errorf("expected error %q, but every statement succeeded", c.ExpectedError.Message)
	}
	if err := run.verifyOutputs(ctx); err != nil {
		return err
	}
	if why := qtt.MatchResponses(c.Responses, responses, c.VerifyOrder); why != "" {
		return errors.New(why)
	}
	return nil
}

// checkError matches a failed request with the case's expected error.
func (run *rcaseRun) checkError(code int, body []byte, last bool) error {
	exp := run.c.ExpectedError
	if exp == nil {
		return fmt.Errorf("request failed: %d %s", code, body)
	}
	if !last {
		return fmt.Errorf("a statement before the last failed: %d %s", code, body)
	}
	var e struct {
		Type          string `json:"@type"`
		Message       string `json:"message"`
		StatementText string `json:"statementText"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		return fmt.Errorf("error body %s: %v", body, err)
	}
	if exp.Status != 0 && code != exp.Status {
		return fmt.Errorf("status %d, want %d: %s", code, exp.Status, body)
	}
	if !strings.Contains(e.Message, exp.Message) {
		return fmt.Errorf("wrong error: got %q; want %q", e.Message, exp.Message)
	}
	if strings.HasSuffix(exp.Type, "KsqlStatementErrorMessage") && e.StatementText == "" {
		return fmt.Errorf("error %s does not quote the statement", body)
	}
	return nil
}

func (run *rcaseRun) post(ctx context.Context, path, ksql string) (int, []byte, error) {
	props := map[string]any{}
	for k, v := range run.c.Properties {
		props[k] = v
	}
	js, err := json.Marshal(map[string]any{"ksql": ksql, "streamsProperties": props})
	if err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, run.url+path, bytes.NewReader(js))
	if err != nil {
		return 0, nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// query sends one query to /query; with waitForActivePushQuery, the inputs are produced
// once the header has arrived.
func (run *rcaseRun) query(ctx context.Context, q string) (int, []byte, error) {
	if !run.c.WaitForPush || run.produced {
		return run.post(ctx, "/query", q)
	}
	props := map[string]any{}
	for k, v := range run.c.Properties {
		props[k] = v
	}
	js, _ := json.Marshal(map[string]any{"ksql": q, "streamsProperties": props})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, run.url+"/query", bytes.NewReader(js))
	if err != nil {
		return 0, nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, err := io.ReadAll(resp.Body)
		return resp.StatusCode, body, err
	}
	d := json.NewDecoder(resp.Body)
	if tok, err := d.Token(); err != nil || tok != json.Delim('[') {
		return 0, nil, fmt.Errorf("push response does not start an array: %v %v", tok, err)
	}
	var elems []json.RawMessage
	for d.More() {
		var el json.RawMessage
		if err := d.Decode(&el); err != nil {
			return 0, nil, fmt.Errorf("push response: %v", err)
		}
		elems = append(elems, el)
		if len(elems) == 1 {
			if err := run.produceInputs(ctx); err != nil {
				return 0, nil, err
			}
		}
	}
	out, err := json.Marshal(elems)
	return http.StatusOK, out, err
}

// produceInputs produces the case's inputs once, encoded by the formats of their
// sources; the producer picks partitions from the keys.
func (run *rcaseRun) produceInputs(ctx context.Context) error {
	if run.produced {
		return nil
	}
	run.produced = true
	var recs []*kgo.Record
	run.s.mu.Lock()
	for i, in := range run.c.Inputs {
		key, value, ts, headers, err := conformance.EncodeInput(run.s.eng.Catalog, in)
		if err != nil {
			run.s.mu.Unlock()
			return fmt.Errorf("input %d: %v", i, err)
		}
		kr := &kgo.Record{Topic: in.Topic, Key: key, Value: value, Timestamp: time.UnixMilli(ts)}
		for _, h := range headers {
			kr.Headers = append(kr.Headers, kgo.RecordHeader{Key: h.Key, Value: h.Value})
		}
		recs = append(recs, kr)
	}
	run.s.mu.Unlock()
	for i, kr := range recs { // one by one: order per topic as in the file
		if err := run.cl.ProduceSync(ctx, kr).FirstErr(); err != nil {
			return fmt.Errorf("produce input %d: %v", i, err)
		}
	}
	return nil
}

// waitCaughtUp waits until every persistent query's consumer group is stable with no
// lag, then lets a commit interval pass.
func (run *rcaseRun) waitCaughtUp(ctx context.Context) error {
	run.s.mu.Lock()
	var groups []string
	for _, q := range run.s.eng.Queries() {
		groups = append(groups, "_confluent-ksql-default_query_"+q.ID)
	}
	run.s.mu.Unlock()
	if len(groups) == 0 {
		return nil
	}
	adm := kadm.NewClient(run.cl)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		lags, err := adm.Lag(ctx, groups...)
		if err == nil && caughtUp(lags, groups) {
			time.Sleep(200 * time.Millisecond) // a commit interval, as ksqlDB's executor waits
			return nil
		}
		time.Sleep(50 * time.Millisecond) // polling the groups' progress
	}
	return nil // run the queries anyway: a lagging query shows in the responses
}

func caughtUp(lags kadm.DescribedGroupLags, groups []string) bool {
	for _, g := range groups {
		l, ok := lags[g]
		if !ok || l.Error() != nil || l.State != "Stable" || len(l.Members) == 0 || l.Lag.Total() != 0 {
			return false
		}
	}
	return true
}

// verifyOutputs checks the expected records of every topic named in outputs.
func (run *rcaseRun) verifyOutputs(ctx context.Context) error {
	order, byTopic := qtt.ByTopic(run.c.Outputs)
	opts := qtt.MatchOpts{NoInputs: len(run.c.Inputs) == 0, ExactNumeric: true}
	for _, topic := range order {
		want := byTopic[topic]
		recs, err := run.s.eng.Runner.(*engine.LiveRunner).ReadTopic(topic)
		if err != nil {
			return err
		}
		if len(recs) != len(want) {
			return fmt.Errorf("topic %s: %d records, want %d", topic, len(recs), len(want))
		}
		for i := range want {
			run.s.mu.Lock()
			act, err := conformance.DecodeOutput(run.s.eng.Catalog, topic, recs[i].Key, recs[i].Value, recs[i].Timestamp, recs[i].Headers)
			run.s.mu.Unlock()
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

// checkKnownFailures fails the test for a core case failing that is not a known failure,
// and for a known failure that passes; -update-rqtt-http-known-failures rewrites the list.
func checkKnownFailures(t *testing.T, results []qtt.Result, filtered bool) {
	t.Helper()
	qtt.CheckKnownFailures(t, results, rqttKnownFile, *updateRQTT && !filtered, filtered,
		"go test ./server -run TestRQTTOverHTTP -update-rqtt-http-known-failures")
}
