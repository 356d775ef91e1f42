package dsl_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/runtime/ttd"
	"github.com/ksqlgo/ksqlgo/serde"
)

// TestSuppressUntilWindowCloses: tumbling windows of 10 with grace 5; each window is
// emitted once, with its final value, when stream time reaches end + grace, and nothing
// before.
func TestSuppressUntilWindowCloses(t *testing.T) {
	b := dsl.NewBuilder()
	w := dsl.TumblingWindows(10*milli, 5*milli)
	counts := dsl.WindowedCount(dsl.StreamOf(b, "in", consumed).GroupByKey().WindowedBy(w))
	dsl.SuppressUntilWindowCloses(counts, w).ToStream().To("out")
	d := newDriver(t, b)
	pipeSteps(t, d, "out", dsl.WindowedSerde(serde.String(), 10*milli), serde.Int64(), []windowStep{
		{in{"a", 1, 1}, nil},
		{in{"a", 1, 3}, nil},
		{in{"b", 1, 12}, nil},
		{in{"a", 1, 14}, nil}, // stream time 14 < 10 + 5
		{in{"c", 1, 15}, wantOut("a@0/10=2 t3")},
		{in{"a", 1, 4}, nil}, // late: dropped by the aggregation, nothing emitted again
		{in{"a", 1, 16}, nil},
		{in{"c", 1, 24}, nil},
		// Windows that close together leave in order of end, then key.
		{in{"z", 1, 100}, wantOut("a@10/20=2 t16", "b@10/20=1 t12", "c@10/20=1 t15", "c@20/30=1 t24")},
		{in{"z", 1, 200}, wantOut("z@100/110=1 t100")},
	})
	checkDropped(t, d, 1)
}

// TestSuppressSessions: a session is emitted when stream time reaches its end + gap +
// grace (no record can join it any more); sessions merged away are never emitted.
func TestSuppressSessions(t *testing.T) {
	b := dsl.NewBuilder()
	w := dsl.SessionWindows(10*milli, 2*milli)
	counts := dsl.SessionCount(dsl.StreamOf(b, "in", consumed).GroupByKey().WindowedBySession(w))
	dsl.SuppressUntilWindowCloses(counts, w).ToStream().To("out")
	d := newDriver(t, b)
	pipeSteps(t, d, "out", dsl.SessionWindowedSerde(serde.String()), serde.Int64(), []windowStep{
		{in{"a", 1, 0}, nil},
		{in{"a", 1, 5}, nil}, // [0,0] merged into [0,5]
		{in{"b", 1, 14}, nil},
		{in{"a", 1, 16}, nil},                   // 16 - 10 > 5: a new session
		{in{"b", 1, 17}, wantOut("a@0/5=2 t5")}, // 17 = 5 + 10 + 2
		{in{"c", 1, 40}, wantOut("a@16/16=1 t16", "b@14/17=2 t17")},
	})
}

// TestSuppressDropsDeletes: a window deleted before it closes emits nothing; one deleted
// and written again emits its last value.
func TestSuppressDropsDeletes(t *testing.T) {
	b := dsl.NewBuilder()
	w := dsl.TumblingWindows(10*milli, 0)
	// A value of 0 deletes the window (the aggregator returns nil).
	sums := dsl.WindowedAggregate(dsl.StreamOf(b, "in", consumed).GroupByKey().WindowedBy(w),
		func() *int { return new(int) },
		func(_ string, v int, agg *int) *int {
			if v == 0 {
				return nil
			}
			n := *agg + v
			return &n
		}, serde.JSON[*int]())
	sums.ToStream().To("all")
	dsl.SuppressUntilWindowCloses(sums, w).ToStream().To("final")
	d := newDriver(t, b)
	pipe(t, d, "in", in{"x", 1, 1}, in{"x", 0, 2}, in{"y", 5, 3}, in{"w", 1, 4}, in{"w", 0, 5}, in{"w", 7, 6}, in{"z", 1, 10})
	ks := dsl.WindowedSerde(serde.String(), 10*milli)
	all := windowedOut(t, d, "all", ks, serde.JSON[int]())
	if want := wantOut("x@0/10=1 t1", "x@0/10=<nil> t2", "y@0/10=5 t3", "w@0/10=1 t4", "w@0/10=<nil> t5", "w@0/10=7 t6", "z@10/20=1 t10"); !slices.Equal(all, want) {
		t.Errorf("all updates:\n got %q\nwant %q", all, want)
	}
	final := windowedOut(t, d, "final", ks, serde.JSON[int]())
	if want := wantOut("w@0/10=7 t6", "y@0/10=5 t3"); !slices.Equal(final, want) {
		t.Errorf("final:\n got %q\nwant %q", final, want)
	}
}

// TestSuppressUntilTimeLimit: a key's latest value leaves the buffer when stream time has
// advanced by the limit since its first buffered update, or when the buffer is over its
// bound (oldest first).
func TestSuppressUntilTimeLimit(t *testing.T) {
	t.Run("time limit", func(t *testing.T) {
		b := dsl.NewBuilder()
		counts := dsl.StreamOf(b, "in", consumed).GroupByKey().Count()
		dsl.SuppressUntilTimeLimit(counts, 10*milli, 0).ToStream().To("out")
		d := newDriver(t, b)
		steps := []struct {
			in
			want string
		}{
			{in{"a", 1, 0}, ""},
			{in{"a", 1, 5}, ""}, // a keeps buffer time 0
			{in{"b", 1, 7}, ""},
			{in{"c", 1, 10}, "a=2@5"},
			{in{"c", 1, 16}, ""},
			{in{"c", 1, 17}, "b=1@7"},
			{in{"a", 1, 30}, "c=3@17"}, // a's new buffer time is 30
			{in{"a", 1, 39}, ""},
			{in{"b", 1, 40}, "a=4@39"},
		}
		for _, s := range steps {
			pipe(t, d, "in", s.in)
			if got := strings.Join(countsOut(t, d), " "); got != s.want {
				t.Errorf("after %s at %d: got %q, want %q", s.key, s.ts, got, s.want)
			}
		}
	})
	t.Run("max records", func(t *testing.T) {
		b := dsl.NewBuilder()
		counts := dsl.StreamOf(b, "in", consumed).GroupByKey().Count()
		dsl.SuppressUntilTimeLimit(counts, time.Hour, 2).ToStream().To("out")
		d := newDriver(t, b)
		pipe(t, d, "in", in{"a", 1, 0}, in{"b", 1, 1}, in{"b", 1, 2})
		if got := countsOut(t, d); len(got) != 0 {
			t.Fatalf("emitted %q with 2 keys buffered", got)
		}
		pipe(t, d, "in", in{"c", 1, 3})
		pipe(t, d, "in", in{"a", 1, 4})
		if got, want := countsOut(t, d), []string{"a=1@0", "b=2@2"}; !slices.Equal(got, want) {
			t.Fatalf("got %q, want %q", got, want)
		}
	})
}

// countsOut reads the int64 updates of topic "out" as "key=value@ts".
func countsOut(t *testing.T, d *ttd.Driver) []string {
	t.Helper()
	kvs, err := ttd.NewOutputTopic(d, "out", serde.String(), serde.Int64()).Read()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, kv := range kvs {
		out = append(out, fmt.Sprintf("%s=%d@%d", kv.Key, kv.Value, kv.Timestamp))
	}
	return out
}

// TestSuppressBufferSurvivesMove: windows held back by a suppression are in its buffer
// store, restored from the changelog on another instance (a fresh state directory), which
// emits them when stream time passes their end. Runs on kfake.
func TestSuppressBufferSurvivesMove(t *testing.T) {
	c := newKafkaCluster(t, map[string]int32{"sup-in": 1, "sup-out": 1})
	cl := c.cl
	ctx := context.Background()
	const base = 1_000_000 // ms, a multiple of the window size
	produce := func(key string, ts int64) {
		t.Helper()
		r := &kgo.Record{Topic: "sup-in", Key: []byte(key), Value: []byte("1"), Timestamp: time.UnixMilli(base + ts)}
		if err := cl.ProduceSync(ctx, r).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}

	b := dsl.NewBuilder()
	w := dsl.TumblingWindows(10*milli, 0)
	counts := dsl.WindowedCount(dsl.StreamOf(b, "sup-in", consumed).GroupByKey().WindowedBy(w), dsl.Named("counts"))
	dsl.SuppressUntilWindowCloses(counts, w, dsl.Named("final")).ToStream().To("sup-out")
	topo, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	// runUntil runs an instance with its own state directory until cond holds.
	runUntil := func(what string, cond func(*runtime.App) bool) *runtime.App {
		t.Helper()
		app, err := runtime.New(topo, "suppress-move", runtime.Brokers(c.addrs...), runtime.StateDir(t.TempDir()),
			runtime.CommitInterval(time.Hour)) // only the final commit, at the stop
		if err != nil {
			t.Fatal(err)
		}
		runCtx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- app.Run(runCtx) }()
		deadline := time.Now().Add(30 * time.Second)
		for !cond(app) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if !cond(app) {
			t.Fatalf("%s: timed out", what)
		}
		return app
	}

	produce("a", 1)
	produce("a", 2)
	produce("b", 3)
	runUntil("first instance", func(a *runtime.App) bool { return a.Metrics().RecordsProcessed >= 3 })

	rd, err := kgo.NewClient(kgo.SeedBrokers(c.addrs...), kgo.ConsumeTopics("sup-out"),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rd.Close)
	var got []string
	read := func() {
		pctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		rd.PollFetches(pctx).EachRecord(func(r *kgo.Record) {
			w, err := dsl.WindowedSerde(serde.String(), 10*milli).Deserialize("sup-out", r.Key)
			if err != nil {
				t.Errorf("key: %v", err)
			}
			got = append(got, fmt.Sprintf("%s@%d/%d=%d", w.Key, w.Start-base, w.End-base, int64(binary.BigEndian.Uint64(r.Value))))
		})
	}
	read()
	if len(got) != 0 {
		t.Fatalf("emitted %q before the window closed", got)
	}

	// The second instance has an empty state directory: it restores the buffer from its
	// changelog, then 20 closes the window [0,10).
	produce("z", 20)
	second := runUntil("second instance", func(*runtime.App) bool { read(); return len(got) >= 2 })
	if want := []string{"a@0/10=2", "b@0/10=1"}; !slices.Equal(got, want) {
		t.Fatalf("emitted %q, want %q", got, want)
	}
	if second.Metrics().RecordsRestored == 0 {
		t.Fatal("the second instance restored nothing")
	}
}
