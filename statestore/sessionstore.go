package statestore

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// SessionStore is one partition of a session store: values keyed by (key, session start,
// session end), kept for a retention period of stream time. The sessions of a key are stored
// together, ordered by end then start. Every write is also passed to the ChangeLogger. Like
// its Session, a SessionStore is used by one goroutine.
//
// Expiry follows Kafka Streams, on session ends: a session whose end is
// <= observed - retention is expired, where observed is the largest session end written and
// stream time passed to Expire; reads skip it, writes to it are dropped (and not logged) and
// Expire deletes it. Times are in milliseconds.
type SessionStore struct {
	timedStore
}

// NewSessionStore returns partition partition of session store store, reading and writing
// through s, keeping sessions for retention (retention <= 0: forever). log receives every
// write; nil means no changelog. An invalid store name (see ValidateStoreName) makes every
// operation fail.
func NewSessionStore(s *Session, store string, partition int32, retention time.Duration, log ChangeLogger) *SessionStore {
	return &SessionStore{newTimedStore("session", s, store, partition, retention, log)}
}

// Put sets the value of the session of key from start to end (a nil value removes it) and
// logs the change with timestamp ts. A write to an expired session is dropped. key and value
// are copied.
func (ss *SessionStore) Put(key []byte, start, end int64, value []byte, ts int64) error {
	if ss.err != nil {
		return ss.err
	}
	if start > end {
		return ss.wrap("put to", fmt.Errorf("session start %d after its end %d", start, end))
	}
	ss.exp.observe(end)
	if ss.exp.expired(end) {
		return nil
	}
	ss.scratch = appendSessionKey(append(ss.scratch[:0], ss.prefix...), key, start, end)
	k, v, err := ss.s.put(ss.scratch, value)
	if err != nil {
		return ss.wrap("put to", err)
	}
	ss.exp.wrote(end)
	if ss.log != nil {
		ss.log.LogChange(ss.store, ss.partition, k[len(ss.prefix):], v, ts)
	}
	return nil
}

// Remove removes the session of key from start to end and logs the removal (a nil value)
// with timestamp ts.
func (ss *SessionStore) Remove(key []byte, start, end int64, ts int64) error {
	return ss.Put(key, start, end, nil, ts)
}

// Get returns the value of the session of key from start to end, nil if absent or expired.
// The value must not be modified.
func (ss *SessionStore) Get(key []byte, start, end int64) ([]byte, error) {
	if ss.err != nil {
		return nil, ss.err
	}
	if ss.exp.expired(end) {
		return nil, nil
	}
	ss.scratch = appendSessionKey(append(ss.scratch[:0], ss.prefix...), key, start, end)
	v, err := ss.s.get(ss.scratch)
	if err != nil {
		return nil, ss.wrap("get from", err)
	}
	return v, nil
}

// FindSessions calls fn for the sessions of key with end >= earliestEnd and
// start <= latestStart, those that overlap or touch [earliestEnd, latestStart] (Kafka
// Streams' findSessions: to merge a record at time t with inactivity gap g, pass t-g and
// t+g), ordered by end then start, until fn returns false. value is valid only until fn
// returns.
func (ss *SessionStore) FindSessions(key []byte, earliestEnd, latestStart int64, fn func(start, end int64, value []byte) bool) error {
	if ss.err != nil {
		return ss.err
	}
	earliestEnd = max(earliestEnd, ss.exp.liveFrom())
	keyPrefix := appendEscaped(append([]byte(nil), ss.prefix...), key)
	lo := appendTime(appendTime(append([]byte(nil), keyPrefix...), earliestEnd), math.MinInt64)
	if err := ss.s.scan(keyPrefix, lo, nil, false, func(k, v []byte) bool {
		start, end := sessionTimes(k)
		if start > latestStart {
			return true
		}
		return fn(start, end, v)
	}); err != nil {
		return ss.wrap("find sessions in", err)
	}
	return nil
}

// Fetch calls fn for every session of key, ordered by end then start, like FindSessions.
func (ss *SessionStore) Fetch(key []byte, fn func(start, end int64, value []byte) bool) error {
	return ss.FindSessions(key, math.MinInt64, math.MaxInt64, fn)
}

// All calls fn for every session of every key, in ascending order of key, then end, then
// start, until fn returns false. It scans the whole partition. key and value are valid only
// until fn returns.
func (ss *SessionStore) All(fn func(key []byte, start, end int64, value []byte) bool) error {
	if ss.err != nil {
		return ss.err
	}
	from := ss.exp.liveFrom()
	var derr error
	err := ss.s.scan(ss.prefix, nil, nil, false, func(k, v []byte) bool {
		key, start, end, err := decodeSessionKey(ss.keyBuf[:0], k[len(ss.prefix):])
		if err != nil {
			derr = err
			return false
		}
		ss.keyBuf = key
		if end < from {
			return true
		}
		return fn(key, start, end, v)
	})
	if err = errors.Join(err, derr); err != nil {
		return ss.wrap("scan", err)
	}
	return nil
}

// Expire records stream time streamTime and deletes the expired sessions (see
// SessionStore). The runtime calls it at commit. The deletions are not logged and do not
// wait for the Session's commit.
func (ss *SessionStore) Expire(streamTime int64) error {
	if ss.err != nil {
		return ss.err
	}
	ss.exp.observe(streamTime)
	cutoff, ok := ss.exp.due()
	if !ok {
		return nil
	}
	left, err := ss.s.expire(ss.prefix, cutoff, sessionEnd)
	if err != nil {
		return ss.wrap("expire sessions of", err)
	}
	ss.exp.min, ss.exp.known = left, true
	return nil
}

// Restore applies one changelog record (a nil value removes), without logging it. The
// session end counts as observed stream time, as in Kafka Streams.
func (ss *SessionStore) Restore(changelogKey, value []byte) error {
	if ss.err != nil {
		return ss.err
	}
	key, _, end, err := decodeSessionKey(ss.keyBuf[:0], changelogKey)
	if err != nil {
		return ss.wrap("restore", err)
	}
	ss.keyBuf = key
	ss.scratch = append(append(ss.scratch[:0], ss.prefix...), changelogKey...)
	if _, _, err := ss.s.put(ss.scratch, value); err != nil {
		return ss.wrap("restore", err)
	}
	ss.exp.observe(end)
	ss.exp.wrote(end)
	return nil
}

// sessionEnd returns the end of a session key.
func sessionEnd(k []byte) int64 {
	_, end := sessionTimes(k)
	return end
}
