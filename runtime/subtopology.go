package runtime

import (
	"fmt"
	"slices"
	"strings"
)

// subtopology is a connected part of the topology: nodes linked by parent edges. Records
// cross from one subtopology to another only through a topic (a repartition topic).
type subtopology struct {
	id      int
	nodes   []*nodeDef // in the order they were added
	sources []*nodeDef
	topics  []string // source topics as named in the topology (internal names unresolved)
}

// subtopologies groups the nodes into subtopologies, numbered in the order of their first
// source node, as Kafka Streams numbers them.
func (t *Topology) subtopologies() []*subtopology {
	if t.subs != nil {
		return t.subs
	}
	parent := make([]int, len(t.order))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, n := range t.order {
		for _, p := range n.parents {
			a, b := find(n.index), find(p.index)
			if a != b {
				parent[a] = b
			}
		}
	}
	// Processors sharing a store belong together.
	firstUser := map[string]int{}
	for _, n := range t.order {
		for _, st := range n.stores {
			if i, ok := firstUser[st]; ok {
				a, b := find(n.index), find(i)
				if a != b {
					parent[a] = b
				}
			} else {
				firstUser[st] = n.index
			}
		}
	}
	byRoot := map[int]*subtopology{}
	var subs []*subtopology
	// Number subtopologies by their first source node.
	for _, n := range t.order {
		if n.kind != sourceNode {
			continue
		}
		r := find(n.index)
		if _, ok := byRoot[r]; !ok {
			s := &subtopology{id: len(subs)}
			byRoot[r] = s
			subs = append(subs, s)
		}
	}
	for _, n := range t.order {
		s, ok := byRoot[find(n.index)]
		if !ok {
			continue // a processor without a source upstream cannot happen: parents are required
		}
		s.nodes = append(s.nodes, n)
		if n.kind == sourceNode {
			s.sources = append(s.sources, n)
			s.topics = append(s.topics, n.source.Topics...)
		}
	}
	t.subs = subs
	return subs
}

// writers returns the subtopologies with a sink writing to topic.
func (t *Topology) writers(topic string) []*subtopology {
	var out []*subtopology
	if store, ok := t.changelogOf[topic]; ok {
		if s := t.storeSub(store); s != nil {
			out = append(out, s)
		}
	}
	for _, s := range t.subtopologies() {
		for _, n := range s.nodes {
			if n.kind == sinkNode && n.sink.Topic == topic && n.sink.TopicFunc == nil {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

// SourceTopics returns every topic the topology reads, internal ones under their names
// in the topology, in the order the sources were added.
func (t *Topology) SourceTopics() []string {
	var out []string
	for _, n := range t.order {
		if n.kind == sourceNode {
			out = append(out, n.source.Topics...)
		}
	}
	return out
}

// InternalTopics returns the names of the internal topics in the order they were added.
func (t *Topology) InternalTopics() []string { return slices.Clone(t.internalOrder) }

// Describe prints the topology as Kafka Streams' Topology.describe() does.
func (t *Topology) Describe() string {
	var b strings.Builder
	b.WriteString("Topologies:\n")
	names := func(ns []*nodeDef) string {
		out := make([]string, len(ns))
		for i, n := range ns {
			out[i] = n.name
		}
		return strings.Join(out, ", ")
	}
	for _, s := range t.subtopologies() {
		fmt.Fprintf(&b, "   Sub-topology: %d\n", s.id)
		for _, n := range s.nodes {
			switch n.kind {
			case sourceNode:
				fmt.Fprintf(&b, "    Source: %s (topics: [%s])\n", n.name, strings.Join(n.source.Topics, ", "))
			case processorNode:
				fmt.Fprintf(&b, "    Processor: %s (stores: [%s])\n", n.name, strings.Join(n.stores, ", "))
			case sinkNode:
				topic := n.sink.Topic
				if n.sink.TopicFunc != nil {
					topic = "<chosen per record>"
				}
				fmt.Fprintf(&b, "    Sink: %s (topic: %s)\n", n.name, topic)
			}
			if len(n.children) > 0 {
				fmt.Fprintf(&b, "      --> %s\n", names(n.children))
			} else if n.kind != sinkNode {
				b.WriteString("      --> none\n")
			}
			if len(n.parents) > 0 {
				fmt.Fprintf(&b, "      <-- %s\n", names(n.parents))
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}
