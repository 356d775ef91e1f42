package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// TestLiveExactlyOnce: with SET 'processing.guarantee'='exactly_once_v2' a persistent
// query runs exactly-once: its output is written in transactions (the topic holds their
// commit markers) and reads back complete.
func TestLiveExactlyOnce(t *testing.T) {
	e, r := newLiveEngine(t)
	exec(t, e, `
		CREATE STREAM clicks (user_id STRING KEY, page STRING) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON', PARTITIONS=1);
		SET 'processing.guarantee'='exactly_once_v2';
		CREATE TABLE views AS SELECT user_id, COUNT(*) AS n FROM clicks GROUP BY user_id;
		INSERT INTO clicks (user_id, page) VALUES ('u1', '/a');
		INSERT INTO clicks (user_id, page) VALUES ('u1', '/b');
		INSERT INTO clicks (user_id, page) VALUES ('u2', '/a');`)
	waitTable(t, r, "VIEWS", `u1={"N":2}`, `u2={"N":1}`)
	if q := e.Queries(); len(q) != 1 || !q[0].ExactlyOnce {
		t.Fatalf("the query does not run exactly-once: %+v", q)
	}
	// The output topic holds transaction markers (control records).
	cl, err := kgo.NewClient(kgo.SeedBrokers(r.Brokers...), kgo.ConsumeTopics("VIEWS"),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.KeepControlRecords())
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for markers := 0; markers == 0; {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatal("no transaction marker in the output topic")
		}
		fs.EachRecord(func(r *kgo.Record) {
			if r.Attrs.IsControl() {
				markers++
			}
		})
	}
}

// TestLiveFromLatest: with SET 'auto.offset.reset'='latest' a new persistent query reads
// only records produced after it started (ksqlDB's default; ksqlgo's is earliest).
func TestLiveFromLatest(t *testing.T) {
	e, r := newLiveEngine(t)
	exec(t, e, `
		CREATE STREAM s (k STRING KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
		INSERT INTO s (k, v) VALUES ('old', 1);
		SET 'auto.offset.reset'='latest';
		CREATE STREAM copy AS SELECT * FROM s;`)
	if q := e.Queries(); len(q) != 1 || !q[0].FromLatest {
		t.Fatalf("the query does not start from the end: %+v", q)
	}
	// The query may take a moment to start: insert until a record gets through.
	deadline := time.Now().Add(30 * time.Second)
	for i := 0; ; i++ {
		exec(t, e, `INSERT INTO s (k, v) VALUES ('new', 2);`)
		recs, err := r.ReadTopic("COPY")
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) > 0 {
			for _, rec := range recs {
				if string(rec.Key) == "old" {
					t.Fatalf("the query read a record produced before it started: %s", rec.Value)
				}
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the query never wrote a record")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
