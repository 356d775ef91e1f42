package dsl_test

import (
	"slices"
	"testing"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/runtime/ttd"
	"github.com/ksqlgo/ksqlgo/serde"
)

// TestSessionWindows: gap 10, grace 5. A record joins every session whose [start-gap,
// end+gap] contains it; merged sessions are removed and deleted downstream (timestamp:
// their end), then the merged session is inserted (timestamp: its end). A record whose
// merged session ends before stream time - gap - grace is dropped.
func TestSessionWindows(t *testing.T) {
	b := dsl.NewBuilder()
	g := dsl.StreamOf(b, "in", consumed).GroupByKey()
	dsl.SessionCount(g.WindowedBySession(dsl.SessionWindows(10*milli, 5*milli)), dsl.Named("sessions")).ToStream().To("out")
	d := newDriver(t, b, ttd.AppID("app"))
	pipeSteps(t, d, "out", dsl.SessionWindowedSerde(serde.String()), serde.Int64(), []windowStep{
		{in{"a", 1, 0}, wantOut("a@0/0=1 t0")},
		{in{"a", 1, 5}, wantOut("a@0/0=<nil> t0", "a@0/5=2 t5")},
		{in{"a", 1, 18}, wantOut("a@18/18=1 t18")}, // 18 - 10 > 5: a new session
		// 15 is within the gap of both [0,5] (5 >= 15-10, on the boundary) and [18,18]:
		// they merge.
		{in{"a", 1, 15}, wantOut("a@0/5=<nil> t5", "a@18/18=<nil> t18", "a@0/18=4 t18")},
		// Inside a session: Kafka Streams removes and re-inserts it.
		{in{"a", 1, 10}, wantOut("a@0/18=<nil> t18", "a@0/18=5 t18")},
		{in{"b", 1, 13}, wantOut("b@13/13=1 t13")}, // stream time 18, close time 3: not late
		{in{"b", 1, 12}, wantOut("b@13/13=<nil> t13", "b@12/13=2 t13")},
		{in{"c", 1, 2}, nil},                       // ends at 2 < 3: late
		{in{"c", 1, 3}, wantOut("c@3/3=1 t3")},     // ends at 3: not late
		{in{"a", 1, 40}, wantOut("a@40/40=1 t40")}, // stream time 40, close time 25
		{in{"a", 1, 33}, wantOut("a@40/40=<nil> t40", "a@33/40=2 t40")},
		// 12 would be in [0,18], which is closed: late, nothing changes.
		{in{"a", 1, 12}, nil},
		// 28 is within the gap of [0,18], but that session has expired from the store
		// (retention gap + grace = 15, and 18 <= 40 - 15): 28 only joins [33,40].
		{in{"a", 1, 28}, wantOut("a@33/40=<nil> t40", "a@28/40=3 t40")},
	})
	checkDropped(t, d, 2)
	if err := d.Pipe("in", nil, []byte("1"), 50); err != nil {
		t.Fatal(err)
	}
	checkDropped(t, d, 3)
	if n := len(d.AllOutput("app-sessions-changelog")); n == 0 {
		t.Error("no changelog records")
	}
}

// TestSessionAggregateAndReduce: merged aggregates go through the merger (Reduce: the
// reducer).
func TestSessionAggregateAndReduce(t *testing.T) {
	b := dsl.NewBuilder()
	g := dsl.StreamOf(b, "in", consumed).GroupByKey()
	w := dsl.SessionWindows(10*milli, 100*milli)
	lists := dsl.SessionAggregate(g.WindowedBySession(w),
		func() []int { return []int{} },
		func(_ string, v int, agg []int) []int { return append(agg, v) },
		func(_ string, a, b []int) []int { return append(a, b...) },
		serde.JSON[[]int]())
	lists.ToStream().To("lists")
	dsl.SessionReduce(g.WindowedBySession(w), func(agg, v int) int { return agg + v }).ToStream().To("sums")
	d := newDriver(t, b)
	ks := dsl.SessionWindowedSerde(serde.String())
	pipe(t, d, "in", in{"a", 1, 0}, in{"a", 2, 20}, in{"a", 3, 10})
	if got, want := windowedOut(t, d, "lists", ks, serde.JSON[[]int]()), wantOut(
		"a@0/0=[1] t0", "a@20/20=[2] t20",
		"a@0/0=<nil> t0", "a@20/20=<nil> t20", "a@0/20=[1 2 3] t20"); !slices.Equal(got, want) {
		t.Errorf("lists:\n got %q\nwant %q", got, want)
	}
	if got, want := windowedOut(t, d, "sums", ks, serde.JSON[int]()), wantOut(
		"a@0/0=1 t0", "a@20/20=2 t20",
		"a@0/0=<nil> t0", "a@20/20=<nil> t20", "a@0/20=6 t20"); !slices.Equal(got, want) {
		t.Errorf("sums:\n got %q\nwant %q", got, want)
	}
}
