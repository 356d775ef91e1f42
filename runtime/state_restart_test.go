package runtime_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/statestore"
)

// countRig is one application of the counting topology over a 2-partition input topic on a
// kfake cluster, with a state directory that outlives the App instances started on it.
type countRig struct {
	t          *testing.T
	c          *kfake.Cluster
	seeds      []string
	cl         *kgo.Client // produces with explicit partitions
	appID      string
	in, out    string
	stateDir   string
	keys       int
	produced   int
	partitions int
}

func newCountRig(t *testing.T, appID string) *countRig {
	c := newCluster(t)
	r := &countRig{
		t:          t,
		c:          c,
		seeds:      c.ListenAddrs(),
		appID:      appID,
		in:         appID + "-in",
		out:        appID + "-out",
		stateDir:   t.TempDir(),
		keys:       10,
		partitions: 2,
	}
	r.cl = newClient(t, c, kgo.RecordPartitioner(kgo.ManualPartitioner()))
	createTopic(t, r.cl, int32(r.partitions), r.in, r.out)
	return r
}

// produce writes n more records cycling over the rig's keys.
func (r *countRig) produce(n int) {
	r.t.Helper()
	recs := keyedRecords(r.in, r.partitions, r.keys, r.produced, n)
	mustTB(r.t, r.cl.ProduceSync(context.Background(), recs...).FirstErr())
	r.produced += n
}

// want is the true count of every key after the records produced so far.
func (r *countRig) want() map[string]int64 {
	m := map[string]int64{}
	for i := range r.produced {
		m[fmt.Sprintf("key-%d", i%r.keys)]++
	}
	return m
}

// keysOf returns the rig's keys that live in partition p.
func (r *countRig) keysOf(p int32) []string {
	var ks []string
	for i := range r.keys {
		k := fmt.Sprintf("key-%d", i)
		if runtime.KeyPartition([]byte(k), r.partitions) == int(p) {
			ks = append(ks, k)
		}
	}
	return ks
}

// start runs an instance on the rig's state directory, logging at debug level into logs.
func (r *countRig) start(logs *syncBuffer) (*runtime.App, func() error) {
	r.t.Helper()
	app, err := runtime.New(countTopology(r.t, r.in, r.out), r.appID,
		runtime.Brokers(r.seeds...), runtime.StateDir(r.stateDir), runtime.Threads(2),
		runtime.Logger(slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	mustTB(r.t, err)
	stop := startApp(r.t, app)
	waitFor(r.t, "all tasks assigned", func() bool { return len(app.Tasks()) == r.partitions })
	return app, stop
}

// runToEnd produces n records, waits until app has committed them all and checks that the
// last output count and the committed store value of every key is its exact count: no
// instance in these tests stops uncleanly, so nothing may be counted twice.
func (r *countRig) runToEnd(app *runtime.App, n int) {
	r.t.Helper()
	r.produce(n)
	waitCommitted(r.t, r.seeds, r.appID, r.in)
	want := r.want()
	got, _ := lastCounts(r.t, r.seeds, r.out)
	sameCounts(r.t, "last output count", got, want)
	sameCounts(r.t, "committed store", storeContents(r.t, app), want)
}

func sameCounts(t *testing.T, what string, got, want map[string]int64) {
	t.Helper()
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s of %q: %d, want %d", what, k, got[k], w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s has unexpected key %q = %d", what, k, g)
		}
	}
}

// stateDB opens the rig's state database while no App runs (statestore.Open locks it).
func (r *countRig) stateDB() *statestore.DB {
	r.t.Helper()
	db, err := statestore.Open(r.appDir())
	mustTB(r.t, err)
	return db
}

func (r *countRig) appDir() string { return filepath.Join(r.stateDir, r.appID) }

// writeStale commits wrong counts for the keys of partition p and a key that was never
// input ("ghost") into the store, without touching the checkpoint: state that must never
// be served.
func (r *countRig) writeStale(db *statestore.DB, p int32) {
	r.t.Helper()
	s := db.Begin()
	defer s.Discard()
	kv := statestore.NewKeyValue(s, countStore, p, nil)
	for _, k := range append(r.keysOf(p), "ghost") {
		mustTB(r.t, kv.Put([]byte(k), binary.BigEndian.AppendUint64(nil, 1000), 0))
	}
	mustTB(r.t, s.Commit(nil))
}

// TestStateCleanRestartRestoresNothing: after a clean shutdown the store and its checkpoint
// are at the end of the changelog, so a restarted instance on the same state directory
// replays nothing, and counting continues from the stored values.
func TestStateCleanRestartRestoresNothing(t *testing.T) {
	r := newCountRig(t, "clean-restart")
	var logs1 syncBuffer
	app, stop := r.start(&logs1)
	r.runToEnd(app, 600)
	mustTB(t, stop())
	if m := app.Metrics(); m.RecordsRestored != 0 || m.RecordsProcessed != 600 {
		t.Errorf("first run: %+v, want 600 processed, 0 restored", m)
	}

	var logs syncBuffer
	app, stop = r.start(&logs)
	r.runToEnd(app, 400)
	mustTB(t, stop())
	if m := app.Metrics(); m.RecordsRestored != 0 || m.RecordsProcessed != 400 {
		t.Errorf("after a clean restart: %+v, want 400 processed, 0 restored", m)
	}
	if n := strings.Count(logs.String(), "store up to date, nothing to restore"); n != r.partitions {
		t.Errorf(`%d "store up to date" log lines, want one per partition (%d)`, n, r.partitions)
	}
	if strings.Contains(logs.String(), "store restored") {
		t.Errorf("a store was restored after a clean restart:\n%s", grepLines(logs.String(), "store restored"))
	}
}

// TestStateBadCheckpoint: a checkpoint that cannot be trusted (undecodable, or beyond the
// end of the changelog) or a missing one over existing data makes the store partition be
// wiped and restored in full from the changelog, with a warning for a bad checkpoint;
// wrong state written under it is never served. The other partition, whose checkpoint is
// good, restores nothing.
func TestStateBadCheckpoint(t *testing.T) {
	const bad = int32(0)
	for _, tc := range []struct {
		name string
		// spoil runs with no App on the state directory.
		spoil func(r *countRig)
		warn  string // expected in the log at warn level
	}{
		{
			name: "corrupt",
			spoil: func(r *countRig) {
				db := r.stateDB()
				r.writeStale(db, bad)
				mustTB(r.t, db.Close())
				// statestore (deliberately) exports no way to store a checkpoint that is not
				// an offset, so write garbage under its key, as statestore/encoding.go
				// documents it, with Badger directly.
				writeRawCheckpoint(r.t, r.appDir(), countStore, bad, []byte{1, 2, 3})
				db = r.stateDB()
				defer db.Close()
				if _, _, err := db.Checkpoint(countStore, bad); !errors.Is(err, statestore.ErrCorruptCheckpoint) {
					r.t.Fatalf("checkpoint after corrupting it: err %v, want ErrCorruptCheckpoint", err)
				}
			},
			warn: "corrupt checkpoint",
		},
		{
			// The changelog lost records the store has (a recreated changelog topic, a
			// broker that lost data): the store is ahead of its changelog.
			name: "ahead of the changelog",
			spoil: func(r *countRig) {
				db := r.stateDB()
				defer db.Close()
				r.writeStale(db, bad)
				mustTB(r.t, db.Restorer(countStore, bad).Finish(1<<40))
			},
			warn: "checkpoint is beyond the end of the changelog",
		},
		{
			name: "missing",
			spoil: func(r *countRig) {
				db := r.stateDB()
				defer db.Close()
				mustTB(r.t, db.DropPartition(countStore, bad))
				r.writeStale(db, bad)
				if _, ok, err := db.Checkpoint(countStore, bad); ok || err != nil {
					r.t.Fatalf("checkpoint after dropping it: ok %v err %v", ok, err)
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newCountRig(t, "bad-checkpoint-"+strings.ReplaceAll(tc.name, " ", "-"))
			var logs1 syncBuffer
			app, stop := r.start(&logs1)
			r.runToEnd(app, 600)
			mustTB(t, stop())
			changelog := 0
			readToEnd(t, r.seeds, runtime.InternalTopicName(r.appID, runtime.ChangelogTopic(countStore)), func(rec *kgo.Record) {
				if rec.Partition == bad {
					changelog++
				}
			})

			tc.spoil(r)

			var logs syncBuffer
			app, stop = r.start(&logs)
			r.runToEnd(app, 400) // also checks that the ghost key is gone
			mustTB(t, stop())
			m := app.Metrics()
			if m.RecordsRestored < int64(len(r.keysOf(bad))) || m.RecordsRestored > int64(changelog) {
				t.Errorf("restored %d records, want all of partition %d's changelog (%d records, %d keys; fewer only if compacted)",
					m.RecordsRestored, bad, changelog, len(r.keysOf(bad)))
			}
			if n := strings.Count(logs.String(), "store up to date, nothing to restore"); n != 1 {
				t.Errorf(`%d "store up to date" log lines, want 1 (the partition with a good checkpoint)`, n)
			}
			if tc.warn != "" && !strings.Contains(logs.String(), "level=WARN msg=\""+tc.warn) {
				t.Errorf("no warning %q in the log", tc.warn)
			}
			t.Logf("restored %d records of %d in partition %d's changelog", m.RecordsRestored, changelog, bad)
		})
	}
}

// writeRawCheckpoint stores value under the checkpoint key of (store, partition) in the
// Badger database dir: 0x00 "checkpoint" 0x00 | store | 0x00 | partition (4 bytes, BE).
func writeRawCheckpoint(t *testing.T, dir, store string, partition int32, value []byte) {
	t.Helper()
	key := binary.BigEndian.AppendUint32([]byte("\x00checkpoint\x00"+store+"\x00"), uint32(partition))
	bdb, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil))
	mustTB(t, err)
	mustTB(t, bdb.Update(func(txn *badger.Txn) error { return txn.Set(key, value) }))
	mustTB(t, bdb.Close())
}

// TestStateDirErrors: a state directory held by another instance, or one that cannot be
// created or written, makes Run fail at start with an error naming the directory.
func TestStateDirErrors(t *testing.T) {
	c := newCluster(t)
	cl := newClient(t, c)
	createTopic(t, cl, 1, "sd-in")
	newApp := func(appID, stateDir string) *runtime.App {
		app, err := runtime.New(countTopology(t, "sd-in", "sd-out"), appID, runtime.Brokers(c.ListenAddrs()...),
			runtime.StateDir(stateDir), runtime.ConnectTimeout(5*time.Second))
		mustTB(t, err)
		return app
	}
	runFails := func(t *testing.T, app *runtime.App, dir string, is error) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		err := app.Run(ctx)
		if err == nil || ctx.Err() != nil {
			t.Fatalf("Run: %v, want an error at start", err)
		}
		if !strings.Contains(err.Error(), dir) || (is != nil && !errors.Is(err, is)) {
			t.Fatalf("Run: %v, want an error naming %s (and wrapping %v)", err, dir, is)
		}
		t.Log(err)
	}

	t.Run("locked", func(t *testing.T) {
		dir := t.TempDir()
		first := newApp("sd-locked", dir)
		startApp(t, first)
		waitFor(t, "the first instance running", func() bool { return len(first.Tasks()) == 1 })
		runFails(t, newApp("sd-locked", dir), filepath.Join(dir, "sd-locked"), statestore.ErrLocked)
		// The first instance is unaffected.
		produceN(t, cl, "sd-in", 0, 10)
		waitCommitted(t, c.ListenAddrs(), "sd-locked", "sd-in")
		// Another application id uses another directory.
		other := newApp("sd-other", dir)
		startApp(t, other)
		waitFor(t, "a second application on the same state dir", func() bool { return len(other.Tasks()) == 1 })
	})
	t.Run("under a file", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "file")
		mustTB(t, os.WriteFile(file, nil, 0o600))
		runFails(t, newApp("sd-file", file), filepath.Join(file, "sd-file"), nil)
	})
	t.Run("read only", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root ignores directory permissions")
		}
		dir := t.TempDir()
		mustTB(t, os.Mkdir(filepath.Join(dir, "sd-ro"), 0o500))
		t.Cleanup(func() { os.Chmod(filepath.Join(dir, "sd-ro"), 0o700) })
		runFails(t, newApp("sd-ro", dir), filepath.Join(dir, "sd-ro"), nil)
	})
}

// grepLines returns the lines of s containing sub.
func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
