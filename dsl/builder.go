package dsl

import (
	"errors"
	"fmt"

	"github.com/ksqlgo/ksqlgo/runtime"
)

// Builder collects the operations of a DSL program as a graph of nodes and compiles the
// graph into a runtime.Topology with Build. It is Kafka Streams' StreamsBuilder. A Builder,
// and the Streams made from it, are not safe for concurrent use: build the topology in one
// goroutine, then run the *runtime.Topology anywhere.
type Builder struct {
	nodes    []*graphNode          // in creation order
	names    map[string]*graphNode // node name -> node
	index    int                   // Kafka's per-builder counter behind generated names
	topics   map[string]*graphNode // source topic -> source node
	internal []internalTopic       // repartition topics, in creation order
	err      error                 // the first error recorded while building
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder {
	return &Builder{
		names:  map[string]*graphNode{},
		topics: map[string]*graphNode{},
	}
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
		return "source"
	case processorNode:
		return "processor"
	case sinkNode:
		return "sink"
	}
	return "unknown"
}

// graphNode is one node of the builder's logical graph. Build writes the graph to a
// runtime.Topology; keeping it apart lets later passes (tables, aggregations, automatic
// repartitioning) rewrite the graph before it is emitted.
type graphNode struct {
	id       int    // creation order
	name     string // node name in the topology
	op       string // the DSL operation that made the node ("filter", "to", ...), for errors
	kind     nodeKind
	parents  []*graphNode
	children []*graphNode

	source   runtime.Source            // sourceNode
	supplier runtime.ProcessorSupplier // processorNode
	sink     runtime.Sink              // sinkNode

	// keyChanging is set on nodes that may change the key (map, selectKey, flatMap,
	// process): downstream key-based operations need a repartition.
	keyChanging bool

	stores []runtime.StoreSpec // state stores this processor owns (added with it)

	// connect names stores owned by other nodes that this processor reads (a join reads
	// the other side's table); copartition lists the inputs of a join, whose source
	// topics must be co-partitioned. Build passes both to the topology (connectJoins).
	connect     []string
	copartition []*graphNode
}

func (n *graphNode) String() string { return fmt.Sprintf("%s %q", n.op, n.name) }

// internalTopic is a topic the application owns, registered with the topology at Build.
type internalTopic struct {
	name string // before the application id prefix: "<name>-repartition"
	cfg  runtime.InternalTopic
	node *graphNode // the sink writing to it
}

// newName returns prefix followed by the next value of the builder's counter in ten
// digits, as Kafka Streams names nodes: "KSTREAM-FILTER-0000000001".
func (b *Builder) newName(prefix string) string {
	name := fmt.Sprintf("%s%010d", prefix, b.index)
	b.index++
	return name
}

// fail records err unless an earlier error was recorded: Build returns the first one.
func (b *Builder) fail(err error) {
	if b.err == nil {
		b.err = err
	}
}

// failf records an error about node n.
func (b *Builder) failf(n *graphNode, format string, args ...any) {
	b.fail(fmt.Errorf("%s: %s", n, fmt.Sprintf(format, args...)))
}

// addNode names a node of operation op, from the Named option if given or else from
// prefix and the counter, and links it below parents (nil parents are skipped: they come
// from streams that already recorded an error).
func (b *Builder) addNode(op, prefix string, kind nodeKind, cfg *config, parents ...*graphNode) *graphNode {
	name := cfg.name
	if name == "" {
		name = b.newName(prefix)
	}
	return b.addNamed(op, name, kind, parents...)
}

// addNamed adds a node with a given name.
func (b *Builder) addNamed(op, name string, kind nodeKind, parents ...*graphNode) *graphNode {
	n := &graphNode{id: len(b.nodes), name: name, op: op, kind: kind}
	if other, dup := b.names[name]; dup {
		b.failf(n, "name is already used by %s", other)
	} else {
		b.names[name] = n
	}
	for _, p := range parents {
		if p == nil {
			continue
		}
		n.parents = append(n.parents, p)
		p.children = append(p.children, n)
	}
	b.nodes = append(b.nodes, n)
	return n
}

// Build compiles the graph into a new runtime.Topology. It returns the first error recorded
// while building (a nil function or serde, a bad or duplicate name, an option that does not
// apply, ...); each error names the operation and the node. Build may be called more than
// once; every call returns a new Topology.
func (b *Builder) Build() (*runtime.Topology, error) {
	if b.err != nil {
		return nil, b.err
	}
	if len(b.nodes) == 0 {
		return nil, errors.New("build: the topology is empty (no StreamOf)")
	}
	t := runtime.NewTopology()
	for _, it := range b.internal {
		if err := t.AddInternalTopic(it.name, it.cfg); err != nil {
			return nil, fmt.Errorf("%s: %w", it.node, err)
		}
	}
	for _, n := range b.order() {
		parents := make([]string, len(n.parents))
		for i, p := range n.parents {
			parents[i] = p.name
		}
		var err error
		switch n.kind {
		case sourceNode:
			err = t.AddSource(n.name, n.source)
		case processorNode:
			err = t.AddProcessor(n.name, n.supplier, parents...)
		case sinkNode:
			err = t.AddSink(n.name, n.sink, parents...)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		for _, spec := range n.stores {
			if err := t.AddStateStore(spec, n.name); err != nil {
				return nil, fmt.Errorf("%s: %w", n, err)
			}
		}
	}
	if err := b.connectJoins(t); err != nil {
		return nil, err
	}
	if err := t.Validate(); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	return t, nil
}

// order returns the nodes parents first, otherwise in creation order, so that nodes a
// later pass inserts above existing ones are still emitted before their children.
func (b *Builder) order() []*graphNode {
	out := make([]*graphNode, 0, len(b.nodes))
	done := make([]bool, len(b.nodes))
	var visit func(n *graphNode)
	visit = func(n *graphNode) {
		if done[n.id] {
			return
		}
		done[n.id] = true
		for _, p := range n.parents {
			visit(p)
		}
		out = append(out, n)
	}
	for _, n := range b.nodes {
		visit(n)
	}
	return out
}
