package dsl_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/runtime/ttd"
)

// streamStep pipes one record into "l" or "r" and expects the output of "out".
type streamStep struct {
	topic string
	in
	want []string
}

func runStreamSteps(t *testing.T, d *ttd.Driver, steps []streamStep) {
	t.Helper()
	for i, s := range steps {
		pipe(t, d, s.topic, s.in)
		if got := output(d, "out"); strings.Join(got, " ") != strings.Join(s.want, " ") {
			t.Errorf("step %d (%s %s=%d@%d): output %q, want %q", i, s.topic, s.key, s.value, s.ts, got, s.want)
		}
	}
}

type streamJoin func(l, r dsl.Stream[string, int], w dsl.JoinWindows) dsl.Stream[string, string]

func streamJoinDriver(t *testing.T, w dsl.JoinWindows, join streamJoin) *ttd.Driver {
	b := dsl.NewBuilder()
	join(dsl.StreamOf(b, "l", consumed), dsl.StreamOf(b, "r", consumed), w).To("out", joined)
	return newDriver(t, b)
}

func innerStreams(l, r dsl.Stream[string, int], w dsl.JoinWindows) dsl.Stream[string, string] {
	return dsl.JoinStreams(l, r, func(_ string, a, b int) string { return fmt.Sprintf("%d+%d", a, b) }, w)
}

func leftStreams(l, r dsl.Stream[string, int], w dsl.JoinWindows) dsl.Stream[string, string] {
	return dsl.LeftJoinStreams(l, r, func(_ string, a, b int, found bool) string { return fmt.Sprintf("%d+%s", a, show(b, found)) }, w)
}

func outerStreams(l, r dsl.Stream[string, int], w dsl.JoinWindows) dsl.Stream[string, string] {
	return dsl.OuterJoinStreams(l, r, func(_ string, a int, aok bool, b int, bok bool) string { return show(a, aok) + "+" + show(b, bok) }, w)
}

func TestJoinStreams(t *testing.T) {
	d := streamJoinDriver(t, dsl.JoinTimeWindowsWithGrace(10*milli, 5*milli), innerStreams)
	runStreamSteps(t, d, []streamStep{
		{"l", in{"a", 1, 100}, nil},
		{"r", in{"a", 2, 105}, []string{`a:"1+2"@105`}},
		{"r", in{"a", 3, 111}, nil}, // 111 - 100 > 10
		{"l", in{"a", 4, 110}, []string{`a:"4+2"@110`, `a:"4+3"@111`}},
		{"l", in{"a", 5, 100}, []string{`a:"5+2"@105`}}, // out of order, within grace; a second record at 100
		{"l", in{"a", 6, 90}, nil},                      // 90 + 10 + 5 < 111: late, but still stored (Kafka Streams drops no late record)
		{"r", in{"a", 7, 100}, []string{`a:"6+7"@100`, `a:"1+7"@100`, `a:"5+7"@100`, `a:"4+7"@110`}},
		{"r", in{"b", 8, 100}, nil}, // another key
	})
	checkDroppedJoin(t, d, 0)
	if err := d.Pipe("l", nil, []byte("1"), 120); err != nil {
		t.Fatal(err)
	}
	tombstone(t, d, "r", "a", 120)
	if err := d.Pipe("r", []byte("a"), []byte("{bad"), 120); err != nil {
		t.Fatal(err)
	}
	checkOutput(t, d, "out")
	checkDroppedJoin(t, d, 2)
	if got := d.Metrics().DeserializationErrors; got != 1 {
		t.Errorf("deserialization errors: got %d, want 1", got)
	}
}

// TestJoinStreamsAsymmetric: a left record at ts joins right records in [ts-Before,
// ts+After], a right record at ts left records in [ts-After, ts+Before].
func TestJoinStreamsAsymmetric(t *testing.T) {
	d := streamJoinDriver(t, dsl.JoinWindows{Before: 5 * milli, After: 20 * milli}, innerStreams)
	runStreamSteps(t, d, []streamStep{
		{"l", in{"a", 1, 100}, nil},
		{"r", in{"a", 2, 121}, nil},
		{"r", in{"a", 3, 120}, []string{`a:"1+3"@120`}},
		{"r", in{"a", 4, 95}, []string{`a:"1+4"@100`}},  // late (95 + Before < 121), still joined
		{"l", in{"a", 5, 126}, []string{`a:"5+2"@126`}}, // right records in [121, 146]
		{"l", in{"a", 6, 115}, []string{`a:"6+3"@120`, `a:"6+2"@121`}},
	})
	checkDroppedJoin(t, d, 0)
}

func TestLeftJoinStreams(t *testing.T) {
	d := streamJoinDriver(t, dsl.JoinTimeWindowsWithGrace(10*milli, 5*milli), leftStreams)
	runStreamSteps(t, d, []streamStep{
		{"l", in{"a", 1, 100}, nil}, // waits for its window to close
		{"l", in{"b", 2, 101}, nil},
		{"r", in{"a", 3, 105}, []string{`a:"1+3"@105`}},
		{"l", in{"c", 4, 110}, nil},
		{"r", in{"x", 0, 116}, nil},                        // 101 + 10 + 5 = 116: b's window is not closed yet
		{"r", in{"x", 0, 117}, []string{`b:"2+null"@101`}}, // a matched: never emitted unmatched
		{"l", in{"e", 6, 130}, []string{`c:"4+null"@110`}}, // closed windows go first
		{"r", in{"e", 7, 135}, []string{`e:"6+7"@135`}},    // e found a match
		{"r", in{"y", 0, 200}, nil},                        // right records wait for nothing
		{"l", in{"a", 9, 185}, []string{`a:"9+null"@185`}}, // out of order, its window (195) already closed: emitted at once
		{"l", in{"z", 0, 201}, nil},
		{"l", in{"z", 1, 180}, []string{`z:"1+null"@180`}}, // as a: emitted at once
		{"l", in{"w", 1, 300}, []string{`z:"0+null"@201`}},
	})
	checkDroppedJoin(t, d, 0)
}

func TestOuterJoinStreams(t *testing.T) {
	d := streamJoinDriver(t, dsl.JoinWindows{Before: 10 * milli, After: 2 * milli, Grace: 5 * milli}, outerStreams)
	runStreamSteps(t, d, []streamStep{
		{"l", in{"a", 1, 100}, nil},
		{"r", in{"b", 2, 100}, nil},
		{"r", in{"a", 3, 101}, []string{`a:"1+3"@101`}},
		{"l", in{"c", 4, 102}, nil},
		// Left windows close at ts + After + Grace, right ones at ts + Before + Grace.
		{"l", in{"x", 0, 110}, []string{`c:"4+null"@102`}}, // 102+2+5 = 109 < 110; b: 100+10+5 = 115
		{"r", in{"y", 0, 116}, []string{`b:"null+2"@100`}},
		{"r", in{"q", 0, 140}, []string{`x:"0+null"@110`, `y:"null+0"@116`}},
	})
}

// TestJoinStreamsNamed: Named names the nodes and the stores; a stream whose key may have
// changed is repartitioned; the default grace is Kafka's 24h minus the window size.
func TestJoinStreamsNamed(t *testing.T) {
	if w := dsl.JoinTimeWindows(time.Hour); w.Grace != 22*time.Hour || w.Before != time.Hour || w.After != time.Hour {
		t.Errorf("JoinTimeWindows(1h) = %+v", w)
	}
	if w := dsl.JoinTimeWindows(13 * time.Hour); w.Grace != 0 {
		t.Errorf("JoinTimeWindows(13h).Grace = %v, want 0", w.Grace)
	}
	b := dsl.NewBuilder()
	l := dsl.StreamOf(b, "l", consumed)
	r := dsl.SelectKey(dsl.StreamOf(b, "r", consumed), func(k string, _ int) string { return k }).WithSerdes(consumed.Key, consumed.Value)
	dsl.OuterJoinStreams(l, r, func(string, int, bool, int, bool) string { return "" }, dsl.JoinTimeWindows(time.Second), dsl.Named("j")).To("out", joined)
	desc := describeTopo(t, b)
	for _, want := range []string{"Processor: j-this", "Processor: j-other", "Processor: j (stores: [j-this-store, j-other-store, j-outer-store])", "j-right-repartition"} {
		if !strings.Contains(desc, want) {
			t.Errorf("no %q in\n%s", want, desc)
		}
	}
	if strings.Contains(desc, "j-left-repartition") {
		t.Errorf("the left side was repartitioned:\n%s", desc)
	}

	b = dsl.NewBuilder()
	dsl.JoinStreams(dsl.StreamOf(b, "l", consumed), dsl.StreamOf(b, "r", consumed), func(string, int, int) string { return "" },
		dsl.JoinWindows{Before: -time.Second}).To("out", joined)
	if _, err := b.Build(); !errorsContains(err, "negative duration") {
		t.Errorf("Build: %v", err)
	}
	b = dsl.NewBuilder()
	l2 := dsl.MapValues(dsl.StreamOf(b, "l", consumed), func(v int) string { return fmt.Sprint(v) })
	dsl.JoinStreams(l2, dsl.StreamOf(b, "r", consumed), func(string, string, int) string { return "" }, dsl.JoinTimeWindows(time.Second)).To("out", joined)
	if _, err := b.Build(); !errorsContains(err, "serde", "WithSerdes") {
		t.Errorf("Build: %v", err)
	}
}

// TestLeftJoinStreamsEager: with EmitUnmatchedEagerly (Kafka Streams' legacy
// JoinWindows.of) an unmatched left record is emitted when it arrives, and again joined
// with each match that arrives later; unmatched right records of a left join are not.
func TestLeftJoinStreamsEager(t *testing.T) {
	w := dsl.JoinWindows{Before: 10 * milli, After: 10 * milli, Grace: time.Hour, EmitUnmatchedEagerly: true}
	d := streamJoinDriver(t, w, leftStreams)
	runStreamSteps(t, d, []streamStep{
		{"l", in{"a", 1, 100}, []string{`a:"1+null"@100`}},
		{"r", in{"a", 2, 105}, []string{`a:"1+2"@105`}},
		{"r", in{"b", 3, 105}, nil},
		{"l", in{"a", 4, 200}, []string{`a:"4+null"@200`}},
		{"l", in{"a", 5, 100}, []string{`a:"5+2"@105`}},
	})
}

// TestOuterJoinStreamsEager: an outer join emits unmatched records of both sides at once.
func TestOuterJoinStreamsEager(t *testing.T) {
	w := dsl.JoinWindows{Before: 10 * milli, After: 10 * milli, Grace: time.Hour, EmitUnmatchedEagerly: true}
	d := streamJoinDriver(t, w, outerStreams)
	runStreamSteps(t, d, []streamStep{
		{"r", in{"a", 1, 100}, []string{`a:"null+1"@100`}},
		{"l", in{"a", 2, 101}, []string{`a:"2+1"@101`}},
		{"l", in{"b", 3, 101}, []string{`b:"3+null"@101`}},
	})
}

// TestJoinStoresKeepOwnStreamTime: each side's store keeps its records by its own stream
// time, not the join's or the task's (ksqlDB's "right join with out of order and custom
// grace period"): a right record far behind the left stream is still found by a later
// left record of its window.
func TestJoinStoresKeepOwnStreamTime(t *testing.T) {
	w := dsl.JoinWindows{Before: time.Minute, After: time.Minute, Grace: time.Minute}
	b := dsl.NewBuilder()
	l := dsl.StreamOf(b, "l", consumed)
	r := dsl.StreamOf(b, "r", consumed)
	leftStreams(r, l, w).To("out", joined) // a RIGHT join of l and r
	d := newDriver(t, b)
	runStreamSteps(t, d, []streamStep{
		{"l", in{"a", 1, 0}, nil},
		{"r", in{"a", 2, 60000}, []string{`a:"2+1"@60000`}},
		{"l", in{"b", 3, 330000}, nil},
		{"l", in{"c", 4, 90000}, nil},
		{"r", in{"c", 5, 90000}, []string{`c:"5+null"@90000`}}, // c 4 is gone from its store
		{"r", in{"d", 6, 60000}, []string{`d:"6+null"@60000`}},
		{"l", in{"d", 7, 90000}, []string{`d:"6+7"@90000`}},
	})
}
