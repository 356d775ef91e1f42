package dsl

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/ksqlgo/ksqlgo/serde"
)

// The values of the foreign-key join's internal topics. Both start with a version byte
// (0), as Kafka Streams' SubscriptionWrapper and SubscriptionResponseWrapper do, so that
// the layout can change without breaking topics written by an older version.

const fkWireVersion = 0

// subscriptionSerde encodes an fkSubscription: version, instruction, the hash's length as
// a uvarint (0: no hash), the hash, the left row's partition (4 bytes, big endian), then
// the serialized left key.
type subscriptionSerde struct{}

var _ serde.Serde[any] = subscriptionSerde{}

func (subscriptionSerde) Serialize(_ string, x any) ([]byte, error) {
	s, ok := x.(fkSubscription)
	if !ok {
		return nil, fmt.Errorf("subscription serde: got %T", x)
	}
	out := make([]byte, 0, 2+binary.MaxVarintLen64+len(s.hash)+4+len(s.key))
	out = append(out, fkWireVersion, s.instr)
	out = binary.AppendUvarint(out, uint64(len(s.hash)))
	out = append(out, s.hash...)
	out = binary.BigEndian.AppendUint32(out, uint32(s.partition))
	return append(out, s.key...), nil
}

func (subscriptionSerde) Deserialize(_ string, b []byte) (any, error) {
	if len(b) < 2 {
		return nil, errors.New("subscription serde: short record")
	}
	if b[0] != fkWireVersion {
		return nil, fmt.Errorf("subscription serde: unknown version %d", b[0])
	}
	s := fkSubscription{instr: b[1]}
	if s.instr > subAnswerIfFound {
		return nil, fmt.Errorf("subscription serde: unknown instruction %d", s.instr)
	}
	rest, hash, err := readHash(b[2:])
	if err != nil || len(rest) < 4 {
		return nil, errors.New("subscription serde: corrupt record")
	}
	s.hash = hash
	s.partition = int32(binary.BigEndian.Uint32(rest))
	s.key = bytes.Clone(rest[4:])
	if s.key == nil {
		s.key = []byte{}
	}
	return s, nil
}

// readHash reads a uvarint length and that many bytes (nil for 0), copied.
func readHash(b []byte) (rest, hash []byte, err error) {
	n, w := binary.Uvarint(b)
	if w <= 0 || uint64(len(b)-w) < n {
		return nil, nil, errors.New("bad hash length")
	}
	if n > 0 {
		hash = bytes.Clone(b[w : w+int(n)])
	}
	return b[w+int(n):], hash, nil
}

// responseSerde encodes an fkResponse: version, a flag (1: a right value follows), the
// hash's length as a uvarint (0: no hash), the hash, then the right value serialized by v.
type responseSerde struct{ vs serde.Serde[any] }

var _ serde.Serde[any] = responseSerde{}

func (c responseSerde) Serialize(topic string, x any) ([]byte, error) {
	r, ok := x.(fkResponse)
	if !ok {
		return nil, fmt.Errorf("response serde: got %T", x)
	}
	var flags byte
	var vb []byte
	if r.value != nil {
		var err error
		if vb, err = c.vs.Serialize(topic, r.value); err != nil {
			return nil, err
		}
		flags = 1
	}
	out := make([]byte, 0, 2+binary.MaxVarintLen64+len(r.hash)+len(vb))
	out = append(out, fkWireVersion, flags)
	out = binary.AppendUvarint(out, uint64(len(r.hash)))
	out = append(out, r.hash...)
	return append(out, vb...), nil
}

func (c responseSerde) Deserialize(topic string, b []byte) (any, error) {
	if len(b) < 2 {
		return nil, errors.New("response serde: short record")
	}
	if b[0] != fkWireVersion {
		return nil, fmt.Errorf("response serde: unknown version %d", b[0])
	}
	rest, hash, err := readHash(b[2:])
	if err != nil {
		return nil, errors.New("response serde: corrupt record")
	}
	r := fkResponse{hash: hash, partition: -1}
	if b[1]&1 != 0 {
		if r.value, err = c.vs.Deserialize(topic, rest); err != nil {
			return nil, err
		}
	}
	return r, nil
}
