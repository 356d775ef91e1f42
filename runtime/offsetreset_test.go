package runtime_test

import (
	"strconv"
	"testing"

	"github.com/ksqlgo/ksqlgo/runtime"
)

// TestFromLatest: a new App with FromLatest processes only records produced after it
// started; restarted, it resumes from its committed offsets (what came in while it was
// down is processed).
func TestFromLatest(t *testing.T) {
	c := newCluster(t)
	cl := newClient(t, c)
	createTopic(t, cl, 2, "in")
	produceN(t, cl, "in", 0, 100) // before the App: skipped
	newApp := func() *runtime.App {
		app, err := runtime.New(evenFilter(t, "in", "out"), "latest", runtime.Brokers(c.ListenAddrs()...), runtime.FromLatest())
		must(t, err)
		return app
	}
	app := newApp()
	stop := startApp(t, app)
	waitFor(t, "2 tasks", func() bool { return len(app.Tasks()) == 2 })
	produceN(t, cl, "in", 100, 100)
	got := collect(t, c, "out", func(m map[string]int) bool { return len(m) >= 50 })
	for v := range got {
		if n, _ := strconv.Atoi(v); n < 100 {
			t.Fatalf("processed %d, produced before the App started", n)
		}
	}
	must(t, stop())
	produceN(t, cl, "in", 200, 100) // while it is down: processed after the restart
	app = newApp()
	startApp(t, app)
	got = collect(t, c, "out", func(m map[string]int) bool { return len(m) >= 100 })
	for i := 200; i < 300; i += 2 {
		if got[strconv.Itoa(i)] == 0 {
			t.Fatalf("missing %d after the restart", i)
		}
	}
}
