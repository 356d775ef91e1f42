package engine_test

import (
	"log/slog"
	"testing"
	"time"

	"github.com/ksqlgo/ksqlgo/broker"
	"github.com/ksqlgo/ksqlgo/sql/engine"
)

// newLiveEngine returns an engine whose queries run as Apps on a fresh in-memory embedded
// broker.
func newLiveEngine(t *testing.T) (*engine.Engine, *engine.LiveRunner) {
	t.Helper()
	b, err := broker.New(broker.Listen("127.0.0.1:0"), broker.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	r := &engine.LiveRunner{Brokers: []string{b.Addr()}, StateDir: t.TempDir(), Log: slog.New(slog.DiscardHandler)}
	t.Cleanup(func() { _ = r.Close() })
	return engine.New(r), r
}

// TestLivePullQueryReadsWindowStores: on a LiveRunner (a running App on a real broker),
// pull queries on tumbling and session windowed aggregations answer from the committed
// window and session stores of their queries, which hold the windows.
func TestLivePullQueryReadsWindowStores(t *testing.T) {
	e, r := newLiveEngine(t)
	var err error
	exec(t, e, `
		CREATE STREAM s (k STRING KEY, v BIGINT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=2);
		CREATE TABLE win AS SELECT k, COUNT(*) AS n FROM s WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY k;
		CREATE TABLE sess AS SELECT k, SUM(v) AS total FROM s WINDOW SESSION (1 SECOND) GROUP BY k;
		INSERT INTO s (k, v, ROWTIME) VALUES ('a', 5, 1000);
		INSERT INTO s (k, v, ROWTIME) VALUES ('b', 7, 2000);
		INSERT INTO s (k, v, ROWTIME) VALUES ('a', 6, 3000);`)
	for _, tc := range []struct{ sql, want string }{
		{"SELECT * FROM win;", "`K` STRING KEY, `WINDOWSTART` BIGINT KEY, `WINDOWEND` BIGINT KEY, `N` BIGINT\n[\"a\",0,10000,2]\n[\"b\",0,10000,1]"},
		{"SELECT * FROM sess WHERE k = 'a';", "`K` STRING KEY, `WINDOWSTART` BIGINT KEY, `WINDOWEND` BIGINT KEY, `TOTAL` BIGINT\n[\"a\",1000,1000,5]\n[\"a\",3000,3000,6]"},
	} {
		deadline := time.Now().Add(30 * time.Second)
		for got := pull(t, e, tc.sql); got != tc.want; got = pull(t, e, tc.sql) {
			if time.Now().After(deadline) {
				t.Fatalf("%s\ngot:\n%s\nwant:\n%s", tc.sql, got, tc.want)
			}
			time.Sleep(50 * time.Millisecond) // poll while the queries catch up
		}
	}
	for _, q := range e.Queries() {
		if q.Store != "Aggregate-Aggregate-Materialize" || q.Topology.HasStore("KsqlSink-Materialize") {
			t.Errorf("%s: pull queries read store %q", q.Sink, q.Store)
		}
		n := 0
		count := func() bool { n++; return true }
		if q.Sink == "WIN" {
			err = r.StoreWindowAll(q.ID, q.Store, func([]byte, int64, []byte) bool { return count() })
		} else {
			err = r.StoreSessionAll(q.ID, q.Store, func([]byte, int64, int64, []byte) bool { return count() })
		}
		if err != nil || n != map[string]int{"WIN": 2, "SESS": 3}[q.Sink] {
			t.Errorf("%s: %d store entries, %v", q.Sink, n, err)
		}
	}
}
