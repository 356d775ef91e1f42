package dsl_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/runtime/ttd"
	"github.com/ksqlgo/ksqlgo/serde"
)

// joined is the Produced of join results in tests: string keys, JSON string values.
var joined = dsl.Produced(serde.String(), serde.JSON[string]())

// checkDroppedJoin fails unless the driver counted want dropped records.
func checkDroppedJoin(t *testing.T, d *ttd.Driver, want int64) {
	t.Helper()
	if got := d.Metrics().DroppedRecords; got != want {
		t.Errorf("dropped records: got %d, want %d", got, want)
	}
}

// tombstone pipes a record with a null value into topic.
func tombstone(t *testing.T, d *ttd.Driver, topic, key string, ts int64) {
	t.Helper()
	if err := ttd.NewInputTopic(d, topic, serde.String(), serde.JSON[int]()).PipeTombstone(key, ts); err != nil {
		t.Fatal(err)
	}
}

func TestJoinTable(t *testing.T) {
	b := dsl.NewBuilder()
	s := dsl.StreamOf(b, "in", consumed)
	tbl := dsl.TableOf(b, "tbl", consumed)
	dsl.JoinTable(s, tbl, func(k string, v, vt int) string { return fmt.Sprintf("%s:%d+%d", k, v, vt) }).To("out", joined)
	d := newDriver(t, b)

	pipe(t, d, "in", in{"a", 1, 1}) // nothing in the table yet: no output
	checkOutput(t, d, "out")
	pipe(t, d, "tbl", in{"a", 10, 2}, in{"b", 20, 3})
	checkOutput(t, d, "out") // table updates trigger nothing
	pipe(t, d, "in", in{"a", 2, 4}, in{"b", 3, 5}, in{"c", 4, 6})
	checkOutput(t, d, "out", `a:"a:2+10"@4`, `b:"b:3+20"@5`)
	pipe(t, d, "tbl", in{"a", 11, 7})
	tombstone(t, d, "tbl", "b", 8)
	pipe(t, d, "in", in{"a", 5, 3}, in{"b", 6, 9}) // the store as it is now, whatever the timestamps
	checkOutput(t, d, "out", `a:"a:5+11"@3`)

	// Null keys and values are dropped and counted; undecodable records go to the
	// deserialization policy.
	if err := d.Pipe("in", nil, []byte("1"), 10); err != nil {
		t.Fatal(err)
	}
	tombstone(t, d, "in", "a", 11)
	if err := d.Pipe("in", []byte("a"), []byte("not json"), 12); err != nil {
		t.Fatal(err)
	}
	checkOutput(t, d, "out")
	checkDroppedJoin(t, d, 2)
	if got := d.Metrics().DeserializationErrors; got != 1 {
		t.Errorf("deserialization errors: got %d, want 1", got)
	}
}

func TestLeftJoinTable(t *testing.T) {
	b := dsl.NewBuilder()
	s := dsl.StreamOf(b, "in", consumed)
	tbl := dsl.TableOf(b, "tbl", consumed)
	dsl.LeftJoinTable(s, tbl, func(k string, v, vt int, found bool) string {
		if !found {
			return fmt.Sprintf("%d+null", v)
		}
		return fmt.Sprintf("%d+%d", v, vt)
	}).To("out", joined)
	d := newDriver(t, b)

	pipe(t, d, "tbl", in{"a", 0, 1}) // a zero value is a match, not "no match"
	pipe(t, d, "in", in{"a", 1, 2}, in{"b", 2, 3})
	checkOutput(t, d, "out", `a:"1+0"@2`, `b:"2+null"@3`)
	tombstone(t, d, "tbl", "a", 4)
	pipe(t, d, "in", in{"a", 3, 5})
	checkOutput(t, d, "out", `a:"3+null"@5`)
	tombstone(t, d, "in", "a", 6)
	checkOutput(t, d, "out")
	checkDroppedJoin(t, d, 1)
}

// TestJoinTableMaterializes: a table computed on the fly (a filter) is materialized for
// the join; an aggregation's store is used as it is.
func TestJoinTableMaterializes(t *testing.T) {
	b := dsl.NewBuilder()
	s := dsl.StreamOf(b, "in", consumed)
	big := dsl.TableOf(b, "tbl", consumed).Filter(func(_ string, v int) bool { return v >= 10 })
	dsl.JoinTable(s, big, func(_ string, v, vt int) string { return fmt.Sprint(v + vt) }).To("out", joined)
	counts := dsl.StreamOf(b, "clicks", consumed).GroupByKey().Count(dsl.Named("clicks"))
	dsl.JoinTable(s, counts, func(_ string, v int, n int64) string { return fmt.Sprintf("%d clicks", n) }).To("out2", joined)
	d := newDriver(t, b)
	if desc := describeTopo(t, b); strings.Count(desc, "Processor: KTABLE-MATERIALIZE-") != 1 {
		t.Errorf("want one materialize node (and its store) for the filter:\n%s", desc)
	}
	pipe(t, d, "tbl", in{"a", 5, 1}, in{"b", 10, 2})
	pipe(t, d, "clicks", in{"a", 0, 1}, in{"a", 0, 2})
	pipe(t, d, "in", in{"a", 1, 3}, in{"b", 1, 4})
	checkOutput(t, d, "out", `b:"11"@4`)
	checkOutput(t, d, "out2", `a:"2 clicks"@3`)
	pipe(t, d, "tbl", in{"b", 1, 5}) // b no longer passes the filter: deleted
	pipe(t, d, "in", in{"b", 1, 6})
	checkOutput(t, d, "out")
}

// TestJoinTableRepartitions: a stream whose key may have changed is repartitioned before
// the join, through "<name>-left-repartition".
func TestJoinTableRepartitions(t *testing.T) {
	b := dsl.NewBuilder()
	s := dsl.SelectKey(dsl.StreamOf(b, "in", consumed), func(k string, _ int) string { return strings.ToUpper(k) }).
		WithSerdes(serde.String(), serde.JSON[int]())
	tbl := dsl.TableOf(b, "tbl", consumed)
	dsl.JoinTable(s, tbl, func(_ string, v, vt int) string { return fmt.Sprint(v + vt) }, dsl.Named("j")).To("out", joined)
	d := newDriver(t, b)
	if desc := describeTopo(t, b); !strings.Contains(desc, "j-left-repartition") {
		t.Errorf("no repartition:\n%s", desc)
	}
	pipe(t, d, "tbl", in{"A", 10, 1})
	pipe(t, d, "in", in{"a", 1, 2})
	checkOutput(t, d, "out", `A:"11"@2`)
}

func TestJoinTableErrors(t *testing.T) {
	b := dsl.NewBuilder()
	s := dsl.StreamOf(b, "in", consumed)
	tbl := dsl.MapTableValues(dsl.TableOf(b, "tbl", consumed), func(_ string, v int) string { return fmt.Sprint(v) })
	dsl.JoinTable(s, tbl, func(_ string, v int, vt string) string { return vt }).To("out", joined)
	if _, err := b.Build(); !errorsContains(err, "no key or value serde", "WithSerdes") {
		t.Errorf("Build: %v", err)
	}
	b = dsl.NewBuilder()
	dsl.JoinTable[string, int, int, string](dsl.StreamOf(b, "in", consumed), dsl.TableOf(b, "tbl", consumed), nil).To("out", joined)
	if _, err := b.Build(); !errorsContains(err, "nil joiner") {
		t.Errorf("Build: %v", err)
	}
}

func describeTopo(t *testing.T, b *dsl.Builder) string {
	t.Helper()
	topo, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return topo.Describe()
}
