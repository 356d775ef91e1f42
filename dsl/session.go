package dsl

import (
	"bytes"
	"fmt"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/serde"
	"github.com/ksqlgo/ksqlgo/statestore"
)

// SessionWindowedStream is a grouped stream cut into session windows, ready to aggregate
// per key and session (Kafka Streams' SessionWindowedKStream). Make one with
// GroupedStream.WindowedBySession.
type SessionWindowedStream[K, V any] struct {
	g GroupedStream[K, V]
	w Sessions
}

// WindowedBySession cuts g into the session windows w for a session aggregation:
// SessionCount, SessionReduce or SessionAggregate.
func (g GroupedStream[K, V]) WindowedBySession(w Sessions) SessionWindowedStream[K, V] {
	g.s.builder("windowedBy")
	return SessionWindowedStream[K, V]{g: g, w: w}
}

// SessionCount counts the records per key and session (see SessionAggregate). Options:
// Named (the store name, overriding "KSTREAM-AGGREGATE-STATE-STORE-<counter>").
// SessionCount, SessionReduce and SessionAggregate are functions for the reason given at
// WindowedCount.
func SessionCount[K, V any](ss SessionWindowedStream[K, V], opts ...Opt) Table[Windowed[K], int64] {
	return SessionAggregate(ss, func() int64 { return 0 },
		func(_ K, _ V, n int64) int64 { return n + 1 },
		func(_ K, a, b int64) int64 { return a + b },
		serde.Int64(), opts...)
}

// SessionReduce combines the values per key and session with fn, which also merges the
// aggregates of sessions that a record joins (the first value of a session is taken as
// is). It needs the stream's value serde for its store. Options: Named (the store name,
// overriding "KSTREAM-REDUCE-STATE-STORE-<counter>").
func SessionReduce[K, V any](ss SessionWindowedStream[K, V], fn func(agg, value V) V, opts ...Opt) Table[Windowed[K], V] {
	b := ss.g.s.builder("reduce")
	cfg := configure(opts)
	store := cfg.name
	if store == "" {
		store = b.newName("KSTREAM-REDUCE-STATE-STORE-")
	}
	t := sessionAggregate(ss, "reduce", "KSTREAM-REDUCE-", store, cfg, ss.g.s.valueSerde, sessionFns[K, V, V]{
		init: func() (V, bool) { var zero V; return zero, false },
		add: func(_ K, v V, agg V, has bool) V {
			if !has {
				return v
			}
			return fn(agg, v)
		},
		merge: func(_ K, agg V, has bool, session V) V {
			if !has {
				return session
			}
			return fn(agg, session)
		},
	})
	if fn == nil {
		b.failf(t.node, "nil reducer")
	}
	return t
}

// SessionAggregate folds the values per key and session into an aggregate of type VA,
// with vs the serde of VA for the session store and its changelog. A record at ts joins
// every session of its key that ends at or after ts - gap and starts at or before
// ts + gap; the aggregate starts from init(), merges theirs in with merger (in order of
// session end), then folds the record in with agg, and the merged session spans from the
// earliest start to the latest end (Kafka Streams' KStreamSessionWindowAggregate).
//
// The result is a table keyed by Windowed[K] with [Start, End] the session. When a record
// joins existing sessions (the merged session is not just [ts, ts]), each of them is
// removed and a delete goes downstream for it (new value nil, old value its aggregate,
// timestamp its end); then the merged session's update (old value nil, timestamp its end).
//
// Records with a nil key or value are dropped and counted (runtime.Metrics.DroppedRecords).
// So are late records, as in Kafka Streams: with observed the largest record timestamp
// the aggregation has seen, a record is dropped when the merged session it would make ends
// before observed - inactivity gap - grace (end + gap + grace < observed: a record at
// observed could no longer have joined it). A session that expired from the
// store (end <= the store's stream time - retention) is gone: later records no longer
// join it.
//
// Options: Named (the store name, overriding "KSTREAM-AGGREGATE-STATE-STORE-<counter>").
func SessionAggregate[K, V, VA any](ss SessionWindowedStream[K, V], init func() VA, agg func(key K, value V, aggregate VA) VA,
	merger func(key K, agg1, agg2 VA) VA, vs serde.Serde[VA], opts ...Opt) Table[Windowed[K], VA] {
	b := ss.g.s.builder("aggregate")
	cfg := configure(opts)
	store := cfg.name
	if store == "" {
		store = b.newName("KSTREAM-AGGREGATE-STATE-STORE-")
	}
	t := sessionAggregate(ss, "aggregate", "KSTREAM-AGGREGATE-", store, cfg, vs, sessionFns[K, V, VA]{
		init:  func() (VA, bool) { return init(), true },
		add:   func(k K, v V, a VA, _ bool) VA { return agg(k, v, a) },
		merge: func(k K, a VA, _ bool, s VA) VA { return merger(k, a, s) },
	})
	if init == nil || agg == nil || merger == nil {
		b.failf(t.node, "nil initializer, aggregator or merger")
	}
	return t
}

// sessionFns are the functions of a session aggregation; has says whether the aggregate
// holds a value yet (Reduce starts with none).
type sessionFns[K, V, VA any] struct {
	init  func() (VA, bool)
	add   func(k K, v V, agg VA, has bool) VA
	merge func(k K, agg VA, has bool, session VA) VA
}

func sessionAggregate[K, V, VA any](ss SessionWindowedStream[K, V], op, prefix, store string, cfg *config, vs serde.Serde[VA],
	fns sessionFns[K, V, VA]) Table[Windowed[K], VA] {
	b := ss.g.s.builder(op)
	in, ks, _ := ss.g.input(op, store)
	n := b.addNamed(op, prefix+store, processorNode, in)
	b.check(n, cfg)
	w := ss.w
	if err := w.check(store); err != nil {
		b.failf(n, "%v", err)
	}
	if ks == nil {
		b.failf(n, "no key serde for the store: %s; use WithSerdes before grouping", lost(ss.g.s.keyLost))
	}
	if vs == nil {
		b.failf(n, "no serde for the aggregate value")
	}
	n.stores = []runtime.StoreSpec{{Name: store, Kind: runtime.SessionStore, Retention: w.Retention()}}
	n.supplier = func() runtime.Processor {
		return &sessionProcessor[K, V, VA]{store: store, ks: ks, vs: vs, fns: fns, gap: w.gap, grace: w.grace, observed: -1}
	}
	var keySerde serde.Serde[Windowed[K]]
	if ks != nil {
		keySerde = SessionWindowedSerde(ks)
	}
	return Table[Windowed[K], VA]{b: b, node: n, keySerde: keySerde, valueSerde: vs, store: store}
}

// sessionProcessor aggregates into session windows. Session values are stored with
// their timestamp like other aggregates ([8-byte ms][value]); the timestamp is the
// session end.
type sessionProcessor[K, V, VA any] struct {
	store      string
	ks         serde.Serde[K]
	vs         serde.Serde[VA]
	fns        sessionFns[K, V, VA]
	gap, grace int64
	ctx        *runtime.ProcessorContext
	ss         *statestore.SessionStore
	observed   int64 // the largest record timestamp seen, -1 before the first
}

var _ runtime.Processor = (*sessionProcessor[int, int, int])(nil)

func (p *sessionProcessor[K, V, VA]) Init(ctx *runtime.ProcessorContext) error {
	p.ctx, p.ss = ctx, ctx.SessionStore(p.store)
	if p.ss == nil {
		return fmt.Errorf("session store %q is not connected", p.store)
	}
	return nil
}

func (p *sessionProcessor[K, V, VA]) Close() error { return nil }

type storedSession struct {
	start, end int64
	value      []byte
}

func (p *sessionProcessor[K, V, VA]) decode(b []byte) (VA, error) {
	var agg VA
	_, vb, err := untimestamped(b)
	if err != nil {
		return agg, fmt.Errorf("store %q: %w", p.store, err)
	}
	if agg, err = p.vs.Deserialize(p.store, vb); err != nil {
		return agg, fmt.Errorf("store %q: stored value: %w", p.store, err)
	}
	return agg, nil
}

func (p *sessionProcessor[K, V, VA]) Process(r runtime.Record) error {
	k, v, kb, ok, err := aggInput[K, V](p.ctx, p.ks, p.store, "session aggregation", r)
	if !ok || err != nil {
		return err
	}
	ts := r.Timestamp
	p.observed = max(p.observed, ts)
	closeTime := p.observed - p.gap - p.grace

	var found []storedSession
	if err := p.ss.FindSessions(kb, ts-p.gap, ts+p.gap, func(start, end int64, value []byte) bool {
		found = append(found, storedSession{start, end, bytes.Clone(value)})
		return true
	}); err != nil {
		return err
	}
	agg, has := p.fns.init()
	start, end := ts, ts
	olds := make([]VA, len(found))
	for i, s := range found {
		if olds[i], err = p.decode(s.value); err != nil {
			return err
		}
		// Decode again for the merge: the merger may change its arguments in place.
		sv, err := p.decode(s.value)
		if err != nil {
			return err
		}
		agg, has = p.fns.merge(k, agg, has, sv), true
		start, end = min(start, s.start), max(end, s.end)
	}
	if end < closeTime {
		p.ctx.Drop(fmt.Sprintf("record at %d for closed session [%d,%d] of %s (window close time %d)", ts, start, end, p.store, closeTime))
		return nil
	}
	if start != ts || end != ts {
		for i, s := range found {
			if err := p.ss.Remove(kb, s.start, s.end, ts); err != nil {
				return err
			}
			p.ctx.Forward(runtime.Record{
				Key:       Windowed[K]{Key: k, Start: s.start, End: s.end},
				Value:     change{old: toAny(olds[i])},
				Timestamp: s.end,
				Headers:   r.Headers,
			})
		}
	}
	agg = p.fns.add(k, v, agg, has)
	if toAny(agg) == nil {
		// A nil aggregate deletes the session; only a session [ts, ts] found and not
		// reported above still needs its delete downstream.
		if err := p.ss.Remove(kb, start, end, ts); err != nil {
			return err
		}
		if start == ts && end == ts && len(found) > 0 {
			p.ctx.Forward(runtime.Record{
				Key:       Windowed[K]{Key: k, Start: start, End: end},
				Value:     change{old: toAny(olds[0])},
				Timestamp: end,
				Headers:   r.Headers,
			})
		}
		return nil
	}
	vb, err := p.vs.Serialize(p.store, agg)
	if err != nil {
		return fmt.Errorf("store %q: serialize aggregate: %w", p.store, err)
	}
	if err := p.ss.Put(kb, start, end, timestamped(end, vb), ts); err != nil {
		return err
	}
	p.ctx.Forward(runtime.Record{
		Key:       Windowed[K]{Key: k, Start: start, End: end},
		Value:     change{new: toAny(agg)},
		Timestamp: end,
		Headers:   r.Headers,
	})
	return nil
}
