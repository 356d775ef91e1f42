package dsl

import (
	"fmt"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/serde"
	"github.com/ksqlgo/ksqlgo/statestore"
)

// GroupedStream is a stream grouped by key, ready to aggregate (Kafka Streams'
// KGroupedStream). If the key may have changed upstream, the aggregation first writes the
// records to a repartition topic so that all records of a key meet in one task.
type GroupedStream[K, V any] struct {
	s           Stream[K, V]
	repartition bool
	cfg         *config
}

// GroupByKey groups s by its key, through a repartition topic only if an operation
// upstream may have changed the key (ProcessValues, Filter and MapValues do not). Options:
// Named (the repartition topic's name, if one is needed). The stream must carry its serdes
// (or get them with WithSerdes).
func (s Stream[K, V]) GroupByKey(opts ...Opt) GroupedStream[K, V] {
	s.builder("groupByKey")
	return GroupedStream[K, V]{s: s, repartition: s.keyChanged, cfg: configure(opts)}
}

// GroupBy groups s by a new key computed by fn, with ks its serde; records are
// repartitioned by the new key before they are aggregated. Options: Named.
func GroupBy[K, V, KR any](s Stream[K, V], fn func(key K, value V) KR, ks serde.Serde[KR], opts ...Opt) GroupedStream[KR, V] {
	rekeyed := SelectKey(s, fn).WithSerdes(ks, s.valueSerde)
	rekeyed.valueLost = s.valueLost
	return GroupedStream[KR, V]{s: rekeyed, repartition: true, cfg: configure(opts)}
}

// input returns the node the aggregate reads from: s itself, or the source of a
// repartition topic named after the store. Records with a nil key or value are dropped
// (and counted) by the aggregate itself.
func (g GroupedStream[K, V]) input(op, store string) (*graphNode, serde.Serde[K], serde.Serde[V]) {
	b := g.s.builder(op)
	if !g.repartition {
		return g.s.node, g.s.keySerde, g.s.valueSerde
	}
	name := g.cfg.name
	if name == "" {
		name = store
	}
	f := b.addNamed(op, name+repartitionSuffix+"-filter", processorNode, g.s.node)
	if g.s.keySerde == nil || g.s.valueSerde == nil {
		b.failf(f, "grouping needs the stream's serdes to repartition it: use WithSerdes before grouping")
		f.supplier = passThrough
		return f, g.s.keySerde, g.s.valueSerde
	}
	return b.repartition(f, name, serde.Any(g.s.keySerde), serde.Any(g.s.valueSerde), 0, nil, true),
		g.s.keySerde, g.s.valueSerde
}

// Count counts the records per key. Records with a nil key or value are dropped and
// counted (runtime.Metrics.DroppedRecords), as Kafka Streams does. Options: Named (the
// store name, overriding "KSTREAM-AGGREGATE-STATE-STORE-<counter>").
func (g GroupedStream[K, V]) Count(opts ...Opt) Table[K, int64] {
	return Aggregate(g, func() int64 { return 0 }, func(_ K, _ V, n int64) int64 { return n + 1 }, serde.Int64(), opts...)
}

// Reduce combines the values per key with fn (the first value is taken as is). It needs
// the stream's value serde for its store. Options: Named.
func (g GroupedStream[K, V]) Reduce(fn func(agg, value V) V, opts ...Opt) Table[K, V] {
	b := g.s.builder("reduce")
	cfg := configure(opts)
	store := cfg.name
	if store == "" {
		store = b.newName("KSTREAM-REDUCE-STATE-STORE-")
	}
	return aggregate(g, "reduce", "KSTREAM-REDUCE-", store, cfg, g.s.valueSerde,
		func(_ K, v V, agg V, first bool) V {
			if first {
				return v
			}
			return fn(agg, v)
		})
}

// Aggregate folds the values per key into an aggregate of type VA, starting from init(),
// with vs the serde of VA for the store and its changelog. Records with a nil key or value
// are dropped and counted. Options: Named (the store name).
func Aggregate[K, V, VA any](g GroupedStream[K, V], init func() VA, agg func(key K, value V, aggregate VA) VA, vs serde.Serde[VA], opts ...Opt) Table[K, VA] {
	b := g.s.builder("aggregate")
	cfg := configure(opts)
	store := cfg.name
	if store == "" {
		store = b.newName("KSTREAM-AGGREGATE-STATE-STORE-")
	}
	return aggregate(g, "aggregate", "KSTREAM-AGGREGATE-", store, cfg, vs,
		func(k K, v V, a VA, first bool) VA {
			if first {
				a = init()
			}
			return agg(k, v, a)
		})
}

func aggregate[K, V, VA any](g GroupedStream[K, V], op, prefix, store string, cfg *config, vs serde.Serde[VA],
	fn func(k K, v V, agg VA, first bool) VA) Table[K, VA] {
	b := g.s.builder(op)
	in, ks, _ := g.input(op, store)
	n := b.addNamed(op, prefix+store, processorNode, in)
	b.check(n, cfg, "Cached")
	if cfg.cache < 0 {
		b.failf(n, "Cached: negative size %d", cfg.cache)
	}
	if ks == nil {
		b.failf(n, "no key serde for the store: %s; use WithSerdes before grouping", lost(g.s.keyLost))
	}
	if vs == nil {
		b.failf(n, "no serde for the aggregate value")
	}
	n.stores = []runtime.StoreSpec{{Name: store, Kind: runtime.KeyValueStore}}
	n.supplier = func() runtime.Processor {
		return &aggProcessor[K, V, VA]{aggStore: aggStore[K, VA]{store: store, ks: ks, vs: vs, cache: newRecordCache(cfg.cache)}, fn: fn}
	}
	return Table[K, VA]{b: b, node: n, keySerde: ks, valueSerde: vs, store: store}
}

// aggStore is what every key-value aggregation processor shares: its store, the serdes of
// its key and aggregate, and its record cache.
type aggStore[K, VA any] struct {
	store string
	ks    serde.Serde[K]
	vs    serde.Serde[VA]
	ctx   *runtime.ProcessorContext
	kv    *statestore.KeyValue
	cache *recordCache
}

func (a *aggStore[K, VA]) Init(ctx *runtime.ProcessorContext) error {
	a.ctx, a.kv = ctx, ctx.KeyValueStore(a.store)
	if a.kv == nil {
		return fmt.Errorf("store %q is not connected", a.store)
	}
	return nil
}

// Flush forwards the updates the record cache held back.
func (a *aggStore[K, VA]) Flush() error { a.cache.flush(a.ctx); return nil }

func (a *aggStore[K, VA]) Close() error { return nil }

// aggProcessor is the processor of stream aggregations: per record, read the key's
// aggregate (with the timestamp of its last update), fold the value in, write it back,
// and forward the change. The result's timestamp is the largest input timestamp so far.
type aggProcessor[K, V, VA any] struct {
	aggStore[K, VA]
	fn func(K, V, VA, bool) VA
}

var _ runtime.Flusher = (*aggProcessor[int, int, int])(nil)

func (p *aggProcessor[K, V, VA]) Process(r runtime.Record) error {
	k, v, kb, ok, err := aggInput[K, V](p.ctx, p.ks, p.store, "aggregation", r)
	if !ok || err != nil {
		return err
	}
	old, oldTS, found, err := readAgg(p.kv, kb, p.vs, p.store)
	if err != nil {
		return err
	}
	agg := p.fn(k, v, old, !found)
	ts := max(r.Timestamp, oldTS)
	if err := writeAgg(p.kv, kb, agg, ts, p.vs, p.store); err != nil {
		return err
	}
	ch := change{new: toAny(agg)}
	if found {
		ch.old = toAny(old)
	}
	p.cache.forward(p.ctx, string(kb), runtime.Record{Key: r.Key, Value: ch, Timestamp: ts, Headers: r.Headers})
	return nil
}

// readAgg reads a timestamped aggregate.
func readAgg[VA any](kv *statestore.KeyValue, kb []byte, vs serde.Serde[VA], store string) (agg VA, ts int64, found bool, err error) {
	b, err := kv.Get(kb)
	if err != nil || b == nil {
		return agg, 0, false, err
	}
	ts, vb, err := untimestamped(b)
	if err != nil {
		return agg, 0, false, fmt.Errorf("store %q: %w", store, err)
	}
	if agg, err = vs.Deserialize(store, vb); err != nil {
		return agg, 0, false, fmt.Errorf("store %q: stored value: %w", store, err)
	}
	return agg, ts, true, nil
}

// writeAgg writes a timestamped aggregate; a nil aggregate (toAny) deletes the key.
func writeAgg[VA any](kv *statestore.KeyValue, kb []byte, agg VA, ts int64, vs serde.Serde[VA], store string) error {
	if toAny(agg) == nil {
		return kv.Delete(kb, ts)
	}
	vb, err := vs.Serialize(store, agg)
	if err != nil {
		return fmt.Errorf("store %q: serialize aggregate: %w", store, err)
	}
	return kv.Put(kb, timestamped(ts, vb), ts)
}

// aggInput is the start of every stream aggregation: a record with a nil key or value is
// dropped and counted (ok false), as Kafka Streams does; otherwise its key and value are
// decoded and the key serialized for store. kind names the aggregation in the drop reason.
func aggInput[K, V any](ctx *runtime.ProcessorContext, ks serde.Serde[K], store, kind string, r runtime.Record) (k K, v V, kb []byte, ok bool, err error) {
	if r.Key == nil || r.Value == nil {
		ctx.Drop("null key or value in " + kind + " " + store)
		return k, v, nil, false, nil
	}
	if k, v, err = decode[K, V](r); err != nil {
		return k, v, nil, false, err
	}
	if kb, err = ks.Serialize(store, k); err != nil {
		return k, v, nil, false, fmt.Errorf("serialize key: %w", err)
	}
	return k, v, kb, true, nil
}
