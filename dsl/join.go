package dsl

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/serde"
	"github.com/ksqlgo/ksqlgo/statestore"
)

// This file holds what the three kinds of join share: the side tags, the inputs
// (repartitioned when their key may have changed), the tables' stores, and Build's
// wiring of shared stores and copartition groups.
//
// Joiners and absent sides: inner joins call func(key, left, right); left and outer joins
// pass a found flag beside every value that may be absent (func(key, left, right, found)
// and func(key, left, leftFound, right, rightFound)). The flag works for every value
// type (no pointer types needed) and tells "no match" from a zero value, which a nil
// pointer cannot do for a value type and which the SQL planner needs to produce NULL
// columns. An absent side is passed as the zero value with found false.

// joinKind is an inner, left or outer join.
type joinKind int

const (
	innerJoin joinKind = iota
	leftJoin
	outerJoin
)

func (k joinKind) String() string {
	switch k {
	case innerJoin:
		return "join"
	case leftJoin:
		return "leftJoin"
	case outerJoin:
		return "outerJoin"
	}
	return "unknown"
}

// sided is the value a join's side node forwards to the join processor: the record's
// value and the side it came from. Table sides carry a change.
type sided struct {
	left bool
	v    any
}

// sideNode adds the pass-through node that tags the records of one input of join with
// their side ("<name>-this" / "<name>-other" style names are given by the caller).
func (b *Builder) sideNode(op, name string, left bool, parent *graphNode) *graphNode {
	n := b.addNamed(op, name, processorNode, parent)
	n.supplier = runtime.ProcessorFunc(func(ctx *runtime.ProcessorContext, r runtime.Record) error {
		r.Value = sided{left: left, v: r.Value}
		ctx.Forward(r)
		return nil
	}).Supplier()
	return n
}

// sideOf unwraps a record forwarded by a side node.
func sideOf(r runtime.Record) (sided, error) {
	s, ok := r.Value.(sided)
	if !ok {
		return s, fmt.Errorf("join input value is %T, not a join side", r.Value)
	}
	return s, nil
}

// joinInput returns the node a join reads stream s from: s itself, or, when an
// operation upstream may have changed the key, the source of the repartition topic
// "<name>-repartition" that GroupByKey would write (records with a nil key are dropped
// there, as Kafka Streams does).
func joinInput[K, V any](s Stream[K, V], op, name string) *graphNode {
	g := GroupedStream[K, V]{s: s, repartition: s.keyChanged, cfg: &config{}}
	in, _, _ := g.input(op, name)
	return in
}

// tableView is how a join reads a table's store: the store, its serdes and the topic name
// they were called with, and whether values carry a timestamp (aggregation and
// materialized stores) or are the bare serialized value (source tables).
type tableView[K, V any] struct {
	store       string
	topic       string // the serdes' topic argument for the store's keys and values
	ks          serde.Serde[K]
	vs          serde.Serde[V]
	timestamped bool
}

// get reads the value of k and the timestamp of the record that wrote it (-1 when the
// store does not keep timestamps).
func (v tableView[K, V]) get(kv *statestore.KeyValue, k K) (val V, ts int64, found bool, err error) {
	kb, err := v.ks.Serialize(v.topic, k)
	if err != nil {
		return val, 0, false, fmt.Errorf("store %q: serialize key: %w", v.store, err)
	}
	b, err := kv.Get(kb)
	if err != nil || b == nil {
		return val, 0, false, err
	}
	ts = -1
	if v.timestamped {
		if ts, b, err = untimestamped(b); err != nil {
			return val, 0, false, fmt.Errorf("store %q: %w", v.store, err)
		}
	}
	if val, err = v.vs.Deserialize(v.topic, b); err != nil {
		return val, 0, false, fmt.Errorf("store %q: stored value: %w", v.store, err)
	}
	return val, ts, true, nil
}

// storeSpec returns the spec of the store a node of b owns.
func (b *Builder) storeSpec(store string) (runtime.StoreSpec, bool) {
	for _, n := range b.nodes {
		for _, s := range n.stores {
			if s.Name == store {
				return s, true
			}
		}
	}
	return runtime.StoreSpec{}, false
}

// joinTable returns t as a join reads it: t itself with a view of its key-value store,
// or, when t has none (a Filter or MapTableValues of a table, a windowed aggregation's
// window store), t materialized by a new node below it into the key-value store
// "<node>-store" with a changelog. needTS asks for a store that keeps each row's
// timestamp (table-table joins); a source table's store does not, and is then
// materialized again. t must carry its serdes; missing ones are recorded on join.
func joinTable[K, V any](t Table[K, V], join *graphNode, needTS bool) (Table[K, V], tableView[K, V]) {
	b := t.b
	view := tableView[K, V]{store: t.store, topic: t.store, ks: t.keySerde, vs: t.valueSerde, timestamped: true}
	if t.keySerde == nil || t.valueSerde == nil {
		b.failf(join, "the table %s has no key or value serde for the join to read its store: use Table.WithSerdes", t.node)
		return t, view
	}
	if spec, ok := b.storeSpec(t.store); ok && spec.Kind == runtime.KeyValueStore {
		if spec.SourceTopic == "" {
			return t, view
		}
		if !needTS {
			view.topic, view.timestamped = spec.SourceTopic, false
			return t, view
		}
	}
	name := b.newName("KTABLE-MATERIALIZE-")
	store := name + "-store"
	n := b.addNamed("materialize", name, processorNode, t.node)
	n.stores = []runtime.StoreSpec{{Name: store, Kind: runtime.KeyValueStore}}
	ks, vs := serde.Any(t.keySerde), serde.Any(t.valueSerde)
	n.supplier = func() runtime.Processor { return &tableMaterializer{store: store, ks: ks, vs: vs} }
	t.node, t.store = n, store
	view.store, view.topic = store, store
	return t, view
}

// tableMaterializer writes each table update's new value, with its timestamp, to a
// key-value store and forwards the update.
type tableMaterializer struct {
	store  string
	ks, vs serde.Serde[any]
	ctx    *runtime.ProcessorContext
	kv     *statestore.KeyValue
}

var _ runtime.Processor = (*tableMaterializer)(nil)

func (p *tableMaterializer) Init(ctx *runtime.ProcessorContext) error {
	p.ctx, p.kv = ctx, ctx.KeyValueStore(p.store)
	if p.kv == nil {
		return fmt.Errorf("store %q is not connected", p.store)
	}
	return nil
}

func (p *tableMaterializer) Close() error { return nil }

func (p *tableMaterializer) Process(r runtime.Record) error {
	ch, ok := r.Value.(change)
	if !ok {
		return fmt.Errorf("table record value is %T, not a change", r.Value)
	}
	kb, err := p.ks.Serialize(p.store, r.Key)
	if err != nil {
		return fmt.Errorf("store %q: serialize key: %w", p.store, err)
	}
	if ch.new == nil {
		err = p.kv.Delete(kb, r.Timestamp)
	} else {
		var vb []byte
		if vb, err = p.vs.Serialize(p.store, ch.new); err != nil {
			return fmt.Errorf("store %q: serialize value: %w", p.store, err)
		}
		err = p.kv.Put(kb, timestamped(r.Timestamp, vb), r.Timestamp)
	}
	if err != nil {
		return err
	}
	p.ctx.Forward(r)
	return nil
}

// connectJoins gives join processors access to the stores they read but do not own, and
// declares the copartition groups of the joins' inputs. Build calls it once the nodes and
// stores are in t.
func (b *Builder) connectJoins(t *runtime.Topology) error {
	for _, n := range b.nodes {
		for _, store := range n.connect {
			if err := t.ConnectStore(store, n.name); err != nil {
				return fmt.Errorf("%s: %w", n, err)
			}
		}
		if len(n.copartition) == 0 {
			continue
		}
		var topics []string
		for _, in := range n.copartition {
			topics = append(topics, sourceTopics(in)...)
		}
		if err := t.AddCopartitionGroup(topics...); err != nil {
			return fmt.Errorf("%s: %w", n, err)
		}
	}
	return nil
}

// sourceTopics returns the topics of the source nodes above n (n included).
func sourceTopics(n *graphNode) []string {
	var out []string
	seen := map[*graphNode]bool{}
	var visit func(*graphNode)
	visit = func(n *graphNode) {
		if seen[n] {
			return
		}
		seen[n] = true
		if n.kind == sourceNode {
			out = append(out, n.source.Topics...)
		}
		for _, p := range n.parents {
			visit(p)
		}
	}
	visit(n)
	slices.Sort(out)
	return slices.Compact(out)
}

// appendValue appends one value to a list of values: its length as a uvarint, then the
// bytes. Join window stores keep such a list per key and timestamp (Kafka's
// retainDuplicates).
func appendValue(list, v []byte) []byte {
	list = binary.AppendUvarint(list, uint64(len(v)))
	return append(list, v...)
}

// eachValue calls fn for each value of a list made by appendValue.
func eachValue(list []byte, fn func(v []byte) error) error {
	for len(list) > 0 {
		n, w := binary.Uvarint(list)
		if w <= 0 || uint64(len(list)-w) < n {
			return errors.New("corrupt list of join values")
		}
		if err := fn(list[w : w+int(n) : w+int(n)]); err != nil {
			return err
		}
		list = list[w+int(n):]
	}
	return nil
}
