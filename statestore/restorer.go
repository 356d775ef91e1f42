package statestore

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sync"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/pb"
)

// Restorer writes a store partition's changelog back into the database, fast, outside any
// Session. It works for every store kind, because the Badger key of a changelog record is
// the partition prefix followed by the changelog key.
//
// How: records are collected in batches; a background goroutine sorts each batch by key,
// keeps the last record of each key, and loads it with Badger's KVLoader (the bulk path of
// Badger's backup restore: no transaction bookkeeping) at a version of its own, a fresh
// commit timestamp taken from Badger's oracle just before. Versions grow from batch to batch
// and stay below those of later commits, so Badger's usual rule (the highest version wins)
// applies. Sorted batches make Badger's memtable inserts much cheaper. While one batch is
// loaded, the caller fills the next.
//
// Replaying a changelog is idempotent, so a restore that stops half way (an error, a crash,
// an abandoned Restorer) leaves the partition consistent with its old checkpoint: restoring
// again from there gives the same result. Sessions see the restored data from their next read
// after Finish.
//
// A Restorer is used by one goroutine. Call Finish at the end, also after an error: it waits
// for the batch being loaded.
type Restorer struct {
	db        *DB
	store     string
	partition int32
	prefix    []byte
	err       error // first error; sticky

	batch []restoreEntry
	arena []byte // keys and values of batch
	n     int64
	done  bool

	loading chan struct{} // holds a token while a batch is being loaded
	wg      sync.WaitGroup
	mu      sync.Mutex // guards lerr and spare
	lerr    error      // first error of a background load
	spare   []byte     // arena of a loaded batch, for reuse
}

// restoreEntry locates a record in the batch arena: the full Badger key at off, klen
// bytes, then the value, vlen bytes (-1: a deletion). Entries are appended in changelog
// order, so off orders records of the same key.
type restoreEntry struct {
	off, klen uint32
	vlen      int32
}

const (
	// badgerBitDelete is Badger's entry meta bit for a deletion (bitDelete in its value.go;
	// part of its on-disk format).
	badgerBitDelete = 1 << 0
)

// restoreMarker is the reserved key committed to draw a fresh version for each batch.
var restoreMarker = []byte("\x00restore")

// Restorer returns a Restorer for partition partition of store.
func (db *DB) Restorer(store string, partition int32) *Restorer {
	r := &Restorer{db: db, store: store, partition: partition, loading: make(chan struct{}, 1)}
	if err := ValidateStoreName(store); err != nil {
		r.err = err
		return r
	}
	r.prefix = partitionPrefix(store, partition)
	return r
}

// Restored returns the number of records added so far.
func (r *Restorer) Restored() int64 { return r.n }

// Add applies one changelog record: value nil deletes. key and value are copied.
func (r *Restorer) Add(changelogKey, value []byte) error {
	if r.err == nil && r.done {
		r.err = errors.New("add after Finish")
	}
	if r.err == nil {
		r.err = r.loadErr()
	}
	if r.err != nil {
		return r.wrap(r.err)
	}
	kl := len(r.prefix) + len(changelogKey)
	if kl > maxKeyLen {
		r.err = fmt.Errorf("encoded key of %d bytes is longer than the maximum %d", kl, maxKeyLen)
		return r.wrap(r.err)
	}
	if int64(len(value)) > r.db.maxValue {
		r.err = fmt.Errorf("value of %d bytes is longer than the maximum %d", len(value), r.db.maxValue)
		return r.wrap(r.err)
	}
	need := kl + len(value)
	if len(r.arena)+need > cap(r.arena) && len(r.batch) > 0 {
		r.flush()
	}
	if r.arena == nil {
		r.mu.Lock()
		r.arena, r.spare = r.spare, nil
		r.mu.Unlock()
		if int64(cap(r.arena)) < max(4*r.db.maxSize, int64(need)) {
			// Two batches exist while one loads; larger sorted batches insert faster.
			r.arena = make([]byte, 0, max(4*r.db.maxSize, int64(need)))
		}
	}
	e := restoreEntry{off: uint32(len(r.arena)), klen: uint32(kl), vlen: int32(len(value))}
	if value == nil {
		e.vlen = -1
	}
	r.arena = append(append(append(r.arena, r.prefix...), changelogKey...), value...)
	r.batch = append(r.batch, e)
	r.n++
	return nil
}

// flush hands the batch to a background load, waiting for the previous one.
func (r *Restorer) flush() {
	batch, arena := r.batch, r.arena
	r.batch, r.arena = nil, nil
	if len(batch) == 0 {
		return
	}
	r.loading <- struct{}{}
	r.wg.Go(func() {
		defer func() { <-r.loading }()
		err := r.load(batch, arena)
		r.mu.Lock()
		defer r.mu.Unlock()
		if err != nil && r.lerr == nil {
			r.lerr = err
		}
		if err == nil {
			r.spare = arena[:0] // Badger copied everything
		}
	})
}

// load writes a batch at a fresh version.
func (r *Restorer) load(batch []restoreEntry, arena []byte) error {
	key := func(e restoreEntry) []byte { return arena[e.off : e.off+e.klen : e.off+e.klen] }
	// Sort by key then changelog order; of several records of a key keep the last. All keys
	// share the partition prefix.
	p := uint32(len(r.prefix))
	slices.SortFunc(batch, func(a, b restoreEntry) int {
		if c := bytes.Compare(arena[a.off+p:a.off+a.klen], arena[b.off+p:b.off+b.klen]); c != 0 {
			return c
		}
		return cmp.Compare(a.off, b.off)
	})

	r.db.wmu.RLock()
	defer r.db.wmu.RUnlock()
	if r.db.closed {
		return ErrClosed
	}
	version, err := r.db.freshVersion()
	if err != nil {
		return err
	}
	l := r.db.bdb.NewKVLoader(2)
	kv := &pb.KV{Version: version}
	del := []byte{badgerBitDelete}
	for i, e := range batch {
		if i+1 < len(batch) && bytes.Equal(key(e), key(batch[i+1])) {
			continue // a later record of the key follows
		}
		kv.Key, kv.Value, kv.Meta = key(e), nil, nil
		if e.vlen < 0 {
			kv.Meta = del
		} else {
			v := e.off + e.klen
			kv.Value = arena[v : v+uint32(e.vlen) : v+uint32(e.vlen)]
		}
		if err := l.Set(kv); err != nil {
			return errors.Join(err, l.Finish())
		}
	}
	return l.Finish()
}

// freshVersion commits the restore marker and returns a version at or above its commit
// timestamp: above every version committed before, below every later commit's.
func (db *DB) freshVersion() (uint64, error) {
	if err := db.bdb.Update(func(txn *badger.Txn) error { return txn.Set(restoreMarker, nil) }); err != nil {
		return 0, err
	}
	txn := db.bdb.NewTransaction(false)
	defer txn.Discard()
	return txn.ReadTs(), nil
}

func (r *Restorer) loadErr() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lerr
}

func (r *Restorer) wrap(err error) error {
	return fmt.Errorf("restore store %q partition %d: %w", r.store, r.partition, err)
}

// Finish loads what is left, waits for the background load and then stores checkpoint (the
// next changelog offset to restore from) as the partition's checkpoint, unless it is
// negative. After an error it stores nothing and returns the error.
func (r *Restorer) Finish(checkpoint int64) error {
	if r.done {
		return r.wrap(errors.New("Finish called twice"))
	}
	r.done = true
	if r.err == nil {
		r.flush()
	}
	r.batch, r.arena = nil, nil
	r.wg.Wait()
	r.db.gen.Add(1) // Sessions drop their snapshots and caches
	if r.err == nil {
		r.err = r.loadErr()
	}
	if r.err != nil {
		return r.wrap(r.err)
	}
	if checkpoint < 0 {
		return nil
	}
	r.db.wmu.RLock()
	defer r.db.wmu.RUnlock()
	if r.db.closed {
		return r.wrap(ErrClosed)
	}
	if err := r.db.bdb.Update(func(txn *badger.Txn) error {
		return txn.Set(checkpointKey(r.store, r.partition), binary.BigEndian.AppendUint64(nil, uint64(checkpoint)))
	}); err != nil {
		return r.wrap(fmt.Errorf("write checkpoint %d: %w", checkpoint, err))
	}
	return nil
}
