package engine_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/engine"
)

// TestJoinAnalysis covers the join errors the QTT files do not: each is reported with
// ksqlDB's words (and a position where ksqlDB gives one) before anything runs, and a
// join that passes analysis is refused as not yet executable, leaving the catalog as it
// was.
func TestJoinAnalysis(t *testing.T) {
	e, _ := newEngine(t)
	exec(t, e, `CREATE STREAM s (k INT KEY, v INT, m MAP<STRING, INT>) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM s2 (k INT KEY, v INT) WITH (KAFKA_TOPIC='s2', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE t (k INT PRIMARY KEY, w INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE t2 (k INT PRIMARY KEY, x INT) WITH (KAFKA_TOPIC='t2', VALUE_FORMAT='JSON', PARTITIONS=1);`)
	cases := []struct{ sql, want string }{
		{"CREATE STREAM o AS SELECT s.k, v FROM s JOIN s2 ON s.k = s2.k;", "Stream-Stream joins must have a WITHIN clause specified"},
		{"CREATE STREAM o AS SELECT s.k, v FROM s JOIN t WITHIN 1 SECOND ON s.k = t.k;", "line 1:48: A window definition was provided for a Stream-Table join"},
		{"CREATE TABLE o AS SELECT t.k, w FROM t JOIN t2 WITHIN 1 SECOND ON t.k = t2.k;", "window definition was provided for a Table-Table join"},
		{"CREATE STREAM o AS SELECT s.k, v FROM s RIGHT JOIN t ON s.k = t.k;", "Invalid join type: right-outer join not supported for stream-table join. Got S RIGHT [OUTER] JOIN T."},
		{"CREATE STREAM o AS SELECT s.k, v FROM s JOIN t ON s.k > t.k;", "Unsupported join expression: (S.K > T.K)"},
		{"CREATE STREAM o AS SELECT s.k, v FROM s JOIN t ON s.k = t.nope;", "JOIN ON column 'T.NOPE' cannot be resolved."},
		{"CREATE STREAM o AS\nSELECT s.k, v FROM s JOIN s2 WITHIN 1 SECOND ON s.k = s2.k;", "line 2:13: Column 'V' is ambiguous. Could be S.V or S2.V."},
		{"CREATE STREAM o AS SELECT s.k, s.v FROM s JOIN s2 WITHIN 1 SECOND ON s.m = s2.v;", "types don't match. Got S.M{MAP<STRING, INTEGER>} = S2.V{INTEGER}."},
		{"CREATE STREAM o AS SELECT s.k, s.v FROM s JOIN s2 WITHIN 1 SECOND ON s.k = s2.k WHERE nope > 1;", "WHERE column 'NOPE' cannot be resolved."},
		{"CREATE STREAM o AS SELECT s.k, s.v FROM s JOIN s2 WITHIN 1 SECOND ON s.k = s2.k;", "JOIN is not supported yet"},
	}
	for _, tc := range cases {
		_, err := e.ExecuteScript(tc.sql)
		var ee *engine.Error
		if err == nil || !errors.As(err, &ee) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.sql, err, tc.want)
		}
	}
	if e.Catalog.Source("O") != nil {
		t.Fatal("a refused join created its sink")
	}
	// The analysis is complete up to the sink: its schema is ksqlDB's.
	sink, err := e.PlanSink("CREATE STREAM o AS SELECT * FROM s JOIN t ON s.k = t.k;")
	if err != nil {
		t.Fatal(err)
	}
	var cols []string
	for _, c := range sink.Columns {
		cols = append(cols, c.Name)
	}
	if got := strings.Join(cols, ","); got != "S_K,S_V,S_M,T_K,T_W" || sink.Columns[0].Kind != engine.KeyCol {
		t.Fatalf("planned sink columns %s (key %v)", got, sink.Columns[0].Kind)
	}
}
