package dsl

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/ksqlgo/ksqlgo/serde"
)

// Windowed is the key of a windowed aggregation's result: the grouping key and the window,
// in milliseconds since the epoch. For tumbling and hopping windows the window is
// [Start, End), End excluded; for sliding and session windows it is [Start, End], both
// included (Kafka Streams' TimeWindow and SessionWindow).
type Windowed[K any] struct {
	Key        K
	Start, End int64
}

// String formats w as Kafka Streams' Windowed does: "[key@start/end]".
func (w Windowed[K]) String() string { return fmt.Sprintf("[%v@%d/%d]", w.Key, w.Start, w.End) }

// WindowedSerde returns the serde of keys of time windows (tumbling, hopping and sliding)
// of size size, in Kafka Streams' TimeWindowedSerializer layout: the key's bytes (inner),
// then the window start as 8 bytes big-endian. Only the start is written: Deserialize sets
// End to Start + size (math.MaxInt64 on overflow, as Kafka does). It is safe for concurrent
// use if inner is.
func WindowedSerde[K any](inner serde.Serde[K], size time.Duration) serde.Serde[Windowed[K]] {
	return timeWindowedSerde[K]{inner: inner, size: size.Milliseconds()}
}

type timeWindowedSerde[K any] struct {
	inner serde.Serde[K]
	size  int64
}

func (s timeWindowedSerde[K]) Serialize(topic string, w Windowed[K]) ([]byte, error) {
	kb, err := s.inner.Serialize(topic, w.Key)
	if err != nil {
		return nil, fmt.Errorf("windowed key: %w", err)
	}
	return binary.BigEndian.AppendUint64(append(make([]byte, 0, len(kb)+8), kb...), uint64(w.Start)), nil
}

func (s timeWindowedSerde[K]) Deserialize(topic string, b []byte) (Windowed[K], error) {
	var w Windowed[K]
	if b == nil {
		return w, nil
	}
	if len(b) < 8 {
		return w, fmt.Errorf("windowed key of %d bytes: shorter than its 8-byte window start", len(b))
	}
	n := len(b) - 8
	k, err := s.inner.Deserialize(topic, b[:n:n])
	if err != nil {
		return w, fmt.Errorf("windowed key: %w", err)
	}
	w.Key, w.Start = k, int64(binary.BigEndian.Uint64(b[n:]))
	w.End = w.Start + s.size
	if w.End < w.Start {
		w.End = math.MaxInt64
	}
	return w, nil
}

// SessionWindowedSerde returns the serde of keys of session windows, in Kafka Streams'
// SessionWindowedSerializer layout: the key's bytes (inner), then the session end and the
// session start, each 8 bytes big-endian. It is safe for concurrent use if inner is.
func SessionWindowedSerde[K any](inner serde.Serde[K]) serde.Serde[Windowed[K]] {
	return sessionWindowedSerde[K]{inner: inner}
}

type sessionWindowedSerde[K any] struct{ inner serde.Serde[K] }

func (s sessionWindowedSerde[K]) Serialize(topic string, w Windowed[K]) ([]byte, error) {
	kb, err := s.inner.Serialize(topic, w.Key)
	if err != nil {
		return nil, fmt.Errorf("session key: %w", err)
	}
	b := append(make([]byte, 0, len(kb)+16), kb...)
	b = binary.BigEndian.AppendUint64(b, uint64(w.End))
	return binary.BigEndian.AppendUint64(b, uint64(w.Start)), nil
}

func (s sessionWindowedSerde[K]) Deserialize(topic string, b []byte) (Windowed[K], error) {
	var w Windowed[K]
	if b == nil {
		return w, nil
	}
	if len(b) < 16 {
		return w, fmt.Errorf("session key of %d bytes: shorter than its 16 bytes of session end and start", len(b))
	}
	n := len(b) - 16
	k, err := s.inner.Deserialize(topic, b[:n:n])
	if err != nil {
		return w, fmt.Errorf("session key: %w", err)
	}
	w.Key = k
	w.End = int64(binary.BigEndian.Uint64(b[n:]))
	w.Start = int64(binary.BigEndian.Uint64(b[n+8:]))
	return w, nil
}

// windowKind says which time windows a Windows defines.
type windowKind int

const (
	tumbling windowKind = iota
	hopping
	sliding
)

func (k windowKind) String() string {
	switch k {
	case tumbling:
		return "tumbling"
	case hopping:
		return "hopping"
	case sliding:
		return "sliding"
	}
	return "unknown"
}

// Windows defines time windows for WindowedBy: tumbling, hopping or sliding (Kafka
// Streams' TimeWindows and SlidingWindows). Make one with TumblingWindows, HoppingWindows
// or SlidingWindows. Durations are taken in whole milliseconds (truncated). An invalid
// definition is reported by Builder.Build, naming the aggregation that uses it.
//
// A window closes when stream time (the largest timestamp the aggregation has seen)
// reaches its end plus the grace period; records for a closed window are dropped and
// counted (runtime.Metrics.DroppedRecords). The window store keeps windows for the
// retention period, by default the smallest that keeps every open window: size + grace
// (2 * time difference + grace for sliding windows, as in Kafka Streams).
type Windows struct {
	kind      windowKind
	size      int64 // ms; the time difference of sliding windows
	advance   int64 // ms; == size for tumbling windows
	grace     int64 // ms
	retention int64 // ms; 0: the default
	err       error
}

// TumblingWindows defines fixed-size, non-overlapping windows [k*size, (k+1)*size): a
// record at ts belongs to the one window with start <= ts < start+size. size must be
// positive, grace zero or positive.
func TumblingWindows(size, grace time.Duration) Windows {
	w := Windows{kind: tumbling, size: size.Milliseconds(), advance: size.Milliseconds(), grace: grace.Milliseconds()}
	w.err = w.validate()
	return w
}

// HoppingWindows defines fixed-size windows that start every advance and may overlap: a
// record at ts belongs to every window [start, start+size) with start = k*advance >= 0 and
// start <= ts < start+size. advance must be positive and at most size, grace zero or
// positive. HoppingWindows(size, size, grace) is TumblingWindows(size, grace).
func HoppingWindows(size, advance, grace time.Duration) Windows {
	w := Windows{kind: hopping, size: size.Milliseconds(), advance: advance.Milliseconds(), grace: grace.Milliseconds()}
	if w.size == w.advance {
		w.kind = tumbling
	}
	w.err = w.validate()
	return w
}

// SlidingWindows defines Kafka Streams' sliding windows (KIP-450): windows of a fixed
// time difference [start, start+timeDifference], both ends included, placed by the
// records' timestamps: every record has a "left" window ending at its timestamp and, when
// a later record falls in it, a "right" window starting just after it. Each distinct set
// of records within timeDifference of each other has one window. timeDifference and grace
// must be zero or positive.
func SlidingWindows(timeDifference, grace time.Duration) Windows {
	w := Windows{kind: sliding, size: timeDifference.Milliseconds(), grace: grace.Milliseconds()}
	w.err = w.validate()
	return w
}

func (w Windows) validate() error {
	switch {
	case w.kind == sliding && w.size < 0:
		return fmt.Errorf("sliding windows: negative time difference %dms", w.size)
	case w.kind != sliding && w.size <= 0:
		return fmt.Errorf("%s windows: size %dms must be positive", w.kind, w.size)
	case w.kind == hopping && (w.advance <= 0 || w.advance > w.size):
		return fmt.Errorf("hopping windows: advance %dms must be positive and at most the size %dms", w.advance, w.size)
	case w.grace < 0:
		return fmt.Errorf("%s windows: negative grace period %dms", w.kind, w.grace)
	}
	return nil
}

// WithRetention returns w with the window store keeping windows for d of stream time,
// overriding the default (size + grace; 2 * time difference + grace for sliding windows).
// A retention below that default is a Build error: windows still open would be dropped.
func (w Windows) WithRetention(d time.Duration) Windows {
	w.retention = d.Milliseconds()
	if d <= 0 && w.err == nil {
		w.err = fmt.Errorf("%s windows: retention %v must be positive", w.kind, d)
	}
	return w
}

// Size is the window size (the time difference of sliding windows).
func (w Windows) Size() time.Duration { return time.Duration(w.size) * time.Millisecond }

// Advance is the distance between window starts: the size for tumbling windows, 0 for
// sliding windows.
func (w Windows) Advance() time.Duration { return time.Duration(w.advance) * time.Millisecond }

// Grace is the grace period: how long after its end a window still accepts records.
func (w Windows) Grace() time.Duration { return time.Duration(w.grace) * time.Millisecond }

// minRetention is the shortest retention that keeps every window that is still open.
func (w Windows) minRetention() int64 {
	if w.kind == sliding {
		return 2*w.size + w.grace
	}
	return w.size + w.grace
}

// Retention is the retention of the window store: the one given to WithRetention, else
// the default.
func (w Windows) Retention() time.Duration {
	if w.retention > 0 {
		return time.Duration(w.retention) * time.Millisecond
	}
	return time.Duration(max(w.minRetention(), 1)) * time.Millisecond
}

// check returns the definition's error, or one for a retention that is too short, in
// Kafka Streams' words.
func (w Windows) check(store string) error {
	if w.kind == 0 && w.size == 0 && w.err == nil {
		return errors.New("zero Windows: make them with TumblingWindows, HoppingWindows or SlidingWindows")
	}
	if w.err != nil {
		return w.err
	}
	if w.retention > 0 && w.retention < w.minRetention() {
		if w.kind == sliding {
			return fmt.Errorf("the retention period of the window store %s must be no smaller than 2 * its window time difference plus the grace period; got time difference=[%d], grace=[%d], retention=[%d]",
				store, w.size, w.grace, w.retention)
		}
		return fmt.Errorf("the retention period of the window store %s must be no smaller than its window size plus the grace period; got size=[%d], grace=[%d], retention=[%d]",
			store, w.size, w.grace, w.retention)
	}
	return nil
}

// Sessions defines session windows for WindowedBySession (Kafka Streams' SessionWindows);
// make one with SessionWindows. An invalid definition is reported by Builder.Build.
type Sessions struct {
	gap       int64 // ms
	grace     int64 // ms
	retention int64 // ms; 0: the default
	err       error
}

// SessionWindows defines session windows: the records of a key that follow each other
// with less than inactivityGap between them form one session [first, last], both ends
// included; a record that falls within the gap of two sessions merges them. inactivityGap
// must be positive, grace zero or positive. The session store keeps sessions for
// inactivityGap + grace of stream time after their end, unless WithRetention says longer.
func SessionWindows(inactivityGap, grace time.Duration) Sessions {
	s := Sessions{gap: inactivityGap.Milliseconds(), grace: grace.Milliseconds()}
	switch {
	case s.gap <= 0:
		s.err = fmt.Errorf("session windows: inactivity gap %dms must be positive", s.gap)
	case s.grace < 0:
		s.err = fmt.Errorf("session windows: negative grace period %dms", s.grace)
	}
	return s
}

// WithRetention returns s with the session store keeping sessions for d of stream time
// after their end, overriding the default inactivity gap + grace. A shorter retention
// than that is a Build error.
func (s Sessions) WithRetention(d time.Duration) Sessions {
	s.retention = d.Milliseconds()
	if d <= 0 && s.err == nil {
		s.err = fmt.Errorf("session windows: retention %v must be positive", d)
	}
	return s
}

// Gap is the inactivity gap.
func (s Sessions) Gap() time.Duration { return time.Duration(s.gap) * time.Millisecond }

// Grace is the grace period: how long after its end a session still accepts records.
func (s Sessions) Grace() time.Duration { return time.Duration(s.grace) * time.Millisecond }

// Retention is the retention of the session store: the one given to WithRetention, else
// inactivity gap + grace.
func (s Sessions) Retention() time.Duration {
	if s.retention > 0 {
		return time.Duration(s.retention) * time.Millisecond
	}
	return time.Duration(s.gap+s.grace) * time.Millisecond
}

func (s Sessions) check(store string) error {
	if s.gap == 0 && s.err == nil {
		return errors.New("zero Sessions: make them with SessionWindows")
	}
	if s.err != nil {
		return s.err
	}
	if s.retention > 0 && s.retention < s.gap+s.grace {
		return fmt.Errorf("the retention period of the session store %s must be no smaller than the session inactivity gap plus the grace period; got gap=[%d], grace=[%d], retention=[%d]",
			store, s.gap, s.grace, s.retention)
	}
	return nil
}
