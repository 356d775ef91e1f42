package dsl_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/runtime/ttd"
	"github.com/ksqlgo/ksqlgo/serde"
)

// describe renders a record context and a value as "value@ts/partition/offset[headers]".
func describe(rc dsl.RecordContext, v int) string {
	return fmt.Sprintf("%d@%d/%d/%d[%s]", v, rc.Timestamp, rc.Partition, rc.Offset, headers(rc.Headers))
}

// TestMapTableValuesWithContext: the mapping sees the timestamp, partition, offset and
// headers of the record that updated the row, and the headers travel on downstream.
func TestMapTableValuesWithContext(t *testing.T) {
	b := dsl.NewBuilder()
	tbl := dsl.TableOf(b, "in", consumed)
	dsl.MapTableValuesWithContext(tbl, func(rc dsl.RecordContext, _ string, v int) string {
		return describe(rc, v)
	}).ToStream().To("out", dsl.Produced(serde.String(), serde.String()))
	d := newDriver(t, b)
	input := ttd.NewInputTopic(d, "in", serde.String(), serde.JSON[int]())
	if err := input.Pipe("a", 1, 10, runtime.Header{Key: "h", Value: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	if err := input.Pipe("b", 2, 20); err != nil {
		t.Fatal(err)
	}
	if err := input.Pipe("a", 3, 30, runtime.Header{Key: "h", Value: []byte("y")}); err != nil {
		t.Fatal(err)
	}
	kvs, err := ttd.NewOutputTopic(d, "out", serde.String(), serde.String()).Read()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, kv := range kvs {
		got = append(got, fmt.Sprintf("%s=%s{%s}", kv.Key, kv.Value, headers(kv.Headers)))
	}
	want := "a=1@10/0/0[h=x]{h=x} b=2@20/0/1[]{} a=3@30/0/2[h=y]{h=y}"
	if s := strings.Join(got, " "); s != want {
		t.Errorf("got  %s\nwant %s", s, want)
	}
}

// TestFilterWithContext: a table filter on a header; a row whose new record stops
// matching is deleted downstream.
func TestFilterWithContext(t *testing.T) {
	b := dsl.NewBuilder()
	tbl := dsl.TableOf(b, "in", consumed)
	tbl.FilterWithContext(func(rc dsl.RecordContext, _ string, _ int) bool {
		for _, h := range rc.Headers {
			if h.Key == "keep" {
				return true
			}
		}
		return false
	}).ToStream().To("out", dsl.Produced(serde.String(), serde.JSON[int]()))
	d := newDriver(t, b)
	input := ttd.NewInputTopic(d, "in", serde.String(), serde.JSON[int]())
	keep := runtime.Header{Key: "keep"}
	for _, r := range []struct {
		key string
		v   int
		hs  []runtime.Header
	}{
		{"a", 1, []runtime.Header{keep}},
		{"b", 2, nil},
		{"a", 3, nil}, // both the new and the old value are judged by this record: nothing kept
		{"b", 4, []runtime.Header{keep}},
	} {
		if err := input.Pipe(r.key, r.v, 1, r.hs...); err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Join(updates(t, d, "out", serde.JSON[int]()), " "); got != "a=1 b=4" {
		t.Errorf("got %s, want a=1 b=4", got)
	}
}

// TestTableGroupByWithContext: the grouping function sees the record context for the new
// and the old value alike (the context of the record that caused the update), and the
// aggregation's output carries that record's headers through the repartition topic.
func TestTableGroupByWithContext(t *testing.T) {
	b := dsl.NewBuilder()
	tbl := dsl.TableOf(b, "in", consumed)
	g := dsl.TableGroupByWithContext(tbl, func(rc dsl.RecordContext, _ string, v int) (string, string) {
		return "all", describe(rc, v)
	}, serde.String(), serde.String())
	log := dsl.TableAggregate(g, func() string { return "" },
		func(_ string, v, agg string) string { return agg + " +" + v },
		func(_ string, v, agg string) string { return agg + " -" + v }, serde.String())
	log.ToStream().To("out", dsl.Produced(serde.String(), serde.String()))
	d := newDriver(t, b)
	input := ttd.NewInputTopic(d, "in", serde.String(), serde.JSON[int]())
	if err := input.Pipe("a", 1, 10, runtime.Header{Key: "h", Value: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	if err := input.Pipe("a", 2, 20, runtime.Header{Key: "h", Value: []byte("y")}); err != nil {
		t.Fatal(err)
	}
	kvs, err := ttd.NewOutputTopic(d, "out", serde.String(), serde.String()).Read()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, kv := range kvs {
		got = append(got, fmt.Sprintf("%s{%s}", kv.Value, headers(kv.Headers)))
	}
	want := []string{
		" +1@10/0/0[h=x]{h=x}",
		" +1@10/0/0[h=x] -1@20/0/1[h=y] +2@20/0/1[h=y]{h=y}",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
