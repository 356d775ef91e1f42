package runtime_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/runtime"
)

// Stopping a stateful application (cancelling Run's context) must be clean whatever the
// threads are doing: Run returns nil after a final commit, so that the next start on the
// same state directory restores nothing and counts nothing twice.

// TestStateStopDuringCommit stops an application whose threads commit on every loop
// (CommitInterval 1ms), so the cancellation lands while a commit is due or running: Run must
// return nil after the final commit, and a restart must restore nothing.
//
// It failed before 3fd3c32 (runtime/thread.go): the interval commit ran with Run's context,
// so a stop failed kgo's Flush with context.Canceled, the thread stopped "fatally" ("records
// could not be produced (fatal): flush produced records: context canceled") and skipped the
// final commit; records processed since the last commit were then counted again after a
// restart. With the default 100ms interval it hit whenever a stop coincided with a commit.
func TestStateStopDuringCommit(t *testing.T) {
	r := newCountRig(t, "stop-commit")
	start := func() (*runtime.App, func() error) {
		app, err := runtime.New(countTopology(t, r.in, r.out), r.appID, runtime.Brokers(r.seeds...),
			runtime.StateDir(r.stateDir), runtime.Threads(4), runtime.CommitInterval(time.Millisecond))
		mustTB(t, err)
		stop := startApp(t, app)
		waitFor(t, "all tasks assigned", func() bool { return len(app.Tasks()) == r.partitions })
		return app, stop
	}
	app, stop := start()
	r.produce(1000)
	waitCommitted(t, r.seeds, r.appID, r.in)
	if err := stop(); err != nil {
		t.Errorf("stopping: Run returned %v, want nil (a clean stop)", err)
	}
	app, stop = start()
	r.runToEnd(app, 1000)
	if m := app.Metrics(); m.RecordsRestored != 0 {
		t.Errorf("restart after a stop restored %d records, want 0", m.RecordsRestored)
	}
	if err := stop(); err != nil {
		t.Errorf("stopping again: Run returned %v, want nil", err)
	}
}

// TestStateStopDuringRestore stops an application in the middle of restoring a large store
// (when the restore has read its first changelog batch): Run must return nil, and the next
// start must restore the store in full (the interrupted restore left data without a
// checkpoint) and count on from the restored values. The first instance never commits on
// the interval, to keep the interval commit out of the picture.
//
// It failed before the fix in runtime/restore.go (committed in 3fd3c32): the restore
// returned the cancellation as a fatal error ("end offset of changelog ... (fatal): context
// canceled", "restore store ... (fatal)"), so Run failed and skipped the final commit of
// the thread's other tasks, and an interrupted replay did not wait for the Restorer's
// background load.
func TestStateStopDuringRestore(t *testing.T) {
	const keys = 100_000
	r := newCountRig(t, "stop-restore")
	changelog := runtime.InternalTopicName(r.appID, runtime.ChangelogTopic(countStore))
	_, err := kadm.NewClient(r.cl).CreateTopic(context.Background(), int32(r.partitions), 1,
		map[string]*string{"cleanup.policy": kadm.StringPtr("compact")}, changelog)
	mustTB(t, err)
	recs := make([]*kgo.Record, 0, keys)
	for i := range keys {
		recs = append(recs, &kgo.Record{Topic: changelog, Partition: 0, Key: fmt.Appendf(nil, "k-%d", i),
			Value: binary.BigEndian.AppendUint64(nil, 1)})
	}
	mustTB(t, r.cl.ProduceSync(context.Background(), recs...).FirstErr())

	// k-7 was written to the changelog with count 1; key-0 is new. Input waiting for the
	// first instance also makes its first poll return, which is when it starts restoring.
	in := []*kgo.Record{
		{Topic: r.in, Key: []byte("k-7"), Partition: 0},
		{Topic: r.in, Key: []byte("key-0"), Partition: int32(runtime.KeyPartition([]byte("key-0"), r.partitions))},
	}
	mustTB(t, r.cl.ProduceSync(context.Background(), in...).FirstErr())

	var logs syncBuffer
	reading := &batchSignal{topic: changelog, c: make(chan struct{})}
	app, err := runtime.New(countTopology(t, r.in, r.out), r.appID, runtime.Brokers(r.seeds...),
		runtime.StateDir(r.stateDir), runtime.Threads(2), runtime.CommitInterval(time.Hour),
		runtime.ClientOpts(kgo.WithHooks(reading)),
		runtime.Logger(slog.New(slog.NewTextHandler(&logs, nil))))
	mustTB(t, err)
	stop := startApp(t, app)
	select {
	case <-reading.c:
	case <-time.After(30 * time.Second):
		t.Fatalf("timed out waiting for the restore to read the changelog; log:\n%s", tail(logs.String(), 30))
	}
	if err := stop(); err != nil {
		t.Errorf("stopping during the restore: Run returned %v, want nil", err)
	}
	first := app.Metrics().RecordsRestored
	t.Logf("first instance restored %d records before it stopped", first)

	app, stop = r.start(&logs)
	waitCommitted(t, r.seeds, r.appID, r.in)
	got, _ := lastCounts(t, r.seeds, r.out)
	if got["k-7"] != 2 || got["key-0"] != 1 {
		t.Errorf("counts after the restore: k-7 %d (want 2), key-0 %d (want 1)", got["k-7"], got["key-0"])
	}
	second := app.Metrics().RecordsRestored
	if !(first == keys && second == 0 || second == keys) {
		t.Errorf("restored %d then %d records; want all %d by the second instance (or by the first, if it finished)", first, second, keys)
	}
	if err := stop(); err != nil {
		t.Errorf("stopping: Run returned %v, want nil", err)
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("errors logged:\n%s", grepLines(logs.String(), "level=ERROR"))
	}
}

// batchSignal is a kgo hook that closes c when a client reads the first batch of topic.
type batchSignal struct {
	topic string
	once  sync.Once
	c     chan struct{}
}

func (b *batchSignal) OnFetchBatchRead(_ kgo.BrokerMetadata, topic string, _ int32, _ kgo.FetchBatchMetrics) {
	if topic == b.topic {
		b.once.Do(func() { close(b.c) })
	}
}

var _ kgo.HookFetchBatchRead = (*batchSignal)(nil)

// threadStartChildEnv makes TestStateThreadStartChild run (in a child process).
const threadStartChildEnv = "KSQLGO_STATE_THREAD_START_CHILD"

// TestStateThreadStartChild is not a test: TestStateThreadStart runs it in a child process,
// because the bug it shows crashes the process.
func TestStateThreadStartChild(t *testing.T) {
	if os.Getenv(threadStartChildEnv) == "" {
		t.Skip("helper process of TestStateThreadStart")
	}
	c := newCluster(t)
	cl := newClient(t, c)
	createTopic(t, cl, 8, "ts-in")
	for i := range 20 {
		// Stateless and no interval commit, to keep the stops clear of restores and commits.
		app, err := runtime.New(evenFilter(t, "ts-in", "ts-out"), fmt.Sprintf("ts-%d", i),
			runtime.Brokers(c.ListenAddrs()...), runtime.Threads(8), runtime.CommitInterval(time.Hour))
		mustTB(t, err)
		stop := startApp(t, app)
		waitFor(t, "8 tasks", func() bool { return len(app.Tasks()) == 8 })
		mustTB(t, stop())
	}
}

// TestStateThreadStart starts applications of 8 threads, 20 times, and checks that nothing
// crashes or races.
//
// It failed before 3fd3c32 (runtime/thread.go, newThread) in most -race runs and some plain
// ones: kgo.NewClient starts the consumer group at once, but newThread set th.coll and
// th.env only after NewClient returned, so the group could assign partitions first and
// onAssigned called newTask with a nil env (nil pointer dereference; a data race on th.env
// under -race). It runs in a child process because that bug crashes the process.
func TestStateThreadStart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 20 applications in a child process")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestStateThreadStartChild$", "-test.timeout=2m")
	cmd.Env = append(os.Environ(), threadStartChildEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		s := string(out)
		if i := strings.Index(s, "panic:"); i >= 0 {
			s = s[i:]
		} else if i := strings.Index(s, "WARNING: DATA RACE"); i >= 0 {
			s = s[i:]
		}
		t.Fatalf("starting applications: %v\n%s", err, tail(s, 40))
	}
}
