// Package format implements ksqlDB's serialization formats for the keys and values of
// rows: JSON, DELIMITED (CSV), KAFKA (Kafka's primitive serializers) and NONE, plus the
// Kafka Streams layouts of windowed keys.
//
// New validates a format against the key or value columns of a source, with ksqlDB's
// error messages (which the QTT suites compare), and returns a Codec that turns a row (a
// []any of sql/types values, in column order) into the bytes ksqlDB writes and back:
//
//	c, err := format.New("JSON", valueCols, format.Options{})
//	b, err := c.Encode(row)   // {"ID":1,"NAME":"a"}
//	row, err = c.Decode(b)
//
// Null: nil bytes (a tombstone or a null key) decode to a nil row, and a nil row encodes
// to nil bytes. A codec for no columns (the key of a keyless stream, the NONE format)
// encodes to nil and decodes any bytes to an empty row.
//
// Decoding follows ksqlDB's deserializers, coercions included (JSON numbers into columns
// of another numeric type, textual numbers, any JSON into a STRING column, ...), so
// records written by ksqlDB or by hand for it read the same. Bad input is an error, never
// a panic; the engine logs and skips the record, as ksqlDB does. Encoding writes what
// ksqlDB writes: DOUBLE as Java's Double.toString, DECIMAL with exactly the column's scale.
//
// Codecs are immutable and safe for concurrent use.
//
// Imports: the standard library and sql/types only.
package format
