package statestore

import "fmt"

// KeyValue is one partition of a key-value store, read and written through a Session. Keys
// and values are bytes (the typed wrappers live in dsl); scans follow the byte order of the
// keys. Every write is also passed to the ChangeLogger. Like its Session, a KeyValue is used
// by one goroutine.
type KeyValue struct {
	s         *Session
	store     string
	partition int32
	prefix    []byte
	log       ChangeLogger
	err       error // invalid store name: every operation fails with it
	scratch   []byte
}

// NewKeyValue returns partition partition of key-value store store, reading and writing
// through s. log receives every write; nil means no changelog. An invalid store name (see
// ValidateStoreName) makes every operation fail.
func NewKeyValue(s *Session, store string, partition int32, log ChangeLogger) *KeyValue {
	kv := &KeyValue{s: s, store: store, partition: partition, log: log}
	if err := ValidateStoreName(store); err != nil {
		kv.err = err
		return kv
	}
	kv.prefix = partitionPrefix(store, partition)
	return kv
}

// Name returns the store name.
func (kv *KeyValue) Name() string { return kv.store }

// Partition returns the store partition.
func (kv *KeyValue) Partition() int32 { return kv.partition }

func (kv *KeyValue) key(k []byte) []byte {
	kv.scratch = append(append(kv.scratch[:0], kv.prefix...), k...)
	return kv.scratch
}

// bound returns the full key of a range bound, nil for an unbounded one.
func (kv *KeyValue) bound(k []byte) []byte {
	if k == nil {
		return nil
	}
	return append(append(make([]byte, 0, len(kv.prefix)+len(k)), kv.prefix...), k...)
}

func (kv *KeyValue) wrap(op string, err error) error {
	return fmt.Errorf("%s store %q partition %d: %w", op, kv.store, kv.partition, err)
}

// Get returns the value of key, nil if absent. The value must not be modified; it stays
// valid after later writes.
func (kv *KeyValue) Get(key []byte) ([]byte, error) {
	if kv.err != nil {
		return nil, kv.err
	}
	v, err := kv.s.get(kv.key(key))
	if err != nil {
		return nil, kv.wrap("get from", err)
	}
	return v, nil
}

// Put sets the value of key (a nil value deletes it) and logs the change with timestamp ts.
// key and value are copied.
func (kv *KeyValue) Put(key, value []byte, ts int64) error {
	if kv.err != nil {
		return kv.err
	}
	k, v, err := kv.s.put(kv.key(key), value)
	if err != nil {
		return kv.wrap("put to", err)
	}
	if kv.log != nil {
		kv.log.LogChange(kv.store, kv.partition, k[len(kv.prefix):], v, ts)
	}
	return nil
}

// Delete removes key and logs the deletion (a nil value) with timestamp ts.
func (kv *KeyValue) Delete(key []byte, ts int64) error { return kv.Put(key, nil, ts) }

// Restore applies one changelog record (a nil value deletes), without logging it.
func (kv *KeyValue) Restore(key, value []byte) error {
	if kv.err != nil {
		return kv.err
	}
	if _, _, err := kv.s.put(kv.key(key), value); err != nil {
		return kv.wrap("restore", err)
	}
	return nil
}

// Range calls fn for the entries with from <= key <= to in ascending byte order of keys,
// until fn returns false. A nil bound is unbounded. key and value are valid only until fn
// returns. fn may write to the store; whether the scan sees such writes is unspecified.
func (kv *KeyValue) Range(from, to []byte, fn func(key, value []byte) bool) error {
	return kv.scan("range", kv.prefix, kv.bound(from), kv.bound(to), false, fn)
}

// ReverseRange is Range in descending byte order of keys.
func (kv *KeyValue) ReverseRange(from, to []byte, fn func(key, value []byte) bool) error {
	return kv.scan("reverse range", kv.prefix, kv.bound(from), kv.bound(to), true, fn)
}

// Prefix calls fn for the entries whose key starts with prefix, in ascending byte order of
// keys, like Range.
func (kv *KeyValue) Prefix(prefix []byte, fn func(key, value []byte) bool) error {
	if kv.err != nil {
		return kv.err
	}
	full := append(append(make([]byte, 0, len(kv.prefix)+len(prefix)), kv.prefix...), prefix...)
	return kv.scan("prefix scan", full, nil, nil, false, fn)
}

// All calls fn for every entry in ascending byte order of keys, like Range.
func (kv *KeyValue) All(fn func(key, value []byte) bool) error {
	return kv.scan("scan", kv.prefix, nil, nil, false, fn)
}

func (kv *KeyValue) scan(op string, prefix, lo, hi []byte, reverse bool, fn func(key, value []byte) bool) error {
	if kv.err != nil {
		return kv.err
	}
	n := len(kv.prefix)
	if err := kv.s.scan(prefix, lo, hi, reverse, func(k, v []byte) bool { return fn(k[n:], v) }); err != nil {
		return kv.wrap(op+" of", err)
	}
	return nil
}

// Count returns the number of entries (pending writes included). It scans the partition.
func (kv *KeyValue) Count() (int64, error) {
	var n int64
	err := kv.scan("count", kv.prefix, nil, nil, false, func(_, _ []byte) bool { n++; return true })
	return n, err
}
