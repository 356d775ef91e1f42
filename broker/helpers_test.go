package broker

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// testTimeout bounds every wait in these tests; nothing sleeps a fixed time.
const testTimeout = 30 * time.Second

func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

// newBroker starts a broker on a free port of 127.0.0.1 and closes it when
// the test ends.
func newBroker(t *testing.T, opts ...Opt) *Broker {
	t.Helper()
	b, err := New(append([]Opt{Listen("127.0.0.1:0")}, opts...)...)
	if err != nil {
		t.Fatalf("new broker: %v", err)
	}
	t.Cleanup(func() {
		if err := b.Close(); err != nil {
			t.Errorf("close broker: %v", err)
		}
	})
	return b
}

// newClient returns a kgo client of addr, closed when the test ends.
func newClient(t *testing.T, addr string, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	cl := dial(t, addr, opts...)
	t.Cleanup(cl.Close)
	return cl
}

// dial returns a kgo client of addr that the caller closes.
func dial(t *testing.T, addr string, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{
		kgo.SeedBrokers(addr),
		kgo.AllowAutoTopicCreation(),
		kgo.RetryTimeout(testTimeout),
	}, opts...)...)
	if err != nil {
		t.Fatalf("new client: %v", err)
	}
	return cl
}

// produce writes n records k<i>=v<i> to topic with acks=all (kgo's default)
// and returns them by value.
func produce(t *testing.T, addr, topic string, n int) map[string]string {
	t.Helper()
	cl := newClient(t, addr, kgo.RequiredAcks(kgo.AllISRAcks()))
	want := make(map[string]string, n)
	recs := make([]*kgo.Record, 0, n)
	for i := range n {
		k, v := fmt.Sprintf("k%d", i), fmt.Sprintf("v%d", i)
		want[k] = v
		recs = append(recs, &kgo.Record{Topic: topic, Key: []byte(k), Value: []byte(v)})
	}
	if err := cl.ProduceSync(testCtx(t), recs...).FirstErr(); err != nil {
		t.Fatalf("produce %d records to %s: %v", n, topic, err)
	}
	return want
}

// consumeAll reads topic from the start up to its end offsets, as they are
// when called, and returns every record.
func consumeAll(t *testing.T, addr, topic string) []*kgo.Record {
	t.Helper()
	ctx := testCtx(t)
	admcl := dial(t, addr)
	defer admcl.Close()
	ends, err := kadm.NewClient(admcl).ListEndOffsets(ctx, topic)
	if err == nil {
		err = ends.Error()
	}
	if err != nil {
		t.Fatalf("list end offsets of %s: %v", topic, err)
	}
	left := make(map[int32]int64) // partition -> end offset not reached yet
	ends.Each(func(o kadm.ListedOffset) {
		if o.Offset > 0 {
			left[o.Partition] = o.Offset
		}
	})
	cl := dial(t, addr, kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	defer cl.Close()
	var recs []*kgo.Record
	for len(left) > 0 {
		fs := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			t.Fatalf("consume %s: %d records read, partitions not at their end: %v: %v", topic, len(recs), left, err)
		}
		fs.EachError(func(topic string, p int32, err error) { t.Fatalf("consume %s/%d: %v", topic, p, err) })
		fs.EachRecord(func(r *kgo.Record) {
			recs = append(recs, r)
			if end, ok := left[r.Partition]; ok && r.Offset >= end-1 {
				delete(left, r.Partition)
			}
		})
	}
	return recs
}

// byKey maps record keys to values, failing on duplicate keys.
func byKey(t *testing.T, recs []*kgo.Record) map[string]string {
	t.Helper()
	m := make(map[string]string, len(recs))
	for _, r := range recs {
		if _, dup := m[string(r.Key)]; dup {
			t.Fatalf("key %q read twice", r.Key)
		}
		m[string(r.Key)] = string(r.Value)
	}
	return m
}

func sameMap(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d entries, want %d", what, len(got), len(want))
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("%s: %q = %q, want %q", what, k, got[k], v)
		}
	}
}

// fetchOffsets returns the committed offsets of group as "topic/partition" -> offset.
func fetchOffsets(t *testing.T, addr, group string) map[string]int64 {
	t.Helper()
	adm := kadm.NewClient(newClient(t, addr))
	rs, err := adm.FetchOffsets(testCtx(t), group)
	if err == nil {
		err = rs.Error()
	}
	if err != nil {
		t.Fatalf("fetch offsets of group %s: %v", group, err)
	}
	m := make(map[string]int64)
	rs.Each(func(o kadm.OffsetResponse) { m[fmt.Sprintf("%s/%d", o.Topic, o.Partition)] = o.At })
	return m
}
