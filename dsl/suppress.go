package dsl

import (
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/serde"
	"github.com/ksqlgo/ksqlgo/statestore"
)

// SuppressUntilWindowCloses holds back the updates of the windowed table t and emits each
// window once, with its final value, when it closes (Kafka Streams'
// Suppressed.untilWindowCloses, ksqlDB's EMIT FINAL). w must be the window definition t
// was aggregated with: a window is emitted when the stream time seen by the suppression
// (the largest timestamp of the updates it received) reaches End + grace for time
// windows, End + inactivity gap + grace for session windows, as Kafka Streams computes it.
// Deletes are held back too and never emitted: a window deleted before it closes emits
// nothing (Kafka's safe-to-drop tombstones).
//
// Windows are emitted in order of End, then of serialized key, with the timestamp and
// headers of their last update. Stream time only advances with updates: windows close when
// later records arrive, never on the wall clock. The buffer lives in a key-value store with
// a changelog, so held-back windows survive a task moving to another instance. t must carry
// its serdes (windowed aggregations do). Options: Named (the processor's name, overriding
// "KTABLE-SUPPRESS-<counter>"; the buffer store is then "<name>-store" instead of
// "KTABLE-SUPPRESS-STATE-STORE-<counter>").
func SuppressUntilWindowCloses[K, V any](t Table[Windowed[K], V], w Windowing, opts ...Opt) Table[Windowed[K], V] {
	b := t.builder("suppress")
	var wait int64
	if w != nil {
		wait = w.closeDelay()
	}
	n := suppress(t, configure(opts), suppressSpec[Windowed[K]]{
		wait:           wait,
		timeOf:         func(k Windowed[K], _ int64) int64 { return k.End },
		dropTombstones: true,
	})
	if w == nil {
		b.failf(n, "nil window definition")
	} else if err := w.check(n.name); err != nil {
		b.failf(n, "%v", err)
	}
	return Table[Windowed[K], V]{b: b, node: n, keySerde: t.keySerde, valueSerde: t.valueSerde}
}

// Windowing is a window definition: Windows or Sessions.
type Windowing interface {
	// closeDelay is how long after a window's End it closes, in ms.
	closeDelay() int64
	check(store string) error
}

var (
	_ Windowing = Windows{}
	_ Windowing = Sessions{}
)

func (w Windows) closeDelay() int64  { return w.grace }
func (s Sessions) closeDelay() int64 { return s.gap + s.grace }

// SuppressUntilTimeLimit holds back the updates of table t per key: a key's latest value
// is emitted when the stream time seen by the suppression has advanced by limit since the
// key's first held-back update (Kafka Streams' Suppressed.untilTimeLimit), or earlier when
// more than maxRecords keys are held back, oldest first (maxRecords <= 0: no bound). The
// emitted update carries the latest new value and the old value from before the first
// held-back update, with the latest update's timestamp and headers; deletes are emitted
// too. Stream time only advances with updates. The buffer lives in a key-value store with
// a changelog, so held-back updates survive a task moving. t must carry its serdes.
// Options: Named (as for SuppressUntilWindowCloses).
func SuppressUntilTimeLimit[K, V any](t Table[K, V], limit time.Duration, maxRecords int, opts ...Opt) Table[K, V] {
	b := t.builder("suppress")
	n := suppress(t, configure(opts), suppressSpec[K]{
		wait:       limit.Milliseconds(),
		timeOf:     func(_ K, ts int64) int64 { return ts },
		maxRecords: maxRecords,
	})
	if limit < 0 {
		b.failf(n, "negative time limit %v", limit)
	}
	return Table[K, V]{b: b, node: n, keySerde: t.keySerde, valueSerde: t.valueSerde}
}

// suppressSpec says when buffered updates leave the buffer: the buffer time of a key
// (from its first buffered update) plus wait at most the observed stream time, or the
// buffer holding more than maxRecords keys.
type suppressSpec[K any] struct {
	wait           int64                       // ms
	timeOf         func(key K, ts int64) int64 // buffer time of a key's first buffered update at ts
	maxRecords     int                         // <= 0: unbounded
	dropTombstones bool                        // deletes leave the buffer silently
}

func suppress[K, V any](t Table[K, V], cfg *config, spec suppressSpec[K]) *graphNode {
	b := t.builder("suppress")
	name, store := cfg.name, cfg.name+"-store"
	if name == "" {
		name = b.newName("KTABLE-SUPPRESS-")
		store = b.newName("KTABLE-SUPPRESS-STATE-STORE-")
	}
	n := b.addNamed("suppress", name, processorNode, t.node)
	b.check(n, cfg)
	ks, vs := t.keySerde, t.valueSerde
	if ks == nil || vs == nil {
		b.failf(n, "the table has no serdes for the suppression buffer; use WithSerdes")
	}
	n.stores = []runtime.StoreSpec{{Name: store, Kind: runtime.KeyValueStore}}
	n.supplier = func() runtime.Processor {
		return &suppressProcessor[K]{store: store, ks: ks, vs: serde.Any(vs), spec: spec, observed: -1}
	}
	return n
}

// suppressProcessor buffers table updates per key (Kafka Streams' KTableSuppressProcessor
// over an InMemoryTimeOrderedKeyValueBuffer). The buffer is a key-value store (serialized
// key -> bufferEntry), so that it is restored from its changelog when the task moves, and
// an in-memory index of the keys by buffer time, rebuilt from the store before the first
// record (after the runtime restored the store). A key keeps the buffer time of its first
// buffered update until it is emitted.
type suppressProcessor[K any] struct {
	store    string
	ks       serde.Serde[K]
	vs       serde.Serde[any]
	spec     suppressSpec[K]
	ctx      *runtime.ProcessorContext
	kv       *statestore.KeyValue
	loaded   bool
	observed int64            // the largest update timestamp seen, -1 before the first
	times    map[string]int64 // serialized key -> buffer time
	order    bufferOrder      // the keys of times, by buffer time then key
}

var _ runtime.Processor = (*suppressProcessor[int])(nil)

func (p *suppressProcessor[K]) Init(ctx *runtime.ProcessorContext) error {
	p.ctx, p.kv = ctx, ctx.KeyValueStore(p.store)
	if p.kv == nil {
		return fmt.Errorf("store %q is not connected", p.store)
	}
	return nil
}

func (p *suppressProcessor[K]) Close() error { return nil }

// load builds the index from the store. It runs at the first record rather than in Init,
// because the runtime initializes processors before it restores their stores. Stream time
// starts at the largest timestamp in the buffer: the stream time before the task moved
// was at least that.
func (p *suppressProcessor[K]) load() error {
	p.times = map[string]int64{}
	p.order = p.order[:0]
	var derr error
	err := p.kv.All(func(key, value []byte) bool {
		e, err := decodeBufferEntry(value)
		if err != nil {
			derr = fmt.Errorf("store %q: buffered update: %w", p.store, err)
			return false
		}
		k := string(key)
		p.times[k] = e.time
		p.order = append(p.order, bufferKey{e.time, k})
		p.observed = max(p.observed, e.ts)
		return true
	})
	if err = errors.Join(err, derr); err != nil {
		return err
	}
	heap.Init(&p.order)
	p.loaded = true
	return nil
}

func (p *suppressProcessor[K]) Process(r runtime.Record) error {
	if !p.loaded {
		if err := p.load(); err != nil {
			return err
		}
	}
	ch, ok := r.Value.(change)
	if !ok {
		return fmt.Errorf("table record value is %T, not a change", r.Value)
	}
	k, err := fromAny[K](r.Key)
	if err != nil {
		return fmt.Errorf("key: %w", err)
	}
	kb, err := p.ks.Serialize(p.store, k)
	if err != nil {
		return fmt.Errorf("serialize key: %w", err)
	}
	p.observed = max(p.observed, r.Timestamp)
	e := bufferEntry{time: p.spec.timeOf(k, r.Timestamp), ts: r.Timestamp, headers: r.Headers}
	if e.new, err = p.vs.Serialize(p.store, ch.new); err != nil {
		return fmt.Errorf("serialize value: %w", err)
	}
	if bt, buffered := p.times[string(kb)]; buffered {
		// Kafka's non-resetting buffer: keep the first update's buffer time and old value.
		b, err := p.kv.Get(kb)
		if err != nil {
			return err
		}
		first, err := decodeBufferEntry(b)
		if err != nil {
			return fmt.Errorf("store %q: buffered update: %w", p.store, err)
		}
		e.time, e.prior = bt, first.prior
	} else {
		if e.prior, err = p.vs.Serialize(p.store, ch.old); err != nil {
			return fmt.Errorf("serialize old value: %w", err)
		}
		p.times[string(kb)] = e.time
		heap.Push(&p.order, bufferKey{e.time, string(kb)})
	}
	if err := p.kv.Put(kb, e.encode(), r.Timestamp); err != nil {
		return err
	}
	return p.enforce()
}

// enforce emits the keys whose time is up, then the oldest keys while the buffer is over
// its bound.
func (p *suppressProcessor[K]) enforce() error {
	expiry := p.observed - p.spec.wait
	for len(p.order) > 0 && p.order[0].time <= expiry {
		if err := p.emit(); err != nil {
			return err
		}
	}
	for p.spec.maxRecords > 0 && len(p.order) > p.spec.maxRecords {
		if err := p.emit(); err != nil {
			return err
		}
	}
	return nil
}

// emit removes the first key of the buffer and forwards its update.
func (p *suppressProcessor[K]) emit() error {
	bk := heap.Pop(&p.order).(bufferKey)
	delete(p.times, bk.key)
	kb := []byte(bk.key)
	b, err := p.kv.Get(kb)
	if err != nil {
		return err
	}
	e, err := decodeBufferEntry(b)
	if err != nil {
		return fmt.Errorf("store %q: buffered update: %w", p.store, err)
	}
	if err := p.kv.Delete(kb, e.ts); err != nil {
		return err
	}
	if e.new == nil && p.spec.dropTombstones {
		return nil
	}
	k, err := p.ks.Deserialize(p.store, kb)
	if err != nil {
		return fmt.Errorf("store %q: buffered key: %w", p.store, err)
	}
	var ch change
	if e.new != nil {
		if ch.new, err = p.vs.Deserialize(p.store, e.new); err != nil {
			return fmt.Errorf("store %q: buffered value: %w", p.store, err)
		}
	}
	if e.prior != nil {
		if ch.old, err = p.vs.Deserialize(p.store, e.prior); err != nil {
			return fmt.Errorf("store %q: buffered old value: %w", p.store, err)
		}
	}
	p.ctx.Forward(runtime.Record{Key: k, Value: ch, Timestamp: e.ts, Headers: e.headers})
	return nil
}

// bufferEntry is a buffered update as stored: the key's buffer time, the latest update's
// timestamp and headers, its new value and the old value from before the first buffered
// update (nil: Kafka null). Encoding: [8-byte time][8-byte ts][uvarint header count]
// {[uvarint len][key][uvarint len+1, 0 for null][value]}... then new and prior as
// [uvarint len+1, 0 for null][bytes].
type bufferEntry struct {
	time, ts   int64
	headers    []runtime.Header
	new, prior []byte
}

func appendNullable(b, v []byte) []byte {
	if v == nil {
		return binary.AppendUvarint(b, 0)
	}
	return append(binary.AppendUvarint(b, uint64(len(v))+1), v...)
}

func (e bufferEntry) encode() []byte {
	b := make([]byte, 16, 32+len(e.new)+len(e.prior))
	binary.BigEndian.PutUint64(b, uint64(e.time))
	binary.BigEndian.PutUint64(b[8:], uint64(e.ts))
	b = binary.AppendUvarint(b, uint64(len(e.headers)))
	for _, h := range e.headers {
		b = binary.AppendUvarint(b, uint64(len(h.Key)))
		b = append(b, h.Key...)
		b = appendNullable(b, h.Value)
	}
	b = appendNullable(b, e.new)
	return appendNullable(b, e.prior)
}

var errBadBufferEntry = errors.New("malformed buffer entry")

func readNullable(b []byte) (v, rest []byte, err error) {
	n, w := binary.Uvarint(b)
	if w <= 0 || n > uint64(len(b)-w)+1 {
		return nil, nil, errBadBufferEntry
	}
	if n == 0 {
		return nil, b[w:], nil
	}
	end := w + int(n-1)
	return append([]byte{}, b[w:end]...), b[end:], nil
}

func decodeBufferEntry(b []byte) (bufferEntry, error) {
	var e bufferEntry
	if len(b) < 16 {
		return e, errBadBufferEntry
	}
	e.time = int64(binary.BigEndian.Uint64(b))
	e.ts = int64(binary.BigEndian.Uint64(b[8:]))
	b = b[16:]
	nh, w := binary.Uvarint(b)
	if w <= 0 || nh > uint64(len(b)) {
		return e, errBadBufferEntry
	}
	b = b[w:]
	for range nh {
		n, w := binary.Uvarint(b)
		if w <= 0 || n > uint64(len(b)-w) {
			return e, errBadBufferEntry
		}
		h := runtime.Header{Key: string(b[w : w+int(n)])}
		var err error
		if h.Value, b, err = readNullable(b[w+int(n):]); err != nil {
			return e, err
		}
		e.headers = append(e.headers, h)
	}
	var err error
	if e.new, b, err = readNullable(b); err != nil {
		return e, err
	}
	if e.prior, b, err = readNullable(b); err != nil {
		return e, err
	}
	if len(b) != 0 {
		return e, errBadBufferEntry
	}
	return e, nil
}

// bufferKey is a key of the buffer's index.
type bufferKey struct {
	time int64
	key  string
}

// bufferOrder is a min-heap of buffer keys by time, then key (container/heap).
type bufferOrder []bufferKey

func (o bufferOrder) Len() int { return len(o) }
func (o bufferOrder) Less(i, j int) bool {
	if o[i].time != o[j].time {
		return o[i].time < o[j].time
	}
	return o[i].key < o[j].key
}
func (o bufferOrder) Swap(i, j int) { o[i], o[j] = o[j], o[i] }
func (o *bufferOrder) Push(x any)   { *o = append(*o, x.(bufferKey)) }
func (o *bufferOrder) Pop() any {
	old := *o
	x := old[len(old)-1]
	*o = old[:len(old)-1]
	return x
}
