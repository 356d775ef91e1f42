package dsl_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/serde"
)

// kafkaCluster is an embedded broker (kfake) with a client and the given topics, for the
// tests on the real runtime.
type kafkaCluster struct {
	t     *testing.T
	addrs []string
	cl    *kgo.Client
}

func newKafkaCluster(t *testing.T, topics map[string]int32) *kafkaCluster {
	t.Helper()
	if testing.Short() {
		t.Skip("runs on kfake")
	}
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.AllowAutoTopicCreation())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.ListenAddrs()...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	adm := kadm.NewClient(cl)
	for topic, n := range topics {
		if _, err := adm.CreateTopic(context.Background(), n, 1, nil, topic); err != nil {
			t.Fatal(err)
		}
	}
	return &kafkaCluster{t: t, addrs: c.ListenAddrs(), cl: cl}
}

// produce writes JSON int values with string keys.
func (c *kafkaCluster) produce(topic string, recs ...in) {
	c.t.Helper()
	for _, r := range recs {
		v, _ := serde.JSON[int]().Serialize(topic, r.value)
		rec := &kgo.Record{Topic: topic, Key: []byte(r.key), Value: v, Timestamp: time.UnixMilli(r.ts)}
		if err := c.cl.ProduceSync(context.Background(), rec).FirstErr(); err != nil {
			c.t.Fatal(err)
		}
	}
}

// reader collects "key:value@ts" strings from topics.
type reader struct {
	mu  sync.Mutex
	got map[string][]string
	cl  *kgo.Client
}

func (c *kafkaCluster) reader(topics ...string) *reader {
	c.t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.addrs...), kgo.ConsumeTopics(topics...),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(cl.Close)
	return &reader{got: map[string][]string{}, cl: cl}
}

// poll reads what arrived and returns the records of topic read so far.
func (r *reader) poll(topic string) []string {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	r.cl.PollFetches(ctx).EachRecord(func(rec *kgo.Record) {
		r.got[rec.Topic] = append(r.got[rec.Topic], fmt.Sprintf("%s:%s@%d", raw(rec.Key), raw(rec.Value), rec.Timestamp.UnixMilli()))
	})
	return slices.Clone(r.got[topic])
}

// app runs topo as application id until the returned stop is called; stop fails the test
// on a Run error.
func (c *kafkaCluster) app(topo *runtime.Topology, id, dir string, opts ...runtime.Opt) (*runtime.App, func()) {
	c.t.Helper()
	app, err := runtime.New(topo, id, append([]runtime.Opt{runtime.Brokers(c.addrs...), runtime.StateDir(dir),
		runtime.CommitInterval(50 * time.Millisecond)}, opts...)...)
	if err != nil {
		c.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx) }()
	return app, func() {
		cancel()
		if err := <-done; err != nil {
			c.t.Fatalf("Run: %v", err)
		}
	}
}

// waitFor polls until cond holds, for at most 30 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestJoinsTwoPartitions runs the three kinds of join on topics of two partitions; the
// stream-stream join's right side is repartitioned, and its repartition topic gets the
// partition count of the left side.
func TestJoinsTwoPartitions(t *testing.T) {
	c := newKafkaCluster(t, map[string]int32{"p-s": 2, "p-s2": 2, "p-t": 2, "p-t2": 2})
	b := dsl.NewBuilder()
	s := dsl.StreamOf(b, "p-s", consumed)
	tbl := dsl.TableOf(b, "p-t", consumed)
	dsl.JoinTable(s, tbl, func(_ string, v, vt int) string { return fmt.Sprintf("%d+%d", v, vt) }).To("p-st", joined)
	dsl.JoinTables(tbl, dsl.TableOf(b, "p-t2", consumed), func(_ string, a, b int) string { return fmt.Sprintf("%d/%d", a, b) }).
		ToStream().To("p-tt", joined)
	s2 := dsl.SelectKey(dsl.StreamOf(b, "p-s2", consumed), func(k string, _ int) string { return k }).WithSerdes(consumed.Key, consumed.Value)
	dsl.JoinStreams(s, s2, func(_ string, a, b int) string { return fmt.Sprintf("%d*%d", a, b) }, dsl.JoinTimeWindowsWithGrace(time.Second, 0), dsl.Named("ss")).
		To("p-ss", joined)
	topo, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	app, stop := c.app(topo, "joins2", t.TempDir(), runtime.Threads(2))
	var wantST, wantTT, wantSS []string
	for i := range 10 {
		k := fmt.Sprintf("k%d", i)
		c.produce("p-t", in{k, i, 1})
		if i%2 == 0 {
			c.produce("p-t2", in{k, 1000 + i, 2})
			wantTT = append(wantTT, fmt.Sprintf(`%s:"%d/%d"@2`, k, i, 1000+i))
		}
		wantST = append(wantST, fmt.Sprintf(`%s:"%d+%d"@10`, k, 100+i, i))
		wantSS = append(wantSS, fmt.Sprintf(`%s:"%d*%d"@11`, k, 100+i, 200+i))
	}
	r := c.reader("p-st", "p-tt", "p-ss")
	waitFor(t, "the table-table join", func() bool { return len(r.poll("p-tt")) >= len(wantTT) })
	for i := range 10 {
		k := fmt.Sprintf("k%d", i)
		c.produce("p-s", in{k, 100 + i, 10})
		c.produce("p-s2", in{k, 200 + i, 11})
	}
	waitFor(t, "the stream joins", func() bool {
		return len(r.poll("p-st")) >= len(wantST) && len(r.poll("p-ss")) >= len(wantSS)
	})
	stop()
	for _, check := range []struct {
		topic string
		want  []string
	}{{"p-st", wantST}, {"p-tt", wantTT}, {"p-ss", wantSS}} {
		got := r.poll(check.topic)
		slices.Sort(got)
		slices.Sort(check.want)
		if !slices.Equal(got, check.want) {
			t.Errorf("%s:\n got %q\nwant %q", check.topic, got, check.want)
		}
	}
	adm := kadm.NewClient(c.cl)
	details, err := adm.ListTopics(context.Background(), "joins2-ss-right-repartition")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(details["joins2-ss-right-repartition"].Partitions); n != 2 {
		t.Errorf("repartition topic has %d partitions, want 2", n)
	}
	if m := app.Metrics(); m.ProcessingErrors != 0 {
		t.Errorf("metrics %+v", m)
	}
}

// TestJoinNotCopartitioned: an application joining topics with different partition
// counts does not start.
func TestJoinNotCopartitioned(t *testing.T) {
	c := newKafkaCluster(t, map[string]int32{"cp-s": 2, "cp-t": 3})
	b := dsl.NewBuilder()
	dsl.JoinTable(dsl.StreamOf(b, "cp-s", consumed), dsl.TableOf(b, "cp-t", consumed), func(_ string, v, vt int) string { return "" }).
		To("cp-out", joined)
	topo, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	app, err := runtime.New(topo, "cp", runtime.Brokers(c.addrs...), runtime.StateDir(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = app.Run(ctx)
	if err == nil || !strings.Contains(err.Error(), "not co-partitioned") || !strings.Contains(err.Error(), "cp-t: 3") {
		t.Fatalf("Run: %v, want a co-partitioning error", err)
	}
}

// TestLeftJoinStreamsRestore: a second instance with an empty state directory restores
// both window stores and the outer-join store from their changelogs: a right record
// joins a left record the first instance stored, and a left record still waiting is
// emitted unmatched when its window closes, while the matched one is not.
func TestLeftJoinStreamsRestore(t *testing.T) {
	c := newKafkaCluster(t, map[string]int32{"rs-l": 1, "rs-r": 1})
	b := dsl.NewBuilder()
	leftStreams(dsl.StreamOf(b, "rs-l", consumed), dsl.StreamOf(b, "rs-r", consumed), dsl.JoinTimeWindowsWithGrace(10*milli, 0)).
		To("rs-out", joined)
	topo, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	const base = 1_000_000
	c.produce("rs-l", in{"a", 1, base}, in{"c", 3, base + 1})
	first, stop := c.app(topo, "restore", t.TempDir())
	waitFor(t, "the first instance", func() bool { return first.Metrics().RecordsProcessed >= 2 })
	stop()
	r := c.reader("rs-out")
	if got := r.poll("rs-out"); len(got) != 0 {
		t.Fatalf("first instance emitted %q", got)
	}

	second, stop := c.app(topo, "restore", t.TempDir())
	c.produce("rs-r", in{"a", 2, base + 5})
	want := []string{fmt.Sprintf(`a:"1+2"@%d`, base+5)}
	waitFor(t, "the join with a restored record", func() bool { return len(r.poll("rs-out")) >= 1 })
	c.produce("rs-l", in{"z", 0, base + 100})
	want = append(want, fmt.Sprintf(`c:"3+null"@%d`, base+1))
	waitFor(t, "the unmatched record", func() bool { return len(r.poll("rs-out")) >= 2 })
	waitFor(t, "the last record", func() bool { return second.Metrics().RecordsProcessed >= 2 })
	stop()
	if got := r.poll("rs-out"); !slices.Equal(got, want) {
		t.Errorf("output:\n got %q\nwant %q", got, want)
	}
	if second.Metrics().RecordsRestored == 0 {
		t.Error("the second instance restored nothing")
	}
}
