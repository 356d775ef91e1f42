package statestore

import (
	"bytes"
	"math/rand/v2"
	"unsafe"
)

// buffer holds a Session's pending writes: the latest value (or deletion) of every key
// written since the last commit, ordered by key (a skip list, doubly linked at the bottom
// level) for merged scans and indexed by a map for point reads. Keys and values are never
// modified once stored: a write replaces the value slice, so slices handed to the
// ChangeLogger or returned by Get stay valid.
type buffer struct {
	head  node // sentinel; head.next has maxLevel entries
	level int  // levels in use
	m     map[string]*node
	last  *node // last node at the bottom level (for reverse scans)

	nodes []node  // slab of free nodes
	ptrs  []*node // slab of free next pointers
}

type node struct {
	key   []byte // full Badger key, immutable
	value []byte // nil when del
	del   bool
	prev  *node // bottom level; nil for the first node
	next  []*node
}

const (
	maxLevel = 16 // 4^16 keys before the list degrades
	slabLen  = 256
)

func newBuffer() *buffer {
	b := &buffer{m: make(map[string]*node)}
	b.head.next = make([]*node, maxLevel)
	b.level = 1
	return b
}

// reset empties the buffer. Nodes are not reused (a scan may still hold one), and the
// slabs are dropped too: a slab shared by the old and the new list would keep the whole old
// list reachable.
func (b *buffer) reset() {
	clear(b.head.next)
	clear(b.m)
	b.level = 1
	b.last = nil
	b.nodes, b.ptrs = nil, nil
}

func (b *buffer) len() int { return len(b.m) }

// get returns the node of key, or nil.
func (b *buffer) get(key []byte) *node { return b.m[string(key)] }

// insert adds a node for key, which must not be in the buffer; the buffer keeps key.
func (b *buffer) insert(key, value []byte, del bool) *node {
	var update [maxLevel]*node
	x := &b.head
	for i := b.level - 1; i >= 0; i-- {
		for x.next[i] != nil && bytes.Compare(x.next[i].key, key) < 0 {
			x = x.next[i]
		}
		update[i] = x
	}
	lvl := randomLevel()
	if lvl > b.level {
		for i := b.level; i < lvl; i++ {
			update[i] = &b.head
		}
		b.level = lvl
	}
	n := b.newNode(lvl)
	n.key, n.value, n.del = key, value, del
	for i := range lvl {
		n.next[i] = update[i].next[i]
		update[i].next[i] = n
	}
	if update[0] != &b.head {
		n.prev = update[0]
	}
	if n.next[0] != nil {
		n.next[0].prev = n
	} else {
		b.last = n
	}
	// The map key shares the node's key bytes, which are never modified.
	b.m[unsafe.String(unsafe.SliceData(key), len(key))] = n
	return n
}

func (b *buffer) newNode(lvl int) *node {
	if len(b.nodes) == 0 {
		b.nodes = make([]node, slabLen)
	}
	if len(b.ptrs) < lvl {
		b.ptrs = make([]*node, slabLen*2)
	}
	n := &b.nodes[0]
	b.nodes = b.nodes[1:]
	n.next = b.ptrs[:lvl:lvl]
	b.ptrs = b.ptrs[lvl:]
	return n
}

func randomLevel() int {
	lvl := 1
	for r := rand.Uint64(); r&3 == 0 && lvl < maxLevel; r >>= 2 {
		lvl++
	}
	return lvl
}

// first returns the first node, or nil.
func (b *buffer) first() *node { return b.head.next[0] }

// seekGE returns the first node with key >= k, or nil.
func (b *buffer) seekGE(k []byte) *node {
	x := &b.head
	for i := b.level - 1; i >= 0; i-- {
		for x.next[i] != nil && bytes.Compare(x.next[i].key, k) < 0 {
			x = x.next[i]
		}
	}
	return x.next[0]
}

// seekLE returns the last node with key <= k, or nil. A nil k means the last node.
func (b *buffer) seekLE(k []byte) *node {
	if k == nil {
		return b.last
	}
	x := &b.head
	for i := b.level - 1; i >= 0; i-- {
		for x.next[i] != nil && bytes.Compare(x.next[i].key, k) <= 0 {
			x = x.next[i]
		}
	}
	if x == &b.head {
		return nil
	}
	return x
}
