package engine_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/engine"
)

func newEngine(t *testing.T) (*engine.Engine, *engine.DriverRunner) {
	t.Helper()
	r := engine.NewDriverRunner()
	t.Cleanup(func() { _ = r.Close() })
	return engine.New(r), r
}

func exec(t *testing.T, e *engine.Engine, script string) {
	t.Helper()
	if _, err := e.ExecuteScript(script); err != nil {
		t.Fatalf("%v\nscript: %s", err, script)
	}
}

func values(t *testing.T, r *engine.DriverRunner, topic string) []string {
	t.Helper()
	var out []string
	for _, rec := range r.Output(topic) {
		out = append(out, string(rec.Key)+"="+string(rec.Value))
	}
	return out
}

func TestFilterProjectAndInsertValues(t *testing.T) {
	e, r := newEngine(t)
	exec(t, e, `
		CREATE STREAM payments (card STRING KEY, amount DOUBLE, country STRING)
		  WITH (KAFKA_TOPIC='payments', VALUE_FORMAT='JSON');
		CREATE STREAM big AS SELECT card, amount * 2 AS doubled, UCASE(country) AS c
		  FROM payments WHERE amount > 100 EMIT CHANGES;
		INSERT INTO payments (card, amount, country) VALUES ('c1', 50.0, 'nl');
		INSERT INTO payments (card, amount, country) VALUES ('c2', 150.5, 'de');`)
	got := values(t, r, "BIG")
	want := []string{`c2={"DOUBLED":301.0,"C":"DE"}`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestAggregateWithHaving(t *testing.T) {
	e, r := newEngine(t)
	exec(t, e, `
		CREATE STREAM s (k STRING KEY, v BIGINT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');
		CREATE TABLE t AS SELECT k, SUM(v) AS total, COUNT(*) AS n FROM s GROUP BY k HAVING SUM(v) > 10;
		INSERT INTO s (k, v) VALUES ('a', 5);
		INSERT INTO s (k, v) VALUES ('a', 6);
		INSERT INTO s (k, v) VALUES ('b', 20);
		INSERT INTO s (k, v) VALUES ('a', -10);`)
	got := values(t, r, "T")
	want := []string{`a={"TOTAL":11,"N":2}`, `b={"TOTAL":20,"N":1}`, `a=`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestTumblingWindowCount(t *testing.T) {
	e, r := newEngine(t)
	exec(t, e, `
		CREATE STREAM clicks (user STRING KEY, page STRING) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON');
		CREATE TABLE per_min AS SELECT user, COUNT(*) AS n, WINDOWSTART AS ws FROM clicks
		  WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY user EMIT CHANGES;
		INSERT INTO clicks (ROWTIME, user, page) VALUES (1000, 'u', 'a');
		INSERT INTO clicks (ROWTIME, user, page) VALUES (2000, 'u', 'b');
		INSERT INTO clicks (ROWTIME, user, page) VALUES (61000, 'u', 'c');`)
	var got []string
	for _, rec := range r.Output("PER_MIN") {
		got = append(got, string(rec.Value))
	}
	want := []string{`{"N":1,"WS":0}`, `{"N":2,"WS":0}`, `{"N":1,"WS":60000}`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got %v, want %v", got, want)
	}
}

// TestBadInput: malformed SQL, unknown sources and columns, type errors and unsupported
// features are errors naming what and where; the engine carries on after them.
func TestBadInput(t *testing.T) {
	e, _ := newEngine(t)
	exec(t, e, `CREATE STREAM s (k STRING KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');`)
	cases := []struct{ sql, want string }{
		{"CREATE STREAM x AS SELECT k, v FROM s WHERE v >;", "line 1:"},
		{"CREATE STREAM x AS\n  SELECT k, nope FROM s;", "line 2:13: SELECT column 'NOPE' cannot be resolved."},
		{"CREATE STREAM x AS SELECT k, v FROM missing;", "MISSING does not exist"},
		{"CREATE STREAM x AS SELECT k, v FROM s WHERE v = TRUE;", "operator does not exist: INTEGER = BOOLEAN"},
		{"CREATE STREAM x AS SELECT k, NO_FN(v) FROM s;", "Can't find any functions with the name 'NO_FN'"},
		{"CREATE STREAM x AS SELECT k, v FROM s WHERE v LIKE 'a';", "LIKE requires STRING operands"},
		{"CREATE STREAM s2 (k STRING KEY, ROWTIME INT) WITH (KAFKA_TOPIC='s2', VALUE_FORMAT='JSON');", "reserved column name"},
		{"CREATE TABLE t2 (k STRING, v INT) WITH (KAFKA_TOPIC='t2', VALUE_FORMAT='JSON');", "Tables require a PRIMARY KEY"},
		{"SELEKT * FROM s;", "line 1:1"},
	}
	for _, tc := range cases {
		_, err := e.ExecuteScript(tc.sql)
		var ee *engine.Error
		if err == nil || !errors.As(err, &ee) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.sql, err, tc.want)
		}
	}
	exec(t, e, `CREATE STREAM ok AS SELECT k, v FROM s;`)
}

// TestBadRecordSkipped: a record that cannot be decoded is skipped (processing log) and
// processing carries on.
func TestBadRecordSkipped(t *testing.T) {
	e, r := newEngine(t)
	exec(t, e, `
		CREATE STREAM s (k STRING KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');
		CREATE STREAM out AS SELECT k, v + 1 AS w FROM s;`)
	for _, v := range []string{`{"V":1}`, `{not json`, `{"V":"x"}`, `{"V":2}`} {
		if err := r.Pipe("s", []byte("k"), []byte(v), 0); err != nil {
			t.Fatal(err)
		}
	}
	var got []map[string]any
	for _, rec := range r.Output("OUT") {
		var m map[string]any
		if err := json.Unmarshal(rec.Value, &m); err != nil {
			t.Fatal(err)
		}
		got = append(got, m)
	}
	if len(got) != 2 || got[0]["W"] != 2.0 || got[1]["W"] != 3.0 {
		t.Fatalf("got %v, want W=2 and W=3", got)
	}
}

// TestDescribeExtended: DESCRIBE EXTENDED shows the schema, the topology of the query
// writing the source and its runtime statistics.
func TestDescribeExtended(t *testing.T) {
	e, r := newEngine(t)
	exec(t, e, `
		CREATE STREAM s (k STRING KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');
		CREATE STREAM out AS SELECT k, v FROM s WHERE v > 0;`)
	for _, v := range []string{`{"V":1}`, `{"V":-1}`} {
		if err := r.Pipe("s", []byte("k"), []byte(v), 0); err != nil {
			t.Fatal(err)
		}
	}
	res, err := e.ExecuteScript("DESCRIBE OUT EXTENDED;")
	if err != nil {
		t.Fatal(err)
	}
	d := res[0]
	if len(d.Rows) != 2 || d.Rows[0][1] != "STRING (key)" {
		t.Fatalf("rows %v", d.Rows)
	}
	for _, want := range []string{"Written by query: CSAS_OUT_0", "KSTREAM-SOURCE", "Runtime statistics: processed 2,"} {
		if !strings.Contains(d.Message, want) {
			t.Errorf("DESCRIBE EXTENDED lacks %q:\n%s", want, d.Message)
		}
	}
}

// TestStructStar: STRUCT_COL->* (and a nested struct's ->*) selects every field as a
// column named after it; ->* on a non-struct is an error.
func TestStructStar(t *testing.T) {
	e, r := newEngine(t)
	exec(t, e, `
		CREATE STREAM s (id STRING KEY, p STRUCT<a STRING, b STRUCT<c INT, d INT>>, n INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');
		CREATE STREAM o AS SELECT id, p->*, p->b->* FROM s;
		INSERT INTO s (id, p, n) VALUES ('k', STRUCT(a := 'x', b := STRUCT(c := 1, d := 2)), 3);`)
	got := strings.Join(values(t, r, "O"), "\n")
	want := `k={"A":"x","B":{"C":1,"D":2},"C":1,"D":2}`
	if got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	if _, err := e.ExecuteScript(`CREATE STREAM bad AS SELECT id, n->* FROM s;`); err == nil || !strings.Contains(err.Error(), "->* needs a STRUCT") {
		t.Fatalf("n->* gave %v", err)
	}
}

// TestDropChecksQueries: DROP refuses a source that a query reads or an INSERT INTO query
// writes (naming them, as ksqlDB does) - by source, not by topic: a second stream over
// the same topic can be dropped.
func TestDropChecksQueries(t *testing.T) {
	e, _ := newEngine(t)
	exec(t, e, `
		CREATE STREAM a (k STRING KEY, v INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');
		CREATE STREAM b (k STRING KEY, v INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');
		CREATE STREAM c (k STRING KEY, v INT) WITH (KAFKA_TOPIC='c', VALUE_FORMAT='JSON');
		CREATE STREAM out AS SELECT k, v FROM a;
		INSERT INTO out SELECT k, v FROM c;`)
	exec(t, e, `DROP STREAM b;`)
	_, err := e.ExecuteScript(`DROP STREAM a;`)
	if err == nil || !strings.Contains(err.Error(), "The following queries read from this source: [CSAS_OUT_0]") {
		t.Fatalf("DROP a: %v", err)
	}
	_, err = e.ExecuteScript(`DROP STREAM out;`)
	if err == nil || !strings.Contains(err.Error(), "The following queries write into this source: [INSERTQUERY_1]") {
		t.Fatalf("DROP out: %v", err)
	}
	exec(t, e, `TERMINATE INSERTQUERY_1; DROP STREAM out; DROP STREAM a;`)
}
