package statestore

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// workload writes random entries to a key-value, a window and a session store (partition 4
// of each), committing now and then, and returns what the ChangeLogger recorded.
func workload(t *testing.T, db *DB) *recorder {
	t.Helper()
	rec := &recorder{}
	s := db.Begin()
	kv := NewKeyValue(s, "kv", 4, rec)
	w := NewWindow(s, "win", 4, 0, rec)
	ss := NewSessionStore(s, "sess", 4, 0, rec)
	r := rand.New(rand.NewPCG(3, 4))
	key := func() []byte { return []byte{"ab\x00"[r.IntN(3)], byte(r.IntN(3))} }
	for i := range 5000 {
		var v []byte
		if r.IntN(4) > 0 {
			v = fmt.Append(nil, i)
		}
		ts := int64(r.IntN(200) - 100)
		switch r.IntN(3) {
		case 0:
			must(t, kv.Put(key(), v, ts))
		case 1:
			must(t, w.Put(key(), ts, v, ts))
		case 2:
			must(t, ss.Put(key(), ts, ts+int64(r.IntN(3)), v, ts))
		}
		if r.IntN(100) == 0 {
			commit(t, s, nil)
		}
	}
	commit(t, s, nil)
	rec.checkUnmodified(t)
	return rec
}

// dumpAll lists the three stores of workload.
func dumpAll(t *testing.T, db *DB) []string {
	t.Helper()
	s := db.Begin()
	out := kvDump(t, NewKeyValue(s, "kv", 4, nil))
	out = append(out, windowDump(t, NewWindow(s, "win", 4, 0, nil), math.MinInt64, math.MaxInt64)...)
	return append(out, sessionDump(t, NewSessionStore(s, "sess", 4, 0, nil))...)
}

func TestRestoreRoundTrip(t *testing.T) {
	src, _ := openDB(t)
	rec := workload(t, src)
	want := dumpAll(t, src)
	if len(want) < 20 {
		t.Fatalf("workload left only %d entries", len(want))
	}

	t.Run("store Restore", func(t *testing.T) {
		db, _ := openDB(t)
		s := db.Begin()
		kv := NewKeyValue(s, "kv", 4, nil)
		w := NewWindow(s, "win", 4, 0, nil)
		ss := NewSessionStore(s, "sess", 4, 0, nil)
		for _, c := range rec.changes {
			var err error
			switch c.store {
			case "kv":
				err = kv.Restore(c.key, c.value)
			case "win":
				err = w.Restore(c.key, c.value)
			case "sess":
				err = ss.Restore(c.key, c.value)
			}
			must(t, err)
			if s.NeedsCommit() {
				commit(t, s, nil)
			}
		}
		commit(t, s, nil)
		if got := dumpAll(t, db); !slices.Equal(got, want) {
			t.Errorf("restored:\n%q\nwant\n%q", got, want)
		}
	})

	t.Run("Restorer", func(t *testing.T) {
		db, _ := openDB(t)
		rs := map[string]*Restorer{}
		for _, c := range rec.changes {
			r := rs[c.store]
			if r == nil {
				r = db.Restorer(c.store, c.partition)
				rs[c.store] = r
			}
			must(t, r.Add(c.key, c.value))
		}
		for name, r := range rs {
			must(t, r.Finish(r.Restored()))
			if off, ok, err := db.Checkpoint(name, 4); err != nil || !ok || off != r.Restored() {
				t.Errorf("checkpoint of %s: %d %v %v, want %d", name, off, ok, err, r.Restored())
			}
		}
		if got := dumpAll(t, db); !slices.Equal(got, want) {
			t.Errorf("restored:\n%q\nwant\n%q", got, want)
		}
	})
}

func TestRestorerBatches(t *testing.T) {
	db, _ := openDB(t, MemTableSize(1<<20)) // ~150 KiB transactions
	r := db.Restorer("kv", 0)
	const n = 50_000
	for i := range n {
		must(t, r.Add(fmt.Appendf(nil, "key-%06d", i), fmt.Appendf(nil, "value-%d", i)))
	}
	// Deletions and overwrites in later batches win.
	for i := 0; i < n; i += 2 {
		must(t, r.Add(fmt.Appendf(nil, "key-%06d", i), nil))
	}
	must(t, r.Add([]byte("key-000001"), []byte("last")))
	must(t, r.Finish(-1))
	if _, ok, _ := db.Checkpoint("kv", 0); ok {
		t.Error("Finish(-1) stored a checkpoint")
	}
	kv := NewKeyValue(db.Begin(), "kv", 0, nil)
	count, err := kv.Count()
	must(t, err)
	if count != n/2 {
		t.Errorf("%d entries, want %d", count, n/2)
	}
	if v, _ := kv.Get([]byte("key-000001")); string(v) != "last" {
		t.Errorf("key-000001 = %q, want last", v)
	}
	if err := r.Add([]byte("k"), nil); err == nil {
		t.Error("Add after Finish: no error")
	}
	if err := r.Finish(1); err == nil {
		t.Error("Finish twice: no error")
	}
	if err := db.Restorer("", 0).Add([]byte("k"), nil); err == nil {
		t.Error("Restorer of an invalid store name: no error")
	}
}

// TestRestorerVersions checks that restored data wins over what was committed before the
// restore and loses to what is committed after it, also across a reopen and with other
// partitions committing during the restore.
func TestRestorerVersions(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir, MemTableSize(1<<20))
	must(t, err)
	s := db.Begin()
	kv := NewKeyValue(s, "kv", 0, nil)
	for i := range 100 {
		must(t, kv.Put(fmt.Appendf(nil, "k%03d", i), []byte("before"), 0))
	}
	commit(t, s, nil)
	if v, _ := kv.Get([]byte("k000")); string(v) != "before" { // fills the session's cache
		t.Fatalf("k000 = %q", v)
	}

	// Another task commits to its own partition while the restore runs.
	done := make(chan error)
	go func() {
		s := db.Begin()
		other := NewKeyValue(s, "kv", 1, nil)
		for i := range 200 {
			if err := other.Put(fmt.Appendf(nil, "o%03d", i), []byte("other"), 0); err != nil {
				done <- err
				return
			}
			if err := s.Commit(nil); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	r := db.Restorer("kv", 0)
	for round := range 3 { // the same keys in several batches: the last round wins
		for i := range 20_000 {
			k := fmt.Appendf(nil, "k%03d", i%100)
			if i%100 == 99 && round == 2 {
				must(t, r.Add(k, nil))
				continue
			}
			must(t, r.Add(k, fmt.Appendf(nil, "restored-%d-%d", round, i)))
		}
	}
	must(t, r.Finish(60_000))
	must(t, <-done)

	check := func(db *DB, kv *KeyValue, when string) {
		t.Helper()
		for i := range 100 {
			k := fmt.Appendf(nil, "k%03d", i)
			want := fmt.Sprintf("restored-2-%d", 19_900+i)
			switch i {
			case 99:
				want = ""
			case 5:
				want = "after"
			}
			if v, err := kv.Get(k); err != nil || string(v) != want {
				t.Errorf("%s: %s = %q, %v; want %q", when, k, v, err, want)
			}
		}
		n, err := NewKeyValue(db.Begin(), "kv", 1, nil).Count()
		must(t, err)
		if n != 200 {
			t.Errorf("%s: other partition has %d entries, want 200", when, n)
		}
	}
	// The session opened before the restore reads the restored data (and not its cache).
	must(t, kv.Put([]byte("k005"), []byte("after"), 0))
	check(db, kv, "before commit")
	commit(t, s, nil)
	check(db, kv, "after commit")
	must(t, db.Close())

	db = openDir(t, dir, MemTableSize(1<<20))
	s = db.Begin()
	check(db, NewKeyValue(s, "kv", 0, nil), "after reopen")
	must(t, db.bdb.Flatten(2)) // compact everything into one level
	s.Discard()
	check(db, NewKeyValue(s, "kv", 0, nil), "after compaction")
	// Commits after the reopen still win.
	kv = NewKeyValue(s, "kv", 0, nil)
	must(t, kv.Put([]byte("k007"), []byte("later"), 0))
	commit(t, s, nil)
	if v, _ := NewKeyValue(db.Begin(), "kv", 0, nil).Get([]byte("k007")); string(v) != "later" {
		t.Errorf("k007 after a commit following the reopen = %q", v)
	}
	if off, ok, _ := db.Checkpoint("kv", 0); !ok || off != 60_000 {
		t.Errorf("checkpoint %d %v", off, ok)
	}
}
