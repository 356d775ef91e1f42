package engine_test

import (
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ksqlgo/ksqlgo/sql/engine"
)

// TestJoinAnalysis covers the join errors the QTT files do not: each is reported with
// ksqlDB's words (and a position where ksqlDB gives one) before anything runs, leaving
// the catalog as it was.
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
		{"CREATE TABLE o AS SELECT t.k, x FROM t RIGHT JOIN t2 ON t.w = t2.k;", "RIGHT OUTER JOIN on a foreign key is not supported"},
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
	// The plan of a join: its sink's schema is ksqlDB's.
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

// TestLiveJoins runs a stream-table, a stream-stream (LEFT, with a re-keyed side), a
// table-table and a foreign-key join as persistent queries on the embedded broker, with
// two or three partitions, and reads their sinks.
func TestLiveJoins(t *testing.T) {
	e, r := newLiveEngine(t)
	exec(t, e, `
		CREATE STREAM orders (id STRING KEY, customer STRING, amount INT) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=2);
		CREATE STREAM shipments (id STRING KEY, carrier STRING) WITH (KAFKA_TOPIC='shipments', VALUE_FORMAT='JSON', PARTITIONS=2);
		CREATE TABLE customers (id STRING PRIMARY KEY, name STRING) WITH (KAFKA_TOPIC='customers', VALUE_FORMAT='JSON', PARTITIONS=2);
		CREATE TABLE tiers (id STRING PRIMARY KEY, tier STRING) WITH (KAFKA_TOPIC='tiers', VALUE_FORMAT='JSON', PARTITIONS=2);
		CREATE STREAM enriched AS SELECT o.id AS order_id, o.customer, c.name, o.amount
			FROM orders o JOIN customers c ON o.customer = c.id;
		CREATE STREAM shipped AS SELECT o.id, o.amount, s.carrier
			FROM orders o LEFT JOIN shipments s WITHIN 1 HOUR ON o.id = s.id;
		CREATE TABLE profiles AS SELECT c.id, name, tier FROM customers c JOIN tiers t ON c.id = t.id;
		CREATE TABLE accounts (id STRING PRIMARY KEY, owner STRING) WITH (KAFKA_TOPIC='accounts', VALUE_FORMAT='JSON', PARTITIONS=3);
		CREATE TABLE account_owners AS SELECT a.id, owner, name FROM accounts a LEFT JOIN customers c ON a.owner = c.id;
		INSERT INTO customers (id, name, ROWTIME) VALUES ('c1', 'Ada', 1000);
		INSERT INTO customers (id, name, ROWTIME) VALUES ('c2', 'Bob', 1000);
		INSERT INTO tiers (id, tier, ROWTIME) VALUES ('c1', 'gold', 1500);
		INSERT INTO shipments (id, carrier, ROWTIME) VALUES ('o1', 'ups', 1500);
		INSERT INTO accounts (id, owner, ROWTIME) VALUES ('a1', 'c1', 3000);
		INSERT INTO accounts (id, owner, ROWTIME) VALUES ('a2', 'c2', 3000);
		INSERT INTO accounts (id, owner, ROWTIME) VALUES ('a3', 'nobody', 3000);`)
	exec(t, e, `
		INSERT INTO orders (id, customer, amount, ROWTIME) VALUES ('o1', 'c1', 10, 2000);
		INSERT INTO orders (id, customer, amount, ROWTIME) VALUES ('o2', 'c2', 20, 3000);
		INSERT INTO orders (id, customer, amount, ROWTIME) VALUES ('o3', 'nobody', 30, 4000);`)
	waitTopic(t, r, "ENRICHED", `c1={"ORDER_ID":"o1","NAME":"Ada","AMOUNT":10}`, `c2={"ORDER_ID":"o2","NAME":"Bob","AMOUNT":20}`)
	// No GRACE PERIOD: an order without a shipment is emitted at once (ksqlDB's legacy
	// windows), one with a shipment joined. The shipment's timestamp is before its order's,
	// so that it is processed first whenever the query starts (inputs are read in
	// timestamp order): otherwise o1 would first be emitted unmatched, then joined.
	waitTopic(t, r, "SHIPPED", `o1={"AMOUNT":10,"CARRIER":"ups"}`, `o2={"AMOUNT":20,"CARRIER":null}`, `o3={"AMOUNT":30,"CARRIER":null}`)
	waitTable(t, r, "PROFILES", `c1={"NAME":"Ada","TIER":"gold"}`)
	// A foreign-key join: accounts (3 partitions) to their owner (2 partitions).
	waitTable(t, r, "ACCOUNT_OWNERS", `a1={"OWNER":"c1","NAME":"Ada"}`, `a2={"OWNER":"c2","NAME":"Bob"}`, `a3={"OWNER":"nobody","NAME":null}`)
}

// waitTopic polls topic until its records, as key=value sorted, are want.
func waitTopic(t *testing.T, r *engine.LiveRunner, topic string, want ...string) {
	t.Helper()
	waitRecords(t, r, topic, false, want)
}

// waitTable polls a table's topic until the latest record of each key, as key=value
// sorted, are want (a table may pass through other values first).
func waitTable(t *testing.T, r *engine.LiveRunner, topic string, want ...string) {
	t.Helper()
	waitRecords(t, r, topic, true, want)
}

func waitRecords(t *testing.T, r *engine.LiveRunner, topic string, latest bool, want []string) {
	t.Helper()
	sort.Strings(want)
	deadline := time.Now().Add(30 * time.Second)
	for {
		recs, err := r.ReadTopic(topic)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		last := map[string]int{}
		for _, rec := range recs {
			if i, ok := last[string(rec.Key)]; ok && latest {
				got[i] = string(rec.Key) + "=" + string(rec.Value)
				continue
			}
			last[string(rec.Key)] = len(got)
			got = append(got, string(rec.Key)+"="+string(rec.Value))
		}
		sort.Strings(got)
		if strings.Join(got, "\n") == strings.Join(want, "\n") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("topic %s:\n%s\nwant:\n%s", topic, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestLivePushJoin: push queries (SELECT ... EMIT CHANGES) over a stream-table and a
// table-table join stream their joined rows.
func TestLivePushJoin(t *testing.T) {
	e, r := newLiveEngine(t)
	exec(t, e, `
		CREATE STREAM clicks (user_id STRING KEY, page STRING) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON', PARTITIONS=1);
		CREATE TABLE users (id STRING PRIMARY KEY, name STRING) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=1);
		CREATE TABLE plans (id STRING PRIMARY KEY, plan STRING) WITH (KAFKA_TOPIC='plans', VALUE_FORMAT='JSON', PARTITIONS=1);
		INSERT INTO users (id, name, ROWTIME) VALUES ('u1', 'Ada', 1000);
		INSERT INTO plans (id, plan, ROWTIME) VALUES ('u1', 'pro', 1000);
		INSERT INTO clicks (user_id, page, ROWTIME) VALUES ('u1', '/home', 2000);`)
	for _, tc := range []struct{ sql, want string }{
		{"SELECT c.user_id, page, name FROM clicks c JOIN users u ON c.user_id = u.id EMIT CHANGES LIMIT 1;", `{"USER_ID":"u1","PAGE":"/home","NAME":"Ada"}`},
		{"SELECT u.id, name, plan FROM users u JOIN plans p ON u.id = p.id EMIT CHANGES LIMIT 1;", `{"U_ID":"u1","NAME":"Ada","PLAN":"pro"}`},
	} {
		res, err := e.ExecuteScript(tc.sql)
		if err != nil {
			t.Fatalf("%s: %v", tc.sql, err)
		}
		p := res[0].Push
		if p == nil {
			t.Fatalf("%s: not a push query", tc.sql)
		}
		if err := r.CreateTopic(p.Query.SinkTopic, 1); err != nil {
			t.Fatal(err)
		}
		if err := r.StartQuery(p.Query); err != nil {
			t.Fatal(err)
		}
		waitRecords(t, r, p.Query.SinkTopic, false, []string{"=" + tc.want})
		if err := r.StopQuery(p.Query); err != nil {
			t.Fatal(err)
		}
	}
}

// TestJoinBadRecords: undecodable records on either side of a join are skipped (counted
// as deserialization errors) and the join carries on with the good ones; a stream record
// with a NULL join key joins nothing.
func TestJoinBadRecords(t *testing.T) {
	e, r := newEngine(t)
	exec(t, e, `
		CREATE STREAM s (id STRING KEY, ref STRING, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');
		CREATE TABLE t (id STRING PRIMARY KEY, name STRING) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');
		CREATE STREAM o AS SELECT s.ref, v, name FROM s JOIN t ON s.ref = t.id;`)
	for _, in := range []struct {
		topic, key, value string
		ts                int64
	}{
		{"t", "x", `{"NAME":"good"}`, 1},
		{"t", "y", `{"NAME":`, 2},
		{"s", "1", `{"REF":"x","V":1}`, 3},
		{"s", "2", `not json`, 4},
		{"s", "3", `{"REF":null,"V":3}`, 5},
		{"s", "4", `{"REF":"x","V":4}`, 6},
	} {
		if err := r.Pipe(in.topic, []byte(in.key), []byte(in.value), in.ts); err != nil {
			t.Fatal(err)
		}
	}
	got := strings.Join(values(t, r, "O"), " ")
	if want := `x={"V":1,"NAME":"good"} x={"V":4,"NAME":"good"}`; got != want {
		t.Fatalf("output %s, want %s", got, want)
	}
	var bad int64
	for _, q := range e.Queries() {
		m, _ := r.Metrics(q.ID)
		bad += m.DeserializationErrors
	}
	if bad != 2 {
		t.Errorf("deserialization errors: %d, want 2", bad)
	}
}
