package dsl

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/serde"
)

// Opt configures one DSL operation. Each option says which operations it applies to;
// passing it to another operation is a build error, and so is a typed option (Produced,
// WithTimestamp, ...) whose key and value types are not those of the stream.
type Opt interface{ apply(*config) }

// config collects the options given to one operation.
type config struct {
	given       []string // option names, in the order given
	name        string
	serdes      serdesOpt // Produced or Repartitioned
	partitions  int32
	cache       int // Cached: max keys held back between commits (0: no cache)
	timestamp   typedOpt
	partitioner typedOpt
}

// typedOpt is an option carrying a function or serdes of the stream's types; operations
// assert it to the concrete generic type and report a mismatch with types().
type typedOpt interface{ types() string }

type serdesOpt interface {
	typedOpt
	optName() string
}

type optFunc struct {
	name string
	fn   func(*config)
}

func (o optFunc) apply(c *config) {
	c.given = append(c.given, o.name)
	o.fn(c)
}

// configure applies opts; check validates them once the node exists.
func configure(opts []Opt) *config {
	c := &config{}
	for _, o := range opts {
		if o != nil {
			o.apply(c)
		}
	}
	return c
}

// check records an error on n for options not in allowed (Named applies everywhere) and
// for a bad Named name.
func (b *Builder) check(n *graphNode, c *config, allowed ...string) {
	for _, g := range c.given {
		if g != "Named" && !slices.Contains(allowed, g) {
			b.failf(n, "option %s does not apply to %s", g, n.op)
		}
	}
	if slices.Contains(c.given, "Named") {
		if err := validName(c.name); err != nil {
			b.failf(n, "Named: %v", err)
		}
	}
}

// Cached turns on a record cache for an aggregation (ksqlDB's cache.max.bytes.buffering,
// Kafka Streams' caching): updates of a key are held back and only the latest goes
// downstream, at the next commit or when more than maxKeys keys are held. The store and its
// changelog still see every update. Without it (the default) every input record produces
// one update. Applies to Count, Reduce, Aggregate and the table aggregations.
func Cached(maxKeys int) Opt {
	return optFunc{"Cached", func(c *config) { c.cache = maxKeys }}
}

// Named names the node an operation adds, overriding Kafka Streams' generated
// "KSTREAM-<OP>-<counter>" name. It applies to every operation. For Repartition it is the
// base of the node names and of the internal topic "<name>-repartition". Names must be
// unique in the builder, at most 249 characters of [a-zA-Z0-9._-].
func Named(name string) Opt {
	return optFunc{"Named", func(c *config) { c.name = name }}
}

// validName applies Kafka's rules for names that may become topic names.
func validName(name string) error {
	if name == "" {
		return fmt.Errorf("empty name")
	}
	if len(name) > 249 {
		return fmt.Errorf("name %q is longer than 249 characters", name)
	}
	if i := strings.IndexFunc(name, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-')
	}); i >= 0 {
		return fmt.Errorf("name %q has an illegal character %q (legal: a-z A-Z 0-9 . _ -)", name, name[i])
	}
	return nil
}

// Serdes are the key and value serdes of a stream, made by Consumed.
type Serdes[K, V any] struct {
	Key   serde.Serde[K]
	Value serde.Serde[V]
}

// Consumed says how StreamOf decodes its topics. Both serdes are required.
func Consumed[K, V any](key serde.Serde[K], value serde.Serde[V]) Serdes[K, V] {
	return Serdes[K, V]{Key: key, Value: value}
}

type serdesPair[K, V any] struct {
	name  string
	key   serde.Serde[K]
	value serde.Serde[V]
}

func (p serdesPair[K, V]) types() string   { return typesOf[K, V]() }
func (p serdesPair[K, V]) optName() string { return p.name }

// Produced sets the serdes To and ToFunc encode records with, overriding the serdes the
// stream carries (those of its source, kept while no operation changed the key or value
// type). A nil serde keeps the stream's. Without either, the operation is a build error.
func Produced[K, V any](key serde.Serde[K], value serde.Serde[V]) Opt {
	return optFunc{"Produced", func(c *config) { c.serdes = serdesPair[K, V]{"Produced", key, value} }}
}

// Repartitioned sets the serdes Repartition writes and reads its internal topic with,
// overriding the serdes the stream carries. A nil serde keeps the stream's.
func Repartitioned[K, V any](key serde.Serde[K], value serde.Serde[V]) Opt {
	return optFunc{"Repartitioned", func(c *config) { c.serdes = serdesPair[K, V]{"Repartitioned", key, value} }}
}

// NumPartitions sets the partition count of Repartition's internal topic, overriding the
// default: the largest partition count among the source topics of the writing subtopology.
func NumPartitions(n int32) Opt {
	return optFunc{"NumPartitions", func(c *config) { c.partitions = n }}
}

type timestampOpt[K, V any] struct{ fn func(K, V) (int64, error) }

func (o timestampOpt[K, V]) types() string { return typesOf[K, V]() }

// WithTimestamp makes StreamOf take each record's timestamp (milliseconds since the epoch)
// from its decoded key and value, overriding the Kafka record's timestamp. An error or a
// negative timestamp sends the record to the deserialization-error policy (by default:
// logged, counted, skipped). For a tombstone fn gets the zero V.
func WithTimestamp[K, V any](fn func(key K, value V) (int64, error)) Opt {
	return optFunc{"WithTimestamp", func(c *config) { c.timestamp = timestampOpt[K, V]{fn} }}
}

type partitionerOpt[K, V any] struct {
	fn func(topic string, key K, value V, n int) int
}

func (o partitionerOpt[K, V]) types() string { return typesOf[K, V]() }

// WithPartitioner makes To, ToFunc and Repartition choose the partition of each record
// among n with fn, overriding the default murmur2 hash of the serialized key (Kafka's
// default partitioner). A result outside [0, n) falls back to the default.
func WithPartitioner[K, V any](fn func(topic string, key K, value V, n int) int) Opt {
	return optFunc{"WithPartitioner", func(c *config) { c.partitioner = partitionerOpt[K, V]{fn} }}
}

// partitioner returns the runtime partitioner of c, or nil; a mismatch of types is recorded
// on n.
func partitioner[K, V any](b *Builder, n *graphNode, c *config) runtime.StreamPartitioner {
	if c.partitioner == nil {
		return nil
	}
	p, ok := c.partitioner.(partitionerOpt[K, V])
	if !ok {
		b.failf(n, "WithPartitioner is for %s, the stream is %s", c.partitioner.types(), typesOf[K, V]())
		return nil
	}
	if p.fn == nil {
		b.failf(n, "WithPartitioner: nil function")
		return nil
	}
	return func(topic string, key, value any, _ []byte, n int) int {
		k, err := fromAny[K](key)
		if err != nil {
			return -1
		}
		v, err := fromAny[V](value)
		if err != nil {
			return -1
		}
		return p.fn(topic, k, v, n)
	}
}

// serdesFor returns the serdes an operation that writes a topic uses: those of the
// Produced or Repartitioned option, else the stream's. Missing serdes and mismatched types
// are recorded on n.
func serdesFor[K, V any](b *Builder, n *graphNode, c *config, s Stream[K, V]) (serde.Serde[any], serde.Serde[any]) {
	ks, vs := s.keySerde, s.valueSerde
	if c.serdes != nil {
		p, ok := c.serdes.(serdesPair[K, V])
		if !ok {
			b.failf(n, "%s serdes are for %s, the stream is %s", c.serdes.optName(), c.serdes.types(), typesOf[K, V]())
			return nil, nil
		}
		if p.key != nil {
			ks = p.key
		}
		if p.value != nil {
			vs = p.value
		}
	}
	opt := "Produced"
	if n.op == "repartition" {
		opt = "Repartitioned"
	}
	if ks == nil {
		b.failf(n, "no key serde for %s: %s; pass dsl.%s(keySerde, valueSerde) or use WithSerdes", typeName[K](), lost(s.keyLost), opt)
	}
	if vs == nil {
		b.failf(n, "no value serde for %s: %s; pass dsl.%s(keySerde, valueSerde) or use WithSerdes", typeName[V](), lost(s.valueLost), opt)
	}
	if ks == nil || vs == nil {
		return nil, nil
	}
	return serde.Any(ks), serde.Any(vs)
}

func lost(where string) string {
	if where == "" {
		return "the stream carries none"
	}
	return where
}

func typeName[T any]() string { return reflect.TypeFor[T]().String() }

func typesOf[K, V any]() string { return "[" + typeName[K]() + ", " + typeName[V]() + "]" }
