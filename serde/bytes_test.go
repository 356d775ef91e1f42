package serde

import (
	"bytes"
	"testing"
)

func TestBytes(t *testing.T) {
	tests := []struct {
		name  string
		value []byte
	}{
		{"nil is null", nil},
		{"empty is not null", []byte{}},
		{"data", []byte{0, 1, 0xff}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, f := range []func(string, []byte) ([]byte, error){Bytes().Serialize, Bytes().Deserialize} {
				got, err := f("t", tt.value)
				if err != nil {
					t.Fatal(err)
				}
				if (got == nil) != (tt.value == nil) || !bytes.Equal(got, tt.value) {
					t.Fatalf("got %#v, want %#v", got, tt.value)
				}
				if len(got) > 0 && &got[0] == &tt.value[0] {
					t.Fatal("result shares memory with the argument")
				}
			}
		})
	}
}

func FuzzBytes(f *testing.F) {
	f.Add([]byte(nil))
	f.Add([]byte{})
	f.Add([]byte{1, 2})
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Bytes().Deserialize("t", data)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("Deserialize(%x) = %x, %v", data, got, err)
		}
	})
}
