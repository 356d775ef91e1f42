package statestore

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestKeyValueGetPutDelete(t *testing.T) {
	db, _ := openDB(t)
	rec := &recorder{}
	s := db.Begin()
	kv := NewKeyValue(s, "kv", 3, rec)

	for _, step := range []struct {
		name   string
		op     func() error
		key    string
		want   string // "" with absent
		absent bool
	}{
		{name: "absent", key: "a", absent: true},
		{name: "put", op: func() error { return kv.Put([]byte("a"), []byte("1"), 10) }, key: "a", want: "1"},
		{name: "overwrite", op: func() error { return kv.Put([]byte("a"), []byte("2"), 11) }, key: "a", want: "2"},
		{name: "empty value is a value", op: func() error { return kv.Put([]byte("e"), []byte{}, 12) }, key: "e", want: ""},
		{name: "nil key", op: func() error { return kv.Put(nil, []byte("nil"), 13) }, key: "", want: "nil"},
		{name: "commit", op: func() error { return s.Commit(nil) }, key: "a", want: "2"},
		{name: "delete committed", op: func() error { return kv.Delete([]byte("a"), 14) }, key: "a", absent: true},
		{name: "put nil deletes", op: func() error { return kv.Put([]byte("e"), nil, 15) }, key: "e", absent: true},
		{name: "commit deletes", op: func() error { return s.Commit(nil) }, key: "a", absent: true},
	} {
		t.Run(step.name, func(t *testing.T) {
			if step.op != nil {
				must(t, step.op())
			}
			got, err := kv.Get([]byte(step.key))
			must(t, err)
			if step.absent {
				if got != nil {
					t.Fatalf("Get(%q) = %q, want absent", step.key, got)
				}
				return
			}
			if got == nil || string(got) != step.want {
				t.Fatalf("Get(%q) = %q (nil %v), want %q", step.key, got, got == nil, step.want)
			}
		})
	}
	want := []string{
		"kv/3 a=1 @10", "kv/3 a=2 @11", "kv/3 e= @12", "kv/3 =nil @13",
		"kv/3 a=<nil> @14", "kv/3 e=<nil> @15",
	}
	var got []string
	for _, c := range rec.changes {
		v := string(c.value)
		if c.value == nil {
			v = "<nil>"
		}
		got = append(got, fmt.Sprintf("%s/%d %s=%s @%d", c.store, c.partition, c.key, v, c.ts))
	}
	if !slices.Equal(got, want) {
		t.Errorf("changelog:\n got %q\nwant %q", got, want)
	}
	rec.checkUnmodified(t)
}

func TestKeyValueCopiesInputs(t *testing.T) {
	db, _ := openDB(t, InMemory())
	rec := &recorder{}
	kv := NewKeyValue(db.Begin(), "kv", 0, rec)
	k, v := []byte("key"), []byte("value")
	must(t, kv.Put(k, v, 1))
	copy(k, "xxx")
	copy(v, "xxxxx")
	got, err := kv.Get([]byte("key"))
	must(t, err)
	if string(got) != "value" {
		t.Fatalf("Get after caller reused its buffers = %q", got)
	}
	must(t, kv.Put([]byte("key"), []byte("other"), 2))
	if string(got) != "value" {
		t.Errorf("value returned by Get changed by a later Put: %q", got)
	}
	rec.checkUnmodified(t)
}

func TestKeyValuePendingAndDiscard(t *testing.T) {
	db, _ := openDB(t)
	s := db.Begin()
	kv := NewKeyValue(s, "kv", 0, nil)
	must(t, kv.Put([]byte("committed"), []byte("1"), 0))
	must(t, kv.Put([]byte("deleted"), []byte("1"), 0))
	commit(t, s, nil)

	must(t, kv.Put([]byte("pending"), []byte("2"), 0))
	must(t, kv.Delete([]byte("deleted"), 0))
	must(t, kv.Put([]byte("committed"), []byte("3"), 0))
	if got, want := kvDump(t, kv), []string{"committed=3", "pending=2"}; !slices.Equal(got, want) {
		t.Errorf("before commit, the session reads %q, want %q", got, want)
	}
	// Another session sees only committed data.
	other := NewKeyValue(db.Begin(), "kv", 0, nil)
	if got, want := kvDump(t, other), []string{"committed=1", "deleted=1"}; !slices.Equal(got, want) {
		t.Errorf("another session reads %q, want %q", got, want)
	}
	s.Discard()
	if got, want := kvDump(t, kv), []string{"committed=1", "deleted=1"}; !slices.Equal(got, want) {
		t.Errorf("after Discard, %q, want %q", got, want)
	}
	if s.Size() != 0 {
		t.Errorf("Size after Discard = %d", s.Size())
	}
	// The session stays usable.
	must(t, kv.Put([]byte("after"), []byte("4"), 0))
	commit(t, s, nil)
	if got, want := kvDump(t, other), []string{"committed=1", "deleted=1"}; !slices.Equal(got, want) {
		t.Errorf("a session reads its snapshot until it commits: %q, want %q", got, want)
	}
	other.s.Discard()
	if got, want := kvDump(t, other), []string{"after=4", "committed=1", "deleted=1"}; !slices.Equal(got, want) {
		t.Errorf("after Discard another session reads %q, want %q", got, want)
	}
}

func TestKeyValueScans(t *testing.T) {
	db, _ := openDB(t)
	s := db.Begin()
	kv := NewKeyValue(s, "kv", 1, nil)
	// Neighbouring partitions and stores must never show up.
	for _, n := range []*KeyValue{NewKeyValue(s, "kv", 0, nil), NewKeyValue(s, "kv", 2, nil), NewKeyValue(s, "kv2", 1, nil), NewKeyValue(s, "k", 1, nil)} {
		for _, k := range []string{"", "a", "\xff", "\xff\xff\xff\xff"} {
			must(t, n.Put([]byte(k), []byte("other"), 0))
		}
	}
	// Keys that are prefixes of each other, some committed, some pending, some deleted.
	committed := []string{"", "a", "ab", "abc", "b", "\xff"}
	for _, k := range committed {
		must(t, kv.Put([]byte(k), []byte("c"+k), 0))
	}
	commit(t, s, nil)
	for _, k := range []string{"a\x00", "aa", "abcd", "ba", "\xff\xff"} {
		must(t, kv.Put([]byte(k), []byte("p"+k), 0))
	}
	must(t, kv.Delete([]byte("b"), 0))
	must(t, kv.Put([]byte("ab"), []byte("pab"), 0))
	// All keys now, in order: "", a, a\x00, aa, ab, abc, abcd, ba, \xff, \xff\xff

	// Every key's expected value: "p"+key if written after the commit, else "c"+key.
	value := map[string]string{}
	for _, k := range committed {
		value[k] = "c" + k
	}
	for _, k := range []string{"a\x00", "aa", "abcd", "ba", "\xff\xff", "ab"} {
		value[k] = "p" + k
	}
	delete(value, "b")
	collect := func(scan func(fn func(k, v []byte) bool) error, limit int) []string {
		t.Helper()
		var out []string
		must(t, scan(func(k, v []byte) bool {
			if want, ok := value[string(k)]; !ok || string(v) != want {
				t.Errorf("key %q: value %q, want %q (present %v)", k, v, want, ok)
			}
			out = append(out, fmt.Sprintf("%q", k))
			return limit == 0 || len(out) < limit
		}))
		return out
	}
	b := func(s string) []byte { return []byte(s) }
	for _, tc := range []struct {
		name  string
		scan  func(fn func(k, v []byte) bool) error
		limit int
		want  string
	}{
		{"all", kv.All, 0, `"" "a" "a\x00" "aa" "ab" "abc" "abcd" "ba" "\xff" "\xff\xff"`},
		{"range inclusive", func(fn func(k, v []byte) bool) error { return kv.Range(b("a"), b("abc"), fn) }, 0, `"a" "a\x00" "aa" "ab" "abc"`},
		{"range between keys", func(fn func(k, v []byte) bool) error { return kv.Range(b("a\x01"), b("abb"), fn) }, 0, `"aa" "ab"`},
		{"range open start", func(fn func(k, v []byte) bool) error { return kv.Range(nil, b("a"), fn) }, 0, `"" "a"`},
		{"range open end", func(fn func(k, v []byte) bool) error { return kv.Range(b("b"), nil, fn) }, 0, `"ba" "\xff" "\xff\xff"`},
		{"range empty", func(fn func(k, v []byte) bool) error { return kv.Range(b("b"), b("a"), fn) }, 0, ``},
		{"range single", func(fn func(k, v []byte) bool) error { return kv.Range(b("ab"), b("ab"), fn) }, 0, `"ab"`},
		{"range stop", func(fn func(k, v []byte) bool) error { return kv.Range(nil, nil, fn) }, 2, `"" "a"`},
		{"reverse", func(fn func(k, v []byte) bool) error { return kv.ReverseRange(b("a"), b("abc"), fn) }, 0, `"abc" "ab" "aa" "a\x00" "a"`},
		{"reverse all", func(fn func(k, v []byte) bool) error { return kv.ReverseRange(nil, nil, fn) }, 0, `"\xff\xff" "\xff" "ba" "abcd" "abc" "ab" "aa" "a\x00" "a" ""`},
		{"reverse open end", func(fn func(k, v []byte) bool) error { return kv.ReverseRange(b("b"), nil, fn) }, 0, `"\xff\xff" "\xff" "ba"`},
		{"reverse open start", func(fn func(k, v []byte) bool) error { return kv.ReverseRange(nil, b("a\x00"), fn) }, 0, `"a\x00" "a" ""`},
		{"reverse stop", func(fn func(k, v []byte) bool) error { return kv.ReverseRange(nil, nil, fn) }, 1, `"\xff\xff"`},
		{"prefix a", func(fn func(k, v []byte) bool) error { return kv.Prefix(b("a"), fn) }, 0, `"a" "a\x00" "aa" "ab" "abc" "abcd"`},
		{"prefix ab", func(fn func(k, v []byte) bool) error { return kv.Prefix(b("ab"), fn) }, 0, `"ab" "abc" "abcd"`},
		{"prefix deleted", func(fn func(k, v []byte) bool) error { return kv.Prefix(b("b"), fn) }, 0, `"ba"`},
		{"prefix ff", func(fn func(k, v []byte) bool) error { return kv.Prefix(b("\xff"), fn) }, 0, `"\xff" "\xff\xff"`},
		{"prefix none", func(fn func(k, v []byte) bool) error { return kv.Prefix(b("c"), fn) }, 0, ``},
		{"prefix empty", func(fn func(k, v []byte) bool) error { return kv.Prefix(nil, fn) }, 0, `"" "a" "a\x00" "aa" "ab" "abc" "abcd" "ba" "\xff" "\xff\xff"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.Join(collect(tc.scan, tc.limit), " ")
			if got != tc.want {
				t.Errorf("\n got %s\nwant %s", got, tc.want)
			}
		})
	}
	n, err := kv.Count()
	must(t, err)
	if n != 10 {
		t.Errorf("Count = %d, want 10", n)
	}
	// The same after commit, read from Badger alone.
	before := kvDump(t, kv)
	commit(t, s, nil)
	if after := kvDump(t, kv); !slices.Equal(before, after) {
		t.Errorf("after commit %q, before %q", after, before)
	}
}

func TestKeyValueWriteDuringScan(t *testing.T) {
	db, _ := openDB(t, InMemory())
	s := db.Begin()
	kv := NewKeyValue(s, "kv", 0, nil)
	for i := range 10 {
		must(t, kv.Put(fmt.Appendf(nil, "k%d", i), []byte("v"), 0))
	}
	commit(t, s, nil)
	must(t, kv.Put([]byte("k5"), []byte("pending"), 0))
	// Rewrite every visited key, as an aggregation updating in a scan would.
	var seen int
	must(t, kv.All(func(k, v []byte) bool {
		seen++
		return kv.Put(bytes.Clone(k), append(bytes.Clone(v), '+'), 0) == nil
	}))
	if seen != 10 {
		t.Errorf("visited %d keys, want 10", seen)
	}
	for _, e := range kvDump(t, kv) {
		if !strings.HasSuffix(e, "+") {
			t.Errorf("%s not rewritten", e)
		}
	}
}

func TestKeyValueInvalidStore(t *testing.T) {
	db, _ := openDB(t, InMemory())
	for _, name := range []string{"", "a\x00b"} {
		kv := NewKeyValue(db.Begin(), name, 0, nil)
		if err := kv.Put([]byte("k"), []byte("v"), 0); err == nil {
			t.Errorf("Put to store %q: no error", name)
		}
		if _, err := kv.Get([]byte("k")); err == nil {
			t.Errorf("Get from store %q: no error", name)
		}
		if err := kv.All(func(_, _ []byte) bool { return true }); err == nil {
			t.Errorf("All of store %q: no error", name)
		}
	}
}

// TestKeyValueModel runs random operations, commits, discards, restores and drops against
// a map, with the Session cache on, off and too small for the keys.
func TestKeyValueModel(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []Opt
	}{
		{"default cache", nil},
		{"no cache", []Opt{SessionCacheSize(0)}},
		{"tiny cache", []Opt{SessionCacheSize(400)}},
	} {
		t.Run(tc.name, func(t *testing.T) { runKeyValueModel(t, tc.opts...) })
	}
}

func runKeyValueModel(t *testing.T, opts ...Opt) {
	db, _ := openDB(t, opts...)
	s := db.Begin()
	kv := NewKeyValue(s, "m", 0, nil)
	committed := map[string]string{}
	pending := map[string]*string{}
	r := rand.New(rand.NewPCG(1, 2))
	keys := []string{"", "a", "a\x00", "a\x00\x00", "aa", "ab", "b", "b\xff", "\xff", "\xff\x00", "\xff\xff"}
	view := func() map[string]string {
		m := maps(committed)
		for k, v := range pending {
			if v == nil {
				delete(m, k)
			} else {
				m[k] = *v
			}
		}
		return m
	}
	ops := 4000
	if testing.Short() {
		ops = 1500
	}
	for i := range ops {
		k := keys[r.IntN(len(keys))]
		switch op := r.IntN(40); {
		case op < 14:
			v := fmt.Sprint(i)
			must(t, kv.Put([]byte(k), []byte(v), 0))
			pending[k] = &v
		case op < 20:
			must(t, kv.Delete([]byte(k), 0))
			pending[k] = nil
		case op < 23:
			commit(t, s, nil)
			committed = view()
			pending = map[string]*string{}
		case op < 24:
			s.Discard()
			pending = map[string]*string{}
		case op < 25:
			// Another writer: pending writes stay, committed data changes under the session.
			must(t, db.DropPartition("m", 0))
			committed = map[string]string{}
		case op < 26:
			rs := db.Restorer("m", 0)
			for range 3 {
				k, v := keys[r.IntN(len(keys))], fmt.Sprint("r", i)
				must(t, rs.Add([]byte(k), []byte(v)))
				committed[k] = v
			}
			must(t, rs.Finish(int64(i)))
		case op < 33:
			got, err := kv.Get([]byte(k))
			must(t, err)
			want, ok := view()[k]
			if (got != nil) != ok || string(got) != want {
				t.Fatalf("op %d: Get(%q) = %q, want %q (present %v)", i, k, got, want, ok)
			}
		default:
			lo, hi := keys[r.IntN(len(keys))], keys[r.IntN(len(keys))]
			reverse := r.IntN(2) == 0
			var want []string
			for _, k := range sortedKeys(view()) {
				if k >= lo && k <= hi {
					want = append(want, k+"="+view()[k])
				}
			}
			if reverse {
				slices.Reverse(want)
			}
			var got []string
			fn := func(k, v []byte) bool { got = append(got, string(k)+"="+string(v)); return true }
			if reverse {
				must(t, kv.ReverseRange([]byte(lo), []byte(hi), fn))
			} else {
				must(t, kv.Range([]byte(lo), []byte(hi), fn))
			}
			if !slices.Equal(got, want) {
				t.Fatalf("op %d: range [%q, %q] reverse=%v = %q, want %q", i, lo, hi, reverse, got, want)
			}
		}
	}
}

func maps(m map[string]string) map[string]string {
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func TestKeyValueLimits(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 2<<20) // above the 1 MiB value threshold
	for _, tc := range []struct {
		name     string
		opts     []Opt
		bigValue bool // accepted
	}{
		{"disk", nil, true},
		{"memory", []Opt{InMemory()}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, _ := openDB(t, tc.opts...)
			s := db.Begin()
			kv := NewKeyValue(s, "kv", 0, nil)
			if err := kv.Put(bytes.Repeat([]byte("k"), 70000), []byte("v"), 0); err == nil {
				t.Error("Put of a 70000-byte key: no error")
			}
			err := kv.Put([]byte("big"), big, 0)
			if (err == nil) != tc.bigValue {
				t.Fatalf("Put of a 2 MiB value: %v, want accepted=%v", err, tc.bigValue)
			}
			commit(t, s, nil)
			if !tc.bigValue {
				return
			}
			// Stored in the value log: read back by Get and by scans.
			v, err := kv.Get([]byte("big"))
			must(t, err)
			if !bytes.Equal(v, big) {
				t.Errorf("Get of a value-log value: %d bytes", len(v))
			}
			must(t, kv.All(func(_, v []byte) bool {
				if !bytes.Equal(v, big) {
					t.Errorf("scan of a value-log value: %d bytes", len(v))
				}
				return true
			}))
		})
	}
}
