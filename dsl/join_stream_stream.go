package dsl

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/serde"
	"github.com/ksqlgo/ksqlgo/statestore"
)

// JoinStreams joins two streams within windows w (Kafka Streams' KStream.join(KStream,
// JoinWindows)): each record joins every record of the other stream with the same key
// whose timestamp is in its window (see JoinWindows), in both directions, so each pair is
// emitted once, when its second record arrives. The result has the key, the value joiner
// returns, and the larger of the two timestamps.
//
// Each side keeps its records in a window store with a changelog,
// "KSTREAM-JOINTHIS-<counter>-store" (left) and "KSTREAM-JOINOTHER-<counter>-store"
// (right), for Before + After + Grace of stream time; the join's stream time is the
// largest timestamp it has seen on either side. Records with a nil key or value are
// dropped and counted (runtime.Metrics.DroppedRecords). A late record (its window ended
// more than Grace before the stream time) is not dropped, as in Kafka Streams: it joins
// what the other side's store still holds, but is not kept in its own store once that
// store's retention has passed it. A side whose key may have changed upstream is
// repartitioned first ("<name>-left-repartition", "<name>-right-repartition"); both
// streams must carry their key and value serdes (WithSerdes), and their topics must be
// co-partitioned.
//
// Options: Named (the base of the node and store names, overriding "KSTREAM-JOINTHIS-",
// "KSTREAM-JOINOTHER-" and "KSTREAM-MERGE-<counter>"). The result carries the left key
// serde.
func JoinStreams[K, V1, V2, VR any](left Stream[K, V1], right Stream[K, V2], joiner func(key K, left V1, right V2) VR, w JoinWindows, opts ...Opt) Stream[K, VR] {
	var fn func(K, V1, bool, V2, bool) VR
	if joiner != nil {
		fn = func(k K, l V1, _ bool, r V2, _ bool) VR { return joiner(k, l, r) }
	}
	return streamStreamJoin(left, right, innerJoin, fn, w, opts)
}

// LeftJoinStreams is JoinStreams that also emits each left record that joined no right
// record, with found false and the zero V2, at its own timestamp, once its window has
// closed: when the join's stream time passes ts + After + Grace (Kafka Streams 3.1 and
// later). Until then it waits in the store "KSTREAM-OUTERSHARED-<counter>-store" (with a
// changelog); a left record that finds a match before is never emitted unmatched. A left
// record whose window has already ended when it arrives (out of order) is emitted at
// once, and so is every unmatched left record with JoinWindows.EmitUnmatchedEagerly.
// Options as for JoinStreams.
func LeftJoinStreams[K, V1, V2, VR any](left Stream[K, V1], right Stream[K, V2], joiner func(key K, left V1, right V2, found bool) VR, w JoinWindows, opts ...Opt) Stream[K, VR] {
	var fn func(K, V1, bool, V2, bool) VR
	if joiner != nil {
		fn = func(k K, l V1, _ bool, r V2, found bool) VR { return joiner(k, l, r, found) }
	}
	return streamStreamJoin(left, right, leftJoin, fn, w, opts)
}

// OuterJoinStreams is LeftJoinStreams for both sides: unmatched right records are emitted
// too (leftFound false, the zero V1) once their window closes, when stream time passes
// ts + Before + Grace. Options as for JoinStreams.
func OuterJoinStreams[K, V1, V2, VR any](left Stream[K, V1], right Stream[K, V2], joiner func(key K, left V1, leftFound bool, right V2, rightFound bool) VR, w JoinWindows, opts ...Opt) Stream[K, VR] {
	return streamStreamJoin(left, right, outerJoin, joiner, w, opts)
}

func streamStreamJoin[K, V1, V2, VR any](left Stream[K, V1], right Stream[K, V2], kind joinKind, joiner func(K, V1, bool, V2, bool) VR, w JoinWindows, opts []Opt) Stream[K, VR] {
	op := "stream" + kind.String()
	b := left.builder(op)
	right.builder(op)
	cfg := configure(opts)
	thisName, otherName, name, outerName := cfg.name+"-this", cfg.name+"-other", cfg.name, cfg.name+"-outer"
	if cfg.name == "" {
		thisName, otherName = b.newName("KSTREAM-JOINTHIS-"), b.newName("KSTREAM-JOINOTHER-")
		name = b.newName("KSTREAM-MERGE-")
		outerName = b.newName("KSTREAM-OUTERSHARED-")
	}
	n := b.addNamed(op, name, processorNode)
	b.check(n, cfg)
	if right.b != b {
		b.failf(n, "the right stream is from another Builder")
		return derive[K, VR](left, n, false)
	}
	if joiner == nil {
		b.failf(n, "nil joiner")
	}
	if err := w.validate(); err != nil {
		b.failf(n, "%v", err)
	}
	if left.keySerde == nil || left.valueSerde == nil || right.valueSerde == nil {
		b.failf(n, "the join stores need the key serde and both value serdes: %s; use WithSerdes before joining",
			lost(firstNonEmpty(left.keyLost, left.valueLost, right.valueLost)))
	}
	lin := joinInput(left, op, name+"-left")
	rin := joinInput(right, op, name+"-right")
	this := b.sideNode(op, thisName, true, lin)
	other := b.sideNode(op, otherName, false, rin)
	n.parents = []*graphNode{this, other}
	this.children = append(this.children, n)
	other.children = append(other.children, n)
	n.copartition = []*graphNode{lin, rin}
	wm := w.ms()
	st := ssStores{this: thisName + "-store", other: otherName + "-store"}
	n.stores = []runtime.StoreSpec{
		{Name: st.this, Kind: runtime.WindowStore, Retention: wm.retention(), OwnStreamTime: true},
		{Name: st.other, Kind: runtime.WindowStore, Retention: wm.retention(), OwnStreamTime: true},
	}
	if kind != innerJoin && !w.EmitUnmatchedEagerly {
		st.outer = outerName + "-store"
		n.stores = append(n.stores, runtime.StoreSpec{Name: st.outer, Kind: runtime.KeyValueStore})
	}
	ks, vs1, vs2 := left.keySerde, left.valueSerde, right.valueSerde
	n.supplier = func() runtime.Processor {
		return &streamStreamJoiner[K, V1, V2, VR]{st: st, w: wm, kind: kind, joiner: joiner, ks: ks, vs1: vs1, vs2: vs2,
			observed: math.MinInt64, minOuter: -1}
	}
	out := derive[K, VR](left, n, false)
	out.keyChanged = false
	out.keySerde, out.keyLost = left.keySerde, left.keyLost
	return out
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// ssStores names the stores of a stream-stream join (outer is "" for inner joins).
type ssStores struct{ this, other, outer string }

// streamStreamJoiner is Kafka Streams' KStreamKStreamJoin (both sides in one processor,
// with the shared time tracker and outer-join store of Kafka Streams 3.1 and later).
//
// The window stores hold, per key and timestamp, the list of values seen (Kafka's
// retainDuplicates). The outer store holds the records still without a match, keyed by
// timestamp (8 bytes big endian), side (0 left, 1 right) and serialized key, so that a
// scan in key order meets them in time order; its values are lists too.
type streamStreamJoiner[K, V1, V2, VR any] struct {
	st       ssStores
	w        joinWindowsMs
	kind     joinKind
	joiner   func(K, V1, bool, V2, bool) VR
	ks       serde.Serde[K]
	vs1      serde.Serde[V1]
	vs2      serde.Serde[V2]
	ctx      *runtime.ProcessorContext
	this     *statestore.Window
	other    *statestore.Window
	outer    *statestore.KeyValue // nil for inner joins
	observed int64                // the join's stream time; math.MinInt64 before the first record
	// minOuter is a lower bound of the timestamps in the outer store (math.MaxInt64: it is
	// empty), -1 when unknown (after a restart), to skip scanning it.
	minOuter int64
}

var _ runtime.Processor = (*streamStreamJoiner[int, int, int, int])(nil)

func (p *streamStreamJoiner[K, V1, V2, VR]) Init(ctx *runtime.ProcessorContext) error {
	p.ctx, p.this, p.other = ctx, ctx.WindowStore(p.st.this), ctx.WindowStore(p.st.other)
	if p.this == nil || p.other == nil {
		return fmt.Errorf("window store %q or %q is not connected", p.st.this, p.st.other)
	}
	if p.st.outer != "" {
		if p.outer = ctx.KeyValueStore(p.st.outer); p.outer == nil {
			return fmt.Errorf("store %q is not connected", p.st.outer)
		}
	}
	return nil
}

func (p *streamStreamJoiner[K, V1, V2, VR]) Close() error { return nil }

// lookBack is how long after its timestamp a record of a side can still be joined: its
// window ends at ts + lookBack.
func (p *streamStreamJoiner[K, V1, V2, VR]) lookBack(left bool) int64 {
	if left {
		return p.w.after
	}
	return p.w.before
}

func (p *streamStreamJoiner[K, V1, V2, VR]) Process(r runtime.Record) error {
	s, err := sideOf(r)
	if err != nil {
		return err
	}
	if r.Key == nil || s.v == nil {
		p.ctx.Drop("null key or value in stream-stream join " + p.st.this)
		return nil
	}
	k, err := fromAny[K](r.Key)
	if err != nil {
		return fmt.Errorf("key: %w", err)
	}
	ts := r.Timestamp
	if p.observed == math.MinInt64 {
		// After a restart: the stores' stream time, restored with them.
		p.observed = max(p.this.ObservedStreamTime(), p.other.ObservedStreamTime())
	}
	p.observed = max(p.observed, ts)
	if p.outer != nil && ts == p.observed {
		if err := p.emitClosed(); err != nil {
			return err
		}
	}
	kb, err := p.ks.Serialize(p.st.this, k)
	if err != nil {
		return fmt.Errorf("serialize key: %w", err)
	}
	own, otherStore, from, to := p.this, p.other, ts-p.w.before, ts+p.w.after
	var vb []byte
	var v1 V1
	var v2 V2
	if s.left {
		if v1, err = fromAny[V1](s.v); err != nil {
			return fmt.Errorf("value: %w", err)
		}
		if vb, err = p.vs1.Serialize(p.st.this, v1); err != nil {
			return fmt.Errorf("serialize value: %w", err)
		}
	} else {
		own, otherStore, from, to = p.other, p.this, ts-p.w.after, ts+p.w.before
		if v2, err = fromAny[V2](s.v); err != nil {
			return fmt.Errorf("value: %w", err)
		}
		if vb, err = p.vs2.Serialize(p.st.other, v2); err != nil {
			return fmt.Errorf("serialize value: %w", err)
		}
	}
	if err := appendWindow(own, kb, ts, vb); err != nil {
		return err
	}

	// Join with the other side's records in the window.
	type match struct {
		ts    int64
		value []byte
	}
	var matches []match
	var derr error
	err = otherStore.Fetch(kb, max(0, from), max(0, to), func(start int64, list []byte) bool {
		derr = eachValue(list, func(v []byte) error {
			matches = append(matches, match{start, bytes.Clone(v)})
			return nil
		})
		return derr == nil
	})
	if err = errors.Join(err, derr); err != nil {
		return fmt.Errorf("join store %q: %w", p.st.this, err)
	}
	var prev int64 = -1
	for _, m := range matches {
		if p.outer != nil && m.ts != prev {
			// The other record has a match now: it must not be emitted unmatched.
			if err := p.deleteOuter(m.ts, !s.left, kb); err != nil {
				return err
			}
			prev = m.ts
		}
		var out any
		if s.left {
			o, err := p.vs2.Deserialize(p.st.other, m.value)
			if err != nil {
				return fmt.Errorf("join store %q: stored value: %w", p.st.other, err)
			}
			out = toAny(p.joiner(k, v1, true, o, true))
		} else {
			o, err := p.vs1.Deserialize(p.st.this, m.value)
			if err != nil {
				return fmt.Errorf("join store %q: stored value: %w", p.st.this, err)
			}
			out = toAny(p.joiner(k, o, true, v2, true))
		}
		p.ctx.Forward(runtime.Record{Key: r.Key, Value: out, Timestamp: max(ts, m.ts), Headers: r.Headers})
	}
	if len(matches) > 0 || p.kind == innerJoin || p.kind == leftJoin && !s.left {
		return nil
	}
	// Emitted at once: every unmatched record with EmitUnmatchedEagerly, and one whose
	// window has already closed (it arrived out of order, after the join's stream time
	// passed its window end; Kafka Streams does not hold it back either).
	if p.w.eager || ts+p.lookBack(s.left) < p.observed {
		var out any
		if s.left {
			var none V2
			out = toAny(p.joiner(k, v1, true, none, false))
		} else {
			var none V1
			out = toAny(p.joiner(k, none, false, v2, true))
		}
		p.ctx.Forward(runtime.Record{Key: r.Key, Value: out, Timestamp: ts, Headers: r.Headers})
		return nil
	}
	// No match yet: wait in the outer store until the record's window closes.
	okb := outerKey(ts, s.left, kb)
	old, err := p.outer.Get(okb)
	if err != nil {
		return err
	}
	if err := p.outer.Put(okb, appendValue(bytes.Clone(old), vb), ts); err != nil {
		return err
	}
	if p.minOuter == math.MaxInt64 || p.minOuter > ts {
		p.minOuter = ts
	}
	return nil
}

// appendWindow adds value to the list of the window store at (kb, ts).
func appendWindow(ws *statestore.Window, kb []byte, ts int64, value []byte) error {
	old, err := ws.Get(kb, ts)
	if err != nil {
		return err
	}
	return ws.Put(kb, ts, appendValue(bytes.Clone(old), value), ts)
}

// outerKey is the outer store's key of the records of side left at ts with key kb.
func outerKey(ts int64, left bool, kb []byte) []byte {
	out := binary.BigEndian.AppendUint64(make([]byte, 0, 9+len(kb)), uint64(ts))
	side := byte(1)
	if left {
		side = 0
	}
	return append(append(out, side), kb...)
}

func (p *streamStreamJoiner[K, V1, V2, VR]) deleteOuter(ts int64, left bool, kb []byte) error {
	okb := outerKey(ts, left, kb)
	old, err := p.outer.Get(okb)
	if err != nil || old == nil {
		return err
	}
	return p.outer.Delete(okb, ts)
}

// emitClosed emits the records of the outer store whose window has closed (stream time
// past ts + lookBack + grace) as unmatched, in timestamp order, and deletes them.
func (p *streamStreamJoiner[K, V1, V2, VR]) emitClosed() error {
	minLook := min(p.w.before, p.w.after)
	if p.kind == leftJoin {
		minLook = p.w.after // only left records wait
	}
	if p.minOuter == math.MaxInt64 || p.minOuter >= 0 && p.minOuter+minLook+p.w.grace >= p.observed {
		return nil
	}
	type entry struct {
		key, list []byte
	}
	var due []entry
	next := int64(math.MaxInt64)
	err := p.outer.All(func(key, value []byte) bool {
		if len(key) < 9 {
			return true // not ours; reported nowhere, skipped
		}
		ts := int64(binary.BigEndian.Uint64(key))
		if ts+minLook+p.w.grace >= p.observed {
			next = min(next, ts)
			return false
		}
		if ts+p.lookBack(key[8] == 0)+p.w.grace >= p.observed {
			next = min(next, ts)
			return true
		}
		due = append(due, entry{bytes.Clone(key), bytes.Clone(value)})
		return true
	})
	if err != nil {
		return err
	}
	p.minOuter = next
	for _, e := range due {
		ts := int64(binary.BigEndian.Uint64(e.key))
		left := e.key[8] == 0
		k, err := p.ks.Deserialize(p.st.this, e.key[9:])
		if err != nil {
			return fmt.Errorf("outer join store %q: stored key: %w", p.st.outer, err)
		}
		if err := eachValue(e.list, func(vb []byte) error {
			var out any
			if left {
				v1, err := p.vs1.Deserialize(p.st.this, vb)
				if err != nil {
					return err
				}
				var v2 V2
				out = toAny(p.joiner(k, v1, true, v2, false))
			} else {
				v2, err := p.vs2.Deserialize(p.st.other, vb)
				if err != nil {
					return err
				}
				var v1 V1
				out = toAny(p.joiner(k, v1, false, v2, true))
			}
			p.ctx.Forward(runtime.Record{Key: toAny(k), Value: out, Timestamp: ts})
			return nil
		}); err != nil {
			return fmt.Errorf("outer join store %q: stored value: %w", p.st.outer, err)
		}
		if err := p.outer.Delete(e.key, ts); err != nil {
			return err
		}
	}
	return nil
}
