package runtime_test

import (
	"context"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/runtime"
)

// TestTransactionalInputNotLagging: a task reading two partitions, one of which ends in a
// transaction marker (written by an exactly-once producer), does not take that partition
// for one with unfetched records: the other partition's records are processed although
// the task would wait an hour for a lagging input.
func TestTransactionalInputNotLagging(t *testing.T) {
	c := newCluster(t)
	cl := newClient(t, c)
	createTopic(t, cl, 1, "plain", "txn")
	txn := newClient(t, c, kgo.TransactionalID("writer"))
	ctx := context.Background()
	if err := txn.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	if err := txn.ProduceSync(ctx, &kgo.Record{Topic: "txn", Value: []byte("0"), Timestamp: time.UnixMilli(1)}).FirstErr(); err != nil {
		t.Fatal(err)
	}
	if err := txn.EndTransaction(ctx, kgo.TryCommit); err != nil {
		t.Fatal(err)
	}
	topo := runtime.NewTopology()
	must(t, topo.AddSource("src", runtime.Source{Topics: []string{"plain", "txn"}}))
	must(t, topo.AddSink("sink", runtime.Sink{Topic: "out"}, "src"))
	app, err := runtime.New(topo, "ctl", runtime.Brokers(c.ListenAddrs()...))
	must(t, err)
	runtime.SetIdleWaits(app, time.Hour, time.Hour)
	startApp(t, app)
	collect(t, c, "out", func(m map[string]int) bool { return m["0"] == 1 })
	produceN(t, cl, "plain", 2, 1) // after the transactional record: the txn queue is empty
	collect(t, c, "out", func(m map[string]int) bool { return m["2"] == 1 })
}
