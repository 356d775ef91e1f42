package dsl_test

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/runtime/ttd"
	"github.com/ksqlgo/ksqlgo/serde"
)

// router forwards values > 2 to the child "big", others to every child, each as a
// string-keyed count; it copies the input's metadata into headers and fails on value 0.
type router struct {
	ctx   *dsl.ProcessorContext[int, string]
	count int
}

func (p *router) Init(ctx *dsl.ProcessorContext[int, string]) error {
	p.ctx = ctx
	return nil
}

func (p *router) Process(r dsl.Record[string, int]) error {
	if r.Value == 0 {
		return errors.New("zero")
	}
	p.count++
	m := p.ctx.Metadata()
	tag, _ := r.Header("tag")
	out := dsl.Record[int, string]{
		Key:       p.count,
		Value:     r.Key,
		Timestamp: r.Timestamp + 1,
		Headers: []runtime.Header{
			{Key: "from", Value: fmt.Appendf(nil, "%s-%d@%d", m.Topic, m.Partition, m.Offset)},
			{Key: "tag", Value: tag},
			{Key: "node", Value: []byte(p.ctx.NodeName())},
		},
	}
	if r.Value > 2 {
		p.ctx.ForwardTo("big", out)
		return nil
	}
	p.ctx.Forward(out)
	return nil
}

func (p *router) Close() error { return nil }

func TestProcess(t *testing.T) {
	b := dsl.NewBuilder()
	s := dsl.Process(dsl.StreamOf(b, "in", consumed),
		func() dsl.Processor[string, int, int, string] { return &router{} }, dsl.Named("router"))
	s = s.WithSerdes(serde.JSON[int](), serde.String())
	s.Filter(func(int, string) bool { return true }, dsl.Named("big")).To("big")
	s.Filter(func(int, string) bool { return true }, dsl.Named("all")).To("all")
	d := newDriver(t, b)
	for i, r := range inputs {
		tag := runtime.Header{Key: "tag", Value: []byte("t" + strconv.Itoa(i))}
		if err := ttd.NewInputTopic(d, "in", serde.String(), serde.JSON[int]()).Pipe(r.key, r.value, r.ts, tag); err != nil {
			t.Fatal(err)
		}
	}
	pipe(t, d, "in", in{"z", 0, 50}) // an error: handled by the policy, nothing forwarded

	got := map[string][]string{}
	for _, topic := range []string{"big", "all"} {
		for _, r := range d.ReadOutput(topic) {
			got[topic] = append(got[topic], fmt.Sprintf("%s:%s@%d [%s]", r.Key, r.Value, r.Timestamp, headers(r.Headers)))
		}
	}
	want := map[string][]string{
		"all": {
			"1:a@11 [from=in-0@0,tag=t0,node=router]",
			"2:b@21 [from=in-0@1,tag=t1,node=router]",
		},
		"big": {
			"1:a@11 [from=in-0@0,tag=t0,node=router]",
			"2:b@21 [from=in-0@1,tag=t1,node=router]",
			"3:c@31 [from=in-0@2,tag=t2,node=router]",
			"4:d@41 [from=in-0@3,tag=t3,node=router]",
		},
	}
	for topic := range want {
		if !slices.Equal(got[topic], want[topic]) {
			t.Errorf("output of %q:\n got %q\nwant %q", topic, got[topic], want[topic])
		}
	}
	if m := d.Metrics(); m.ProcessingErrors != 1 {
		t.Errorf("%d processing errors, want 1", m.ProcessingErrors)
	}
}

// ticker counts records and forwards the count from punctuators on both clocks.
type ticker struct {
	ctx   *dsl.ProcessorContext[string, int]
	count int
	fired *[]string
}

func (p *ticker) Init(ctx *dsl.ProcessorContext[string, int]) error {
	p.ctx = ctx
	emit := func(clock string) runtime.Punctuator {
		return func(ts int64) error {
			fired := fmt.Sprintf("%s@%d", clock, ts)
			if clock == "wall" {
				fired += fmt.Sprintf(" offset %d", p.ctx.Metadata().Offset) // no input record
			}
			*p.fired = append(*p.fired, fired)
			p.ctx.Forward(dsl.Record[string, int]{Key: clock, Value: p.count, Timestamp: ts})
			return nil
		}
	}
	ctx.Schedule(100*time.Millisecond, runtime.StreamTime, emit("stream"))
	ctx.Schedule(10*time.Second, runtime.WallClockTime, emit("wall"))
	return nil
}

func (p *ticker) Process(dsl.Record[string, int]) error {
	p.count++
	return nil
}

func (p *ticker) Close() error { return nil }

func TestProcessPunctuators(t *testing.T) {
	b := dsl.NewBuilder()
	var fired []string
	dsl.Process(dsl.StreamOf(b, "in", consumed), func() dsl.Processor[string, int, string, int] {
		return &ticker{fired: &fired}
	}).To("out", dsl.Produced(serde.String(), serde.JSON[int]()))
	d := newDriver(t, b, ttd.StartTime(time.UnixMilli(1_000_000)))

	pipe(t, d, "in", in{"a", 1, 50}, in{"b", 1, 120}, in{"c", 1, 160})
	// Stream-time punctuations are aligned to multiples of the interval: 50, then 120 (the
	// one of 100..199), and not 160.
	checkOutput(t, d, "out", "stream:1@50", "stream:2@120")

	if err := d.AdvanceWallClock(9 * time.Second); err != nil {
		t.Fatal(err)
	}
	checkOutput(t, d, "out")
	if err := d.AdvanceWallClock(time.Second); err != nil {
		t.Fatal(err)
	}
	checkOutput(t, d, "out", "wall:3@1010000")

	want := []string{"stream@50", "stream@120", "wall@1010000 offset -1"}
	if !slices.Equal(fired, want) {
		t.Errorf("punctuations %q, want %q", fired, want)
	}
}

// failingInit fails in Init.
type failingInit struct{ ticker }

func (p *failingInit) Init(*dsl.ProcessorContext[string, int]) error { return errors.New("no") }

func TestProcessInitError(t *testing.T) {
	b := dsl.NewBuilder()
	dsl.Process(dsl.StreamOf(b, "in", consumed), func() dsl.Processor[string, int, string, int] {
		return &failingInit{}
	})
	topo, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ttd.New(topo); err == nil || !errorsContains(err, `init processor "KSTREAM-PROCESSOR-0000000001"`, "no") {
		t.Errorf("ttd.New: %v, want the Init error", err)
	}
}
