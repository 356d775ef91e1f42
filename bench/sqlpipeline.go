package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ksqlgo/ksqlgo/sql/engine"
)

// sqlScript is the stateless pipeline of the benchmark in SQL: the same filter and
// projection as dslTopology, as a persistent query. The sink's name makes the query id and
// so the consumer group: each round needs its own.
func sqlScript(in, out string, round int) string {
	return fmt.Sprintf(`
CREATE STREAM payments (card_key STRING KEY, id STRING, card STRING, amount DOUBLE, merchant STRING, country STRING, ts BIGINT)
  WITH (KAFKA_TOPIC='%s', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');
CREATE STREAM alerts_%d WITH (KAFKA_TOPIC='%s', VALUE_FORMAT='JSON') AS
  SELECT card_key, id AS "id", card AS "card", amount AS "amount" FROM payments WHERE amount > %v EMIT CHANGES;
`, in, round, out, threshold)
}

// sqlPipeline runs sqlScript through the SQL engine on the broker until n input records
// are processed and the output is committed, and returns the time from executing the
// script to then (parsing and planning included).
func sqlPipeline(ctx context.Context, seeds []string, round int, in, out string, n, threads int) (time.Duration, error) {
	runner := &engine.LiveRunner{Brokers: seeds, Threads: threads}
	defer runner.Close()
	e := engine.New(runner)
	start := time.Now()
	if _, err := e.ExecuteScript(sqlScript(in, out, round)); err != nil {
		return 0, err
	}
	qs := e.Queries()
	if len(qs) != 1 || !strings.HasPrefix(qs[0].ID, "CSAS_") {
		return 0, fmt.Errorf("expected one CSAS query, have %d", len(qs))
	}
	q := qs[0]
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	// A query that makes no progress for a minute has failed (its error is logged).
	var last int64
	lastAt := time.Now()
	for {
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-tick.C:
		}
		m, ok := runner.Metrics(q.ID)
		if !ok {
			return 0, fmt.Errorf("query %s stopped early", q.ID)
		}
		if m.RecordsProcessed >= int64(n) {
			break
		}
		if m.RecordsProcessed != last {
			last, lastAt = m.RecordsProcessed, time.Now()
		} else if time.Since(lastAt) > time.Minute {
			return 0, fmt.Errorf("query %s stuck at %d of %d records: %+v", q.ID, last, n, m)
		}
	}
	if err := runner.StopQuery(q); err != nil { // graceful: flush, commit
		return 0, err
	}
	return time.Since(start), nil
}
