package runtime_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/runtime"
)

// TestCommitAndResume: a clean shutdown commits; a restarted instance continues after the
// committed offsets without reprocessing.
func TestCommitAndResume(t *testing.T) {
	c := newCluster(t)
	cl := newClient(t, c)
	createTopic(t, cl, 2, "cr-in")
	produceN(t, cl, "cr-in", 0, 100)
	topo := evenFilter(t, "cr-in", "cr-out")
	run := func() func() error {
		app, err := runtime.New(topo, "resume", runtime.Brokers(c.ListenAddrs()...))
		must(t, err)
		return startApp(t, app)
	}
	stop := run()
	collect(t, c, "cr-out", func(m map[string]int) bool { return len(m) == 50 })
	must(t, stop())

	offs, err := kadm.NewClient(cl).FetchOffsets(context.Background(), "resume")
	must(t, err)
	var committed int64
	offs.Each(func(o kadm.OffsetResponse) { committed += o.At })
	if committed != 100 {
		t.Fatalf("committed offsets sum to %d, want 100", committed)
	}

	produceN(t, cl, "cr-in", 100, 100)
	run()
	got := collect(t, c, "cr-out", func(m map[string]int) bool { return len(m) == 100 })
	for v, n := range got {
		if n != 1 {
			t.Errorf("value %s written %d times after a clean restart", v, n)
		}
	}
}

func TestMissingSourceTopic(t *testing.T) {
	c := newCluster(t)
	app, err := runtime.New(evenFilter(t, "nope", "out"), "missing", runtime.Brokers(c.ListenAddrs()...))
	must(t, err)
	err = app.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), `"nope"`) || !strings.Contains(err.Error(), "do not exist") {
		t.Fatalf("want an error naming the missing topic, got %v", err)
	}

	// With CreateMissingSourceTopics the topic is created and the app runs.
	app, err = runtime.New(evenFilter(t, "created", "out2"), "missing2", runtime.Brokers(c.ListenAddrs()...),
		runtime.CreateMissingSourceTopics(3))
	must(t, err)
	startApp(t, app)
	waitFor(t, "3 tasks on the created topic", func() bool { return len(app.Tasks()) == 3 })
}

// syncBuffer is a bytes.Buffer safe for the logger's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestUnreachableBroker(t *testing.T) {
	var logs syncBuffer
	app, err := runtime.New(evenFilter(t, "in", "out"), "unreachable",
		runtime.Brokers("127.0.0.1:1"), runtime.ConnectTimeout(700*time.Millisecond),
		runtime.Logger(slog.New(slog.NewTextHandler(&logs, nil))))
	must(t, err)
	start := time.Now()
	err = app.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "cannot reach Kafka at 127.0.0.1:1") {
		t.Fatalf("want a clear error naming the broker, got %v", err)
	}
	if !strings.Contains(logs.String(), "cannot reach Kafka, retrying") {
		t.Fatalf("want retry log lines, got %q", logs.String())
	}
	t.Logf("gave up after %v: %v", time.Since(start).Round(time.Millisecond), err)
}

// TestDeadLetterOnBroker: undecodable records go to the dead-letter topic with the error in
// headers; the others are processed; nothing stops.
func TestDeadLetterOnBroker(t *testing.T) {
	c := newCluster(t)
	cl := newClient(t, c)
	createTopic(t, cl, 1, "dl-in")
	var recs []*kgo.Record
	for i := range 10 {
		v := strconv.Itoa(i)
		if i%3 == 0 {
			v = "garbage-" + v
		}
		recs = append(recs, &kgo.Record{Topic: "dl-in", Value: []byte(v)})
	}
	must(t, cl.ProduceSync(context.Background(), recs...).FirstErr())

	topo := runtime.NewTopology()
	must(t, topo.AddSource("src", runtime.Source{Topics: []string{"dl-in"}, Value: intSerde{}}))
	must(t, topo.AddSink("sink", runtime.Sink{Topic: "dl-out", Value: intSerde{}}, "src"))
	app, err := runtime.New(topo, "dlq", runtime.Brokers(c.ListenAddrs()...),
		runtime.OnDeserializationError(runtime.DeadLetter("dl-dead")))
	must(t, err)
	startApp(t, app)
	collect(t, c, "dl-out", func(m map[string]int) bool { return len(m) == 6 })

	dead := newClient(t, c, kgo.ConsumeTopics("dl-dead"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	var got []*kgo.Record
	waitFor(t, "4 dead letters", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		got = append(got, dead.PollFetches(ctx).Records()...)
		return len(got) >= 4
	})
	for _, r := range got {
		h := map[string]string{}
		for _, x := range r.Headers {
			h[x.Key] = string(x.Value)
		}
		if !strings.HasPrefix(string(r.Value), "garbage-") || h[runtime.DeadLetterTopic] != "dl-in" ||
			h[runtime.DeadLetterKind] != "deserialization" || !strings.Contains(h[runtime.DeadLetterError], "invalid syntax") {
			t.Errorf("bad dead letter %q headers %v", r.Value, h)
		}
	}
	if m := app.Metrics(); m.DeserializationErrors != 4 || m.DeadLettered != 4 {
		t.Errorf("metrics %+v", m)
	}
}

// intSerde decodes decimal text as int.
type intSerde struct{}

func (intSerde) Serialize(_ string, v any) ([]byte, error) { return []byte(strconv.Itoa(v.(int))), nil }
func (intSerde) Deserialize(_ string, b []byte) (any, error) {
	n, err := strconv.Atoi(string(b))
	if err != nil {
		return nil, errors.Unwrap(err)
	}
	return n, nil
}
