package engine_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/format"
)

// TestAggregateWindowedStream: a stream with windowed keys can be grouped; the grouping
// key replaces the windowed key, and WINDOWSTART of the source is an ordinary column.
func TestAggregateWindowedStream(t *testing.T) {
	e, r := newEngine(t)
	exec(t, e, `
		CREATE STREAM s (k STRING KEY, v STRING) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', WINDOW_TYPE='TUMBLING', WINDOW_SIZE='10 MILLISECONDS');
		CREATE TABLE t AS SELECT v, COUNT(*) AS n, MAX(WINDOWSTART) AS last FROM s GROUP BY v;`)
	for _, rec := range []struct {
		key   string
		start int64
		value string
	}{{"a", 0, `{"V":"x"}`}, {"b", 10, `{"V":"x"}`}, {"a", 20, `{"V":"y"}`}} {
		if err := r.Pipe("s", format.EncodeTimeWindowed([]byte(rec.key), rec.start), []byte(rec.value), rec.start); err != nil {
			t.Fatal(err)
		}
	}
	got := values(t, r, "T")
	want := []string{`x={"N":1,"LAST":0}`, `x={"N":2,"LAST":10}`, `y={"N":1,"LAST":20}`}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

// TestAggregateErrors: aggregations ksqlDB rejects, with its messages.
func TestAggregateErrors(t *testing.T) {
	for _, tt := range []struct{ sql, want string }{
		{`CREATE TABLE o AS SELECT k, COUNT(*) AS n FROM s GROUP BY k EMIT FINAL;`,
			"EMIT FINAL is only supported for windowed aggregations."},
		{`CREATE TABLE o AS SELECT k, COUNT(*) AS n FROM s WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY k, WINDOWSTART;`,
			"Window bounds column WINDOWSTART can only be used in the SELECT clause of windowed aggregations"},
		{`CREATE TABLE o AS SELECT k, MIN(WINDOWEND) AS n FROM s WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY k;`,
			"Window bounds column WINDOWEND can only be used in the SELECT clause of windowed aggregations"},
		{`CREATE TABLE o AS SELECT k, COUNT(*) AS n FROM s WHERE bob > 1 GROUP BY k;`,
			"WHERE column 'BOB' cannot be resolved."},
		{`CREATE TABLE o AS SELECT COUNT(*) AS n FROM s GROUP BY k, v;`,
			"must include the grouping expressions K and V in its projection (eg, SELECT K, V...)."},
		{`CREATE TABLE o AS SELECT k, k AS k2, COUNT(*) AS n FROM s GROUP BY k;`,
			"The projection contains a key column more than once: `K` and `K2`."},
		{`CREATE TABLE o AS SELECT v AS n, COUNT(*) AS n FROM s GROUP BY v;`,
			"Duplicate value columns found in schema: `N` BIGINT"},
		{`CREATE TABLE o AS SELECT k, TOPK(v, 2) AS top FROM d GROUP BY k;`,
			"One of the functions used in the statement has an intermediate type that the value format can not handle."},
		{`CREATE STREAM o AS SELECT * FROM s WINDOW TUMBLING (SIZE 1 SECOND);`,
			"WINDOW clause requires a GROUP BY clause."},
		{`CREATE TABLE o AS SELECT * FROM w;`,
			"KSQL does not support persistent queries on windowed tables."},
	} {
		e, _ := newEngine(t)
		exec(t, e, `
			CREATE STREAM s (k STRING KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');
			CREATE STREAM d (k STRING KEY, v INT) WITH (KAFKA_TOPIC='d', VALUE_FORMAT='DELIMITED');
			CREATE TABLE w (k STRING PRIMARY KEY, v INT) WITH (KAFKA_TOPIC='w', VALUE_FORMAT='JSON', WINDOW_TYPE='SESSION');`)
		_, err := e.ExecuteScript(tt.sql)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s\n got %v\nwant %s", tt.sql, err, tt.want)
		}
	}
}

// TestEmitFinal: EMIT FINAL emits each window once when it closes, at its end when no
// grace period is given.
func TestEmitFinal(t *testing.T) {
	e, r := newEngine(t)
	exec(t, e, `
		CREATE STREAM s (k STRING KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');
		CREATE TABLE t AS SELECT k, COUNT(*) AS n FROM s WINDOW TUMBLING (SIZE 10 MILLISECONDS) GROUP BY k EMIT FINAL;`)
	for _, ts := range []int64{1, 5, 9, 10} {
		if err := r.Pipe("s", []byte("a"), []byte(`{"V":1}`), ts); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, rec := range r.Output("T") {
		k, start, err := format.DecodeTimeWindowed(rec.Key)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(k)+"@"+strconv.FormatInt(start, 10)+"="+string(rec.Value))
	}
	if want := []string{`a@0={"N":3}`}; !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}
