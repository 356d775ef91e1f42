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
