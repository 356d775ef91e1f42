package runtime_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/ksqlgo/ksqlgo/runtime"
)

// assignLog keeps the "tasks assigned" and "tasks revoked" log lines of an App.
type assignLog struct {
	mu      sync.Mutex
	assigns []string // one entry per line: the tasks
	revokes int
}

func (l *assignLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *assignLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *assignLog) WithGroup(string) slog.Handler            { return l }
func (l *assignLog) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch r.Message {
	case "tasks assigned":
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "tasks" {
				l.assigns = append(l.assigns, a.Value.String())
			}
			return true
		})
	case "tasks revoked", "tasks lost":
		l.revokes++
	}
	return nil
}

func (l *assignLog) snapshot() ([]string, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.assigns...), l.revokes
}

// TestThreadsStartTogether: the threads of a starting App join the group one after the
// other, but no thread gets a task before all are members, so the first assignment is the
// balanced one and no task moves.
func TestThreadsStartTogether(t *testing.T) {
	if testing.Short() {
		t.Skip("runs on the broker")
	}
	c := newCluster(t)
	cl := newClient(t, c)
	createTopic(t, cl, 4, "st-in")
	log := &assignLog{}
	app, err := runtime.New(evenFilter(t, "st-in", "st-out"), "start-together", runtime.Brokers(c.ListenAddrs()...),
		runtime.Threads(4), runtime.Logger(slog.New(log)))
	must(t, err)
	runtime.SetStartGate(app, 4, time.Hour) // never give up waiting in this test
	startApp(t, app)
	waitFor(t, "4 tasks", func() bool { return len(app.Tasks()) == 4 })
	assigns, revokes := log.snapshot()
	if len(assigns) != 4 || revokes != 0 {
		t.Fatalf("assignments %v, %d revocations; want one task for each of the 4 threads, no revocation", assigns, revokes)
	}
}

// TestStartGateGivesUp: an App waiting for a member that never joins (as if a thread
// could not join) assigns the tasks to the members present once the wait is over.
func TestStartGateGivesUp(t *testing.T) {
	if testing.Short() {
		t.Skip("runs on the broker")
	}
	c := newCluster(t)
	cl := newClient(t, c)
	createTopic(t, cl, 4, "sg-in")
	produceN(t, cl, "sg-in", 0, 100)
	app, err := runtime.New(evenFilter(t, "sg-in", "sg-out"), "start-gives-up", runtime.Brokers(c.ListenAddrs()...),
		runtime.Threads(2))
	must(t, err)
	runtime.SetStartGate(app, 3, 200*time.Millisecond)
	startApp(t, app)
	waitFor(t, "4 tasks", func() bool { return len(app.Tasks()) == 4 })
	got := collect(t, c, "sg-out", func(m map[string]int) bool { return len(m) == 50 })
	if len(got) != 50 {
		t.Fatalf("got %d outputs, want 50", len(got))
	}
}
