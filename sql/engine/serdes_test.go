package engine_test

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/runtime"
)

// pipe writes raw records to topic; a nil value is a tombstone.
func pipe(t *testing.T, r interface {
	Pipe(string, []byte, []byte, int64, ...runtime.Header) error
}, topic string, values ...[]byte) {
	t.Helper()
	for i, v := range values {
		if err := r.Pipe(topic, []byte("k"), v, int64(i)); err != nil {
			t.Fatal(err)
		}
	}
}

func checkValues(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// TestNullValues: a null value passes through a stream's projection as a null value
// (even for an unwrapped single column), while WHERE and aggregations drop it.
func TestNullValues(t *testing.T) {
	e, r := newEngine(t)
	exec(t, e, `
		CREATE STREAM s (k STRING KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='DELIMITED');
		CREATE STREAM copy AS SELECT * FROM s;
		CREATE STREAM unwrapped WITH (VALUE_FORMAT='JSON', WRAP_SINGLE_VALUE=false) AS SELECT * FROM s;
		CREATE STREAM filtered AS SELECT * FROM s WHERE v IS NULL OR v > 0;
		CREATE TABLE counts AS SELECT k, COUNT(*) AS n FROM s GROUP BY k;`)
	pipe(t, r, "s", []byte("1"), nil)
	checkValues(t, values(t, r, "COPY"), []string{"k=1", "k="})
	if out := r.Output("COPY"); out[1].Value != nil {
		t.Fatalf("COPY value %q, want null", out[1].Value)
	}
	unwrapped := r.Output("UNWRAPPED")
	if len(unwrapped) != 2 || string(unwrapped[0].Value) != "1" || unwrapped[1].Value != nil {
		t.Fatalf("UNWRAPPED: got %v, want 1, null", unwrapped)
	}
	checkValues(t, values(t, r, "FILTERED"), []string{"k=1"})
	checkValues(t, values(t, r, "COUNTS"), []string{"k=1"})
}

// TestHeaderColumns: a header with a null value reads as NULL, and header columns cannot
// be written.
func TestHeaderColumns(t *testing.T) {
	e, r := newEngine(t)
	exec(t, e, `
		CREATE STREAM s (k STRING KEY, v INT, h BYTES HEADER('a'), hs ARRAY<STRUCT<key STRING, value BYTES>> HEADERS)
		  WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');
		CREATE STREAM out AS SELECT k, h, hs FROM s;
		CREATE STREAM plain (k STRING KEY, v INT, h BYTES) WITH (KAFKA_TOPIC='p', VALUE_FORMAT='JSON');`)
	for _, hs := range [][]runtime.Header{{{Key: "a", Value: nil}}, {{Key: "a", Value: []byte{}}}} {
		if err := r.Pipe("s", []byte("k"), []byte(`{"V":1}`), 0, hs...); err != nil {
			t.Fatal(err)
		}
	}
	checkValues(t, values(t, r, "OUT"), []string{
		`k={"H":null,"HS":[{"KEY":"a","VALUE":null}]}`,
		`k={"H":"","HS":[{"KEY":"a","VALUE":""}]}`,
	})
	for sql, want := range map[string]string{
		"INSERT INTO s VALUES ('k', 1, NULL, NULL);": "Cannot insert into HEADER columns: H, HS",
		"INSERT INTO s (k, h) VALUES ('k', NULL);":   "Cannot insert into HEADER columns: H",
		"INSERT INTO s SELECT * FROM plain;":         "Cannot insert into S because it has header columns",
	} {
		if _, err := e.ExecuteScript(sql); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", sql, err, want)
		}
	}
}

// TestDelimiters: KEY_DELIMITER and VALUE_DELIMITER are validated with ksqlDB's messages
// and inherited by a query's sink only while it keeps the format.
func TestDelimiters(t *testing.T) {
	e, r := newEngine(t)
	exec(t, e, `
		CREATE STREAM s (k1 STRING KEY, k2 STRING KEY, a INT, b INT)
		  WITH (KAFKA_TOPIC='s', FORMAT='DELIMITED', KEY_DELIMITER=';', VALUE_DELIMITER='|');
		CREATE STREAM same AS SELECT * FROM s;
		CREATE STREAM json WITH (KEY_FORMAT='JSON', VALUE_FORMAT='JSON') AS SELECT * FROM s;
		CREATE STREAM tab WITH (VALUE_DELIMITER='TAB') AS SELECT * FROM s;`)
	if err := r.Pipe("s", []byte("x,y;z"), []byte("1|2"), 0); err != nil {
		t.Fatal(err)
	}
	checkValues(t, values(t, r, "SAME"), []string{`x,y;z=1|2`})
	checkValues(t, values(t, r, "JSON"), []string{`{"K1":"x,y","K2":"z"}={"A":1,"B":2}`})
	checkValues(t, values(t, r, "TAB"), []string{"x,y;z=1\t2"})
	for sql, want := range map[string]string{
		"CREATE STREAM b1 (v INT) WITH (KAFKA_TOPIC='b', VALUE_FORMAT='DELIMITED', VALUE_DELIMITER='<~>');": "Failed to prepare statement: Configuration VALUE_DELIMITER is invalid: Invalid delimiter value: '<~>'. Delimiter must be a single character or TAB,SPACE\nExample valid value: ';'",
		"CREATE STREAM b2 (v INT) WITH (KAFKA_TOPIC='b', VALUE_FORMAT='DELIMITED', VALUE_DELIMITER=' ');":   "Failed to prepare statement: Configuration VALUE_DELIMITER is invalid: Delimiter cannot be empty",
		"CREATE STREAM b3 (k INT KEY, v INT) WITH (KAFKA_TOPIC='b', FORMAT='DELIMITED', KEY_DELIMITER='');": "Failed to prepare statement: Configuration KEY_DELIMITER is invalid: Delimiter cannot be empty",
		"CREATE STREAM b4 (k INT KEY, v INT) WITH (KAFKA_TOPIC='b', FORMAT='KAFKA', KEY_DELIMITER=';');":    "KAFKA does not support the following configs: [delimiter]",
		"CREATE STREAM b5 (v INT) WITH (KAFKA_TOPIC='b', VALUE_FORMAT='JSON', VALUE_DELIMITER='|');":        "JSON does not support the following configs: [delimiter]",
	} {
		if _, err := e.ExecuteScript(sql); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", sql, err, want)
		}
	}
}

// TestWrapSingleValueDefault: ksql.persistence.wrap.single.values applies to
// single-column JSON values only.
func TestWrapSingleValueDefault(t *testing.T) {
	e, r := newEngine(t)
	e.Props["ksql.persistence.wrap.single.values"] = "false"
	exec(t, e, `
		CREATE STREAM s (k STRING KEY, a STRING, b STRING) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');
		CREATE STREAM one AS SELECT k, a FROM s;
		CREATE STREAM two AS SELECT k, a, b FROM s;
		CREATE STREAM kafka WITH (VALUE_FORMAT='KAFKA') AS SELECT k, a FROM s;`)
	pipe(t, r, "s", []byte(`{"A":"x","B":"y"}`))
	checkValues(t, values(t, r, "ONE"), []string{`k="x"`})
	checkValues(t, values(t, r, "TWO"), []string{`k={"A":"x","B":"y"}`})
	checkValues(t, values(t, r, "KAFKA"), []string{`k=x`})
}

// TestSinkTimestamp: a sink's TIMESTAMP column (value or key, BIGINT or STRING with
// TIMESTAMP_FORMAT) sets the timestamps it is written with; records with a negative or
// unparsable timestamp are dropped.
func TestSinkTimestamp(t *testing.T) {
	e, r := newEngine(t)
	exec(t, e, `
		CREATE STREAM s (k BIGINT KEY, v BIGINT, txt STRING) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');
		CREATE STREAM by_value WITH (TIMESTAMP='ts') AS SELECT k, v AS ts FROM s;
		CREATE STREAM by_key WITH (TIMESTAMP='k') AS SELECT * FROM s;
		CREATE STREAM by_text WITH (TIMESTAMP='txt', TIMESTAMP_FORMAT='yyyy-MM-dd''T''HH:mm:ssX') AS SELECT * FROM s;
		CREATE TABLE t (k BIGINT PRIMARY KEY, v BIGINT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');
		CREATE TABLE tv WITH (TIMESTAMP='v') AS SELECT * FROM t;`)
	for _, rec := range []struct {
		k int64
		v string
	}{{7, `{"V":1,"TXT":"2018-05-11T21:58:33Z"}`}, {-2, `{"V":-2,"TXT":"nope"}`}} {
		if err := r.Pipe("s", binary.BigEndian.AppendUint64(nil, uint64(rec.k)), []byte(rec.v), 100); err != nil {
			t.Fatal(err)
		}
	}
	for topic, want := range map[string][]int64{"BY_VALUE": {1}, "BY_KEY": {7}, "BY_TEXT": {1526075913000}, "TV": {1}} {
		var got []int64
		for _, rec := range r.Output(topic) {
			got = append(got, rec.Timestamp)
		}
		if len(got) != len(want) || got[0] != want[0] {
			t.Errorf("%s: timestamps %v, want %v", topic, got, want)
		}
	}
	if _, err := e.ExecuteScript(`CREATE STREAM bad WITH (TIMESTAMP='txt') AS SELECT * FROM s;`); err == nil ||
		!strings.Contains(err.Error(), "Timestamp column, `TXT`, should be LONG(INT64), TIMESTAMP, or a String with a timestamp_format specified") {
		t.Errorf("STRING TIMESTAMP column without format: error %v", err)
	}
}

// TestSelectStarPartitionByExpression: SELECT * ... PARTITION BY an expression keys the
// rows by it (named KSQL_COL_0) and moves the old key after the value columns.
func TestSelectStarPartitionByExpression(t *testing.T) {
	e, r := newEngine(t)
	exec(t, e, `
		CREATE STREAM s (k STRING KEY, a INT, b INT) WITH (KAFKA_TOPIC='s', FORMAT='DELIMITED');
		CREATE STREAM out AS SELECT * FROM s PARTITION BY a + b;
		CREATE STREAM offs AS SELECT * FROM s PARTITION BY ROWOFFSET;`)
	pipe(t, r, "s", []byte("1,2"), []byte("3,4"))
	checkValues(t, values(t, r, "OUT"), []string{"3=1,2,k", "7=3,4,k"})
	src := e.Catalog.Source("OUT")
	if src == nil || src.Columns[0].Name != "KSQL_COL_0" || src.Columns[3].Name != "K" {
		t.Fatalf("OUT columns %+v: want KSQL_COL_0 KEY, A, B, K", src)
	}
	if out := r.Output("OFFS"); len(out) != 2 || string(out[1].Value) != "3,4,k" {
		t.Fatalf("OFFS: got %v", out)
	}
}
