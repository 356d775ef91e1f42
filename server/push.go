package server

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/sql/engine"
)

// errShuttingDown answers a push query that arrives while the server closes.
var errShuttingDown = errors.New("the server is shutting down")

// pushRun is a running push query: its transient query writes to a private topic that
// a client of its own reads.
type pushRun struct {
	id     string // the REST query id (/close-query)
	p      *engine.PushQuery
	sql    string
	s      *Server
	cl     *kgo.Client
	ctx    context.Context // ends on close, client disconnect or server shutdown
	cancel context.CancelFunc
	stopAF func() bool // stops the server-shutdown hook
}

// pushID is the REST query id of a push query, as ksqlDB names scalable push queries.
func pushID(p *engine.PushQuery) string { return "SCALABLE_PUSH_QUERY_" + p.Query.ID }

// pushSchema renders a push query's columns as ksqlDB's header does (no KEY markers).
func pushSchema(p *engine.PushQuery) string {
	parts := make([]string, len(p.Columns))
	for i, c := range p.Columns {
		parts[i] = "`" + c.Name + "` " + c.Type.String()
	}
	return strings.Join(parts, ", ")
}

// startPush starts p's transient query and a client reading its topic; the query runs
// until ctx ends, close is called, /close-query names it or the server closes. The
// caller must call close.
func (s *Server) startPush(ctx context.Context, p *engine.PushQuery, sql string) (*pushRun, error) {
	run := &pushRun{id: pushID(p), p: p, sql: sql, s: s}
	run.ctx, run.cancel = context.WithCancel(ctx)
	s.pushMu.Lock()
	if s.closing.Err() != nil {
		s.pushMu.Unlock()
		run.cancel()
		return nil, errShuttingDown
	}
	s.pushes[run.id] = run
	s.wg.Add(1)
	s.pushMu.Unlock()
	run.stopAF = context.AfterFunc(s.closing, run.cancel)

	runner := s.eng.Runner
	if err := runner.CreateTopic(p.Query.SinkTopic, 1); err != nil {
		run.close()
		return nil, fmt.Errorf("create the topic of push query %s: %w", p.Query.ID, err)
	}
	if err := runner.StartQuery(p.Query); err != nil {
		run.close()
		return nil, fmt.Errorf("start push query %s: %w", p.Query.ID, err)
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(s.brokers...), kgo.ConsumeTopics(p.Query.SinkTopic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		run.close()
		return nil, err
	}
	run.cl = cl
	return run, nil
}

// rows calls emit for every row of the query until its LIMIT (limit true) or until it
// ends (closed, client gone, server closing: nil error), or emit or decoding fails.
func (run *pushRun) rows(emit func(row []any) error) (limit bool, err error) {
	n := 0
	if run.p.Done(n) {
		return true, nil
	}
	for {
		fetches := run.cl.PollFetches(run.ctx)
		if run.ctx.Err() != nil || fetches.IsClientClosed() {
			return false, nil
		}
		var ferr error
		fetches.EachRecord(func(r *kgo.Record) {
			if ferr != nil || run.p.Done(n) {
				return
			}
			row, err := run.p.Decode(r.Value)
			if err != nil {
				ferr = err
				return
			}
			if row == nil {
				return
			}
			if ferr = emit(row); ferr == nil {
				n++
			}
		})
		if ferr != nil {
			return false, ferr
		}
		if run.p.Done(n) {
			return true, nil
		}
	}
}

// close stops the transient query, deletes its topic and forgets it. Idempotent only
// through the caller: call it once.
func (run *pushRun) close() {
	s := run.s
	defer s.wg.Done()
	run.cancel()
	run.stopAF()
	s.pushMu.Lock()
	delete(s.pushes, run.id)
	s.pushMu.Unlock()
	if err := s.eng.Runner.StopQuery(run.p.Query); err != nil {
		s.cfg.log.Error("stop push query", "query_id", run.p.Query.ID, "err", err)
	}
	if run.cl == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := kadm.NewClient(run.cl).DeleteTopics(ctx, run.p.Query.SinkTopic)
	if err == nil {
		err = resp.Error()
	}
	if err != nil {
		s.cfg.log.Warn("delete the topic of a push query", "query_id", run.p.Query.ID, "topic", run.p.Query.SinkTopic, "err", err)
	}
	run.cl.Close()
}

// closePush ends the push query called id (case-insensitive, as TERMINATE names
// queries); false when none runs.
func (s *Server) closePush(id string) bool {
	s.pushMu.Lock()
	run := s.pushes[id]
	for k, r := range s.pushes {
		if run == nil && strings.EqualFold(k, id) {
			run = r
		}
	}
	s.pushMu.Unlock()
	if run == nil {
		return false
	}
	run.cancel()
	return true
}

// pushInfos lists the running push queries as ksqlDB's SHOW QUERIES does.
func (s *Server) pushInfos() []any {
	s.pushMu.Lock()
	defer s.pushMu.Unlock()
	var out []any
	for _, id := range slices.Sorted(maps.Keys(s.pushes)) {
		run := s.pushes[id]
		out = append(out, map[string]any{"queryString": run.sql, "sinks": []string{}, "sinkKafkaTopics": []string{},
			"id": run.id, "statusCount": map[string]int{"RUNNING": 1}, "queryType": "PUSH", "state": "RUNNING"})
	}
	return out
}
