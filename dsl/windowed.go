package dsl

import (
	"bytes"
	"fmt"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/serde"
	"github.com/ksqlgo/ksqlgo/statestore"
)

// WindowedStream is a grouped stream cut into time windows, ready to aggregate per key and
// window (Kafka Streams' TimeWindowedKStream and SlidingWindowedKStream). Make one with
// GroupedStream.WindowedBy.
type WindowedStream[K, V any] struct {
	g     GroupedStream[K, V]
	w     Windows
	final bool // EmitOnWindowClose
}

// WindowedBy cuts g into the time windows w (tumbling, hopping or sliding) for a windowed
// aggregation: WindowedCount, WindowedReduce or WindowedAggregate.
func (g GroupedStream[K, V]) WindowedBy(w Windows) WindowedStream[K, V] {
	g.s.builder("windowedBy")
	return WindowedStream[K, V]{g: g, w: w}
}

// WindowedCount counts the records per key and window. The result is a table keyed by
// Windowed[K] with one update per window a record changes (see WindowedAggregate).
// Options: Named (the store name, overriding "KSTREAM-AGGREGATE-STATE-STORE-<counter>").
//
// WindowedCount, WindowedReduce and WindowedAggregate are functions, not methods of
// WindowedStream, because a method of WindowedStream[K, V] returning a Table[Windowed[K], _]
// would make an instantiation cycle (Table[K, V] has methods returning GroupedStream[K, _]).
func WindowedCount[K, V any](ws WindowedStream[K, V], opts ...Opt) Table[Windowed[K], int64] {
	return WindowedAggregate(ws, func() int64 { return 0 }, func(_ K, _ V, n int64) int64 { return n + 1 }, serde.Int64(), opts...)
}

// WindowedReduce combines the values per key and window with fn (the first value of a
// window is taken as is). It needs the stream's value serde for its store. Options: Named
// (the store name, overriding "KSTREAM-REDUCE-STATE-STORE-<counter>").
func WindowedReduce[K, V any](ws WindowedStream[K, V], fn func(agg, value V) V, opts ...Opt) Table[Windowed[K], V] {
	b := ws.g.s.builder("reduce")
	cfg := configure(opts)
	store := cfg.name
	if store == "" {
		store = b.newName("KSTREAM-REDUCE-STATE-STORE-")
	}
	t := windowedAggregate(ws, "reduce", "KSTREAM-REDUCE-", store, cfg, ws.g.s.valueSerde,
		func(_ K, v V, agg V, first bool) V {
			if first {
				return v
			}
			return fn(agg, v)
		})
	if fn == nil {
		b.failf(t.node, "nil reducer")
	}
	return t
}

// WindowedAggregate folds the values per key and window into an aggregate of type VA,
// each window starting from init(), with vs the serde of VA for the window store and its
// changelog. The result is a table keyed by Windowed[K]: every record updates each window
// it falls in, and each update goes downstream with the window's new and old aggregate and
// the largest timestamp of the window's records. An aggregate for which agg returns a nil
// value (a nil pointer, slice or map) deletes its window.
//
// Records with a nil key or value are dropped and counted (runtime.Metrics.DroppedRecords).
// So are late records: as in Kafka Streams, each aggregation keeps its observed stream
// time (the largest record timestamp it has seen) and a window [start, end) is closed
// once end <= observed - grace; a record counts as one dropped record for each of its
// windows that is closed, and still updates those that are open. Sliding windows follow
// Kafka Streams' KStreamSlidingWindowAggregate: a record at ts with ts + timeDifference <
// observed - grace is dropped whole (counted once); otherwise every window it touches
// with end <= observed - grace is skipped and counted.
//
// Options: Named (the store name, overriding "KSTREAM-AGGREGATE-STATE-STORE-<counter>";
// it also names the processor and, if needed, the repartition topic).
func WindowedAggregate[K, V, VA any](ws WindowedStream[K, V], init func() VA, agg func(key K, value V, aggregate VA) VA, vs serde.Serde[VA], opts ...Opt) Table[Windowed[K], VA] {
	b := ws.g.s.builder("aggregate")
	cfg := configure(opts)
	store := cfg.name
	if store == "" {
		store = b.newName("KSTREAM-AGGREGATE-STATE-STORE-")
	}
	t := windowedAggregate(ws, "aggregate", "KSTREAM-AGGREGATE-", store, cfg, vs,
		func(k K, v V, a VA, first bool) VA {
			if first {
				a = init()
			}
			return agg(k, v, a)
		})
	if init == nil || agg == nil {
		b.failf(t.node, "nil initializer or aggregator")
	}
	return t
}

func windowedAggregate[K, V, VA any](ws WindowedStream[K, V], op, prefix, store string, cfg *config, vs serde.Serde[VA],
	fn func(k K, v V, agg VA, first bool) VA) Table[Windowed[K], VA] {
	b := ws.g.s.builder(op)
	in, ks, _ := ws.g.input(op, store)
	n := b.addNamed(op, prefix+store, processorNode, in)
	b.check(n, cfg)
	w := ws.w
	if err := w.check(store); err != nil {
		b.failf(n, "%v", err)
	}
	if ks == nil {
		b.failf(n, "no key serde for the store: %s; use WithSerdes before grouping", lost(ws.g.s.keyLost))
	}
	if vs == nil {
		b.failf(n, "no serde for the aggregate value")
	}
	retention := w.Retention()
	if ws.final {
		if w.kind == sliding {
			b.failf(n, "EmitOnWindowClose is not supported for sliding windows")
		}
		// The store keeps windows an advance longer than the emission sees them (see
		// emitClosed), so that its own expiry on stream time never hides one.
		retention += w.Advance()
	}
	n.stores = []runtime.StoreSpec{{Name: store, Kind: runtime.WindowStore, Retention: retention}}
	n.supplier = func() runtime.Processor {
		wa := windowAgg[K, V, VA]{store: store, ks: ks, vs: vs, fn: fn, w: w, observed: -1, final: ws.final, maxStart: -1, lastEmit: -1}
		if w.kind == sliding {
			return &slidingProcessor[K, V, VA]{windowAgg: wa}
		}
		return &timeWindowProcessor[K, V, VA]{windowAgg: wa}
	}
	var keySerde serde.Serde[Windowed[K]]
	if ks != nil {
		keySerde = WindowedSerde(ks, w.Size())
	}
	return Table[Windowed[K], VA]{b: b, node: n, keySerde: keySerde, valueSerde: vs, store: store}
}

// windowAgg is what the time-window and sliding-window processors share: the store, the
// serdes, the fold function and the observed stream time.
type windowAgg[K, V, VA any] struct {
	store    string
	ks       serde.Serde[K]
	vs       serde.Serde[VA]
	fn       func(K, V, VA, bool) VA
	w        Windows
	ctx      *runtime.ProcessorContext
	ws       *statestore.Window
	observed int64 // the largest record timestamp seen, -1 before the first (Kafka's observedStreamTime)
	// EmitOnWindowClose: updates are not forwarded; closed windows are (see emitClosed).
	final    bool
	maxStart int64 // the largest window start written, -1 before the first
	lastEmit int64 // the window close time of the last emission, -1 before the first
}

func (p *windowAgg[K, V, VA]) Init(ctx *runtime.ProcessorContext) error {
	p.ctx, p.ws = ctx, ctx.WindowStore(p.store)
	if p.ws == nil {
		return fmt.Errorf("window store %q is not connected", p.store)
	}
	return nil
}

func (p *windowAgg[K, V, VA]) Close() error { return nil }

// start decodes r and advances the observed stream time. ok is false when r was dropped
// for a nil key or value.
func (p *windowAgg[K, V, VA]) start(r runtime.Record) (k K, v V, kb []byte, ok bool, err error) {
	if k, v, kb, ok, err = aggInput[K, V](p.ctx, p.ks, p.store, "windowed aggregation", r); !ok || err != nil {
		return k, v, kb, ok, err
	}
	p.observed = max(p.observed, r.Timestamp)
	return k, v, kb, true, nil
}

// dropLate counts a record skipped for the closed window [start, end].
func (p *windowAgg[K, V, VA]) dropLate(ts, start, end, closeTime int64) {
	p.ctx.Drop(fmt.Sprintf("record at %d for closed window [%d,%d] of %s (window close time %d)", ts, start, end, p.store, closeTime))
}

// update folds v into the window [start, end] whose current aggregate is agg (first:
// none yet, start from the initializer) with timestamp aggTS, writes it and forwards the
// change. old is the window's previous value for the change (nil: the window is new).
func (p *windowAgg[K, V, VA]) update(r runtime.Record, k K, v V, kb []byte, start, end int64, agg VA, first bool, aggTS int64, old any) error {
	newAgg := p.fn(k, v, agg, first)
	ts := r.Timestamp
	if !first {
		ts = max(ts, aggTS)
	}
	if err := p.put(kb, start, newAgg, ts); err != nil {
		return err
	}
	p.maxStart = max(p.maxStart, start)
	if p.final || toAny(newAgg) == nil && old == nil {
		return nil // deleting a window that did not exist changes nothing
	}
	p.ctx.Forward(runtime.Record{
		Key:       Windowed[K]{Key: k, Start: start, End: end},
		Value:     change{new: toAny(newAgg), old: old},
		Timestamp: ts,
		Headers:   r.Headers,
	})
	return nil
}

// put writes a timestamped window aggregate; a nil aggregate (toAny) deletes the window.
func (p *windowAgg[K, V, VA]) put(kb []byte, start int64, agg VA, ts int64) error {
	if toAny(agg) == nil {
		return p.ws.Put(kb, start, nil, ts)
	}
	vb, err := p.vs.Serialize(p.store, agg)
	if err != nil {
		return fmt.Errorf("store %q: serialize aggregate: %w", p.store, err)
	}
	return p.ws.Put(kb, start, timestamped(ts, vb), ts)
}

// decodeAgg decodes a timestamped window value.
func (p *windowAgg[K, V, VA]) decodeAgg(b []byte) (VA, int64, error) {
	var agg VA
	ts, vb, err := untimestamped(b)
	if err != nil {
		return agg, 0, fmt.Errorf("store %q: %w", p.store, err)
	}
	if agg, err = p.vs.Deserialize(p.store, vb); err != nil {
		return agg, 0, fmt.Errorf("store %q: stored value: %w", p.store, err)
	}
	return agg, ts, nil
}

// timeWindowProcessor aggregates into tumbling and hopping windows (Kafka Streams'
// KStreamWindowAggregate).
type timeWindowProcessor[K, V, VA any] struct {
	windowAgg[K, V, VA]
}

var _ runtime.Processor = (*timeWindowProcessor[int, int, int])(nil)

func (p *timeWindowProcessor[K, V, VA]) Process(r runtime.Record) error {
	k, v, kb, ok, err := p.start(r)
	if !ok {
		return err
	}
	ts := r.Timestamp
	closeTime := p.observed - p.w.grace
	size, advance := p.w.size, p.w.advance
	// Kafka's TimeWindows.windowsFor: every start k*advance >= 0 with start <= ts < start+size.
	for start := max(0, ts-size+advance) / advance * advance; start <= ts; start += advance {
		end := start + size
		if end <= closeTime {
			p.dropLate(ts, start, end, closeTime)
			continue
		}
		b, err := p.ws.Get(kb, start)
		if err != nil {
			return err
		}
		var agg VA
		var aggTS int64
		var old any
		if b != nil {
			if agg, aggTS, err = p.decodeAgg(b); err != nil {
				return err
			}
			old = toAny(agg)
		}
		if err := p.update(r, k, v, kb, start, end, agg, b == nil, aggTS, old); err != nil {
			return err
		}
	}
	if p.final {
		return p.emitClosed(r, closeTime)
	}
	return nil
}

// slidingProcessor aggregates into sliding windows with Kafka Streams' algorithm
// (KStreamSlidingWindowAggregate, KIP-450). Every window of a key is stored under its
// start; a window's stored timestamp is the largest timestamp of its records, which is
// how the algorithm tells where the previous record of the key was.
type slidingProcessor[K, V, VA any] struct {
	windowAgg[K, V, VA]
}

var _ runtime.Processor = (*slidingProcessor[int, int, int])(nil)

// slidingWindow is a stored window read back for the algorithm. value is a copy of the
// stored bytes: aggregates are decoded afresh for each use, so that an aggregator that
// changes its aggregate in place cannot change another window's value.
type slidingWindow struct {
	start int64
	ts    int64 // the largest record timestamp in the window
	value []byte
}

func (p *slidingProcessor[K, V, VA]) fetch(kb []byte, from, to int64) ([]slidingWindow, error) {
	var out []slidingWindow
	var derr error
	err := p.ws.Fetch(kb, from, to, func(start int64, value []byte) bool {
		ts, _, err := untimestamped(value)
		if err != nil {
			derr = fmt.Errorf("store %q: %w", p.store, err)
			return false
		}
		out = append(out, slidingWindow{start: start, ts: ts, value: bytes.Clone(value)})
		return true
	})
	if err != nil {
		return nil, err
	}
	return out, derr
}

// updateExisting folds the record into a stored window.
func (p *slidingProcessor[K, V, VA]) updateExisting(r runtime.Record, k K, v V, kb []byte, w slidingWindow, closeTime int64) error {
	end := w.start + p.w.size
	if end <= closeTime {
		p.dropLate(r.Timestamp, w.start, end, closeTime)
		return nil
	}
	agg, ts, err := p.decodeAgg(w.value)
	if err != nil {
		return err
	}
	return p.update(r, k, v, kb, w.start, end, agg, false, ts, toAny(agg))
}

// create makes the window starting at start from the aggregate of from (nil: from the
// initializer) and folds the record into it.
func (p *slidingProcessor[K, V, VA]) create(r runtime.Record, k K, v V, kb []byte, start int64, from *slidingWindow, closeTime int64) error {
	end := start + p.w.size
	if end <= closeTime {
		p.dropLate(r.Timestamp, start, end, closeTime)
		return nil
	}
	var agg VA
	if from != nil {
		var err error
		if agg, _, err = p.decodeAgg(from.value); err != nil {
			return err
		}
	}
	return p.update(r, k, v, kb, start, end, agg, from == nil, r.Timestamp, nil)
}

// createRightWindow makes the right window of the record at ts, [ts+1, ts+1+d], holding
// the records of from (a window whose records after ts are exactly those of the new
// window), without the current record.
func (p *slidingProcessor[K, V, VA]) createRightWindow(r runtime.Record, k K, kb []byte, from slidingWindow) error {
	start := r.Timestamp + 1
	agg, ts, err := p.decodeAgg(from.value)
	if err != nil {
		return err
	}
	if err := p.put(kb, start, agg, ts); err != nil {
		return err
	}
	p.ctx.Forward(runtime.Record{
		Key:       Windowed[K]{Key: k, Start: start, End: start + p.w.size},
		Value:     change{new: toAny(agg)},
		Timestamp: ts,
		Headers:   r.Headers,
	})
	return nil
}

func (p *slidingProcessor[K, V, VA]) Process(r runtime.Record) error {
	k, v, kb, ok, err := p.start(r)
	if !ok {
		return err
	}
	ts, d := r.Timestamp, p.w.size
	closeTime := p.observed - p.w.grace
	if ts+1+d <= closeTime {
		// Even the record's right window would be closed.
		p.ctx.Drop(fmt.Sprintf("record at %d is too late for every sliding window of %s (window close time %d)", ts, p.store, closeTime))
		return nil
	}
	if ts < d {
		return p.processEarly(r, k, v, kb, closeTime)
	}
	return p.processInOrder(r, k, v, kb, closeTime)
}

// processInOrder handles a record at ts >= timeDifference, whose left window
// [ts-d, ts] starts at or after 0.
func (p *slidingProcessor[K, V, VA]) processInOrder(r runtime.Record, k K, v V, kb []byte, closeTime int64) error {
	ts, d := r.Timestamp, p.w.size
	// Windows starting from ts-2d (whose aggregate may seed the record's left window) up
	// to ts+1 (the record's right window, if it exists).
	wins, err := p.fetch(kb, max(0, ts-2*d), ts+1)
	if err != nil {
		return err
	}
	starts := make(map[int64]bool, len(wins))
	var leftAgg, rightAgg *slidingWindow // before this record: seeds of its left and right windows
	leftCreated, rightCreated := false, false
	var prevTS int64 // the timestamp of the key's previous record, if hasPrev
	hasPrev := false
	for i := range wins {
		w := &wins[i]
		starts[w.start] = true
		end := w.start + d
		switch {
		case end < ts:
			leftAgg, prevTS, hasPrev = w, w.ts, true
		case end == ts:
			leftCreated = true
			if w.ts < ts {
				prevTS, hasPrev = w.ts, true
			}
			if err := p.updateExisting(r, k, v, kb, *w, closeTime); err != nil {
				return err
			}
		case end > ts && w.start <= ts:
			rightAgg = w
			if err := p.updateExisting(r, k, v, kb, *w, closeTime); err != nil {
				return err
			}
		case w.start == ts+1:
			rightCreated = true
		default:
			return fmt.Errorf("sliding windows of %s: unexpected window [%d,%d] for a record at %d", p.store, w.start, end, ts)
		}
	}
	// The right window of the previous record, if the record falls in it and it is missing.
	if hasPrev {
		if s := prevTS + 1; !starts[s] && s+d >= ts {
			if err := p.create(r, k, v, kb, s, nil, closeTime); err != nil {
				return err
			}
		}
	}
	// The record's left window: the records of leftAgg (those within d before ts) plus it.
	if !leftCreated {
		var from *slidingWindow
		if hasPrev && ts-d <= prevTS {
			from = leftAgg
		}
		if err := p.create(r, k, v, kb, ts-d, from, closeTime); err != nil {
			return err
		}
	}
	// The record's right window, if records after it fall in it.
	if !rightCreated && rightAgg != nil && rightAgg.ts > ts {
		return p.createRightWindow(r, k, kb, *rightAgg)
	}
	return nil
}

// processEarly handles a record at ts < timeDifference: its left window would start before
// 0, so all such records share the window [0, d].
func (p *slidingProcessor[K, V, VA]) processEarly(r runtime.Record, k K, v V, kb []byte, closeTime int64) error {
	ts := r.Timestamp
	wins, err := p.fetch(kb, 0, ts+1)
	if err != nil {
		return err
	}
	starts := make(map[int64]bool, len(wins))
	var combined, rightAgg *slidingWindow
	rightCreated := false
	var prevTS int64
	hasPrev := false
	for i := range wins {
		w := &wins[i]
		starts[w.start] = true
		switch {
		case w.start == 0:
			combined = w
			if w.ts < ts {
				prevTS, hasPrev = w.ts, true
			}
		case w.start <= ts:
			rightAgg = w
			if err := p.updateExisting(r, k, v, kb, *w, closeTime); err != nil {
				return err
			}
		case w.start == ts+1:
			rightCreated = true
		default:
			return fmt.Errorf("sliding windows of %s: unexpected window [%d,%d] for a record at %d", p.store, w.start, w.start+p.w.size, ts)
		}
	}
	// With no right window found, the combined window holds only records after ts, if any.
	if rightAgg == nil && combined != nil && combined.ts > ts {
		rightAgg = combined
	}
	if !rightCreated && rightAgg != nil && rightAgg.ts > ts {
		if err := p.createRightWindow(r, k, kb, *rightAgg); err != nil {
			return err
		}
	}
	if hasPrev && !starts[prevTS+1] {
		if err := p.create(r, k, v, kb, prevTS+1, nil, closeTime); err != nil {
			return err
		}
	}
	if combined == nil {
		return p.create(r, k, v, kb, 0, nil, closeTime)
	}
	return p.updateExisting(r, k, v, kb, *combined, closeTime)
}
