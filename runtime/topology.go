package runtime

import (
	"errors"
	"fmt"

	"github.com/ksqlgo/ksqlgo/serde"
)

// TimestampExtractor returns the timestamp (ms) of a decoded record; r.Timestamp holds the
// Kafka record's own timestamp. An error, or a negative result, makes the record invalid:
// it goes to the deserialization-error policy like an undecodable record.
type TimestampExtractor func(r Record, m RecordMetadata) (int64, error)

// Source describes a source node: the topics it reads and how to decode them.
type Source struct {
	// Topics the node reads. A topic registered with AddInternalTopic is resolved to
	// "<application id>-<name>" when the application starts.
	Topics []string
	// Key and Value decode keys and values; nil leaves them as []byte.
	Key, Value serde.Serde[any]
	// Timestamp extracts the record timestamp; nil uses the Kafka record's timestamp.
	Timestamp TimestampExtractor
}

// StreamPartitioner chooses the partition of an output record among n partitions.
type StreamPartitioner func(topic string, key, value any, keyBytes []byte, n int) int

// Sink describes a sink node: where records go and how they are encoded.
type Sink struct {
	// Topic is the fixed output topic (internal topics are resolved as for Source).
	Topic string
	// TopicFunc, when set, chooses the topic per record and overrides Topic.
	TopicFunc func(r Record) (string, error)
	// Key and Value encode keys and values; nil requires []byte (or nil) keys or values.
	Key, Value serde.Serde[any]
	// Partitioner chooses the partition; nil hashes the serialized key with murmur2 as
	// Kafka's default partitioner does (records without a key are spread round-robin).
	Partitioner StreamPartitioner
}

// InternalTopic configures a topic the application owns, such as a repartition topic.
type InternalTopic struct {
	// Partitions is the partition count; 0 uses the largest partition count among the
	// source topics of the subtopology that writes to it.
	Partitions int32
	// Configs are topic configs (e.g. cleanup.policy) used when the topic is created.
	Configs map[string]string
}

type nodeKind int

const (
	sourceNode nodeKind = iota
	processorNode
	sinkNode
)

func (k nodeKind) String() string {
	switch k {
	case sourceNode:
		return "Source"
	case processorNode:
		return "Processor"
	case sinkNode:
		return "Sink"
	}
	return "unknown"
}

type nodeDef struct {
	kind     nodeKind
	name     string
	index    int
	parents  []*nodeDef
	children []*nodeDef
	source   Source
	supplier ProcessorSupplier
	sink     Sink
	stores   []string // state stores the processor uses
}

// Topology is a graph of source, processor and sink nodes. Build it with the Add methods
// (parents before children); it is then immutable and may be run by any number of
// applications or test drivers. A Topology is not safe for concurrent modification.
type Topology struct {
	nodes         map[string]*nodeDef
	order         []*nodeDef
	topics        map[string]*nodeDef // source topic -> source node
	internal      map[string]InternalTopic
	internalOrder []string
	stores        map[string]*StoreSpec
	storeOrder    []string
	changelogOf   map[string]string // changelog internal topic -> store
	subs          []*subtopology    // computed lazily, reset on change
	copartition   [][]string        // groups of source topics that must be co-partitioned (joins)
}

// NewTopology returns an empty topology.
func NewTopology() *Topology {
	return &Topology{
		nodes:       map[string]*nodeDef{},
		topics:      map[string]*nodeDef{},
		internal:    map[string]InternalTopic{},
		stores:      map[string]*StoreSpec{},
		changelogOf: map[string]string{},
	}
}

func (t *Topology) add(n *nodeDef, parents []string) error {
	if n.name == "" {
		return errors.New("node name must not be empty")
	}
	if _, dup := t.nodes[n.name]; dup {
		return fmt.Errorf("node %q is already added", n.name)
	}
	for _, p := range parents {
		pn, ok := t.nodes[p]
		if !ok {
			return fmt.Errorf("node %q: parent %q is not added (add parents before children)", n.name, p)
		}
		if pn.kind == sinkNode {
			return fmt.Errorf("node %q: parent %q is a sink and cannot have children", n.name, p)
		}
		n.parents = append(n.parents, pn)
	}
	for _, pn := range n.parents {
		pn.children = append(pn.children, n)
	}
	n.index = len(t.order)
	t.nodes[n.name] = n
	t.order = append(t.order, n)
	t.subs = nil
	return nil
}

// AddSource adds a source node reading src.Topics. A topic can be read by one source only.
func (t *Topology) AddSource(name string, src Source) error {
	if len(src.Topics) == 0 {
		return fmt.Errorf("source %q: no topics", name)
	}
	for _, topic := range src.Topics {
		if topic == "" {
			return fmt.Errorf("source %q: empty topic name", name)
		}
		if other, ok := t.topics[topic]; ok {
			return fmt.Errorf("source %q: topic %q is already read by source %q", name, topic, other.name)
		}
	}
	n := &nodeDef{kind: sourceNode, name: name, source: src}
	n.source.Topics = append([]string(nil), src.Topics...)
	if err := t.add(n, nil); err != nil {
		return err
	}
	for _, topic := range src.Topics {
		t.topics[topic] = n
	}
	return nil
}

// AddProcessor adds a processor node below parents (at least one).
func (t *Topology) AddProcessor(name string, supplier ProcessorSupplier, parents ...string) error {
	if supplier == nil {
		return fmt.Errorf("processor %q: nil supplier", name)
	}
	if len(parents) == 0 {
		return fmt.Errorf("processor %q: no parents", name)
	}
	return t.add(&nodeDef{kind: processorNode, name: name, supplier: supplier}, parents)
}

// AddSink adds a sink node below parents (at least one).
func (t *Topology) AddSink(name string, sink Sink, parents ...string) error {
	if sink.Topic == "" && sink.TopicFunc == nil {
		return fmt.Errorf("sink %q: no topic", name)
	}
	if len(parents) == 0 {
		return fmt.Errorf("sink %q: no parents", name)
	}
	return t.add(&nodeDef{kind: sinkNode, name: name, sink: sink}, parents)
}

// AddInternalTopic registers a topic owned by the application (a repartition topic). Sources
// and sinks name it by name; the application creates it as "<application id>-<name>".
func (t *Topology) AddInternalTopic(name string, cfg InternalTopic) error {
	if name == "" {
		return errors.New("internal topic name must not be empty")
	}
	if _, dup := t.internal[name]; dup {
		return fmt.Errorf("internal topic %q is already added", name)
	}
	if cfg.Partitions < 0 {
		return fmt.Errorf("internal topic %q: negative partition count %d", name, cfg.Partitions)
	}
	t.internal[name] = cfg
	t.internalOrder = append(t.internalOrder, name)
	t.subs = nil
	return nil
}

// IsInternal reports whether name was registered with AddInternalTopic.
func (t *Topology) IsInternal(name string) bool {
	_, ok := t.internal[name]
	return ok
}

// InternalTopicName is the Kafka topic name of internal topic name for appID.
func InternalTopicName(appID, name string) string { return appID + "-" + name }

// Validate checks that the topology can run: it has a source, and every internal topic that
// is read is also written (or has a partition count).
func (t *Topology) Validate() error {
	if len(t.order) == 0 {
		return errors.New("topology is empty")
	}
	hasSource := false
	for _, n := range t.order {
		if n.kind == sourceNode {
			hasSource = true
		}
	}
	if !hasSource {
		return errors.New("topology has no source node")
	}
	for _, name := range t.internalOrder {
		if _, read := t.topics[name]; !read || t.internal[name].Partitions > 0 {
			continue
		}
		if len(t.writers(name)) == 0 {
			return fmt.Errorf("internal topic %q is read but nothing writes to it and it has no partition count", name)
		}
	}
	return nil
}
