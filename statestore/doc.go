// Package statestore holds ksqlgo's state stores: Badger-backed key-value, window and session
// stores whose writes also go to changelog topics (see DESIGN.md, "State stores").
//
// It may import only the standard library, Badger and serde; Badger's types never appear in
// its API. The runtime implements the one interface it declares, ChangeLogger.
//
// # Model
//
// One DB (one Badger database under state.dir/<application id>) serves every store partition
// of an application instance, each under its own key prefix. A task reads and writes its
// store partitions through one Session:
//
//   - Writes wait in the Session (a sorted write buffer) until Commit, which writes them
//     together with the changelog checkpoints of the task's store partitions in one Badger
//     transaction: store data and checkpoint become durable together, atomically, so a crash
//     never leaves a store ahead of or behind its checkpoint.
//   - Reads see the Session's pending writes (point reads and scans alike) over the data
//     committed when the Session last committed or discarded. A Session also caches the
//     committed values it reads and writes (SessionCacheSize), so that a task updating the
//     same keys commit after commit reads them from memory.
//   - Every write is also passed to the store's ChangeLogger (the runtime sends it to the
//     changelog topic). The changelog key of a key-value entry is its key; that of a window
//     or session entry is its encoded key and times (see below), which Restore decodes.
//   - Session.NeedsCommit turns true at half of what one Badger transaction holds; the
//     runtime then commits early, and writes never fail with ErrTxnTooBig in practice.
//
// A Restorer replays a changelog into a store partition much faster than Restore through a
// Session (sorted batches loaded with Badger's bulk loader) and sets its checkpoint at the
// end; DB.Checkpoint tells where a restore starts; DB.DropPartition wipes a partition that
// moved away or must be restored from scratch. Sessions notice both at their next read.
//
// Window and session stores expire entries by stream time as Kafka Streams does: an entry
// whose window start (window stores) or session end (session stores) is at or before the
// observed stream time minus the retention is invisible to reads, writes to it are dropped,
// and Expire (called by the runtime at commit) deletes such entries in batches, so that a
// partition holds at most about 1.5 times its retention. Expiry is not written to the
// changelog: window and session changelog topics need a retention of their own
// (cleanup.policy=compact,delete, as Kafka Streams configures them).
//
// # Key encoding
//
// A Badger key is: store name, 0x00, partition (4 bytes, big-endian), then the
// store-specific part. Store names are non-empty, contain no 0x00 and do not start with
// Badger's reserved "!badger!" (ValidateStoreName), so partition prefixes never overlap. The
// store-specific part is the raw key for key-value stores (ranges follow the byte order of
// serialized keys); esc(key) + start for window stores; esc(key) + end + start for session
// stores. esc doubles every 0x00 of the key as 0x00 0xFF and ends it with 0x00 0x01, which
// keeps the byte order of keys and makes no escaped key a prefix of another, so the entries
// of a key are contiguous and ordered by time. Times are 8 bytes big-endian with the sign bit
// flipped, so negative times sort first. Checkpoints live under keys starting with 0x00,
// which no store key does. encoding.go has the details.
//
// # Badger settings
//
// Tuned for a small machine (one DB per process):
//
//	MemTableSize       16 MiB  (MemTableSize) transactions up to 2.4 MiB / 26k entries
//	NumMemtables       2       one being written, one being flushed
//	Compression        none    CPU over disk; tables are memory-mapped
//	BlockCacheSize     16 MiB  (BlockCacheSize) block metadata; data lives in the page cache
//	IndexCacheSize     0       unencrypted table indexes and bloom filters are read in place
//	ValueThreshold     1 MiB   smaller values stay in the LSM tree; no value-log GC needed
//	ValueLogFileSize   64 MiB  the value log only holds values of 1 MiB and more
//	NumCompactors      2       Badger's minimum
//	DetectConflicts    false   each store partition has a single writer
//	SyncWrites         false   a process crash loses nothing (the write-ahead log is
//	                           memory-mapped); a power loss may lose the last commits, store
//	                           and checkpoint alike, and the restore replays them
//	MetricsEnabled     false
//
// Measured with 1M keys (16-byte keys, 8-byte values, written through Sessions committing
// every 10k writes; TestMemory1MKeys): Go heap about 35 MiB once settled (55-60 MiB right
// after the writes, with a memtable being flushed), resident set 60-100 MiB of which about
// 43 MiB is memory-mapped files (page cache the kernel can reclaim), peak resident set
// 150-200 MiB during the bulk write (a flush, a compaction and the Go GC's headroom at
// once; GOMEMLIMIT bounds the last). The state directory takes 32 MiB of disk.
//
// # Concurrency
//
// DB methods are safe for concurrent use. A Session, the stores on it and a Restorer belong
// to one goroutine. Commits, restores and expiry hold DB's only mutex shared; DropPartition
// and Close hold it exclusively, because Badger's DropPrefix fails concurrent writes.
package statestore
