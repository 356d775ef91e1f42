package dsl

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/ksqlgo/ksqlgo/serde"
)

// change is the value a table forwards downstream: its new value and the value it replaces
// (nil: absent). A delete has new == nil; an insert old == nil.
type change struct{ new, old any }

// timestamped prefixes a store value with the timestamp of the record that wrote it, as
// Kafka Streams' timestamped stores do: [8-byte big-endian ms][value].
func timestamped(ts int64, value []byte) []byte {
	b := make([]byte, 8+len(value))
	binary.BigEndian.PutUint64(b, uint64(ts))
	copy(b[8:], value)
	return b
}

func untimestamped(b []byte) (int64, []byte, error) {
	if len(b) < 8 {
		return 0, nil, fmt.Errorf("stored value of %d bytes has no timestamp", len(b))
	}
	return int64(binary.BigEndian.Uint64(b)), b[8:], nil
}

// changeSerde encodes a change for a repartition topic: a flags byte (1: has new, 2: has
// old), the new value's length as a uvarint, the new value, then the old value.
type changeSerde struct{ v serde.Serde[any] }

func (c changeSerde) Serialize(topic string, x any) ([]byte, error) {
	ch, ok := x.(change)
	if !ok {
		return nil, fmt.Errorf("change serde: got %T", x)
	}
	var flags byte
	var nb, ob []byte
	var err error
	if ch.new != nil {
		flags |= 1
		if nb, err = c.v.Serialize(topic, ch.new); err != nil {
			return nil, err
		}
	}
	if ch.old != nil {
		flags |= 2
		if ob, err = c.v.Serialize(topic, ch.old); err != nil {
			return nil, err
		}
	}
	out := []byte{flags}
	out = binary.AppendUvarint(out, uint64(len(nb)))
	out = append(out, nb...)
	return append(out, ob...), nil
}

func (c changeSerde) Deserialize(topic string, b []byte) (any, error) {
	if len(b) < 2 {
		return nil, errors.New("change serde: short record")
	}
	flags := b[0]
	n, w := binary.Uvarint(b[1:])
	if w <= 0 || uint64(len(b)-1-w) < n {
		return nil, errors.New("change serde: bad length")
	}
	nb, ob := b[1+w:1+w+int(n)], b[1+w+int(n):]
	var ch change
	var err error
	if flags&1 != 0 {
		if ch.new, err = c.v.Deserialize(topic, nb); err != nil {
			return nil, err
		}
	}
	if flags&2 != 0 {
		if ch.old, err = c.v.Deserialize(topic, ob); err != nil {
			return nil, err
		}
	}
	return ch, nil
}
