package runtime_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/statestore"
)

// timedPutProcessor stores each record's value in window store "w" at its timestamp and in
// session store "s" as the session [ts, ts+5].
type timedPutProcessor struct {
	w  *statestore.Window
	ss *statestore.SessionStore
}

func (p *timedPutProcessor) Init(ctx *runtime.ProcessorContext) error {
	p.w, p.ss = ctx.WindowStore("w"), ctx.SessionStore("s")
	return nil
}

func (p *timedPutProcessor) Process(r runtime.Record) error {
	k, v := r.Key.([]byte), r.Value.([]byte)
	if err := p.w.Put(k, r.Timestamp, v, r.Timestamp); err != nil {
		return err
	}
	return p.ss.Put(k, r.Timestamp, r.Timestamp+5, v, r.Timestamp)
}

func (p *timedPutProcessor) Close() error { return nil }

// TestWindowAndSessionAll: WindowAll and SessionAll list the committed windows and
// sessions of every local partition, and stop when fn returns false.
func TestWindowAndSessionAll(t *testing.T) {
	c := newCluster(t)
	cl := newClient(t, c)
	createTopic(t, cl, 2, "ws-in")
	topo := runtime.NewTopology()
	must(t, topo.AddSource("src", runtime.Source{Topics: []string{"ws-in"}}))
	must(t, topo.AddProcessor("put", func() runtime.Processor { return &timedPutProcessor{} }, "src"))
	must(t, topo.AddStateStore(runtime.StoreSpec{Name: "w", Kind: runtime.WindowStore}, "put"))
	must(t, topo.AddStateStore(runtime.StoreSpec{Name: "s", Kind: runtime.SessionStore}, "put"))
	var recs []*kgo.Record
	for i, k := range []string{"a", "b", "a"} {
		recs = append(recs, &kgo.Record{Topic: "ws-in", Key: []byte(k), Value: []byte(fmt.Sprint(i)), Timestamp: time.UnixMilli(int64(i) * 10)})
	}
	must(t, cl.ProduceSync(context.Background(), recs...).FirstErr())
	app, err := runtime.New(topo, "ws", runtime.Brokers(c.ListenAddrs()...), runtime.StateDir(t.TempDir()))
	must(t, err)
	startApp(t, app)
	waitFor(t, "2 tasks", func() bool { return len(app.Tasks()) == 2 })
	want := []string{"a@0=0", "a@20=2", "b@10=1"}
	var windows, sessions []string
	waitFor(t, "3 committed windows and sessions", func() bool {
		windows, sessions = nil, nil
		must(t, app.WindowAll("w", func(k []byte, start int64, v []byte) bool {
			windows = append(windows, fmt.Sprintf("%s@%d=%s", k, start, v))
			return true
		}))
		must(t, app.SessionAll("s", func(k []byte, start, end int64, v []byte) bool {
			if end != start+5 {
				t.Errorf("session %s@%d ends at %d", k, start, end)
			}
			sessions = append(sessions, fmt.Sprintf("%s@%d=%s", k, start, v))
			return true
		}))
		slices.Sort(windows)
		slices.Sort(sessions)
		return slices.Equal(windows, want) && slices.Equal(sessions, want)
	})
	n := 0
	must(t, app.WindowAll("w", func([]byte, int64, []byte) bool { n++; return false }))
	must(t, app.SessionAll("s", func([]byte, int64, int64, []byte) bool { n++; return false }))
	if n != 2 {
		t.Errorf("calls after fn returned false: %d, want 2", n)
	}
	if err := app.WindowAll("nope", func([]byte, int64, []byte) bool { return true }); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("WindowAll of a missing store: %v", err)
	}
}
