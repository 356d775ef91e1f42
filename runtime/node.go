package runtime

import (
	"fmt"
	"time"

	"github.com/ksqlgo/ksqlgo/serde"

	"github.com/twmb/franz-go/pkg/kgo"
)

// nodeInstance is one node of one task: the processor instance made for that task, its
// children, and for sinks the resolved topic.
type nodeInstance struct {
	def      *nodeDef
	name     string
	children []*nodeInstance
	proc     Processor
	ctx      *ProcessorContext
	topic    string // sinks with a fixed topic: the resolved topic
}

func errUnknownChild(node, child string) error {
	return fmt.Errorf("node %q has no child %q", node, child)
}

// processNode runs r through n (and, by forwarding, its subtree). After the first error of
// the current input record, the rest of the record's subtree is skipped.
func (t *task) processNode(n *nodeInstance, r Record) {
	if t.err != nil {
		return
	}
	switch n.def.kind {
	case processorNode:
		if err := n.proc.Process(r); err != nil {
			t.recordError(n.name, err)
		}
	case sinkNode:
		if err := t.sink(n, r); err != nil {
			t.recordError(n.name, err)
		}
	case sourceNode:
		for _, ch := range n.children {
			t.processNode(ch, r)
		}
	}
}

// recordError keeps the first error of the current input record.
func (t *task) recordError(node string, err error) {
	if t.err == nil {
		t.err = fmt.Errorf("task %s node %q: %w", t.id, node, err)
		t.errNode = node
	}
}

func (t *task) sink(n *nodeInstance, r Record) error {
	s := &n.def.sink
	topic := n.topic
	if s.TopicFunc != nil {
		var err error
		if topic, err = s.TopicFunc(r); err != nil {
			return fmt.Errorf("choose topic: %w", err)
		}
		if topic == "" {
			return fmt.Errorf("choose topic: empty topic name")
		}
		topic = t.env.resolve(topic)
	}
	key, err := encode(s.Key, topic, r.Key)
	if err != nil {
		return fmt.Errorf("serialize key for topic %q: %w", topic, err)
	}
	value, err := encode(s.Value, topic, r.Value)
	if err != nil {
		return fmt.Errorf("serialize value for topic %q: %w", topic, err)
	}
	rec := &kgo.Record{
		Topic:     topic,
		Key:       key,
		Value:     value,
		Timestamp: time.UnixMilli(r.Timestamp),
		Headers:   r.Headers,
		Partition: -1,
	}
	if s.Partitioner != nil {
		WithPartitioner(rec, r.Key, r.Value, s.Partitioner)
	}
	t.env.collector.Send(rec)
	return nil
}

func encode(s serde.Serde[any], topic string, v any) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	if s == nil {
		b, ok := v.([]byte)
		if !ok {
			return nil, fmt.Errorf("no serde and the value is %T, not []byte", v)
		}
		return b, nil
	}
	return s.Serialize(topic, v)
}
