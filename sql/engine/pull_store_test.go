package engine_test

import (
	"testing"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/sql/engine"
)

// TestPullQueryReadsStore: a pull query on a CREATE TABLE AS SELECT table answers from its
// query's state store, not from the table's topic: records written straight into the
// topic (which the store never saw) do not show, whether the query looks keys up or
// scans, for aggregates (keyed by BIGINT and by several columns, with HAVING), windowed
// aggregates (tumbling, hopping with HAVING, session) and stateless tables. An
// aggregation answers from its aggregation store (key-value, window or session store),
// without a second store materializing its sink; an EMIT FINAL one from the store of the
// windows it emitted.
func TestPullQueryReadsStore(t *testing.T) {
	e, r := newEngine(t)
	exec(t, e, `
		CREATE STREAM s (k STRING KEY, id BIGINT, v BIGINT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');
		CREATE TABLE byk AS SELECT k, SUM(v) AS total FROM s GROUP BY k;
		CREATE TABLE byid AS SELECT id, COUNT(*) AS n FROM s GROUP BY id;
		CREATE TABLE both WITH (KEY_FORMAT='JSON') AS SELECT id, k, COUNT(*) AS n FROM s GROUP BY id, k;
		CREATE TABLE win AS SELECT k, COUNT(*) AS n FROM s WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY k;
		CREATE TABLE hop AS SELECT k, COUNT(*) AS n FROM s WINDOW HOPPING (SIZE 4 SECONDS, ADVANCE BY 2 SECONDS) GROUP BY k HAVING COUNT(*) > 1;
		CREATE TABLE sess AS SELECT k, SUM(v) AS total FROM s WINDOW SESSION (1 SECOND) GROUP BY k;
		CREATE TABLE fin AS SELECT k, COUNT(*) AS n FROM s WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY k EMIT FINAL;
		CREATE TABLE big AS SELECT k, total FROM byk WHERE total > 5;
		CREATE TABLE hv AS SELECT k, COUNT(*) AS n, MAX(v) AS top FROM s GROUP BY k HAVING COUNT(*) > 1;
		INSERT INTO s (k, id, v, ROWTIME) VALUES ('a', 1, 5, 1000);
		INSERT INTO s (k, id, v, ROWTIME) VALUES ('b', 2, 7, 2000);
		INSERT INTO s (k, id, v, ROWTIME) VALUES ('a', 1, 6, 3000);`)
	// Records only the topics see: a new key, and changed values of known keys (BIG reads
	// BYK's topic, so BYK gets only a key that BIG's filter drops).
	for _, rec := range []struct{ topic, key, value string }{
		{"BYK", "z", `{"TOTAL":1}`},
		{"BYID", "\x00\x00\x00\x00\x00\x00\x00\x01", `{"N":999}`}, {"BIG", "a", `{"TOTAL":999}`},
		{"HV", "b", `{"N":999,"TOP":999}`},
		{"WIN", "z\x00\x00\x00\x00\x00\x00\x00\x00", `{"N":999}`}, {"WIN", "a\x00\x00\x00\x00\x00\x00\x00\x00", `{"N":999}`},
		{"HOP", "b\x00\x00\x00\x00\x00\x00\x00\x00", `{"N":999}`},
		{"SESS", "b\x00\x00\x00\x00\x00\x00\x07\xd0\x00\x00\x00\x00\x00\x00\x07\xd0", `{"TOTAL":999}`},
	} {
		if err := r.Pipe(rec.topic, []byte(rec.key), []byte(rec.value), 9000); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct{ sql, want string }{
		{"SELECT k, total, ROWTIME FROM big WHERE k = 'a';", "`K` STRING KEY, `TOTAL` BIGINT, `ROWTIME` BIGINT\n[\"a\",11,3000]"},
		{"SELECT k, total FROM byk WHERE k IN ('z', 'b', 'a', 'b');", "`K` STRING KEY, `TOTAL` BIGINT\n[\"b\",7]\n[\"a\",11]"},
		{"SELECT k, total FROM byk WHERE k = 'a' AND total > 100;", "`K` STRING KEY, `TOTAL` BIGINT"},
		{"SELECT k, total FROM byk WHERE k = 'a' OR total = 1;", "`K` STRING KEY, `TOTAL` BIGINT\n[\"a\",11]"},
		{"SELECT * FROM byk;", "`K` STRING KEY, `TOTAL` BIGINT\n[\"a\",11]\n[\"b\",7]"},
		{"SELECT id, n FROM byid WHERE id = 1;", "`ID` BIGINT KEY, `N` BIGINT\n[1,2]"},
		{"SELECT id, n FROM byid WHERE id = -1 + 3;", "`ID` BIGINT KEY, `N` BIGINT\n[2,1]"},
		{"SELECT n FROM both WHERE k = 'a' AND id = 1;", "`N` BIGINT\n[2]"},
		{"SELECT k, WINDOWSTART, n FROM win WHERE k = 'a';", "`K` STRING KEY, `WINDOWSTART` BIGINT KEY, `N` BIGINT\n[\"a\",0,2]"},
		{"SELECT * FROM win;", "`K` STRING KEY, `WINDOWSTART` BIGINT KEY, `WINDOWEND` BIGINT KEY, `N` BIGINT\n[\"a\",0,10000,2]\n[\"b\",0,10000,1]"},
		{"SELECT k, WINDOWSTART, WINDOWEND, n, ROWTIME FROM hop WHERE WINDOWSTART < 2000;", "`K` STRING KEY, `WINDOWSTART` BIGINT KEY, `WINDOWEND` BIGINT KEY, `N` BIGINT, `ROWTIME` BIGINT\n[\"a\",0,4000,2,3000]"},
		{"SELECT * FROM sess;", "`K` STRING KEY, `WINDOWSTART` BIGINT KEY, `WINDOWEND` BIGINT KEY, `TOTAL` BIGINT\n[\"a\",1000,1000,5]\n[\"a\",3000,3000,6]\n[\"b\",2000,2000,7]"},
		{"SELECT k, WINDOWSTART, n FROM fin;", "`K` STRING KEY, `WINDOWSTART` BIGINT KEY, `N` BIGINT\n[\"a\",1000,1]\n[\"b\",2000,1]"},
		{"SELECT * FROM big;", "`K` STRING KEY, `TOTAL` BIGINT\n[\"a\",11]\n[\"b\",7]"},
		{"SELECT k, n, top, ROWTIME FROM hv WHERE k = 'a' OR k = 'b';", "`K` STRING KEY, `N` BIGINT, `TOP` BIGINT, `ROWTIME` BIGINT\n[\"a\",2,6,3000]"},
		{"SELECT * FROM hv;", "`K` STRING KEY, `N` BIGINT, `TOP` BIGINT\n[\"a\",2,6]"},
	} {
		if got := pull(t, e, tc.sql); got != tc.want {
			t.Errorf("%s\ngot:\n%s\nwant:\n%s", tc.sql, got, tc.want)
		}
	}
	for _, q := range e.Queries() {
		materialized := q.Sink == "FIN" || q.Sink == "BIG" // an EMIT FINAL aggregation, a stateless table
		if got := q.Topology.HasStore("KsqlSink-Materialize"); got != materialized {
			t.Errorf("%s: has the sink store: %v", q.Sink, got)
		}
		if q.Sink == "BYK" || q.Sink == "HV" || q.Sink == "WIN" || q.Sink == "HOP" || q.Sink == "SESS" {
			if q.Store != "Aggregate-Aggregate-Materialize" {
				t.Errorf("%s: pull queries read store %q", q.Sink, q.Store)
			}
		}
	}
}

// topicCountingRunner is a DriverRunner that counts the topic reads pull queries make.
type topicCountingRunner struct {
	*engine.DriverRunner
	reads int
}

func (r *topicCountingRunner) ReadTopic(topic string) ([]engine.Record, error) {
	r.reads++
	return r.DriverRunner.ReadTopic(topic)
}

// TestPullQuerySourceTableReadsStore: CREATE SOURCE TABLE starts ksqlDB's CST query, shown
// by SHOW QUERIES, and pull queries on the table (key lookups and scans alike) answer from
// its store, not by reading the topic, with the latest value, ROWTIME and header columns
// of each key (tombstones delete), including records written before the table was
// created. TERMINATE of the CST query leaves the table answered from its topic; DROP TABLE
// terminates it.
func TestPullQuerySourceTableReadsStore(t *testing.T) {
	r := &topicCountingRunner{DriverRunner: engine.NewDriverRunner()}
	t.Cleanup(func() { _ = r.Close() })
	e := engine.New(r)
	hdr := func(v string) runtime.Header { return runtime.Header{Key: "h", Value: []byte(v)} }
	for _, rec := range []struct {
		key, value string
		ts         int64
		headers    []runtime.Header
	}{
		{"a", `{"V":1}`, 1000, []runtime.Header{hdr("x")}},
		{"b", `{"V":2}`, 2000, nil},
		{"a", `{"V":3}`, 3000, []runtime.Header{hdr("y"), {Key: "other"}}},
	} {
		if err := r.Pipe("t", []byte(rec.key), []byte(rec.value), rec.ts, rec.headers...); err != nil {
			t.Fatal(err)
		}
	}
	exec(t, e, `
		CREATE STREAM other (k STRING KEY, v BIGINT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');
		CREATE SOURCE TABLE tab (k STRING PRIMARY KEY, v BIGINT, h BYTES HEADER('h'), hs ARRAY<STRUCT<KEY STRING, VALUE BYTES>> HEADERS) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');`)
	for _, rec := range []struct{ key, value string }{{"c", `{"V":4}`}, {"b", ""}} {
		var v []byte
		if rec.value != "" {
			v = []byte(rec.value)
		}
		if err := r.Pipe("t", []byte(rec.key), v, 4000); err != nil {
			t.Fatal(err)
		}
	}
	res, err := e.ExecuteScript("SHOW QUERIES;")
	if err != nil {
		t.Fatal(err)
	}
	if len(res[0].Rows) != 1 || res[0].Rows[0][0] != "CST_TAB_0" || res[0].Rows[0][3] != "TAB" {
		t.Fatalf("SHOW QUERIES: %v", res[0].Rows)
	}
	for _, tc := range []struct{ sql, want string }{
		{"SELECT k, v, ROWTIME, h, hs FROM tab WHERE k = 'a';", "`K` STRING KEY, `H` BYTES HEADER('h'), `HS` ARRAY<STRUCT<`KEY` STRING, `VALUE` BYTES>> HEADERS, `V` BIGINT, `ROWTIME` BIGINT\n[\"a\",3,3000,\"eQ==\",[{\"KEY\":\"h\",\"VALUE\":\"eQ==\"},{\"KEY\":\"other\",\"VALUE\":null}]]"},
		{"SELECT k, v FROM tab WHERE k IN ('b', 'c');", "`K` STRING KEY, `V` BIGINT\n[\"c\",4]"},
		{"SELECT k, v, h FROM tab;", "`K` STRING KEY, `H` BYTES HEADER('h'), `V` BIGINT\n[\"a\",3,\"eQ==\"]\n[\"c\",4,null]"},
	} {
		if got := pull(t, e, tc.sql); got != tc.want {
			t.Errorf("%s\ngot:\n%s\nwant:\n%s", tc.sql, got, tc.want)
		}
	}
	if r.reads != 0 {
		t.Errorf("pull queries on the source table read its topic %d times, want 0", r.reads)
	}
	exec(t, e, "DROP STREAM other; TERMINATE CST_TAB_0;")
	if got, want := pull(t, e, "SELECT k, v FROM tab;"), "`K` STRING KEY, `V` BIGINT\n[\"a\",3]\n[\"c\",4]"; got != want {
		t.Errorf("after TERMINATE got:\n%s\nwant:\n%s", got, want)
	}
	if r.reads != 1 {
		t.Errorf("after TERMINATE the pull query read the topic %d times, want 1", r.reads)
	}
	exec(t, e, `CREATE SOURCE TABLE tab2 (k STRING PRIMARY KEY, v BIGINT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');
		DROP TABLE tab2;`)
	if qs := e.Queries(); len(qs) != 0 {
		t.Errorf("queries left after DROP TABLE: %v", qs[0].ID)
	}
}

// TestPullQuerySourceTableTimestampColumn: a source table with TIMESTAMP='col' answers
// pull queries with ROWTIME from that column, as every other query on it sees it, and a
// record whose timestamp cannot be read is skipped.
func TestPullQuerySourceTableTimestampColumn(t *testing.T) {
	e, r := newEngine(t)
	exec(t, e, `CREATE SOURCE TABLE tab (k STRING PRIMARY KEY, v BIGINT, at VARCHAR)
		WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', TIMESTAMP='at', TIMESTAMP_FORMAT='yyyy-MM-dd HH:mm:ss');`)
	for _, rec := range []struct{ key, value string }{
		{"a", `{"V":1,"AT":"2024-01-02 03:04:05"}`},
		{"b", `{"V":2,"AT":"not a time"}`},
	} {
		if err := r.Pipe("t", []byte(rec.key), []byte(rec.value), 5); err != nil {
			t.Fatal(err)
		}
	}
	want := "`K` STRING KEY, `V` BIGINT, `ROWTIME` BIGINT\n[\"a\",1,1704164645000]"
	if got := pull(t, e, "SELECT k, v, ROWTIME FROM tab;"); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
