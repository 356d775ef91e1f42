package serde

import (
	"bytes"
	"encoding/hex"
	"math"
	"testing"
)

// TestPrimitiveBytes checks the exact bytes Kafka's Java serializers write for the same
// values (ShortSerializer, IntegerSerializer, LongSerializer, FloatSerializer,
// DoubleSerializer), and that they decode back.
func TestPrimitiveBytes(t *testing.T) {
	tests := []struct {
		name  string
		serde Serde[any]
		value any
		hex   string
	}{
		{"int16 1", Any(Int16()), int16(1), "0001"},
		{"int16 -1", Any(Int16()), int16(-1), "ffff"},
		{"int16 min", Any(Int16()), int16(math.MinInt16), "8000"},
		{"int16 258", Any(Int16()), int16(258), "0102"},
		{"int32 0", Any(Int32()), int32(0), "00000000"},
		{"int32 1", Any(Int32()), int32(1), "00000001"},
		{"int32 -1", Any(Int32()), int32(-1), "ffffffff"},
		{"int32 max", Any(Int32()), int32(math.MaxInt32), "7fffffff"},
		{"int32 min", Any(Int32()), int32(math.MinInt32), "80000000"},
		{"int32 16909060", Any(Int32()), int32(0x01020304), "01020304"},
		{"int64 1", Any(Int64()), int64(1), "0000000000000001"},
		{"int64 -1", Any(Int64()), int64(-1), "ffffffffffffffff"},
		{"int64 max", Any(Int64()), int64(math.MaxInt64), "7fffffffffffffff"},
		{"int64 min", Any(Int64()), int64(math.MinInt64), "8000000000000000"},
		{"int64 epoch millis", Any(Int64()), int64(1700000000000), "0000018bcfe56800"},
		{"float32 1.5", Any(Float32()), float32(1.5), "3fc00000"},
		{"float32 -2", Any(Float32()), float32(-2), "c0000000"},
		{"float32 -0", Any(Float32()), float32(math.Copysign(0, -1)), "80000000"},
		{"float32 +inf", Any(Float32()), float32(math.Inf(1)), "7f800000"},
		{"float64 0", Any(Float64()), 0.0, "0000000000000000"},
		{"float64 1.5", Any(Float64()), 1.5, "3ff8000000000000"},
		{"float64 0.1", Any(Float64()), 0.1, "3fb999999999999a"},
		{"float64 -123.45", Any(Float64()), -123.45, "c05edccccccccccd"},
		{"float64 -0", Any(Float64()), math.Copysign(0, -1), "8000000000000000"},
		{"float64 +inf", Any(Float64()), math.Inf(1), "7ff0000000000000"},
		{"float64 -inf", Any(Float64()), math.Inf(-1), "fff0000000000000"},
		{"float64 max", Any(Float64()), math.MaxFloat64, "7fefffffffffffff"},
		{"float64 smallest subnormal", Any(Float64()), math.SmallestNonzeroFloat64, "0000000000000001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := roundTrip(t, tt.serde, "t", tt.value)
			if got := hex.EncodeToString(b); got != tt.hex {
				t.Fatalf("Serialize(%v) = %s, want %s", tt.value, got, tt.hex)
			}
		})
	}
}

// TestFloatNaN checks that NaN is written as Java's canonical NaN whatever its payload (Go's
// math.NaN is 7ff8000000000001) and that decoded NaN payloads are kept.
func TestFloatNaN(t *testing.T) {
	b, _ := Float64().Serialize("t", math.NaN())
	if got := hex.EncodeToString(b); got != "7ff8000000000000" {
		t.Fatalf("Float64 NaN = %s, want 7ff8000000000000", got)
	}
	b, _ = Float64().Serialize("t", math.Float64frombits(0xfff0000000000abc))
	if got := hex.EncodeToString(b); got != "7ff8000000000000" {
		t.Fatalf("Float64 negative NaN = %s, want 7ff8000000000000", got)
	}
	b, _ = Float32().Serialize("t", float32(math.NaN()))
	if got := hex.EncodeToString(b); got != "7fc00000" {
		t.Fatalf("Float32 NaN = %s, want 7fc00000", got)
	}
	f, err := Float64().Deserialize("t", []byte{0x7f, 0xf0, 0, 0, 0, 0, 0, 1})
	if err != nil || math.Float64bits(f) != 0x7ff0000000000001 {
		t.Fatalf("Float64 Deserialize(signalling NaN) = %x, %v", math.Float64bits(f), err)
	}
}

// typed wraps a typed serde's Deserialize without the Any adapter, which handles nil itself.
func typed[T any](s Serde[T]) func(topic string, data []byte) (any, error) {
	return func(topic string, data []byte) (any, error) { return s.Deserialize(topic, data) }
}

func TestPrimitiveNullAndSize(t *testing.T) {
	tests := []struct {
		name        string
		deserialize func(topic string, data []byte) (any, error)
		zero        any
		size        int
		wantErr     string // for 3 bytes
	}{
		{"int16", typed(Int16()), int16(0), 2,
			`deserialize int16 from topic "t": size of data received by ShortDeserializer is not 2 (got 3 bytes)`},
		{"int32", typed(Int32()), int32(0), 4,
			`deserialize int32 from topic "t": size of data received by IntegerDeserializer is not 4 (got 3 bytes)`},
		{"int64", typed(Int64()), int64(0), 8,
			`deserialize int64 from topic "t": size of data received by LongDeserializer is not 8 (got 3 bytes)`},
		{"float32", typed(Float32()), float32(0), 4,
			`deserialize float32 from topic "t": size of data received by FloatDeserializer is not 4 (got 3 bytes)`},
		{"float64", typed(Float64()), float64(0), 8,
			`deserialize float64 from topic "t": size of data received by DoubleDeserializer is not 8 (got 3 bytes)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if v, err := tt.deserialize("t", nil); v != tt.zero || err != nil {
				t.Fatalf("Deserialize(nil) = %v, %v; want %v, nil", v, err, tt.zero)
			}
			if _, err := tt.deserialize("t", []byte{1, 2, 3}); err == nil || err.Error() != tt.wantErr {
				t.Fatalf("Deserialize(3 bytes): error = %v, want %s", err, tt.wantErr)
			}
			for _, n := range []int{0, tt.size - 1, tt.size + 1, 2 * tt.size} {
				if _, err := tt.deserialize("t", make([]byte, n)); err == nil {
					t.Fatalf("Deserialize(%d bytes): no error", n)
				}
			}
			if _, err := tt.deserialize("t", make([]byte, tt.size)); err != nil {
				t.Fatalf("Deserialize(%d bytes): %v", tt.size, err)
			}
		})
	}
}

// fuzzFixed checks that no input panics s, that inputs of the type's size decode and
// re-encode to the same bytes (NaN aside, which is written canonically), and that other
// lengths are errors.
func fuzzFixed[T comparable](f *testing.F, s Serde[T], size int) {
	for _, seed := range [][]byte{nil, {}, {0}, {1, 2, 3}, make([]byte, size), bytes.Repeat([]byte{0xff}, size),
		bytes.Repeat([]byte{0x7f}, size), make([]byte, size+1)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := s.Deserialize("t", data)
		if (err == nil) != (data == nil || len(data) == size) {
			t.Fatalf("Deserialize(%x): error = %v", data, err)
		}
		if err != nil || data == nil {
			return
		}
		b, err := s.Serialize("t", v)
		if err != nil {
			t.Fatalf("Serialize(%v): %v", v, err)
		}
		if v == v && !bytes.Equal(b, data) { // v != v only for NaN
			t.Fatalf("Serialize(Deserialize(%x)) = %x", data, b)
		}
	})
}

func FuzzInt16(f *testing.F)   { fuzzFixed(f, Int16(), 2) }
func FuzzInt32(f *testing.F)   { fuzzFixed(f, Int32(), 4) }
func FuzzInt64(f *testing.F)   { fuzzFixed(f, Int64(), 8) }
func FuzzFloat32(f *testing.F) { fuzzFixed(f, Float32(), 4) }
func FuzzFloat64(f *testing.F) { fuzzFixed(f, Float64(), 8) }

func BenchmarkInt64(b *testing.B) {
	s := Int64()
	b.ReportAllocs()
	for b.Loop() {
		data, _ := s.Serialize("t", 1700000000000)
		if _, err := s.Deserialize("t", data); err != nil {
			b.Fatal(err)
		}
		bytesSink = data
	}
}
