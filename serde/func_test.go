package serde

import (
	"errors"
	"fmt"
	"strconv"
	"testing"
)

// decimalInt is a serde for ints written as decimal text.
var decimalInt = Func(
	func(topic string, v int) ([]byte, error) { return strconv.AppendInt(nil, int64(v), 10), nil },
	func(topic string, data []byte) (int, error) {
		n, err := strconv.Atoi(string(data))
		if err != nil {
			return 0, fmt.Errorf("deserialize decimal from topic %q: %w", topic, err)
		}
		return n, nil
	},
)

func TestFunc(t *testing.T) {
	for _, v := range []int{0, 1, -42} {
		roundTrip(t, Any(decimalInt), "t", v)
	}
	if v, err := decimalInt.Deserialize("t", nil); v != 0 || err != nil {
		t.Fatalf("Deserialize(nil) = %v, %v; want 0, nil without calling de", v, err)
	}
	_, err := decimalInt.Deserialize("t", []byte("x"))
	if !errors.Is(err, strconv.ErrSyntax) {
		t.Fatalf("Deserialize(x): error %v is not the function's", err)
	}
}

func TestFuncOneWay(t *testing.T) {
	deOnly := Func(nil, func(string, []byte) (string, error) { return "ok", nil })
	if _, err := deOnly.Serialize("t", "x"); err == nil ||
		err.Error() != `serialize for topic "t": serde has no serialize function` {
		t.Fatalf("Serialize without ser: error = %v", err)
	}
	if v, err := deOnly.Deserialize("t", []byte{}); v != "ok" || err != nil {
		t.Fatalf("Deserialize = %q, %v", v, err)
	}
	serOnly := Func(func(string, string) ([]byte, error) { return []byte("x"), nil }, nil)
	if _, err := serOnly.Deserialize("t", []byte("x")); err == nil ||
		err.Error() != `deserialize from topic "t": serde has no deserialize function` {
		t.Fatalf("Deserialize without de: error = %v", err)
	}
	if v, err := serOnly.Deserialize("t", nil); v != "" || err != nil {
		t.Fatalf("Deserialize(nil) without de = %q, %v; want \"\", nil", v, err)
	}
}
