package runtime_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/broker"
	"github.com/ksqlgo/ksqlgo/runtime"
)

// failoverChildEnv carries a childSpec (JSON) to TestStateFailoverChild in a child process.
const failoverChildEnv = "KSQLGO_STATE_FAILOVER_CHILD"

type childSpec struct {
	Name, Broker, StateDir, App, In, Out string
	ExactlyOnce                          bool
}

// childStatus is what a child reports on stdout, one "STATUS {json}" line per change.
type childStatus struct {
	Tasks     []int32 `json:"tasks"` // partitions of the tasks it runs
	Processed int64   `json:"processed"`
	Restored  int64   `json:"restored"`
	Commits   int64   `json:"commits"`
}

// TestStateFailoverChild is not a test: TestStateFailover runs it in child processes, each
// an instance of the counting application that it can kill -9. It reports its status on
// stdout and stops gracefully on SIGTERM, or when its stdin closes (the parent died).
func TestStateFailoverChild(t *testing.T) {
	env := os.Getenv(failoverChildEnv)
	if env == "" {
		t.Skip("helper process of TestStateFailover")
	}
	var spec childSpec
	mustTB(t, json.Unmarshal([]byte(env), &spec))
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() { // ends with the process
		_, _ = io.Copy(io.Discard, os.Stdin)
		cancel()
	}()
	opts := []runtime.Opt{
		runtime.Brokers(spec.Broker), runtime.StateDir(spec.StateDir), runtime.InstanceID(spec.Name),
		runtime.SessionTimeout(time.Second), runtime.Threads(2),
		runtime.Logger(slog.New(slog.NewTextHandler(os.Stderr, nil)).With("instance", spec.Name)),
	}
	if spec.ExactlyOnce {
		// The killed instance's open transaction holds back its partitions' offsets
		// until it times out.
		opts = append(opts, runtime.ExactlyOnce(), runtime.ClientOpts(kgo.TransactionTimeout(3*time.Second)))
	}
	app, err := runtime.New(countTopology(t, spec.In, spec.Out), spec.App, opts...)
	mustTB(t, err)
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx) }()
	var last []byte
	report := func() {
		st := childStatus{}
		for _, id := range app.Tasks() {
			st.Tasks = append(st.Tasks, id.Partition)
		}
		m := app.Metrics()
		st.Processed, st.Restored, st.Commits = m.RecordsProcessed, m.RecordsRestored, m.Commits
		b, _ := json.Marshal(st)
		if string(b) != string(last) {
			fmt.Printf("STATUS %s\n", b)
			last = b
		}
	}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			report()
			if err != nil {
				t.Fatalf("instance %s: %v", spec.Name, err)
			}
			return
		case <-tick.C:
			report()
		}
	}
}

// child is a running TestStateFailoverChild process.
type child struct {
	name   string
	cmd    *exec.Cmd
	stderr syncBuffer
	read   chan struct{} // closed when stdout is drained

	mu     sync.Mutex
	status childStatus
}

func startChild(t *testing.T, spec childSpec) *child {
	t.Helper()
	b, err := json.Marshal(spec)
	mustTB(t, err)
	c := &child{name: spec.Name, read: make(chan struct{})}
	c.cmd = exec.Command(os.Args[0], "-test.run=^TestStateFailoverChild$", "-test.timeout=2m")
	c.cmd.Env = append(os.Environ(), failoverChildEnv+"="+string(b))
	c.cmd.Stderr = &c.stderr
	if _, err := c.cmd.StdinPipe(); err != nil { // closed by Wait, or when we die
		t.Fatal(err)
	}
	out, err := c.cmd.StdoutPipe()
	mustTB(t, err)
	mustTB(t, c.cmd.Start())
	go func() {
		defer close(c.read)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line, ok := strings.CutPrefix(sc.Text(), "STATUS ")
			if !ok {
				continue
			}
			var st childStatus
			if json.Unmarshal([]byte(line), &st) == nil {
				c.mu.Lock()
				c.status = st
				c.mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		if c.cmd.ProcessState == nil {
			_ = c.cmd.Process.Kill()
			_ = c.wait()
		}
		if t.Failed() {
			t.Logf("instance %s log:\n%s", c.name, tail(c.stderr.String(), 40))
		}
	})
	return c
}

func (c *child) get() childStatus {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status
}

// wait waits for the process to exit (after reading all its output).
func (c *child) wait() error {
	<-c.read
	return c.cmd.Wait()
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// TestStateFailover: two instances of a counting application (separate processes, each with
// its own state directory) share a 4-partition input; one is killed with SIGKILL while
// records arrive. The survivor takes its tasks, restores their stores from the changelog
// and continues; at the end every key's count is checked against the input.
//
// What at-least-once allows: a record the killed instance processed after its last commit
// is processed again by the survivor (its input offset was not committed), while its store
// update may already be in the changelog the survivor restored; so such a record may be
// counted twice. Nothing else: no count may be below the number of input records of its
// key, a key of a partition the killed instance did not run when it was killed must be
// exact, and the total excess is at most the number of records of the killed instance's
// partitions between the committed offsets and the end of the input at the time of the
// kill.
func TestStateFailover(t *testing.T) { testStateFailover(t, false) }

// TestStateFailoverExactlyOnce is TestStateFailover under ExactlyOnce: the killed
// instance's open transaction is aborted (it times out), so its output and changelog
// records since its last commit are invisible to read_committed readers, and the survivor
// processes its uncommitted input again: every key's output holds each count 1..n exactly
// once, in order, and the final counts are exact.
func TestStateFailoverExactlyOnce(t *testing.T) { testStateFailover(t, true) }

func testStateFailover(t *testing.T, eos bool) {
	if testing.Short() {
		t.Skip("runs the application in child processes")
	}
	const (
		appID      = "failover"
		in, out    = "fo-in", "fo-out"
		partitions = 4
		keys       = 100
		total      = 20000
		batch      = 100
	)
	b, err := broker.New(broker.Listen("127.0.0.1:0"), broker.InMemory())
	mustTB(t, err)
	t.Cleanup(func() { _ = b.Close() })
	seeds := []string{b.Addr()}
	cl := newSeedClient(t, seeds, kgo.RecordPartitioner(kgo.ManualPartitioner()))
	adm := kadm.NewClient(cl)
	ctx := context.Background()
	_, err = adm.CreateTopics(ctx, partitions, 1, nil, in, out)
	mustTB(t, err)

	spec := func(name string) childSpec {
		return childSpec{Name: name, Broker: b.Addr(), StateDir: t.TempDir(), App: appID, In: in, Out: out, ExactlyOnce: eos}
	}
	tasks := func(c *child, n int) func() bool {
		return func() bool { return len(c.get().Tasks) == n }
	}
	a := startChild(t, spec("a"))
	waitFor(t, "instance a to run all 4 tasks", tasks(a, 4))
	bb := startChild(t, spec("b"))
	waitFor(t, "2 tasks on each instance", func() bool { return tasks(a, 2)() && tasks(bb, 2)() })
	aParts, bParts := a.get().Tasks, bb.get().Tasks
	t.Logf("a runs partitions %v, b runs %v", aParts, bParts)

	// Produce at a steady pace (about 3s in all), so that records keep arriving through the
	// kill and the failover.
	var wg sync.WaitGroup
	prodErr := make(chan error, 1)
	wg.Go(func() {
		tick := time.NewTicker(15 * time.Millisecond)
		defer tick.Stop()
		for i := 0; i < total; i += batch {
			<-tick.C
			if err := cl.ProduceSync(ctx, keyedRecords(in, partitions, keys, i, batch)...).FirstErr(); err != nil {
				prodErr <- err
				return
			}
		}
	})
	t.Cleanup(wg.Wait)

	waitFor(t, "instance a to process 2000 records", func() bool { return a.get().Processed >= 2000 })
	mustTB(t, a.cmd.Process.Kill())
	// Until the group notices (1s session timeout) and the survivor restores, nobody
	// commits a's partitions: what is committed now is a's last commit.
	ends, err := adm.ListEndOffsets(ctx, in)
	mustTB(t, err)
	committed, err := adm.FetchOffsets(ctx, appID)
	mustTB(t, err)
	_ = a.wait()
	aStatus := a.get()
	slack := int64(0)
	for _, p := range aParts {
		e, _ := ends.Lookup(in, p)
		c, _ := committed.Lookup(in, p)
		slack += e.Offset - max(c.At, 0)
	}
	t.Logf("killed a after it processed %d records (%d commits); %d records of its partitions uncommitted",
		aStatus.Processed, aStatus.Commits, slack)

	waitFor(t, "b to take over every task and restore a's", func() bool {
		st := bb.get()
		return len(st.Tasks) == 4 && st.Restored > 0
	})
	wg.Wait()
	select {
	case err := <-prodErr:
		t.Fatalf("produce: %v", err)
	default:
	}
	waitCommitted(t, seeds, appID, in)
	mustTB(t, bb.cmd.Process.Signal(syscall.SIGTERM))
	if err := bb.wait(); err != nil {
		t.Fatalf("instance b did not stop cleanly: %v", err)
	}
	bStatus := bb.get()
	t.Logf("b processed %d records and restored %d changelog records", bStatus.Processed, bStatus.Restored)

	// The truth.
	want := map[string]int64{}
	for i := range total {
		want[fmt.Sprintf("key-%d", i%keys)]++
	}
	last, _ := lastCounts(t, seeds, out)
	if eos {
		// Every count of every key exactly once, in order (read_committed).
		next := map[string]int64{}
		readToEnd(t, seeds, out, func(r *kgo.Record) {
			c, err := decodeCount(r.Value)
			mustTB(t, err)
			k := string(r.Key)
			if c != next[k]+1 {
				t.Errorf("key %q: output count %d after %d (%s-%d@%d): duplicate or gap", k, c, next[k], r.Topic, r.Partition, r.Offset)
			}
			next[k] = c
		})
		slack = 0
	}
	var excess int64
	for k, w := range want {
		got := last[k]
		p := int32(runtime.KeyPartition([]byte(k), partitions))
		switch {
		case got < w:
			t.Errorf("key %q (partition %d): count %d < %d input records: updates lost", k, p, got, w)
		case got > w && !slices.Contains(aParts, p):
			t.Errorf("key %q (partition %d, not on the killed instance): count %d, want exactly %d", k, p, got, w)
		}
		excess += max(got-w, 0)
	}
	if excess > slack {
		t.Errorf("%d records counted twice, more than the %d uncommitted at the kill", excess, slack)
	}
	t.Logf("%d records counted twice (at-least-once; at most %d allowed)", excess, slack)

	// A fresh instance with an empty state directory restores every store partition from
	// the changelog: it must hold exactly the last count written for every key. Markers,
	// one per partition, tell when its restores are done (processing starts after them).
	changelog, _ := lastCounts(t, seeds, runtime.InternalTopicName(appID, runtime.ChangelogTopic(countStore)))
	thirdOpts := []runtime.Opt{runtime.Brokers(seeds...),
		runtime.StateDir(t.TempDir()), runtime.InstanceID("c"), runtime.SessionTimeout(time.Second)}
	if eos {
		thirdOpts = append(thirdOpts, runtime.ExactlyOnce())
	}
	third, err := runtime.New(countTopology(t, in, out), appID, thirdOpts...)
	mustTB(t, err)
	startApp(t, third)
	waitFor(t, "the fresh instance to run all 4 tasks", func() bool { return len(third.Tasks()) == 4 })
	var markers []*kgo.Record
	for i := 0; len(markers) < partitions; i++ {
		k := []byte(fmt.Sprintf("marker-%d", i))
		p := int32(runtime.KeyPartition(k, partitions))
		if !slices.ContainsFunc(markers, func(r *kgo.Record) bool { return r.Partition == p }) {
			markers = append(markers, &kgo.Record{Topic: in, Key: k, Partition: p})
		}
	}
	mustTB(t, cl.ProduceSync(ctx, markers...).FirstErr())
	waitCommitted(t, seeds, appID, in)
	store := storeContents(t, third)
	for _, m := range markers {
		if store[string(m.Key)] != 1 {
			t.Errorf("marker %q: count %d, want 1", m.Key, store[string(m.Key)])
		}
		delete(store, string(m.Key))
	}
	if !maps.Equal(store, last) || !maps.Equal(store, changelog) {
		t.Errorf("restored store differs from the last output or changelog values:\nstore     %v\noutput    %v\nchangelog %v", store, last, changelog)
	}
	if m := third.Metrics(); m.RecordsRestored < keys || m.RecordsProcessed != partitions {
		t.Errorf("fresh instance: restored %d records (want at least %d), processed %d (want %d)", m.RecordsRestored, keys, m.RecordsProcessed, partitions)
	}
}
