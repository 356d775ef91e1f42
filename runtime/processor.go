package runtime

import (
	"log/slog"
	"time"
)

// Processor is a node of a topology. A fresh Processor is made for every task (see
// ProcessorSupplier), so a processor may keep per-task state in its fields without locks:
// all its methods are called from the goroutine that owns the task.
type Processor interface {
	// Init is called once before the first record, with the context to forward through.
	Init(ctx *ProcessorContext) error
	// Process handles one record. An error is handed to the application's processing-error
	// policy (by default logged, counted and skipped).
	Process(r Record) error
	// Close is called when the task closes (shutdown, or the task moved to another instance).
	Close() error
}

// ProcessorSupplier returns a new Processor each call.
type ProcessorSupplier func() Processor

// ProcessorFunc adapts a function to a stateless Processor with no-op Init and Close.
type ProcessorFunc func(ctx *ProcessorContext, r Record) error

// Supplier returns a ProcessorSupplier for f.
func (f ProcessorFunc) Supplier() ProcessorSupplier {
	return func() Processor { return &funcProcessor{fn: f} }
}

type funcProcessor struct {
	fn  ProcessorFunc
	ctx *ProcessorContext
}

func (p *funcProcessor) Init(ctx *ProcessorContext) error { p.ctx = ctx; return nil }
func (p *funcProcessor) Process(r Record) error           { return p.fn(p.ctx, r) }
func (p *funcProcessor) Close() error                     { return nil }

// PunctuationType says which clock a punctuator follows.
type PunctuationType int

const (
	// StreamTime punctuators fire as the task's stream time (the largest record timestamp
	// processed) passes each interval; they never fire without input.
	StreamTime PunctuationType = iota
	// WallClockTime punctuators fire as the system clock (or the test driver's clock) passes
	// each interval.
	WallClockTime
)

func (p PunctuationType) String() string {
	switch p {
	case StreamTime:
		return "stream-time"
	case WallClockTime:
		return "wall-clock-time"
	}
	return "unknown"
}

// Punctuator is called with the timestamp (ms) at which it fired.
type Punctuator func(ts int64) error

// Cancellable cancels a scheduled punctuator.
type Cancellable interface{ Cancel() }

// ProcessorContext is a processor's view of its task: forward records to the node's
// children, read the metadata of the record being processed, schedule punctuators. It is
// owned by the task's goroutine and must not be used from another goroutine.
type ProcessorContext struct {
	task *task
	node *nodeInstance
}

// Forward sends r to every child of this node, synchronously and depth first: when Forward
// returns, the whole subtree below has processed r. An error in a child is recorded for the
// task and handled when the input record finishes.
func (c *ProcessorContext) Forward(r Record) {
	for _, ch := range c.node.children {
		c.task.processNode(ch, r)
	}
}

// ForwardTo sends r to the child named child only. Forwarding to a name that is not a child
// of this node is a programming error reported as a processing error.
func (c *ProcessorContext) ForwardTo(child string, r Record) {
	for _, ch := range c.node.children {
		if ch.name == child {
			c.task.processNode(ch, r)
			return
		}
	}
	c.task.recordError(c.node.name, errUnknownChild(c.node.name, child))
}

// TaskID is the task this processor instance belongs to.
func (c *ProcessorContext) TaskID() TaskID { return c.task.id }

// ApplicationID is the application id (the consumer group), or "ttd" under the test driver.
func (c *ProcessorContext) ApplicationID() string { return c.task.env.appID }

// NodeName is the name of the node this context belongs to.
func (c *ProcessorContext) NodeName() string { return c.node.name }

// Metadata is the topic, partition and offset of the input record being processed. During a
// punctuation it has no topic and Partition and Offset -1.
func (c *ProcessorContext) Metadata() RecordMetadata { return c.task.current }

// StreamTime is the task's stream time in milliseconds: the largest timestamp of the
// records it processed, or -1 before the first.
func (c *ProcessorContext) StreamTime() int64 { return c.task.streamTime }

// WallClockTime is the current time of the clock wall-clock punctuators follow (the system
// clock, or the test driver's).
func (c *ProcessorContext) WallClockTime() time.Time { return c.task.env.now() }

// Logger is the application's logger with the task and node attached.
func (c *ProcessorContext) Logger() *slog.Logger {
	return c.task.log.With("node", c.node.name)
}

// Schedule calls fn every interval of the given clock until the task closes or the
// returned Cancellable is cancelled. Intervals under one millisecond are rounded up.
func (c *ProcessorContext) Schedule(interval time.Duration, typ PunctuationType, fn Punctuator) Cancellable {
	return c.task.schedule(c.node, interval, typ, fn)
}

// Drop records that the processor dropped the current record on purpose (Kafka Streams'
// dropped-records metric): a null key into an aggregation, a record for a window that has
// already closed. It counts the record and logs reason at debug level.
func (c *ProcessorContext) Drop(reason string) {
	c.task.env.counters.dropped.Add(1)
	m := c.task.current
	c.task.log.Debug("record dropped", "node", c.node.name, "reason", reason, "topic", m.Topic, "partition", m.Partition, "offset", m.Offset)
}

// Flusher is implemented by processors that hold back output between commits (a record
// cache, ksqlDB's cache.max.bytes.buffering): the task calls Flush before every commit,
// and Flush forwards what the processor held back. Under the test driver, Flush runs after
// every input record.
type Flusher interface {
	Flush() error
}
