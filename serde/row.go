package serde

import "fmt"

// Row is a record decoded without a schema: column name to value. Values are what JSONRow
// decodes: nil, bool, string, json.Number (the number's exact text), []any and
// map[string]any (nested objects are plain maps, not Rows). Encoding also accepts any value
// encoding/json can encode.
type Row map[string]any

// JSONRow returns a serde for JSON objects as Rows. Numbers decode as json.Number, so 1.50
// stays "1.50" and large integers keep every digit; they encode back as the same text. A nil
// Row serializes to nil bytes (Kafka null); nil bytes and the JSON text null deserialize to a
// nil Row. A JSON value other than an object is an error. Object keys are written sorted, and
// strings without HTML escaping.
//
// It costs more than JSON with a struct: a map entry and an interface value per column.
// The serde is safe for concurrent use.
func JSONRow() Serde[Row] { return rowSerde{} }

type rowSerde struct{}

var _ Serde[Row] = rowSerde{}

func (rowSerde) Serialize(topic string, v Row) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	b, err := marshalJSON(v)
	if err != nil {
		return nil, fmt.Errorf("serialize JSON for topic %q: %w", topic, err)
	}
	return b, nil
}

func (rowSerde) Deserialize(topic string, data []byte) (Row, error) {
	if data == nil {
		return nil, nil
	}
	var r Row
	if err := unmarshalNumbers(data, &r); err != nil {
		return nil, fmt.Errorf("deserialize JSON from topic %q: %w", topic, err)
	}
	return r, nil
}

// JSONAny returns a serde for any JSON value: it decodes to nil, bool, string, json.Number,
// []any or map[string]any, keeping numbers' exact text as JSONRow does, and encodes any value
// encoding/json can encode (strings without HTML escaping). A nil value, or a nil pointer,
// map or slice, serializes to nil bytes (Kafka null); nil bytes and the JSON text null
// deserialize to nil. The serde is safe for concurrent use.
func JSONAny() Serde[any] { return anyJSONSerde{} }

type anyJSONSerde struct{}

var _ Serde[any] = anyJSONSerde{}

func (anyJSONSerde) Serialize(topic string, v any) ([]byte, error) {
	if isNil(v) {
		return nil, nil
	}
	b, err := marshalJSON(v)
	if err != nil {
		return nil, fmt.Errorf("serialize JSON for topic %q: %w", topic, err)
	}
	return b, nil
}

func (anyJSONSerde) Deserialize(topic string, data []byte) (any, error) {
	if data == nil {
		return nil, nil
	}
	var v any
	if err := unmarshalNumbers(data, &v); err != nil {
		return nil, fmt.Errorf("deserialize JSON from topic %q: %w", topic, err)
	}
	return v, nil
}
