package serde

import (
	"reflect"
	"testing"
)

func TestAny(t *testing.T) {
	tests := []struct {
		name  string
		serde Serde[any]
		value any // serialized, then the bytes deserialized
		want  any // what Deserialize returns
		bytes []byte
		err   string
	}{
		{"typed value", Any(Int32()), int32(1), int32(1), []byte{0, 0, 0, 1}, ""},
		{"nil value is null", Any(Int32()), nil, nil, nil, ""},
		{"nil value is null for strings", Any(String()), nil, nil, nil, ""},
		{"typed nil slice", Any(Bytes()), []byte(nil), nil, nil, ""},
		{"wrong type", Any(Int32()), int64(1), nil, nil,
			`serialize for topic "t": got int64, want int32`},
		{"wrong struct type", Any(JSON[payment]()), &paymentVal, nil, nil,
			`serialize for topic "t": got *serde.payment, want serde.payment`},
		{"untyped int for int64", Any(Int64()), 1, nil, nil,
			`serialize for topic "t": got int, want int64`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.serde.Serialize("t", tt.value)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error = %v, want %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(b, tt.bytes) {
				t.Fatalf("Serialize = %#v, want %#v", b, tt.bytes)
			}
			got, err := tt.serde.Deserialize("t", b)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("Deserialize = %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestAnyDeserializeNil(t *testing.T) {
	// The adapter returns an untyped nil for Kafka null, not the typed zero.
	for _, s := range []Serde[any]{Any(Int32()), Any(String()), Any(JSON[payment]()), Any(JSONRow()), JSONAny()} {
		if v, err := s.Deserialize("t", nil); v != nil || err != nil {
			t.Fatalf("%T: Deserialize(nil) = %#v, %v; want nil, nil", s, v, err)
		}
	}
}

func TestAnyDeserializeError(t *testing.T) {
	v, err := Any(Int32()).Deserialize("t", []byte{1})
	if err == nil {
		t.Fatalf("Deserialize(1 byte) = %#v, want an error", v)
	}
}
