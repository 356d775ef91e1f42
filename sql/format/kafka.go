package format

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// kafkaCodec is the KAFKA format: one column written by Kafka's primitive serializers.
// INT is 4 big-endian bytes, BIGINT 8, DOUBLE the 8 big-endian bytes of its IEEE-754 bits,
// STRING its UTF-8 bytes and BYTES the bytes themselves. A null value is nil bytes.
type kafkaCodec struct {
	t *types.Type
}

var _ Codec = kafkaCodec{}

func (c kafkaCodec) Encode(row []any) ([]byte, error) {
	if row == nil {
		return nil, nil
	}
	if err := checkRow(row, 1); err != nil {
		return nil, err
	}
	v := row[0]
	if v == nil {
		return nil, nil
	}
	switch c.t.Kind {
	case types.KInt:
		n, ok := asInt32(v)
		if !ok {
			return nil, encodeTypeError(v, c.t)
		}
		return binary.BigEndian.AppendUint32(make([]byte, 0, 4), uint32(n)), nil
	case types.KBigint:
		n, ok := asInt64(v)
		if !ok {
			return nil, encodeTypeError(v, c.t)
		}
		return binary.BigEndian.AppendUint64(make([]byte, 0, 8), uint64(n)), nil
	case types.KDouble:
		f, ok := asFloat(v)
		if !ok {
			return nil, encodeTypeError(v, c.t)
		}
		return binary.BigEndian.AppendUint64(make([]byte, 0, 8), math.Float64bits(f)), nil
	case types.KString:
		s, ok := v.(string)
		if !ok {
			return nil, encodeTypeError(v, c.t)
		}
		return []byte(s), nil
	case types.KBytes:
		b, ok := v.([]byte)
		if !ok {
			return nil, encodeTypeError(v, c.t)
		}
		return append(make([]byte, 0, len(b)), b...), nil
	}
	return nil, fmt.Errorf("The 'KAFKA' format does not support type '%s'", c.t.Kind)
}

func (c kafkaCodec) Decode(b []byte) ([]any, error) {
	if b == nil {
		return nil, nil
	}
	switch c.t.Kind {
	case types.KInt:
		if len(b) != 4 {
			return nil, fmt.Errorf("Size of data received by IntegerDeserializer is not 4")
		}
		return []any{int32(binary.BigEndian.Uint32(b))}, nil
	case types.KBigint:
		if len(b) != 8 {
			return nil, fmt.Errorf("Size of data received by LongDeserializer is not 8")
		}
		return []any{int64(binary.BigEndian.Uint64(b))}, nil
	case types.KDouble:
		if len(b) != 8 {
			return nil, fmt.Errorf("Size of data received by DoubleDeserializer is not 8")
		}
		return []any{math.Float64frombits(binary.BigEndian.Uint64(b))}, nil
	case types.KString:
		return []any{utf8String(b)}, nil
	case types.KBytes:
		return []any{append(make([]byte, 0, len(b)), b...)}, nil
	}
	return nil, fmt.Errorf("The 'KAFKA' format does not support type '%s'", c.t.Kind)
}

// utf8String converts b to a string as Java's new String(b, UTF_8) does: malformed
// sequences become U+FFFD.
func utf8String(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}
