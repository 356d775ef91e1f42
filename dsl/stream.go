package dsl

import (
	"fmt"
	"slices"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/serde"
)

// Stream is an unbounded sequence of records with keys of type K and values of type V:
// Kafka Streams' KStream. A Stream is a small value naming a node of its Builder's graph;
// operations add nodes below it and return new Streams, and a Stream may be used by any
// number of operations (each gets every record). Type-keeping operations are methods;
// type-changing ones are functions (Map, MapValues, ...), since Go methods take no type
// parameters.
//
// A Stream carries the serdes of its source while no operation changes the key or value
// type, so To and Repartition need no serdes on such streams; after a type change attach
// them with WithSerdes or pass Produced / Repartitioned.
//
// The zero Stream is not usable: its operations panic. Streams come from StreamOf and
// from operations.
type Stream[K, V any] struct {
	b          *Builder
	node       *graphNode // nil after an error that left no node (an unknown branch name)
	keySerde   serde.Serde[K]
	valueSerde serde.Serde[V]
	// keyChanged is set when an operation upstream may have changed the key since the
	// source or the last repartition: key-based operations (GroupBy, joins) repartition.
	keyChanged bool
	// keyLost and valueLost say where a serde was dropped, for error messages.
	keyLost, valueLost string
}

// builder returns the stream's builder; using a zero Stream is a programming error.
func (s Stream[K, V]) builder(op string) *Builder {
	if s.b == nil {
		panic(fmt.Sprintf("dsl: %s on a zero Stream: use Streams made by StreamOf or by an operation", op))
	}
	return s.b
}

// with returns a Stream of node n with the same types, serdes and key state as s.
func (s Stream[K, V]) with(n *graphNode) Stream[K, V] {
	s.node = n
	return s
}

// derive returns a Stream of node n, made from s by an operation that changed the key or
// value type: it carries no serdes (callers put back the one whose type did not change).
// keyChanged says whether the operation may have changed the key.
func derive[KR, VR, K, V any](s Stream[K, V], n *graphNode, keyChanged bool) Stream[KR, VR] {
	return Stream[KR, VR]{
		b:          s.b,
		node:       n,
		keyChanged: s.keyChanged || keyChanged,
		keyLost:    fmt.Sprintf("the key type may have changed at %s", n),
		valueLost:  fmt.Sprintf("the value type may have changed at %s", n),
	}
}

// WithSerdes returns s carrying the given serdes, for To and Repartition to use without
// Produced or Repartitioned, typically after a type-changing operation. It adds no node.
// A nil serde keeps the one s carries.
func (s Stream[K, V]) WithSerdes(key serde.Serde[K], value serde.Serde[V]) Stream[K, V] {
	s.builder("WithSerdes")
	if key != nil {
		s.keySerde, s.keyLost = key, ""
	}
	if value != nil {
		s.valueSerde, s.valueLost = value, ""
	}
	return s
}

// StreamOf reads topic as a Stream, decoding keys and values with the serdes of c (both
// required). Records keep their Kafka timestamp unless WithTimestamp is given; headers,
// partition and offset are visible to Process processors.
//
// Options: Named (overriding "KSTREAM-SOURCE-<counter>"), WithTimestamp. A topic may be
// read by one StreamOf only; merge Streams to process topics together.
func StreamOf[K, V any](b *Builder, topic string, c Serdes[K, V], opts ...Opt) Stream[K, V] {
	return StreamOfTopics(b, []string{topic}, c, opts...)
}

// StreamOfTopics is StreamOf for several topics: one source node reading all of them, in
// timestamp order within a task, as Kafka Streams does.
func StreamOfTopics[K, V any](b *Builder, topics []string, c Serdes[K, V], opts ...Opt) Stream[K, V] {
	cfg := configure(opts)
	n := b.addNode("stream", "KSTREAM-SOURCE-", sourceNode, cfg)
	b.check(n, cfg, "WithTimestamp")
	if len(topics) == 0 {
		b.failf(n, "no topics")
	}
	for _, topic := range topics {
		if topic == "" {
			b.failf(n, "empty topic name")
			continue
		}
		if other, ok := b.topics[topic]; ok {
			b.failf(n, "topic %q is already read by %s (merge Streams instead)", topic, other)
			continue
		}
		b.topics[topic] = n
	}
	if c.Key == nil {
		b.failf(n, "nil key serde in Consumed")
	}
	if c.Value == nil {
		b.failf(n, "nil value serde in Consumed")
	}
	n.source = runtime.Source{Topics: slices.Clone(topics)}
	if c.Key != nil {
		n.source.Key = serde.Any(c.Key)
	}
	if c.Value != nil {
		n.source.Value = serde.Any(c.Value)
	}
	if cfg.timestamp != nil {
		ts, ok := cfg.timestamp.(timestampOpt[K, V])
		switch {
		case !ok:
			b.failf(n, "WithTimestamp is for %s, the stream is %s", cfg.timestamp.types(), typesOf[K, V]())
		case ts.fn == nil:
			b.failf(n, "WithTimestamp: nil function")
		default:
			n.source.Timestamp = func(r runtime.Record, _ runtime.RecordMetadata) (int64, error) {
				k, v, err := decode[K, V](r)
				if err != nil {
					return 0, err
				}
				return ts.fn(k, v)
			}
		}
	}
	return Stream[K, V]{b: b, node: n, keySerde: c.Key, valueSerde: c.Value}
}

// processor adds a processor node of operation op below s running fn for each record.
func (s Stream[K, V]) processor(op, prefix string, opts []Opt, fn func(ctx *runtime.ProcessorContext, k K, v V, r runtime.Record) error) *graphNode {
	b := s.builder(op)
	cfg := configure(opts)
	n := b.addNode(op, prefix, processorNode, cfg, s.node)
	b.check(n, cfg)
	n.supplier = runtime.ProcessorFunc(func(ctx *runtime.ProcessorContext, r runtime.Record) error {
		k, v, err := decode[K, V](r)
		if err != nil {
			return err
		}
		return fn(ctx, k, v, r)
	}).Supplier()
	return n
}

// Filter returns the records for which pred returns true. Records keep their key, value,
// timestamp and headers. Options: Named (overriding "KSTREAM-FILTER-<counter>").
func (s Stream[K, V]) Filter(pred func(key K, value V) bool, opts ...Opt) Stream[K, V] {
	return s.filter("filter", pred, false, opts)
}

// FilterNot returns the records for which pred returns false. Options: Named (overriding
// "KSTREAM-FILTER-<counter>").
func (s Stream[K, V]) FilterNot(pred func(key K, value V) bool, opts ...Opt) Stream[K, V] {
	return s.filter("filterNot", pred, true, opts)
}

func (s Stream[K, V]) filter(op string, pred func(K, V) bool, not bool, opts []Opt) Stream[K, V] {
	n := s.processor(op, "KSTREAM-FILTER-", opts, func(ctx *runtime.ProcessorContext, k K, v V, r runtime.Record) error {
		if pred(k, v) != not {
			ctx.Forward(r)
		}
		return nil
	})
	if pred == nil {
		s.b.failf(n, "nil predicate")
	}
	return s.with(n)
}

// Peek calls fn for each record and forwards the record unchanged, for side effects such
// as logging. Options: Named (overriding "KSTREAM-PEEK-<counter>").
func (s Stream[K, V]) Peek(fn func(key K, value V), opts ...Opt) Stream[K, V] {
	n := s.processor("peek", "KSTREAM-PEEK-", opts, func(ctx *runtime.ProcessorContext, k K, v V, r runtime.Record) error {
		fn(k, v)
		ctx.Forward(r)
		return nil
	})
	if fn == nil {
		s.b.failf(n, "nil function")
	}
	return s.with(n)
}

// Foreach calls fn for each record; it ends the stream. Options: Named (overriding
// "KSTREAM-FOREACH-<counter>").
func (s Stream[K, V]) Foreach(fn func(key K, value V), opts ...Opt) {
	n := s.processor("foreach", "KSTREAM-FOREACH-", opts, func(_ *runtime.ProcessorContext, k K, v V, _ runtime.Record) error {
		fn(k, v)
		return nil
	})
	if fn == nil {
		s.b.failf(n, "nil function")
	}
}

// Merge returns the records of s and other as one stream. Within a task records are
// processed in timestamp order across the input partitions of both. The result carries the
// serdes of s (those of other where s has none) and needs a repartition before key-based
// operations if either input does. Options: Named (overriding "KSTREAM-MERGE-<counter>").
func (s Stream[K, V]) Merge(other Stream[K, V], opts ...Opt) Stream[K, V] {
	b := s.builder("merge")
	other.builder("merge")
	cfg := configure(opts)
	n := b.addNode("merge", "KSTREAM-MERGE-", processorNode, cfg, s.node, other.node)
	b.check(n, cfg)
	if other.b != b {
		b.failf(n, "the other stream is from another Builder")
	}
	n.supplier = passThrough
	out := s.with(n)
	if out.keySerde == nil {
		out.keySerde, out.keyLost = other.keySerde, other.keyLost
	}
	if out.valueSerde == nil {
		out.valueSerde, out.valueLost = other.valueSerde, other.valueLost
	}
	out.keyChanged = s.keyChanged || other.keyChanged
	return out
}

// To writes the records to topic; it ends the stream. Without Produced it encodes with the
// serdes the stream carries; a stream whose types changed upstream carries none, and To
// without Produced is then a build error.
//
// Options: Named (overriding "KSTREAM-SINK-<counter>"), Produced, WithPartitioner.
func (s Stream[K, V]) To(topic string, opts ...Opt) {
	n := s.sink("to", opts)
	if topic == "" {
		s.b.failf(n, "empty topic name")
	}
	n.sink.Topic = topic
}

// ToFunc writes each record to the topic topic returns for it (Kafka Streams'
// TopicNameExtractor); it ends the stream. The topics must exist: they are not created.
// Options as for To.
func (s Stream[K, V]) ToFunc(topic func(r Record[K, V]) string, opts ...Opt) {
	n := s.sink("toFunc", opts)
	if topic == nil {
		s.b.failf(n, "nil topic function")
		return
	}
	n.sink.TopicFunc = func(r runtime.Record) (string, error) {
		k, v, err := decode[K, V](r)
		if err != nil {
			return "", err
		}
		return topic(Record[K, V]{Key: k, Value: v, Timestamp: r.Timestamp, Headers: r.Headers}), nil
	}
}

func (s Stream[K, V]) sink(op string, opts []Opt) *graphNode {
	b := s.builder(op)
	cfg := configure(opts)
	n := b.addNode(op, "KSTREAM-SINK-", sinkNode, cfg, s.node)
	b.check(n, cfg, "Produced", "WithPartitioner")
	n.sink.Key, n.sink.Value = serdesFor(b, n, cfg, s)
	n.sink.Partitioner = partitioner[K, V](b, n, cfg)
	return n
}
