package statestore

import (
	"fmt"
	"time"
)

// timedStore is what window and session stores share: the partition they read and write
// through a Session, their changelog, and their expiry by observed stream time.
type timedStore struct {
	kind      string // "window" or "session", for errors
	s         *Session
	store     string
	partition int32
	prefix    []byte
	log       ChangeLogger
	err       error // an invalid store name: every operation fails with it
	exp       expiry
	scratch   []byte
	keyBuf    []byte
}

func newTimedStore(kind string, s *Session, store string, partition int32, retention time.Duration, log ChangeLogger) timedStore {
	t := timedStore{kind: kind, s: s, store: store, partition: partition, log: log, exp: newExpiry(retention)}
	if err := ValidateStoreName(store); err != nil {
		t.err = err
		return t
	}
	t.prefix = partitionPrefix(store, partition)
	return t
}

// Name returns the store name.
func (t *timedStore) Name() string { return t.store }

// Partition returns the store partition.
func (t *timedStore) Partition() int32 { return t.partition }

// ObservedStreamTime returns the largest time written (window start, session end) or
// stream time passed to Expire, math.MinInt64 if none.
func (t *timedStore) ObservedStreamTime() int64 { return t.exp.observed }

func (t *timedStore) wrap(op string, err error) error {
	return fmt.Errorf("%s %s store %q partition %d: %w", op, t.kind, t.store, t.partition, err)
}
