package format

import (
	"sync/atomic"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// jsonCodec is the JSON format. A wrapped codec writes an object with one member per
// column (named as declared); an unwrapped one (a single key column, or a single value
// column with WRAP_SINGLE_VALUE false) writes the column's bare value.
type jsonCodec struct {
	cols    []types.Column
	fields  []types.Field // the columns as struct fields, for decoding
	wrapped bool
	rowType *types.Type // STRUCT of the columns, for messages
	names   [][]byte    // `"NAME":` per column, pre-encoded
	hint    atomic.Int64
	// use and member are set on pruned codecs (see Prune): what Decode does with each
	// column, and how it reads each member of the object.
	use    []fieldUse
	member func(name string) memberMode
}

var _ Codec = (*jsonCodec)(nil)

func newJSONCodec(cols []types.Column, wrapped bool) *jsonCodec {
	c := &jsonCodec{cols: cols, wrapped: wrapped, fields: make([]types.Field, len(cols)), names: make([][]byte, len(cols))}
	for i, col := range cols {
		c.fields[i] = types.Field{Name: col.Name, Type: col.Type}
		c.names[i] = append(appendJSONString(nil, col.Name), ':')
	}
	c.rowType = types.StructOf(c.fields...)
	return c
}

func (c *jsonCodec) Encode(row []any) ([]byte, error) {
	if row == nil {
		return nil, nil
	}
	if err := checkRow(row, len(c.cols)); err != nil {
		return nil, err
	}
	if !c.wrapped && row[0] == nil {
		return nil, nil // Jackson-based serializers write null as Kafka null
	}
	dst := make([]byte, 0, max(c.hint.Load(), 16))
	var err error
	if !c.wrapped {
		if dst, err = appendJSONValue(dst, row[0], c.cols[0].Type); err != nil {
			return nil, err
		}
	} else {
		dst = append(dst, '{')
		for i, v := range row {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, c.names[i]...)
			if dst, err = appendJSONValue(dst, v, c.cols[i].Type); err != nil {
				return nil, err
			}
		}
		dst = append(dst, '}')
	}
	if n := int64(len(dst)); n > c.hint.Load() && n <= maxHint {
		c.hint.Store(n)
	}
	return dst, nil
}

func (c *jsonCodec) Decode(b []byte) ([]any, error) {
	if b == nil {
		return nil, nil
	}
	var row []any
	err := parseJSON(b, c.member, func(n *jnode, empty bool) error {
		if empty {
			return nil
		}
		var err error
		switch {
		case !c.wrapped:
			var v any
			if v, err = coerceJSON(n, c.cols[0].Type); err == nil {
				row = []any{v}
			}
		case n.kind == jObject:
			row, err = coerceFields(n, c.fields, c.use)
		case n.kind != jNull:
			err = invalidConversion(n, c.rowType)
		}
		return err
	})
	if err != nil {
		return nil, rootError(err)
	}
	return row, nil
}
