package statestore

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
)

var (
	// ErrLocked is returned (wrapped) by Open when another process, or another DB of this
	// process, holds the state directory.
	ErrLocked = errors.New("state directory is locked (in use by another process)")
	// ErrCorruptCheckpoint is returned (wrapped) by Checkpoint when the stored checkpoint
	// cannot be decoded. The store partition should be wiped and restored in full.
	ErrCorruptCheckpoint = errors.New("corrupt checkpoint")
	// ErrTxnTooBig is returned (wrapped) by a store write that would make the Session's
	// pending writes exceed what one Badger transaction holds. Callers avoid it by
	// committing when Session.NeedsCommit reports true.
	ErrTxnTooBig = errors.New("pending writes exceed the largest transaction")
	// ErrClosed is returned (wrapped) by operations on a closed DB.
	ErrClosed = errors.New("state database is closed")
)

// DB is the state database of one application instance: one Badger database holding every
// store partition of the instance's tasks, each under its own key prefix, with their
// changelog checkpoints. Its methods are safe for concurrent use; the Sessions it begins are
// not.
type DB struct {
	bdb *badger.DB
	dir string
	cfg cfg

	// wmu orders Badger writes against DropPrefix, which fails concurrent writes: commits,
	// restores and expiry hold it shared, DropPartition and Close exclusively. Lock order:
	// nothing is locked while wmu is held (Restorer.mu is taken only after releasing it).
	wmu    sync.RWMutex
	closed bool        // under wmu
	closeF atomic.Bool // closed, for readers (which do not take wmu)

	maxSize, maxCount int64 // of one Badger transaction
	valueThreshold    int64 // values this long or longer go to the value log
	maxValue          int64 // longest value Badger takes

	// gen counts the writes that bypass Sessions (DropPartition, Restorer): a Session that
	// sees it change drops its snapshot and cache.
	gen atomic.Uint64

	stop chan struct{}
	wg   sync.WaitGroup
}

// Open opens (creating it if needed) the state database in dir, which is
// state.dir/<application id>. With InMemory, dir is ignored and may be empty.
//
// A directory held by another process, or by another DB of this process, gives an error
// wrapping ErrLocked; a directory that cannot be created or written gives an error naming
// it.
func Open(dir string, opts ...Opt) (*DB, error) {
	c := defaultCfg()
	for _, o := range opts {
		o.apply(&c)
	}
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("open state: %w", err)
	}
	bo := badgerOptions(dir, c)
	if !c.inMemory {
		if dir == "" {
			return nil, errors.New("open state: empty state directory (use InMemory for an in-memory store)")
		}
		if err := checkWritable(dir); err != nil {
			return nil, err
		}
	}
	bdb, err := badger.Open(bo)
	if err != nil {
		if strings.Contains(err.Error(), "Cannot acquire directory lock") {
			return nil, fmt.Errorf("open state directory %q: %w", dir, ErrLocked)
		}
		return nil, fmt.Errorf("open state directory %q: %w", dir, err)
	}
	db := &DB{
		bdb:            bdb,
		dir:            dir,
		cfg:            c,
		maxSize:        bdb.MaxBatchSize(),
		maxCount:       bdb.MaxBatchCount(),
		valueThreshold: bo.ValueThreshold,
		maxValue:       bo.ValueLogFileSize,
		stop:           make(chan struct{}),
	}
	if c.inMemory {
		db.maxValue = bo.ValueThreshold // no value log
	}
	if !c.inMemory && c.gcInterval > 0 {
		db.wg.Go(db.valueLogGC)
	}
	return db, nil
}

// badgerOptions are the Badger settings, tuned for a small machine (see doc.go).
func badgerOptions(dir string, c cfg) badger.Options {
	if c.inMemory {
		dir = ""
	}
	return badger.DefaultOptions(dir).
		WithInMemory(c.inMemory).
		WithLogger(slogAdapter{c.log}).
		WithMemTableSize(c.memTableSize).
		WithNumMemtables(2).
		WithNumCompactors(2).
		WithNumGoroutines(2).
		WithCompression(options.None).
		WithBlockCacheSize(c.blockCache).
		WithIndexCacheSize(0).
		WithValueLogFileSize(64 << 20).
		WithValueThreshold(min(1<<20, c.memTableSize*15/100)).
		WithDetectConflicts(false).
		WithMetricsEnabled(false).
		WithSyncWrites(false)
}

// checkWritable creates dir if needed and makes sure files can be created in it, so that a
// bad state.dir fails with a clear error rather than deep inside Badger.
func checkWritable(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create state directory %q: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, ".write-probe-*")
	if err != nil {
		return fmt.Errorf("state directory %q is not writable: %w", dir, err)
	}
	name := f.Name()
	return errors.Join(f.Close(), os.Remove(name))
}

// valueLogGC reclaims value-log space (only values of 1 MiB and more live there) until Close.
func (db *DB) valueLogGC() {
	t := time.NewTicker(db.cfg.gcInterval)
	defer t.Stop()
	for {
		select {
		case <-db.stop:
			return
		case <-t.C:
		}
		db.wmu.RLock()
		for !db.closed && db.bdb.RunValueLogGC(0.5) == nil {
		}
		db.wmu.RUnlock()
	}
}

// Close closes the database; pending writes of open Sessions are lost. It is idempotent.
func (db *DB) Close() error {
	db.wmu.Lock()
	if db.closed {
		db.wmu.Unlock()
		return nil
	}
	db.closed = true
	db.closeF.Store(true)
	close(db.stop)
	db.wmu.Unlock()
	db.wg.Wait()
	if err := db.bdb.Close(); err != nil {
		return fmt.Errorf("close state directory %q: %w", db.dir, err)
	}
	return nil
}

// DropPartition deletes every entry of a store partition and its checkpoint (the partition
// moved to another instance, or must be restored from scratch). Pending writes of open
// Sessions are not affected: discard them first.
func (db *DB) DropPartition(store string, partition int32) error {
	if err := ValidateStoreName(store); err != nil {
		return err
	}
	db.wmu.Lock()
	defer db.wmu.Unlock()
	if db.closed {
		return fmt.Errorf("drop store %q partition %d: %w", store, partition, ErrClosed)
	}
	defer db.gen.Add(1)
	if err := db.bdb.DropPrefix(partitionPrefix(store, partition), checkpointKey(store, partition)); err != nil {
		return fmt.Errorf("drop store %q partition %d: %w", store, partition, err)
	}
	return nil
}

// Checkpoint returns the changelog offset committed with the store partition's data: the
// next changelog offset to restore from. ok is false if there is none. A checkpoint that
// cannot be decoded gives an error wrapping ErrCorruptCheckpoint.
func (db *DB) Checkpoint(store string, partition int32) (offset int64, ok bool, err error) {
	if err := ValidateStoreName(store); err != nil {
		return 0, false, err
	}
	var v []byte
	err = db.view(func(txn *badger.Txn) error {
		it, err := txn.Get(checkpointKey(store, partition))
		if err != nil {
			return err
		}
		v, err = it.ValueCopy(nil)
		return err
	})
	switch {
	case errors.Is(err, badger.ErrKeyNotFound):
		return 0, false, nil
	case err != nil:
		return 0, false, fmt.Errorf("read checkpoint of store %q partition %d: %w", store, partition, err)
	}
	if len(v) != cpValLen || int64(binary.BigEndian.Uint64(v)) < 0 {
		return 0, false, fmt.Errorf("checkpoint of store %q partition %d (%x): %w", store, partition, v, ErrCorruptCheckpoint)
	}
	return int64(binary.BigEndian.Uint64(v)), true, nil
}

// view runs fn in a read-only Badger transaction.
func (db *DB) view(fn func(*badger.Txn) error) error {
	db.wmu.RLock()
	defer db.wmu.RUnlock()
	if db.closed {
		return ErrClosed
	}
	return db.bdb.View(fn)
}

func (db *DB) isClosed() bool { return db.closeF.Load() }

// Begin starts a Session: the pending writes of one task between two commits.
func (db *DB) Begin() *Session { return newSession(db) }

// slogAdapter is Badger's Logger on slog; Badger's info messages are logged at debug level.
type slogAdapter struct{ l *slog.Logger }

func (a slogAdapter) Errorf(f string, args ...any)   { a.log(slog.LevelError, f, args) }
func (a slogAdapter) Warningf(f string, args ...any) { a.log(slog.LevelWarn, f, args) }
func (a slogAdapter) Infof(f string, args ...any)    { a.log(slog.LevelDebug, f, args) }
func (a slogAdapter) Debugf(f string, args ...any)   { a.log(slog.LevelDebug-4, f, args) }

func (a slogAdapter) log(level slog.Level, f string, args []any) {
	if !a.l.Enabled(context.Background(), level) {
		return
	}
	a.l.Log(context.Background(), level, strings.TrimSpace(fmt.Sprintf(f, args...)), "component", "badger")
}

var _ badger.Logger = slogAdapter{}
