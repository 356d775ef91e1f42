package engine_test

import (
	"strings"
	"testing"
)

// TestStatementInFormatError: a sink whose key format cannot hold its key columns fails
// with ksqlDB's message, which ends with the statement as ksqlDB rewrote it.
func TestStatementInFormatError(t *testing.T) {
	e, _ := newEngine(t)
	exec(t, e, `CREATE STREAM TEST (f1 INT KEY, f2 INT) WITH (kafka_topic='test_topic', value_format='JSON');`)
	_, err := e.ExecuteScript(`CREATE TABLE OUTPUT WITH (KEY_FORMAT='KAFKA') AS SELECT f2, f1, f2+f1, COUNT(*) FROM TEST t WHERE f2 > 0 GROUP BY f1, f2;`)
	want := "Key format does not support schema.\nformat: KAFKA\nschema: Persistence{columns=[`F1` INTEGER KEY, `F2` INTEGER KEY], features=[]}\n" +
		"reason: The 'KAFKA' format only supports a single field. Got: [`F1` INTEGER KEY, `F2` INTEGER KEY]\n" +
		"Statement: CREATE TABLE OUTPUT WITH (KEY_FORMAT='KAFKA') AS SELECT\n  T.F2 F2,\n  T.F1 F1,\n  (T.F2 + T.F1) KSQL_COL_0,\n  COUNT(*) KSQL_COL_1\n" +
		"FROM TEST T\nWHERE (T.F2 > 0)\nGROUP BY T.F1, T.F2\nEMIT CHANGES"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}
