package engine_test

import (
	"slices"
	"strings"
	"testing"
)

// TestGroupBySourceKeyNoRepartition: a stream grouped by exactly its key columns, in
// order, aggregates without a repartition topic, as ksqlDB's groupByKey does; any other
// grouping, and a table's, repartitions.
func TestGroupBySourceKeyNoRepartition(t *testing.T) {
	for _, tt := range []struct {
		name, sql   string
		repartition bool
	}{
		{"key", `SELECT k, COUNT(*) AS n FROM s GROUP BY k`, false},
		{"qualified key with where", `SELECT s.k, COUNT(*) AS n FROM s WHERE v > 1 GROUP BY s.k`, false},
		{"windowed", `SELECT k, COUNT(*) AS n FROM s WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY k`, false},
		{"value column", `SELECT v, COUNT(*) AS n FROM s GROUP BY v`, true},
		{"key expression", `SELECT UCASE(k) AS u, COUNT(*) AS n FROM s GROUP BY UCASE(k)`, true},
		{"keys and value", `SELECT a, b, v, COUNT(*) AS n FROM m GROUP BY a, b, v`, true},
		{"all keys", `SELECT a, b, COUNT(*) AS n FROM m GROUP BY a, b`, false},
		{"keys reordered", `SELECT b, a, COUNT(*) AS n FROM m GROUP BY b, a`, true},
		{"some keys", `SELECT a, COUNT(*) AS n FROM m GROUP BY a`, true},
		{"table", `SELECT k, COUNT(*) AS n FROM t GROUP BY k`, true},
		{"windowed source", `SELECT k, COUNT(*) AS n FROM w GROUP BY k`, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e, _ := newEngine(t)
			exec(t, e, `
				CREATE STREAM s (k STRING KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');
				CREATE STREAM m (a STRING KEY, b INT KEY, v INT) WITH (KAFKA_TOPIC='m', FORMAT='JSON');
				CREATE TABLE t (k STRING PRIMARY KEY, v INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');
				CREATE STREAM w (k STRING KEY, v INT) WITH (KAFKA_TOPIC='w', VALUE_FORMAT='JSON', WINDOW_TYPE='TUMBLING', WINDOW_SIZE='10 MILLISECONDS');`)
			res, err := e.ExecuteScript("CREATE TABLE o AS " + tt.sql + ";")
			if err != nil {
				t.Fatal(err)
			}
			q := res[len(res)-1].Query
			if q == nil {
				t.Fatal("no query")
			}
			got := slices.ContainsFunc(q.Topology.InternalTopics(), func(s string) bool { return strings.HasSuffix(s, "-repartition") })
			if got != tt.repartition {
				t.Errorf("repartition %v, want %v; internal topics %q", got, tt.repartition, q.Topology.InternalTopics())
			}
		})
	}
}

// TestGroupBySourceKeyResults: grouping by the source's key without a repartition keeps
// the results, WHERE and pseudo columns included.
func TestGroupBySourceKeyResults(t *testing.T) {
	e, r := newEngine(t)
	exec(t, e, `
		CREATE STREAM s (k STRING KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');
		CREATE TABLE o AS SELECT k, COUNT(*) AS n, SUM(v) AS total, MAX(ROWOFFSET) AS off FROM s WHERE v > 0 GROUP BY k;
		INSERT INTO s (k, v) VALUES ('a', 1);
		INSERT INTO s (k, v) VALUES ('b', 2);
		INSERT INTO s (k, v) VALUES ('a', -3);
		INSERT INTO s (k, v) VALUES ('a', 4);`)
	got := values(t, r, "O")
	want := []string{`a={"N":1,"TOTAL":1,"OFF":0}`, `b={"N":1,"TOTAL":2,"OFF":1}`, `a={"N":2,"TOTAL":5,"OFF":3}`}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}
