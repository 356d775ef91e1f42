package runtime

import (
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kgo"
)

// recordQueue buffers the raw records of one input partition of a task. Its head is decoded
// lazily, when the task needs its timestamp to choose the next record.
type recordQueue struct {
	topic     string // resolved topic name
	partition int32
	source    *nodeInstance
	buf       []*kgo.Record
	pos       int

	decoded bool
	head    Record
	headRaw *kgo.Record

	next int64 // offset to commit: one past the last record consumed (processed or skipped), -1 if none
	// rewindTo is where the partition's input restarts when a transaction aborts
	// (ExactlyOnce): the offset committed last, else the first record buffered since the
	// task was created; -1 while neither is known (nothing was buffered).
	rewindTo int64
	// fetched is one past the last record fetched, hwm the partition's high watermark
	// when last fetched (-1: not fetched yet): fetched < hwm means records on the broker
	// not buffered yet.
	fetched, hwm int64
}

// fetchedTo records a fetch of the partition: its records (appended by add) and the
// partition's high watermark. A fetch that brought no records found the partition's end.
func (q *recordQueue) fetchedTo(recs []*kgo.Record, hwm int64) {
	q.hwm = hwm
	if len(recs) > 0 {
		q.fetched = recs[len(recs)-1].Offset + 1
	} else if hwm > q.fetched {
		q.fetched = hwm
	}
}

// lagging says whether the partition may have records on the broker that are not
// buffered: it was never fetched, or its last fetch stopped short of the high watermark.
func (q *recordQueue) lagging() bool { return q.hwm < 0 || q.fetched < q.hwm }

func (q *recordQueue) add(rs []*kgo.Record) {
	if q.rewindTo < 0 && len(rs) > 0 {
		q.rewindTo = rs[0].Offset
	}
	if q.pos == len(q.buf) {
		q.buf = q.buf[:0]
		q.pos = 0
	}
	q.buf = append(q.buf, rs...)
}

func (q *recordQueue) empty() bool { return !q.decoded && q.pos == len(q.buf) }

func (q *recordQueue) buffered() int {
	n := len(q.buf) - q.pos
	if q.decoded {
		n++
	}
	return n
}

// peek decodes the head if needed, skipping undecodable records through the task's
// deserialization policy. ok is false when the queue is empty; err is fatal.
func (q *recordQueue) peek(t *task) (ok bool, err error) {
	for !q.decoded {
		if q.pos == len(q.buf) {
			return false, nil
		}
		raw := q.buf[q.pos]
		q.buf[q.pos] = nil
		q.pos++
		if raw.Attrs.IsControl() {
			// A transaction marker (the thread keeps them, so that a partition ending in
			// one is seen to be read to its end): not input, but consumed.
			q.next = raw.Offset + 1
			t.commitNeeded = true
			continue
		}
		r, derr := q.decode(raw)
		if derr != nil {
			q.next = raw.Offset + 1
			t.commitNeeded = true
			if ferr := t.onDeserializationError(raw, derr); ferr != nil {
				return false, ferr
			}
			continue
		}
		q.head, q.headRaw, q.decoded = r, raw, true
	}
	return true, nil
}

func (q *recordQueue) decode(raw *kgo.Record) (Record, error) {
	src := &q.source.def.source
	r := Record{Timestamp: raw.Timestamp.UnixMilli(), Headers: raw.Headers}
	var err error
	if raw.Key != nil {
		if src.Key != nil {
			if r.Key, err = src.Key.Deserialize(raw.Topic, raw.Key); err != nil {
				return r, fmt.Errorf("key: %w", err)
			}
		} else {
			r.Key = raw.Key
		}
	}
	if raw.Value != nil {
		if src.Value != nil {
			if r.Value, err = src.Value.Deserialize(raw.Topic, raw.Value); err != nil {
				return r, fmt.Errorf("value: %w", err)
			}
		} else {
			r.Value = raw.Value
		}
	}
	if src.Timestamp != nil {
		ts, err := src.Timestamp(r, RecordMetadata{Topic: raw.Topic, Partition: raw.Partition, Offset: raw.Offset})
		if err != nil {
			return r, fmt.Errorf("extract timestamp: %w", err)
		}
		if ts < 0 {
			return r, errors.New("extract timestamp: negative timestamp " + fmt.Sprint(ts))
		}
		r.Timestamp = ts
	}
	return r, nil
}

// pop removes the decoded head; peek must have returned true.
func (q *recordQueue) pop() (Record, *kgo.Record) {
	r, raw := q.head, q.headRaw
	q.head, q.headRaw, q.decoded = Record{}, nil, false
	q.next = raw.Offset + 1
	return r, raw
}

// clear drops buffered records (the partition is revoked or the task closes).
func (q *recordQueue) clear() {
	clear(q.buf)
	q.buf, q.pos = q.buf[:0], 0
	q.head, q.headRaw, q.decoded = Record{}, nil, false
}
