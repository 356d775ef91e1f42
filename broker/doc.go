// Package broker is ksqlgo's embedded Kafka broker: franz-go's kfake cluster
// (github.com/twmb/franz-go/pkg/kfake) serving the real Kafka protocol on one
// TCP address and persisting topics, records, committed group offsets,
// producer ids and configs to a data directory.
//
// A [Broker] is a single node. It auto-creates topics on first use with
// [DefaultPartitions] partitions, compacts and applies retention every
// [CleanerInterval], and takes an exclusive lock (flock on a LOCK file) on
// its data directory so that a second broker, in this process or another,
// fails with [ErrDataDirLocked] instead of corrupting the directory.
// Records acknowledged with acks=all and committed offsets survive Close and
// a crash (kill -9) of the process; with [SyncWrites] they also survive a
// power loss.
//
// Imports: the standard library and franz-go's kfake only (with kmsg and
// kerr, the request and error types kfake speaks in). It is the bottom
// of the broker side of ksqlgo: cmd/ksqlgo starts it, tests and benchmarks
// use it; nothing in runtime, dsl or sql imports it.
package broker
