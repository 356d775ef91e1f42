package format

import (
	"encoding/base64"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// delimitedCodec is the DELIMITED format: one CSV record (no line break at its end) with
// one field per column. A null value is an empty field, and an empty field reads as
// NULL. Field texts: BOOLEAN true/false, integers in decimal, DOUBLE as Java's
// Double.toString, DECIMAL in plain notation with the column's scale, BYTES base64, DATE
// as days, TIME as ms of the day and TIMESTAMP as epoch ms.
type delimitedCodec struct {
	cols  []types.Column
	delim string
	hint  atomic.Int64
}

var _ Codec = (*delimitedCodec)(nil)

func newDelimited(cols []types.Column, delim rune) *delimitedCodec {
	return &delimitedCodec{cols: cols, delim: string(delim)}
}

func (c *delimitedCodec) Encode(row []any) ([]byte, error) {
	if row == nil {
		return nil, nil
	}
	if err := checkRow(row, len(c.cols)); err != nil {
		return nil, err
	}
	dst := make([]byte, 0, max(c.hint.Load(), 16))
	var scratch []byte
	for i, v := range row {
		if i > 0 {
			dst = append(dst, c.delim...)
		}
		if v == nil {
			continue
		}
		if s, ok := v.(string); ok && c.cols[i].Type.Kind == types.KString {
			dst = appendCSVField(dst, s, i == 0, c.delim)
			continue
		}
		var err error
		if scratch, err = appendDelimitedText(scratch[:0], v, c.cols[i].Type); err != nil {
			return nil, err
		}
		dst = appendCSVField(dst, scratch, i == 0, c.delim)
	}
	if n := int64(len(dst)); n > c.hint.Load() && n <= maxHint {
		c.hint.Store(n)
	}
	return dst, nil
}

// appendDelimitedText appends the text of a non-null value of type t.
func appendDelimitedText(dst []byte, v any, t *types.Type) ([]byte, error) {
	switch t.Kind {
	case types.KDouble:
		if f, ok := asFloat(v); ok {
			return append(dst, types.FormatDouble(f)...), nil
		}
	case types.KString:
		if s, ok := v.(string); ok {
			return append(dst, s...), nil
		}
	case types.KBytes:
		if b, ok := v.([]byte); ok {
			return base64.StdEncoding.AppendEncode(dst, b), nil
		}
	default:
		if out, ok := appendPlainText(dst, v, t); ok {
			return out, nil
		}
	}
	return nil, encodeTypeError(v, t)
}

func (c *delimitedCodec) Decode(b []byte) ([]any, error) {
	if b == nil {
		return nil, nil
	}
	fields, err := csvRecord(utf8String(b), c.delim)
	if err != nil {
		return nil, fmt.Errorf("Error deserializing delimited: %w", err)
	}
	if len(fields) != len(c.cols) {
		return nil, fmt.Errorf("Error deserializing delimited: Unexpected field count, csvFields:%d schemaFields:%d",
			len(fields), len(c.cols))
	}
	row := make([]any, len(fields))
	for i, f := range fields {
		if f == "" {
			continue
		}
		if row[i], err = parseDelimitedField(f, c.cols[i].Type); err != nil {
			return nil, fmt.Errorf("Error deserializing delimited: column `%s`: %w", c.cols[i].Name, err)
		}
	}
	return row, nil
}

// parseDelimitedField parses a non-empty field as ksqlDB's delimited deserializer:
// Boolean.parseBoolean, Integer.parseInt, Long.parseLong, Double.parseDouble, new
// BigDecimal fitted to the column, base64 for BYTES, Long.parseLong for DATE (days), TIME
// and TIMESTAMP (ms).
func parseDelimitedField(f string, t *types.Type) (any, error) {
	switch t.Kind {
	case types.KBoolean:
		return parseJavaBoolean(f), nil
	case types.KInt:
		if n, ok := parseJavaInt(f, 32); ok {
			return int32(n), nil
		}
	case types.KBigint:
		if n, ok := parseJavaInt(f, 64); ok {
			return n, nil
		}
	case types.KDouble:
		if x, ok := parseJavaDouble(f); ok {
			return x, nil
		}
	case types.KDecimal:
		if d, ok := parseJavaDecimal(f); ok {
			return fitDecimal(d, t.Precision, t.Scale)
		}
	case types.KString:
		return f, nil
	case types.KBytes:
		b, err := base64.StdEncoding.DecodeString(f)
		if err != nil && !strings.Contains(f, "=") {
			b, err = base64.RawStdEncoding.DecodeString(f) // Java's decoder does not require padding
		}
		if err != nil {
			return nil, fmt.Errorf("Illegal base64 value %q", f)
		}
		return b, nil
	case types.KDate, types.KTime, types.KTimestamp:
		if n, ok := parseJavaInt(f, 64); ok {
			switch t.Kind {
			case types.KDate:
				return types.Date(int32(n)), nil
			case types.KTime:
				return types.Time(int32(n)), nil
			}
			return types.Timestamp(n), nil
		}
	default:
		return nil, fmt.Errorf("The 'DELIMITED' format does not support type '%s'", t.Kind)
	}
	return nil, fmt.Errorf("For input string: %q (%s)", f, t)
}
