package engine_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
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

// TestLiveExistingTopicPartitions: a source declared over an existing topic takes its
// partition count (so a join with a table of another count is refused at once, and a
// CREATE ... AS SELECT sink gets as many partitions), and a PARTITIONS that disagrees with
// the topic is refused, as in ksqlDB.
func TestLiveExistingTopicPartitions(t *testing.T) {
	e, r := newLiveEngine(t)
	cl, err := kgo.NewClient(kgo.SeedBrokers(r.Brokers...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if _, err := kadm.NewClient(cl).CreateTopic(t.Context(), 3, 1, nil, "existing"); err != nil {
		t.Fatal(err)
	}
	exec(t, e, `CREATE STREAM s (k STRING KEY, v INT) WITH (KAFKA_TOPIC='existing', VALUE_FORMAT='JSON');
		CREATE TABLE t (k STRING PRIMARY KEY, w INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=2);`)
	if n := e.Catalog.Source("S").Partitions; n != 3 {
		t.Fatalf("S has %d partitions, want the topic's 3", n)
	}
	for sql, want := range map[string]string{
		"CREATE STREAM s2 (k STRING KEY, v INT) WITH (KAFKA_TOPIC='existing', VALUE_FORMAT='JSON', PARTITIONS=2);": "KSQL expects 2 partitions (topic has 3)",
		"CREATE STREAM j AS SELECT s.k, v, w FROM s JOIN t ON s.k = t.k;":                                          "Can't join `S` with `T` since the number of partitions don't match",
	} {
		if _, err := e.ExecuteScript(sql); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", sql, err, want)
		}
	}
}
