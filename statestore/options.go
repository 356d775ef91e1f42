package statestore

import (
	"fmt"
	"log/slog"
	"time"
)

// Opt configures Open.
type Opt interface{ apply(*cfg) }

type cfg struct {
	inMemory     bool
	log          *slog.Logger
	memTableSize int64
	blockCache   int64
	gcInterval   time.Duration
	cacheSize    int64
}

func defaultCfg() cfg {
	return cfg{
		log:          slog.New(slog.DiscardHandler),
		memTableSize: 16 << 20,
		blockCache:   16 << 20,
		gcInterval:   10 * time.Minute,
		cacheSize:    4 << 20,
	}
}

func (c *cfg) validate() error {
	if c.memTableSize < 1<<20 {
		return fmt.Errorf("memtable size %d is below the minimum of 1 MiB", c.memTableSize)
	}
	if c.cacheSize < 0 {
		return fmt.Errorf("negative session cache size %d", c.cacheSize)
	}
	if c.blockCache < 0 {
		return fmt.Errorf("negative block cache size %d", c.blockCache)
	}
	return nil
}

type optFunc func(*cfg)

func (f optFunc) apply(c *cfg) { f(c) }

// InMemory keeps the whole database in memory (Badger's in-memory mode): nothing is written
// to disk and Open ignores its dir argument. For tests and benchmarks; the default is on
// disk.
func InMemory() Opt { return optFunc(func(c *cfg) { c.inMemory = true }) }

// Logger sends Badger's log messages to l (with "component"="badger"), overriding the
// default of discarding them: errors and warnings at their level, info messages at debug
// level and Badger's own debug messages at debug-4. A nil l discards.
func Logger(l *slog.Logger) Opt {
	return optFunc(func(c *cfg) {
		if l == nil {
			l = slog.New(slog.DiscardHandler)
		}
		c.log = l
	})
}

// MemTableSize sets the size of Badger's memtables in bytes, overriding the default 16 MiB.
// It bounds the writes a Session may hold: Badger's largest transaction is 15% of it (2.4 MiB
// or 26k entries by default), and Session.NeedsCommit turns true at half of that. A memtable
// takes 1.3 times this value of Go heap, and up to two exist at once (plus a table being
// built from one being flushed).
func MemTableSize(bytes int64) Opt { return optFunc(func(c *cfg) { c.memTableSize = bytes }) }

// BlockCacheSize sets the size in bytes of Badger's block cache, overriding the default
// 16 MiB. Tables are uncompressed and memory-mapped, so the cache holds only block
// metadata; the data itself is in the page cache.
func BlockCacheSize(bytes int64) Opt { return optFunc(func(c *cfg) { c.blockCache = bytes }) }

// SessionCacheSize sets the budget in bytes of each Session's cache of committed values,
// overriding the default 4 MiB; 0 disables it. The cache lets a task that updates the same
// keys commit after commit (counts, aggregates) read them without going to Badger. Each
// entry counts its key and value plus 64 bytes.
func SessionCacheSize(bytes int64) Opt { return optFunc(func(c *cfg) { c.cacheSize = bytes }) }
