package dsl

import "github.com/ksqlgo/ksqlgo/runtime"

// ProcessValues is Process for a processor that keeps the keys: Kafka Streams'
// processValues(). Every record the processor forwards must carry the key of the record
// it is processing (an equal key: a copy, or the same key columns recomputed, is fine), so
// records that shared a partition still do. The result therefore needs no repartition:
// GroupByKey and joins downstream use it as it is. It carries the key serde of s (override
// it with WithSerdes) and no value serde. Options: Named (overriding
// "KSTREAM-PROCESSVALUES-<counter>"); name the downstream operations to ForwardTo them.
func ProcessValues[K, V, VR any](s Stream[K, V], supplier func() Processor[K, V, K, VR], opts ...Opt) Stream[K, VR] {
	b := s.builder("processValues")
	cfg := configure(opts)
	n := b.addNode("processValues", "KSTREAM-PROCESSVALUES-", processorNode, cfg, s.node)
	b.check(n, cfg)
	if supplier == nil {
		b.failf(n, "nil supplier")
	}
	n.supplier = func() runtime.Processor {
		return &processAdapter[K, V, K, VR]{p: supplier()}
	}
	out := derive[K, VR](s, n, false)
	out.keySerde, out.keyLost = s.keySerde, s.keyLost
	return out
}
