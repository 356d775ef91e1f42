package engine_test

import (
	"slices"
	"testing"
)

// TestAggregateDecodesOnlyUsedColumns: an aggregation that reads a few value columns
// decodes only those (format.Prune), yet drops the records ksqlDB drops, which
// deserializes every column: one whose unused DOUBLE does not coerce, or that is not
// JSON; an unused STRING accepts any JSON value.
func TestAggregateDecodesOnlyUsedColumns(t *testing.T) {
	for _, tc := range []struct{ name, query string }{
		{"count", `SELECT k, COUNT(*) AS n FROM s GROUP BY k`},
		{"where", `SELECT k, COUNT(*) AS n FROM s WHERE c IS NOT NULL GROUP BY k`},
		{"lambda", `SELECT k, COUNT(*) AS n FROM s WHERE TRANSFORM(ARRAY[c], x => x + 'y')[1] IS NOT NULL GROUP BY k`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, r := newEngine(t)
			exec(t, e, `
				CREATE STREAM s (k STRING KEY, a DOUBLE, b STRING, c STRING) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');
				CREATE TABLE t AS `+tc.query+`;`)
			for _, v := range []string{
				`{"A":1.5,"B":"x","C":"c"}`,
				`{"a":"not a number","C":"c"}`,
				`{"B":{"any":["json"]},"c":"c"}`,
				`{"A":1,"B":[1,}`,
				`{"C":"c","A":null}`,
			} {
				if err := r.Pipe("s", []byte("k"), []byte(v), 0); err != nil {
					t.Fatal(err)
				}
			}
			got := values(t, r, "T")
			want := []string{`k={"N":1}`, `k={"N":2}`, `k={"N":3}`}
			if !slices.Equal(got, want) {
				t.Fatalf("got %v, want %v", got, want)
			}
		})
	}
}
