package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/runtime"
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
	return runSQL(ctx, &engine.LiveRunner{Brokers: seeds, Threads: threads}, sqlScript(in, out, round),
		func(m runtime.Metrics) (bool, error) { return m.RecordsProcessed >= int64(n), nil })
}

// runSQL executes script, which must start exactly one persistent query, on runner, waits
// until done says the query is done (polled with its metrics every 5 ms), stops it
// (flush, commit) and returns the time from executing the script to then. It closes runner.
func runSQL(ctx context.Context, runner *engine.LiveRunner, script string, done func(runtime.Metrics) (bool, error)) (time.Duration, error) {
	defer runner.Close()
	e := engine.New(runner)
	start := time.Now()
	if _, err := e.ExecuteScript(script); err != nil {
		return 0, err
	}
	qs := e.Queries()
	if len(qs) != 1 {
		return 0, fmt.Errorf("expected one persistent query, have %d", len(qs))
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
		if ok, err := done(m); err != nil || ok {
			if err != nil {
				return 0, err
			}
			break
		}
		if m.RecordsProcessed != last {
			last, lastAt = m.RecordsProcessed, time.Now()
		} else if time.Since(lastAt) > time.Minute {
			return 0, fmt.Errorf("query %s stuck at %d records: %+v", q.ID, last, m)
		}
	}
	if err := runner.StopQuery(q); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// sqlCount runs the count per key as a SQL persistent query (state on disk in a temporary
// directory, like countPipeline) until its output topic holds n records (one count per
// input record), and returns the time from executing the script to the query's stop. The
// counts are written as KAFKA BIGINTs, the same bytes as the DSL and raw counts.
func sqlCount(ctx context.Context, seeds []string, cl *kgo.Client, round int, in, out string, n, threads int) (time.Duration, error) {
	dir, err := os.MkdirTemp("", "ksqlgo-bench-sql-state-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	script := fmt.Sprintf(`
CREATE STREAM counts_in (k STRING KEY, id STRING, card STRING, amount DOUBLE, merchant STRING, country STRING, ts BIGINT)
  WITH (KAFKA_TOPIC='%s', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');
CREATE TABLE sql_counts_%d WITH (KAFKA_TOPIC='%s', VALUE_FORMAT='KAFKA') AS
  SELECT k, COUNT(*) AS n FROM counts_in GROUP BY k;
`, in, round, out)
	runner := &engine.LiveRunner{Brokers: seeds, Threads: threads, StateDir: dir}
	return runSQL(ctx, runner, script, func(m runtime.Metrics) (bool, error) {
		if m.RecordsProcessed < int64(n) {
			return false, nil
		}
		written, err := countTopic(ctx, cl, out)
		return written >= int64(n), err
	})
}
