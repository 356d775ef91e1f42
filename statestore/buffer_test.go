package statestore

import (
	"bytes"
	"fmt"
	goruntime "runtime"
	"slices"
	"testing"
	"weak"
)

func TestBufferOrder(t *testing.T) {
	b := newBuffer()
	var keys []string
	for i := range 2000 {
		k := fmt.Sprintf("%x", (i*7919)%2000)
		keys = append(keys, k)
		b.insert([]byte(k), []byte(k), false)
	}
	slices.Sort(keys)
	var fwd, rev []string
	for n := b.first(); n != nil; n = n.next[0] {
		fwd = append(fwd, string(n.key))
	}
	for n := b.seekLE(nil); n != nil; n = n.prev {
		rev = append(rev, string(n.key))
	}
	slices.Reverse(rev)
	if !slices.Equal(fwd, keys) || !slices.Equal(rev, keys) {
		t.Fatalf("order broken: forward %d keys, reverse %d keys", len(fwd), len(rev))
	}
	for _, probe := range []string{"", "0", "3e7", "3e8", "7cf", "7d0", "zz"} {
		ge := b.seekGE([]byte(probe))
		i, _ := slices.BinarySearch(keys, probe)
		if (ge == nil) != (i == len(keys)) || (ge != nil && string(ge.key) != keys[i]) {
			t.Errorf("seekGE(%q) wrong", probe)
		}
		le := b.seekLE([]byte(probe))
		j := i - 1
		if i < len(keys) && keys[i] == probe {
			j = i
		}
		if (le == nil) != (j < 0) || (le != nil && string(le.key) != keys[j]) {
			t.Errorf("seekLE(%q) wrong", probe)
		}
	}
	if n := b.get([]byte("7cf")); n == nil || !bytes.Equal(n.value, []byte("7cf")) {
		t.Errorf("get failed")
	}
}

// TestBufferResetFreesOldList checks that a reset buffer does not keep the previous
// generation of nodes reachable (through shared slabs), which would leak every commit.
func TestBufferResetFreesOldList(t *testing.T) {
	b := newBuffer()
	key := make([]byte, 8)
	copy(key, "old-key!")
	wp := weak.Make(&key[0])
	b.insert(key, []byte("v"), false)
	for i := range 10 {
		b.insert(fmt.Appendf(nil, "old-%d", i), nil, true)
	}
	key = nil
	b.reset()
	for i := range 10 {
		b.insert(fmt.Appendf(nil, "new-%d", i), nil, true)
	}
	goruntime.GC()
	goruntime.GC()
	if wp.Value() != nil {
		t.Fatal("a key of the previous generation is still reachable after reset")
	}
	goruntime.KeepAlive(b)
}
