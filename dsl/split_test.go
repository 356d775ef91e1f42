package dsl_test

import (
	"maps"
	"slices"
	"testing"

	"github.com/ksqlgo/ksqlgo/dsl"
)

func TestSplit(t *testing.T) {
	small := func(_ string, v int) bool { return v < 2 }
	even := func(_ string, v int) bool { return v%2 == 0 }
	tests := []struct {
		name     string
		branches []dsl.Branched
		want     map[string][]string // branch -> output
	}{
		{
			name:     "first match wins, with default",
			branches: []dsl.Branched{dsl.Branch("small", small), dsl.Branch("even", even), dsl.DefaultBranch("rest")},
			want: map[string][]string{
				"small": {"a:1@10"},
				"even":  {"b:2@20", "d:4@40"},
				"rest":  {"c:3@30"},
			},
		},
		{
			name:     "unmatched records are dropped without default",
			branches: []dsl.Branched{dsl.Branch("even", even), dsl.Branch("small", small)},
			want: map[string][]string{
				"even":  {"b:2@20", "d:4@40"},
				"small": {"a:1@10"},
			},
		},
		{
			name:     "default only",
			branches: []dsl.Branched{dsl.DefaultBranch("all")},
			want:     map[string][]string{"all": {"a:1@10", "b:2@20", "c:3@30", "d:4@40"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := dsl.NewBuilder()
			got := dsl.StreamOf(b, "in", consumed).Split(tt.branches...)
			if names := slices.Sorted(maps.Keys(got)); !slices.Equal(names, slices.Sorted(maps.Keys(tt.want))) {
				t.Fatalf("branches %q, want %q", names, slices.Sorted(maps.Keys(tt.want)))
			}
			for name, s := range got {
				s.To("out-" + name)
			}
			d := newDriver(t, b)
			pipe(t, d, "in", inputs...)
			for name, want := range tt.want {
				checkOutput(t, d, "out-"+name, want...)
			}
			if m := d.Metrics(); m.ProcessingErrors != 0 {
				t.Errorf("%d processing errors", m.ProcessingErrors)
			}
		})
	}
}

func TestSplitNodeNames(t *testing.T) {
	b := dsl.NewBuilder()
	br := dsl.StreamOf(b, "in", consumed).Split(dsl.Branch("x", func(string, int) bool { return true }), dsl.DefaultBranch("y"))
	br.Get("x").To("out-x")
	br["y"].To("out-y")
	topo, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	const want = `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [in])
      --> KSTREAM-BRANCH-0000000001
    Processor: KSTREAM-BRANCH-0000000001 (stores: [])
      --> KSTREAM-BRANCH-0000000001x, KSTREAM-BRANCH-0000000001y
      <-- KSTREAM-SOURCE-0000000000
    Processor: KSTREAM-BRANCH-0000000001x (stores: [])
      --> KSTREAM-SINK-0000000002
      <-- KSTREAM-BRANCH-0000000001
    Processor: KSTREAM-BRANCH-0000000001y (stores: [])
      --> KSTREAM-SINK-0000000003
      <-- KSTREAM-BRANCH-0000000001
    Sink: KSTREAM-SINK-0000000002 (topic: out-x)
      <-- KSTREAM-BRANCH-0000000001x
    Sink: KSTREAM-SINK-0000000003 (topic: out-y)
      <-- KSTREAM-BRANCH-0000000001y

`
	if got := topo.Describe(); got != want {
		t.Errorf("Describe:\n%s\nwant:\n%s", got, want)
	}
}
