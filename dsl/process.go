package dsl

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/ksqlgo/ksqlgo/runtime"
)

// Record is a typed record: what a Processor receives and forwards, and what ToFunc reads.
// Headers share their backing array with the input record: copy the slice before changing
// it in place.
type Record[K, V any] struct {
	Key       K
	Value     V
	Timestamp int64 // milliseconds since the epoch
	Headers   []runtime.Header
}

// Header returns the value of the last header named key, and whether there is one.
func (r Record[K, V]) Header(key string) ([]byte, bool) {
	for i := len(r.Headers) - 1; i >= 0; i-- {
		if r.Headers[i].Key == key {
			return r.Headers[i].Value, true
		}
	}
	return nil, false
}

// Processor is a typed custom processor for Process, reading records of types K, V and
// forwarding records of types KR, VR: Kafka Streams' api.Processor. A fresh Processor is
// made for every task, and all its methods are called from the goroutine owning the task,
// so it may keep per-task state in its fields without locks.
type Processor[K, V, KR, VR any] interface {
	// Init is called once before the first record, with the context to forward through and
	// to schedule punctuators with. The context stays valid until Close.
	Init(ctx *ProcessorContext[KR, VR]) error
	// Process handles one record. An error goes to the application's processing-error
	// policy (by default logged, counted and skipped); records forwarded before it stay
	// forwarded.
	Process(r Record[K, V]) error
	// Close is called when the task closes (shutdown, or the task moved elsewhere).
	Close() error
}

// ProcessorContext is a Processor's typed view of its task: forward records of types K, V
// to the node's children, read the metadata of the record being processed, schedule
// punctuators. It must be used only from the Processor's methods and punctuators.
type ProcessorContext[K, V any] struct {
	rc *runtime.ProcessorContext
}

// Forward sends r to every child of the node, synchronously and depth first: when Forward
// returns, everything downstream has processed r. A nil key or value (nil pointer, slice,
// map or interface) is forwarded as Kafka null.
func (c *ProcessorContext[K, V]) Forward(r Record[K, V]) { c.rc.Forward(c.untyped(r)) }

// ForwardTo sends r to the child named child only: the name of a downstream operation,
// set with Named. An unknown name is a processing error of the current record.
func (c *ProcessorContext[K, V]) ForwardTo(child string, r Record[K, V]) {
	c.rc.ForwardTo(child, c.untyped(r))
}

func (c *ProcessorContext[K, V]) untyped(r Record[K, V]) runtime.Record {
	return runtime.Record{Key: toAny(r.Key), Value: toAny(r.Value), Timestamp: r.Timestamp, Headers: r.Headers}
}

// Schedule calls fn every interval of the given clock (runtime.StreamTime: as record
// timestamps advance; runtime.WallClockTime: as the system clock, or the test driver's,
// does) until the task closes or the returned Cancellable is cancelled. fn may Forward. An
// error from fn goes to the processing-error policy.
func (c *ProcessorContext[K, V]) Schedule(interval time.Duration, typ runtime.PunctuationType, fn runtime.Punctuator) runtime.Cancellable {
	return c.rc.Schedule(interval, typ, fn)
}

// Metadata is the topic, partition and offset of the input record being processed. During
// a wall-clock punctuation it is the zero value with Offset -1.
func (c *ProcessorContext[K, V]) Metadata() runtime.RecordMetadata { return c.rc.Metadata() }

// StreamTime is the task's stream time in milliseconds (the largest record timestamp it
// processed), or -1 before the first record.
func (c *ProcessorContext[K, V]) StreamTime() int64 { return c.rc.StreamTime() }

// WallClockTime is the time of the clock wall-clock punctuators follow.
func (c *ProcessorContext[K, V]) WallClockTime() time.Time { return c.rc.WallClockTime() }

// TaskID is the task this processor instance belongs to.
func (c *ProcessorContext[K, V]) TaskID() runtime.TaskID { return c.rc.TaskID() }

// ApplicationID is the application id ("ttd" under the test driver).
func (c *ProcessorContext[K, V]) ApplicationID() string { return c.rc.ApplicationID() }

// NodeName is the name of the processor's node.
func (c *ProcessorContext[K, V]) NodeName() string { return c.rc.NodeName() }

// Logger is the application's logger with the task and node attached.
func (c *ProcessorContext[K, V]) Logger() *slog.Logger { return c.rc.Logger() }

// Runtime is the untyped context underneath, for what the typed one does not offer.
func (c *ProcessorContext[K, V]) Runtime() *runtime.ProcessorContext { return c.rc }

// Process runs a custom Processor made by supplier (called once per task) on every record
// of s and returns the stream of what it forwards: Kafka Streams' process(). The result
// carries no serdes, and key-based operations downstream repartition it (the processor may
// change keys). Options: Named (overriding "KSTREAM-PROCESSOR-<counter>"); name the
// downstream operations to ForwardTo them.
func Process[K, V, KR, VR any](s Stream[K, V], supplier func() Processor[K, V, KR, VR], opts ...Opt) Stream[KR, VR] {
	b := s.builder("process")
	cfg := configure(opts)
	n := b.addNode("process", "KSTREAM-PROCESSOR-", processorNode, cfg, s.node)
	b.check(n, cfg)
	n.keyChanging = true
	if supplier == nil {
		b.failf(n, "nil supplier")
	}
	n.supplier = func() runtime.Processor {
		return &processAdapter[K, V, KR, VR]{p: supplier()}
	}
	return derive[KR, VR](s, n, true)
}

// processAdapter runs a typed Processor as a runtime.Processor.
type processAdapter[K, V, KR, VR any] struct {
	p   Processor[K, V, KR, VR]
	ctx ProcessorContext[KR, VR]
}

var _ runtime.Processor = (*processAdapter[int, int, int, int])(nil)

func (a *processAdapter[K, V, KR, VR]) Init(rc *runtime.ProcessorContext) error {
	if a.p == nil {
		return fmt.Errorf("processor %q: the supplier returned nil", rc.NodeName())
	}
	a.ctx.rc = rc
	return a.p.Init(&a.ctx)
}

func (a *processAdapter[K, V, KR, VR]) Process(r runtime.Record) error {
	k, v, err := decode[K, V](r)
	if err != nil {
		return err
	}
	return a.p.Process(Record[K, V]{Key: k, Value: v, Timestamp: r.Timestamp, Headers: r.Headers})
}

func (a *processAdapter[K, V, KR, VR]) Close() error {
	if a.p == nil {
		return nil
	}
	return a.p.Close()
}
