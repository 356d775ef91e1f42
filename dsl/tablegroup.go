package dsl

import (
	"fmt"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/serde"
)

// GroupedTable is a table re-grouped by a new key, ready to aggregate with an adder and a
// subtractor (Kafka Streams' KGroupedTable): when a row changes, its old value is
// subtracted from the aggregate of its old key and its new value added to that of its new
// key.
type GroupedTable[K, V any] struct {
	b     *Builder
	node  *graphNode // the node emitting (new key, change) records
	ks    serde.Serde[K]
	vs    serde.Serde[V]
	cfg   *config
	keyOf func(any) string
}

// TableGroupBy groups the rows of t by a new key and value computed by fn, with ks and vs
// their serdes (the records go through a repartition topic, headers included). Options:
// Named (the repartition topic's name).
func TableGroupBy[K, V, KR, VR any](t Table[K, V], fn func(key K, value V) (KR, VR), ks serde.Serde[KR], vs serde.Serde[VR], opts ...Opt) GroupedTable[KR, VR] {
	return TableGroupByWithContext(t, func(_ RecordContext, k K, v V) (KR, VR) { return fn(k, v) }, ks, vs, opts...)
}

// TableGroupByWithContext is TableGroupBy with fn also given the metadata of the record
// that caused the update (for its new and its old value alike). Options: Named.
func TableGroupByWithContext[K, V, KR, VR any](t Table[K, V], fn func(rc RecordContext, key K, value V) (KR, VR), ks serde.Serde[KR], vs serde.Serde[VR], opts ...Opt) GroupedTable[KR, VR] {
	n := t.processor("groupBy", "KTABLE-SELECT-", nil, func(ctx *runtime.ProcessorContext, r runtime.Record, ch change) error {
		k, err := fromAny[K](r.Key)
		if err != nil {
			return err
		}
		rc := recordContext(ctx, r)
		sel := func(x any) (any, any, error) {
			v, err := fromAny[V](x)
			if err != nil {
				return nil, nil, err
			}
			kr, vr := fn(rc, k, v)
			return toAny(kr), toAny(vr), nil
		}
		var newK, newV, oldK, oldV any
		if ch.new != nil {
			if newK, newV, err = sel(ch.new); err != nil {
				return err
			}
		}
		if ch.old != nil {
			if oldK, oldV, err = sel(ch.old); err != nil {
				return err
			}
		}
		// Same new key: one record carrying both; otherwise subtract from the old key first.
		if ch.new != nil && ch.old != nil && sameKey(ks, newK, oldK) {
			ctx.Forward(runtime.Record{Key: newK, Value: change{new: newV, old: oldV}, Timestamp: r.Timestamp, Headers: r.Headers})
			return nil
		}
		if ch.old != nil && oldK != nil {
			ctx.Forward(runtime.Record{Key: oldK, Value: change{old: oldV}, Timestamp: r.Timestamp, Headers: r.Headers})
		}
		if ch.new != nil && newK != nil {
			ctx.Forward(runtime.Record{Key: newK, Value: change{new: newV}, Timestamp: r.Timestamp, Headers: r.Headers})
		}
		return nil
	})
	return GroupedTable[KR, VR]{b: t.b, node: n, ks: ks, vs: vs, cfg: configure(opts)}
}

func sameKey[K any](ks serde.Serde[K], a, b any) bool {
	if a == nil || b == nil {
		return a == b
	}
	ab, err1 := serde.Any(ks).Serialize("", a)
	bb, err2 := serde.Any(ks).Serialize("", b)
	return err1 == nil && err2 == nil && string(ab) == string(bb)
}

// Count counts the rows per new key. Options: Named (the store name).
func (g GroupedTable[K, V]) Count(opts ...Opt) Table[K, int64] {
	return TableAggregate(g, func() int64 { return 0 },
		func(_ K, _ V, n int64) int64 { return n + 1 },
		func(_ K, _ V, n int64) int64 { return n - 1 }, serde.Int64(), opts...)
}

// Reduce keeps, per new key, adder applied over the values added and subtractor over the
// values removed. Options: Named.
func (g GroupedTable[K, V]) Reduce(adder, subtractor func(agg, value V) V, opts ...Opt) Table[K, V] {
	return tableAggregate(g, "reduce", "KTABLE-REDUCE-", opts, g.vs,
		func(_ K, v V, agg V, first bool) V {
			if first {
				return v
			}
			return adder(agg, v)
		},
		func(_ K, v V, agg V) V { return subtractor(agg, v) })
}

// TableAggregate aggregates the rows per new key: adder folds in added values, subtractor
// folds out removed ones, vs is the aggregate's serde. Options: Named (the store name).
func TableAggregate[K, V, VA any](g GroupedTable[K, V], init func() VA, adder, subtractor func(key K, value V, agg VA) VA, vs serde.Serde[VA], opts ...Opt) Table[K, VA] {
	return tableAggregate(g, "aggregate", "KTABLE-AGGREGATE-", opts, vs,
		func(k K, v V, a VA, first bool) VA {
			if first {
				a = init()
			}
			return adder(k, v, a)
		}, subtractor)
}

func tableAggregate[K, V, VA any](g GroupedTable[K, V], op, prefix string, opts []Opt, vs serde.Serde[VA],
	add func(K, V, VA, bool) VA, sub func(K, V, VA) VA) Table[K, VA] {
	b := g.b
	if b == nil {
		panic("dsl: " + op + " on a zero GroupedTable")
	}
	cfg := configure(opts)
	store := cfg.name
	if store == "" {
		store = b.newName(prefix + "STATE-STORE-")
	}
	name := g.cfg.name
	if name == "" {
		name = store
	}
	f := b.addNamed(op, name+repartitionSuffix+"-filter", processorNode, g.node)
	in := f
	if g.ks == nil || g.vs == nil {
		b.failf(f, "TableGroupBy needs key and value serdes")
		f.supplier = passThrough
	} else {
		in = b.repartition(f, name, serde.Any(g.ks), changeSerde{serde.Any(g.vs)}, 0, nil, true)
	}
	n := b.addNamed(op, prefix+store, processorNode, in)
	b.check(n, cfg, "Cached")
	if vs == nil {
		b.failf(n, "no serde for the aggregate value")
	}
	n.stores = []runtime.StoreSpec{{Name: store, Kind: runtime.KeyValueStore}}
	ks := g.ks
	n.supplier = func() runtime.Processor {
		return &tableAggProcessor[K, V, VA]{aggStore: aggStore[K, VA]{store: store, ks: ks, vs: vs, cache: newRecordCache(cfg.cache)}, add: add, sub: sub}
	}
	return Table[K, VA]{b: b, node: n, keySerde: ks, valueSerde: vs, store: store}
}

// tableAggProcessor aggregates re-grouped table changes: subtract the old value, add the
// new one.
type tableAggProcessor[K, V, VA any] struct {
	aggStore[K, VA]
	add func(K, V, VA, bool) VA
	sub func(K, V, VA) VA
}

func (p *tableAggProcessor[K, V, VA]) Process(r runtime.Record) error {
	if r.Key == nil {
		p.ctx.Drop("null key in table aggregation " + p.store)
		return nil
	}
	ch, ok := r.Value.(change)
	if !ok {
		return fmt.Errorf("table aggregation input is %T, not a change", r.Value)
	}
	k, err := fromAny[K](r.Key)
	if err != nil {
		return err
	}
	kb, err := p.ks.Serialize(p.store, k)
	if err != nil {
		return fmt.Errorf("serialize key: %w", err)
	}
	old, oldTS, found, err := readAgg(p.kv, kb, p.vs, p.store)
	if err != nil {
		return err
	}
	agg, have := old, found
	if ch.old != nil && have {
		v, err := fromAny[V](ch.old)
		if err != nil {
			return err
		}
		agg = p.sub(k, v, agg)
	}
	if ch.new != nil {
		v, err := fromAny[V](ch.new)
		if err != nil {
			return err
		}
		agg = p.add(k, v, agg, !have)
		have = true
	}
	ts := max(r.Timestamp, oldTS)
	if !have {
		return nil
	}
	if err := writeAgg(p.kv, kb, agg, ts, p.vs, p.store); err != nil {
		return err
	}
	out := change{new: toAny(agg)}
	if found {
		out.old = toAny(old)
	}
	p.cache.forward(p.ctx, string(kb), runtime.Record{Key: r.Key, Value: out, Timestamp: ts, Headers: r.Headers})
	return nil
}
