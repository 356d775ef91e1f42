package serde

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// payment is the ~100-byte record of the performance model in docs/DESIGN.md.
type payment struct {
	ID       string  `json:"id"`
	Card     string  `json:"card"`
	Amount   float64 `json:"amount"`
	Merchant string  `json:"merchant"`
	Country  string  `json:"country"`
	TS       int64   `json:"ts"`
}

var (
	paymentJSON = []byte(`{"id":"p-000123","card":"4111-1111-1111-1111","amount":123.45,"merchant":"m-42","country":"NL","ts":1700000000000}`)
	paymentVal  = payment{ID: "p-000123", Card: "4111-1111-1111-1111", Amount: 123.45, Merchant: "m-42", Country: "NL", TS: 1700000000000}
)

// upper has a value-receiver json.Marshaler and a pointer-receiver json.Unmarshaler.
type upper string

func (u upper) MarshalJSON() ([]byte, error) { return json.Marshal(strings.ToUpper(string(u))) }

func (u *upper) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*u = upper(strings.ToLower(s))
	return nil
}

func TestJSONRoundTrip(t *testing.T) {
	p := paymentVal
	tests := []struct {
		name  string
		serde Serde[any]
		value any
		bytes string
	}{
		{"struct", Any(JSON[payment]()), paymentVal, string(paymentJSON)},
		{"pointer", Any(JSON[*payment]()), &p, string(paymentJSON)},
		{"nil pointer is null", Any(JSON[*payment]()), (*payment)(nil), ""},
		{"map", Any(JSON[map[string]int]()), map[string]int{"b": 2, "a": 1}, `{"a":1,"b":2}`},
		{"nil map is null", Any(JSON[map[string]int]()), map[string]int(nil), ""},
		{"slice", Any(JSON[[]string]()), []string{"x", "y"}, `["x","y"]`},
		{"empty slice", Any(JSON[[]string]()), []string{}, `[]`},
		{"nil slice is null", Any(JSON[[]string]()), []string(nil), ""},
		{"int", Any(JSON[int]()), 42, `42`},
		{"zero int", Any(JSON[int]()), 0, `0`},
		{"string without HTML escaping", Any(JSON[string]()), "a<b>&c", `"a<b>&c"`},
		{"unicode", Any(JSON[string]()), "zürich €", `"zürich €"`},
		{"marshaler", Any(JSON[upper]()), upper("abc"), `"ABC"`},
		{"raw message", Any(JSON[json.RawMessage]()), json.RawMessage(`{"a":[1,2]}`), `{"a":[1,2]}`},
		{"number field", Any(JSON[struct{ N json.Number }]()), struct{ N json.Number }{"1.50"}, `{"N":1.50}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := roundTrip(t, tt.serde, "payments", tt.value)
			if tt.bytes == "" {
				if b != nil {
					t.Fatalf("Serialize = %q, want nil (Kafka null)", b)
				}
				return
			}
			if string(b) != tt.bytes {
				t.Fatalf("Serialize = %s, want %s", b, tt.bytes)
			}
		})
	}
}

// roundTrip serializes v, checks that deserializing gives v back and returns the bytes.
func roundTrip(t *testing.T, s Serde[any], topic string, v any) []byte {
	t.Helper()
	b, err := s.Serialize(topic, v)
	if err != nil {
		t.Fatalf("Serialize(%#v): %v", v, err)
	}
	got, err := s.Deserialize(topic, b)
	if err != nil {
		t.Fatalf("Deserialize(%q): %v", b, err)
	}
	want := v
	if b == nil {
		want = nil // the untyped adapter returns nil for Kafka null
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip of %#v through %q = %#v", v, b, got)
	}
	return b
}

func TestJSONDeserialize(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want payment
	}{
		{"nil is zero", nil, payment{}},
		{"null is zero", []byte(`null`), payment{}},
		{"fields", paymentJSON, paymentVal},
		{"unknown fields ignored", []byte(`{"id":"x","extra":[1,{"y":2}]}`), payment{ID: "x"}},
		{"case-insensitive names", []byte(`{"ID":"x","Amount":1.5}`), payment{ID: "x", Amount: 1.5}},
		{"surrounding space", []byte(" \n{\"id\":\"x\"}\t\r\n "), payment{ID: "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := JSON[payment]().Deserialize("payments", tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestJSONUnmarshaler(t *testing.T) {
	got, err := JSON[upper]().Deserialize("t", []byte(`"ABC"`))
	if err != nil || got != "abc" {
		t.Fatalf("got %q, %v; want %q (pointer-receiver UnmarshalJSON)", got, err, "abc")
	}
}

func TestJSONErrors(t *testing.T) {
	tests := []struct {
		name string
		err  func() error
		want string
	}{
		{"syntax", func() error {
			_, err := JSON[payment]().Deserialize("payments", []byte(`{"id":x}`))
			return err
		}, `deserialize JSON from topic "payments": invalid character 'x' looking for beginning of value`},
		{"empty", func() error {
			_, err := JSON[payment]().Deserialize("payments", []byte{})
			return err
		}, `deserialize JSON from topic "payments": unexpected end of JSON input`},
		{"trailing data", func() error {
			_, err := JSON[payment]().Deserialize("payments", []byte(`{} {}`))
			return err
		}, `deserialize JSON from topic "payments": invalid character '{' after top-level value`},
		{"wrong type", func() error {
			_, err := JSON[payment]().Deserialize("payments", []byte(`{"amount":"12"}`))
			return err
		}, `deserialize JSON from topic "payments": json: cannot unmarshal string into Go struct field payment.amount of type float64`},
		{"unsupported value", func() error {
			_, err := JSON[float64]().Serialize("payments", math.NaN())
			return err
		}, `serialize JSON for topic "payments": json: unsupported value: NaN`},
		{"unsupported type", func() error {
			_, err := JSON[any]().Serialize("payments", make(chan int))
			return err
		}, `serialize JSON for topic "payments": json: unsupported type: chan int`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.err()
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error = %v, want %s", err, tt.want)
			}
		})
	}
}

func TestJSONErrorsWrap(t *testing.T) {
	_, err := JSON[payment]().Deserialize("payments", []byte(`{"id":x}`))
	var syn *json.SyntaxError
	if !errors.As(err, &syn) || syn.Offset != 7 {
		t.Fatalf("error %v does not wrap a *json.SyntaxError at offset 7", err)
	}
	_, err = JSONRow().Deserialize("payments", []byte(`{"id":x}`))
	if !errors.As(err, &syn) || syn.Offset != 7 {
		t.Fatalf("JSONRow error %v does not wrap a *json.SyntaxError at offset 7", err)
	}
}

func TestJSONNoTrailingNewline(t *testing.T) {
	for _, v := range []any{paymentVal, 1, "s", []int{1}, Row{"a": 1}} {
		b, err := JSONAny().Serialize("t", v)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) == 0 || bytes.ContainsAny(b, "\n") {
			t.Fatalf("Serialize(%v) = %q: want no newline", v, b)
		}
	}
}

// TestJSONPooledBuffers checks that pooled encode buffers are never shared: every result
// stays intact while other goroutines keep encoding, including after failed encodes and
// records larger than the pooled buffer limit.
func TestJSONPooledBuffers(t *testing.T) {
	s := JSON[any]()
	big := strings.Repeat("x", maxPooledEncoder+1)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for g := range 4 {
		wg.Go(func() {
			var kept [][]byte
			var want []string
			for i := range 200 {
				var v any = []int{g, i}
				switch i % 50 {
				case 7:
					v = math.Inf(1) // fails half way through the buffer's use
				case 13:
					v = big
				}
				b, err := s.Serialize("t", v)
				if err != nil {
					continue
				}
				w, _ := json.Marshal(v)
				kept, want = append(kept, b), append(want, string(w))
			}
			for i := range kept {
				if string(kept[i]) != want[i] {
					errs <- errors.New("result changed after Serialize returned: " + string(kept[i][:min(40, len(kept[i]))]))
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func FuzzJSON(f *testing.F) {
	for _, s := range []string{
		string(paymentJSON), `{}`, `null`, `[]`, `{"id":1}`, `{"amount":1e400}`, `{"ts":1.5}`,
		`{"id":"\ud800"}`, `{"id":"` + "\xff" + `"}`, `{"id":"x"}}`, `{`, ``, ` `,
	} {
		f.Add([]byte(s))
	}
	s := JSON[payment]()
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := s.Deserialize("t", data)
		if err != nil {
			return
		}
		b, err := s.Serialize("t", v)
		if err != nil {
			t.Fatalf("Serialize(%+v): %v", v, err)
		}
		v2, err := s.Deserialize("t", b)
		if err != nil || v2 != v {
			t.Fatalf("re-decoding %s = %+v, %v; want %+v", b, v2, err, v)
		}
	})
}

// BenchmarkJSONDecode decodes the ~100-byte payment record; the encoding/json sub-benchmark
// is json.Unmarshal alone, the floor the serde is measured against.
func BenchmarkJSONDecode(b *testing.B) {
	b.Run("serde", func(b *testing.B) {
		s := JSON[payment]()
		b.ReportAllocs()
		b.SetBytes(int64(len(paymentJSON)))
		for b.Loop() {
			p, err := s.Deserialize("payments", paymentJSON)
			if err != nil {
				b.Fatal(err)
			}
			paymentSink = p
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(paymentJSON)))
		for b.Loop() {
			var p payment
			if err := json.Unmarshal(paymentJSON, &p); err != nil {
				b.Fatal(err)
			}
			paymentSink = p
		}
	})
}

// BenchmarkJSONEncode encodes the ~100-byte payment record; the encoding/json sub-benchmark
// is json.Marshal alone.
func BenchmarkJSONEncode(b *testing.B) {
	b.Run("serde", func(b *testing.B) {
		s := JSON[payment]()
		b.ReportAllocs()
		b.SetBytes(int64(len(paymentJSON)))
		for b.Loop() {
			out, err := s.Serialize("payments", paymentVal)
			if err != nil {
				b.Fatal(err)
			}
			bytesSink = out
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(paymentJSON)))
		for b.Loop() {
			out, err := json.Marshal(paymentVal)
			if err != nil {
				b.Fatal(err)
			}
			bytesSink = out
		}
	})
}

var (
	paymentSink payment
	bytesSink   []byte
)

// BenchmarkJSONEncodeParallel shows the encode buffer pool under contention.
func BenchmarkJSONEncodeParallel(b *testing.B) {
	s := JSON[payment]()
	b.ReportAllocs()
	b.SetBytes(int64(len(paymentJSON)))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.Serialize("payments", paymentVal); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
