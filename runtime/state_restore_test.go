package runtime_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/ksqlgo/ksqlgo/runtime"
)

// seedChangelog creates the counts changelog of r's application (compacted, r.partitions
// partitions) and writes n records "k-<i>" -> count 1 to partition 0.
func seedChangelog(t *testing.T, r *countRig, n int) (topic string, id [16]byte) {
	t.Helper()
	topic = runtime.InternalTopicName(r.appID, runtime.ChangelogTopic(countStore))
	adm := kadm.NewClient(r.cl)
	_, err := adm.CreateTopic(context.Background(), int32(r.partitions), 1,
		map[string]*string{"cleanup.policy": kadm.StringPtr("compact")}, topic)
	mustTB(t, err)
	recs := make([]*kgo.Record, 0, n)
	for i := range n {
		recs = append(recs, &kgo.Record{Topic: topic, Partition: 0, Key: fmt.Appendf(nil, "k-%d", i),
			Value: binary.BigEndian.AppendUint64(nil, 1)})
	}
	mustTB(t, r.cl.ProduceSync(context.Background(), recs...).FirstErr())
	td, err := adm.ListTopics(context.Background(), topic)
	mustTB(t, err)
	return topic, td[topic].ID
}

// TestStateSlowChangelog: a broker slow to answer the restore's fetches (here the first
// fetch of the changelog takes 2.5s) must delay the restore, not cut it short.
//
// Fixed with this test in runtime/restore.go: the replay took two empty one-second polls
// (with the broker answering metadata) for "no records left before the end offset", stopped,
// and checkpointed the partition at the changelog's end: the store silently missed every
// record not yet fetched, and kept missing them after restarts. It showed as a hang of the
// restore benchmark (an in-process broker busy compacting several large changelogs).
func TestStateSlowChangelog(t *testing.T) {
	const n = 5000
	r := newCountRig(t, "slow-changelog")
	topic, id := seedChangelog(t, r, n)
	var delayed atomic.Bool
	r.c.ControlKey(int16(kmsg.Fetch), func(req kmsg.Request) (kmsg.Response, error, bool) {
		for _, ft := range req.(*kmsg.FetchRequest).Topics {
			if (ft.TopicID == id || ft.Topic == topic) && !delayed.Swap(true) {
				r.c.SleepControl(func() { time.Sleep(2500 * time.Millisecond) }) // a slow broker, not a wait
			}
		}
		return nil, nil, false
	})
	mustTB(t, r.cl.ProduceSync(context.Background(), &kgo.Record{Topic: r.in, Key: []byte("k-7"), Partition: 0}).FirstErr())
	var logs syncBuffer
	app, stop := r.start(&logs)
	waitCommitted(t, r.seeds, r.appID, r.in)
	got, _ := lastCounts(t, r.seeds, r.out)
	m := app.Metrics()
	mustTB(t, stop())
	if !delayed.Load() {
		t.Fatal("no fetch of the changelog was delayed")
	}
	if got["k-7"] != 2 || m.RecordsRestored != n {
		t.Errorf("after a slow restore: k-7 counted %d (want 2), %d records restored (want %d)\n%s",
			got["k-7"], m.RecordsRestored, n, grepLines(logs.String(), "restor"))
	}
}

// TestStateTransactionalChangelogTail: a changelog ending with a transaction marker (written
// by a transactional producer, as an exactly-once application's will be) is restored to its
// end at once: the marker, a control record, counts as progress and is not applied.
func TestStateTransactionalChangelogTail(t *testing.T) {
	const n = 300
	r := newCountRig(t, "txn-changelog")
	topic, _ := seedChangelog(t, r, 0)
	txn := newClient(t, r.c, kgo.TransactionalID("txn-changelog-writer"), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	ctx := context.Background()
	mustTB(t, txn.BeginTransaction())
	for i := range n {
		txn.Produce(ctx, &kgo.Record{Topic: topic, Partition: 0, Key: fmt.Appendf(nil, "k-%d", i),
			Value: binary.BigEndian.AppendUint64(nil, 5)}, nil)
	}
	mustTB(t, txn.Flush(ctx))
	mustTB(t, txn.EndTransaction(ctx, kgo.TryCommit))
	mustTB(t, r.cl.ProduceSync(ctx, &kgo.Record{Topic: r.in, Key: []byte("k-7"), Partition: 0}).FirstErr())

	var logs syncBuffer
	app, stop := r.start(&logs)
	waitCommitted(t, r.seeds, r.appID, r.in)
	got, _ := lastCounts(t, r.seeds, r.out)
	m := app.Metrics()
	mustTB(t, stop())
	if got["k-7"] != 6 || m.RecordsRestored != n {
		t.Errorf("k-7 counted %d (want 6), %d records restored (want %d)", got["k-7"], m.RecordsRestored, n)
	}
	if strings.Contains(logs.String(), "no records left") {
		t.Errorf("the restore waited for records that do not exist:\n%s", grepLines(logs.String(), "no records left"))
	}
}
