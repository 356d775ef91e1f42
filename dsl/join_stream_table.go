package dsl

import (
	"fmt"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/statestore"
)

// JoinTable joins each record of s with the row of t with the same key (Kafka Streams'
// KStream.join(KTable)): only stream records trigger output, each looking the key up in
// t's store as it is at that moment, and a record whose key t does not hold produces
// nothing. The result has the stream record's key, timestamp and headers and the value
// joiner returns (a nil value is written as a tombstone). Updates of t produce no output.
//
// Records with a nil key or value are dropped and counted (runtime.Metrics.DroppedRecords).
// If an operation upstream may have changed the stream's key (Map, SelectKey, ...), s is
// first repartitioned through "<name>-left-repartition" as GroupByKey would; s must then
// carry its serdes. t is read from its store (TableOf, aggregations); a table with none
// (a Filter or MapTableValues of a table, a windowed table) is materialized first into
// "KTABLE-MATERIALIZE-<counter>-store", and must carry its serdes (WithSerdes). The inputs
// must be co-partitioned: the application refuses to start when the topics of s and t have
// different partition counts.
//
// Options: Named (overriding "KSTREAM-JOIN-<counter>"). The result carries the key serde
// of s.
func JoinTable[K, V, VT, VR any](s Stream[K, V], t Table[K, VT], joiner func(key K, value V, tableValue VT) VR, opts ...Opt) Stream[K, VR] {
	var fn func(K, V, VT, bool) VR
	if joiner != nil {
		fn = func(k K, v V, vt VT, _ bool) VR { return joiner(k, v, vt) }
	}
	return streamTableJoin(s, t, innerJoin, fn, opts)
}

// LeftJoinTable is JoinTable that also emits stream records whose key t does not hold:
// joiner gets found false and the zero VT for them. Options: Named (overriding
// "KSTREAM-LEFTJOIN-<counter>").
func LeftJoinTable[K, V, VT, VR any](s Stream[K, V], t Table[K, VT], joiner func(key K, value V, tableValue VT, found bool) VR, opts ...Opt) Stream[K, VR] {
	return streamTableJoin(s, t, leftJoin, joiner, opts)
}

func streamTableJoin[K, V, VT, VR any](s Stream[K, V], t Table[K, VT], kind joinKind, joiner func(K, V, VT, bool) VR, opts []Opt) Stream[K, VR] {
	op := "join"
	prefix := "KSTREAM-JOIN-"
	if kind == leftJoin {
		op, prefix = "leftJoin", "KSTREAM-LEFTJOIN-"
	}
	b := s.builder(op)
	t.builder(op)
	cfg := configure(opts)
	name := cfg.name
	if name == "" {
		name = b.newName(prefix)
	}
	in := joinInput(s, op, name+"-left")
	n := b.addNamed(op, name, processorNode, in)
	b.check(n, cfg)
	if t.b != b {
		b.failf(n, "the table is from another Builder")
	}
	if joiner == nil {
		b.failf(n, "nil joiner")
	}
	t, view := joinTable(t, n, false)
	n.connect = []string{view.store}
	n.copartition = []*graphNode{in, t.node}
	n.supplier = func() runtime.Processor {
		return &streamTableJoiner[K, V, VT, VR]{view: view, left: kind == leftJoin, joiner: joiner}
	}
	out := derive[K, VR](s, n, false)
	out.keyChanged = false
	out.keySerde, out.keyLost = s.keySerde, s.keyLost
	return out
}

// streamTableJoiner is Kafka Streams' KStreamKTableJoinProcessor.
type streamTableJoiner[K, V, VT, VR any] struct {
	view   tableView[K, VT]
	left   bool
	joiner func(K, V, VT, bool) VR
	ctx    *runtime.ProcessorContext
	kv     *statestore.KeyValue
}

var _ runtime.Processor = (*streamTableJoiner[int, int, int, int])(nil)

func (p *streamTableJoiner[K, V, VT, VR]) Init(ctx *runtime.ProcessorContext) error {
	p.ctx, p.kv = ctx, ctx.KeyValueStore(p.view.store)
	if p.kv == nil {
		return fmt.Errorf("store %q is not connected", p.view.store)
	}
	return nil
}

func (p *streamTableJoiner[K, V, VT, VR]) Close() error { return nil }

func (p *streamTableJoiner[K, V, VT, VR]) Process(r runtime.Record) error {
	if r.Key == nil || r.Value == nil {
		p.ctx.Drop("null key or value in stream-table join with " + p.view.store)
		return nil
	}
	k, v, err := decode[K, V](r)
	if err != nil {
		return err
	}
	vt, _, found, err := p.view.get(p.kv, k)
	if err != nil {
		return err
	}
	if !found && !p.left {
		return nil
	}
	r.Value = toAny(p.joiner(k, v, vt, found))
	p.ctx.Forward(r)
	return nil
}
