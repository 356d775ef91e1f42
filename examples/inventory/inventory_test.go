package main

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/broker"
	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/runtime/ttd"
	"github.com/ksqlgo/ksqlgo/serde"
)

var movements = []Movement{
	{"apples", "s1", Received, 20},
	{"apples", "s2", Sold, 5},
	{"bread", "s1", Received, 12},
	{"apples", "s1", Sold, 8},     // apples 7: low
	{"bread", "s2", Sold, 1},      // bread 11
	{"apples", "s1", Returned, 1}, // apples 8: still low
	{"bread", "s1", "STOLEN", 99}, // unknown type: no change
	{"bread", "s1", Sold, 2},      // bread 9: low
}

func TestTopologyOnDriver(t *testing.T) {
	d := newDriver(t)
	in := ttd.NewInputTopic(d, "stock_movements", serde.String(), serde.JSON[Movement]())
	for i, m := range movements {
		if err := in.Pipe(m.Item, m, int64(i)); err != nil {
			t.Fatal(err)
		}
	}
	levels, err := ttd.NewOutputTopic(d, "stock_levels", serde.String(), serde.JSON[Level]()).Read()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range levels {
		got = append(got, l.Key+":"+itoa(l.Value.Qty))
	}
	if s := strings.Join(got, " "); s != "apples:20 apples:15 bread:12 apples:7 bread:11 apples:8 bread:11 bread:9" {
		t.Fatalf("levels %s", s)
	}
	alerts, err := ttd.NewOutputTopic(d, "low_stock_alerts", serde.String(), serde.JSON[Level]()).Read()
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, l := range alerts {
		got = append(got, l.Key+":"+itoa(l.Value.Qty))
	}
	if s := strings.Join(got, " "); s != "apples:7 apples:8 bread:9" {
		t.Fatalf("alerts %s", s)
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

// TestQueriesWhileRunning runs the topology on the embedded broker and reads the stock
// table through interactive queries while the application runs.
func TestQueriesWhileRunning(t *testing.T) {
	b, err := broker.New(broker.Listen("127.0.0.1:0"), broker.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addr()), kgo.AllowAutoTopicCreation())
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx := context.Background()
	if _, err := kadm.NewClient(cl).CreateTopics(ctx, 2, 1, nil, "stock_movements"); err != nil {
		t.Fatal(err)
	}
	for _, m := range movements {
		v, _ := json.Marshal(m)
		if err := cl.ProduceSync(ctx, &kgo.Record{Topic: "stock_movements", Key: []byte(m.Item), Value: v}).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	topo, err := Topology()
	if err != nil {
		t.Fatal(err)
	}
	app, err := runtime.New(topo, "inventory-test", runtime.Brokers(b.Addr()), runtime.StateDir(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- app.Run(runCtx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("app: %v", err)
		}
	}()
	want := map[string]int64{"apples": 8, "bread": 9}
	deadline := time.Now().Add(30 * time.Second)
	for item, qty := range want {
		for {
			v, err := app.Get(ctx, StoreName, []byte(item))
			if err == nil && v != nil {
				if l, err := DecodeLevel(v); err == nil && l.Qty == qty {
					break
				}
			}
			if err != nil && !errors.Is(err, runtime.ErrNotLocal) && time.Now().After(deadline) {
				t.Fatalf("query %s: %v", item, err)
			}
			if time.Now().After(deadline) {
				t.Fatalf("stock of %s never reached %d (last %q, %v)", item, qty, v, err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	if r := Report(ctx, app); !strings.Contains(r, "apples=8") || !strings.Contains(r, "bread=9") || !strings.Contains(r, "milk=-") {
		t.Fatalf("report %q", r)
	}
	md, err := app.KeyMetadata(ctx, StoreName, []byte("apples"))
	if err != nil || !md.Local || md.Partition != int32(runtime.KeyPartition([]byte("apples"), 2)) {
		t.Fatalf("metadata %+v, %v", md, err)
	}
	n := 0
	if err := app.All(StoreName, func(k, v []byte) bool { n++; return true }); err != nil || n != 2 {
		t.Fatalf("All saw %d entries, %v", n, err)
	}
}

// newDriver returns a test driver, closed when the test ends, on the inventory topology.
func newDriver(t *testing.T) *ttd.Driver {
	t.Helper()
	topo, err := Topology()
	if err != nil {
		t.Fatal(err)
	}
	d, err := ttd.New(topo)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}
