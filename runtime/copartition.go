package runtime

import (
	"fmt"
	"slices"
	"strings"
)

// AddCopartitionGroup declares that topics (source topics of the topology, internal ones
// by their names in the topology) must be co-partitioned: the inputs of a join, whose
// records with the same key must meet in the same task (Kafka Streams' copartition
// groups). The topics are already processed together when they feed one subtopology;
// the group adds the partition-count rule, checked when an App starts: the topics must
// have the same number of partitions, and an internal topic of the group without an
// explicit partition count is created with the count of the group's external topics (or,
// if it has none, the largest count its internal topics would get).
func (t *Topology) AddCopartitionGroup(topics ...string) error {
	for _, topic := range topics {
		if _, ok := t.topics[topic]; !ok {
			return fmt.Errorf("copartition group: %q is not a source topic", topic)
		}
	}
	if len(topics) > 1 {
		t.copartition = append(t.copartition, slices.Compact(slices.Sorted(slices.Values(topics))))
	}
	return nil
}

// copartitionCount returns the partition count internal topic name gets from its
// copartition group: the largest count of the group's external topics, else the largest
// count derive gives its internal topics. ok is false when name is in no group; n is 0 when
// a count it depends on is not known yet.
func (t *Topology) copartitionCount(name string, counts map[string]int32, resolve func(string) string, derive func(string) int32) (n int32, ok bool) {
	for _, g := range t.copartition {
		if !slices.Contains(g, name) {
			continue
		}
		ok = true
		external := false
		for _, topic := range g {
			if !t.IsInternal(topic) {
				external = true
				n = max(n, counts[resolve(topic)])
			}
		}
		if external {
			continue
		}
		for _, topic := range g {
			c, known := counts[resolve(topic)]
			if !known {
				if t.internal[topic].Partitions > 0 {
					c = t.internal[topic].Partitions
				} else if c = derive(topic); c == 0 {
					return 0, true
				}
			}
			n = max(n, c)
		}
	}
	return n, ok
}

// checkCopartitioning returns an error naming the first copartition group whose topics
// do not all have the same partition count.
func (t *Topology) checkCopartitioning(counts map[string]int32, resolve func(string) string) error {
	for _, g := range t.copartition {
		var parts []string
		for _, topic := range g {
			parts = append(parts, fmt.Sprintf("%s: %d", resolve(topic), counts[resolve(topic)]))
		}
		for _, topic := range g[1:] {
			if counts[resolve(topic)] != counts[resolve(g[0])] {
				return fmt.Errorf("topics of a join are not co-partitioned (%s): the inputs of a join must have the same number of partitions; repartition one side (Stream.Repartition with NumPartitions) or recreate the topic (fatal)", strings.Join(parts, ", "))
			}
		}
	}
	return nil
}
