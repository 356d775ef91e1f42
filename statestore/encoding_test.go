package statestore

import (
	"bytes"
	"cmp"
	"errors"
	"math"
	"testing"
)

func TestEscape(t *testing.T) {
	for _, tc := range []struct {
		key, want string
	}{
		{"", "\x00\x01"},
		{"a", "a\x00\x01"},
		{"\x00", "\x00\xff\x00\x01"},
		{"a\x00b\x00", "a\x00\xffb\x00\xff\x00\x01"},
		{"\xff\x01", "\xff\x01\x00\x01"},
	} {
		got := appendEscaped(nil, []byte(tc.key))
		if string(got) != tc.want {
			t.Errorf("escape(%q) = %q, want %q", tc.key, got, tc.want)
		}
		if n := escapedLen([]byte(tc.key)); n != len(got) {
			t.Errorf("escapedLen(%q) = %d, want %d", tc.key, n, len(got))
		}
		key, rest, err := unescape(nil, append(got, "tail"...))
		if err != nil || string(key) != tc.key || string(rest) != "tail" {
			t.Errorf("unescape(%q) = %q, %q, %v", got, key, rest, err)
		}
	}
}

func TestUnescapeMalformed(t *testing.T) {
	for _, in := range []string{"", "a", "a\x00", "a\x00\x02", "\x00\x00\x01"} {
		if _, _, err := unescape(nil, []byte(in)); !errors.Is(err, errBadEncoding) {
			t.Errorf("unescape(%q): err %v, want errBadEncoding", in, err)
		}
	}
}

func TestWindowAndSessionKeys(t *testing.T) {
	for _, tc := range []struct {
		name       string
		key        string
		start, end int64
	}{
		{"zero", "k", 0, 0},
		{"negative", "k\x00", -5, -1},
		{"extremes", "", math.MinInt64, math.MaxInt64},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wk := appendWindowKey(nil, []byte(tc.key), tc.start)
			key, start, err := decodeWindowKey(nil, wk)
			if err != nil || string(key) != tc.key || start != tc.start || windowStart(wk) != tc.start {
				t.Errorf("window key round trip: %q %d %v", key, start, err)
			}
			sk := appendSessionKey(nil, []byte(tc.key), tc.start, tc.end)
			key, start, end, err := decodeSessionKey(nil, sk)
			s2, e2 := sessionTimes(sk)
			if err != nil || string(key) != tc.key || start != tc.start || end != tc.end || s2 != tc.start || e2 != tc.end {
				t.Errorf("session key round trip: %q %d %d %v", key, start, end, err)
			}
			if _, _, err := decodeWindowKey(nil, sk); err == nil {
				t.Errorf("session key decoded as a window key")
			}
			if _, _, _, err := decodeSessionKey(nil, wk); err == nil {
				t.Errorf("window key decoded as a session key")
			}
		})
	}
}

func TestTimeOrder(t *testing.T) {
	ts := []int64{math.MinInt64, -1 << 40, -2, -1, 0, 1, 2, 1 << 40, math.MaxInt64}
	for i := 1; i < len(ts); i++ {
		a, b := appendTime(nil, ts[i-1]), appendTime(nil, ts[i])
		if bytes.Compare(a, b) >= 0 {
			t.Errorf("time %d encodes to %x, not below %d (%x)", ts[i-1], a, ts[i], b)
		}
		if readTime(b) != ts[i] {
			t.Errorf("readTime(appendTime(%d)) = %d", ts[i], readTime(b))
		}
	}
}

func TestPrefixEnd(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"a", "b"},
		{"a\xff", "b"},
		{"a\x00", "a\x01"},
		{"\xff\xff", ""},
	} {
		got := prefixEnd([]byte(tc.in))
		if string(got) != tc.want || (tc.want == "" && got != nil) {
			t.Errorf("prefixEnd(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestValidateStoreName(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"counts", true},
		{"a-b_c.d", true},
		{"", false},
		{"a\x00b", false},
		{"!badger!x", false},
	} {
		if err := ValidateStoreName(tc.name); (err == nil) != tc.ok {
			t.Errorf("ValidateStoreName(%q) = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
	// Partition prefixes of different stores and partitions are never prefixes of each other.
	ps := [][]byte{
		partitionPrefix("a", 0), partitionPrefix("a", 1), partitionPrefix("ab", 0),
		partitionPrefix("a", -1), partitionPrefix("b", 0),
	}
	for i, p := range ps {
		for j, q := range ps {
			if i != j && bytes.HasPrefix(q, p) {
				t.Errorf("prefix %q is a prefix of %q", p, q)
			}
		}
		if p[0] == 0 || bytes.HasPrefix(p, []byte(badgerReserved)) {
			t.Errorf("prefix %q collides with reserved keys", p)
		}
	}
}

// FuzzEscape checks that escaping round-trips, is prefix-free and keeps the byte order of
// keys, also with window times appended.
func FuzzEscape(f *testing.F) {
	f.Add([]byte(""), []byte("\x00"), int64(0), int64(-1))
	f.Add([]byte("a"), []byte("a\x00"), int64(5), int64(5))
	f.Add([]byte("a\x00\x01"), []byte("a\x00"), int64(-7), int64(3))
	f.Add([]byte("\xff"), []byte("\xff\x00\xff"), int64(math.MinInt64), int64(math.MaxInt64))
	f.Fuzz(func(t *testing.T, a, b []byte, ta, tb int64) {
		ea, eb := appendEscaped(nil, a), appendEscaped(nil, b)
		got, rest, err := unescape(nil, ea)
		if err != nil || !bytes.Equal(got, a) || len(rest) != 0 {
			t.Fatalf("unescape(escape(%q)) = %q, %q, %v", a, got, rest, err)
		}
		if c, want := bytes.Compare(ea, eb), bytes.Compare(a, b); c != want {
			t.Fatalf("order of %q, %q: escaped %d, raw %d", a, b, c, want)
		}
		if !bytes.Equal(a, b) && (bytes.HasPrefix(ea, eb) || bytes.HasPrefix(eb, ea)) {
			t.Fatalf("escaped %q and %q are prefixes of each other", a, b)
		}
		wa, wb := appendWindowKey(nil, a, ta), appendWindowKey(nil, b, tb)
		want := bytes.Compare(a, b)
		if want == 0 {
			want = cmp.Compare(ta, tb)
		}
		if c := bytes.Compare(wa, wb); c != want {
			t.Fatalf("order of (%q,%d), (%q,%d): encoded %d, want %d", a, ta, b, tb, c, want)
		}
		key, start, err := decodeWindowKey(nil, wa)
		if err != nil || !bytes.Equal(key, a) || start != ta {
			t.Fatalf("window round trip of (%q,%d): (%q,%d) %v", a, ta, key, start, err)
		}
		sk := appendSessionKey(nil, a, tb, ta)
		key, s, e, err := decodeSessionKey(nil, sk)
		if err != nil || !bytes.Equal(key, a) || s != tb || e != ta {
			t.Fatalf("session round trip of (%q,%d,%d): (%q,%d,%d) %v", a, tb, ta, key, s, e, err)
		}
		// Arbitrary bytes never decode into something that re-encodes differently.
		if key, start, err := decodeWindowKey(nil, a); err == nil {
			if re := appendWindowKey(nil, key, start); !bytes.Equal(re, a) {
				t.Fatalf("decode(%q) re-encodes to %q", a, re)
			}
		}
	})
}
