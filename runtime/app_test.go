package runtime_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/ksqlgo/ksqlgo/runtime"
)

// passThrough is source(in) -> filter(even values) -> sink(out) over raw bytes.
func evenFilter(t *testing.T, in, out string) *runtime.Topology {
	t.Helper()
	topo := runtime.NewTopology()
	must(t, topo.AddSource("src", runtime.Source{Topics: []string{in}}))
	must(t, topo.AddProcessor("even", runtime.ProcessorFunc(func(ctx *runtime.ProcessorContext, r runtime.Record) error {
		n, err := strconv.Atoi(string(r.Value.([]byte)))
		if err != nil {
			return err
		}
		if n%2 == 0 {
			ctx.Forward(r)
		}
		return nil
	}).Supplier(), "src"))
	must(t, topo.AddSink("sink", runtime.Sink{Topic: out}, "even"))
	return topo
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestAppEndToEnd(t *testing.T) {
	c := newCluster(t)
	cl := newClient(t, c)
	createTopic(t, cl, 4, "in")
	produceN(t, cl, "in", 0, 1000)
	app, err := runtime.New(evenFilter(t, "in", "out"), "e2e", runtime.Brokers(c.ListenAddrs()...), runtime.Threads(2))
	must(t, err)
	startApp(t, app)
	got := collect(t, c, "out", func(m map[string]int) bool { return len(m) == 500 })
	for i := 0; i < 1000; i += 2 {
		if got[strconv.Itoa(i)] == 0 {
			t.Fatalf("missing %d", i)
		}
	}
	waitFor(t, "4 tasks", func() bool { return len(app.Tasks()) == 4 })
	_ = time.Second
}
