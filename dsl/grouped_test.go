package dsl_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/runtime/ttd"
	"github.com/ksqlgo/ksqlgo/serde"
)

// updates reads topic as "key=value" strings ("key=<nil>" for tombstones).
func updates[V any](t *testing.T, d *ttd.Driver, topic string, vs serde.Serde[V]) []string {
	t.Helper()
	kvs, err := ttd.NewOutputTopic(d, topic, serde.String(), vs).Read()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, kv := range kvs {
		if kv.Null {
			out = append(out, kv.Key+"=<nil>")
			continue
		}
		out = append(out, fmt.Sprintf("%s=%v", kv.Key, kv.Value))
	}
	return out
}

func TestCountByKeyAndTombstonesDropped(t *testing.T) {
	b := dsl.NewBuilder()
	counts := dsl.StreamOf(b, "in", consumed).GroupByKey().Count(dsl.Named("counts"))
	counts.ToStream().To("out", dsl.Produced(serde.String(), serde.Int64()))
	d := newDriver(t, b)
	input := ttd.NewInputTopic(d, "in", serde.String(), serde.JSON[int]())
	for _, r := range []in{{"a", 1, 1}, {"b", 1, 2}, {"a", 1, 3}, {"a", 1, 4}} {
		if err := input.Pipe(r.key, r.value, r.ts); err != nil {
			t.Fatal(err)
		}
	}
	// A null key and a null value are dropped and counted.
	if err := d.Pipe("in", nil, []byte("1"), 5); err != nil {
		t.Fatal(err)
	}
	if err := d.Pipe("in", []byte("a"), nil, 6); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(updates(t, d, "out", serde.Int64()), " ")
	if got != "a=1 b=1 a=2 a=3" {
		t.Fatalf("got %s", got)
	}
	if m := d.Metrics(); m.DroppedRecords != 2 {
		t.Fatalf("dropped %d, want 2", m.DroppedRecords)
	}
}

// TestGroupByRepartitions: grouping by a new key goes through a repartition topic named
// after the store, and aggregates per new key.
func TestGroupByRepartitions(t *testing.T) {
	b := dsl.NewBuilder()
	s := dsl.StreamOf(b, "in", consumed)
	byParity := dsl.GroupBy(s, func(_ string, v int) string { return []string{"even", "odd"}[v%2] }, serde.String())
	sums := dsl.Aggregate(byParity, func() int { return 0 }, func(_ string, v, agg int) int { return agg + v },
		serde.JSON[int](), dsl.Named("sums"))
	sums.ToStream().To("out", dsl.Produced(serde.String(), serde.JSON[int]()))
	d := newDriver(t, b, ttd.AppID("app"))
	input := ttd.NewInputTopic(d, "in", serde.String(), serde.JSON[int]())
	for i := 1; i <= 5; i++ {
		if err := input.Pipe(fmt.Sprint("k", i), i, int64(i)); err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Join(updates(t, d, "out", serde.JSON[int]()), " "); got != "odd=1 even=2 odd=4 even=6 odd=9" {
		t.Fatalf("got %s", got)
	}
	if n := len(d.AllOutput("app-sums-repartition")); n != 5 {
		t.Fatalf("repartition topic has %d records, want 5", n)
	}
	if n := len(d.AllOutput("app-sums-changelog")); n != 5 {
		t.Fatalf("changelog has %d records, want 5", n)
	}
}

func TestReduce(t *testing.T) {
	b := dsl.NewBuilder()
	maxes := dsl.StreamOf(b, "in", consumed).GroupByKey().Reduce(func(agg, v int) int { return max(agg, v) })
	maxes.ToStream().To("out")
	d := newDriver(t, b)
	input := ttd.NewInputTopic(d, "in", serde.String(), serde.JSON[int]())
	for _, r := range []in{{"a", 5, 1}, {"a", 3, 2}, {"a", 9, 3}} {
		if err := input.Pipe(r.key, r.value, r.ts); err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Join(updates(t, d, "out", serde.JSON[int]()), " "); got != "a=5 a=5 a=9" {
		t.Fatalf("got %s", got)
	}
}

// TestTableSource: tombstones delete, re-inserts come back, deleting an absent key does
// nothing, and a table filter turns rows that stop matching into deletes.
func TestTableSource(t *testing.T) {
	b := dsl.NewBuilder()
	tbl := dsl.TableOf(b, "in", consumed)
	tbl.ToStream().To("all", dsl.Produced(serde.String(), serde.JSON[int]()))
	tbl.Filter(func(_ string, v int) bool { return v > 10 }).ToStream().To("big", dsl.Produced(serde.String(), serde.JSON[int]()))
	d := newDriver(t, b)
	input := ttd.NewInputTopic(d, "in", serde.String(), serde.JSON[int]())
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(input.Pipe("a", 20, 1))
	must(input.Pipe("a", 5, 2))
	must(input.PipeTombstone("a", 3))
	must(input.PipeTombstone("zz", 4))
	must(input.Pipe("a", 30, 5))
	if got := strings.Join(updates(t, d, "all", serde.JSON[int]()), " "); got != "a=20 a=5 a=<nil> a=30" {
		t.Fatalf("all: %s", got)
	}
	if got := strings.Join(updates(t, d, "big", serde.JSON[int]()), " "); got != "a=20 a=<nil> a=30" {
		t.Fatalf("big: %s", got)
	}
}

// TestTableGroupBySubtracts: moving a row to another group subtracts it from the old one.
func TestTableGroupBySubtracts(t *testing.T) {
	type stock struct {
		Item  string `json:"item"`
		Store string `json:"store"`
		Qty   int    `json:"qty"`
	}
	b := dsl.NewBuilder()
	rows := dsl.TableOf(b, "stock", dsl.Consumed(serde.String(), serde.JSON[stock]()))
	perStore := dsl.TableGroupBy(rows, func(_ string, s stock) (string, int) { return s.Store, s.Qty }, serde.String(), serde.JSON[int]())
	totals := dsl.TableAggregate(perStore, func() int { return 0 },
		func(_ string, q, agg int) int { return agg + q },
		func(_ string, q, agg int) int { return agg - q }, serde.JSON[int]())
	totals.ToStream().To("totals", dsl.Produced(serde.String(), serde.JSON[int]()))
	perStore.Count(dsl.Named("rows-per-store")).ToStream().To("counts", dsl.Produced(serde.String(), serde.Int64()))
	d := newDriver(t, b)
	input := ttd.NewInputTopic(d, "stock", serde.String(), serde.JSON[stock]())
	for _, r := range []struct {
		key string
		s   *stock
	}{
		{"i1@A", &stock{"i1", "A", 5}},
		{"i2@A", &stock{"i2", "A", 3}},
		{"i1@A", &stock{"i1", "A", 7}}, // update in place: subtract 5, add 7
		{"i2@A", &stock{"i2", "B", 3}}, // moves from A to B
		{"i1@A", nil},                  // deleted
	} {
		var err error
		if r.s == nil {
			err = input.PipeTombstone(r.key, 1)
		} else {
			err = input.Pipe(r.key, *r.s, 1)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Join(updates(t, d, "totals", serde.JSON[int]()), " "); got != "A=5 A=8 A=10 A=7 B=3 A=0" {
		t.Fatalf("totals: %s", got)
	}
	if got := strings.Join(updates(t, d, "counts", serde.Int64()), " "); got != "A=1 A=2 A=2 A=1 B=1 A=0" {
		t.Fatalf("counts: %s", got)
	}
}
