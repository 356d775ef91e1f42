package serde

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sync"
)

// JSON returns a serde that encodes values of type T with encoding/json: struct tags, field
// matching and the json.Marshaler and json.Unmarshaler hooks behave as they do there, except
// that <, > and & in strings are written as they are (as Kafka's Jackson-based JSON
// serializers do) rather than escaped as \u003c, \u003e and \u0026. Serialize output has no
// trailing newline.
//
// If T is a pointer, map, slice or interface type, a nil value serializes to nil bytes
// (Kafka null), so Serialize and Deserialize round-trip the zero T; the JSON text null also
// deserializes to the zero T.
//
// Deserialize decodes as json.Unmarshal does: numbers inside interface-typed fields become
// float64, unknown fields are ignored and bytes after the value are an error. Use json.Number
// fields, JSONRow or JSONAny to keep the exact text of numbers.
//
// Type information is cached by encoding/json after the first use of T, and encode buffers
// come from a pool, so the cost per record is encoding/json's own. The serde is safe for
// concurrent use.
func JSON[T any]() Serde[T] {
	switch reflect.TypeFor[T]().Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
		return jsonSerde[T]{nilable: true}
	}
	return jsonSerde[T]{}
}

type jsonSerde[T any] struct {
	nilable bool // T has a nil value, which serializes to Kafka null
}

var _ Serde[int] = jsonSerde[int]{}

func (s jsonSerde[T]) Serialize(topic string, v T) ([]byte, error) {
	x := any(v) // boxed once, for the nil check and for the encoder
	if s.nilable && isNil(x) {
		return nil, nil
	}
	b, err := marshalJSON(x)
	if err != nil {
		return nil, fmt.Errorf("serialize JSON for topic %q: %w", topic, err)
	}
	return b, nil
}

func (s jsonSerde[T]) Deserialize(topic string, data []byte) (T, error) {
	var v T
	if data == nil {
		return v, nil
	}
	if err := json.Unmarshal(data, &v); err != nil {
		var zero T
		return zero, fmt.Errorf("deserialize JSON from topic %q: %w", topic, err)
	}
	return v, nil
}

// isNil reports whether x is nil or holds a nil pointer, map or slice.
func isNil(x any) bool {
	if x == nil {
		return true
	}
	switch rv := reflect.ValueOf(x); rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice:
		return rv.IsNil()
	}
	return false
}

// jsonEncoder is a reusable encode buffer with an encoder writing into it.
type jsonEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

// maxPooledEncoder is the largest buffer returned to the pool, so that one huge record does
// not pin its buffer for the life of the process.
const maxPooledEncoder = 64 << 10

var jsonEncoders = sync.Pool{New: func() any {
	e := new(jsonEncoder)
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	return e
}}

// marshalJSON encodes v into a new slice without HTML escaping and without the newline that
// json.Encoder appends.
func marshalJSON(v any) ([]byte, error) {
	e := jsonEncoders.Get().(*jsonEncoder)
	defer func() {
		if e.buf.Cap() <= maxPooledEncoder {
			e.buf.Reset() // also drops what a failed Encode left behind
			jsonEncoders.Put(e)
		}
	}()
	if err := e.enc.Encode(v); err != nil {
		return nil, err
	}
	b := e.buf.Bytes()
	out := make([]byte, len(b)-1)
	copy(out, b) // b ends with the newline Encode appends
	return out, nil
}

// readers holds the readers json.Decoder reads records from.
var readers = sync.Pool{New: func() any { return new(bytes.Reader) }}

// unmarshalNumbers decodes data into v as json.Unmarshal does, but with numbers kept as
// json.Number, and with json.Unmarshal's errors for empty input and trailing bytes (a bare
// json.Decoder reports io.EOF for the former and accepts the latter).
func unmarshalNumbers(data []byte, v any) error {
	r := readers.Get().(*bytes.Reader)
	r.Reset(data)
	dec := json.NewDecoder(r)
	dec.UseNumber()
	err := dec.Decode(v)
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		err = syntaxError(data)
	case err == nil && !isSpace(data[dec.InputOffset():]):
		err = syntaxError(data)
	}
	r.Reset(nil)
	readers.Put(r)
	return err
}

// syntaxError returns the error json.Unmarshal reports for data, which is not valid JSON.
func syntaxError(data []byte) error {
	var raw json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	return errors.New("invalid JSON") // unreachable: the decoder rejected data
}

// isSpace reports whether b holds only JSON whitespace.
func isSpace(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}
