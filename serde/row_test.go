package serde

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

func TestJSONRowRoundTrip(t *testing.T) {
	tests := []struct {
		name  string
		row   Row
		bytes string
	}{
		{"nil is null", nil, ""},
		{"empty", Row{}, `{}`},
		{"exact decimal", Row{"amount": json.Number("1.50")}, `{"amount":1.50}`},
		{"big integer", Row{"id": json.Number("123456789012345678901234567890")}, `{"id":123456789012345678901234567890}`},
		{"exponent", Row{"x": json.Number("-1.5E-7")}, `{"x":-1.5E-7}`},
		{"scalars", Row{"s": "a<b", "t": true, "f": false, "n": nil}, `{"f":false,"n":null,"s":"a<b","t":true}`},
		{"nested", Row{"o": map[string]any{"a": []any{json.Number("1"), "x", nil}}}, `{"o":{"a":[1,"x",null]}}`},
		{"escapes", Row{"q\"\\\n": "\u2028\t"}, `{"q\"\\\n":"\u2028\t"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := roundTrip(t, Any(JSONRow()), "rows", tt.row)
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

func TestJSONRowDeserialize(t *testing.T) {
	tests := []struct {
		name string
		data string
		want Row
	}{
		{"keeps number text", `{"amount":1.50,"n":7,"e":1e3,"neg":-0.0}`,
			Row{"amount": json.Number("1.50"), "n": json.Number("7"), "e": json.Number("1e3"), "neg": json.Number("-0.0")}},
		{"nested numbers", `{"a":[1.0,{"b":2.50}]}`,
			Row{"a": []any{json.Number("1.0"), map[string]any{"b": json.Number("2.50")}}}},
		{"null text is nil", `null`, nil},
		{"duplicate key: last wins", `{"a":1,"a":2}`, Row{"a": json.Number("2")}},
		{"surrounding space", " {\"a\":\"x\"} \n", Row{"a": "x"}},
		{"invalid UTF-8 replaced", "{\"a\":\"\xff\"}", Row{"a": "\ufffd"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := JSONRow().Deserialize("rows", []byte(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %#v, want %#v", got, tt.want)
			}
		})
	}
	if r, err := JSONRow().Deserialize("rows", nil); r != nil || err != nil {
		t.Fatalf("Deserialize(nil) = %#v, %v; want nil, nil", r, err)
	}
}

func TestJSONRowErrors(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"empty", ``, `deserialize JSON from topic "rows": unexpected end of JSON input`},
		{"only space", ` `, `deserialize JSON from topic "rows": unexpected end of JSON input`},
		{"truncated", `{"a":`, `deserialize JSON from topic "rows": unexpected end of JSON input`},
		{"syntax", `{"a":x}`, `deserialize JSON from topic "rows": invalid character 'x' looking for beginning of value`},
		{"trailing value", `{"a":1}{}`, `deserialize JSON from topic "rows": invalid character '{' after top-level value`},
		{"trailing garbage", `{"a":1} x`, `deserialize JSON from topic "rows": invalid character 'x' after top-level value`},
		{"not an object", `[1]`, `deserialize JSON from topic "rows": json: cannot unmarshal array into Go value of type serde.Row`},
		{"scalar", `1.5`, `deserialize JSON from topic "rows": json: cannot unmarshal number into Go value of type serde.Row`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := JSONRow().Deserialize("rows", []byte(tt.data))
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error = %v, want %s", err, tt.want)
			}
		})
	}
	_, err := JSONRow().Serialize("rows", Row{"a": json.Number("1.2.3")})
	if want := `serialize JSON for topic "rows": json: invalid number literal "1.2.3"`; err == nil || err.Error() != want {
		t.Fatalf("Serialize of a bad json.Number: error = %v, want %s", err, want)
	}
}

func TestJSONAny(t *testing.T) {
	tests := []struct {
		name  string
		value any
		bytes string
	}{
		{"nil is null", nil, ""},
		{"nil map is null", map[string]any(nil), ""},
		{"nil pointer is null", (*payment)(nil), ""},
		{"number keeps text", json.Number("1.50"), `1.50`},
		{"string", "a&b", `"a&b"`},
		{"bool", true, `true`},
		{"array", []any{json.Number("1"), "x", nil}, `[1,"x",null]`},
		{"object", map[string]any{"a": json.Number("2.0")}, `{"a":2.0}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := roundTrip(t, JSONAny(), "any", tt.value)
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
	if v, err := JSONAny().Deserialize("any", []byte(`null`)); v != nil || err != nil {
		t.Fatalf("Deserialize(null) = %#v, %v; want nil, nil", v, err)
	}
	if _, err := JSONAny().Deserialize("any", []byte(`1 2`)); err == nil ||
		err.Error() != `deserialize JSON from topic "any": invalid character '2' after top-level value` {
		t.Fatalf("Deserialize(1 2): error = %v", err)
	}
	if s := Any(JSONAny()); s != JSONAny() {
		t.Fatalf("Any(JSONAny()) = %T, want JSONAny itself", s)
	}
}

// fuzzJSONValue checks that no input panics s and that whatever decodes re-encodes to JSON
// that decodes to the same value and encodes to the same bytes.
func fuzzJSONValue[T any](f *testing.F, s Serde[T]) {
	for _, seed := range []string{
		`{"id":"p-1","amount":1.50,"tags":["a",null,true],"o":{"n":-0.0e+5}}`, `{}`, `null`, `[]`,
		`1`, `-0`, `1e400`, `"\ud83d\ude00"`, `"\ud800"`, "\"\xff\"", `{"a":1,"a":2}`, `{"a":1}}`,
		`{"a":`, ``, ` `, `[[[[[[[[[[1]]]]]]]]]]`, `01`, `1.`, `{"":""}`, "{\"\u2028\":\"<&>\"}",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := s.Deserialize("t", data)
		if err != nil {
			return
		}
		b, err := s.Serialize("t", v)
		if err != nil {
			t.Fatalf("Serialize(%#v): %v", v, err)
		}
		v2, err := s.Deserialize("t", b)
		if err != nil {
			t.Fatalf("Deserialize(%q) of re-encoded %q: %v", b, data, err)
		}
		if !reflect.DeepEqual(v, v2) {
			t.Fatalf("re-decoding %q = %#v, want %#v", b, v2, v)
		}
		b2, err := s.Serialize("t", v2)
		if err != nil || !bytes.Equal(b, b2) {
			t.Fatalf("re-encoding = %q, %v; want %q", b2, err, b)
		}
	})
}

func FuzzJSONRow(f *testing.F) { fuzzJSONValue(f, JSONRow()) }

func FuzzJSONAny(f *testing.F) { fuzzJSONValue(f, JSONAny()) }

var rowSink Row

func BenchmarkJSONRowDecode(b *testing.B) {
	s := JSONRow()
	b.ReportAllocs()
	b.SetBytes(int64(len(paymentJSON)))
	for b.Loop() {
		r, err := s.Deserialize("payments", paymentJSON)
		if err != nil {
			b.Fatal(err)
		}
		rowSink = r
	}
}

func BenchmarkJSONRowEncode(b *testing.B) {
	s := JSONRow()
	r, err := s.Deserialize("payments", paymentJSON)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(paymentJSON)))
	for b.Loop() {
		if _, err := s.Serialize("payments", r); err != nil {
			b.Fatal(err)
		}
	}
}
