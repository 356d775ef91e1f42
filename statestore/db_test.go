package statestore

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	badger "github.com/dgraph-io/badger/v4"
)

func TestCommitCheckpointsAndReopen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "app") // Open creates it
	db, err := Open(dir)
	must(t, err)
	s := db.Begin()
	kv := NewKeyValue(s, "kv", 0, nil)
	w := NewWindow(s, "win", 0, 0, nil)
	ss := NewSessionStore(s, "sess", 0, 0, nil)
	must(t, kv.Put([]byte("k"), []byte("v"), 0))
	must(t, w.Put([]byte("k"), 5, []byte("w"), 5))
	must(t, ss.Put([]byte("k"), 1, 2, []byte("s"), 2))
	cps := map[Partition]int64{{"kv", 0}: 17, {"win", 0}: 3, {"sess", 0}: 0}
	commit(t, s, cps)
	must(t, kv.Put([]byte("lost"), []byte("x"), 0)) // never committed
	must(t, db.Close())
	must(t, db.Close()) // idempotent

	db = openDir(t, dir)
	for p, want := range cps {
		off, ok, err := db.Checkpoint(p.Store, p.Partition)
		if err != nil || !ok || off != want {
			t.Errorf("Checkpoint(%v) = %d, %v, %v; want %d", p, off, ok, err, want)
		}
	}
	if _, ok, err := db.Checkpoint("kv", 1); ok || err != nil {
		t.Errorf("Checkpoint of a partition never committed: ok=%v err=%v", ok, err)
	}
	s = db.Begin()
	if got := kvDump(t, NewKeyValue(s, "kv", 0, nil)); !slices.Equal(got, []string{"k=v"}) {
		t.Errorf("kv after reopen: %q", got)
	}
	if v, _ := NewWindow(s, "win", 0, 0, nil).Get([]byte("k"), 5); string(v) != "w" {
		t.Errorf("window after reopen: %q", v)
	}
	if v, _ := NewSessionStore(s, "sess", 0, 0, nil).Get([]byte("k"), 1, 2); string(v) != "s" {
		t.Errorf("session after reopen: %q", v)
	}
	// A later commit moves a checkpoint; one without checkpoints leaves them.
	commit(t, s, map[Partition]int64{{"kv", 0}: 20})
	commit(t, s, nil)
	if off, _, _ := db.Checkpoint("kv", 0); off != 20 {
		t.Errorf("checkpoint after a second commit = %d, want 20", off)
	}
	for _, bad := range []map[Partition]int64{{{"kv", 0}: -1}, {{"", 0}: 1}, {{"a\x00", 0}: 1}} {
		if err := s.Commit(bad); err == nil {
			t.Errorf("Commit(%v): no error", bad)
		}
	}
}

func TestDropPartition(t *testing.T) {
	db, _ := openDB(t)
	s := db.Begin()
	stores := []*KeyValue{
		NewKeyValue(s, "kv", 0, nil), NewKeyValue(s, "kv", 1, nil), NewKeyValue(s, "kv", 2, nil),
		NewKeyValue(s, "kv2", 1, nil), NewKeyValue(s, "k", 1, nil),
	}
	cps := map[Partition]int64{}
	for _, kv := range stores {
		for _, k := range []string{"", "a", "b\x00", "\xff"} {
			must(t, kv.Put([]byte(k), []byte(kv.Name()), 0))
		}
		cps[Partition{kv.Name(), kv.Partition()}] = 5
	}
	commit(t, s, cps)
	must(t, db.DropPartition("kv", 1))
	s.Discard()
	for _, kv := range stores {
		n, err := kv.Count()
		must(t, err)
		_, ok, err := db.Checkpoint(kv.Name(), kv.Partition())
		must(t, err)
		dropped := kv.Name() == "kv" && kv.Partition() == 1
		if dropped && (n != 0 || ok) {
			t.Errorf("dropped partition still has %d entries (checkpoint %v)", n, ok)
		}
		if !dropped && (n != 4 || !ok) {
			t.Errorf("%s/%d: %d entries (checkpoint %v) after dropping kv/1, want 4", kv.Name(), kv.Partition(), n, ok)
		}
	}
	must(t, db.DropPartition("never", 3)) // nothing to drop
	if err := db.DropPartition("", 0); err == nil {
		t.Error("DropPartition of an invalid store name: no error")
	}
}

func TestDropPartitionDuringWrites(t *testing.T) {
	db, _ := openDB(t)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for p := range int32(2) {
		wg.Go(func() {
			s := db.Begin()
			kv := NewKeyValue(s, "kv", p, nil)
			for i := range 200 {
				if err := kv.Put([]byte{byte(i)}, []byte("v"), 0); err != nil {
					errs <- err
					return
				}
				if err := s.Commit(nil); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	for range 20 {
		if err := db.DropPartition("kv", 7); err != nil {
			errs <- err
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestCorruptCheckpoint(t *testing.T) {
	for _, tc := range []struct {
		name  string
		value []byte
	}{
		{"short", []byte{1, 2, 3}},
		{"long", bytes.Repeat([]byte{1}, 9)},
		{"empty", []byte{}},
		{"negative", []byte{0x80, 0, 0, 0, 0, 0, 0, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, _ := openDB(t, InMemory())
			must(t, db.bdb.Update(func(txn *badger.Txn) error {
				return txn.Set(checkpointKey("kv", 2), tc.value)
			}))
			_, ok, err := db.Checkpoint("kv", 2)
			if !errors.Is(err, ErrCorruptCheckpoint) || ok {
				t.Fatalf("Checkpoint = ok %v, err %v; want ErrCorruptCheckpoint", ok, err)
			}
			if !strings.Contains(err.Error(), `"kv" partition 2`) {
				t.Errorf("error %q does not name the store partition", err)
			}
			// Dropping the partition clears it.
			must(t, db.DropPartition("kv", 2))
			if _, ok, err := db.Checkpoint("kv", 2); ok || err != nil {
				t.Errorf("after DropPartition: ok %v err %v", ok, err)
			}
		})
	}
}

func TestOpenLocked(t *testing.T) {
	db, dir := openDB(t)
	_, err := Open(dir)
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open of %s: %v, want ErrLocked", dir, err)
	}
	if !strings.Contains(err.Error(), dir) {
		t.Errorf("error %q does not name the directory", err)
	}
	t.Log(err)
	must(t, db.Close())
	db2, err := Open(dir) // free again
	must(t, err)
	must(t, db2.Close())
}

func TestOpenNotADirectory(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	must(t, os.WriteFile(file, nil, 0o600))
	for _, dir := range []string{file, filepath.Join(file, "app")} {
		_, err := Open(dir)
		if err == nil || !strings.Contains(err.Error(), dir) {
			t.Errorf("Open(%s) under a regular file: %v, want an error naming the directory", dir, err)
		}
	}
}

func TestOpenUnwritable(t *testing.T) {
	parent := t.TempDir()
	must(t, os.Chmod(parent, 0o500))
	t.Cleanup(func() { os.Chmod(parent, 0o700) })
	if f, err := os.Create(filepath.Join(parent, "probe")); err == nil {
		f.Close()
		t.Skipf("chmod 0500 does not stop writes here (euid %d)", os.Geteuid())
	}
	for _, dir := range []string{filepath.Join(parent, "app"), parent} {
		_, err := Open(dir)
		if err == nil {
			t.Fatalf("Open(%s) of an unwritable directory: no error", dir)
		}
		if !strings.Contains(err.Error(), dir) || errors.Is(err, ErrLocked) {
			t.Errorf("Open(%s): %q does not name the directory", dir, err)
		}
		t.Log(err)
	}
}

func TestOpenOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		dir  string
		opts []Opt
		ok   bool
	}{
		{"in memory ignores dir", "/nonexistent/dir", []Opt{InMemory()}, true},
		{"in memory", "", []Opt{InMemory()}, true},
		{"empty dir on disk", "", nil, false},
		{"tiny memtable", "", []Opt{InMemory(), MemTableSize(1 << 10)}, false},
		{"negative block cache", "", []Opt{InMemory(), BlockCacheSize(-1)}, false},
		{"nil logger", "", []Opt{InMemory(), Logger(nil)}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, err := Open(tc.dir, tc.opts...)
			if (err == nil) != tc.ok {
				t.Fatalf("Open: %v, want ok=%v", err, tc.ok)
			}
			if db != nil {
				must(t, db.Close())
			}
		})
	}
}

func TestClosed(t *testing.T) {
	db, err := Open("", InMemory())
	must(t, err)
	s := db.Begin()
	kv := NewKeyValue(s, "kv", 0, nil)
	must(t, kv.Put([]byte("k"), []byte("v"), 0))
	must(t, s.Commit(nil))
	// The session holds a snapshot when the DB closes.
	must(t, kv.Put([]byte("k2"), []byte("v"), 0))
	must(t, kv.All(func(_, _ []byte) bool { return true }))
	if _, err := kv.Get([]byte("absent")); err != nil {
		t.Fatal(err)
	}
	must(t, db.Close())
	for name, err := range map[string]error{
		"commit":     s.Commit(nil),
		"get":        func() error { _, err := kv.Get([]byte("x")); return err }(),
		"expire":     NewWindow(s, "w", 0, time.Millisecond, nil).Expire(100),
		"scan":       kv.All(func(_, _ []byte) bool { return true }),
		"drop":       db.DropPartition("kv", 0),
		"checkpoint": func() error { _, _, err := db.Checkpoint("kv", 0); return err }(),
		"restore":    db.Restorer("kv", 0).Finish(1),
	} {
		if !errors.Is(err, ErrClosed) {
			t.Errorf("%s after Close: %v, want ErrClosed", name, err)
		}
	}
}

func TestNeedsCommitBeforeTxnTooBig(t *testing.T) {
	db, _ := openDB(t, MemTableSize(4<<20)) // transactions of at most 600 KiB
	s := db.Begin()
	kv := NewKeyValue(s, "kv", 0, nil)
	value := bytes.Repeat([]byte("v"), 10<<10)
	var i, needAt int
	var err error
	for i = 0; i < 1000; i++ {
		if err = kv.Put([]byte{byte(i >> 8), byte(i)}, value, 0); err != nil {
			break
		}
		if needAt == 0 && s.NeedsCommit() {
			needAt = i + 1
		}
	}
	if !errors.Is(err, ErrTxnTooBig) {
		t.Fatalf("after %d large writes: %v, want ErrTxnTooBig", i, err)
	}
	if needAt == 0 || needAt*10 > i*6 {
		t.Errorf("NeedsCommit turned true after %d writes, ErrTxnTooBig after %d", needAt, i)
	}
	if s.Size() < db.maxSize/2 || s.Size() >= db.maxSize {
		t.Errorf("Size %d, transaction limit %d", s.Size(), db.maxSize)
	}
	// What the session holds still commits, and the session goes on.
	commit(t, s, map[Partition]int64{{"kv", 0}: 1})
	if s.NeedsCommit() || s.Size() != 0 {
		t.Errorf("after commit: NeedsCommit %v, Size %d", s.NeedsCommit(), s.Size())
	}
	n, err := kv.Count()
	must(t, err)
	if n != int64(i) {
		t.Errorf("%d entries committed, want %d", n, i)
	}
	// Overwriting the same key does not grow the pending writes.
	for range 1000 {
		must(t, kv.Put([]byte("same"), value, 0))
	}
	if s.NeedsCommit() {
		t.Errorf("NeedsCommit after overwriting one key (Size %d)", s.Size())
	}
	// Many small entries: the entry count limit.
	s.Discard()
	for i = 0; i < 1<<20; i++ {
		if err = kv.Put([]byte{byte(i >> 16), byte(i >> 8), byte(i)}, nil, 0); err != nil {
			break
		}
		if !s.NeedsCommit() {
			needAt = i + 1
		}
	}
	if !errors.Is(err, ErrTxnTooBig) || needAt*10 > i*6 {
		t.Errorf("small writes: NeedsCommit after %d, error after %d: %v", needAt, i, err)
	}
	commit(t, s, nil)
}

func TestLoggerAdapter(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a := slogAdapter{l}
	a.Errorf("bad %d\n", 1)
	a.Warningf("careful")
	a.Infof("info")
	a.Debugf("noise")
	out := buf.String()
	for _, want := range []string{"level=ERROR msg=\"bad 1\" component=badger", "level=WARN msg=careful", "level=DEBUG msg=info"} {
		if !strings.Contains(out, want) {
			t.Errorf("log output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "noise") {
		t.Errorf("Badger debug messages logged at debug level:\n%s", out)
	}
	// Open logs through it.
	buf.Reset()
	db, _ := openDB(t, Logger(l))
	must(t, db.Close())
	if !l.Enabled(context.Background(), slog.LevelDebug) || !strings.Contains(buf.String(), "component=badger") {
		t.Errorf("no Badger messages logged:\n%s", buf.String())
	}
}
