package dsl

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/serde"
	"github.com/ksqlgo/ksqlgo/statestore"
)

// Materialize keeps the latest record of every key of s in a key-value store named store
// and forwards every record unchanged: placed just before To, the store holds what the
// sink topic holds once compacted, ready for interactive queries. The store maps the
// serialized key to EncodeMaterialized(timestamp, serialized value); a null key is not
// stored and a null value (or one that serializes to nil) deletes the key. Keys and values
// are serialized with the serdes of Produced (overriding the ones s carries), with the
// store name as topic, so they are the sink's bytes when the serdes ignore the topic, as
// the SQL formats do. The store has a changelog like any store. Options: Produced, Named
// (overriding "KSTREAM-MATERIALIZE-<counter>").
func (s Stream[K, V]) Materialize(store string, opts ...Opt) Stream[K, V] {
	b := s.builder("materialize")
	cfg := configure(opts)
	n := b.addNode("materialize", "KSTREAM-MATERIALIZE-", processorNode, cfg, s.node)
	b.check(n, cfg, "Produced")
	ks, vs := serdesFor(b, n, cfg, s)
	n.stores = []runtime.StoreSpec{{Name: store, Kind: runtime.KeyValueStore}}
	n.supplier = func() runtime.Processor { return &materializeProcessor{store: store, ks: ks, vs: vs} }
	return s.with(n)
}

// ToMaterialized is Materialize(store) followed by To(topic), with each record serialized
// once: the store and the topic get the same key and value bytes (the serdes are called
// with the topic's name). It ends the stream. Options: Produced, Named (the materialize
// node, overriding "KSTREAM-MATERIALIZE-<counter>").
func (s Stream[K, V]) ToMaterialized(topic, store string, opts ...Opt) {
	b := s.builder("toMaterialized")
	cfg := configure(opts)
	n := b.addNode("toMaterialized", "KSTREAM-MATERIALIZE-", processorNode, cfg, s.node)
	b.check(n, cfg, "Produced")
	if topic == "" {
		b.failf(n, "empty topic name")
	}
	ks, vs := serdesFor(b, n, cfg, s)
	n.stores = []runtime.StoreSpec{{Name: store, Kind: runtime.KeyValueStore}}
	n.supplier = func() runtime.Processor {
		return &materializeProcessor{store: store, ks: ks, vs: vs, topic: topic}
	}
	sink := b.addNode("to", "KSTREAM-SINK-", sinkNode, &config{}, n)
	sink.sink.Topic = topic // nil serdes: the records carry the serialized bytes
}

// materializeProcessor writes each record to its store, then forwards it: as it is, or,
// when topic is set, as the bytes it serialized with topic as the serdes' topic.
type materializeProcessor struct {
	store  string
	ks, vs serde.Serde[any]
	topic  string
	ctx    *runtime.ProcessorContext
	kv     *statestore.KeyValue
}

var _ runtime.Processor = (*materializeProcessor)(nil)

func (p *materializeProcessor) Init(ctx *runtime.ProcessorContext) error {
	p.ctx, p.kv = ctx, ctx.KeyValueStore(p.store)
	if p.kv == nil {
		return fmt.Errorf("store %q is not connected", p.store)
	}
	return nil
}

func (p *materializeProcessor) Close() error { return nil }

func (p *materializeProcessor) Process(r runtime.Record) error {
	topic := p.store
	if p.topic != "" {
		topic = p.topic
	}
	kb, err := p.ks.Serialize(topic, r.Key)
	if err != nil {
		return fmt.Errorf("materialize into store %q: serialize key: %w", p.store, err)
	}
	var vb []byte
	if r.Value != nil {
		if vb, err = p.vs.Serialize(topic, r.Value); err != nil {
			return fmt.Errorf("materialize into store %q: serialize value: %w", p.store, err)
		}
	}
	if len(kb) > 0 {
		if vb == nil {
			err = p.kv.Delete(kb, r.Timestamp)
		} else {
			err = p.kv.Put(kb, EncodeMaterialized(r.Timestamp, vb), r.Timestamp)
		}
		if err != nil {
			return err
		}
	}
	if p.topic != "" {
		r.Key, r.Value = nil, nil
		if kb != nil {
			r.Key = kb
		}
		if vb != nil {
			r.Value = vb
		}
	}
	p.ctx.Forward(r)
	return nil
}

// EncodeMaterialized is the store value Materialize writes: the record timestamp (8 bytes,
// big endian) then the serialized value.
func EncodeMaterialized(ts int64, value []byte) []byte {
	out := make([]byte, 8+len(value))
	binary.BigEndian.PutUint64(out, uint64(ts))
	copy(out[8:], value)
	return out
}

// DecodeMaterialized splits a store value written by Materialize into the record
// timestamp and the serialized value (non-nil, possibly empty). The aggregations' stores
// hold their aggregates in the same layout.
func DecodeMaterialized(b []byte) (ts int64, value []byte, err error) {
	if len(b) < 8 {
		return 0, nil, errors.New("materialized value shorter than its 8-byte timestamp")
	}
	return int64(binary.BigEndian.Uint64(b)), b[8:], nil
}
