package dsl

import (
	"fmt"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/statestore"
)

// JoinTables joins two tables on their key (Kafka Streams' KTable.join(KTable)): the
// result holds joiner(key, l, r) for every key both tables hold. An update on either side
// looks the key up in the other side's store and forwards the new joined value and the
// one it replaces; a delete on either side deletes the joined row. The timestamp of each
// update is the larger of the timestamps of the two rows joined.
//
// Both tables are read from their stores: tables with none, and source tables (TableOf,
// whose store keeps no timestamps), are materialized first into
// "KTABLE-MATERIALIZE-<counter>-store" with a changelog, so both must carry their serdes.
// The tables' topics must be co-partitioned, as for JoinTable.
//
// The result is computed on the fly (StoreName is ""); joining it again materializes it.
// It carries the left table's key serde: give it a value serde with WithSerdes. Options:
// Named (the base of the node names, overriding "KTABLE-JOINTHIS-<counter>" and
// "KTABLE-JOINOTHER-<counter>" for the two sides and "KTABLE-MERGE-<counter>" for the
// join).
func JoinTables[K, V1, V2, VR any](left Table[K, V1], right Table[K, V2], joiner func(key K, left V1, right V2) VR, opts ...Opt) Table[K, VR] {
	var fn func(K, V1, bool, V2, bool) VR
	if joiner != nil {
		fn = func(k K, l V1, _ bool, r V2, _ bool) VR { return joiner(k, l, r) }
	}
	return tableTableJoin(left, right, innerJoin, fn, opts)
}

// LeftJoinTables is JoinTables keeping every row of left: a key right does not hold
// joins with found false and the zero V2, and a delete on the right side turns the joined
// row back into such a left-only row. Options as for JoinTables.
func LeftJoinTables[K, V1, V2, VR any](left Table[K, V1], right Table[K, V2], joiner func(key K, left V1, right V2, found bool) VR, opts ...Opt) Table[K, VR] {
	var fn func(K, V1, bool, V2, bool) VR
	if joiner != nil {
		fn = func(k K, l V1, _ bool, r V2, found bool) VR { return joiner(k, l, r, found) }
	}
	return tableTableJoin(left, right, leftJoin, fn, opts)
}

// OuterJoinTables is JoinTables keeping every row of both tables: the side a key is
// missing from is passed as its zero value with its found flag false; a row is deleted
// only when neither side holds its key. Options as for JoinTables.
func OuterJoinTables[K, V1, V2, VR any](left Table[K, V1], right Table[K, V2], joiner func(key K, left V1, leftFound bool, right V2, rightFound bool) VR, opts ...Opt) Table[K, VR] {
	return tableTableJoin(left, right, outerJoin, joiner, opts)
}

func tableTableJoin[K, V1, V2, VR any](left Table[K, V1], right Table[K, V2], kind joinKind, joiner func(K, V1, bool, V2, bool) VR, opts []Opt) Table[K, VR] {
	op := "table" + kind.String()
	b := left.builder(op)
	right.builder(op)
	cfg := configure(opts)
	thisName, otherName, name := cfg.name+"-this", cfg.name+"-other", cfg.name
	if cfg.name == "" {
		thisName, otherName, name = b.newName("KTABLE-JOINTHIS-"), b.newName("KTABLE-JOINOTHER-"), b.newName("KTABLE-MERGE-")
	}
	// The join node is made first to carry the errors; its parents are linked below.
	n := b.addNamed(op, name, processorNode)
	b.check(n, cfg)
	if right.b != b {
		b.failf(n, "the right table is from another Builder")
		return Table[K, VR]{b: b, node: n}
	}
	if joiner == nil {
		b.failf(n, "nil joiner")
	}
	left, lv := joinTable(left, n, true)
	right, rv := joinTable(right, n, true)
	this := b.sideNode(op, thisName, true, left.node)
	other := b.sideNode(op, otherName, false, right.node)
	n.parents = []*graphNode{this, other}
	this.children = append(this.children, n)
	other.children = append(other.children, n)
	n.connect = []string{lv.store, rv.store}
	n.copartition = []*graphNode{left.node, right.node}
	n.supplier = func() runtime.Processor {
		return &tableTableJoiner[K, V1, V2, VR]{left: lv, right: rv, kind: kind, joiner: joiner}
	}
	return Table[K, VR]{b: b, node: n, keySerde: left.keySerde}
}

// tableTableJoiner is Kafka Streams' KTableKTable{Inner,Left,Outer}Join and their
// mirrored "right" processors in one: it knows the side of each update from its side node.
type tableTableJoiner[K, V1, V2, VR any] struct {
	left   tableView[K, V1]
	right  tableView[K, V2]
	kind   joinKind
	joiner func(K, V1, bool, V2, bool) VR
	ctx    *runtime.ProcessorContext
	lkv    *statestore.KeyValue
	rkv    *statestore.KeyValue
}

var _ runtime.Processor = (*tableTableJoiner[int, int, int, int])(nil)

func (p *tableTableJoiner[K, V1, V2, VR]) Init(ctx *runtime.ProcessorContext) error {
	p.ctx, p.lkv, p.rkv = ctx, ctx.KeyValueStore(p.left.store), ctx.KeyValueStore(p.right.store)
	if p.lkv == nil || p.rkv == nil {
		return fmt.Errorf("store %q or %q is not connected", p.left.store, p.right.store)
	}
	return nil
}

func (p *tableTableJoiner[K, V1, V2, VR]) Close() error { return nil }

func (p *tableTableJoiner[K, V1, V2, VR]) Process(r runtime.Record) error {
	s, err := sideOf(r)
	if err != nil {
		return err
	}
	ch, ok := s.v.(change)
	if !ok {
		return fmt.Errorf("table record value is %T, not a change", s.v)
	}
	k, err := fromAny[K](r.Key)
	if err != nil {
		return fmt.Errorf("key: %w", err)
	}
	var out change
	var otherTS int64
	var found bool
	if s.left {
		var v2 V2
		if v2, otherTS, found, err = p.right.get(p.rkv, k); err != nil {
			return err
		}
		j := func(x any) (any, error) {
			v1, err := fromAny[V1](x)
			if err != nil {
				return nil, fmt.Errorf("value: %w", err)
			}
			return toAny(p.joiner(k, v1, x != nil, v2, found)), nil
		}
		out, err = p.joinChange(ch, found, p.kind != innerJoin, p.kind == outerJoin, j)
	} else {
		var v1 V1
		if v1, otherTS, found, err = p.left.get(p.lkv, k); err != nil {
			return err
		}
		j := func(x any) (any, error) {
			v2, err := fromAny[V2](x)
			if err != nil {
				return nil, fmt.Errorf("value: %w", err)
			}
			return toAny(p.joiner(k, v1, found, v2, x != nil)), nil
		}
		out, err = p.joinChange(ch, found, p.kind == outerJoin, p.kind != innerJoin, j)
	}
	if err != nil || out.new == nil && out.old == nil {
		return err
	}
	if found {
		r.Timestamp = max(r.Timestamp, otherTS)
	}
	r.Value = out
	p.ctx.Forward(r)
	return nil
}

// joinChange joins an update (new and old value) of one side with the other side's row
// (found: the other side holds the key). keepThis says the join keeps this side's rows
// without a match (left side of a left join, both sides of an outer join); keepOther
// says it keeps the other side's rows without a match on this side. As in Kafka Streams
// the old joined value is computed with the other side's current row.
func (p *tableTableJoiner[K, V1, V2, VR]) joinChange(ch change, found, keepThis, keepOther bool, join func(any) (any, error)) (change, error) {
	var out change
	if !found && !keepThis {
		return out, nil // the key has no joined row, before or after
	}
	// A value of this side joins when present (with the other row, or alone if kept);
	// an absent one still yields the other side's row alone when that is kept.
	joins := func(x any) bool { return x != nil || found && keepOther }
	var err error
	if joins(ch.new) {
		if out.new, err = join(ch.new); err != nil {
			return out, err
		}
	}
	if joins(ch.old) {
		if out.old, err = join(ch.old); err != nil {
			return out, err
		}
	}
	return out, nil
}
