package dsl_test

import (
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/serde"
)

func TestBuildErrors(t *testing.T) {
	yes := func(string, int) bool { return true }
	tests := []struct {
		name  string
		build func(b *dsl.Builder)
		want  string
	}{
		{
			name:  "empty builder",
			build: func(*dsl.Builder) {},
			want:  "build: the topology is empty (no StreamOf)",
		},
		{
			name: "To without serdes after a type change",
			build: func(b *dsl.Builder) {
				dsl.MapValues(dsl.StreamOf(b, "in", consumed), func(v int) string { return "" }).To("out")
			},
			want: `to "KSTREAM-SINK-0000000002": no value serde for string: the value type may have changed at mapValues "KSTREAM-MAPVALUES-0000000001"; pass dsl.Produced(keySerde, valueSerde) or use WithSerdes`,
		},
		{
			name: "To without key serde after map",
			build: func(b *dsl.Builder) {
				dsl.Map(dsl.StreamOf(b, "in", consumed), func(k string, v int) (int, int) { return v, v }).
					To("out", dsl.Produced[int](nil, serde.JSON[int]()))
			},
			want: `to "KSTREAM-SINK-0000000002": no key serde for int: the key type may have changed at map "KSTREAM-MAP-0000000001"`,
		},
		{
			name: "Repartition without serdes after selectKey",
			build: func(b *dsl.Builder) {
				dsl.SelectKey(dsl.StreamOf(b, "in", consumed), func(k string, v int) int { return v }).Repartition()
			},
			want: `repartition "KSTREAM-REPARTITION-0000000002-repartition-filter": no key serde for int: the key type may have changed at selectKey "KSTREAM-KEY-SELECT-0000000001"; pass dsl.Repartitioned(keySerde, valueSerde) or use WithSerdes`,
		},
		{
			name: "Produced of other types",
			build: func(b *dsl.Builder) {
				dsl.StreamOf(b, "in", consumed).To("out", dsl.Produced(serde.String(), serde.String()))
			},
			want: `to "KSTREAM-SINK-0000000001": Produced serdes are for [string, string], the stream is [string, int]`,
		},
		{
			name: "option that does not apply",
			build: func(b *dsl.Builder) {
				dsl.StreamOf(b, "in", consumed).Filter(yes, dsl.Produced(serde.String(), serde.JSON[int]())).To("out")
			},
			want: `filter "KSTREAM-FILTER-0000000001": option Produced does not apply to filter`,
		},
		{
			name: "WithTimestamp of other types",
			build: func(b *dsl.Builder) {
				dsl.StreamOf(b, "in", consumed, dsl.WithTimestamp(func(string, string) (int64, error) { return 0, nil }))
			},
			want: `stream "KSTREAM-SOURCE-0000000000": WithTimestamp is for [string, string], the stream is [string, int]`,
		},
		{
			name: "nil serde",
			build: func(b *dsl.Builder) {
				dsl.StreamOf(b, "in", dsl.Consumed[string](nil, serde.JSON[int]()))
			},
			want: `stream "KSTREAM-SOURCE-0000000000": nil key serde in Consumed`,
		},
		{
			name: "topic read twice",
			build: func(b *dsl.Builder) {
				dsl.StreamOf(b, "in", consumed)
				dsl.StreamOf(b, "in", consumed)
			},
			want: `stream "KSTREAM-SOURCE-0000000001": topic "in" is already read by stream "KSTREAM-SOURCE-0000000000" (merge Streams instead)`,
		},
		{
			name: "nil predicate",
			build: func(b *dsl.Builder) {
				dsl.StreamOf(b, "in", consumed).Filter(nil).To("out")
			},
			want: `filter "KSTREAM-FILTER-0000000001": nil predicate`,
		},
		{
			name: "nil mapper",
			build: func(b *dsl.Builder) {
				dsl.MapValues[string, int, int](dsl.StreamOf(b, "in", consumed), nil)
			},
			want: `mapValues "KSTREAM-MAPVALUES-0000000001": nil function`,
		},
		{
			name: "duplicate name",
			build: func(b *dsl.Builder) {
				s := dsl.StreamOf(b, "in", consumed)
				s.Filter(yes, dsl.Named("f"))
				s.Peek(func(string, int) {}, dsl.Named("f"))
			},
			want: `peek "f": name is already used by filter "f"`,
		},
		{
			name: "illegal name",
			build: func(b *dsl.Builder) {
				dsl.StreamOf(b, "in", consumed).Repartition(dsl.Named("by key"))
			},
			want: `repartition "by key-repartition-filter": Named: name "by key" has an illegal character ' ' (legal: a-z A-Z 0-9 . _ -)`,
		},
		{
			name: "unknown branch name",
			build: func(b *dsl.Builder) {
				br := dsl.StreamOf(b, "in", consumed).Split(dsl.Branch("a", yes), dsl.DefaultBranch("b"))
				br.Get("c").To("out")
			},
			want: `split "KSTREAM-BRANCH-0000000001": unknown branch "c" (branches: a, b)`,
		},
		{
			name: "duplicate branch name",
			build: func(b *dsl.Builder) {
				dsl.StreamOf(b, "in", consumed).Split(dsl.Branch("a", yes), dsl.Branch("a", yes))
			},
			want: `split "KSTREAM-BRANCH-0000000001": branch "a" is given twice`,
		},
		{
			name: "default branch not last",
			build: func(b *dsl.Builder) {
				dsl.StreamOf(b, "in", consumed).Split(dsl.DefaultBranch("d"), dsl.Branch("a", yes))
			},
			want: `split "KSTREAM-BRANCH-0000000001": default branch "d" must be the last`,
		},
		{
			name: "branch predicate of other types",
			build: func(b *dsl.Builder) {
				dsl.StreamOf(b, "in", consumed).Split(dsl.Branch("a", func(int, int) bool { return true }))
			},
			want: `split "KSTREAM-BRANCH-0000000001": branch "a": predicate is func(int, int) bool, want func(string, int) bool`,
		},
		{
			name: "no branches",
			build: func(b *dsl.Builder) {
				dsl.StreamOf(b, "in", consumed).Split()
			},
			want: `split "KSTREAM-BRANCH-0000000001": no branches`,
		},
		{
			name: "merge across builders",
			build: func(b *dsl.Builder) {
				other := dsl.StreamOf(dsl.NewBuilder(), "other", consumed)
				dsl.StreamOf(b, "in", consumed).Merge(other)
			},
			want: `merge "KSTREAM-MERGE-0000000001": the other stream is from another Builder`,
		},
		{
			name: "empty topic",
			build: func(b *dsl.Builder) {
				dsl.StreamOf(b, "in", consumed).To("")
			},
			want: `to "KSTREAM-SINK-0000000001": empty topic name`,
		},
		{
			name: "nil processor supplier",
			build: func(b *dsl.Builder) {
				dsl.Process[string, int, string, int](dsl.StreamOf(b, "in", consumed), nil)
			},
			want: `process "KSTREAM-PROCESSOR-0000000001": nil supplier`,
		},
		{
			name: "the first error wins",
			build: func(b *dsl.Builder) {
				s := dsl.StreamOf(b, "in", consumed)
				s.Filter(nil)
				s.Peek(nil)
			},
			want: `filter "KSTREAM-FILTER-0000000001": nil predicate`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := dsl.NewBuilder()
			tt.build(b)
			topo, err := b.Build()
			if err == nil {
				t.Fatalf("Build succeeded:\n%s", topo.Describe())
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("Build error:\n got %s\nwant %s", err, tt.want)
			}
		})
	}
}

// TestNames checks Kafka Streams' generated names: one counter per builder, not advanced
// by Named nodes.
func TestNames(t *testing.T) {
	b := dsl.NewBuilder()
	s := dsl.StreamOf(b, "in", consumed)
	s = s.Filter(func(string, int) bool { return true }, dsl.Named("keep"))
	s = dsl.Map(s, func(k string, v int) (string, int) { return k, v })
	s = dsl.MapValues(s, func(v int) int { return v })
	s = dsl.FlatMap(s, func(k string, v int) []dsl.KeyValue[string, int] { return nil })
	s = dsl.FlatMapValues(s, func(v int) []int { return nil })
	s = dsl.SelectKey(s, func(k string, v int) string { return k })
	s = s.Peek(func(string, int) {})
	s = s.Merge(dsl.StreamOf(b, "in2", consumed))
	s.Foreach(func(string, int) {})
	topo, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for line := range strings.Lines(topo.Describe()) {
		if f := strings.Fields(line); len(f) >= 2 && strings.HasSuffix(f[0], ":") && f[0] != "Sub-topology:" {
			names = append(names, f[1])
		}
	}
	want := []string{
		"KSTREAM-SOURCE-0000000000", "keep", "KSTREAM-MAP-0000000001", "KSTREAM-MAPVALUES-0000000002",
		"KSTREAM-FLATMAP-0000000003", "KSTREAM-FLATMAPVALUES-0000000004", "KSTREAM-KEY-SELECT-0000000005",
		"KSTREAM-PEEK-0000000006", "KSTREAM-SOURCE-0000000007", "KSTREAM-MERGE-0000000008", "KSTREAM-FOREACH-0000000009",
	}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("node names\n got %q\nwant %q", names, want)
	}
}

// TestBuildTwice checks that every Build returns a new, runnable Topology.
func TestBuildTwice(t *testing.T) {
	b := dsl.NewBuilder()
	dsl.StreamOf(b, "in", consumed).To("out")
	t1, err1 := b.Build()
	t2, err2 := b.Build()
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if t1 == t2 || t1.Describe() != t2.Describe() {
		t.Errorf("Build twice: same pointer %v, descriptions\n%s\n%s", t1 == t2, t1.Describe(), t2.Describe())
	}
}

func TestZeroStreamPanics(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "filter on a zero Stream") {
			t.Errorf("recovered %v, want a panic naming the zero Stream", r)
		}
	}()
	var s dsl.Stream[string, int]
	s.Filter(func(string, int) bool { return true })
}
