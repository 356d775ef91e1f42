package dsl

import (
	"fmt"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/serde"
	"github.com/ksqlgo/ksqlgo/statestore"
)

// Table is a changelog stream seen as a table: for each key, the latest value (Kafka
// Streams' KTable). It comes from a topic (TableOf) or from an aggregation. Its records
// downstream are updates: one per input record, with the new value and the value it
// replaced, so that a later re-grouping can subtract the old value. A nil value deletes.
type Table[K, V any] struct {
	b          *Builder
	node       *graphNode
	keySerde   serde.Serde[K]
	valueSerde serde.Serde[V]
	store      string // the store holding the table's current values ("" if not materialized)
}

// StoreName is the state store that holds the table's values, for interactive queries
// ("" for a table computed on the fly, such as a Filter of a table).
func (t Table[K, V]) StoreName() string { return t.store }

func (t Table[K, V]) builder(op string) *Builder {
	if t.b == nil {
		panic(fmt.Sprintf("dsl: %s on a zero Table", op))
	}
	return t.b
}

// TableOf reads topic as a Table: each record upserts its key, a record with a null value
// (a tombstone) deletes it, and records with a null key are dropped and counted. The
// table is materialized in a key-value store that uses the topic itself as its changelog
// (no extra topic). Options: Named (the store name, overriding "<topic>-STATE-STORE-<counter>").
func TableOf[K, V any](b *Builder, topic string, c Serdes[K, V], opts ...Opt) Table[K, V] {
	cfg := configure(opts)
	storeName := cfg.name
	if storeName == "" {
		storeName = b.newName(topic + "-STATE-STORE-")
	}
	src := StreamOf(b, topic, c)
	n := b.addNamed("table", "KTABLE-SOURCE-"+storeName, processorNode, src.node)
	b.check(n, cfg)
	n.stores = []runtime.StoreSpec{{Name: storeName, Kind: runtime.KeyValueStore, SourceTopic: topic}}
	ks, vs := c.Key, c.Value
	n.supplier = func() runtime.Processor {
		return &tableSource[K, V]{store: storeName, topic: topic, ks: ks, vs: vs}
	}
	return Table[K, V]{b: b, node: n, keySerde: c.Key, valueSerde: c.Value, store: storeName}
}

type tableSource[K, V any] struct {
	store, topic string
	ks           serde.Serde[K]
	vs           serde.Serde[V]
	ctx          *runtime.ProcessorContext
	kv           *statestore.KeyValue
}

func (p *tableSource[K, V]) Init(ctx *runtime.ProcessorContext) error {
	p.ctx, p.kv = ctx, ctx.KeyValueStore(p.store)
	if p.kv == nil {
		return fmt.Errorf("store %q is not connected", p.store)
	}
	return nil
}

func (p *tableSource[K, V]) Process(r runtime.Record) error {
	if r.Key == nil {
		p.ctx.Drop("null key for table " + p.store)
		return nil
	}
	k, err := fromAny[K](r.Key)
	if err != nil {
		return fmt.Errorf("key: %w", err)
	}
	kb, err := p.ks.Serialize(p.topic, k)
	if err != nil {
		return fmt.Errorf("serialize key: %w", err)
	}
	ob, err := p.kv.Get(kb)
	if err != nil {
		return err
	}
	var old any
	if ob != nil {
		if old, err = serde.Any(p.vs).Deserialize(p.topic, ob); err != nil {
			return fmt.Errorf("stored value: %w", err)
		}
	}
	var nb []byte
	if r.Value != nil {
		if nb, err = serde.Any(p.vs).Serialize(p.topic, r.Value); err != nil {
			return fmt.Errorf("serialize value: %w", err)
		}
	}
	if old == nil && r.Value == nil {
		return nil // deleting an absent key changes nothing
	}
	if err := p.kv.Put(kb, nb, r.Timestamp); err != nil {
		return err
	}
	r.Value = change{new: r.Value, old: old}
	p.ctx.Forward(r)
	return nil
}

func (p *tableSource[K, V]) Close() error { return nil }

// tableProcessor adds a processor below t that maps each change.
func (t Table[K, V]) processor(op, prefix string, opts []Opt, fn func(ctx *runtime.ProcessorContext, r runtime.Record, ch change) error) *graphNode {
	b := t.builder(op)
	cfg := configure(opts)
	n := b.addNode(op, prefix, processorNode, cfg, t.node)
	b.check(n, cfg)
	n.supplier = runtime.ProcessorFunc(func(ctx *runtime.ProcessorContext, r runtime.Record) error {
		ch, ok := r.Value.(change)
		if !ok {
			return fmt.Errorf("table record value is %T, not a change", r.Value)
		}
		return fn(ctx, r, ch)
	}).Supplier()
	return n
}

// Filter keeps the rows for which pred is true. A row that stops matching is deleted
// downstream (Kafka Streams' KTable.filter semantics). Options: Named.
func (t Table[K, V]) Filter(pred func(key K, value V) bool, opts ...Opt) Table[K, V] {
	return t.FilterWithContext(func(_ RecordContext, k K, v V) bool { return pred(k, v) }, opts...)
}

// FilterWithContext is Filter with pred also given the metadata of the record that caused
// the update (for its new and its old value alike). Options: Named.
func (t Table[K, V]) FilterWithContext(pred func(rc RecordContext, key K, value V) bool, opts ...Opt) Table[K, V] {
	n := t.processor("filter", "KTABLE-FILTER-", opts, func(ctx *runtime.ProcessorContext, r runtime.Record, ch change) error {
		k, err := fromAny[K](r.Key)
		if err != nil {
			return err
		}
		rc := recordContext(ctx, r)
		keep := func(x any) (any, error) {
			if x == nil {
				return nil, nil
			}
			v, err := fromAny[V](x)
			if err != nil {
				return nil, err
			}
			if pred(rc, k, v) {
				return x, nil
			}
			return nil, nil
		}
		nv, err := keep(ch.new)
		if err != nil {
			return err
		}
		ov, err := keep(ch.old)
		if err != nil {
			return err
		}
		if nv == nil && ov == nil {
			return nil
		}
		r.Value = change{new: nv, old: ov}
		ctx.Forward(r)
		return nil
	})
	return Table[K, V]{b: t.b, node: n, keySerde: t.keySerde, valueSerde: t.valueSerde}
}

// MapTableValues maps every value of t (new and old) with fn. Options: Named.
func MapTableValues[K, V, VR any](t Table[K, V], fn func(key K, value V) VR, opts ...Opt) Table[K, VR] {
	return MapTableValuesWithContext(t, func(_ RecordContext, k K, v V) VR { return fn(k, v) }, opts...)
}

// MapTableValuesWithContext is MapTableValues with fn also given the metadata of the
// record that caused the update (for its new and its old value alike). Options: Named.
func MapTableValuesWithContext[K, V, VR any](t Table[K, V], fn func(rc RecordContext, key K, value V) VR, opts ...Opt) Table[K, VR] {
	n := t.processor("mapValues", "KTABLE-MAPVALUES-", opts, func(ctx *runtime.ProcessorContext, r runtime.Record, ch change) error {
		k, err := fromAny[K](r.Key)
		if err != nil {
			return err
		}
		rc := recordContext(ctx, r)
		m := func(x any) (any, error) {
			if x == nil {
				return nil, nil
			}
			v, err := fromAny[V](x)
			if err != nil {
				return nil, err
			}
			return toAny(fn(rc, k, v)), nil
		}
		var out change
		if out.new, err = m(ch.new); err != nil {
			return err
		}
		if out.old, err = m(ch.old); err != nil {
			return err
		}
		r.Value = out
		ctx.Forward(r)
		return nil
	})
	return Table[K, VR]{b: t.b, node: n, keySerde: t.keySerde}
}

// ToStream returns the table's updates as a stream: the new value of each update, nil
// (a tombstone) for deletes. Options: Named.
func (t Table[K, V]) ToStream(opts ...Opt) Stream[K, V] {
	n := t.processor("toStream", "KTABLE-TOSTREAM-", opts, func(ctx *runtime.ProcessorContext, r runtime.Record, ch change) error {
		r.Value = ch.new
		ctx.Forward(r)
		return nil
	})
	return Stream[K, V]{b: t.b, node: n, keySerde: t.keySerde, valueSerde: t.valueSerde}
}

// WithSerdes returns t carrying the given serdes (nil keeps the current one).
func (t Table[K, V]) WithSerdes(key serde.Serde[K], value serde.Serde[V]) Table[K, V] {
	if key != nil {
		t.keySerde = key
	}
	if value != nil {
		t.valueSerde = value
	}
	return t
}
