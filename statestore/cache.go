package statestore

// cache holds committed values a Session read or wrote, so that a task updating the same
// keys commit after commit (counts, aggregates) reads them without going to Badger. It
// holds only committed data: Commit moves the pending writes into it, reads from Badger
// fill it, and every other writer of the Session's partitions (Restorer, DropPartition)
// makes the Session drop it (see Session.sync). A nil value records an absent key.
//
// Entries are evicted at random when the cache outgrows its budget (Go map iteration order).
type cache struct {
	m     map[string][]byte
	size  int64
	limit int64 // 0: disabled
}

const cacheEntryOverhead = 64 // map entry, string and slice headers

func newCache(limit int64) cache { return cache{m: make(map[string][]byte), limit: limit} }

func entrySize(key string, value []byte) int64 {
	return int64(len(key)+len(value)) + cacheEntryOverhead
}

// get returns the cached value of key; ok is false if the key is not cached.
func (c *cache) get(key []byte) (value []byte, ok bool) {
	value, ok = c.m[string(key)]
	return value, ok
}

// put caches value (nil: absent) for key, which must never be modified afterwards.
func (c *cache) put(key string, value []byte) {
	if c.limit <= 0 {
		return
	}
	if old, ok := c.m[key]; ok {
		c.size -= entrySize(key, old)
	}
	c.m[key] = value
	c.size += entrySize(key, value)
}

// del removes key.
func (c *cache) del(key []byte) {
	if old, ok := c.m[string(key)]; ok {
		c.size -= entrySize(string(key), old)
		delete(c.m, string(key))
	}
}

// evict drops random entries until the cache is within 90% of its budget.
func (c *cache) evict() {
	if c.size <= c.limit {
		return
	}
	target := c.limit - c.limit/10
	for k, v := range c.m {
		if c.size <= target {
			break
		}
		c.size -= entrySize(k, v)
		delete(c.m, k)
	}
}

func (c *cache) clear() {
	clear(c.m)
	c.size = 0
}
