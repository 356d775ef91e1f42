package statestore

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// windowDump lists the windows of w as "key@start=value" in scan order.
func windowDump(t testing.TB, w *Window, from, to int64) []string {
	t.Helper()
	var out []string
	must(t, w.FetchAll(from, to, func(k []byte, start int64, v []byte) bool {
		out = append(out, fmt.Sprintf("%s@%d=%s", k, start, v))
		return true
	}))
	return out
}

func TestWindowPutGetFetch(t *testing.T) {
	db, _ := openDB(t)
	rec := &recorder{}
	s := db.Begin()
	w := NewWindow(s, "win", 0, 0, rec)
	other := NewWindow(s, "win", 1, 0, nil)
	put := func(key string, start int64, value string) {
		t.Helper()
		var v []byte
		if value != "" {
			v = []byte(value)
		}
		must(t, w.Put([]byte(key), start, v, start))
	}
	// Keys that are prefixes of each other and contain 0x00, negative times.
	put("a", 10, "a10")
	put("a", -10, "a-10")
	put("a", 0, "a0")
	put("a\x00", 5, "a0-5")
	put("ab", 10, "ab10")
	put("", 7, "empty7")
	must(t, other.Put([]byte("a"), 10, []byte("other"), 0))
	commit(t, s, nil)
	put("a", 20, "a20")
	put("a", 0, "") // delete a committed window
	put("a", -20, "a-20")

	fetch := func(key string, from, to int64, limit int) string {
		t.Helper()
		var out []string
		must(t, w.Fetch([]byte(key), from, to, func(start int64, v []byte) bool {
			out = append(out, fmt.Sprintf("%d=%s", start, v))
			return limit == 0 || len(out) < limit
		}))
		return strings.Join(out, " ")
	}
	for _, tc := range []struct {
		name     string
		key      string
		from, to int64
		limit    int
		want     string
	}{
		{"all of a", "a", math.MinInt64, math.MaxInt64, 0, "-20=a-20 -10=a-10 10=a10 20=a20"},
		{"boundaries inclusive", "a", -10, 10, 0, "-10=a-10 10=a10"},
		{"just inside", "a", -11, 11, 0, "-10=a-10 10=a10"},
		{"just outside", "a", -9, 9, 0, ""},
		{"single", "a", 20, 20, 0, "20=a20"},
		{"empty range", "a", 20, 10, 0, ""},
		{"stop", "a", math.MinInt64, math.MaxInt64, 2, "-20=a-20 -10=a-10"},
		{"key with 0x00", "a\x00", 0, 100, 0, "5=a0-5"},
		{"longer key", "ab", 0, 100, 0, "10=ab10"},
		{"empty key", "", 0, 100, 0, "7=empty7"},
		{"absent key", "b", math.MinInt64, math.MaxInt64, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := fetch(tc.key, tc.from, tc.to, tc.limit); got != tc.want {
				t.Errorf("Fetch(%q, %d, %d) = %q, want %q", tc.key, tc.from, tc.to, got, tc.want)
			}
		})
	}

	for _, tc := range []struct {
		key   string
		start int64
		want  string
	}{
		{"a", 10, "a10"}, {"a", 0, ""}, {"a", -20, "a-20"}, {"a", 11, ""}, {"a\x00", 5, "a0-5"}, {"a", 5, ""},
	} {
		v, err := w.Get([]byte(tc.key), tc.start)
		must(t, err)
		if string(v) != tc.want || (tc.want == "") != (v == nil) {
			t.Errorf("Get(%q, %d) = %q, want %q", tc.key, tc.start, v, tc.want)
		}
	}

	want := []string{"@7=empty7", "a@-20=a-20", "a@-10=a-10", "a@10=a10", "a@20=a20", "a\x00@5=a0-5", "ab@10=ab10"}
	if got := windowDump(t, w, math.MinInt64, math.MaxInt64); !slices.Equal(got, want) {
		t.Errorf("FetchAll:\n got %q\nwant %q", got, want)
	}
	want = []string{"@7=empty7", "a@10=a10", "a\x00@5=a0-5", "ab@10=ab10"}
	if got := windowDump(t, w, 5, 10); !slices.Equal(got, want) {
		t.Errorf("FetchAll(5, 10):\n got %q\nwant %q", got, want)
	}
	if got, want := windowDump(t, other, math.MinInt64, math.MaxInt64), []string{"a@10=other"}; !slices.Equal(got, want) {
		t.Errorf("other partition: %q, want %q", got, want)
	}
	// The changelog keys decode to the key and start; values are the written ones.
	for _, c := range rec.changes {
		k, start, err := decodeWindowKey(nil, c.key)
		must(t, err)
		if c.ts != start {
			t.Errorf("change %q@%d logged with ts %d", k, start, c.ts)
		}
	}
	rec.checkUnmodified(t)
}

func TestWindowRetention(t *testing.T) {
	const retention = 100 * time.Millisecond
	db, _ := openDB(t)
	s := db.Begin()
	w := NewWindow(s, "win", 0, retention, nil)
	for _, start := range []int64{-50, 0, 50, 100} {
		must(t, w.Put([]byte("k"), start, fmt.Append(nil, start), start))
	}
	commit(t, s, nil)
	starts := func() []int64 {
		var out []int64
		must(t, w.Fetch([]byte("k"), math.MinInt64, math.MaxInt64, func(start int64, _ []byte) bool {
			out = append(out, start)
			return true
		}))
		return out
	}
	// stored counts the committed windows physically in the store, expired or not.
	stored := func() int {
		n := 0
		must(t, db.Begin().scan(w.prefix, nil, nil, false, func(_, _ []byte) bool { n++; return true }))
		return n
	}
	// Observed stream time is 100 (the largest start written): live starts are > 0.
	if got, want := starts(), []int64{50, 100}; !slices.Equal(got, want) {
		t.Errorf("starts at observed 100 = %v, want %v", got, want)
	}
	if v, _ := w.Get([]byte("k"), 0); v != nil {
		t.Errorf("Get of an expired window = %q", v)
	}
	// A write to an expired window is dropped.
	must(t, w.Put([]byte("k"), 0, []byte("late"), 0))
	if v, _ := w.Get([]byte("k"), 0); v != nil {
		t.Errorf("late write stored: %q", v)
	}
	must(t, w.Expire(149))
	if got, want := starts(), []int64{50, 100}; !slices.Equal(got, want) {
		t.Errorf("starts at 149 = %v, want %v", got, want)
	}
	if n := stored(); n != 2 {
		t.Errorf("after the first Expire %d windows stored, want 2 (the expired ones deleted)", n)
	}
	must(t, w.Expire(150))
	if got, want := starts(), []int64{100}; !slices.Equal(got, want) {
		t.Errorf("starts at 150 = %v, want %v", got, want)
	}
	// Physical deletion waits until the oldest window has been expired for retention/2.
	if n := stored(); n != 2 {
		t.Errorf("at 150, %d windows stored, want 2", n)
	}
	must(t, w.Put([]byte("k"), 150, []byte("150"), 150))
	must(t, w.Expire(200)) // cutoff 100: 50 has been expired for 50ms
	if n := stored(); n != 0 {
		t.Errorf("at 200, %d windows stored, want 0", n)
	}
	commit(t, s, nil)
	if n := stored(); n != 1 {
		t.Errorf("after commit, %d windows stored, want 1 (150)", n)
	}
	if got, want := starts(), []int64{150}; !slices.Equal(got, want) {
		t.Errorf("starts at 200 = %v, want %v", got, want)
	}
	// A store without retention keeps everything.
	forever := NewWindow(s, "forever", 0, 0, nil)
	must(t, forever.Put([]byte("k"), math.MinInt64, []byte("old"), 0))
	must(t, forever.Expire(math.MaxInt64))
	if v, _ := forever.Get([]byte("k"), math.MinInt64); string(v) != "old" {
		t.Errorf("no retention: Get = %q", v)
	}
}

func TestWindowExpirePending(t *testing.T) {
	db, _ := openDB(t, InMemory())
	s := db.Begin()
	w := NewWindow(s, "win", 0, 10*time.Millisecond, nil)
	must(t, w.Put([]byte("k"), 0, []byte("0"), 0))
	must(t, w.Put([]byte("k"), 9, []byte("9"), 9))
	must(t, w.Expire(100)) // both pending windows expired before the commit
	commit(t, s, nil)
	n := 0
	must(t, w.s.scan(w.prefix, nil, nil, false, func(_, _ []byte) bool { n++; return true }))
	if n != 0 {
		t.Errorf("%d expired pending windows committed", n)
	}
}

func TestWindowRestoreErrors(t *testing.T) {
	db, _ := openDB(t, InMemory())
	w := NewWindow(db.Begin(), "win", 0, 0, nil)
	for _, k := range []string{"", "k", "k\x00\x01", "k\x00\x01short", "k\x00\x01123456789"} {
		if err := w.Restore([]byte(k), []byte("v")); err == nil {
			t.Errorf("Restore(%q): no error", k)
		}
	}
}
