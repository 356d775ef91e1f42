package ttd

import (
	"fmt"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/serde"
)

// InputTopic pipes typed records into a topic of a Driver.
type InputTopic[K, V any] struct {
	d     *Driver
	topic string
	key   serde.Serde[K]
	value serde.Serde[V]
}

// NewInputTopic returns a typed input for topic.
func NewInputTopic[K, V any](d *Driver, topic string, key serde.Serde[K], value serde.Serde[V]) *InputTopic[K, V] {
	return &InputTopic[K, V]{d: d, topic: topic, key: key, value: value}
}

// Pipe encodes k and v and pipes them with timestamp ts (ms).
func (in *InputTopic[K, V]) Pipe(k K, v V, ts int64, headers ...runtime.Header) error {
	kb, err := in.key.Serialize(in.topic, k)
	if err != nil {
		return fmt.Errorf("encode key: %w", err)
	}
	vb, err := in.value.Serialize(in.topic, v)
	if err != nil {
		return fmt.Errorf("encode value: %w", err)
	}
	return in.d.Pipe(in.topic, kb, vb, ts, headers...)
}

// PipeTombstone pipes key k with a null value.
func (in *InputTopic[K, V]) PipeTombstone(k K, ts int64) error {
	kb, err := in.key.Serialize(in.topic, k)
	if err != nil {
		return fmt.Errorf("encode key: %w", err)
	}
	return in.d.Pipe(in.topic, kb, nil, ts)
}

// KeyValue is a decoded output record.
type KeyValue[K, V any] struct {
	Key       K
	Value     V
	Null      bool // the value was Kafka null (a tombstone)
	Timestamp int64
	Headers   []runtime.Header
}

// OutputTopic reads typed records a topology wrote to a topic of a Driver.
type OutputTopic[K, V any] struct {
	d     *Driver
	topic string
	key   serde.Serde[K]
	value serde.Serde[V]
}

// NewOutputTopic returns a typed reader of topic.
func NewOutputTopic[K, V any](d *Driver, topic string, key serde.Serde[K], value serde.Serde[V]) *OutputTopic[K, V] {
	return &OutputTopic[K, V]{d: d, topic: topic, key: key, value: value}
}

// Read decodes the records written since the last Read (or ReadOutput) of the topic.
func (o *OutputTopic[K, V]) Read() ([]KeyValue[K, V], error) {
	recs := o.d.ReadOutput(o.topic)
	out := make([]KeyValue[K, V], 0, len(recs))
	for _, r := range recs {
		kv := KeyValue[K, V]{Timestamp: r.Timestamp, Headers: r.Headers, Null: r.Value == nil}
		var err error
		if r.Key != nil {
			if kv.Key, err = o.key.Deserialize(o.topic, r.Key); err != nil {
				return out, fmt.Errorf("decode key at offset %d: %w", r.Offset, err)
			}
		}
		if r.Value != nil {
			if kv.Value, err = o.value.Deserialize(o.topic, r.Value); err != nil {
				return out, fmt.Errorf("decode value at offset %d: %w", r.Offset, err)
			}
		}
		out = append(out, kv)
	}
	return out, nil
}
