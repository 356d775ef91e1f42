package engine_test

import (
	"testing"

	"github.com/ksqlgo/ksqlgo/runtime"
)

// TestTableRecordMetadata: a query over a table sees the ROWTIME, ROWOFFSET and headers
// of the record that last updated each row; an update the WHERE clause rejects deletes
// the row, as ksqlDB's table filter does.
func TestTableRecordMetadata(t *testing.T) {
	e, r := newEngine(t)
	exec(t, e, `
		CREATE TABLE t (k STRING PRIMARY KEY, v INT, h BYTES HEADER('src')) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');
		CREATE TABLE recent AS SELECT k, v, ROWTIME AS rt, ROWOFFSET AS ro, h FROM t WHERE ROWTIME >= 10;`)
	for _, rec := range []struct {
		key, value string
		ts         int64
		src        string
	}{
		{"a", `{"V":1}`, 5, "x"},
		{"b", `{"V":2}`, 10, "x"},
		{"a", `{"V":3}`, 20, "y"},
		{"a", `{"V":4}`, 7, "y"},
	} {
		if err := r.Pipe("t", []byte(rec.key), []byte(rec.value), rec.ts, runtime.Header{Key: "src", Value: []byte(rec.src)}); err != nil {
			t.Fatal(err)
		}
	}
	checkValues(t, values(t, r, "RECENT"), []string{
		`a=`,
		`b={"V":2,"RT":10,"RO":1,"H":"eA=="}`,
		`a={"V":3,"RT":20,"RO":2,"H":"eQ=="}`,
		`a=`,
	})
}
