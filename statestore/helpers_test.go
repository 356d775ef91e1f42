package statestore

import (
	"bytes"
	"fmt"
	"testing"
)

// openDB opens an on-disk DB in a fresh temporary directory, closed at cleanup.
func openDB(t testing.TB, opts ...Opt) (*DB, string) {
	t.Helper()
	dir := t.TempDir()
	return openDir(t, dir, opts...), dir
}

func openDir(t testing.TB, dir string, opts ...Opt) *DB {
	t.Helper()
	db, err := Open(dir, opts...)
	if err != nil {
		t.Fatalf("Open(%q): %v", dir, err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return db
}

// change is one record a recorder received.
type change struct {
	store     string
	partition int32
	key       []byte
	value     []byte
	ts        int64
	// copies taken when logged, to check that the store never modifies what it handed out
	keyCopy, valueCopy []byte
}

// recorder is a ChangeLogger keeping every change.
type recorder struct{ changes []change }

func (r *recorder) LogChange(store string, partition int32, key, value []byte, ts int64) {
	r.changes = append(r.changes, change{
		store: store, partition: partition, key: key, value: value, ts: ts,
		keyCopy: bytes.Clone(key), valueCopy: bytes.Clone(value),
	})
}

// checkUnmodified fails if a logged key or value changed after it was logged.
func (r *recorder) checkUnmodified(t *testing.T) {
	t.Helper()
	for i, c := range r.changes {
		if !bytes.Equal(c.key, c.keyCopy) || !bytes.Equal(c.value, c.valueCopy) || (c.value == nil) != (c.valueCopy == nil) {
			t.Errorf("change %d modified after logging: key %q (was %q) value %q (was %q)", i, c.key, c.keyCopy, c.value, c.valueCopy)
		}
	}
}

var _ ChangeLogger = (*recorder)(nil)

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// kvDump returns the entries of kv as "key=value" strings in scan order.
func kvDump(t testing.TB, kv *KeyValue) []string {
	t.Helper()
	var out []string
	must(t, kv.All(func(k, v []byte) bool {
		out = append(out, fmt.Sprintf("%s=%s", k, v))
		return true
	}))
	return out
}

func commit(t testing.TB, s *Session, cps map[Partition]int64) {
	t.Helper()
	if err := s.Commit(cps); err != nil {
		t.Fatalf("Commit: %v", err)
	}
}
