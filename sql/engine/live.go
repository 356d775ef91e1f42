package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/runtime"
)

// LiveRunner runs persistent queries as runtime Apps on a Kafka cluster (the embedded
// broker or an external one) and produces INSERT VALUES rows with a client of its own.
type LiveRunner struct {
	Brokers  []string
	StateDir string // one sub-directory per query; "" for in-memory state
	Threads  int    // stream threads per query (ksql.streams.num.stream.threads); 0 = the runtime's default
	Log      *slog.Logger

	mu      sync.Mutex
	client  *kgo.Client
	running map[string]*liveQuery
}

type liveQuery struct {
	app    *runtime.App
	cancel context.CancelFunc
	done   chan error
	// catchUp holds, for a source table's query (KindSourceTable), the end offsets of its
	// topic when it started: its store answers pull queries only once the query has
	// committed them, so that it never shows less than the topic held then. nil once
	// reached (under LiveRunner.mu) and for other queries.
	catchUp      map[int32]int64
	group, topic string
}

func (r *LiveRunner) log() *slog.Logger {
	if r.Log != nil {
		return r.Log
	}
	return slog.Default()
}

func (r *LiveRunner) kafka() (*kgo.Client, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.client != nil {
		return r.client, nil
	}
	c, err := kgo.NewClient(kgo.SeedBrokers(r.Brokers...), kgo.AllowAutoTopicCreation())
	if err != nil {
		return nil, err
	}
	r.client = c
	return c, nil
}

// StartQuery starts the query's App in the background.
func (r *LiveRunner) StartQuery(q *Query) error {
	opts := []runtime.Opt{runtime.Brokers(r.Brokers...), runtime.Logger(r.log().With("query", q.ID)),
		runtime.CreateMissingSourceTopics(1)}
	if r.StateDir == "" {
		opts = append(opts, runtime.InMemoryState())
	} else {
		opts = append(opts, runtime.StateDir(filepath.Join(r.StateDir, q.ID)))
	}
	if r.Threads > 0 {
		opts = append(opts, runtime.Threads(r.Threads))
	}
	if q.ExactlyOnce {
		opts = append(opts, runtime.ExactlyOnce())
	}
	if q.FromLatest {
		opts = append(opts, runtime.FromLatest())
	}
	group := "_confluent-ksql-default_query_" + q.ID
	app, err := runtime.New(q.Topology, group, opts...)
	if err != nil {
		return err
	}
	lq := &liveQuery{app: app, done: make(chan error, 1), group: group}
	if q.Kind == KindSourceTable {
		lq.topic = q.Sources[0]
		if lq.catchUp, err = r.endOffsets(lq.topic); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	lq.cancel = cancel
	go func() {
		err := app.Run(ctx)
		if err != nil && !errors.Is(err, context.Canceled) {
			r.log().Error("query stopped", "query", q.ID, "err", err)
		}
		lq.done <- err
	}()
	r.mu.Lock()
	if r.running == nil {
		r.running = map[string]*liveQuery{}
	}
	r.running[q.ID] = lq
	r.mu.Unlock()
	return nil
}

// StopQuery stops a query and waits for it to commit and leave its group.
func (r *LiveRunner) StopQuery(q *Query) error {
	r.mu.Lock()
	lq := r.running[q.ID]
	delete(r.running, q.ID)
	r.mu.Unlock()
	if lq == nil {
		return nil
	}
	lq.cancel()
	select {
	case <-lq.done:
	case <-time.After(30 * time.Second):
		return fmt.Errorf("query %s did not stop within 30s", q.ID)
	}
	return nil
}

// Produce writes one record synchronously.
func (r *LiveRunner) Produce(rec Record) error {
	c, err := r.kafka()
	if err != nil {
		return err
	}
	kr := &kgo.Record{Topic: rec.Topic, Key: rec.Key, Value: rec.Value, Timestamp: time.UnixMilli(rec.Timestamp)}
	for _, h := range rec.Headers {
		kr.Headers = append(kr.Headers, kgo.RecordHeader{Key: h.Key, Value: h.Value})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return c.ProduceSync(ctx, kr).FirstErr()
}

// CreateTopic creates topic unless it exists.
func (r *LiveRunner) CreateTopic(topic string, partitions int) error {
	c, err := r.kafka()
	if err != nil {
		return err
	}
	if partitions < 1 {
		partitions = 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, err := kadm.NewClient(c).CreateTopic(ctx, int32(partitions), 1, nil, topic)
	if err == nil {
		err = resp.Err
	}
	if errors.Is(err, kerr.TopicAlreadyExists) {
		return nil
	}
	return err
}

// Close stops every query and the client.
func (r *LiveRunner) Close() error {
	r.mu.Lock()
	ids := make([]string, 0, len(r.running))
	for id := range r.running {
		ids = append(ids, id)
	}
	r.mu.Unlock()
	var errs []error
	for _, id := range ids {
		errs = append(errs, r.StopQuery(&Query{ID: id}))
	}
	r.mu.Lock()
	if r.client != nil {
		r.client.Close()
		r.client = nil
	}
	r.mu.Unlock()
	return errors.Join(errs...)
}

// Metrics returns the metrics of a running query.
func (r *LiveRunner) Metrics(id string) (runtime.Metrics, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	lq := r.running[id]
	if lq == nil {
		return runtime.Metrics{}, false
	}
	return lq.app.Metrics(), true
}

// ReadTopic reads topic from its beginning to its end offsets at the time of the call,
// every partition (TopicReader), as a read_committed reader: records of aborted
// transactions are not returned. It gives up after 30s.
func (r *LiveRunner) ReadTopic(topic string) ([]Record, error) {
	recs, _, err := r.readTopicFrom(topic, nil)
	return recs, err
}

// readTopicFrom is ReadTopic from the offsets in from (a partition absent from it is read
// from its start); it also returns the offsets the next read starts from (the end offsets
// read to).
func (r *LiveRunner) readTopicFrom(topic string, from map[int32]int64) ([]Record, map[int32]int64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	adm, ends, err := r.listEndOffsets(ctx, topic)
	if err != nil {
		return nil, nil, err
	}
	starts, err := adm.ListStartOffsets(ctx, topic)
	if err != nil {
		return nil, nil, fmt.Errorf("list start offsets of %s: %w", topic, err)
	}
	want := map[int32]kgo.Offset{}
	remaining := map[int32]int64{}
	next := map[int32]int64{}
	var lerr error
	ends.Each(func(o kadm.ListedOffset) {
		if errors.Is(o.Err, kerr.UnknownTopicOrPartition) {
			return // no topic yet: nothing to read
		}
		if o.Err != nil {
			lerr = o.Err
			return
		}
		next[o.Partition] = max(o.Offset, from[o.Partition])
		start, ok := starts.Lookup(topic, o.Partition)
		if !ok || start.Err != nil {
			return
		}
		at := max(start.Offset, from[o.Partition])
		if at >= o.Offset {
			return
		}
		want[o.Partition] = kgo.NewOffset().At(at)
		remaining[o.Partition] = o.Offset
	})
	if lerr != nil {
		return nil, nil, fmt.Errorf("list offsets of %s: %w", topic, lerr)
	}
	if len(want) == 0 {
		return nil, next, nil
	}
	// read_committed, with the transaction markers of exactly-once writers delivered (and
	// skipped below) so that a partition ending in one is read to its end.
	cl, err := kgo.NewClient(kgo.SeedBrokers(r.Brokers...), kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: want}),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()), kgo.KeepControlRecords())
	if err != nil {
		return nil, nil, err
	}
	defer cl.Close()
	var out []Record
	for len(remaining) > 0 {
		fetches := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			return nil, nil, fmt.Errorf("read %s: %w", topic, err)
		}
		if errs := fetches.Errors(); len(errs) > 0 {
			return nil, nil, fmt.Errorf("read %s: %w", topic, errs[0].Err)
		}
		fetches.EachRecord(func(kr *kgo.Record) {
			end, ok := remaining[kr.Partition]
			if !ok || kr.Offset >= end {
				return
			}
			if kr.Offset+1 >= end {
				delete(remaining, kr.Partition)
			}
			if kr.Attrs.IsControl() {
				return
			}
			rec := Record{Topic: topic, Key: kr.Key, Value: kr.Value, Timestamp: kr.Timestamp.UnixMilli()}
			for _, h := range kr.Headers {
				rec.Headers = append(rec.Headers, runtime.Header{Key: h.Key, Value: h.Value})
			}
			out = append(out, rec)
		})
	}
	return out, next, nil
}

var _ TopicReader = (*LiveRunner)(nil)

// runningApp returns the App of a running query that owns partitions of store, or
// ErrStoreUnavailable.
func (r *LiveRunner) runningApp(queryID, store string) (*runtime.App, error) {
	r.mu.Lock()
	lq := r.running[queryID]
	r.mu.Unlock()
	if lq == nil || lq.app.State() != runtime.StateRunning {
		return nil, ErrStoreUnavailable
	}
	ps, err := lq.app.LocalPartitions(store)
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, ErrStoreUnavailable
	}
	if err := r.caughtUp(lq); err != nil {
		return nil, err
	}
	return lq.app, nil
}

// listEndOffsets lists the end offsets of topic's partitions as a read_committed reader
// sees them (the last stable offsets: the end offsets, unless a transaction is open), and
// returns them with the admin client it used.
func (r *LiveRunner) listEndOffsets(ctx context.Context, topic string) (*kadm.Client, kadm.ListedOffsets, error) {
	c, err := r.kafka()
	if err != nil {
		return nil, nil, err
	}
	adm := kadm.NewClient(c)
	ends, err := adm.ListCommittedOffsets(ctx, topic)
	if err != nil {
		return nil, nil, fmt.Errorf("list end offsets of %s: %w", topic, err)
	}
	return adm, ends, nil
}

// endOffsets returns the end offset of every non-empty partition of topic (none when the
// topic does not exist yet).
func (r *LiveRunner) endOffsets(topic string) (map[int32]int64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, ends, err := r.listEndOffsets(ctx, topic)
	if err != nil {
		return nil, err
	}
	out := map[int32]int64{}
	var lerr error
	ends.Each(func(o kadm.ListedOffset) {
		switch {
		case errors.Is(o.Err, kerr.UnknownTopicOrPartition):
		case o.Err != nil:
			lerr = o.Err
		case o.Offset > 0:
			out[o.Partition] = o.Offset
		}
	})
	if lerr != nil {
		return nil, fmt.Errorf("list end offsets of %s: %w", topic, lerr)
	}
	return out, nil
}

// caughtUp returns ErrStoreUnavailable while lq has not committed the offsets of its
// catchUp list, then nil (and forgets the list).
func (r *LiveRunner) caughtUp(lq *liveQuery) error {
	r.mu.Lock()
	want := lq.catchUp
	r.mu.Unlock()
	if want == nil {
		return nil
	}
	c, err := r.kafka()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	got, err := kadm.NewClient(c).FetchOffsets(ctx, lq.group)
	if err != nil {
		return fmt.Errorf("committed offsets of %s: %w", lq.group, err)
	}
	for p, end := range want {
		if o, ok := got.Lookup(lq.topic, p); !ok || o.Err != nil || o.At < end {
			return ErrStoreUnavailable
		}
	}
	r.mu.Lock()
	lq.catchUp = nil
	r.mu.Unlock()
	return nil
}

// wholeStore returns the running App of a query that owns every partition of store, or
// ErrStoreUnavailable when other instances (servers sharing the query) own some: a scan
// of the local partitions would then answer with a part of the table, so the pull query
// reads the table's topic instead.
func (r *LiveRunner) wholeStore(queryID, store string) (*runtime.App, error) {
	app, err := r.runningApp(queryID, store)
	if err != nil {
		return nil, err
	}
	all, err := app.OwnsAllPartitions(store)
	if err != nil {
		return nil, err
	}
	if !all {
		return nil, ErrStoreUnavailable
	}
	return app, nil
}

// StoreGet returns the committed value of key in a query's key-value store, from the
// local partition holding it (StoreReader); ErrStoreUnavailable when another instance
// owns it (the pull query then reads the table's topic).
func (r *LiveRunner) StoreGet(queryID, store string, key []byte) ([]byte, error) {
	app, err := r.runningApp(queryID, store)
	if err != nil {
		return nil, err
	}
	v, err := app.GetLocal(store, key)
	if errors.Is(err, runtime.ErrNotLocal) {
		return nil, ErrStoreUnavailable
	}
	if err == nil && v == nil {
		// Absent here: absent, unless another instance owns partitions of the store.
		if all, aerr := app.OwnsAllPartitions(store); aerr != nil || !all {
			return nil, ErrStoreUnavailable
		}
	}
	return v, err
}

// StoreAll calls fn for every committed entry of a query's key-value store (StoreReader);
// ErrStoreUnavailable unless this instance owns every partition (wholeStore).
func (r *LiveRunner) StoreAll(queryID, store string, fn func(key, value []byte) bool) error {
	app, err := r.wholeStore(queryID, store)
	if err != nil {
		return err
	}
	return app.All(store, fn)
}

// StoreWindowAll calls fn for every committed window of a query's window store
// (StoreReader); ErrStoreUnavailable unless this instance owns every partition.
func (r *LiveRunner) StoreWindowAll(queryID, store string, fn func(key []byte, start int64, value []byte) bool) error {
	app, err := r.wholeStore(queryID, store)
	if err != nil {
		return err
	}
	return app.WindowAll(store, fn)
}

// StoreSessionAll calls fn for every committed session of a query's session store
// (StoreReader); ErrStoreUnavailable unless this instance owns every partition.
func (r *LiveRunner) StoreSessionAll(queryID, store string, fn func(key []byte, start, end int64, value []byte) bool) error {
	app, err := r.wholeStore(queryID, store)
	if err != nil {
		return err
	}
	return app.SessionAll(store, fn)
}

var _ StoreReader = (*LiveRunner)(nil)
