package runtime

import (
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// TestTaskIdlesForLaggingInput: a task reading two partitions does not process one's
// records while the other is empty but has not been fetched at all (for at most maxIdle)
// or has records on the broker it has not fetched (for at most lagWait); a caught-up
// empty partition does not hold it back.
func TestTaskIdlesForLaggingInput(t *testing.T) {
	topo := NewTopology()
	if err := topo.AddSource("src", Source{Topics: []string{"table", "stream"}}); err != nil {
		t.Fatal(err)
	}
	if err := topo.AddSink("sink", Sink{Topic: "out"}, "src"); err != nil {
		t.Fatal(err)
	}
	s, err := NewSyncRunner("idle", topo, discard{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tk := s.tasks[0]
	tk.env.maxIdle = 200 * time.Millisecond
	table, stream := tk.queue("table"), tk.queue("stream")
	rec := &kgo.Record{Topic: "stream", Value: []byte("v"), Offset: 0, Timestamp: time.UnixMilli(100)}
	stream.fetchedTo([]*kgo.Record{rec}, 1)
	stream.add([]*kgo.Record{rec})

	next := func() *recordQueue {
		t.Helper()
		q, err := tk.next()
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	// Never fetched: wait, for at most maxIdle.
	if q := next(); q != nil {
		t.Fatalf("processable while the table partition was never fetched: %s", q.topic)
	}
	time.Sleep(250 * time.Millisecond)
	if q := next(); q != stream {
		t.Fatalf("still idle after maxIdle: %v", q)
	}
	// Fetched, with records left on the broker: wait again, for at most lagWait.
	tk.idleUntil = time.Time{}
	tk.env.lagWait = 500 * time.Millisecond
	table.fetchedTo(nil, 0)
	table.hwm = 5
	if q := next(); q != nil {
		t.Fatal("processable while the table partition lags")
	}
	time.Sleep(250 * time.Millisecond) // past maxIdle, not lagWait
	if q := next(); q != nil {
		t.Fatal("processable while the table partition lags, after maxIdle")
	}
	time.Sleep(300 * time.Millisecond)
	if q := next(); q != stream {
		t.Fatalf("still idle after lagWait: %v", q)
	}
	// Caught up (a fetch with no records at the high watermark): no wait at all.
	tk.idleUntil = time.Time{}
	table.fetchedTo(nil, 5)
	if q := next(); q != stream {
		t.Fatalf("caught-up empty partition held the task back: %v", q)
	}
	// maxIdle 0 (the test driver): never wait.
	tk.env.maxIdle = 0
	table.hwm = 9
	if q := next(); q != stream {
		t.Fatalf("idle with maxIdle 0: %v", q)
	}
}

type discard struct{}

func (discard) Send(*kgo.Record) {}
