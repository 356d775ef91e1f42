package dsl

import (
	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/serde"
)

// repartitionSuffix ends the name of every repartition topic, as in Kafka Streams.
const repartitionSuffix = "-repartition"

// Repartition writes the records to an internal topic and reads them back, so that records
// with the same key meet in the same partition, and starts a new subtopology. The topic is
// "<name>-repartition" (created as "<application id>-<name>-repartition"), with name from
// Named or else "KSTREAM-REPARTITION-<counter>". The result carries the serdes used and
// needs no further repartition.
//
// As in Kafka Streams it adds three nodes: "<topic>-filter" (a pass-through), the sink
// "<topic>-sink" and the source "<topic>-source".
//
// Options: Named, Repartitioned (serdes, by default those the stream carries: required
// after a type change), NumPartitions, WithPartitioner.
func (s Stream[K, V]) Repartition(opts ...Opt) Stream[K, V] {
	b := s.builder("repartition")
	cfg := configure(opts)
	name := cfg.name
	if name == "" {
		name = b.newName("KSTREAM-REPARTITION-")
	}
	n := b.addNamed("repartition", name+repartitionSuffix+"-filter", processorNode, s.node)
	b.check(n, cfg, "Repartitioned", "NumPartitions", "WithPartitioner")
	if cfg.partitions < 0 {
		b.failf(n, "NumPartitions: negative count %d", cfg.partitions)
	}
	ks, vs := serdesFor(b, n, cfg, s)
	src := b.repartition(n, name, ks, vs, cfg.partitions, partitioner[K, V](b, n, cfg), false)
	out := s.with(src)
	if p, ok := cfg.serdes.(serdesPair[K, V]); ok {
		out = out.WithSerdes(p.key, p.value)
	}
	out.keyChanged = false
	return out
}

// repartition completes a repartition below the filter node f: the internal topic
// "<name>-repartition", its sink and the source reading it, which it returns. f drops
// records with a nil key when dropNullKeys is set (grouping does, Repartition does not).
func (b *Builder) repartition(f *graphNode, name string, ks, vs serde.Serde[any], partitions int32,
	p runtime.StreamPartitioner, dropNullKeys bool) *graphNode {
	topic := name + repartitionSuffix
	f.supplier = passThrough
	if dropNullKeys {
		f.supplier = runtime.ProcessorFunc(func(ctx *runtime.ProcessorContext, r runtime.Record) error {
			if r.Key != nil {
				ctx.Forward(r)
			}
			return nil
		}).Supplier()
	}
	return b.addInternalTopic(f, topic, ks, vs, partitions, p)
}

// addInternalTopic adds, below parent, the sink "<topic>-sink" writing to the internal topic
// topic (registered with the topology at Build, with the given partition count, 0 for the
// default), and returns the source "<topic>-source" reading it back: the plumbing of
// repartitions and of the foreign-key join's subscription topics.
func (b *Builder) addInternalTopic(parent *graphNode, topic string, ks, vs serde.Serde[any], partitions int32,
	p runtime.StreamPartitioner) *graphNode {
	sink := b.addNamed(parent.op, topic+"-sink", sinkNode, parent)
	sink.sink = runtime.Sink{Topic: topic, Key: ks, Value: vs, Partitioner: p}
	for _, it := range b.internal {
		if it.name == topic {
			b.failf(sink, "internal topic %q is already written by %s", topic, it.node)
		}
	}
	b.internal = append(b.internal, internalTopic{
		name: topic,
		cfg:  runtime.InternalTopic{Partitions: partitions},
		node: sink,
	})
	src := b.addNamed(parent.op, topic+"-source", sourceNode)
	src.source = runtime.Source{Topics: []string{topic}, Key: ks, Value: vs}
	b.topics[topic] = src
	return src
}
