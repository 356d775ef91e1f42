package main

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/ksqlgo/ksqlgo/broker"
)

// TestShellEndToEnd: statements typed at the prompt (spanning lines, one of them bad)
// run on the embedded broker; a push query with LIMIT prints its rows and ends, and the
// prompt carries on after the error.
func TestShellEndToEnd(t *testing.T) {
	inTempDir(t)
	stdin := strings.NewReader(`CREATE STREAM s (k STRING KEY, v INT)
  WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
SELECT k, nope FROM s EMIT CHANGES;
INSERT INTO s (k, v) VALUES ('a', 1);
INSERT INTO s (k, v) VALUES ('b', 2);
CREATE STREAM doubled AS SELECT k, v * 2 AS w FROM s;
SHOW STREAMS;
SELECT k, w FROM doubled EMIT CHANGES LIMIT 2;
exit;
`)
	out := newLineWriter()
	var stderr lineWriter
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	defer cancel()
	err := run(ctx, []string{"--broker.listen", "127.0.0.1:0", "--log.level", "error"}, stdin, out, &stderr)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	text := out.String()
	for _, want := range []string{"line 1:11: SELECT column 'NOPE' cannot be resolved.", "DOUBLED", "|a|2|", "|b|4|", "Limit Reached"} {
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
	stdin := strings.NewReader(`CREATE STREAM s (k STRING KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
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
`)
	out := newLineWriter()
	var stderr lineWriter
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	defer cancel()
	err := run(ctx, []string{"--broker.listen", "127.0.0.1:0", "--log.level", "error"}, stdin, out, &stderr)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	text := out.String()
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
	stdin := strings.NewReader(`CREATE STREAM s (k STRING KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=2);
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
`)
	out := newLineWriter()
	var stderr lineWriter
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	defer cancel()
	err := run(ctx, []string{"--broker.listen", "127.0.0.1:0", "--log.level", "error"}, stdin, out, &stderr)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	text := out.String()
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
	b, err := broker.New(broker.InMemory(), broker.Listen("127.0.0.1:0"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	s := newSession([]string{b.Addr()}, "", io.Discard, nil)
	t.Cleanup(func() { _ = s.close() })
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	defer cancel()
	if err := s.execScript(ctx, `CREATE STREAM s (k STRING KEY, v BIGINT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=2);
CREATE TABLE totals AS SELECT k, SUM(v) AS total FROM s GROUP BY k;
INSERT INTO s (k, v) VALUES ('a', 1);
INSERT INTO s (k, v) VALUES ('b', 2);
INSERT INTO s (k, v) VALUES ('a', 3);`, true); err != nil {
		t.Fatal(err)
	}
	var got string
	for ctx.Err() == nil {
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
		if got == "a,4;" {
			return
		}
		select {
		case <-ctx.Done():
		case <-time.After(50 * time.Millisecond): // poll interval while the App catches up
		}
	}
	t.Fatalf("pull query answered %q, want a,4;", got)
}
