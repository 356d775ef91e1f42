package main

import (
	"context"
	"strings"
	"testing"
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
