package runtime

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/statestore"
)

// taskEnv is what the tasks of one thread (or of the test driver) share.
type taskEnv struct {
	appID       string
	log         *slog.Logger
	now         func() time.Time
	collector   Collector
	counters    *counters
	deserPolicy ErrorPolicy
	procPolicy  ErrorPolicy
	topo        *Topology
	db          *statestore.DB // nil when the topology has no stores
	// maxIdle: how long a task waits for an input partition never fetched (see
	// MaxTaskIdle), lagWait for one with known unfetched records; 0 under the test driver,
	// whose inputs are all buffered.
	maxIdle, lagWait time.Duration
}

// resolve maps a topic named in the topology to its Kafka name.
func (e *taskEnv) resolve(topic string) string {
	if e.topo.IsInternal(topic) {
		return InternalTopicName(e.appID, topic)
	}
	return topic
}

// task runs one subtopology for one partition number. All its methods are called from the
// goroutine that owns it.
type task struct {
	id     TaskID
	env    *taskEnv
	log    *slog.Logger
	sub    *subtopology
	nodes  []*nodeInstance
	queues []*recordQueue
	byTP   map[string]*recordQueue // resolved topic -> queue (this task's partition)

	streamTime   int64
	current      RecordMetadata
	currentRaw   *kgo.Record
	err          error
	errNode      string
	commitNeeded bool

	punctuators []*punctuator
	state       *stateManager // nil without stores
	restoring   bool          // stores not restored yet: do not process
	closed      bool
	idleUntil   time.Time // while waiting for a lagging input partition (idle); zero otherwise
	idleWarned  bool      // idle logged that it stopped waiting
}

// newTask instantiates the subtopology's nodes for partition p. Topics whose partition p
// does not exist are left out by the caller through hasPartition.
func newTask(env *taskEnv, sub *subtopology, p int32, hasPartition func(topic string) bool) (*task, error) {
	t := &task{
		id:         TaskID{Subtopology: sub.id, Partition: p},
		env:        env,
		sub:        sub,
		byTP:       map[string]*recordQueue{},
		streamTime: -1,
		current:    RecordMetadata{Offset: -1},
	}
	t.log = env.log.With("task", t.id.String())
	inst := make(map[*nodeDef]*nodeInstance, len(sub.nodes))
	for _, d := range sub.nodes {
		n := &nodeInstance{def: d, name: d.name}
		if d.kind == sinkNode && d.sink.TopicFunc == nil {
			n.topic = env.resolve(d.sink.Topic)
		}
		inst[d] = n
		t.nodes = append(t.nodes, n)
	}
	for _, d := range sub.nodes {
		n := inst[d]
		for _, c := range d.children {
			n.children = append(n.children, inst[c])
		}
		if d.kind == sourceNode {
			for _, topic := range d.source.Topics {
				rt := env.resolve(topic)
				if hasPartition != nil && !hasPartition(rt) {
					continue
				}
				q := &recordQueue{topic: rt, partition: p, source: n, next: -1, fetched: -1, hwm: -1, rewindTo: -1}
				t.queues = append(t.queues, q)
				t.byTP[rt] = q
			}
		}
	}
	if err := t.openStores(); err != nil {
		return nil, err
	}
	return t, nil
}

// initProcessors makes the processor instances and calls Init, parents first (the order
// they were added). As in Kafka Streams, it runs once the task's stores are restored.
func (t *task) initProcessors() error {
	for _, n := range t.nodes {
		if n.def.kind != processorNode {
			continue
		}
		n.proc = n.def.supplier()
		n.ctx = &ProcessorContext{task: t, node: n}
		if err := n.proc.Init(n.ctx); err != nil {
			t.close()
			return fmt.Errorf("init processor %q of task %s: %w", n.name, t.id, err)
		}
	}
	return nil
}

// queue returns the input queue of a resolved topic, or nil.
func (t *task) queue(topic string) *recordQueue { return t.byTP[topic] }

// buffered counts records waiting in the task.
func (t *task) buffered() int {
	n := 0
	for _, q := range t.queues {
		n += q.buffered()
	}
	return n
}

// next returns the queue whose head has the lowest timestamp (ties: the queue added first),
// or nil if all are empty.
func (t *task) next() (*recordQueue, error) {
	if len(t.queues) == 1 {
		q := t.queues[0]
		ok, err := q.peek(t)
		if !ok || err != nil {
			return nil, err
		}
		return q, nil
	}
	var best, lagging *recordQueue
	for _, q := range t.queues {
		ok, err := q.peek(t)
		if err != nil {
			return nil, err
		}
		if !ok && q.lagging() && (lagging == nil || q.hwm >= 0) {
			lagging = q
		}
		if ok && (best == nil || q.head.Timestamp < best.head.Timestamp) {
			best = q
		}
	}
	if best != nil && lagging != nil && t.idle(lagging) {
		return nil, nil
	}
	t.idleUntil = time.Time{}
	return best, nil
}

// defaultLagWait bounds how long a task waits for a partition known to have unfetched
// records (its fetches are behind its high watermark): the records are on their way, as
// with Kafka Streams' default max.task.idle.ms of 0, but a partition whose fetches never
// catch up must not stop the task for good.
const defaultLagWait = 30 * time.Second

// idle reports whether the task should wait for input partition q, empty but with records
// on the broker it has not fetched yet (or never fetched), rather than process the other
// partitions' records out of timestamp order: for at most lagWait when q's lag is known,
// maxIdle when it was never fetched (a partition no fetch has reported on may well be
// empty). It logs when it stops waiting.
func (t *task) idle(q *recordQueue) bool {
	if t.env.maxIdle <= 0 {
		return false
	}
	now := time.Now() // real time, not the App's clock (tests freeze that)
	if t.idleUntil.IsZero() {
		wait := t.env.maxIdle
		if q.hwm >= 0 {
			wait = max(wait, t.env.lagWait)
		}
		t.idleUntil = now.Add(wait)
	}
	if now.Before(t.idleUntil) {
		return true
	}
	if !t.idleWarned {
		t.idleWarned = true
		t.log.Warn("stopped waiting for an input partition, processing the others out of timestamp order",
			"topic", q.topic, "partition", q.partition, "fetched", q.fetched, "high_watermark", q.hwm)
	}
	return false
}

// process processes up to max buffered records in timestamp order and returns how many it
// processed. A non-nil error is fatal for the thread (a fail policy was hit).
func (t *task) process(max int) (n int, err error) {
	defer func() {
		t.currentRaw = nil
		t.env.counters.processed.Add(int64(n))
	}()
	for n < max {
		q, err := t.next()
		if err != nil {
			return n, err
		}
		if q == nil {
			break
		}
		r, raw := q.pop()
		n++
		t.current = RecordMetadata{Topic: raw.Topic, Partition: raw.Partition, Offset: raw.Offset}
		t.currentRaw = raw
		if r.Timestamp > t.streamTime {
			t.streamTime = r.Timestamp
		}
		t.err = nil
		for _, ch := range q.source.children {
			t.processNode(ch, r)
		}
		t.commitNeeded = true
		if t.err != nil {
			if ferr := t.onProcessingError(t.errNode, raw, t.err); ferr != nil {
				t.err = nil
				return n, ferr
			}
			t.err = nil
		}
		if err := t.punctuate(StreamTime, t.streamTime); err != nil {
			return n, err
		}
		if t.state != nil && t.state.sess.NeedsCommit() {
			break
		}
	}
	return n, nil
}

// offsets returns the offsets to commit for this task's partitions (resolved topic ->
// next offset), for partitions that consumed anything.
func (t *task) offsets(into map[string]map[int32]kgo.EpochOffset) {
	for _, q := range t.queues {
		if q.next < 0 {
			continue
		}
		m := into[q.topic]
		if m == nil {
			m = map[int32]kgo.EpochOffset{}
			into[q.topic] = m
		}
		m[q.partition] = kgo.EpochOffset{Epoch: -1, Offset: q.next}
	}
}

// close closes every processor (children last) and drops buffered input.
func (t *task) close() error {
	if t.closed {
		return nil
	}
	t.closed = true
	var errs []error
	for _, n := range slices.Backward(t.nodes) {
		if n.proc != nil {
			if err := n.proc.Close(); err != nil {
				errs = append(errs, fmt.Errorf("close processor %q of task %s: %w", n.name, t.id, err))
			}
		}
	}
	for _, q := range t.queues {
		q.clear()
	}
	t.punctuators = nil
	t.closeStores()
	return errors.Join(errs...)
}

// flushProcessors calls Flush on every processor that holds back output, parents first,
// outside any record context. A non-nil error is fatal.
func (t *task) flushProcessors() error {
	for _, n := range t.nodes {
		f, ok := n.proc.(Flusher)
		if !ok {
			continue
		}
		saved, savedRaw := t.current, t.currentRaw
		t.current, t.currentRaw = RecordMetadata{Partition: -1, Offset: -1}, nil
		t.err = nil
		if err := f.Flush(); err != nil {
			t.recordError(n.name, err)
		}
		t.current, t.currentRaw = saved, savedRaw
		if t.err != nil {
			err := t.err
			t.err = nil
			if ferr := t.onProcessingError(n.name, nil, err); ferr != nil {
				return ferr
			}
		}
	}
	return nil
}
