package runtime_test

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/runtime/ttd"
)

func values(rs []ttd.Record) []string {
	var out []string
	for _, r := range rs {
		out = append(out, string(r.Value))
	}
	return out
}

// TestTimestampOrder: a task reading two topics processes buffered records lowest timestamp
// first, and stream time is the largest timestamp seen.
func TestTimestampOrder(t *testing.T) {
	topo := runtime.NewTopology()
	must(t, topo.AddSource("src", runtime.Source{Topics: []string{"a", "b"}}))
	var streamTimes []int64
	must(t, topo.AddProcessor("p", runtime.ProcessorFunc(func(ctx *runtime.ProcessorContext, r runtime.Record) error {
		streamTimes = append(streamTimes, ctx.StreamTime())
		m := ctx.Metadata()
		r.Value = []byte(fmt.Sprintf("%s@%d:%s", m.Topic, m.Offset, r.Value))
		ctx.Forward(r)
		return nil
	}).Supplier(), "src"))
	must(t, topo.AddSink("sink", runtime.Sink{Topic: "out"}, "p"))
	d, err := ttd.New(topo)
	must(t, err)
	defer d.Close()
	must(t, d.Pipe("a", nil, []byte("x"), 10))
	must(t, d.Pipe("b", nil, []byte("y"), 5))
	must(t, d.Pipe("a", nil, []byte("z"), 7))
	got := values(d.ReadOutput("out"))
	want := []string{"a@0:x", "b@0:y", "a@1:z"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %v want %v", got, want)
	}
	if fmt.Sprint(streamTimes) != "[10 10 10]" {
		t.Fatalf("stream times %v", streamTimes)
	}
}

// punctuating forwards a record on every punctuation.
type punctuating struct {
	typ   runtime.PunctuationType
	every time.Duration
	ctx   *runtime.ProcessorContext
}

func (p *punctuating) Init(ctx *runtime.ProcessorContext) error {
	p.ctx = ctx
	ctx.Schedule(p.every, p.typ, func(ts int64) error {
		ctx.Forward(runtime.Record{Value: []byte(fmt.Sprintf("%s@%d", p.typ, ts)), Timestamp: ts})
		return nil
	})
	return nil
}
func (p *punctuating) Process(r runtime.Record) error { return nil }
func (p *punctuating) Close() error                   { return nil }

func TestPunctuation(t *testing.T) {
	build := func(typ runtime.PunctuationType) *ttd.Driver {
		topo := runtime.NewTopology()
		must(t, topo.AddSource("src", runtime.Source{Topics: []string{"in"}}))
		must(t, topo.AddProcessor("p", func() runtime.Processor { return &punctuating{typ: typ, every: 10 * time.Millisecond} }, "src"))
		must(t, topo.AddSink("sink", runtime.Sink{Topic: "out"}, "p"))
		d, err := ttd.New(topo, ttd.StartTime(time.UnixMilli(1000)))
		must(t, err)
		t.Cleanup(func() { d.Close() })
		return d
	}
	t.Run("stream time", func(t *testing.T) {
		d := build(runtime.StreamTime)
		for _, ts := range []int64{3, 5, 12, 13, 45, 20} {
			must(t, d.Pipe("in", nil, []byte("x"), ts))
		}
		// Aligned to 0: fires at the first record, then at 10, then skips missed intervals.
		want := "[stream-time@3 stream-time@12 stream-time@45]"
		if got := fmt.Sprint(values(d.ReadOutput("out"))); got != want {
			t.Fatalf("got %v want %v", got, want)
		}
		must(t, d.AdvanceWallClock(time.Hour))
		if got := d.ReadOutput("out"); len(got) != 0 {
			t.Fatalf("wall clock fired a stream-time punctuator: %v", values(got))
		}
	})
	t.Run("wall clock", func(t *testing.T) {
		d := build(runtime.WallClockTime)
		must(t, d.Pipe("in", nil, []byte("x"), 5000))
		must(t, d.AdvanceWallClock(9*time.Millisecond))
		must(t, d.AdvanceWallClock(time.Millisecond))
		must(t, d.AdvanceWallClock(25*time.Millisecond))
		want := "[wall-clock-time@1010 wall-clock-time@1035]"
		if got := fmt.Sprint(values(d.ReadOutput("out"))); got != want {
			t.Fatalf("got %v want %v", got, want)
		}
	})
}

type failingSerde struct{}

func (failingSerde) Serialize(_ string, v any) ([]byte, error) { return v.([]byte), nil }
func (failingSerde) Deserialize(_ string, b []byte) (any, error) {
	if strings.HasPrefix(string(b), "bad") {
		return nil, errors.New("cannot decode " + string(b))
	}
	return b, nil
}

func TestErrorPolicies(t *testing.T) {
	build := func(t *testing.T, opts ...runtime.Opt) *ttd.Driver {
		topo := runtime.NewTopology()
		must(t, topo.AddSource("src", runtime.Source{Topics: []string{"in"}, Value: failingSerde{}}))
		must(t, topo.AddProcessor("p", runtime.ProcessorFunc(func(ctx *runtime.ProcessorContext, r runtime.Record) error {
			if string(r.Value.([]byte)) == "boom" {
				return errors.New("boom failed")
			}
			ctx.Forward(r)
			return nil
		}).Supplier(), "src"))
		must(t, topo.AddSink("sink", runtime.Sink{Topic: "out", Value: failingSerde{}}, "p"))
		d, err := ttd.New(topo, ttd.RuntimeOpts(opts...))
		must(t, err)
		t.Cleanup(func() { d.Close() })
		return d
	}
	inputs := []string{"a", "bad1", "b", "boom", "c"}
	t.Run("log and continue", func(t *testing.T) {
		d := build(t)
		for _, v := range inputs {
			must(t, d.Pipe("in", nil, []byte(v), 1))
		}
		if got := fmt.Sprint(values(d.ReadOutput("out"))); got != "[a b c]" {
			t.Fatalf("got %v", got)
		}
		m := d.Metrics()
		if m.DeserializationErrors != 1 || m.ProcessingErrors != 1 || m.RecordsProcessed != 4 {
			t.Fatalf("metrics %+v", m)
		}
	})
	t.Run("log and fail", func(t *testing.T) {
		d := build(t, runtime.OnDeserializationError(runtime.LogAndFail()))
		must(t, d.Pipe("in", nil, []byte("a"), 1))
		err := d.Pipe("in", nil, []byte("bad1"), 1)
		if err == nil || !strings.Contains(err.Error(), "cannot decode bad1") || !strings.Contains(err.Error(), "in-0@1") {
			t.Fatalf("want the decode error with its position, got %v", err)
		}
		d2 := build(t, runtime.OnProcessingError(runtime.LogAndFail()))
		err = d2.Pipe("in", nil, []byte("boom"), 1)
		if err == nil || !strings.Contains(err.Error(), `node "p"`) || !strings.Contains(err.Error(), "boom failed") {
			t.Fatalf("want the processing error naming the node, got %v", err)
		}
	})
	t.Run("dead letter", func(t *testing.T) {
		d := build(t, runtime.OnDeserializationError(runtime.DeadLetter("dlq")), runtime.OnProcessingError(runtime.DeadLetter("dlq")))
		for _, v := range inputs {
			must(t, d.Pipe("in", nil, []byte(v), 1))
		}
		dead := d.ReadOutput("dlq")
		if got := fmt.Sprint(values(dead)); got != "[bad1 boom]" {
			t.Fatalf("dead letters %v", got)
		}
		kinds := []string{}
		for _, r := range dead {
			for _, h := range r.Headers {
				if h.Key == runtime.DeadLetterKind {
					kinds = append(kinds, string(h.Value))
				}
			}
		}
		if fmt.Sprint(kinds) != "[deserialization processing]" {
			t.Fatalf("kinds %v", kinds)
		}
	})
}

func TestForwardToAndSplit(t *testing.T) {
	topo := runtime.NewTopology()
	must(t, topo.AddSource("src", runtime.Source{Topics: []string{"in"}}))
	must(t, topo.AddProcessor("route", runtime.ProcessorFunc(func(ctx *runtime.ProcessorContext, r runtime.Record) error {
		n, _ := strconv.Atoi(string(r.Value.([]byte)))
		if n < 0 {
			ctx.ForwardTo("nowhere", r)
			return nil
		}
		ctx.ForwardTo([]string{"even", "odd"}[n%2], r)
		return nil
	}).Supplier(), "src"))
	must(t, topo.AddSink("even", runtime.Sink{Topic: "evens"}, "route"))
	must(t, topo.AddSink("odd", runtime.Sink{Topic: "odds"}, "route"))
	d, err := ttd.New(topo)
	must(t, err)
	defer d.Close()
	for _, v := range []string{"1", "2", "3", "-1", "4"} {
		must(t, d.Pipe("in", nil, []byte(v), 0))
	}
	if got := fmt.Sprint(values(d.ReadOutput("evens")), values(d.ReadOutput("odds"))); got != "[2 4] [1 3]" {
		t.Fatalf("got %s", got)
	}
	if d.Metrics().ProcessingErrors != 1 {
		t.Fatalf("forwarding to an unknown child must be a processing error")
	}
}

// TestRepartitionLoop: records written to an internal topic come back through its source in
// the driver, and the topology splits into two subtopologies there.
func TestRepartitionLoop(t *testing.T) {
	topo := runtime.NewTopology()
	must(t, topo.AddInternalTopic("rekey-repartition", runtime.InternalTopic{}))
	must(t, topo.AddSource("src", runtime.Source{Topics: []string{"in"}}))
	must(t, topo.AddProcessor("rekey", runtime.ProcessorFunc(func(ctx *runtime.ProcessorContext, r runtime.Record) error {
		r.Key = r.Value
		ctx.Forward(r)
		return nil
	}).Supplier(), "src"))
	must(t, topo.AddSink("to-repartition", runtime.Sink{Topic: "rekey-repartition"}, "rekey"))
	must(t, topo.AddSource("from-repartition", runtime.Source{Topics: []string{"rekey-repartition"}}))
	must(t, topo.AddSink("sink", runtime.Sink{Topic: "out"}, "from-repartition"))
	want := `Topologies:
   Sub-topology: 0
    Source: src (topics: [in])
      --> rekey
    Processor: rekey (stores: [])
      --> to-repartition
      <-- src
    Sink: to-repartition (topic: rekey-repartition)
      <-- rekey

   Sub-topology: 1
    Source: from-repartition (topics: [rekey-repartition])
      --> sink
    Sink: sink (topic: out)
      <-- from-repartition

`
	if got := topo.Describe(); got != want {
		t.Fatalf("describe:\n%s\nwant:\n%s", got, want)
	}
	d, err := ttd.New(topo, ttd.AppID("app"))
	must(t, err)
	defer d.Close()
	must(t, d.Pipe("in", []byte("k"), []byte("v1"), 1))
	if got := d.ReadOutput("app-rekey-repartition"); len(got) != 1 || string(got[0].Key) != "v1" {
		t.Fatalf("repartition topic got %v", got)
	}
	if got := d.ReadOutput("out"); len(got) != 1 || string(got[0].Key) != "v1" {
		t.Fatalf("out got %v", got)
	}
}

func TestTopologyErrors(t *testing.T) {
	topo := runtime.NewTopology()
	must(t, topo.AddSource("src", runtime.Source{Topics: []string{"in"}}))
	must(t, topo.AddSink("sink", runtime.Sink{Topic: "out"}, "src"))
	for name, err := range map[string]error{
		"duplicate name":     topo.AddSource("src", runtime.Source{Topics: []string{"x"}}),
		"topic read twice":   topo.AddSource("src2", runtime.Source{Topics: []string{"in"}}),
		"unknown parent":     topo.AddProcessor("p", runtime.ProcessorFunc(nil).Supplier(), "ghost"),
		"child of a sink":    topo.AddProcessor("p", runtime.ProcessorFunc(nil).Supplier(), "sink"),
		"sink without topic": topo.AddSink("s2", runtime.Sink{}, "src"),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := runtime.New(runtime.NewTopology(), "x"); err == nil {
		t.Error("empty topology accepted")
	}
}

// TestKeyPartition: ksqlgo's partitioner agrees with franz-go's Kafka-compatible one.
func TestKeyPartition(t *testing.T) {
	kp := kgo.StickyKeyPartitioner(nil).ForTopic("t")
	for i := range 1000 {
		key := []byte("key-" + strconv.Itoa(i*7919))
		for _, n := range []int{1, 3, 8, 12} {
			want := kp.Partition(&kgo.Record{Key: key}, n)
			if got := runtime.KeyPartition(key, n); got != want {
				t.Fatalf("key %q n=%d: got %d want %d", key, n, got, want)
			}
		}
	}
}

// TestPunctuationHasNoRecordContext: like Kafka Streams, a punctuation sees no topic and
// offset -1, whichever clock it follows.
func TestPunctuationHasNoRecordContext(t *testing.T) {
	var got []runtime.RecordMetadata
	topo := runtime.NewTopology()
	must(t, topo.AddSource("s", runtime.Source{Topics: []string{"in"}}))
	must(t, topo.AddProcessor("p", runtime.ProcessorFunc(func(ctx *runtime.ProcessorContext, r runtime.Record) error {
		return nil
	}).Supplier(), "s"))
	must(t, topo.AddProcessor("q", func() runtime.Processor {
		return &metaPunctuator{got: &got}
	}, "s"))
	d, err := ttd.New(topo)
	must(t, err)
	defer d.Close()
	must(t, d.Pipe("in", nil, []byte("v"), 10))
	if len(got) != 1 || got[0] != (runtime.RecordMetadata{Partition: -1, Offset: -1}) {
		t.Fatalf("punctuation metadata %+v", got)
	}
}

type metaPunctuator struct{ got *[]runtime.RecordMetadata }

func (m *metaPunctuator) Init(ctx *runtime.ProcessorContext) error {
	ctx.Schedule(time.Millisecond, runtime.StreamTime, func(int64) error {
		*m.got = append(*m.got, ctx.Metadata())
		return nil
	})
	return nil
}
func (m *metaPunctuator) Process(runtime.Record) error { return nil }
func (m *metaPunctuator) Close() error                 { return nil }

func TestValidateInternalTopicWithoutWriter(t *testing.T) {
	topo := runtime.NewTopology()
	must(t, topo.AddInternalTopic("x-repartition", runtime.InternalTopic{}))
	must(t, topo.AddSource("s", runtime.Source{Topics: []string{"x-repartition"}}))
	if err := topo.Validate(); err == nil || !strings.Contains(err.Error(), "x-repartition") {
		t.Fatalf("want an error naming the topic, got %v", err)
	}
}
