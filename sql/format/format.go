package format

import (
	"fmt"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// Format names, as written in KEY_FORMAT, VALUE_FORMAT and FORMAT (case-insensitive).
const (
	JSON      = "JSON"
	Delimited = "DELIMITED"
	Kafka     = "KAFKA"
	None      = "NONE"
)

// Codec encodes rows to bytes and decodes them back, for one format and one list of
// columns. A row has one value per column, in column order. Codecs are immutable and safe
// for concurrent use.
type Codec interface {
	// Encode returns the bytes of row; a nil row encodes to nil bytes. A value of the
	// wrong Go type for its column is an error.
	Encode(row []any) ([]byte, error)
	// Decode returns the row held by b; nil bytes decode to a nil row. Malformed input is
	// an error, never a panic.
	Decode(b []byte) ([]any, error)
}

// Options says how a format applies to a list of columns.
type Options struct {
	// Key says the columns are the key columns of a source (the default: value columns).
	// It changes the default wrapping, the messages (" KEY" after column types,
	// KEY_DELIMITER) and forbids MAP anywhere in a column type, as ksqlDB does.
	Key bool
	// WrapSingle says whether a single column is written as an object holding it (true)
	// or as its bare value (false); nil means the format's default: JSON values are
	// wrapped, JSON keys are not. Only JSON wraps: setting it to true for another format is
	// an error, and setting it at all for a value with other than one column too (as
	// ksqlDB's WRAP_SINGLE_VALUE). For keys it is only honoured by JSON. Pass the session
	// default ksql.persistence.wrap.single.values only for single-column values: ksqlDB
	// ignores it for the others, while an explicit WRAP_SINGLE_VALUE is an error there.
	WrapSingle *bool
	// Delimiter is the DELIMITED field separator: a single character or the special
	// values TAB and SPACE; "" means ",". Any other format rejects a delimiter. Note that
	// "" cannot express an explicitly empty KEY_DELIMITER/VALUE_DELIMITER: check such a
	// property with ParseDelimiter.
	Delimiter string
}

// Normalize returns the canonical (upper-case) name of a format, or an error for a name
// that is not JSON, DELIMITED, KAFKA or NONE.
func Normalize(name string) (string, error) {
	switch n := strings.ToUpper(name); n {
	case JSON, Delimited, Kafka, None:
		return n, nil
	}
	return "", fmt.Errorf("Unknown format: %s", name)
}

// New returns the codec of the named format (JSON, DELIMITED, KAFKA or NONE, any case) for
// cols, after validating them as ksqlDB does. The errors carry ksqlDB's messages: a
// *SchemaError when the format cannot hold the columns ("The 'KAFKA' format does not
// support type 'STRUCT'"), plain errors for the map-key rule, WRAP_SINGLE_VALUE and the
// delimiter. cols is not modified and may be shared.
func New(name string, cols []types.Column, opts Options) (Codec, error) {
	f, err := Normalize(name)
	if err != nil {
		return nil, err
	}
	for _, c := range cols {
		if c.Type == nil {
			return nil, fmt.Errorf("column `%s` has no type", c.Name)
		}
	}
	if opts.Key {
		for _, c := range cols {
			if types.ContainsMap(c.Type) {
				return nil, fmt.Errorf("Map keys, including types that contain maps, are not supported as they "+
					"may lead to unexpected behavior due to inconsistent serialization. Key column name: `%s`. "+
					"Column type: %s. See https://github.com/confluentinc/ksql/issues/6621 for more.",
					c.Name, c.Type)
			}
		}
	}
	delim := ','
	if opts.Delimiter != "" {
		if f != Delimited {
			return nil, fmt.Errorf("%s does not support the following configs: [delimiter]", f)
		}
		prop := "VALUE_DELIMITER"
		if opts.Key {
			prop = "KEY_DELIMITER"
		}
		if delim, err = ParseDelimiter(prop, opts.Delimiter); err != nil {
			return nil, err
		}
	}
	if !opts.Key && opts.WrapSingle != nil {
		if len(cols) != 1 {
			return nil, fmt.Errorf("'WRAP_SINGLE_VALUE' is only valid for single-field value schemas")
		}
		if *opts.WrapSingle && f != JSON {
			return nil, fmt.Errorf("Format '%s' does not support 'WRAP_SINGLE_VALUE' set to 'true'.", f)
		}
	}
	if reason := schemaReason(f, cols, opts.Key); reason != "" {
		return nil, &SchemaError{Format: f, Key: opts.Key, Columns: cols, Features: features(f, cols, opts), Reason: reason}
	}
	if len(cols) == 0 && (opts.Key || f != JSON) {
		return voidCodec{}, nil
	}
	switch f {
	case Kafka:
		return kafkaCodec{t: cols[0].Type}, nil
	case Delimited:
		return newDelimited(cols, delim), nil
	}
	wrapped := len(cols) != 1 || !opts.Key
	if opts.WrapSingle != nil && len(cols) == 1 {
		wrapped = *opts.WrapSingle
	}
	return newJSONCodec(cols, wrapped), nil
}

// features returns the serde features ksqlDB shows in "Persistence{...}" of a schema error.
func features(f string, cols []types.Column, opts Options) []string {
	switch {
	case opts.Key && f == JSON && len(cols) == 1:
		return []string{"UNWRAP_SINGLES"}
	case !opts.Key && opts.WrapSingle != nil && *opts.WrapSingle:
		return []string{"WRAP_SINGLES"}
	case !opts.Key && opts.WrapSingle != nil:
		return []string{"UNWRAP_SINGLES"}
	}
	return nil
}

// voidCodec is the codec of no columns: KAFKA, DELIMITED and JSON keys of keyless
// sources, and the NONE format.
type voidCodec struct{}

var _ Codec = voidCodec{}

func (voidCodec) Encode(row []any) ([]byte, error) {
	if len(row) != 0 {
		return nil, fmt.Errorf("serialize: expected no columns, got %d", len(row))
	}
	return nil, nil
}

func (voidCodec) Decode([]byte) ([]any, error) { return []any{}, nil }

// maxHint caps the initial capacity of encode buffers, which codecs learn from the sizes
// of the records they wrote.
const maxHint = 1024

// checkRow checks the number of values of a row to encode.
func checkRow(row []any, n int) error {
	if len(row) != n {
		return fmt.Errorf("serialize: expected %d columns, got %d", n, len(row))
	}
	return nil
}
