package engine_test

import (
	"testing"
)

// TestPullQueryReadsStore: a pull query on a CREATE TABLE AS SELECT table answers from its
// query's state store, not from the table's topic: records written straight into the
// topic (which the store never saw) do not show, whether the query looks keys up or
// scans, for aggregates (keyed by BIGINT and by several columns), windowed aggregates and
// stateless tables.
func TestPullQueryReadsStore(t *testing.T) {
	e, r := newEngine(t)
	exec(t, e, `
		CREATE STREAM s (k STRING KEY, id BIGINT, v BIGINT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');
		CREATE TABLE byk AS SELECT k, SUM(v) AS total FROM s GROUP BY k;
		CREATE TABLE byid AS SELECT id, COUNT(*) AS n FROM s GROUP BY id;
		CREATE TABLE both WITH (KEY_FORMAT='JSON') AS SELECT id, k, COUNT(*) AS n FROM s GROUP BY id, k;
		CREATE TABLE win AS SELECT k, COUNT(*) AS n FROM s WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY k;
		CREATE TABLE big AS SELECT k, total FROM byk WHERE total > 5;
		INSERT INTO s (k, id, v, ROWTIME) VALUES ('a', 1, 5, 1000);
		INSERT INTO s (k, id, v, ROWTIME) VALUES ('b', 2, 7, 2000);
		INSERT INTO s (k, id, v, ROWTIME) VALUES ('a', 1, 6, 3000);`)
	// Records only the topics see: a new key, and changed values of known keys (BIG reads
	// BYK's topic, so BYK gets only a key that BIG's filter drops).
	for _, rec := range []struct{ topic, key, value string }{
		{"BYK", "z", `{"TOTAL":1}`},
		{"BYID", "\x00\x00\x00\x00\x00\x00\x00\x01", `{"N":999}`}, {"BIG", "a", `{"TOTAL":999}`},
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
		{"SELECT * FROM big;", "`K` STRING KEY, `TOTAL` BIGINT\n[\"a\",11]\n[\"b\",7]"},
	} {
		if got := pull(t, e, tc.sql); got != tc.want {
			t.Errorf("%s\ngot:\n%s\nwant:\n%s", tc.sql, got, tc.want)
		}
	}
}
