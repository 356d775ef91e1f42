package dsl_test

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/serde"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestRepartition(t *testing.T) {
	tests := []struct {
		name  string
		opts  []dsl.Opt
		topic string // the internal topic as the driver (application id "ttd") names it
	}{
		{name: "generated name", topic: "ttd-KSTREAM-REPARTITION-0000000002-repartition"},
		{name: "named", opts: []dsl.Opt{dsl.Named("by-value"), dsl.NumPartitions(4)}, topic: "ttd-by-value-repartition"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := dsl.NewBuilder()
			s := dsl.SelectKey(dsl.StreamOf(b, "in", consumed), func(k string, v int) int { return v % 2 })
			opts := append([]dsl.Opt{dsl.Repartitioned[int, int](serde.JSON[int](), nil)}, tt.opts...)
			dsl.MapValues(s.Repartition(opts...), func(v int) string { return strconv.Itoa(v) }).
				To("out", dsl.Produced[int](nil, serde.String()))
			d := newDriver(t, b)
			pipe(t, d, "in", inputs...)
			checkOutput(t, d, tt.topic, "1:1@10", "0:2@20", "1:3@30", "0:4@40")
			checkOutput(t, d, "out", "1:1@10", "0:2@20", "1:3@30", "0:4@40")
		})
	}
}

// TestDescribe compares the description of a topology split into two subtopologies at a
// repartition topic with testdata/describe_repartition.golden (-update rewrites it).
func TestDescribe(t *testing.T) {
	b := dsl.NewBuilder()
	left := dsl.StreamOf(b, "left", consumed)
	right := dsl.StreamOf(b, "right", consumed, dsl.Named("right-source"))
	merged := left.Merge(right).Filter(func(_ string, v int) bool { return v > 0 })
	keyed := dsl.SelectKey(merged, func(_ string, v int) string { return strconv.Itoa(v) })
	keyed.WithSerdes(serde.String(), nil).Repartition(dsl.Named("by-value")).
		Peek(func(string, int) {}, dsl.Named("after")).
		To("out")
	topo, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "describe_repartition.golden")
	got := topo.Describe()
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("Describe differs from %s (go test -update rewrites it):\n%s", golden, got)
	}
	if got := topo.InternalTopics(); len(got) != 1 || got[0] != "by-value-repartition" {
		t.Errorf("internal topics %q, want [by-value-repartition]", got)
	}
}
