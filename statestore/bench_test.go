package statestore

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	goruntime "runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
	"time"

	badger "github.com/dgraph-io/badger/v4"
)

type nopLogger struct{ n int }

func (l *nopLogger) LogChange(string, int32, []byte, []byte, int64) { l.n++ }

// keys16 returns n distinct 16-byte keys.
func keys16(n int) [][]byte {
	ks := make([][]byte, n)
	for i := range ks {
		ks[i] = fmt.Appendf(nil, "key-%012d", i)
	}
	return ks
}

// BenchmarkCountPerKey counts per key over 10k keys: one Get and one Put per record through
// a Session (with a changelog), committing every 10k records. "raw-badger" is the same loop
// directly on one Badger read-write transaction per 10k records, for comparison.
func BenchmarkCountPerKey(b *testing.B) {
	const nkeys, commitEvery = 10_000, 10_000
	keys := keys16(nkeys)
	for _, mode := range []string{"disk", "memory"} {
		open := func(b *testing.B) *DB {
			if mode == "memory" {
				db, _ := openDB(b, InMemory())
				return db
			}
			db, _ := openDB(b)
			return db
		}
		b.Run("session/"+mode, func(b *testing.B) {
			db := open(b)
			s := db.Begin()
			kv := NewKeyValue(s, "counts", 0, &nopLogger{})
			var buf [8]byte
			i := 0
			for b.Loop() {
				k := keys[i%nkeys]
				v, err := kv.Get(k)
				if err != nil {
					b.Fatal(err)
				}
				var n uint64
				if v != nil {
					n = binary.BigEndian.Uint64(v)
				}
				binary.BigEndian.PutUint64(buf[:], n+1)
				if err := kv.Put(k, buf[:], int64(i)); err != nil {
					b.Fatal(err)
				}
				i++
				if i%commitEvery == 0 || s.NeedsCommit() {
					if err := s.Commit(map[Partition]int64{{"counts", 0}: int64(i)}); err != nil {
						b.Fatal(err)
					}
				}
			}
			must(b, s.Commit(nil))
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
		b.Run("raw-badger/"+mode, func(b *testing.B) {
			db := open(b)
			bdb := db.bdb
			txn := bdb.NewTransaction(true)
			var buf [8]byte
			key := make([]byte, 0, 32)
			i := 0
			for b.Loop() {
				key = append(append(key[:0], "counts\x00\x00\x00\x00\x00"...), keys[i%nkeys]...)
				var n uint64
				it, err := txn.Get(key)
				switch err {
				case nil:
					v, err := it.ValueCopy(buf[:0])
					if err != nil {
						b.Fatal(err)
					}
					n = binary.BigEndian.Uint64(v)
				case badger.ErrKeyNotFound:
				default:
					b.Fatal(err)
				}
				if err := txn.Set(bytesClone(key), binary.BigEndian.AppendUint64(nil, n+1)); err != nil {
					b.Fatal(err)
				}
				i++
				if i%commitEvery == 0 {
					must(b, txn.Commit())
					txn = bdb.NewTransaction(true)
				}
			}
			must(b, txn.Commit())
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

func bytesClone(b []byte) []byte { return append([]byte(nil), b...) }

// BenchmarkRestore restores a store of 1M keys (16-byte keys, 8-byte values) from 1M
// changelog records (in no particular key order) into an empty on-disk database, with a
// Restorer and, for comparison, with KeyValue.Restore through a Session.
func BenchmarkRestore(b *testing.B) {
	const n = 1_000_000
	keys := keys16(n)
	values := make([][]byte, n)
	for i := range values {
		values[i] = binary.BigEndian.AppendUint64(nil, uint64(i))
	}
	// Changelog order is not key order: scramble the keys.
	order := make([]int, n)
	for i := range order {
		order[i] = (i * 7919) % n
	}
	for _, mode := range []string{"restorer", "session"} {
		b.Run(mode, func(b *testing.B) {
			var took time.Duration
			for b.Loop() {
				b.StopTimer()
				db, err := Open(b.TempDir())
				must(b, err)
				b.StartTimer()
				start := time.Now()
				switch mode {
				case "restorer":
					r := db.Restorer("counts", 0)
					for i := range n {
						if err := r.Add(keys[order[i]], values[i]); err != nil {
							b.Fatal(err)
						}
					}
					must(b, r.Finish(n))
				case "session":
					s := db.Begin()
					kv := NewKeyValue(s, "counts", 0, nil)
					for i := range n {
						if err := kv.Restore(keys[order[i]], values[i]); err != nil {
							b.Fatal(err)
						}
						if s.NeedsCommit() {
							must(b, s.Commit(nil))
						}
					}
					must(b, s.Commit(map[Partition]int64{{"counts", 0}: n}))
				}
				took += time.Since(start)
				b.StopTimer()
				must(b, db.Close())
				b.StartTimer()
			}
			b.ReportMetric(float64(n)*float64(b.N)/took.Seconds(), "records/s")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// TestMemory1MKeys reports the memory of a store of 1M keys (16-byte keys, 8-byte values)
// written through Sessions committed every 10k writes. Run it alone, with -v, to read the
// figures: go test -run TestMemory1MKeys -v ./statestore
func TestMemory1MKeys(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 1M keys")
	}
	const n, commitEvery = 1_000_000, 10_000
	report := func(when string) {
		goruntime.GC()
		debug.FreeOSMemory()
		var ms goruntime.MemStats
		goruntime.ReadMemStats(&ms)
		st := procStatus(t)
		t.Logf("%-20s Go heap in use %6.1f MiB, Go runtime total %6.1f MiB | RSS %6.1f MiB (anon %6.1f, file %6.1f), peak RSS %6.1f MiB",
			when, mib(ms.HeapInuse), mib(ms.Sys-ms.HeapReleased), kib(st["VmRSS"]), kib(st["RssAnon"]), kib(st["RssFile"]), kib(st["VmHWM"]))
	}
	report("before Open")
	dir := t.TempDir()
	db := openDir(t, dir)
	report("after Open")
	s := db.Begin()
	kv := NewKeyValue(s, "counts", 0, &nopLogger{})
	var v [8]byte
	start := time.Now()
	for i := range n {
		binary.BigEndian.PutUint64(v[:], uint64(i))
		must(t, kv.Put(fmt.Appendf(nil, "key-%012d", i), v[:], int64(i)))
		if (i+1)%commitEvery == 0 {
			commit(t, s, map[Partition]int64{{"counts", 0}: int64(i + 1)})
		}
	}
	t.Logf("wrote %d keys in %v", n, time.Since(start).Round(time.Millisecond))
	report("after 1M writes")
	// Read everything once: point reads and a scan.
	for i := 0; i < n; i += 10 {
		if v, err := kv.Get(fmt.Appendf(nil, "key-%012d", i)); err != nil || len(v) != 8 {
			t.Fatalf("Get %d: %x %v", i, v, err)
		}
	}
	count, err := kv.Count()
	must(t, err)
	if count != n {
		t.Fatalf("Count = %d, want %d", count, n)
	}
	report("after reading them")
	var size, used int64
	must(t, filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				size += fi.Size()
				if st, ok := fi.Sys().(*syscall.Stat_t); ok {
					used += st.Blocks * 512
				}
			}
		}
		return err
	}))
	t.Logf("state directory: %.1f MiB on disk (%.1f MiB apparent: the value log and memtable files are sparse)", mib(uint64(used)), mib(uint64(size)))
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }
func kib(k uint64) float64 { return float64(k) / (1 << 10) }

// procStatus returns the kB fields of /proc/self/status.
func procStatus(t *testing.T) map[string]uint64 {
	out := map[string]uint64{}
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Logf("no /proc/self/status: %v", err)
		return out
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		var v uint64
		if ok && strings.HasSuffix(rest, "kB") {
			if _, err := fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(rest), "kB"), &v); err == nil {
				out[name] = v
			}
		}
	}
	return out
}
