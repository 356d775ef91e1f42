package statestore

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

func sessionDump(t testing.TB, ss *SessionStore) []string {
	t.Helper()
	var out []string
	must(t, ss.All(func(k []byte, start, end int64, v []byte) bool {
		out = append(out, fmt.Sprintf("%s[%d,%d]=%s", k, start, end, v))
		return true
	}))
	return out
}

func TestSessionStore(t *testing.T) {
	db, _ := openDB(t)
	rec := &recorder{}
	s := db.Begin()
	ss := NewSessionStore(s, "sess", 0, 0, rec)
	put := func(key string, start, end int64) {
		t.Helper()
		must(t, ss.Put([]byte(key), start, end, fmt.Appendf(nil, "%d-%d", start, end), end))
	}
	put("k", 0, 10)
	put("k", 20, 30)
	put("k", -30, -20)
	put("k\x00", 0, 100)
	put("kk", 0, 100)
	put("", 15, 15)
	commit(t, s, nil)
	put("k", 40, 40)
	put("k", 50, 60)
	put("k", 5, 30)
	put("k", 70, 80)
	must(t, ss.Remove([]byte("k"), 70, 80, 80))

	find := func(key string, earliestEnd, latestStart int64, limit int) string {
		t.Helper()
		var out []string
		must(t, ss.FindSessions([]byte(key), earliestEnd, latestStart, func(start, end int64, v []byte) bool {
			if want := fmt.Sprintf("%d-%d", start, end); string(v) != want {
				t.Errorf("session [%d,%d] value %q, want %q", start, end, v, want)
			}
			out = append(out, fmt.Sprintf("[%d,%d]", start, end))
			return limit == 0 || len(out) < limit
		}))
		return strings.Join(out, " ")
	}
	for _, tc := range []struct {
		name                     string
		key                      string
		earliestEnd, latestStart int64
		limit                    int
		want                     string
	}{
		{"all, by end then start", "k", math.MinInt64, math.MaxInt64, 0, "[-30,-20] [0,10] [5,30] [20,30] [40,40] [50,60]"},
		{"touching both ends", "k", 10, 20, 0, "[0,10] [5,30] [20,30]"},
		{"in the gap", "k", 11, 19, 0, "[5,30]"},
		{"inside a session", "k", 55, 55, 0, "[50,60]"},
		{"point session", "k", 40, 40, 0, "[40,40]"},
		{"around a point session", "k", 35, 45, 0, "[40,40]"},
		{"after all", "k", 61, math.MaxInt64, 0, ""},
		{"before all", "k", math.MinInt64, -31, 0, ""},
		{"negative", "k", -25, -25, 0, "[-30,-20]"},
		{"stop", "k", math.MinInt64, math.MaxInt64, 2, "[-30,-20] [0,10]"},
		{"key with 0x00", "k\x00", 0, 0, 0, "[0,100]"},
		{"longer key", "kk", 100, 100, 0, "[0,100]"},
		{"empty key", "", 15, 15, 0, "[15,15]"},
		{"absent key", "x", math.MinInt64, math.MaxInt64, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := find(tc.key, tc.earliestEnd, tc.latestStart, tc.limit); got != tc.want {
				t.Errorf("FindSessions(%q, %d, %d) = %s, want %s", tc.key, tc.earliestEnd, tc.latestStart, got, tc.want)
			}
		})
	}

	var fetched []string
	must(t, ss.Fetch([]byte("kk"), func(start, end int64, _ []byte) bool {
		fetched = append(fetched, fmt.Sprintf("[%d,%d]", start, end))
		return true
	}))
	if want := []string{"[0,100]"}; !slices.Equal(fetched, want) {
		t.Errorf("Fetch(kk) = %q, want %q", fetched, want)
	}
	for _, tc := range []struct {
		key        string
		start, end int64
		want       string
	}{{"k", 0, 10, "0-10"}, {"k", 70, 80, ""}, {"k", 0, 11, ""}, {"kk", 0, 100, "0-100"}} {
		v, err := ss.Get([]byte(tc.key), tc.start, tc.end)
		must(t, err)
		if string(v) != tc.want || (v == nil) != (tc.want == "") {
			t.Errorf("Get(%q, %d, %d) = %q, want %q", tc.key, tc.start, tc.end, v, tc.want)
		}
	}
	want := []string{
		"[15,15]=15-15",
		"k[-30,-20]=-30--20", "k[0,10]=0-10", "k[5,30]=5-30", "k[20,30]=20-30", "k[40,40]=40-40", "k[50,60]=50-60",
		"k\x00[0,100]=0-100", "kk[0,100]=0-100",
	}
	if got := sessionDump(t, ss); !slices.Equal(got, want) {
		t.Errorf("All:\n got %q\nwant %q", got, want)
	}
	commit(t, s, nil)
	if got := sessionDump(t, ss); !slices.Equal(got, want) {
		t.Errorf("All after commit:\n got %q\nwant %q", got, want)
	}
	if err := ss.Put([]byte("k"), 10, 5, []byte("v"), 0); err == nil {
		t.Errorf("Put of a session ending before its start: no error")
	}
	for _, c := range rec.changes {
		_, _, end, err := decodeSessionKey(nil, c.key)
		must(t, err)
		if end != c.ts {
			t.Errorf("change logged with ts %d, want the end %d", c.ts, end)
		}
	}
	rec.checkUnmodified(t)
}

func TestSessionStoreRetention(t *testing.T) {
	db, _ := openDB(t)
	s := db.Begin()
	ss := NewSessionStore(s, "sess", 0, 100*time.Millisecond, nil)
	for _, se := range [][2]int64{{-100, -50}, {-10, 0}, {40, 50}, {60, 100}} {
		must(t, ss.Put([]byte("k"), se[0], se[1], []byte("v"), se[1]))
	}
	commit(t, s, nil)
	sessions := func(earliestEnd, latestStart int64) []string {
		var out []string
		must(t, ss.FindSessions([]byte("k"), earliestEnd, latestStart, func(start, end int64, _ []byte) bool {
			out = append(out, fmt.Sprintf("[%d,%d]", start, end))
			return true
		}))
		return out
	}
	// Observed 100: sessions ending at or before 0 are expired.
	if got, want := sessions(math.MinInt64, math.MaxInt64), []string{"[40,50]", "[60,100]"}; !slices.Equal(got, want) {
		t.Errorf("at 100: %q, want %q", got, want)
	}
	must(t, ss.Put([]byte("k"), -10, 0, []byte("late"), 0))
	if v, _ := ss.Get([]byte("k"), -10, 0); v != nil {
		t.Errorf("late write to an expired session stored: %q", v)
	}
	must(t, ss.Expire(150))
	if got, want := sessions(math.MinInt64, math.MaxInt64), []string{"[60,100]"}; !slices.Equal(got, want) {
		t.Errorf("at 150: %q, want %q", got, want)
	}
	n := 0
	must(t, db.Begin().scan(ss.prefix, nil, nil, false, func(_, _ []byte) bool { n++; return true }))
	if n != 1 {
		t.Errorf("after Expire(150) %d sessions stored, want 1", n)
	}
}

func TestSessionStoreRestoreErrors(t *testing.T) {
	db, _ := openDB(t, InMemory())
	ss := NewSessionStore(db.Begin(), "sess", 0, 0, nil)
	for _, k := range []string{"", "k", "k\x00\x0112345678", "k\x00\x0112345678123456789"} {
		if err := ss.Restore([]byte(k), []byte("v")); err == nil {
			t.Errorf("Restore(%q): no error", k)
		}
	}
}
