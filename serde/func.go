package serde

import "fmt"

// Func builds a serde from two functions. Deserialize returns the zero T for nil bytes
// without calling de, as the Serde contract requires; every other call goes to ser or de,
// whose errors are returned unchanged, so they should name the topic. Either function may be
// nil for a serde used in one direction only (a source topic needs only de): calling the
// missing direction is an error. The serde is safe for concurrent use if ser and de are.
func Func[T any](ser func(topic string, v T) ([]byte, error), de func(topic string, data []byte) (T, error)) Serde[T] {
	return funcSerde[T]{ser: ser, de: de}
}

type funcSerde[T any] struct {
	ser func(topic string, v T) ([]byte, error)
	de  func(topic string, data []byte) (T, error)
}

var _ Serde[int] = funcSerde[int]{}

func (s funcSerde[T]) Serialize(topic string, v T) ([]byte, error) {
	if s.ser == nil {
		return nil, fmt.Errorf("serialize for topic %q: serde has no serialize function", topic)
	}
	return s.ser(topic, v)
}

func (s funcSerde[T]) Deserialize(topic string, data []byte) (T, error) {
	if data == nil {
		var zero T
		return zero, nil
	}
	if s.de == nil {
		var zero T
		return zero, fmt.Errorf("deserialize from topic %q: serde has no deserialize function", topic)
	}
	return s.de(topic, data)
}
