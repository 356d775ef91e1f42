package runtime_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/statestore"
)

// Helpers of the state acceptance tests (state_*_test.go): a counting topology written
// against the runtime API, and readers that take a topic to its end.

const countStore = "counts"

// countTopology is source(in) -> count-processor (store "counts") -> sink(out). For every
// input record the processor reads the count of its key (8 bytes, big-endian), adds one,
// writes it back (store + changelog "<app>-counts-changelog") and forwards (key, count).
func countTopology(t testing.TB, in, out string) *runtime.Topology {
	t.Helper()
	topo := runtime.NewTopology()
	mustTB(t, topo.AddSource("src", runtime.Source{Topics: []string{in}}))
	mustTB(t, topo.AddProcessor("count-processor", func() runtime.Processor { return &countProcessor{} }, "src"))
	mustTB(t, topo.AddStateStore(runtime.StoreSpec{Name: countStore, Kind: runtime.KeyValueStore}, "count-processor"))
	mustTB(t, topo.AddSink("sink", runtime.Sink{Topic: out}, "count-processor"))
	return topo
}

type countProcessor struct {
	ctx *runtime.ProcessorContext
	kv  *statestore.KeyValue
}

func (p *countProcessor) Init(ctx *runtime.ProcessorContext) error {
	p.ctx, p.kv = ctx, ctx.KeyValueStore(countStore)
	if p.kv == nil {
		return errors.New("no key-value store " + countStore)
	}
	return nil
}

func (p *countProcessor) Process(r runtime.Record) error {
	k, _ := r.Key.([]byte)
	if k == nil {
		p.ctx.Drop("null key")
		return nil
	}
	old, err := p.kv.Get(k)
	if err != nil {
		return err
	}
	n, err := decodeCount(old)
	if err != nil {
		return fmt.Errorf("key %q: %w", k, err)
	}
	v := binary.BigEndian.AppendUint64(make([]byte, 0, 8), uint64(n+1))
	if err := p.kv.Put(k, v, r.Timestamp); err != nil {
		return err
	}
	p.ctx.Forward(runtime.Record{Key: k, Value: v, Timestamp: r.Timestamp})
	return nil
}

func (p *countProcessor) Close() error { return nil }

// decodeCount decodes a stored count; nil (absent) is 0.
func decodeCount(v []byte) (int64, error) {
	switch len(v) {
	case 0:
		if v == nil {
			return 0, nil
		}
	case 8:
		return int64(binary.BigEndian.Uint64(v)), nil
	}
	return 0, fmt.Errorf("stored count %x is not 8 bytes", v)
}

func mustTB(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// keyedRecords returns n records of topic cycling over keys "key-0".."key-<keys-1>",
// starting at record number from, each placed explicitly in the partition the runtime's
// partitioner (KeyPartition) gives its key among partitions. Produce them with
// kgo.RecordPartitioner(kgo.ManualPartitioner()).
func keyedRecords(topic string, partitions, keys, from, n int) []*kgo.Record {
	recs := make([]*kgo.Record, 0, n)
	for i := from; i < from+n; i++ {
		k := []byte(fmt.Sprintf("key-%d", i%keys))
		recs = append(recs, &kgo.Record{Topic: topic, Key: k, Value: []byte(fmt.Sprint(i)), Partition: int32(runtime.KeyPartition(k, partitions))})
	}
	return recs
}

// lastCounts reads topic to its current end and returns, per key, the count (8-byte value)
// of the key's last record, with the number of records read.
func lastCounts(t *testing.T, seeds []string, topic string) (map[string]int64, int) {
	t.Helper()
	last := map[string]int64{}
	n := readToEnd(t, seeds, topic, func(r *kgo.Record) {
		c, err := decodeCount(r.Value)
		if err != nil {
			t.Fatalf("%s-%d@%d: %v", r.Topic, r.Partition, r.Offset, err)
		}
		last[string(r.Key)] = c
	})
	return last, n
}

// readToEnd calls fn for every record of topic from the start up to the end offsets it has
// when called, partition by partition in offset order, and returns the number of records.
// It reads read_committed: records of aborted transactions are skipped, and transaction
// markers (control records, not passed to fn) count as progress towards the end.
func readToEnd(t *testing.T, seeds []string, topic string, fn func(*kgo.Record)) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	adm := newSeedClient(t, seeds)
	ends, err := kadm.NewClient(adm).ListEndOffsets(ctx, topic)
	mustTB(t, err)
	want := map[int32]int64{}
	from := map[int32]kgo.Offset{}
	ends.Each(func(o kadm.ListedOffset) {
		if o.Err != nil {
			t.Fatalf("end offset of %s-%d: %v", topic, o.Partition, o.Err)
		}
		if o.Offset > 0 {
			want[o.Partition] = o.Offset
			from[o.Partition] = kgo.NewOffset().AtStart()
		}
	})
	if len(want) == 0 {
		return 0
	}
	cl := newSeedClient(t, seeds, kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: from}),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()), kgo.KeepControlRecords())
	n := 0
	for len(want) > 0 {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("reading %s to its end: %v (partitions left %v)", topic, ctx.Err(), want)
		}
		fs.EachError(func(_ string, p int32, err error) { t.Fatalf("fetch %s-%d: %v", topic, p, err) })
		fs.EachRecord(func(r *kgo.Record) {
			end, ok := want[r.Partition]
			if !ok || r.Offset >= end {
				return
			}
			if !r.Attrs.IsControl() {
				fn(r)
				n++
			}
			if r.Offset+1 >= end {
				delete(want, r.Partition)
			}
		})
	}
	return n
}

func newSeedClient(t *testing.T, seeds []string, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(seeds...)}, opts...)...)
	mustTB(t, err)
	t.Cleanup(cl.Close)
	return cl
}

// waitCommitted polls until the group's committed offsets of topic reach its end offsets.
func waitCommitted(t *testing.T, seeds []string, group, topic string) {
	t.Helper()
	adm := kadm.NewClient(newSeedClient(t, seeds))
	waitFor(t, "group "+group+" to commit "+topic+" to its end", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		ends, err := adm.ListEndOffsets(ctx, topic)
		if err != nil {
			return false
		}
		offs, err := adm.FetchOffsets(ctx, group)
		if err != nil {
			return false
		}
		done := true
		ends.Each(func(e kadm.ListedOffset) {
			if e.Offset == 0 {
				return
			}
			o, ok := offs.Lookup(topic, e.Partition)
			if !ok || o.At < e.Offset {
				done = false
			}
		})
		return done
	})
}

// storeContents returns every committed entry of the counts store in app's local
// partitions, decoded.
func storeContents(t *testing.T, app *runtime.App) map[string]int64 {
	t.Helper()
	got := map[string]int64{}
	var derr error
	mustTB(t, app.All(countStore, func(k, v []byte) bool {
		c, err := decodeCount(v)
		if err != nil {
			derr = fmt.Errorf("store key %q: %w", k, err)
			return false
		}
		got[string(k)] = c
		return true
	}))
	mustTB(t, derr)
	return got
}
