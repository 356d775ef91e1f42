// Package serde turns keys and values into bytes and back: JSON (typed values through
// generics, and generic rows), strings, Kafka's primitive formats (int, bigint, double,
// big-endian as Kafka's serializers write them) and raw bytes.
//
// Every format implements Serde[T]. The runtime works with untyped values (Serde[any]);
// Any adapts a typed serde to it. serde imports only the standard library: it sits below
// runtime and dsl and may be used by every package above it.
//
// Null: nil bytes are Kafka's null. Every Deserialize returns the zero value for them, and
// the serdes of types with a nil value (pointers, maps, slices, interfaces, Row, []byte)
// serialize nil to nil bytes, so null round-trips; an empty string or slice is not null.
// Fixed-size formats reject any other length, an empty slice included, with Kafka's message
// ("size of data received by IntegerDeserializer is not 4").
//
// Errors say the direction, the format and the topic: `deserialize JSON from topic
// "payments": invalid character ...`, and wrap the underlying error.
//
// Cost: the primitive, string and bytes serdes do one allocation per call. JSON is
// encoding/json with pooled encode buffers; decoding dominates stateless pipelines, so prefer
// JSON with a struct holding only the columns a query uses over JSONRow, which pays a map
// entry and an interface value per column. Every serde is safe for concurrent use.
package serde
