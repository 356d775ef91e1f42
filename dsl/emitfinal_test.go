package dsl_test

import (
	"testing"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/serde"
)

// emitFinalCount builds in -> WindowedBy(w).EmitOnWindowClose() -> WindowedCount -> out.
func emitFinalCount(t *testing.T, w dsl.Windows, steps []windowStep) {
	t.Helper()
	b := dsl.NewBuilder()
	counts := dsl.WindowedCount(dsl.StreamOf(b, "in", consumed).GroupByKey().WindowedBy(w).EmitOnWindowClose())
	counts.ToStream().To("out")
	d := newDriver(t, b)
	pipeSteps(t, d, "out", dsl.WindowedSerde(serde.String(), w.Size()), serde.Int64(), steps)
}

// TestEmitOnWindowClose: tumbling windows of 10 with grace 5. Nothing leaves before a
// window closes; then each closed window leaves once, with its final count and the
// largest timestamp of its records, windows of all keys in order of start then key.
func TestEmitOnWindowClose(t *testing.T) {
	emitFinalCount(t, dsl.TumblingWindows(10*milli, 5*milli), []windowStep{
		{in{"a", 1, 1}, nil},
		{in{"a", 1, 3}, nil},
		{in{"b", 1, 12}, nil},
		{in{"a", 1, 14}, nil}, // close time 9 < 10
		{in{"c", 1, 15}, wantOut("a@0/10=2 t3")},
		{in{"a", 1, 4}, nil}, // late: dropped, nothing emitted again
		{in{"a", 1, 16}, nil},
		{in{"b", 1, 22}, nil},
		{in{"c", 1, 25}, wantOut("a@10/20=2 t16", "b@10/20=1 t12", "c@10/20=1 t15")},
		{in{"c", 1, 26}, nil}, // close time 21: no new window closed
	})
}

// TestEmitOnWindowCloseExpiry: as in Kafka Streams, only windows still in the store's
// retention (size + grace before the largest window start) are emitted: here [0,2) has
// expired by the time [2,4) closes, when stream time jumps to 5.
func TestEmitOnWindowCloseExpiry(t *testing.T) {
	emitFinalCount(t, dsl.TumblingWindows(2*milli, milli), []windowStep{
		{in{"a", 1, 0}, nil},
		{in{"a", 1, 1}, nil},
		{in{"a", 1, 2}, nil},
		{in{"a", 1, 1}, nil},
		{in{"a", 1, 5}, wantOut("a@2/4=1 t2")},
		{in{"a", 1, 0}, nil}, // late
	})
}

// TestEmitOnWindowCloseHopping: hopping windows of 5 every 2 with grace 1 (the case of
// ksqlDB's suppress.json): each closed window leaves once, while it is still retained.
func TestEmitOnWindowCloseHopping(t *testing.T) {
	emitFinalCount(t, dsl.HoppingWindows(5*milli, 2*milli, milli), []windowStep{
		{in{"a", 1, 0}, nil},
		{in{"a", 1, 1}, nil},
		{in{"a", 1, 2}, nil},
		{in{"a", 1, 1}, nil},
		{in{"a", 1, 6}, wantOut("a@0/5=4 t2")},
		{in{"a", 1, 5}, nil},
		{in{"a", 1, 10}, wantOut("a@4/9=2 t6")},
	})
}

// TestEmitOnWindowCloseSliding: sliding windows do not support it.
func TestEmitOnWindowCloseSliding(t *testing.T) {
	b := dsl.NewBuilder()
	dsl.WindowedCount(dsl.StreamOf(b, "in", consumed).GroupByKey().WindowedBy(dsl.SlidingWindows(10*milli, 0)).EmitOnWindowClose()).
		ToStream().To("out")
	if _, err := b.Build(); err == nil {
		t.Fatal("Build succeeded, want an error for sliding windows")
	}
}
