package dsl_test

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/runtime/ttd"
	"github.com/ksqlgo/ksqlgo/serde"
)

const milli = time.Millisecond

// TestWindowedSerde checks the exact bytes of Kafka Streams' TimeWindowedSerializer
// (key + 8-byte start) and SessionWindowedSerializer (key + 8-byte end + 8-byte start),
// and the round trips.
func TestWindowedSerde(t *testing.T) {
	tests := []struct {
		name string
		s    serde.Serde[dsl.Windowed[string]]
		w    dsl.Windowed[string]
		hex  string
		back dsl.Windowed[string] // what Deserialize returns
	}{
		{"time", dsl.WindowedSerde(serde.String(), 10*milli), dsl.Windowed[string]{Key: "ab", Start: 0x0102, End: 0x010c},
			"6162" + "0000000000000102", dsl.Windowed[string]{Key: "ab", Start: 0x0102, End: 0x010c}},
		{"time end from size", dsl.WindowedSerde(serde.String(), time.Hour), dsl.Windowed[string]{Key: "k", Start: 1000, End: 5},
			"6b" + "00000000000003e8", dsl.Windowed[string]{Key: "k", Start: 1000, End: 1000 + 3600000}},
		{"time end overflows", dsl.WindowedSerde(serde.String(), 10*milli), dsl.Windowed[string]{Key: "", Start: math.MaxInt64 - 1},
			"7ffffffffffffffe", dsl.Windowed[string]{Key: "", Start: math.MaxInt64 - 1, End: math.MaxInt64}},
		{"session", dsl.SessionWindowedSerde(serde.String()), dsl.Windowed[string]{Key: "ab", Start: 5, End: 0x0100},
			"6162" + "0000000000000100" + "0000000000000005", dsl.Windowed[string]{Key: "ab", Start: 5, End: 0x0100}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.s.Serialize("topic", tt.w)
			if err != nil {
				t.Fatal(err)
			}
			if got := hex.EncodeToString(b); got != tt.hex {
				t.Fatalf("bytes %s, want %s", got, tt.hex)
			}
			back, err := tt.s.Deserialize("topic", b)
			if err != nil {
				t.Fatal(err)
			}
			if back != tt.back {
				t.Fatalf("round trip %v, want %v", back, tt.back)
			}
			if _, err := tt.s.Deserialize("topic", b[:7]); err == nil {
				t.Fatal("no error for a short windowed key")
			}
			if w, err := tt.s.Deserialize("topic", nil); err != nil || w != (dsl.Windowed[string]{}) {
				t.Fatalf("Deserialize(nil) = %v, %v; want the zero value", w, err)
			}
		})
	}
	// Kafka's Windowed.toString.
	if s := (dsl.Windowed[string]{Key: "a", Start: 1, End: 2}).String(); s != "[a@1/2]" {
		t.Fatalf("String() = %q", s)
	}
	// Keys sort by key then start, as the window store needs for a JSON int key too.
	js := dsl.WindowedSerde(serde.JSON[int](), 10*milli)
	b1, _ := js.Serialize("t", dsl.Windowed[int]{Key: 7, Start: 10})
	b2, _ := js.Serialize("t", dsl.Windowed[int]{Key: 7, Start: 20})
	if bytes.Compare(b1, b2) >= 0 {
		t.Fatal("windows of a key do not sort by start")
	}
}

func TestWindowDefinitions(t *testing.T) {
	tests := []struct {
		name      string
		w         dsl.Windows
		size      time.Duration
		advance   time.Duration
		retention time.Duration
	}{
		{"tumbling", dsl.TumblingWindows(time.Minute, 10*time.Second), time.Minute, time.Minute, 70 * time.Second},
		{"tumbling no grace", dsl.TumblingWindows(time.Minute, 0), time.Minute, time.Minute, time.Minute},
		{"hopping", dsl.HoppingWindows(time.Minute, 10*time.Second, time.Second), time.Minute, 10 * time.Second, 61 * time.Second},
		{"sliding", dsl.SlidingWindows(time.Minute, time.Second), time.Minute, 0, 121 * time.Second},
		{"retention", dsl.TumblingWindows(time.Minute, 0).WithRetention(time.Hour), time.Minute, time.Minute, time.Hour},
	}
	for _, tt := range tests {
		if tt.w.Size() != tt.size || tt.w.Advance() != tt.advance || tt.w.Retention() != tt.retention {
			t.Errorf("%s: size %v advance %v retention %v; want %v %v %v", tt.name,
				tt.w.Size(), tt.w.Advance(), tt.w.Retention(), tt.size, tt.advance, tt.retention)
		}
	}
	s := dsl.SessionWindows(time.Minute, time.Second)
	if s.Gap() != time.Minute || s.Grace() != time.Second || s.Retention() != 61*time.Second {
		t.Errorf("sessions: gap %v grace %v retention %v", s.Gap(), s.Grace(), s.Retention())
	}
}

// TestWindowBuildErrors: invalid definitions and retentions shorter than what keeps the
// open windows are Build errors naming the aggregation.
func TestWindowBuildErrors(t *testing.T) {
	grouped := func(b *dsl.Builder) dsl.GroupedStream[string, int] {
		return dsl.StreamOf(b, "in", consumed).GroupByKey()
	}
	windowed := func(w dsl.Windows) func(b *dsl.Builder) {
		return func(b *dsl.Builder) { dsl.WindowedCount(grouped(b).WindowedBy(w), dsl.Named("counts")) }
	}
	sessions := func(s dsl.Sessions) func(b *dsl.Builder) {
		return func(b *dsl.Builder) { dsl.SessionCount(grouped(b).WindowedBySession(s), dsl.Named("counts")) }
	}
	tests := []struct {
		name  string
		build func(b *dsl.Builder)
		want  string // "" for no error
	}{
		{"tumbling retention = size+grace", windowed(dsl.TumblingWindows(10*milli, 5*milli).WithRetention(15 * milli)), ""},
		{"tumbling retention < size+grace", windowed(dsl.TumblingWindows(10*milli, 5*milli).WithRetention(14 * milli)),
			"retention period of the window store counts must be no smaller than its window size plus the grace period; got size=[10], grace=[5], retention=[14]"},
		{"hopping retention < size+grace", windowed(dsl.HoppingWindows(10*milli, 5*milli, 0).WithRetention(9 * milli)), "got size=[10], grace=[0], retention=[9]"},
		{"sliding retention = 2*diff+grace", windowed(dsl.SlidingWindows(10*milli, 5*milli).WithRetention(25 * milli)), ""},
		{"sliding retention < 2*diff+grace", windowed(dsl.SlidingWindows(10*milli, 5*milli).WithRetention(24 * milli)), "2 * its window time difference plus the grace period"},
		{"session retention = gap+grace", sessions(dsl.SessionWindows(10*milli, 5*milli).WithRetention(15 * milli)), ""},
		{"session retention < gap+grace", sessions(dsl.SessionWindows(10*milli, 5*milli).WithRetention(14 * milli)),
			"session store counts must be no smaller than the session inactivity gap plus the grace period; got gap=[10], grace=[5], retention=[14]"},
		{"zero size", windowed(dsl.TumblingWindows(0, 0)), "size 0ms must be positive"},
		{"negative grace", windowed(dsl.TumblingWindows(10*milli, -milli)), "negative grace period"},
		{"advance > size", windowed(dsl.HoppingWindows(10*milli, 11*milli, 0)), "advance 11ms must be positive and at most the size 10ms"},
		{"zero advance", windowed(dsl.HoppingWindows(10*milli, 0, 0)), "advance 0ms must be positive"},
		{"negative time difference", windowed(dsl.SlidingWindows(-milli, 0)), "negative time difference"},
		{"zero sliding time difference", windowed(dsl.SlidingWindows(0, 0)), ""},
		{"zero Windows", windowed(dsl.Windows{}), "zero Windows"},
		{"zero gap", sessions(dsl.SessionWindows(0, 0)), "inactivity gap 0ms must be positive"},
		{"zero Sessions", sessions(dsl.Sessions{}), "zero Sessions"},
		{"negative retention", windowed(dsl.TumblingWindows(10*milli, 0).WithRetention(-milli)), "retention -1ms must be positive"},
		{"nil aggregator", func(b *dsl.Builder) {
			dsl.WindowedAggregate(grouped(b).WindowedBy(dsl.TumblingWindows(10*milli, 0)), func() int { return 0 }, nil, serde.JSON[int]())
		}, "nil initializer or aggregator"},
		{"nil merger", func(b *dsl.Builder) {
			dsl.SessionAggregate(grouped(b).WindowedBySession(dsl.SessionWindows(10*milli, 0)), func() int { return 0 },
				func(_ string, v, a int) int { return a + v }, nil, serde.JSON[int]())
		}, "nil initializer, aggregator or merger"},
		{"option that does not apply", func(b *dsl.Builder) {
			dsl.WindowedCount(grouped(b).WindowedBy(dsl.TumblingWindows(10*milli, 0)), dsl.NumPartitions(3))
		}, "option NumPartitions does not apply"},
		{"suppress with a bad window definition", func(b *dsl.Builder) {
			dsl.SuppressUntilWindowCloses(dsl.WindowedCount(grouped(b).WindowedBy(dsl.TumblingWindows(10*milli, 0))), dsl.TumblingWindows(10*milli, -milli))
		}, "negative grace period"},
		{"suppress with no window definition", func(b *dsl.Builder) {
			dsl.SuppressUntilWindowCloses(dsl.WindowedCount(grouped(b).WindowedBy(dsl.TumblingWindows(10*milli, 0))), nil)
		}, "nil window definition"},
		{"suppress without serdes", func(b *dsl.Builder) {
			counts := dsl.WindowedCount(grouped(b).WindowedBy(dsl.TumblingWindows(10*milli, 0)))
			dsl.SuppressUntilTimeLimit(dsl.MapTableValues(counts, func(_ dsl.Windowed[string], n int64) int { return int(n) }), time.Second, 0)
		}, "no serdes for the suppression buffer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := dsl.NewBuilder()
			tt.build(b)
			_, err := b.Build()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Build: %v", err)
			case tt.want != "" && !errorsContains(err, tt.want):
				t.Fatalf("Build error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// windowedOut reads topic as "key@start/end=value tTS" strings ("=<nil>" for deletes).
func windowedOut[V any](t *testing.T, d *ttd.Driver, topic string, ks serde.Serde[dsl.Windowed[string]], vs serde.Serde[V]) []string {
	t.Helper()
	kvs, err := ttd.NewOutputTopic(d, topic, ks, vs).Read()
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, kv := range kvs {
		v := fmt.Sprint(kv.Value)
		if kv.Null {
			v = "<nil>"
		}
		out = append(out, fmt.Sprintf("%s@%d/%d=%s t%d", kv.Key.Key, kv.Key.Start, kv.Key.End, v, kv.Timestamp))
	}
	return out
}

// windowStep is one input record and the output it must cause.
type windowStep struct {
	in
	want []string // outputs, in order
}

// run pipes the steps one by one and checks the output after each.
func pipeSteps[V any](t *testing.T, d *ttd.Driver, topic string, ks serde.Serde[dsl.Windowed[string]], vs serde.Serde[V], steps []windowStep) {
	t.Helper()
	for _, s := range steps {
		pipe(t, d, "in", s.in)
		got := windowedOut(t, d, topic, ks, vs)
		if want := s.want; strings.Join(got, ", ") != strings.Join(want, ", ") {
			t.Errorf("after %s=%d at %d:\n got %q\nwant %q", s.key, s.value, s.ts, got, want)
		}
	}
}

func wantOut(s ...string) []string { return s }
