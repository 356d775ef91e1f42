package runtime

import (
	"fmt"
	"strconv"
	"sync/atomic"

	"github.com/twmb/franz-go/pkg/kgo"
)

// ErrorPolicy says what happens to a record that cannot be decoded (deserialization
// policy) or whose processing fails (processing policy).
type ErrorPolicy struct {
	kind  policyKind
	topic string
}

type policyKind int

const (
	policyContinue policyKind = iota
	policyFail
	policyDeadLetter
)

// LogAndContinue logs the error, counts it and skips the record: ksqlDB's processing log and
// Kafka Streams' LogAndContinueExceptionHandler. It is the default for both policies.
func LogAndContinue() ErrorPolicy { return ErrorPolicy{kind: policyContinue} }

// LogAndFail logs the error and stops the application: Run returns the error and the
// record's offset is not committed, so it is read again on restart.
func LogAndFail() ErrorPolicy { return ErrorPolicy{kind: policyFail} }

// DeadLetter logs and counts the error and writes the input record, unchanged, to topic
// with headers describing the failure (see the DeadLetter* header names), then continues.
func DeadLetter(topic string) ErrorPolicy { return ErrorPolicy{kind: policyDeadLetter, topic: topic} }

func (p ErrorPolicy) String() string {
	switch p.kind {
	case policyFail:
		return "log-and-fail"
	case policyDeadLetter:
		return "dead-letter(" + p.topic + ")"
	}
	return "log-and-continue"
}

// Headers added to records written to a dead-letter topic.
const (
	DeadLetterError     = "__ksqlgo.error"
	DeadLetterKind      = "__ksqlgo.error.kind" // "deserialization" or "processing"
	DeadLetterTopic     = "__ksqlgo.source.topic"
	DeadLetterPartition = "__ksqlgo.source.partition"
	DeadLetterOffset    = "__ksqlgo.source.offset"
	DeadLetterNode      = "__ksqlgo.node"
)

// Metrics are counters of one application (or test driver) since it started.
type Metrics struct {
	RecordsProcessed      int64 // input records handed to a source node
	DeserializationErrors int64 // records that could not be decoded (or had an invalid timestamp)
	ProcessingErrors      int64 // records whose processing returned an error
	DeadLettered          int64 // records written to a dead-letter topic
	Commits               int64 // successful offset commits
	DroppedRecords        int64 // records a processor dropped on purpose (null key, late record): ProcessorContext.Drop
	RecordsRestored       int64 // changelog records replayed into state stores
	TransactionsAborted   int64 // transactions aborted (ExactlyOnce): their input is processed again
}

// counters are written by one goroutine (a thread) and read by any.
type counters struct {
	processed, deser, proc, dead, commits, dropped, restored, aborts atomic.Int64
}

func (c *counters) add(m *Metrics) {
	m.RecordsProcessed += c.processed.Load()
	m.DeserializationErrors += c.deser.Load()
	m.ProcessingErrors += c.proc.Load()
	m.DeadLettered += c.dead.Load()
	m.Commits += c.commits.Load()
	m.DroppedRecords += c.dropped.Load()
	m.RecordsRestored += c.restored.Load()
	m.TransactionsAborted += c.aborts.Load()
}

// onDeserializationError applies the deserialization policy to raw. A non-nil result is
// fatal for the thread.
func (t *task) onDeserializationError(raw *kgo.Record, err error) error {
	t.env.counters.deser.Add(1)
	err = fmt.Errorf("task %s: deserialize record %s-%d@%d: %w", t.id, raw.Topic, raw.Partition, raw.Offset, err)
	return t.applyPolicy(t.env.deserPolicy, "deserialization", "", raw, err)
}

// onProcessingError applies the processing policy to the record being processed (raw is nil
// for errors in punctuators).
func (t *task) onProcessingError(node string, raw *kgo.Record, err error) error {
	t.env.counters.proc.Add(1)
	return t.applyPolicy(t.env.procPolicy, "processing", node, raw, err)
}

func (t *task) applyPolicy(p ErrorPolicy, kind, node string, raw *kgo.Record, err error) error {
	log := t.log
	if raw != nil {
		log = log.With("topic", raw.Topic, "partition", raw.Partition, "offset", raw.Offset)
	}
	if node != "" {
		log = log.With("node", node)
	}
	switch p.kind {
	case policyFail:
		log.Error("record failed, stopping (policy log-and-fail)", "kind", kind, "err", err)
		return err
	case policyDeadLetter:
		log.Warn("record failed, sent to dead-letter topic", "kind", kind, "dead_letter_topic", p.topic, "err", err)
		if raw != nil {
			t.env.counters.dead.Add(1)
			headers := append([]Header(nil), raw.Headers...)
			headers = append(headers,
				Header{Key: DeadLetterError, Value: []byte(err.Error())},
				Header{Key: DeadLetterKind, Value: []byte(kind)},
				Header{Key: DeadLetterTopic, Value: []byte(raw.Topic)},
				Header{Key: DeadLetterPartition, Value: []byte(strconv.Itoa(int(raw.Partition)))},
				Header{Key: DeadLetterOffset, Value: []byte(strconv.FormatInt(raw.Offset, 10))},
			)
			if node != "" {
				headers = append(headers, Header{Key: DeadLetterNode, Value: []byte(node)})
			}
			t.env.collector.Send(&kgo.Record{
				Topic:     p.topic,
				Key:       raw.Key,
				Value:     raw.Value,
				Timestamp: raw.Timestamp,
				Headers:   headers,
				Partition: -1,
			})
		}
		return nil
	default:
		log.Warn("record failed, skipped (policy log-and-continue)", "kind", kind, "err", err)
		return nil
	}
}
