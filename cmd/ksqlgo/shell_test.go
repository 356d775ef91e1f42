package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ksqlgo/ksqlgo/broker"
	"github.com/ksqlgo/ksqlgo/sql/engine"
)

// TestShellEndToEnd: statements typed at the prompt (spanning lines, one of them bad)
// run on the embedded broker; a push query with LIMIT prints its columns in select order
// (the key need not be one of them) and its rows, and ends (LIMIT 0 at once), and the
// prompt carries on after the error.
func TestShellEndToEnd(t *testing.T) {
	inTempDir(t)
	stdin := `CREATE STREAM s (k STRING KEY, v INT)
  WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
SELECT k, nope FROM s EMIT CHANGES;
INSERT INTO s (k, v) VALUES ('a', 1);
INSERT INTO s (k, v) VALUES ('b', 2);
CREATE STREAM doubled AS SELECT k, v * 2 AS w FROM s;
SHOW STREAMS;
SELECT k, w FROM doubled EMIT CHANGES LIMIT 2;
SELECT w, k FROM doubled EMIT CHANGES LIMIT 1;
SELECT COUNT(*) AS n FROM s GROUP BY k EMIT CHANGES LIMIT 1;
SELECT k FROM doubled EMIT CHANGES LIMIT 0;
exit;
`
	text := runShell(t, stdin)
	for _, want := range []string{"line 1:11: SELECT column 'NOPE' cannot be resolved.", "DOUBLED",
		"|K|W|\n|a|2|\n|b|4|\nLimit Reached", "|W|K|\n|2|a|\nLimit Reached", "|N|\n|1|\nLimit Reached", "|K|\nLimit Reached"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
}

// TestShellTopics: SHOW TOPICS, PRINT, ASSERT TOPIC and DROP ... DELETE TOPIC on the
// embedded broker, a second stream declared over an existing topic, and the errors for
// topics that do not exist or are shared.
func TestShellTopics(t *testing.T) {
	inTempDir(t)
	stdin := `CREATE STREAM s (k STRING KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
INSERT INTO s (k, v) VALUES ('a', 1);
INSERT INTO s (k, v) VALUES ('b', 2);
INSERT INTO s (k, v) VALUES ('c', 3);
CREATE STREAM again (k STRING KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
SHOW TOPICS;
PRINT 's' FROM BEGINNING INTERVAL 2 LIMIT 2;
PRINT nope;
ASSERT TOPIC s WITH (PARTITIONS=1);
ASSERT TOPIC s WITH (PARTITIONS=3) TIMEOUT 200 MILLISECONDS;
ASSERT TOPIC nope TIMEOUT 100 MILLISECONDS;
ASSERT NOT EXISTS TOPIC nope;
DROP STREAM again DELETE TOPIC;
CREATE STREAM gone (v INT) WITH (KAFKA_TOPIC='gone', VALUE_FORMAT='JSON', PARTITIONS=1);
ASSERT TOPIC gone;
DROP STREAM gone DELETE TOPIC;
ASSERT NOT EXISTS TOPIC gone TIMEOUT 5 SECONDS;
exit;
`
	text := runShell(t, stdin)
	for _, want := range []string{
		"Kafka Topic", " s           | 1          | 1", // SHOW TOPICS
		"Key format: KAFKA_STRING", "Value format: JSON or KAFKA_STRING",
		`, key: a, value: {"V":1}, partition: 0`, `, key: c, value: {"V":3}, partition: 0`, "Topic printing ceased",
		"Could not find topic 'nope'",
		"Topic s exists",
		"Mismatched configuration for topic s: For config partitions, expected 3 got 1",
		"Topic nope does not exist",
		"Refusing to delete topic. Found other data sources (S) using topic s",
		"Topic gone exists", "Source `GONE` (topic: gone) was dropped.", "Topic gone does not exist",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "key: b,") {
		t.Errorf("INTERVAL 2 printed the second record:\n%s", text)
	}
}

// TestShellPullQueries: pull queries at the prompt on the embedded broker print their
// rows: a stream read to its end (with WHERE and LIMIT), a CREATE SOURCE TABLE's latest
// value per key, and ksqlDB's error for a table that is not materialized.
func TestShellPullQueries(t *testing.T) {
	inTempDir(t)
	stdin := `CREATE STREAM s (k STRING KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=2);
INSERT INTO s (k, v) VALUES ('a', 1);
INSERT INTO s (k, v) VALUES ('b', 2);
INSERT INTO s (k, v) VALUES ('a', 3);
SELECT k, v * 10 AS w FROM s WHERE k = 'a';
SELECT v FROM s WHERE k = 'b' LIMIT 1;
CREATE SOURCE TABLE latest (k STRING PRIMARY KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');
SELECT * FROM latest WHERE k = 'a';
CREATE TABLE plain (k STRING PRIMARY KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');
SELECT * FROM plain;
exit;
`
	text := runShell(t, stdin)
	for _, want := range []string{
		" K | W  |", " a | 10 |", " a | 30 |", "Query Completed",
		" V |", " 2 |", "Limit Reached",
		" K | V |", " a | 3 |",
		"The `PLAIN` table isn't queryable.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, " a | 1 |") {
		t.Errorf("the source table shows a superseded value:\n%s", text)
	}
}

// TestSessionPullQueryOnAggregate: a pull query on a CREATE TABLE AS SELECT aggregate
// running as an App on the embedded broker answers from the table's current contents;
// the query is repeated until the App has processed the inserted rows.
func TestSessionPullQueryOnAggregate(t *testing.T) {
	s, ctx := newBrokerSession(t)
	if err := s.execScript(ctx, `CREATE STREAM s (k STRING KEY, v BIGINT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=2);
CREATE TABLE totals AS SELECT k, SUM(v) AS total FROM s GROUP BY k;
INSERT INTO s (k, v) VALUES ('a', 1);
INSERT INTO s (k, v) VALUES ('b', 2);
INSERT INTO s (k, v) VALUES ('a', 3);`, true); err != nil {
		t.Fatal(err)
	}
	var got string
	if !pollUntil(ctx, func() bool {
		res, err := s.eng.ExecuteScript("SELECT k, total FROM totals WHERE k = 'a';")
		if err != nil {
			t.Fatal(err)
		}
		p := res[0].Pull
		if p.Schema() != "`K` STRING KEY, `TOTAL` BIGINT" {
			t.Fatalf("schema %s", p.Schema())
		}
		got = ""
		for _, row := range res[0].Rows {
			got += strings.Join(row, ",") + ";"
		}
		return got == "a,4;"
	}) {
		t.Fatalf("pull query answered %q, want a,4;", got)
	}
}

// TestSessionPullQueryAfterManyUpdates: after 100 updates of each of 3 keys, pull queries
// on a CREATE TABLE AS SELECT table (a key lookup and a scan) return every key's latest
// values, answered from the query's state store: a record written straight into the
// table's topic, which the store never sees, does not show.
func TestSessionPullQueryAfterManyUpdates(t *testing.T) {
	s, ctx := newBrokerSession(t)
	script := `CREATE STREAM s (k STRING KEY, v BIGINT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=2);
CREATE TABLE latest AS SELECT k, LATEST_BY_OFFSET(v) AS v, COUNT(*) AS n FROM s GROUP BY k;
`
	for i := range 100 {
		for _, k := range []string{"a", "b", "c"} {
			script += fmt.Sprintf("INSERT INTO s (k, v) VALUES ('%s', %d);\n", k, i)
		}
	}
	if err := s.execScript(ctx, script, true); err != nil {
		t.Fatal(err)
	}
	query := func(sql string) string {
		res, err := s.eng.ExecuteScript(sql)
		if err != nil {
			t.Fatal(err)
		}
		var rows []string
		for _, row := range res[0].Rows {
			rows = append(rows, strings.Join(row, ","))
		}
		slices.Sort(rows)
		return strings.Join(rows, ";")
	}
	const want = "a,99,100;b,99,100;c,99,100"
	var got string
	if !pollUntil(ctx, func() bool {
		got = query("SELECT k, v, n FROM latest WHERE k IN ('a', 'b', 'c');")
		return got == want
	}) {
		t.Fatalf("key lookups answered %q, want %q", got, want)
	}
	if err := s.eng.Runner.Produce(engine.Record{Topic: "LATEST", Key: []byte("zz"), Value: []byte(`{"V":1,"N":1}`)}); err != nil {
		t.Fatal(err)
	}
	if got := query("SELECT * FROM latest;"); got != want {
		t.Fatalf("scan answered %q, want %q", got, want)
	}
}

// runShell runs the shell on an embedded in-memory broker with stdin as its input and
// returns what it printed.
func runShell(t *testing.T, stdin string) string {
	t.Helper()
	out := newLineWriter()
	var stderr lineWriter
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	defer cancel()
	err := run(ctx, []string{"--broker.listen", "127.0.0.1:0", "--log.level", "error"}, strings.NewReader(stdin), out, &stderr)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	return out.String()
}

// newBrokerSession starts an in-memory broker and a session on it, both closed when the
// test ends, and returns the session with a context that ends after testTimeout.
func newBrokerSession(t *testing.T) (*session, context.Context) {
	t.Helper()
	b, err := broker.New(broker.InMemory(), broker.Listen("127.0.0.1:0"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	s := newSession([]string{b.Addr()}, "", io.Discard, nil)
	t.Cleanup(func() { _ = s.close() })
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	t.Cleanup(cancel)
	return s, ctx
}

// pollUntil calls done every 50ms, the poll interval while an App catches up, until it
// returns true (pollUntil returns true) or ctx ends (false).
func pollUntil(ctx context.Context, done func() bool) bool {
	for !done() {
		select {
		case <-ctx.Done():
			return false
		case <-time.After(50 * time.Millisecond):
		}
	}
	return true
}
