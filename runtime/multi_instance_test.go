package runtime_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/runtime"
)

// TestMultiInstance runs three instances of one application over 8 partitions while records
// are produced continuously: every task is assigned exactly once; stopping an instance moves
// its tasks to the others, starting it again moves tasks back; and every input record
// reaches the output at least once.
func TestMultiInstance(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-instance test runs on the broker")
	}
	c := newCluster(t)
	cl := newClient(t, c)
	createTopic(t, cl, 8, "mi-in")

	topo := runtime.NewTopology()
	must(t, topo.AddSource("src", runtime.Source{Topics: []string{"mi-in"}}))
	must(t, topo.AddSink("sink", runtime.Sink{Topic: "mi-out"}, "src"))

	newApp := func(name string) *runtime.App {
		app, err := runtime.New(topo, "multi", runtime.Brokers(c.ListenAddrs()...),
			runtime.InstanceID(name), runtime.SessionTimeout(time.Second))
		must(t, err)
		return app
	}

	// Continuous production.
	var produced atomic.Int64
	prodCtx, stopProducing := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; prodCtx.Err() == nil; i++ {
			r := &kgo.Record{Topic: "mi-in", Key: []byte("k" + strconv.Itoa(i)), Value: []byte(strconv.Itoa(i))}
			if err := cl.ProduceSync(prodCtx, r).FirstErr(); err != nil {
				return
			}
			produced.Store(int64(i + 1))
			time.Sleep(time.Millisecond)
		}
	})
	t.Cleanup(func() { stopProducing(); wg.Wait() })

	apps := []*runtime.App{newApp("a"), newApp("b"), newApp("c")}
	stops := make([]func() error, 3)
	for i, a := range apps {
		stops[i] = startApp(t, a)
	}

	assignment := func(apps ...*runtime.App) (all []runtime.TaskID, per []int) {
		for _, a := range apps {
			ts := a.Tasks()
			per = append(per, len(ts))
			all = append(all, ts...)
		}
		slices.SortFunc(all, func(x, y runtime.TaskID) int { return int(x.Partition - y.Partition) })
		return all, per
	}
	exactlyOnce := func(apps ...*runtime.App) func() bool {
		return func() bool {
			all, per := assignment(apps...)
			if len(all) != 8 {
				return false
			}
			for i, id := range all {
				if id != (runtime.TaskID{Subtopology: 0, Partition: int32(i)}) {
					return false
				}
			}
			for _, n := range per {
				if n < 8/len(apps) || n > (8+len(apps)-1)/len(apps) {
					return false
				}
			}
			return true
		}
	}
	waitFor(t, "8 tasks spread over 3 instances, each once", exactlyOnce(apps...))
	before := apps[2].Tasks()

	// Stop instance c: its tasks move to a and b.
	must(t, stops[2]())
	waitFor(t, "8 tasks over the 2 remaining instances", exactlyOnce(apps[0], apps[1]))

	// Start c again (a new App with the same instance id): tasks come back.
	apps[2] = newApp("c")
	stops[2] = startApp(t, apps[2])
	waitFor(t, "8 tasks over 3 instances again", exactlyOnce(apps...))
	t.Logf("instance c owned %v before, %v after restart", before, apps[2].Tasks())

	// Stop producing; every record produced must reach the output at least once.
	stopProducing()
	wg.Wait()
	n := int(produced.Load())
	if n == 0 {
		t.Fatal("nothing produced")
	}
	got := collect(t, c, "mi-out", func(m map[string]int) bool { return len(m) >= n })
	for i := range n {
		if got[strconv.Itoa(i)] == 0 {
			t.Fatalf("record %d never reached the output", i)
		}
	}
	dups := 0
	for _, k := range got {
		dups += k - 1
	}
	t.Logf("%d records produced, all reached the output; %d duplicates (at-least-once across rebalances)", n, dups)
	_ = fmt.Sprint
}
