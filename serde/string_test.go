package serde

import (
	"bytes"
	"testing"
)

func TestString(t *testing.T) {
	tests := []struct {
		name  string
		value string
		bytes []byte
	}{
		{"empty is not null", "", []byte{}},
		{"ascii", "abc", []byte("abc")},
		{"utf-8", "zürich €", []byte{'z', 0xc3, 0xbc, 'r', 'i', 'c', 'h', ' ', 0xe2, 0x82, 0xac}},
		{"invalid utf-8 kept", "a\xffb", []byte{'a', 0xff, 'b'}},
		{"nul", "\x00", []byte{0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := roundTrip(t, Any(String()), "t", tt.value)
			if b == nil || !bytes.Equal(b, tt.bytes) {
				t.Fatalf("Serialize(%q) = %#v, want %#v", tt.value, b, tt.bytes)
			}
		})
	}
	if s, err := String().Deserialize("t", nil); s != "" || err != nil {
		t.Fatalf("Deserialize(nil) = %q, %v", s, err)
	}
}

func TestStringCopies(t *testing.T) {
	data := []byte("abc")
	s, _ := String().Deserialize("t", data)
	data[0] = 'x'
	if s != "abc" {
		t.Fatalf("Deserialize kept the input: %q", s)
	}
}

func FuzzString(f *testing.F) {
	for _, s := range []string{"", "abc", "\xff", "zürich"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := String().Deserialize("t", data)
		if err != nil {
			t.Fatal(err)
		}
		b, err := String().Serialize("t", s)
		if err != nil || !bytes.Equal(b, data) || b == nil {
			t.Fatalf("Serialize(Deserialize(%x)) = %x, %v", data, b, err)
		}
	})
}
