package runtime_test

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/statestore"
)

// TestExactlyOnceSameOutput: a stateless pipeline produces the same output under
// ExactlyOnce as under at-least-once (no failure: every output record once).
func TestExactlyOnceSameOutput(t *testing.T) {
	outputs := map[string]map[string]int{}
	for _, tc := range []struct {
		name string
		opts []runtime.Opt
	}{
		{"at-least-once", nil},
		{"exactly-once", []runtime.Opt{runtime.ExactlyOnce()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCluster(t)
			cl := newClient(t, c)
			createTopic(t, cl, 4, "in")
			produceN(t, cl, "in", 0, 1000)
			seeds := c.ListenAddrs()
			app, err := runtime.New(evenFilter(t, "in", "out"), "eos-same",
				append([]runtime.Opt{runtime.Brokers(seeds...), runtime.Threads(2)}, tc.opts...)...)
			must(t, err)
			stop := startApp(t, app)
			waitCommitted(t, seeds, "eos-same", "in")
			must(t, stop())
			got := map[string]int{}
			readToEnd(t, seeds, "out", func(r *kgo.Record) { got[string(r.Value)]++ })
			for i := 0; i < 1000; i += 2 {
				if n := got[strconv.Itoa(i)]; n != 1 {
					t.Errorf("value %d: %d times in the output, want 1", i, n)
				}
			}
			if len(got) != 500 {
				t.Errorf("%d distinct output values, want 500", len(got))
			}
			outputs[tc.name] = got
		})
	}
	if len(outputs) == 2 && !maps.Equal(outputs["at-least-once"], outputs["exactly-once"]) {
		t.Error("exactly-once output differs from at-least-once output")
	}
}

// TestExactlyOnceVisibleAfterCommit: under ExactlyOnce the output of processed records is
// on the broker but invisible to read_committed readers (the last stable offset does not
// move) until the transaction commits; here the commit is the final one of a clean stop.
func TestExactlyOnceVisibleAfterCommit(t *testing.T) {
	c := newCluster(t)
	cl := newClient(t, c)
	createTopic(t, cl, 2, "in", "out")
	seeds := c.ListenAddrs()
	app, err := runtime.New(evenFilter(t, "in", "out"), "eos-visible", runtime.Brokers(seeds...),
		runtime.ExactlyOnce(), runtime.CommitInterval(time.Hour))
	must(t, err)
	stop := startApp(t, app)
	waitFor(t, "2 tasks", func() bool { return len(app.Tasks()) == 2 })
	produceN(t, cl, "in", 0, 100)
	waitFor(t, "100 records processed", func() bool { return app.Metrics().RecordsProcessed == 100 })
	adm := kadm.NewClient(cl)
	ctx := context.Background()
	sum := func(o kadm.ListedOffsets) (n int64) {
		o.Each(func(l kadm.ListedOffset) { n += l.Offset })
		return n
	}
	waitFor(t, "50 output records on the broker", func() bool {
		ends, err := adm.ListEndOffsets(ctx, "out")
		return err == nil && sum(ends) == 50
	})
	lsos, err := adm.ListCommittedOffsets(ctx, "out")
	must(t, err)
	if n := sum(lsos); n != 0 {
		t.Fatalf("before the commit, read_committed readers see up to %d output records, want 0", n)
	}
	must(t, stop())
	lsos, err = adm.ListCommittedOffsets(ctx, "out")
	must(t, err)
	if n := sum(lsos); n < 50 {
		t.Fatalf("after the commit, the last stable offsets add up to %d, want at least 50", n)
	}
	if n := readToEnd(t, seeds, "out", func(*kgo.Record) {}); n != 50 {
		t.Errorf("read_committed after the commit: %d records, want 50", n)
	}
}

// TestExactlyOnceAbort: a produce that fails inside a transaction (the broker refuses the
// output records once) aborts it: none of its output or changelog records become visible,
// the store drops its uncommitted writes, and the input is processed again from the last
// commit; every key's output holds each count exactly once and the store ends exact.
func TestExactlyOnceAbort(t *testing.T) {
	const (
		appID, in, out = "eos-abort", "abort-in", "abort-out"
		partitions     = 4
		keys           = 20
		batch          = 400
	)
	c := newCluster(t)
	seeds := c.ListenAddrs()
	cl := newClient(t, c, kgo.RecordPartitioner(kgo.ManualPartitioner()))
	createTopic(t, cl, partitions, in, out)
	details, err := kadm.NewClient(cl).ListTopics(context.Background(), out)
	must(t, err)
	outID := [16]byte(details[out].ID)
	app, err := runtime.New(countTopology(t, in, out), appID, runtime.Brokers(seeds...),
		runtime.StateDir(t.TempDir()), runtime.ExactlyOnce())
	must(t, err)
	stop := startApp(t, app)
	ctx := context.Background()
	must(t, cl.ProduceSync(ctx, keyedRecords(in, partitions, keys, 0, batch)...).FirstErr())
	waitCommitted(t, seeds, appID, in)

	var failed atomic.Int32
	c.ControlKey(int16(kmsg.Produce), func(req kmsg.Request) (kmsg.Response, error, bool) {
		preq := req.(*kmsg.ProduceRequest)
		hit := false
		for _, tp := range preq.Topics {
			hit = hit || tp.Topic == out || tp.TopicID == outID
		}
		if !hit {
			return nil, nil, false
		}
		failed.Add(1)
		resp := preq.ResponseKind().(*kmsg.ProduceResponse)
		for _, tp := range preq.Topics {
			rt := kmsg.NewProduceResponseTopic()
			rt.Topic, rt.TopicID = tp.Topic, tp.TopicID
			for _, pp := range tp.Partitions {
				rp := kmsg.NewProduceResponseTopicPartition()
				rp.Partition, rp.ErrorCode = pp.Partition, kerr.InvalidRecord.Code
				rt.Partitions = append(rt.Partitions, rp)
			}
			resp.Topics = append(resp.Topics, rt)
		}
		return resp, nil, true
	})
	must(t, cl.ProduceSync(ctx, keyedRecords(in, partitions, keys, batch, batch)...).FirstErr())
	waitFor(t, "a transaction to abort", func() bool { return app.Metrics().TransactionsAborted > 0 })
	waitCommitted(t, seeds, appID, in)
	store := storeContents(t, app)
	must(t, stop())
	if failed.Load() == 0 {
		t.Fatal("no produce request was refused")
	}

	want := map[string]int64{}
	for i := range 2 * batch {
		want[fmt.Sprintf("key-%d", i%keys)]++
	}
	next := map[string]int64{}
	readToEnd(t, seeds, out, func(r *kgo.Record) {
		n, err := decodeCount(r.Value)
		must(t, err)
		k := string(r.Key)
		if n != next[k]+1 {
			t.Errorf("key %q: output count %d after %d (%s-%d@%d): duplicate or gap", k, n, next[k], r.Topic, r.Partition, r.Offset)
		}
		next[k] = n
	})
	if !maps.Equal(next, want) {
		t.Errorf("last output counts %v, want %v", next, want)
	}
	if !maps.Equal(store, want) {
		t.Errorf("store %v, want %v", store, want)
	}
	changelog, _ := lastCounts(t, seeds, runtime.InternalTopicName(appID, runtime.ChangelogTopic(countStore)))
	if !maps.Equal(changelog, want) {
		t.Errorf("changelog (read_committed) %v, want %v", changelog, want)
	}
	t.Logf("%d produce requests refused, %d transactions aborted", failed.Load(), app.Metrics().TransactionsAborted)
}

// TestExactlyOnceFencedZombie: a second instance started with the same InstanceID has the
// same transactional ids, so its producers fence the first instance's: the first stops with
// an error instead of committing (a zombie), and the second ends with exact counts.
func TestExactlyOnceFencedZombie(t *testing.T) {
	const (
		appID, in, out = "eos-zombie", "zombie-in", "zombie-out"
		partitions     = 2
		keys           = 10
		batch          = 200
	)
	c := newCluster(t)
	seeds := c.ListenAddrs()
	cl := newClient(t, c, kgo.RecordPartitioner(kgo.ManualPartitioner()))
	createTopic(t, cl, partitions, in, out)
	newApp := func() *runtime.App {
		app, err := runtime.New(countTopology(t, in, out), appID, runtime.Brokers(seeds...),
			runtime.StateDir(t.TempDir()), runtime.ExactlyOnce(), runtime.InstanceID("same"),
			runtime.SessionTimeout(time.Second))
		must(t, err)
		return app
	}
	ctx := context.Background()
	first := newApp()
	firstCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	firstDone := make(chan error, 1)
	go func() { firstDone <- first.Run(firstCtx) }()
	must(t, cl.ProduceSync(ctx, keyedRecords(in, partitions, keys, 0, batch)...).FirstErr())
	waitCommitted(t, seeds, appID, in)

	second := newApp()
	startApp(t, second)
	waitFor(t, "the second instance to run a task", func() bool { return len(second.Tasks()) > 0 })
	must(t, cl.ProduceSync(ctx, keyedRecords(in, partitions, keys, batch, batch)...).FirstErr())
	select {
	case err := <-firstDone:
		if err == nil {
			t.Fatal("the fenced instance stopped without error")
		}
		t.Logf("fenced instance stopped: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the fenced instance kept running")
	}
	waitFor(t, "the second instance to run both tasks", func() bool { return len(second.Tasks()) == partitions })
	waitCommitted(t, seeds, appID, in)

	want := map[string]int64{}
	for i := range 2 * batch {
		want[fmt.Sprintf("key-%d", i%keys)]++
	}
	next := map[string]int64{}
	readToEnd(t, seeds, out, func(r *kgo.Record) {
		n, err := decodeCount(r.Value)
		must(t, err)
		k := string(r.Key)
		if n != next[k]+1 {
			t.Errorf("key %q: output count %d after %d: duplicate or gap", k, n, next[k])
		}
		next[k] = n
	})
	if !maps.Equal(next, want) {
		t.Errorf("last output counts %v, want %v", next, want)
	}
}

// TestExactlyOnceStoreBehindCheckpoint: under ExactlyOnce the stores commit after the
// transaction, so a crash between the two leaves a store at an older checkpoint than the
// changelog's committed end. Here the store of a stopped application is set back to the
// state of an older changelog offset (values and checkpoint, as the crash would leave it);
// at the next start the restore replays the committed changelog (read_committed, over
// transaction markers) from that checkpoint, and processing continues with exact counts.
func TestExactlyOnceStoreBehindCheckpoint(t *testing.T) {
	const (
		appID, in, out = "eos-behind", "behind-in", "behind-out"
		keys, batch    = 10, 200
	)
	c := newCluster(t)
	seeds := c.ListenAddrs()
	cl := newClient(t, c, kgo.RecordPartitioner(kgo.ManualPartitioner()))
	createTopic(t, cl, 1, in, out)
	dir := t.TempDir()
	newApp := func() *runtime.App {
		app, err := runtime.New(countTopology(t, in, out), appID, runtime.Brokers(seeds...),
			runtime.StateDir(dir), runtime.ExactlyOnce())
		must(t, err)
		return app
	}
	ctx := context.Background()
	app := newApp()
	stop := startApp(t, app)
	for i := range 2 {
		must(t, cl.ProduceSync(ctx, keyedRecords(in, 1, keys, i*batch, batch)...).FirstErr())
		waitCommitted(t, seeds, appID, in)
	}
	must(t, stop())

	// The committed changelog, and the store as of its middle.
	changelog := runtime.InternalTopicName(appID, runtime.ChangelogTopic(countStore))
	var recs []*kgo.Record
	readToEnd(t, seeds, changelog, func(r *kgo.Record) { recs = append(recs, r) })
	cp := recs[len(recs)/2].Offset
	old := map[string][]byte{}
	for _, r := range recs {
		if r.Offset < cp {
			old[string(r.Key)] = r.Value
		}
	}
	db, err := statestore.Open(filepath.Join(dir, appID))
	must(t, err)
	sess := db.Begin()
	kv := statestore.NewKeyValue(sess, countStore, 0, nil)
	for i := range keys {
		k := fmt.Sprintf("key-%d", i)
		must(t, kv.Put([]byte(k), old[k], 0)) // nil deletes
	}
	must(t, sess.Commit(map[statestore.Partition]int64{{Store: countStore, Partition: 0}: cp}))
	must(t, db.Close())

	app = newApp()
	startApp(t, app)
	must(t, cl.ProduceSync(ctx, keyedRecords(in, 1, keys, 2*batch, batch)...).FirstErr())
	waitCommitted(t, seeds, appID, in)
	want := map[string]int64{}
	for i := range 3 * batch {
		want[fmt.Sprintf("key-%d", i%keys)]++
	}
	if got := storeContents(t, app); !maps.Equal(got, want) {
		t.Errorf("store %v, want %v", got, want)
	}
	if m := app.Metrics(); m.RecordsRestored == 0 {
		t.Error("nothing restored from the changelog")
	}
	next := map[string]int64{}
	readToEnd(t, seeds, out, func(r *kgo.Record) {
		n, err := decodeCount(r.Value)
		must(t, err)
		if k := string(r.Key); n != next[k]+1 {
			t.Errorf("key %q: output count %d after %d: duplicate or gap", k, n, next[k])
		} else {
			next[k] = n
		}
	})
	if !maps.Equal(next, want) {
		t.Errorf("last output counts %v, want %v", next, want)
	}
}
