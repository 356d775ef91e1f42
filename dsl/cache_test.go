package dsl_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/broker"
	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/serde"
)

// TestCachedCountOnBroker: with a record cache, updates of a key between two commits
// collapse into one, and the last update per key is the true count.
func TestCachedCountOnBroker(t *testing.T) {
	if testing.Short() {
		t.Skip("runs on the embedded broker")
	}
	br, err := broker.New(broker.Listen("127.0.0.1:0"), broker.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	defer br.Close()
	cl, err := kgo.NewClient(kgo.SeedBrokers(br.Addr()), kgo.AllowAutoTopicCreation())
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx := context.Background()
	if _, err := kadm.NewClient(cl).CreateTopics(ctx, 1, 1, nil, "clicks"); err != nil {
		t.Fatal(err)
	}
	var recs []*kgo.Record
	for i := range 2000 {
		recs = append(recs, &kgo.Record{Topic: "clicks", Key: []byte(fmt.Sprint("user-", i%10)), Value: []byte(`1`)})
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
	b := dsl.NewBuilder()
	dsl.StreamOf(b, "clicks", dsl.Consumed(serde.String(), serde.JSON[int]())).
		GroupByKey().Count(dsl.Cached(100)).ToStream().To("click-counts", dsl.Produced(serde.String(), serde.Int64()))
	topo, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	app, err := runtime.New(topo, "cached", runtime.Brokers(br.Addr()), runtime.StateDir(t.TempDir()),
		runtime.CommitInterval(time.Hour)) // only the final commit (and cache size) flushes
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- app.Run(runCtx) }()
	deadline := time.Now().Add(30 * time.Second)
	for app.Metrics().RecordsProcessed < 2000 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	rd, err := kgo.NewClient(kgo.SeedBrokers(br.Addr()), kgo.ConsumeTopics("click-counts"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	last := map[string]int64{}
	n := 0
	for len(last) < 10 || n == 0 {
		pctx, pcancel := context.WithTimeout(ctx, 2*time.Second)
		fs := rd.PollFetches(pctx)
		pcancel()
		if fs.NumRecords() == 0 {
			break
		}
		fs.EachRecord(func(r *kgo.Record) {
			n++
			last[string(r.Key)] = int64(binary.BigEndian.Uint64(r.Value))
		})
	}
	for k, v := range last {
		if v != 200 {
			t.Errorf("%s: last count %d, want 200", k, v)
		}
	}
	if len(last) != 10 || n >= 2000 {
		t.Fatalf("%d updates for %d keys: the cache should have collapsed most of the 2000", n, len(last))
	}
	t.Logf("2000 input records, %d updates downstream", n)
}
