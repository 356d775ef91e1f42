package statestore

import (
	"bytes"
	"fmt"
	"math"
	"time"

	badger "github.com/dgraph-io/badger/v4"
)

// expiry tracks the stream time of a window or session store partition and what it may hold,
// to filter out and delete entries older than the retention (measured on window starts for
// window stores and on session ends for session stores).
//
// As in Kafka Streams, an entry is expired when its time t satisfies
// t <= observed - retention, where observed is the largest of the stream times passed to
// Expire and the times written. Reads skip expired entries at once; Expire deletes them in
// batches: it scans the partition only when the oldest entry it may hold has been expired
// for half the retention (Kafka Streams' default segment interval), so a partition holds at
// most about 1.5 times the retention.
type expiry struct {
	retention int64 // ms; <= 0: entries never expire
	observed  int64 // math.MinInt64: none yet
	min       int64 // smallest time possibly stored, if known
	known     bool
}

func newExpiry(retention time.Duration) expiry {
	return expiry{retention: retention.Milliseconds(), observed: math.MinInt64}
}

func (e *expiry) observe(t int64) {
	if t > e.observed {
		e.observed = t
	}
}

// liveFrom returns the smallest time that is not expired.
func (e *expiry) liveFrom() int64 {
	if e.retention <= 0 || e.observed == math.MinInt64 {
		return math.MinInt64
	}
	if e.observed < math.MinInt64+e.retention {
		return math.MinInt64 + 1
	}
	return e.observed - e.retention + 1
}

func (e *expiry) expired(t int64) bool { return t < e.liveFrom() }

// wrote records that an entry with time t may be stored.
func (e *expiry) wrote(t int64) {
	if e.known && t < e.min {
		e.min = t
	}
}

// due reports whether Expire should scan, and the largest expired time.
func (e *expiry) due() (cutoff int64, ok bool) {
	from := e.liveFrom()
	if from == math.MinInt64 {
		return 0, false
	}
	cutoff = from - 1
	if !e.known {
		return cutoff, true
	}
	if e.min > cutoff {
		return cutoff, false
	}
	return cutoff, uint64(cutoff)-uint64(e.min) >= uint64(max(e.retention/2, 1))
}

// expire deletes the entries of prefix whose time (timeOf of the full key) is <= cutoff:
// committed ones directly (expiry is not logged, nor part of the Session's transaction),
// pending ones by turning them into deletions. It returns the smallest time left
// (math.MaxInt64 if none).
func (s *Session) expire(prefix []byte, cutoff int64, timeOf func(key []byte) int64) (int64, error) {
	left := int64(math.MaxInt64)
	s.db.wmu.RLock()
	defer s.db.wmu.RUnlock()
	if s.db.closed {
		return 0, ErrClosed
	}
	wb := s.db.bdb.NewWriteBatch()
	var deleted int
	err := s.db.bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
		defer it.Close()
		for it.Seek(prefix); it.Valid(); it.Next() {
			k := it.Item().Key()
			t := timeOf(k)
			if t > cutoff {
				left = min(left, t)
				continue
			}
			if err := wb.Delete(it.Item().KeyCopy(nil)); err != nil {
				return err
			}
			s.cache.del(k)
			deleted++
		}
		return nil
	})
	if err != nil {
		wb.Cancel()
		return 0, err
	}
	if err := wb.Flush(); err != nil {
		return 0, fmt.Errorf("delete %d expired entries: %w", deleted, err)
	}
	for n := s.buf.seekGE(prefix); n != nil && bytes.HasPrefix(n.key, prefix); n = n.next[0] {
		if n.del {
			continue
		}
		t := timeOf(n.key)
		if t > cutoff {
			left = min(left, t)
			continue
		}
		s.size += s.estimate(len(n.key), 0) - s.estimate(len(n.key), len(n.value))
		n.value, n.del = nil, true
	}
	return left, nil
}
