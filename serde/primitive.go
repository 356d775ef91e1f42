package serde

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Kafka's primitive formats, byte for byte as the Java serializers in
// org.apache.kafka.common.serialization write them: fixed size, big-endian, floating point as
// IEEE-754 bits. They are ksqlDB's KAFKA format for INT, BIGINT and DOUBLE. Deserialize
// returns 0 for nil bytes and an error for any other length than the type's size (an empty
// slice included). The serdes are safe for concurrent use.

// Int16 returns Kafka's ShortSerializer format: 2 bytes, big-endian two's complement.
func Int16() Serde[int16] { return int16Serde{} }

// Int32 returns Kafka's IntegerSerializer format: 4 bytes, big-endian two's complement
// (ksqlDB INT).
func Int32() Serde[int32] { return int32Serde{} }

// Int64 returns Kafka's LongSerializer format: 8 bytes, big-endian two's complement
// (ksqlDB BIGINT).
func Int64() Serde[int64] { return int64Serde{} }

// Float32 returns Kafka's FloatSerializer format: the 4 IEEE-754 bytes, big-endian. NaN is
// written as Java's canonical NaN (7f c0 00 00), as Float.floatToIntBits does; other bits,
// negative zero included, are kept.
func Float32() Serde[float32] { return float32Serde{} }

// Float64 returns Kafka's DoubleSerializer format: the 8 IEEE-754 bytes, big-endian
// (ksqlDB DOUBLE). NaN is written as Java's canonical NaN (7f f8 00 00 00 00 00 00), as
// Double.doubleToLongBits does; other bits, negative zero included, are kept.
func Float64() Serde[float64] { return float64Serde{} }

// Java's canonical NaNs (Go's math.NaN has another payload).
const (
	javaNaN32 = 0x7fc00000
	javaNaN64 = 0x7ff8000000000000
)

type (
	int16Serde   struct{}
	int32Serde   struct{}
	int64Serde   struct{}
	float32Serde struct{}
	float64Serde struct{}
)

var (
	_ Serde[int16]   = int16Serde{}
	_ Serde[int32]   = int32Serde{}
	_ Serde[int64]   = int64Serde{}
	_ Serde[float32] = float32Serde{}
	_ Serde[float64] = float64Serde{}
)

func (int16Serde) Serialize(_ string, v int16) ([]byte, error) {
	return binary.BigEndian.AppendUint16(make([]byte, 0, 2), uint16(v)), nil
}

func (int16Serde) Deserialize(topic string, data []byte) (int16, error) {
	if err := checkSize(topic, data, 2, "int16", "ShortDeserializer"); err != nil || data == nil {
		return 0, err
	}
	return int16(binary.BigEndian.Uint16(data)), nil
}

func (int32Serde) Serialize(_ string, v int32) ([]byte, error) {
	return binary.BigEndian.AppendUint32(make([]byte, 0, 4), uint32(v)), nil
}

func (int32Serde) Deserialize(topic string, data []byte) (int32, error) {
	if err := checkSize(topic, data, 4, "int32", "IntegerDeserializer"); err != nil || data == nil {
		return 0, err
	}
	return int32(binary.BigEndian.Uint32(data)), nil
}

func (int64Serde) Serialize(_ string, v int64) ([]byte, error) {
	return binary.BigEndian.AppendUint64(make([]byte, 0, 8), uint64(v)), nil
}

func (int64Serde) Deserialize(topic string, data []byte) (int64, error) {
	if err := checkSize(topic, data, 8, "int64", "LongDeserializer"); err != nil || data == nil {
		return 0, err
	}
	return int64(binary.BigEndian.Uint64(data)), nil
}

func (float32Serde) Serialize(_ string, v float32) ([]byte, error) {
	bits := math.Float32bits(v)
	if v != v {
		bits = javaNaN32
	}
	return binary.BigEndian.AppendUint32(make([]byte, 0, 4), bits), nil
}

func (float32Serde) Deserialize(topic string, data []byte) (float32, error) {
	if err := checkSize(topic, data, 4, "float32", "FloatDeserializer"); err != nil || data == nil {
		return 0, err
	}
	return math.Float32frombits(binary.BigEndian.Uint32(data)), nil
}

func (float64Serde) Serialize(_ string, v float64) ([]byte, error) {
	bits := math.Float64bits(v)
	if v != v {
		bits = javaNaN64
	}
	return binary.BigEndian.AppendUint64(make([]byte, 0, 8), bits), nil
}

func (float64Serde) Deserialize(topic string, data []byte) (float64, error) {
	if err := checkSize(topic, data, 8, "float64", "DoubleDeserializer"); err != nil || data == nil {
		return 0, err
	}
	return math.Float64frombits(binary.BigEndian.Uint64(data)), nil
}

// checkSize returns an error, in Kafka's words, if data is neither nil nor size bytes long.
func checkSize(topic string, data []byte, size int, typ, javaName string) error {
	if data == nil || len(data) == size {
		return nil
	}
	return fmt.Errorf("deserialize %s from topic %q: size of data received by %s is not %d (got %d bytes)",
		typ, topic, javaName, size, len(data))
}
