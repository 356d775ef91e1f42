package format

import (
	"bytes"
	"math"
	"testing"
)

func TestTimeWindowedLayout(t *testing.T) {
	inner := []byte("k")
	got := EncodeTimeWindowed(inner, 30000)
	want := []byte{'k', 0, 0, 0, 0, 0, 0, 0x75, 0x30}
	if !bytes.Equal(got, want) {
		t.Fatalf("EncodeTimeWindowed = %x, want %x", got, want)
	}
	in, start, err := DecodeTimeWindowed(got)
	if err != nil || !bytes.Equal(in, inner) || start != 30000 {
		t.Fatalf("DecodeTimeWindowed = %q, %d, %v", in, start, err)
	}
	// The inner key is a capped sub-slice: appending to it must not overwrite the window.
	_ = append(in, 'x')
	if !bytes.Equal(got, want) {
		t.Fatal("appending to the decoded inner key modified the windowed key")
	}
	// Empty inner key and negative start.
	got = EncodeTimeWindowed(nil, -1)
	if !bytes.Equal(got, bytes.Repeat([]byte{0xff}, 8)) {
		t.Fatalf("EncodeTimeWindowed(nil, -1) = %x", got)
	}
	if in, start, err := DecodeTimeWindowed(got); err != nil || len(in) != 0 || start != -1 {
		t.Fatalf("DecodeTimeWindowed = %q, %d, %v", in, start, err)
	}
	if _, _, err := DecodeTimeWindowed([]byte{1, 2, 3}); err == nil {
		t.Fatal("DecodeTimeWindowed of 3 bytes succeeded")
	}
}

func TestSessionWindowedLayout(t *testing.T) {
	inner := []byte{0, 0, 0, 10} // KAFKA INT 10
	got := EncodeSessionWindowed(inner, 12, 465)
	want := []byte{0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0x01, 0xd1, 0, 0, 0, 0, 0, 0, 0, 0x0c} // inner, end, start
	if !bytes.Equal(got, want) {
		t.Fatalf("EncodeSessionWindowed = %x, want %x", got, want)
	}
	in, start, end, err := DecodeSessionWindowed(got)
	if err != nil || !bytes.Equal(in, inner) || start != 12 || end != 465 {
		t.Fatalf("DecodeSessionWindowed = %x, %d, %d, %v", in, start, end, err)
	}
	got = EncodeSessionWindowed(nil, math.MinInt64, math.MaxInt64)
	if in, start, end, err := DecodeSessionWindowed(got); err != nil || len(in) != 0 || start != math.MinInt64 || end != math.MaxInt64 {
		t.Fatalf("DecodeSessionWindowed = %x, %d, %d, %v", in, start, end, err)
	}
	if _, _, _, err := DecodeSessionWindowed(make([]byte, 15)); err == nil {
		t.Fatal("DecodeSessionWindowed of 15 bytes succeeded")
	}
}
