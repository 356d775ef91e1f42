package dsl_test

import (
	"fmt"
	"testing"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/runtime/ttd"
	"github.com/ksqlgo/ksqlgo/serde"
)

// BenchmarkJoinTable measures the stream-table join on the test driver (no broker): each
// op pipes one JSON stream record that looks up one of 10k table rows in the source
// table's store and writes the joined record. For comparison, "count" runs a count per
// key (a store read and write per record) on the same driver, whose commit after every
// record dominates both. It reports records per second; the bench command's raw
// franz-go baseline has no join counterpart yet.
func BenchmarkJoinTable(b *testing.B) {
	b.Run("join", func(b *testing.B) {
		bld := dsl.NewBuilder()
		s := dsl.StreamOf(bld, "in", consumed)
		tbl := dsl.TableOf(bld, "tbl", consumed)
		dsl.JoinTable(s, tbl, func(_ string, v, vt int) int { return v + vt }).To("out", dsl.Produced(serde.String(), serde.JSON[int]()))
		benchPipe(b, bld)
	})
	b.Run("count", func(b *testing.B) {
		bld := dsl.NewBuilder()
		dsl.StreamOf(bld, "in", consumed).GroupByKey().Count().ToStream().To("out")
		dsl.TableOf(bld, "tbl", consumed)
		benchPipe(b, bld)
	})
}

func benchPipe(b *testing.B, bld *dsl.Builder) {
	topo, err := bld.Build()
	if err != nil {
		b.Fatal(err)
	}
	d := newDriverTB(b, topo)
	const keys = 10_000
	keyBytes := make([][]byte, keys)
	for i := range keys {
		keyBytes[i] = []byte(fmt.Sprintf("key-%05d", i))
		if err := d.Pipe("tbl", keyBytes[i], []byte("7"), int64(i)); err != nil {
			b.Fatal(err)
		}
	}
	d.ReadOutput("out")
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if err := d.Pipe("in", keyBytes[i%keys], []byte("35"), int64(keys+i)); err != nil {
			b.Fatal(err)
		}
		i++
		if i%1024 == 0 {
			d.ReadOutput("out")
		}
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "rec/s")
}

func newDriverTB(tb testing.TB, topo *runtime.Topology) *ttd.Driver {
	tb.Helper()
	d, err := ttd.New(topo)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { d.Close() })
	return d
}
