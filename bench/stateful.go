package main

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/statestore"
)

// The stateful benchmarks: count per key (Badger store + changelog + one output record per
// input) against a hand-written franz-go loop counting in a Go map, the restore of a
// 1M-key store from its changelog against reading that changelog, and the memory an
// application uses with those stores (measured in a child process, see statefulmem.go).

const countStoreName = "counts"

// countTopology is source(in) -> count (store "counts") -> sink(out), on the runtime API:
// per record, read the key's count (8 bytes, big-endian), add one, write it back (to Badger
// through the task's write buffer, and to the changelog "<app>-counts-changelog") and forward
// (key, count).
func countTopology(in, out string) (*runtime.Topology, error) {
	topo := runtime.NewTopology()
	err := errors.Join(
		topo.AddSource("src", runtime.Source{Topics: []string{in}}),
		topo.AddProcessor("count", func() runtime.Processor { return &countProcessor{} }, "src"),
		topo.AddStateStore(runtime.StoreSpec{Name: countStoreName, Kind: runtime.KeyValueStore}, "count"),
		topo.AddSink("sink", runtime.Sink{Topic: out}, "count"),
	)
	return topo, err
}

type countProcessor struct {
	ctx *runtime.ProcessorContext
	kv  *statestore.KeyValue
}

func (p *countProcessor) Init(ctx *runtime.ProcessorContext) error {
	p.ctx, p.kv = ctx, ctx.KeyValueStore(countStoreName)
	if p.kv == nil {
		return errors.New("no store " + countStoreName)
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
	var n uint64
	if len(old) == 8 {
		n = binary.BigEndian.Uint64(old)
	}
	v := binary.BigEndian.AppendUint64(make([]byte, 0, 8), n+1)
	if err := p.kv.Put(k, v, r.Timestamp); err != nil {
		return err
	}
	p.ctx.Forward(runtime.Record{Key: k, Value: v, Timestamp: r.Timestamp})
	return nil
}

func (p *countProcessor) Close() error { return nil }

// statefulConfig sizes the stateful benchmarks.
type statefulConfig struct {
	Records     int   // count input records
	Keys        int   // distinct keys of the count input
	RestoreKeys int   // records (distinct keys) of the changelog to restore
	Partitions  int32 // of the count input
	Threads     int
}

// runStateful runs the stateful benchmarks on the broker at seeds.
func runStateful(ctx context.Context, seeds []string, cl *kgo.Client, cfg statefulConfig) ([]Result, error) {
	res, err := runCount(ctx, seeds, cl, cfg)
	if err != nil {
		return nil, err
	}
	rr, err := runRestore(ctx, seeds, cl, cfg.RestoreKeys)
	if err != nil {
		return nil, err
	}
	return append(res, rr...), nil
}

// runCount measures the count per key, three times alternating with the raw baseline
// (medians), then the memory of an application holding the counts.
func runCount(ctx context.Context, seeds []string, cl *kgo.Client, cfg statefulConfig) ([]Result, error) {
	var res []Result
	in := "bench-counts-in"
	if err := seedCounts(ctx, cl, in, cfg.Partitions, cfg.Records, cfg.Keys); err != nil {
		return nil, fmt.Errorf("seed count input: %w", err)
	}
	want := int64(cfg.Records / cfg.Keys)

	var raws, apps, sqls []time.Duration
	for i := range 3 {
		group, out := fmt.Sprintf("bench-rawcount-%d", i), fmt.Sprintf("bench-rawcount-out-%d", i)
		changelog := group + "-counts-changelog"
		if err := createTopics(ctx, cl, cfg.Partitions, map[string]string{"cleanup.policy": "compact"}, changelog); err != nil {
			return nil, err
		}
		if err := createTopics(ctx, cl, cfg.Partitions, nil, out); err != nil {
			return nil, err
		}
		raw, err := rawCount(ctx, seeds, group, in, changelog, out, cfg.Records, cfg.Partitions)
		if err != nil {
			return nil, fmt.Errorf("raw count: %w", err)
		}
		app, appOut := fmt.Sprintf("bench-count-%d", i), fmt.Sprintf("bench-count-out-%d", i)
		if err := createTopics(ctx, cl, cfg.Partitions, nil, appOut); err != nil {
			return nil, err
		}
		d, err := countPipeline(ctx, seeds, app, in, appOut, cfg.Records, cfg.Threads)
		if err != nil {
			return nil, fmt.Errorf("ksqlgo count: %w", err)
		}
		// Both wrote one changelog and one output record per input; on the first round,
		// check every key's final count as well.
		for _, topic := range []string{out, changelog, appOut, app + "-counts-changelog"} {
			n, err := countTopic(ctx, cl, topic)
			if err != nil {
				return nil, err
			}
			if n < int64(cfg.Records) {
				return nil, fmt.Errorf("count pipelines: %s holds %d records, want %d", topic, n, cfg.Records)
			}
		}
		if i == 0 {
			for _, topic := range []string{out, appOut} {
				if err := checkCounts(ctx, seeds, topic, cfg.Keys, want); err != nil {
					return nil, err
				}
			}
		}
		sqlOut := fmt.Sprintf("bench-sqlcount-out-%d", i)
		sq, err := sqlCount(ctx, seeds, cl, i, in, sqlOut, cfg.Records, cfg.Threads)
		if err != nil {
			return nil, fmt.Errorf("sql count: %w", err)
		}
		if i == 0 {
			if err := checkCounts(ctx, seeds, sqlOut, cfg.Keys, want); err != nil {
				return nil, err
			}
		}
		logRound("count-per-key", i, cfg.Records, raw, d)
		logRound("sql-count-per-key", i, cfg.Records, raw, sq)
		raws, apps, sqls = append(raws, raw), append(apps, d), append(sqls, sq)
	}
	r, a, sq := rate(cfg.Records, median(raws)), rate(cfg.Records, median(apps)), rate(cfg.Records, median(sqls))
	res = append(res, Result{Name: "count-per-key", RecordsPerSec: a,
		Baseline: "raw-map-count-per-partition", BaselineRecordsPerSec: r, Ratio: a / r},
		Result{Name: "sql-count-per-key", RecordsPerSec: sq,
			Baseline: "raw-map-count-per-partition", BaselineRecordsPerSec: r, Ratio: sq / r},
		Result{Name: "sql-count-per-key", RecordsPerSec: sq,
			Baseline: "count-per-key", BaselineRecordsPerSec: a, Ratio: sq / a})

	mem, err := measureMemory(ctx, memSpec{Mode: "count", Broker: seeds[0], App: "bench-count-mem", In: in,
		Out: "bench-count-mem-out", N: int64(cfg.Records), Threads: cfg.Threads})
	if err != nil {
		return nil, fmt.Errorf("count memory: %w", err)
	}
	res = append(res,
		Result{Name: fmt.Sprintf("mem-count-%s-keys-heap", human(cfg.Keys)), MiB: mem.HeapMiB},
		Result{Name: fmt.Sprintf("mem-count-%s-keys-rss", human(cfg.Keys)), MiB: mem.RSSMiB})
	return res, nil
}

// seedCounts creates topic and produces n payments (~100 B of JSON) keyed over keys keys.
func seedCounts(ctx context.Context, cl *kgo.Client, topic string, partitions int32, n, keys int) error {
	if err := createTopics(ctx, cl, partitions, nil, topic); err != nil {
		return err
	}
	const batch = 10000
	recs := make([]*kgo.Record, 0, batch)
	for i := range n {
		v, _ := json.Marshal(payment(i))
		recs = append(recs, &kgo.Record{Topic: topic, Key: fmt.Appendf(nil, "key-%05d", i%keys), Value: v})
		if len(recs) == batch || i == n-1 {
			if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
				return err
			}
			recs = recs[:0]
		}
	}
	return nil
}

func createTopics(ctx context.Context, cl *kgo.Client, partitions int32, configs map[string]string, topics ...string) error {
	var c map[string]*string
	for k, v := range configs {
		if c == nil {
			c = map[string]*string{}
		}
		c[k] = kadm.StringPtr(v)
	}
	resp, err := kadm.NewClient(cl).CreateTopics(ctx, partitions, 1, c, topics...)
	if err == nil {
		err = resp.Error()
	}
	if err != nil {
		return fmt.Errorf("create %v: %w", topics, err)
	}
	return nil
}

// checkCounts reads a count output topic to its end and checks that the last count of each
// of the keys is want.
func checkCounts(ctx context.Context, seeds []string, topic string, keys int, want int64) error {
	last := map[string]int64{}
	err := readAll(ctx, seeds, topic, func(r *kgo.Record) {
		if len(r.Value) == 8 {
			last[string(r.Key)] = int64(binary.BigEndian.Uint64(r.Value))
		}
	})
	if err != nil {
		return err
	}
	if len(last) != keys {
		return fmt.Errorf("%s: %d keys, want %d", topic, len(last), keys)
	}
	for k, n := range last {
		if n != want {
			return fmt.Errorf("%s: key %q counted %d, want %d", topic, k, n, want)
		}
	}
	return nil
}

// readAll calls fn for every record of topic up to its current end offsets, as a
// read_committed reader: transaction markers (topics written exactly-once) are stepped
// over, and records of aborted transactions skipped.
func readAll(ctx context.Context, seeds []string, topic string, fn func(*kgo.Record)) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds...), kgo.FetchIsolationLevel(kgo.ReadCommitted()), kgo.KeepControlRecords())
	if err != nil {
		return err
	}
	defer cl.Close()
	ends, err := kadm.NewClient(cl).ListEndOffsets(ctx, topic)
	if err != nil {
		return err
	}
	left := map[int32]int64{}
	from := map[int32]kgo.Offset{}
	ends.Each(func(o kadm.ListedOffset) {
		if o.Offset > 0 {
			left[o.Partition], from[o.Partition] = o.Offset, kgo.NewOffset().AtStart()
		}
	})
	if len(left) == 0 {
		return nil
	}
	cl.AddConsumePartitions(map[string]map[int32]kgo.Offset{topic: from})
	for len(left) > 0 {
		fs := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fs.Err0(); err != nil {
			return err
		}
		fs.EachRecord(func(r *kgo.Record) {
			end, ok := left[r.Partition]
			if !ok || r.Offset >= end {
				return
			}
			if !r.Attrs.IsControl() {
				fn(r)
			}
			if r.Offset+1 >= end {
				delete(left, r.Partition)
			}
		})
	}
	return nil
}

// rawCount is the hand-written baseline of the count: a consumer group member handing each
// partition's records to a goroutine of that partition (as rawPipeline does) that counts in
// a Go map and, per record, produces the new count to the changelog (same partition) and to
// the output topic; offsets are committed after every poll, like rawPipeline. It returns
// when n records have been processed and everything produced is acknowledged.
func rawCount(ctx context.Context, seeds []string, group, in, changelog, out string, n int, partitions int32) (time.Duration, error) {
	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds...), kgo.ConsumerGroup(group), kgo.ConsumeTopics(in),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.DisableAutoCommit(),
		kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		return 0, err
	}
	return goroutinePerPartition(ctx, cl, n, func(p int32) func([]*kgo.Record) {
		counts := map[string]uint64{}
		return func(recs []*kgo.Record) {
			for _, r := range recs {
				c := counts[string(r.Key)] + 1
				counts[string(r.Key)] = c
				v := binary.BigEndian.AppendUint64(make([]byte, 0, 8), c)
				cl.Produce(ctx, &kgo.Record{Topic: changelog, Partition: p, Key: r.Key, Value: v}, nil)
				op := int32(runtime.KeyPartition(r.Key, int(partitions)))
				cl.Produce(ctx, &kgo.Record{Topic: out, Partition: op, Key: r.Key, Value: v}, nil)
			}
		}
	})
}

// countPipeline runs the count topology as an App with its state in a temporary directory
// on disk (what users run), until n input records are processed, then stops it (flush,
// commit); it returns the time from Run to Run's return.
func countPipeline(ctx context.Context, seeds []string, app, in, out string, n, threads int) (time.Duration, error) {
	dir, err := os.MkdirTemp("", "ksqlgo-bench-state-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	topo, err := countTopology(in, out)
	if err != nil {
		return 0, err
	}
	a, err := runtime.New(topo, app, runtime.Brokers(seeds...), runtime.Threads(threads), runtime.StateDir(dir))
	if err != nil {
		return 0, err
	}
	start := time.Now()
	if err := runUntil(ctx, a, func(m runtime.Metrics) bool { return m.RecordsProcessed >= int64(n) }, nil); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// runUntil runs a until done holds for its metrics (polled every 5ms), calls at (if not
// nil) while it still runs, then stops it and waits for Run to return.
func runUntil(ctx context.Context, a *runtime.App, done func(runtime.Metrics) bool, at func()) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- a.Run(ctx) }()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !done(a.Metrics()) {
		select {
		case err := <-errc:
			return fmt.Errorf("app stopped early: %v", err)
		case <-tick.C:
		}
	}
	if at != nil {
		at()
	}
	cancel() // graceful: flush, commit
	return <-errc
}

// runRestore measures the restore of a store partition of keys entries from its changelog,
// three times, against a plain consumer reading the same changelog.
func runRestore(ctx context.Context, seeds []string, cl *kgo.Client, keys int) ([]Result, error) {
	const app = "bench-restore"
	in, out, changelog := app+"-in", app+"-out", app+"-counts-changelog"
	if err := createTopics(ctx, cl, 1, nil, in, out); err != nil {
		return nil, err
	}
	if err := createTopics(ctx, cl, 1, map[string]string{"cleanup.policy": "compact"}, changelog); err != nil {
		return nil, err
	}
	const batch = 10000
	recs := make([]*kgo.Record, 0, batch)
	for i := range keys {
		recs = append(recs, &kgo.Record{Topic: changelog, Partition: 0, Key: fmt.Appendf(nil, "key-%07d", i),
			Value: binary.BigEndian.AppendUint64(nil, uint64(i))})
		if len(recs) == batch || i == keys-1 {
			if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
				return nil, fmt.Errorf("seed changelog: %w", err)
			}
			recs = recs[:0]
		}
	}
	var raws, apps []time.Duration
	for range 3 {
		raw, err := rawConsume(ctx, seeds, changelog, keys, false)
		if err != nil {
			return nil, fmt.Errorf("read changelog: %w", err)
		}
		d, err := restorePipeline(ctx, seeds, app, in, out, int64(keys))
		if err != nil {
			return nil, fmt.Errorf("restore: %w", err)
		}
		raws, apps = append(raws, raw), append(apps, d)
	}
	r, a := rate(keys, median(raws)), rate(keys, median(apps))
	res := []Result{{Name: fmt.Sprintf("restore-%s-keys", human(keys)), RecordsPerSec: a,
		Baseline: "raw-consume-changelog", BaselineRecordsPerSec: r, Ratio: a / r}}

	mem, err := measureMemory(ctx, memSpec{Mode: "restore", Broker: seeds[0], App: app, In: in, Out: out, N: int64(keys), Threads: 1})
	if err != nil {
		return nil, fmt.Errorf("restore memory: %w", err)
	}
	return append(res,
		Result{Name: fmt.Sprintf("mem-restore-%s-keys-heap", human(keys)), MiB: mem.HeapMiB},
		Result{Name: fmt.Sprintf("mem-restore-%s-keys-rss", human(keys)), MiB: mem.RSSMiB}), nil
}

// restorePipeline starts the count application with an empty state directory, so that its
// store partition is restored in full from the changelog, and returns the time from Run
// until the restore is done (RecordsRestored reaches keys): connecting, joining the group,
// reading the changelog and loading Badger.
func restorePipeline(ctx context.Context, seeds []string, app, in, out string, keys int64) (time.Duration, error) {
	dir, err := os.MkdirTemp("", "ksqlgo-bench-restore-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	topo, err := countTopology(in, out)
	if err != nil {
		return 0, err
	}
	a, err := runtime.New(topo, app, runtime.Brokers(seeds...), runtime.StateDir(dir))
	if err != nil {
		return 0, err
	}
	start := time.Now()
	var took time.Duration
	err = runUntil(ctx, a, func(m runtime.Metrics) bool { return m.RecordsRestored >= keys },
		func() { took = time.Since(start) })
	if err != nil {
		return 0, err
	}
	if n := a.Metrics().RecordsRestored; n != keys {
		return 0, fmt.Errorf("restored %d records, want %d", n, keys)
	}
	return took, nil
}

// human prints 1000000 as "1M" and 5000 as "5k".
func human(n int) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	}
	return fmt.Sprint(n)
}
