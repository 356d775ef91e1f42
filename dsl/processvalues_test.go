package dsl_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/runtime/ttd"
	"github.com/ksqlgo/ksqlgo/serde"
)

// tenfold forwards each record with its value times ten and a copy of its key, skipping
// odd values.
type tenfold struct {
	ctx *dsl.ProcessorContext[string, int]
}

func (p *tenfold) Init(ctx *dsl.ProcessorContext[string, int]) error { p.ctx = ctx; return nil }

func (p *tenfold) Process(r dsl.Record[string, int]) error {
	if r.Value%2 == 0 {
		key := strings.Clone(r.Key)
		p.ctx.Forward(dsl.Record[string, int]{Key: key, Value: r.Value * 10, Timestamp: r.Timestamp, Headers: r.Headers})
	}
	return nil
}

func (p *tenfold) Close() error { return nil }

// TestProcessValuesGroupsWithoutRepartition: grouping what ProcessValues forwards needs
// no repartition topic (the keys are the input's), while after Process it does, and both
// aggregate the same. The key serde changes between the source and the store, as SQL's
// GROUP BY on the source's key columns does.
func TestProcessValuesGroupsWithoutRepartition(t *testing.T) {
	tests := []struct {
		name     string
		process  func(dsl.Stream[string, int]) dsl.Stream[string, int]
		internal []string
		repart   int // records written to the repartition topic
	}{
		{"process", func(s dsl.Stream[string, int]) dsl.Stream[string, int] {
			return dsl.Process(s, func() dsl.Processor[string, int, string, int] { return &tenfold{} })
		}, []string{"g-repartition", "sums-changelog"}, 4},
		{"processValues", func(s dsl.Stream[string, int]) dsl.Stream[string, int] {
			return dsl.ProcessValues(s, func() dsl.Processor[string, int, string, int] { return &tenfold{} })
		}, []string{"sums-changelog"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := dsl.NewBuilder()
			s := tt.process(dsl.StreamOf(b, "in", consumed)).WithSerdes(serde.JSON[string](), serde.JSON[int]())
			sums := dsl.Aggregate(s.GroupByKey(dsl.Named("g")), func() int { return 0 },
				func(_ string, v, agg int) int { return agg + v }, serde.JSON[int](), dsl.Named("sums"))
			sums.ToStream().To("out", dsl.Produced(serde.String(), serde.JSON[int]()))
			topo, err := b.Build()
			if err != nil {
				t.Fatal(err)
			}
			if got := topo.InternalTopics(); !slices.Equal(got, tt.internal) {
				t.Errorf("internal topics %q, want %q", got, tt.internal)
			}
			d := newDriver(t, b, ttd.AppID("app"))
			pipe(t, d, "in", in{"a", 2, 1}, in{"b", 4, 2}, in{"a", 3, 3}, in{"a", 6, 4}, in{"b", 8, 5})
			if got := strings.Join(updates(t, d, "out", serde.JSON[int]()), " "); got != "a=20 b=40 a=80 b=120" {
				t.Errorf("got %s", got)
			}
			if got := len(d.AllOutput("app-g-repartition")); got != tt.repart {
				t.Errorf("repartition topic has %d records, want %d", got, tt.repart)
			}
		})
	}
}

// TestProcessValuesKeepsKeySerde: the result of ProcessValues carries the key serde of its
// input, so it groups and sinks with no WithSerdes for the key.
func TestProcessValuesKeepsKeySerde(t *testing.T) {
	b := dsl.NewBuilder()
	s := dsl.ProcessValues(dsl.StreamOf(b, "in", consumed), func() dsl.Processor[string, int, string, int] { return &tenfold{} })
	s.GroupByKey().Count(dsl.Named("counts")).ToStream().To("out", dsl.Produced(serde.String(), serde.Int64()))
	d := newDriver(t, b)
	pipe(t, d, "in", in{"a", 2, 1}, in{"a", 4, 2}, in{"b", 1, 3})
	if got := strings.Join(updates(t, d, "out", serde.Int64()), " "); got != "a=1 a=2" {
		t.Errorf("got %s", got)
	}
}

// TestProcessValuesNilSupplier: a nil supplier fails Build.
func TestProcessValuesNilSupplier(t *testing.T) {
	b := dsl.NewBuilder()
	dsl.ProcessValues[string, int, int](dsl.StreamOf(b, "in", consumed), nil).To("out", dsl.Produced(serde.String(), serde.JSON[int]()))
	if _, err := b.Build(); err == nil || !strings.Contains(err.Error(), "nil supplier") {
		t.Fatalf("Build: %v, want a nil supplier error", err)
	}
}
