package broker

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// TestRestartKeepsRecordsAndOffsets: records produced with acks=all and
// offsets committed by a group consumer survive Close and New on the same
// data dir.
func TestRestartKeepsRecordsAndOffsets(t *testing.T) {
	dir := t.TempDir()
	const topic, group, n = "orders", "g", 1000

	b1 := newBroker(t, DataDir(dir), DefaultPartitions(3))
	want := produce(t, b1.Addr(), topic, n)

	cl := newClient(t, b1.Addr(),
		kgo.ConsumerGroup(group), kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.DisableAutoCommit(),
		// Below Kafka's 6s group.min.session.timeout.ms: allowed here.
		kgo.SessionTimeout(2*time.Second), kgo.HeartbeatInterval(200*time.Millisecond))
	ctx := testCtx(t)
	for seen := 0; seen < n; {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("group consumer read %d of %d records: %v", seen, n, ctx.Err())
		}
		seen += fs.NumRecords()
	}
	if err := cl.CommitUncommittedOffsets(ctx); err != nil {
		t.Fatalf("commit: %v", err)
	}
	committed := fetchOffsets(t, b1.Addr(), group)
	var total int64
	for _, at := range committed {
		total += at
	}
	if len(committed) != 3 || total != n {
		t.Fatalf("committed offsets %v: want 3 partitions summing to %d", committed, n)
	}
	cl.Close()
	if err := b1.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if err := b1.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}

	b2 := newBroker(t, DataDir(dir), DefaultPartitions(3))
	sameMap(t, "records after restart", byKey(t, consumeAll(t, b2.Addr(), topic)), want)
	got := fetchOffsets(t, b2.Addr(), group)
	if fmt.Sprint(got) != fmt.Sprint(committed) {
		t.Fatalf("offsets after restart %v, want %v", got, committed)
	}
}

// TestDataDirLocked: a second broker on a locked dir fails clearly, the
// dir opens again after Close.
func TestDataDirLocked(t *testing.T) {
	dir := t.TempDir()
	b1, err := New(Listen("127.0.0.1:0"), DataDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(Listen("127.0.0.1:0"), DataDir(dir))
	if !errors.Is(err, ErrDataDirLocked) {
		t.Fatalf("second New: %v, want ErrDataDirLocked", err)
	}
	if msg := err.Error(); !strings.Contains(msg, dir) || !strings.Contains(msg, fmt.Sprint(os.Getpid())) {
		t.Fatalf("error %q should name the dir %s and the pid %d", msg, dir, os.Getpid())
	}
	if err := b1.Close(); err != nil {
		t.Fatal(err)
	}
	b3 := newBroker(t, DataDir(dir))
	if b3.DataDir() != dir {
		t.Fatalf("DataDir() = %q, want %q", b3.DataDir(), dir)
	}
}

func TestNewErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	busy := newBroker(t, InMemory())
	for _, tc := range []struct {
		name string
		opts []Opt
		want string
	}{
		{"unwritable dir", []Opt{DataDir(filepath.Join(file, "sub"))}, "create broker data dir"},
		{"empty dir", []Opt{DataDir("")}, "data dir is empty"},
		{"bad listen", []Opt{InMemory(), Listen("nowhere")}, `listen address "nowhere"`},
		{"port in use", []Opt{InMemory(), Listen(busy.Addr())}, "broker listen on"},
		{"partitions", []Opt{InMemory(), DefaultPartitions(0)}, "default partitions 0: must be at least 1"},
		{"cleaner", []Opt{InMemory(), CleanerInterval(time.Microsecond)}, "cleaner interval 1µs: must be at least 1ms"},
		{"logger", []Opt{InMemory(), Logger(nil)}, "logger is nil"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := New(append([]Opt{Listen("127.0.0.1:0")}, tc.opts...)...)
			if err == nil {
				b.Close()
				t.Fatalf("New succeeded, want an error containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestAddr(t *testing.T) {
	b := newBroker(t, InMemory())
	host, port, err := net.SplitHostPort(b.Addr())
	if err != nil || host != "127.0.0.1" || port == "0" {
		t.Fatalf("Addr() = %q (%v), want 127.0.0.1 and a real port", b.Addr(), err)
	}
	if got := b.Cluster().ListenAddrs(); len(got) != 1 || got[0] != b.Addr() {
		t.Fatalf("kfake listens on %v, want [%s]", got, b.Addr())
	}
	produce(t, b.Addr(), "t", 10) // metadata advertises a reachable address
}

// TestAddrWildcard: a broker on every interface advertises the host name.
func TestAddrWildcard(t *testing.T) {
	name, err := os.Hostname()
	if err != nil {
		t.Skipf("no host name: %v", err)
	}
	b := newBroker(t, InMemory(), Listen("0.0.0.0:0"))
	host, port, err := net.SplitHostPort(b.Addr())
	if err != nil || host != name || port == "0" {
		t.Fatalf("Addr() = %q (%v), want %s and a real port", b.Addr(), err, name)
	}
	if _, err := net.LookupHost(name); err != nil {
		t.Skipf("host name %s does not resolve: %v", name, err)
	}
	produce(t, net.JoinHostPort("127.0.0.1", port), "t", 10)
}

// TestAutoCreateTopics: topics are created on first use with the
// configured partition count, also for CreateTopics with -1 partitions.
func TestAutoCreateTopics(t *testing.T) {
	b := newBroker(t, DataDir(t.TempDir()), DefaultPartitions(4))
	produce(t, b.Addr(), "auto", 20)
	adm := kadm.NewClient(newClient(t, b.Addr()))
	ctx := testCtx(t)
	if _, err := adm.CreateTopic(ctx, -1, -1, nil, "created"); err != nil {
		t.Fatalf("create topic: %v", err)
	}
	ts, err := adm.ListTopics(ctx, "auto", "created")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"auto", "created"} {
		if got := len(ts[name].Partitions); got != 4 {
			t.Errorf("topic %s has %d partitions, want 4", name, got)
		}
	}

	// A name that collides with an existing one ("." vs "_") is refused,
	// not created in memory behind the data dir's back.
	produce(t, b.Addr(), "a.b", 1)
	cl := newClient(t, b.Addr())
	req := kmsg.NewPtrMetadataRequest()
	req.AllowAutoTopicCreation = true
	rt := kmsg.NewMetadataRequestTopic()
	rt.Topic = kmsg.StringPtr("a_b")
	req.Topics = append(req.Topics, rt)
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Topics) != 1 || resp.Topics[0].ErrorCode == 0 {
		t.Fatalf("metadata for a_b beside a.b: %+v, want an error", resp.Topics)
	}

	// The auto-creating control function renews itself and keeps working:
	// auto-created topics are written to topics.json at once.
	empty := kmsg.NewPtrMetadataRequest()
	empty.Topics = []kmsg.MetadataRequestTopic{}
	for range controlRenewEvery + 10 {
		if _, err := empty.RequestWith(ctx, cl); err != nil {
			t.Fatal(err)
		}
	}
	produce(t, b.Addr(), "late", 1)
	js, err := os.ReadFile(filepath.Join(b.DataDir(), "topics.json"))
	if err != nil || !strings.Contains(string(js), `"late"`) {
		t.Fatalf("topics.json (%v) does not name the auto-created topic: %s", err, js)
	}
}

// TestCompaction: a cleanup.policy=compact topic keeps the latest record
// per key, on demand and on the cleaner ticker.
func TestCompaction(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []Opt
		run  func(*Broker)
	}{
		{"Compact", nil, func(b *Broker) { b.Cluster().Compact() }},
		{"ticker", []Opt{CleanerInterval(20 * time.Millisecond)}, func(*Broker) {}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBroker(t, append([]Opt{DataDir(t.TempDir())}, tc.opts...)...)
			const topic = "changelog"
			cl := newClient(t, b.Addr())
			ctx := testCtx(t)
			compact := "compact"
			if _, err := kadm.NewClient(cl).CreateTopic(ctx, 1, -1, map[string]*string{"cleanup.policy": &compact}, topic); err != nil {
				t.Fatalf("create topic: %v", err)
			}
			// Five rounds over keys k0..k4, then a last batch of its own:
			// kfake, like Kafka, never cleans the active (last) batch.
			for round := range 5 {
				var recs []*kgo.Record
				for k := range 5 {
					recs = append(recs, &kgo.Record{Topic: topic, Key: fmt.Appendf(nil, "k%d", k), Value: fmt.Appendf(nil, "r%d", round)})
				}
				if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
					t.Fatal(err)
				}
			}
			if err := cl.ProduceSync(ctx, &kgo.Record{Topic: topic, Key: []byte("last"), Value: []byte("x")}).FirstErr(); err != nil {
				t.Fatal(err)
			}
			want := map[string]string{"k0": "r4", "k1": "r4", "k2": "r4", "k3": "r4", "k4": "r4", "last": "x"}
			tc.run(b)
			poll := time.NewTicker(20 * time.Millisecond)
			defer poll.Stop()
			for {
				recs := consumeAll(t, b.Addr(), topic)
				if len(recs) == len(want) {
					sameMap(t, "compacted topic", byKey(t, recs), want)
					return
				}
				select {
				case <-poll.C:
				case <-ctx.Done():
					t.Fatalf("topic still has %d records, want %d after compaction", len(recs), len(want))
				}
			}
		})
	}
}

// TestRetentionSparesCompactedTopics: time retention deletes old records of a delete
// topic but not of a compact-only one (Kafka's rule; kfake alone applies it to both), so
// a changelog of historical event times keeps its keys.
func TestRetentionSparesCompactedTopics(t *testing.T) {
	b := newBroker(t, DataDir(t.TempDir()))
	// No auto-creation: a metadata request would create the topic before CreateTopics.
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addr()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	ctx := testCtx(t)
	adm := kadm.NewClient(cl)
	compact, both := "compact", "compact,delete"
	for topic, cfg := range map[string]map[string]*string{
		"changelog": {"cleanup.policy": &compact},
		"events":    nil,
		"hybrid":    {"cleanup.policy": &both},
	} {
		if _, err := adm.CreateTopic(ctx, 1, -1, cfg, topic); err != nil {
			t.Fatalf("create %s: %v", topic, err)
		}
		// An old record (1970), then a recent one: kfake never cleans the last batch.
		for _, ts := range []time.Time{time.UnixMilli(1), time.Now()} {
			r := &kgo.Record{Topic: topic, Key: fmt.Appendf(nil, "k%d", ts.UnixMilli()), Value: []byte("v"), Timestamp: ts}
			if err := cl.ProduceSync(ctx, r).FirstErr(); err != nil {
				t.Fatal(err)
			}
		}
	}
	b.Cluster().ApplyRetention()
	for topic, want := range map[string]int{"changelog": 2, "events": 1, "hybrid": 1} {
		starts, err := adm.ListStartOffsets(ctx, topic)
		if err != nil {
			t.Fatal(err)
		}
		o, _ := starts.Lookup(topic, 0)
		if got := 2 - int(o.Offset); got != want {
			t.Errorf("%s: %d records after retention, want %d", topic, got, want)
		}
	}
}
