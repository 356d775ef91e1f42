package engine_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/engine"
)

// pull runs a pull query and renders its schema, rows (JSON) and final message.
func pull(t *testing.T, e *engine.Engine, sql string) string {
	t.Helper()
	res, err := e.ExecuteScript(sql)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	p := res[0].Pull
	if p == nil {
		t.Fatalf("%s: no pull result", sql)
	}
	lines := []string{p.Schema()}
	for i := range p.Rows {
		b, err := p.RowJSON(i)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, string(b))
	}
	if p.Final != "" {
		lines = append(lines, p.Final)
	}
	if len(res[0].Rows) != len(p.Rows) || len(res[0].Columns) != len(p.Columns) {
		t.Errorf("%s: text form has %d rows of %d columns, want %d of %d", sql, len(res[0].Rows), len(res[0].Columns), len(p.Rows), len(p.Columns))
	}
	return strings.Join(lines, "\n")
}

func TestPullQueryOnAggregate(t *testing.T) {
	e, _ := newEngine(t)
	exec(t, e, `
		CREATE STREAM s (k STRING KEY, v BIGINT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');
		CREATE TABLE t AS SELECT k, SUM(v) AS total, COUNT(*) AS n FROM s GROUP BY k HAVING SUM(v) < 100;
		INSERT INTO s (k, v, ROWTIME) VALUES ('a', 5, 1000);
		INSERT INTO s (k, v, ROWTIME) VALUES ('b', 7, 2000);
		INSERT INTO s (k, v, ROWTIME) VALUES ('a', 6, 3000);
		INSERT INTO s (k, v, ROWTIME) VALUES ('c', 500, 4000);`)
	for _, tc := range []struct{ sql, want string }{
		{"SELECT * FROM t WHERE k = 'a';", "`K` STRING KEY, `TOTAL` BIGINT, `N` BIGINT\n[\"a\",11,2]"},
		{"SELECT k, total * 2 AS twice, ROWTIME FROM t WHERE k IN ('b', 'x');", "`K` STRING KEY, `TWICE` BIGINT, `ROWTIME` BIGINT\n[\"b\",14,2000]"},
		{"SELECT n FROM t WHERE k = 'c';", "`N` BIGINT"}, // deleted by HAVING
		{"SELECT k FROM t WHERE total > 6 LIMIT 5;", "`K` STRING KEY\n[\"a\"]\n[\"b\"]"},
		{"SELECT k FROM t LIMIT 1;", "`K` STRING KEY\n[\"a\"]"},
	} {
		if got := pull(t, e, tc.sql); got != tc.want {
			t.Errorf("%s\ngot:\n%s\nwant:\n%s", tc.sql, got, tc.want)
		}
	}
}

func TestPullQueryOnWindowedTable(t *testing.T) {
	e, _ := newEngine(t)
	exec(t, e, `
		CREATE STREAM s (k INT KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');
		CREATE TABLE t AS SELECT k, COUNT(*) AS n FROM s WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY k;
		INSERT INTO s (k, v, ROWTIME) VALUES (1, 0, 1500);
		INSERT INTO s (k, v, ROWTIME) VALUES (1, 0, 1600);
		INSERT INTO s (k, v, ROWTIME) VALUES (1, 0, 2500);`)
	got := pull(t, e, "SELECT * FROM t WHERE k = 1 AND WINDOWSTART >= 1000 AND WINDOWSTART < '1970-01-01T00:00:02';")
	want := "`K` INTEGER KEY, `WINDOWSTART` BIGINT KEY, `WINDOWEND` BIGINT KEY, `N` BIGINT\n[1,1000,2000,2]"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestPullQueryOnStream(t *testing.T) {
	e, _ := newEngine(t)
	exec(t, e, `
		CREATE STREAM s (k INT KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');
		INSERT INTO s (k, v) VALUES (1, 10);
		INSERT INTO s (k, v) VALUES (2, 20);
		INSERT INTO s (k, v) VALUES (1, 30);`)
	for _, tc := range []struct{ sql, want string }{
		{"SELECT * FROM s WHERE k = 1;", "`K` INTEGER, `V` INTEGER\n[1,10]\n[1,30]\nQuery Completed"},
		{"SELECT v FROM s LIMIT 2;", "`V` INTEGER\n[10]\n[20]\nLimit Reached"},
	} {
		if got := pull(t, e, tc.sql); got != tc.want {
			t.Errorf("%s\ngot:\n%s\nwant:\n%s", tc.sql, got, tc.want)
		}
	}
}

func TestPullQueryErrors(t *testing.T) {
	e, _ := newEngine(t)
	exec(t, e, `
		CREATE STREAM s (k INT KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');
		CREATE TABLE plain (k INT PRIMARY KEY, v INT) WITH (KAFKA_TOPIC='p', VALUE_FORMAT='JSON');
		CREATE TABLE t AS SELECT k, COUNT(*) AS n FROM s GROUP BY k;`)
	for _, tc := range []struct{ props, sql, want string }{
		{"", "SELECT * FROM plain;", "The `PLAIN` table isn't queryable."},
		{"", "SELECT * FROM t GROUP BY k;", "Pull queries don't support GROUP BY clauses."},
		{"", "SELECT k, ROWOFFSET FROM t;", "Pull queries don't support the following columns in SELECT clauses: `ROWOFFSET`"},
		{"", "SELECT * FROM t WHERE k IN (NULL);", "Primary key columns can not be NULL: (K = null)"},
		{"", "SELECT * FROM t WHERE k = '1';", "Cannot compare K (INTEGER) to '1' (STRING) with EQUAL."},
		{"", "SELECT n, n FROM t;", "Duplicate value columns found in schema: `N` BIGINT"},
		{"ksql.query.pull.table.scan.enabled=false", "SELECT * FROM t;", "Query requires table scan to be enabled"},
		{"ksql.query.pull.table.scan.enabled=false", "SELECT * FROM t WHERE n = 1;", "WHERE clause missing key column for disjunct: (N = 1)"},
		{"ksql.query.pull.table.scan.enabled=false", "SELECT * FROM t WHERE k = n;", "A comparison must be between a key column and a resolvable expression."},
		{"ksql.query.pull.table.scan.enabled=false", "SELECT * FROM t WHERE k > 1;", "Query requires table scan to be enabled"},
		{"ksql.query.pull.stream.enabled=false", "SELECT * FROM s;", "Pull queries on streams are disabled."},
	} {
		e.Props = map[string]string{}
		if name, value, ok := strings.Cut(tc.props, "="); ok {
			e.Props[name] = value
		}
		_, err := e.ExecuteScript(tc.sql)
		var ee *engine.Error
		if !errors.As(err, &ee) || !strings.Contains(ee.Msg, tc.want) {
			t.Errorf("%s (%s): got %v, want %q", tc.sql, tc.props, err, tc.want)
		}
	}
	// With scans enabled (the default) the same WHERE clauses are answered.
	e.Props = map[string]string{}
	if got := pull(t, e, "SELECT * FROM t WHERE k > 1;"); got != fmt.Sprint("`K` INTEGER KEY, `N` BIGINT") {
		t.Errorf("got %s", got)
	}
}

// TestDriverRunnerReplay: a query started after records reached its source sees them
// only once Replay pipes them, and its output flows on to the queries reading its sink.
func TestDriverRunnerReplay(t *testing.T) {
	e, r := newEngine(t)
	exec(t, e, `
		CREATE STREAM s (k STRING KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');
		INSERT INTO s (k, v) VALUES ('a', 10);
		INSERT INTO s (k, v) VALUES ('b', 20);
		CREATE STREAM big AS SELECT k, v FROM s WHERE v > 15;
		CREATE STREAM bigger AS SELECT k, v * 2 AS w FROM big;`)
	if got := values(t, r, "BIGGER"); len(got) != 0 {
		t.Fatalf("before Replay: %v", got)
	}
	if err := r.Replay(e.Queries()[0]); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(values(t, r, "BIGGER"), "\n"), `b={"W":40}`; got != want {
		t.Fatalf("after Replay: %s, want %s", got, want)
	}
}
