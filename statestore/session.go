package statestore

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"time"
	"unsafe"

	badger "github.com/dgraph-io/badger/v4"
)

// maxKeyLen is Badger's limit on key length.
const maxKeyLen = 65000

// Partition names a store partition, for checkpoints.
type Partition struct {
	Store     string
	Partition int32
}

// ChangeLogger receives every write of a store, to send it to the store's changelog topic.
// The runtime implements it (through the task's record collector). key is the changelog key
// (the raw key for key-value stores; for window and session stores the encoded key and
// times, which the store's Restore decodes); value is nil for a deletion. Neither slice is
// modified afterwards, so the logger may keep them.
type ChangeLogger interface {
	LogChange(store string, partition int32, key, value []byte, timestamp int64)
}

// Session holds the pending writes of one task between two commits. Stores read through it
// see the Session's own pending writes over the data committed when the Session began (or
// last committed or discarded), in point reads and in scans; a Restorer finishing or a
// DropPartition is noticed at the next read. Commit writes the pending writes and the
// changelog checkpoints in one Badger transaction, so that they become durable together,
// atomically.
//
// Pending writes live in a sorted in-memory buffer (not in an open Badger transaction, whose
// scans would sort all its pending writes each time), with the latest value of each key
// only. Committed values the Session reads or writes stay in a cache (SessionCacheSize).
//
// A Session is used by one goroutine (its task); it is not safe for concurrent use. From a
// read to the next Commit or Discard, for at most a second, it holds a Badger read
// snapshot, which keeps Badger from discarding older versions of keys; call Discard when
// done with a Session.
type Session struct {
	db      *DB
	buf     *buffer
	cache   cache
	rtxn    *badger.Txn // read snapshot, opened on first read
	rtxnAt  time.Time   // when rtxn was opened
	size    int64       // Badger's estimate of the pending writes, in bytes
	limit   int64       // size at which writes fail with ErrTxnTooBig
	maxKeys int64       // number of pending keys at which writes fail with ErrTxnTooBig
	gen     uint64      // db.gen when the snapshot and cache were last valid
	scans   int         // scans in progress (the snapshot cannot be dropped under them)
	stale   bool        // drop the snapshot when the last scan ends
}

func newSession(db *DB) *Session {
	return &Session{
		db:      db,
		buf:     newBuffer(),
		cache:   newCache(db.cfg.cacheSize),
		limit:   db.maxSize - db.maxSize/16,
		maxKeys: db.maxCount - db.maxCount/16,
		gen:     db.gen.Load(),
	}
}

// sync drops the snapshot and the cache if another writer (a Restorer, DropPartition)
// changed the database since they were taken.
func (s *Session) sync() {
	if g := s.db.gen.Load(); g != s.gen {
		s.gen = g
		s.cache.clear()
		s.dropSnapshot()
	}
}

// Size returns the approximate size in bytes of the pending writes, as Badger counts it
// against its largest transaction.
func (s *Session) Size() int64 { return s.size }

// NeedsCommit reports whether the pending writes reached half of what one Badger
// transaction holds (in bytes or in entries). The runtime then commits early; writes fail
// with ErrTxnTooBig only well past this point.
func (s *Session) NeedsCommit() bool {
	return s.size >= s.db.maxSize/2 || int64(s.buf.len()) >= s.db.maxCount/2
}

// Commit writes the pending writes and the checkpoints (the next changelog offset of each
// store partition) in one Badger transaction and starts afresh; the Session stays usable.
// On error the pending writes are kept (Discard drops them).
func (s *Session) Commit(checkpoints map[Partition]int64) error {
	for p, off := range checkpoints {
		if err := ValidateStoreName(p.Store); err != nil {
			return fmt.Errorf("commit checkpoint: %w", err)
		}
		if off < 0 {
			return fmt.Errorf("commit checkpoint of store %q partition %d: negative offset %d", p.Store, p.Partition, off)
		}
	}
	if s.buf.len() == 0 && len(checkpoints) == 0 {
		s.dropSnapshot()
		return nil
	}
	err := s.write(checkpoints)
	if errors.Is(err, badger.ErrTxnTooBig) {
		err = fmt.Errorf("commit %d pending writes (%d bytes): %w", s.buf.len(), s.size, ErrTxnTooBig)
	} else if err != nil {
		err = fmt.Errorf("commit %d pending writes: %w", s.buf.len(), err)
	}
	if err != nil {
		return err
	}
	for n := s.buf.first(); n != nil; n = n.next[0] {
		s.cache.put(unsafe.String(unsafe.SliceData(n.key), len(n.key)), n.value)
	}
	s.cache.evict()
	s.buf.reset()
	s.size = 0
	s.dropSnapshot()
	return nil
}

func (s *Session) write(checkpoints map[Partition]int64) error {
	s.db.wmu.RLock()
	defer s.db.wmu.RUnlock()
	if s.db.closed {
		return ErrClosed
	}
	txn := s.db.bdb.NewTransaction(true)
	defer txn.Discard()
	for n := s.buf.first(); n != nil; n = n.next[0] {
		var err error
		if n.del {
			err = txn.Delete(n.key)
		} else {
			err = txn.Set(n.key, n.value)
		}
		if err != nil {
			return err
		}
	}
	// Sorted, so that the transaction is the same from run to run.
	ps := make([]Partition, 0, len(checkpoints))
	for p := range checkpoints {
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].Store != ps[j].Store {
			return ps[i].Store < ps[j].Store
		}
		return ps[i].Partition < ps[j].Partition
	})
	for _, p := range ps {
		if err := txn.Set(checkpointKey(p.Store, p.Partition), binary.BigEndian.AppendUint64(nil, uint64(checkpoints[p]))); err != nil {
			return err
		}
	}
	return txn.Commit()
}

// Discard drops the pending writes (a task closed without committing) and the Session's
// cache of committed values; the Session stays usable and reads the latest committed data.
func (s *Session) Discard() {
	s.buf.reset()
	s.size = 0
	s.cache.clear()
	s.dropSnapshot()
}

func (s *Session) dropSnapshot() {
	if s.scans > 0 {
		s.stale = true
		return
	}
	if s.rtxn != nil && s.db.isClosed() {
		s.rtxn = nil // Badger is gone: nothing to release
	}
	if s.rtxn != nil {
		s.rtxn.Discard()
		s.rtxn = nil
	}
}

// snapshotMaxAge bounds how long a Session keeps a read snapshot.
const snapshotMaxAge = time.Second

// reader returns the read snapshot.
func (s *Session) reader() (*badger.Txn, error) {
	if s.db.isClosed() {
		s.rtxn = nil // Badger is gone: nothing to release
		return nil, ErrClosed
	}
	s.sync()
	if s.rtxn != nil && time.Since(s.rtxnAt) > snapshotMaxAge {
		s.dropSnapshot() // the data is the same (nobody else writes the Session's partitions)
	}
	if s.rtxn == nil {
		s.rtxn, s.rtxnAt = s.db.bdb.NewTransaction(false), time.Now()
	}
	return s.rtxn, nil
}

// get returns the value of a full key: nil if absent. The slice must not be modified.
func (s *Session) get(key []byte) ([]byte, error) {
	if n := s.buf.get(key); n != nil {
		return n.value, nil
	}
	s.sync()
	if v, ok := s.cache.get(key); ok {
		return v, nil
	}
	txn, err := s.reader()
	if err != nil {
		return nil, err
	}
	var v []byte
	it, err := txn.Get(key)
	switch {
	case errors.Is(err, badger.ErrKeyNotFound):
	case err != nil:
		return nil, err
	default:
		if v, err = it.ValueCopy(nil); err != nil {
			return nil, err
		}
		if v == nil {
			v = []byte{}
		}
	}
	s.cache.put(string(key), v)
	s.cache.evict()
	return v, nil
}

// estimate is Badger's estimate of an entry's size in a transaction (txn.checkSize).
func (s *Session) estimate(keyLen, valueLen int) int64 {
	v := int64(valueLen)
	if v >= s.db.valueThreshold {
		v = 12 // value pointer
	}
	return int64(keyLen) + v + 2 + 10
}

// put buffers a write of a full key (a deletion if value is nil); key and value are copied.
// It returns the stored key and value, which are never modified afterwards.
func (s *Session) put(key, value []byte) (k, v []byte, err error) {
	if len(key) > maxKeyLen {
		return nil, nil, fmt.Errorf("encoded key of %d bytes is longer than the maximum %d", len(key), maxKeyLen)
	}
	if int64(len(value)) > s.db.maxValue {
		return nil, nil, fmt.Errorf("value of %d bytes is longer than the maximum %d", len(value), s.db.maxValue)
	}
	if value != nil {
		v = make([]byte, len(value))
		copy(v, value)
	}
	n := s.buf.get(key)
	var old int64
	if n != nil {
		old = s.estimate(len(n.key), len(n.value))
	} else if int64(s.buf.len())+1 >= s.maxKeys {
		return nil, nil, fmt.Errorf("write #%d of the session: %w", s.buf.len()+1, ErrTxnTooBig)
	}
	size := s.size - old + s.estimate(len(key), len(value))
	if size >= s.limit {
		return nil, nil, fmt.Errorf("write of %d bytes to a session holding %d bytes: %w", len(key)+len(value), s.size, ErrTxnTooBig)
	}
	s.size = size
	if n != nil {
		n.value, n.del = v, value == nil
		return n.key, v, nil
	}
	k = bytes.Clone(key)
	s.buf.insert(k, v, value == nil)
	return k, v, nil
}

// scan calls fn for the live entries with full keys in [lo, hi] (nil: the start or the end
// of prefix), merging pending writes into the snapshot, in ascending order of keys
// (descending if reverse), until fn returns false. Keys and values passed to fn are valid
// only until fn returns.
func (s *Session) scan(prefix, lo, hi []byte, reverse bool, fn func(key, value []byte) bool) error {
	txn, err := s.reader()
	if err != nil {
		return err
	}
	if lo == nil {
		lo = prefix
	}
	if hi != nil && bytes.Compare(lo, hi) > 0 {
		return nil
	}
	inRange := func(k []byte) bool {
		if !bytes.HasPrefix(k, prefix) {
			return false
		}
		if reverse {
			return bytes.Compare(k, lo) >= 0
		}
		return hi == nil || bytes.Compare(k, hi) <= 0
	}
	opts := badger.IteratorOptions{Prefix: prefix, Reverse: reverse}
	if reverse && hi == nil {
		// Seek to the end of prefix: the iterator lands on prefixEnd itself if it
		// exists, which the Prefix option would take for the end of the iteration.
		opts.Prefix = nil
	}
	it := txn.NewIterator(opts)
	s.scans++
	defer func() {
		it.Close()
		if s.scans--; s.scans == 0 && s.stale {
			s.stale = false
			s.dropSnapshot()
		}
	}()
	var b *node
	if reverse {
		start := hi
		if start == nil {
			start = prefixEnd(prefix)
		}
		it.Seek(start)
		if it.Valid() && !bytes.HasPrefix(it.Item().Key(), prefix) {
			it.Next() // landed on prefixEnd
		}
		b = s.buf.seekLE(start)
	} else {
		it.Seek(lo)
		b = s.buf.seekGE(lo)
	}
	for {
		var dk []byte
		dOK := it.Valid()
		if dOK {
			dk = it.Item().Key()
			dOK = inRange(dk)
		}
		bOK := b != nil && inRange(b.key)
		if !dOK && !bOK {
			return nil
		}
		if bOK {
			c := 0
			if dOK {
				c = bytes.Compare(b.key, dk)
				if reverse {
					c = -c
				}
			}
			if !dOK || c <= 0 {
				if c == 0 && dOK {
					it.Next() // shadowed by the pending write
				}
				n := b
				if reverse {
					b = b.prev
				} else {
					b = b.next[0]
				}
				if !n.del && !fn(n.key, n.value) {
					return nil
				}
				continue
			}
		}
		cont := true
		if err := it.Item().Value(func(v []byte) error {
			cont = fn(dk, v)
			return nil
		}); err != nil {
			return err
		}
		if !cont {
			return nil
		}
		it.Next()
	}
}
