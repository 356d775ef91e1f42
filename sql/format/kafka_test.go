package format

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

func TestKafkaLayout(t *testing.T) {
	for _, tc := range []struct {
		name string
		t    *types.Type
		v    any
		want []byte
	}{
		{"INT", types.INT, int32(1), []byte{0, 0, 0, 1}},
		{"INT negative", types.INT, int32(-2), []byte{0xff, 0xff, 0xff, 0xfe}},
		{"BIGINT", types.BIGINT, int64(2), []byte{0, 0, 0, 0, 0, 0, 0, 2}},
		{"BIGINT min", types.BIGINT, int64(math.MinInt64), []byte{0x80, 0, 0, 0, 0, 0, 0, 0}},
		{"DOUBLE 1.1", types.DOUBLE, 1.1, []byte{0x3f, 0xf1, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a}},
		{"DOUBLE 2.0", types.DOUBLE, 2.0, []byte{0x40, 0, 0, 0, 0, 0, 0, 0}},
		{"STRING", types.STRING, "foo", []byte("foo")},
		{"STRING empty", types.STRING, "", []byte{}},
		{"BYTES", types.BYTES, []byte("dmFyaWF0aW9ucw=="), []byte("dmFyaWF0aW9ucw==")},
		{"BYTES empty", types.BYTES, []byte{}, []byte{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, opts := range []Options{{}, {Key: true}, {WrapSingle: ptr(false)}} {
				c := mustNew(t, "KAFKA", []types.Column{col("V", tc.t)}, opts)
				got, err := c.Encode([]any{tc.v})
				if err != nil {
					t.Fatalf("Encode: %v", err)
				}
				if got == nil || !bytes.Equal(got, tc.want) {
					t.Fatalf("Encode = %x, want %x", got, tc.want)
				}
				row, err := c.Decode(tc.want)
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				if !sameRow(row, []any{tc.v}) {
					t.Fatalf("Decode = %#v, want %#v", row, []any{tc.v})
				}
			}
		})
	}
}

func TestKafkaNulls(t *testing.T) {
	for _, tp := range []*types.Type{types.INT, types.BIGINT, types.DOUBLE, types.STRING, types.BYTES} {
		c := mustNew(t, "KAFKA", []types.Column{col("K", tp)}, Options{Key: true})
		for _, row := range [][]any{nil, {nil}} {
			if b, err := c.Encode(row); err != nil || b != nil {
				t.Errorf("%s: Encode(%#v) = %x, %v; want nil", tp, row, b, err)
			}
		}
		if row, err := c.Decode(nil); err != nil || row != nil {
			t.Errorf("%s: Decode(nil) = %#v, %v; want nil", tp, row, err)
		}
	}
}

func TestKafkaWidening(t *testing.T) {
	c := mustNew(t, "KAFKA", []types.Column{col("V", types.BIGINT)}, Options{})
	if b, err := c.Encode([]any{int32(2)}); err != nil || !bytes.Equal(b, []byte{0, 0, 0, 0, 0, 0, 0, 2}) {
		t.Fatalf("Encode(int32 as BIGINT) = %x, %v", b, err)
	}
	c = mustNew(t, "KAFKA", []types.Column{col("V", types.DOUBLE)}, Options{})
	if b, err := c.Encode([]any{int64(2)}); err != nil || !bytes.Equal(b, []byte{0x40, 0, 0, 0, 0, 0, 0, 0}) {
		t.Fatalf("Encode(int64 as DOUBLE) = %x, %v", b, err)
	}
}

func TestKafkaErrors(t *testing.T) {
	for _, tc := range []struct {
		t   *types.Type
		in  []byte
		msg string
	}{
		{types.INT, []byte{1, 2, 3}, "Size of data received by IntegerDeserializer is not 4"},
		{types.INT, []byte{}, "Size of data received by IntegerDeserializer is not 4"},
		{types.INT, []byte{0, 0, 0, 0, 1}, "Size of data received by IntegerDeserializer is not 4"},
		{types.BIGINT, []byte{1, 2, 3, 4}, "Size of data received by LongDeserializer is not 8"},
		{types.DOUBLE, []byte{1}, "Size of data received by DoubleDeserializer is not 8"},
	} {
		c := mustNew(t, "KAFKA", []types.Column{col("V", tc.t)}, Options{})
		if _, err := c.Decode(tc.in); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: Decode(%x) error = %v, want %q", tc.t, tc.in, err, tc.msg)
		}
	}
	for _, tc := range []struct {
		t *types.Type
		v any
	}{
		{types.INT, int64(math.MaxInt64)},
		{types.INT, "1"},
		{types.BIGINT, 1.5},
		{types.DOUBLE, "x"},
		{types.STRING, []byte("x")},
		{types.BYTES, "x"},
	} {
		c := mustNew(t, "KAFKA", []types.Column{col("V", tc.t)}, Options{})
		if b, err := c.Encode([]any{tc.v}); err == nil {
			t.Errorf("%s: Encode(%#v) = %x, want an error", tc.t, tc.v, b)
		}
	}
}

func TestKafkaInvalidUTF8(t *testing.T) {
	c := mustNew(t, "KAFKA", []types.Column{col("V", types.STRING)}, Options{})
	row, err := c.Decode([]byte{'a', 0xff, 'b'})
	if err != nil || row[0] != "a\uFFFDb" {
		t.Fatalf("Decode = %#v, %v; want a U+FFFD replacement", row, err)
	}
}

func TestKafkaDecodeCopies(t *testing.T) {
	c := mustNew(t, "KAFKA", []types.Column{col("V", types.BYTES)}, Options{})
	in := []byte("abc")
	row, err := c.Decode(in)
	if err != nil {
		t.Fatal(err)
	}
	in[0] = 'x'
	if string(row[0].([]byte)) != "abc" {
		t.Fatal("Decode returned a slice aliasing its input")
	}
}
