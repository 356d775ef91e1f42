package dsl_test

import (
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/serde"
)

// TestStateless runs each stateless operation between topic "in" (inputs) and topic "out".
func TestStateless(t *testing.T) {
	odd := func(_ string, v int) bool { return v%2 == 1 }
	tests := []struct {
		name  string
		build func(s dsl.Stream[string, int])
		want  []string
	}{
		{
			name:  "filter",
			build: func(s dsl.Stream[string, int]) { s.Filter(odd).To("out") },
			want:  []string{"a:1@10", "c:3@30"},
		},
		{
			name:  "filterNot",
			build: func(s dsl.Stream[string, int]) { s.FilterNot(odd).To("out") },
			want:  []string{"b:2@20", "d:4@40"},
		},
		{
			name: "map",
			build: func(s dsl.Stream[string, int]) {
				dsl.Map(s, func(k string, v int) (int, string) { return v * 100, k + k }).
					To("out", dsl.Produced(serde.JSON[int](), serde.String()))
			},
			want: []string{"100:aa@10", "200:bb@20", "300:cc@30", "400:dd@40"},
		},
		{
			name: "mapValues keeps the key serde",
			build: func(s dsl.Stream[string, int]) {
				dsl.MapValues(s, func(v int) string { return strconv.Itoa(v * 10) }).
					To("out", dsl.Produced[string](nil, serde.String()))
			},
			want: []string{"a:10@10", "b:20@20", "c:30@30", "d:40@40"},
		},
		{
			name: "mapValuesWithKey",
			build: func(s dsl.Stream[string, int]) {
				dsl.MapValuesWithKey(s, func(k string, v int) string { return k + "=" + strconv.Itoa(v) }).
					WithSerdes(nil, serde.String()).To("out")
			},
			want: []string{"a:a=1@10", "b:b=2@20", "c:c=3@30", "d:d=4@40"},
		},
		{
			name: "flatMap",
			build: func(s dsl.Stream[string, int]) {
				dsl.FlatMap(s, func(k string, v int) []dsl.KeyValue[string, int] {
					var out []dsl.KeyValue[string, int]
					for i := range v - 1 {
						out = append(out, dsl.Pair(k+strconv.Itoa(i), v))
					}
					return out
				}).To("out", dsl.Produced(serde.String(), serde.JSON[int]()))
			},
			want: []string{"b0:2@20", "c0:3@30", "c1:3@30", "d0:4@40", "d1:4@40", "d2:4@40"},
		},
		{
			name: "flatMapValues",
			build: func(s dsl.Stream[string, int]) {
				dsl.FlatMapValues(s, func(v int) []int { return []int{v, -v} }).
					To("out", dsl.Produced[string](nil, serde.JSON[int]()))
			},
			want: []string{"a:1@10", "a:-1@10", "b:2@20", "b:-2@20", "c:3@30", "c:-3@30", "d:4@40", "d:-4@40"},
		},
		{
			name: "flatMapValuesWithKey",
			build: func(s dsl.Stream[string, int]) {
				dsl.FlatMapValuesWithKey(s, func(k string, v int) []string {
					if v > 2 {
						return nil
					}
					return []string{k}
				}).To("out", dsl.Produced[string](nil, serde.String()))
			},
			want: []string{"a:a@10", "b:b@20"},
		},
		{
			name: "selectKey keeps the value serde",
			build: func(s dsl.Stream[string, int]) {
				dsl.SelectKey(s, func(k string, v int) string { return fmt.Sprint(k, v) }).
					To("out", dsl.Produced[string, int](serde.String(), nil))
			},
			want: []string{"a1:1@10", "b2:2@20", "c3:3@30", "d4:4@40"},
		},
		{
			name: "chain keeps serdes through type-keeping operations",
			build: func(s dsl.Stream[string, int]) {
				s.Filter(odd).Peek(func(string, int) {}).FilterNot(func(k string, _ int) bool { return k == "a" }).To("out")
			},
			want: []string{"c:3@30"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := dsl.NewBuilder()
			tt.build(dsl.StreamOf(b, "in", consumed))
			d := newDriver(t, b)
			pipe(t, d, "in", inputs...)
			checkOutput(t, d, "out", tt.want...)
		})
	}
}

func TestPeekAndForeach(t *testing.T) {
	b := dsl.NewBuilder()
	var peeked, each []string
	s := dsl.StreamOf(b, "in", consumed)
	s.Peek(func(k string, v int) { peeked = append(peeked, fmt.Sprint(k, v)) }).To("out")
	s.Filter(func(_ string, v int) bool { return v > 2 }).
		Foreach(func(k string, v int) { each = append(each, fmt.Sprint(k, v)) })
	d := newDriver(t, b)
	pipe(t, d, "in", inputs...)
	checkOutput(t, d, "out", "a:1@10", "b:2@20", "c:3@30", "d:4@40")
	if want := []string{"a1", "b2", "c3", "d4"}; !slices.Equal(peeked, want) {
		t.Errorf("Peek saw %q, want %q", peeked, want)
	}
	if want := []string{"c3", "d4"}; !slices.Equal(each, want) {
		t.Errorf("Foreach saw %q, want %q", each, want)
	}
	if got := d.OutputTopics(); !slices.Equal(got, []string{"out"}) {
		t.Errorf("output topics %q, want only out (Foreach writes nothing)", got)
	}
}

func TestMerge(t *testing.T) {
	b := dsl.NewBuilder()
	left := dsl.StreamOf(b, "left", consumed)
	right := dsl.StreamOf(b, "right", consumed)
	left.Merge(right.Filter(func(_ string, v int) bool { return v > 0 })).To("out")
	d := newDriver(t, b)
	// The test driver processes each piped record at once; the task orders records of its
	// input partitions by timestamp, so the merged output follows the input timestamps.
	pipe(t, d, "left", in{"l", 1, 10})
	pipe(t, d, "right", in{"r", 2, 15})
	pipe(t, d, "left", in{"l", 3, 20})
	pipe(t, d, "right", in{"r", -4, 25}, in{"r", 5, 30})
	checkOutput(t, d, "out", "l:1@10", "r:2@15", "l:3@20", "r:5@30")
}

func TestToFunc(t *testing.T) {
	b := dsl.NewBuilder()
	dsl.StreamOf(b, "in", consumed).ToFunc(func(r dsl.Record[string, int]) string {
		if h, ok := r.Header("route"); ok {
			return string(h)
		}
		if r.Value%2 == 0 {
			return "even"
		}
		return "odd"
	})
	d := newDriver(t, b)
	pipe(t, d, "in", inputs...)
	if err := d.Pipe("in", []byte("e"), []byte("5"), 50, runtime.Header{Key: "route", Value: []byte("special")}); err != nil {
		t.Fatal(err)
	}
	checkOutput(t, d, "odd", "a:1@10", "c:3@30")
	checkOutput(t, d, "even", "b:2@20", "d:4@40")
	checkOutput(t, d, "special", "e:5@50")
}

func TestToWithPartitioner(t *testing.T) {
	b := dsl.NewBuilder()
	var calls []string
	dsl.StreamOf(b, "in", consumed).To("out", dsl.WithPartitioner(func(topic, k string, v, n int) int {
		calls = append(calls, fmt.Sprintf("%s/%s/%d/%d", topic, k, v, n))
		return 0
	}))
	d := newDriver(t, b)
	pipe(t, d, "in", inputs[:2]...)
	checkOutput(t, d, "out", "a:1@10", "b:2@20")
	if want := []string{"out/a/1/1", "out/b/2/1"}; !slices.Equal(calls, want) {
		t.Errorf("partitioner calls %q, want %q", calls, want)
	}
}

// TestTombstones checks that a null value reaches typed functions as the zero value, stays
// null through type-keeping operations, and that a nil result is written as null.
func TestTombstones(t *testing.T) {
	b := dsl.NewBuilder()
	var seen []string
	s := dsl.StreamOf(b, "in", dsl.Consumed(serde.String(), serde.JSON[*int]()))
	s.Filter(func(k string, v *int) bool { seen = append(seen, fmt.Sprint(k, v == nil)); return true }).To("same")
	dsl.MapValues(s, func(v *int) *string {
		if v == nil {
			return nil
		}
		str := strconv.Itoa(*v)
		return &str
	}).To("mapped", dsl.Produced[string](nil, serde.JSON[*string]()))
	dsl.StreamOf(b, "ints", consumed).Filter(func(_ string, v int) bool { return v == 0 }).To("zero")
	d := newDriver(t, b)
	for _, topic := range []string{"in", "ints"} {
		if err := d.Pipe(topic, []byte("k"), nil, 1); err != nil {
			t.Fatal(err)
		}
		if err := d.Pipe(topic, []byte("k"), []byte("7"), 2); err != nil {
			t.Fatal(err)
		}
	}
	checkOutput(t, d, "same", "k:<null>@1", "k:7@2")
	checkOutput(t, d, "mapped", "k:<null>@1", `k:"7"@2`)
	checkOutput(t, d, "zero", "k:<null>@1")
	if want := []string{"ktrue", "kfalse"}; !slices.Equal(seen, want) {
		t.Errorf("filter saw %q, want %q", seen, want)
	}
}

// TestPanicsAreNotRecovered checks that a panic in a user function reaches the caller of
// the driver: the record path does not recover panics.
func TestPanicsAreNotRecovered(t *testing.T) {
	b := dsl.NewBuilder()
	dsl.StreamOf(b, "in", consumed).Filter(func(string, int) bool { panic("boom") }).To("out")
	d := newDriver(t, b)
	defer func() {
		if r := recover(); r != "boom" {
			t.Errorf("recovered %v, want the panic boom", r)
		}
	}()
	pipe(t, d, "in", inputs[0])
	t.Error("Pipe returned after a panic in the predicate")
}

func TestTimestampExtractor(t *testing.T) {
	type event struct {
		ID int   `json:"id"`
		At int64 `json:"at"`
	}
	b := dsl.NewBuilder()
	dsl.StreamOf(b, "events", dsl.Consumed(serde.String(), serde.JSON[event]()),
		dsl.WithTimestamp(func(_ string, e event) (int64, error) {
			if e.At == 0 {
				return 0, fmt.Errorf("event %d has no time", e.ID)
			}
			return e.At, nil
		})).To("out")
	d := newDriver(t, b)
	for _, v := range []string{`{"id":1,"at":1000}`, `{"id":2}`, `{"id":3,"at":-5}`, `{"id":4,"at":900}`} {
		if err := d.Pipe("events", []byte("k"), []byte(v), 42); err != nil {
			t.Fatal(err)
		}
	}
	checkOutput(t, d, "out", `k:{"id":1,"at":1000}@1000`, `k:{"id":4,"at":900}@900`)
	if m := d.Metrics(); m.DeserializationErrors != 2 {
		t.Errorf("%d deserialization errors, want 2 (an error and a negative timestamp)", m.DeserializationErrors)
	}
}
