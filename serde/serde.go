package serde

import "fmt"

// Serde converts values of type T to bytes and back. Implementations are safe for concurrent
// use. A nil byte slice is Kafka's null (a tombstone for a compacted topic): Deserialize(nil)
// returns the zero T and no error, and callers that need to tell null apart check the bytes
// before calling.
type Serde[T any] interface {
	// Serialize encodes v for topic. The returned slice is owned by the caller.
	Serialize(topic string, v T) ([]byte, error)
	// Deserialize decodes data read from topic. It must not keep data after it returns.
	Deserialize(topic string, data []byte) (T, error)
}

// Any adapts a typed serde to the untyped one the runtime uses. Serialize of a nil value
// returns nil (Kafka null); Serialize of a value of another type than T is an error.
func Any[T any](s Serde[T]) Serde[any] {
	if a, ok := any(s).(Serde[any]); ok {
		return a
	}
	return anySerde[T]{s}
}

type anySerde[T any] struct{ s Serde[T] }

func (a anySerde[T]) Serialize(topic string, v any) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	t, ok := v.(T)
	if !ok {
		var zero T
		return nil, fmt.Errorf("serialize for topic %q: got %T, want %T", topic, v, zero)
	}
	return a.s.Serialize(topic, t)
}

func (a anySerde[T]) Deserialize(topic string, data []byte) (any, error) {
	if data == nil {
		return nil, nil
	}
	return a.s.Deserialize(topic, data)
}
