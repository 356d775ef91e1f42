package dsl_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/runtime/ttd"
	"github.com/ksqlgo/ksqlgo/serde"
)

// windowedCount builds in -> WindowedBy(w) -> WindowedCount (store "counts") -> out and
// returns the driver and the key serde of the output.
func windowedCount(t *testing.T, w dsl.Windows) (*ttd.Driver, serde.Serde[dsl.Windowed[string]]) {
	t.Helper()
	b := dsl.NewBuilder()
	counts := dsl.WindowedCount(dsl.StreamOf(b, "in", consumed).GroupByKey().WindowedBy(w), dsl.Named("counts"))
	counts.ToStream().To("out")
	return newDriver(t, b, ttd.AppID("app")), dsl.WindowedSerde(serde.String(), w.Size())
}

func checkDropped(t *testing.T, d *ttd.Driver, want int64) {
	t.Helper()
	if got := d.Metrics().DroppedRecords; got != want {
		t.Errorf("dropped %d records, want %d", got, want)
	}
}

// TestTumblingWindows: size 10, grace 5. A record on a window's start belongs to it, one
// on its end to the next window; out-of-order records within grace update their window
// (the update's timestamp stays the window's largest); a window closes when its end +
// grace <= stream time, exactly.
func TestTumblingWindows(t *testing.T) {
	d, ks := windowedCount(t, dsl.TumblingWindows(10*milli, 5*milli))
	pipeSteps(t, d, "out", ks, serde.Int64(), []windowStep{
		{in{"a", 1, 0}, wantOut("a@0/10=1 t0")},
		{in{"a", 1, 9}, wantOut("a@0/10=2 t9")},
		{in{"a", 1, 10}, wantOut("a@10/20=1 t10")}, // on the boundary: the next window
		{in{"a", 1, 3}, wantOut("a@0/10=3 t9")},    // out of order, stream time 10 < 10+5
		{in{"b", 1, 14}, wantOut("b@10/20=1 t14")}, // stream time 14
		{in{"a", 1, 4}, wantOut("a@0/10=4 t9")},    // 14 < 10+5: still open
		{in{"c", 1, 15}, wantOut("c@10/20=1 t15")}, // stream time 15 closes [0,10)
		{in{"a", 1, 5}, nil},                       // late: dropped
		{in{"a", 1, 19}, wantOut("a@10/20=2 t19")}, // [10,20) open until 25
		{in{"a", 1, 25}, wantOut("a@20/30=1 t25")}, // closes [10,20)
		{in{"b", 1, 19}, nil},                      // late
	})
	checkDropped(t, d, 2)
	// Null keys and values are dropped and counted.
	if err := d.Pipe("in", nil, []byte("1"), 26); err != nil {
		t.Fatal(err)
	}
	if err := d.Pipe("in", []byte("a"), nil, 26); err != nil {
		t.Fatal(err)
	}
	checkDropped(t, d, 4)
	if n := len(d.AllOutput("app-counts-changelog")); n != 9 {
		t.Errorf("changelog has %d records, want 9 (one per update)", n)
	}
}

// TestHoppingWindows: size 10, advance 5, grace 0. A record falls in every window that
// contains it; a late record still updates its open windows, and each closed window it
// misses counts as a dropped record (as in Kafka Streams).
func TestHoppingWindows(t *testing.T) {
	d, ks := windowedCount(t, dsl.HoppingWindows(10*milli, 5*milli, 0))
	pipeSteps(t, d, "out", ks, serde.Int64(), []windowStep{
		{in{"a", 1, 7}, wantOut("a@0/10=1 t7", "a@5/15=1 t7")},
		{in{"a", 1, 5}, wantOut("a@0/10=2 t7", "a@5/15=2 t7")}, // on the start of [5,15)
		{in{"a", 1, 4}, wantOut("a@0/10=3 t7")},
		{in{"a", 1, 0}, wantOut("a@0/10=4 t7")}, // no window starts before 0
		{in{"a", 1, 15}, wantOut("a@10/20=1 t15", "a@15/25=1 t15")},
		{in{"a", 1, 12}, wantOut("a@10/20=2 t15")}, // [5,15) closed at 15: dropped there only
		{in{"a", 1, 3}, nil},                       // [0,10) closed
	})
	checkDropped(t, d, 2)
}

// TestWindowedAggregateAndReduce: timestamps of updates are the largest of the window;
// Reduce takes the first value as is.
func TestWindowedAggregateAndReduce(t *testing.T) {
	b := dsl.NewBuilder()
	g := dsl.StreamOf(b, "in", consumed).GroupByKey()
	w := dsl.TumblingWindows(10*milli, 100*milli)
	sums := dsl.WindowedAggregate(g.WindowedBy(w), func() int { return 100 }, func(_ string, v, agg int) int { return agg + v }, serde.JSON[int](), dsl.Named("sums"))
	sums.ToStream().To("sums")
	maxes := dsl.WindowedReduce(g.WindowedBy(w), func(agg, v int) int { return max(agg, v) })
	maxes.ToStream().To("maxes")
	if sums.StoreName() != "sums" || maxes.StoreName() != "KSTREAM-REDUCE-STATE-STORE-0000000003" {
		t.Fatalf("store names %q, %q", sums.StoreName(), maxes.StoreName())
	}
	d := newDriver(t, b)
	ks := dsl.WindowedSerde(serde.String(), 10*milli)
	pipe(t, d, "in", in{"a", 5, 8}, in{"a", 3, 2}, in{"a", 9, 12}, in{"a", 7, 5})
	if got, want := windowedOut(t, d, "sums", ks, serde.JSON[int]()), wantOut("a@0/10=105 t8", "a@0/10=108 t8", "a@10/20=109 t12", "a@0/10=115 t8"); !slices.Equal(got, want) {
		t.Errorf("sums:\n got %q\nwant %q", got, want)
	}
	if got, want := windowedOut(t, d, "maxes", ks, serde.JSON[int]()), wantOut("a@0/10=5 t8", "a@0/10=5 t8", "a@10/20=9 t12", "a@0/10=7 t8"); !slices.Equal(got, want) {
		t.Errorf("maxes:\n got %q\nwant %q", got, want)
	}
}

// TestWindowedRepartition: a windowed aggregation after a key change reads a repartition
// topic named after its store.
func TestWindowedRepartition(t *testing.T) {
	b := dsl.NewBuilder()
	s := dsl.StreamOf(b, "in", consumed)
	g := dsl.GroupBy(s, func(_ string, v int) string { return []string{"even", "odd"}[v%2] }, serde.String())
	dsl.WindowedCount(g.WindowedBy(dsl.TumblingWindows(10*milli, 0)), dsl.Named("parity")).ToStream().To("out")
	d := newDriver(t, b, ttd.AppID("app"))
	pipe(t, d, "in", in{"x", 1, 1}, in{"y", 2, 2}, in{"z", 3, 11})
	got := windowedOut(t, d, "out", dsl.WindowedSerde(serde.String(), 10*milli), serde.Int64())
	if want := wantOut("odd@0/10=1 t1", "even@0/10=1 t2", "odd@10/20=1 t11"); !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if n := len(d.AllOutput("app-parity-repartition")); n != 3 {
		t.Errorf("repartition topic has %d records, want 3", n)
	}
}

// slidingSums builds in -> WindowedBy(sliding) -> sum -> out.
func slidingSums(t *testing.T, w dsl.Windows) *ttd.Driver {
	t.Helper()
	b := dsl.NewBuilder()
	g := dsl.StreamOf(b, "in", consumed).GroupByKey()
	dsl.WindowedAggregate(g.WindowedBy(w), func() int { return 0 }, func(_ string, v, agg int) int { return agg + v },
		serde.JSON[int](), dsl.Named("sums")).ToStream().To("out")
	return newDriver(t, b)
}

// TestSlidingWindows checks Kafka Streams' sliding windows against hand-computed updates:
// time difference 10, windows [start, start+10] with both ends included.
func TestSlidingWindows(t *testing.T) {
	ks := dsl.WindowedSerde(serde.String(), 10*milli)
	t.Run("in order and out of order", func(t *testing.T) {
		d := slidingSums(t, dsl.SlidingWindows(10*milli, 100*milli))
		pipeSteps(t, d, "out", ks, serde.JSON[int](), []windowStep{
			// The record's left window [90,100].
			{in{"a", 1, 100}, wantOut("a@90/100=1 t100")},
			// 105 falls in the right window of 100, [101,111], created now; its left
			// window [95,105] holds 100 and 105.
			{in{"a", 2, 105}, wantOut("a@101/111=2 t105", "a@95/105=3 t105")},
			// Out of order: 103 updates [95,105] and [101,111], gets its left window
			// [93,103] (100 and 103) and its right window [104,114] (105 only).
			{in{"a", 4, 103}, wantOut("a@95/105=7 t105", "a@101/111=6 t105", "a@93/103=5 t103", "a@104/114=2 t105")},
			// On the boundary: 111 is in [101,111] and [104,114] (end included), and its
			// left window [101,111] exists already. The right window of 105, [106,116],
			// is created with 111 only.
			{in{"a", 8, 111}, wantOut("a@101/111=14 t111", "a@104/114=10 t111", "a@106/116=8 t111")},
			// 125 is beyond every window: only its left window, [115,125], empty before.
			{in{"a", 16, 125}, wantOut("a@115/125=16 t125")},
		})
	})
	t.Run("early records share [0, timeDifference]", func(t *testing.T) {
		d := slidingSums(t, dsl.SlidingWindows(10*milli, 5*milli))
		pipeSteps(t, d, "out", ks, serde.JSON[int](), []windowStep{
			{in{"a", 1, 3}, wantOut("a@0/10=1 t3")},
			{in{"a", 2, 8}, wantOut("a@4/14=2 t8", "a@0/10=3 t8")},
			{in{"a", 4, 5}, wantOut("a@4/14=6 t8", "a@6/16=2 t8", "a@0/10=7 t8")},
			// 20: left window [10,20] from the initializer (8 is more than 10 before).
			{in{"a", 8, 20}, wantOut("a@10/20=8 t20")},
			// Stream time 20, grace 5: windows ending at or before 15 are closed. 12
			// updates [6,16], [10,20] and makes the right window of 8, [9,19], and its
			// own right window [13,23]; [4,14] and its left window [2,12] are closed
			// (two dropped records).
			{in{"a", 16, 12}, wantOut("a@6/16=18 t12", "a@10/20=24 t20", "a@9/19=16 t12", "a@13/23=8 t20")},
			// 4 + 10 < 20 - 5: even its right window would be closed; dropped once.
			{in{"a", 32, 4}, nil},
		})
		checkDropped(t, d, 3)
	})
}

// TestSlidingWindowsRandom compares sliding windows to a brute-force computation: every
// record at t has the window [t-d, t] ([0, d] if t < d), and a window [t+1, t+1+d] if a
// later record falls in it; each window's final value is the sum of its records.
func TestSlidingWindowsRandom(t *testing.T) {
	const d = 10
	for seed := range uint64(20) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 1))
			drv := slidingSums(t, dsl.SlidingWindows(d*milli, time.Hour))
			var recs []in
			for range 60 {
				recs = append(recs, in{[]string{"a", "b"}[rng.IntN(2)], 1 + rng.IntN(9), int64(rng.IntN(60))})
			}
			pipe(t, drv, "in", recs...)
			got := map[string]int{}
			for _, s := range windowedOut(t, drv, "out", dsl.WindowedSerde(serde.String(), d*milli), serde.JSON[int]()) {
				var k string
				var start, end, v, ts int64
				if _, err := fmt.Sscanf(s, "%1s@%d/%d=%d t%d", &k, &start, &end, &v, &ts); err != nil {
					t.Fatalf("%q: %v", s, err)
				}
				got[fmt.Sprintf("%s@%d/%d", k, start, end)] = int(v)
			}
			want := map[string]int{}
			for _, r := range recs {
				start := max(0, r.ts-d)
				want[fmt.Sprintf("%s@%d/%d", r.key, start, start+d)] = 0
				for _, q := range recs {
					if q.key == r.key && q.ts > r.ts && q.ts <= r.ts+1+d {
						want[fmt.Sprintf("%s@%d/%d", r.key, r.ts+1, r.ts+1+d)] = 0
					}
				}
			}
			for w := range want {
				var k string
				var start, end int64
				fmt.Sscanf(w, "%1s@%d/%d", &k, &start, &end)
				for _, q := range recs {
					if q.key == k && q.ts >= start && q.ts <= end {
						want[w] += q.value
					}
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("input %v\n got %v\nwant %v", recs, got, want)
			}
		})
	}
}
