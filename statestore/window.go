package statestore

import (
	"bytes"
	"errors"
	"time"
)

// Window is one partition of a window store: values keyed by (key, window start), kept for a
// retention period of stream time. All windows of a key are stored together in time order,
// and keys follow the byte order of their serialized form. Every write is also passed to the
// ChangeLogger. Like its Session, a Window is used by one goroutine.
//
// Expiry follows Kafka Streams: the store tracks the largest window start written and stream
// time passed to Expire (observed); a window whose start is <= observed - retention is
// expired: reads skip it, writes to it are dropped (and not logged) and Expire deletes it.
// Times are in milliseconds.
type Window struct {
	timedStore
}

// NewWindow returns partition partition of window store store, reading and writing through
// s, keeping windows for retention (retention <= 0: forever). log receives every write; nil
// means no changelog. An invalid store name (see ValidateStoreName) makes every operation
// fail.
func NewWindow(s *Session, store string, partition int32, retention time.Duration, log ChangeLogger) *Window {
	return &Window{newTimedStore("window", s, store, partition, retention, log)}
}

func (w *Window) key(key []byte, start int64) []byte {
	w.scratch = appendWindowKey(append(w.scratch[:0], w.prefix...), key, start)
	return w.scratch
}

// Put sets the value of the window of key starting at windowStart (a nil value deletes it)
// and logs the change with timestamp ts. A write to an expired window is dropped. key and
// value are copied.
func (w *Window) Put(key []byte, windowStart int64, value []byte, ts int64) error {
	if w.err != nil {
		return w.err
	}
	w.exp.observe(windowStart)
	if w.exp.expired(windowStart) {
		return nil
	}
	k, v, err := w.s.put(w.key(key, windowStart), value)
	if err != nil {
		return w.wrap("put to", err)
	}
	w.exp.wrote(windowStart)
	if w.log != nil {
		w.log.LogChange(w.store, w.partition, k[len(w.prefix):], v, ts)
	}
	return nil
}

// Get returns the value of the window of key starting at windowStart, nil if absent or
// expired. The value must not be modified.
func (w *Window) Get(key []byte, windowStart int64) ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	if w.exp.expired(windowStart) {
		return nil, nil
	}
	v, err := w.s.get(w.key(key, windowStart))
	if err != nil {
		return nil, w.wrap("get from", err)
	}
	return v, nil
}

// Fetch calls fn for the windows of key with timeFrom <= start <= timeTo, in ascending order
// of start, until fn returns false. value is valid only until fn returns.
func (w *Window) Fetch(key []byte, timeFrom, timeTo int64, fn func(windowStart int64, value []byte) bool) error {
	if w.err != nil {
		return w.err
	}
	timeFrom = max(timeFrom, w.exp.liveFrom())
	if timeFrom > timeTo {
		return nil
	}
	base := appendEscaped(append([]byte(nil), w.prefix...), key)
	lo := appendTime(bytes.Clone(base), timeFrom)
	hi := appendTime(base, timeTo)
	if err := w.s.scan(w.prefix, lo, hi, false, func(k, v []byte) bool {
		return fn(windowStart(k), v)
	}); err != nil {
		return w.wrap("fetch from", err)
	}
	return nil
}

// FetchAll calls fn for the windows of every key with timeFrom <= start <= timeTo, in
// ascending order of key then start, until fn returns false. It scans the whole partition.
// key and value are valid only until fn returns.
func (w *Window) FetchAll(timeFrom, timeTo int64, fn func(key []byte, windowStart int64, value []byte) bool) error {
	if w.err != nil {
		return w.err
	}
	timeFrom = max(timeFrom, w.exp.liveFrom())
	if timeFrom > timeTo {
		return nil
	}
	var derr error
	err := w.s.scan(w.prefix, nil, nil, false, func(k, v []byte) bool {
		start := windowStart(k)
		if start < timeFrom || start > timeTo {
			return true
		}
		key, _, err := decodeWindowKey(w.keyBuf[:0], k[len(w.prefix):])
		if err != nil {
			derr = err
			return false
		}
		w.keyBuf = key
		return fn(key, start, v)
	})
	if err = errors.Join(err, derr); err != nil {
		return w.wrap("fetch all from", err)
	}
	return nil
}

// Expire records stream time streamTime and deletes the expired windows (see Window). The
// runtime calls it at commit. The deletions are not logged (the changelog topic's retention
// removes them there) and do not wait for the Session's commit.
func (w *Window) Expire(streamTime int64) error {
	if w.err != nil {
		return w.err
	}
	w.exp.observe(streamTime)
	cutoff, ok := w.exp.due()
	if !ok {
		return nil
	}
	left, err := w.s.expire(w.prefix, cutoff, windowStart)
	if err != nil {
		return w.wrap("expire windows of", err)
	}
	w.exp.min, w.exp.known = left, true
	return nil
}

// Restore applies one changelog record (a nil value deletes), without logging it. The
// window start counts as observed stream time, as in Kafka Streams.
func (w *Window) Restore(changelogKey, value []byte) error {
	if w.err != nil {
		return w.err
	}
	key, start, err := decodeWindowKey(w.keyBuf[:0], changelogKey)
	if err != nil {
		return w.wrap("restore", err)
	}
	w.keyBuf = key
	w.scratch = append(append(w.scratch[:0], w.prefix...), changelogKey...)
	if _, _, err := w.s.put(w.scratch, value); err != nil {
		return w.wrap("restore", err)
	}
	w.exp.observe(start)
	w.exp.wrote(start)
	return nil
}
