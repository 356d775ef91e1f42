package runtime

import (
	"context"
	"sync/atomic"

	"github.com/twmb/franz-go/pkg/kgo"
)

// Collector receives every record a task writes: sink records, repartition records,
// dead-letter records (and, later, changelog records). It is the seam between tasks and
// Kafka: the application's collector produces with franz-go, the test driver's keeps records
// in memory.
//
// A record's Partition is -1 when the collector must choose it with DefaultPartitioner (or
// the StreamPartitioner attached with WithPartitioner); otherwise it is the partition.
type Collector interface {
	// Send hands r to the collector, which owns it from then on. Errors surface at Flush
	// (application) or from the driver call that caused the write (test driver).
	Send(r *kgo.Record)
}

type partitionerKey struct{}

// WithPartitioner attaches a StreamPartitioner to r for the collector to call once it knows
// the topic's partition count.
func WithPartitioner(r *kgo.Record, key, value any, p StreamPartitioner) {
	r.Context = context.WithValue(context.Background(), partitionerKey{}, &boundPartitioner{key, value, p})
}

type boundPartitioner struct {
	key, value any
	p          StreamPartitioner
}

// DefaultPartitioner is the kgo.Partitioner of ksqlgo's collectors. A record with
// Partition >= 0 keeps it; a record with a StreamPartitioner attached gets its choice;
// a keyed record goes to murmur2(key) mod n, as Kafka's default partitioner (and Kafka
// Streams) does, so that ksqlgo and JVM clients agree on where a key lives; records without
// key are spread round-robin. It is safe for concurrent use.
func DefaultPartitioner() kgo.Partitioner { return &partitioner{} }

type partitioner struct{ rr atomic.Uint32 }

func (p *partitioner) ForTopic(string) kgo.TopicPartitioner { return p }

func (p *partitioner) RequiresConsistency(*kgo.Record) bool { return true }

func (p *partitioner) Partition(r *kgo.Record, n int) int {
	if r.Partition >= 0 && int(r.Partition) < n {
		return int(r.Partition)
	}
	if r.Context != nil {
		if bp, ok := r.Context.Value(partitionerKey{}).(*boundPartitioner); ok {
			if i := bp.p(r.Topic, bp.key, bp.value, r.Key, n); i >= 0 && i < n {
				return i
			}
		}
	}
	if r.Key == nil {
		return int(p.rr.Add(1) % uint32(n))
	}
	return KeyPartition(r.Key, n)
}

// KeyPartition is Kafka's default partition of a serialized key among n partitions:
// toPositive(murmur2(key)) mod n.
func KeyPartition(key []byte, n int) int {
	return int(murmur2(key)&0x7fffffff) % n
}

// murmur2 is Kafka's Utils.murmur2.
func murmur2(b []byte) uint32 {
	const (
		seed uint32 = 0x9747b28c
		m    uint32 = 0x5bd1e995
		r           = 24
	)
	h := seed ^ uint32(len(b))
	for ; len(b) >= 4; b = b[4:] {
		k := uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
		k *= m
		k ^= k >> r
		k *= m
		h *= m
		h ^= k
	}
	switch len(b) {
	case 3:
		h ^= uint32(b[2]) << 16
		fallthrough
	case 2:
		h ^= uint32(b[1]) << 8
		fallthrough
	case 1:
		h ^= uint32(b[0])
		h *= m
	}
	h ^= h >> 13
	h *= m
	h ^= h >> 15
	return h
}
