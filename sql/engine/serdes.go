package engine

import (
	"fmt"

	"github.com/ksqlgo/ksqlgo/serde"
	"github.com/ksqlgo/ksqlgo/sql/format"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// rowSerde adapts a format codec to serde.Serde[[]any].
func rowSerde(c format.Codec) serde.Serde[[]any] {
	return serde.Func(func(_ string, row []any) ([]byte, error) {
		if row == nil {
			return nil, nil
		}
		return c.Encode(row)
	}, func(_ string, b []byte) ([]any, error) {
		if b == nil {
			return nil, nil
		}
		return c.Decode(b)
	})
}

// keySerde is the serde of a source's key: the key columns, and for a windowed key two
// more values, the window start and end (int64 ms), appended.
func keySerde(c format.Codec, w *WindowInfo) serde.Serde[[]any] {
	if w == nil {
		return serde.Func(func(_ string, row []any) ([]byte, error) {
			if allNil(row) {
				return nil, nil
			}
			return c.Encode(row)
		}, func(_ string, b []byte) ([]any, error) {
			if b == nil {
				return nil, nil
			}
			return c.Decode(b)
		})
	}
	session := w.Type == "SESSION"
	size := w.Size
	return serde.Func(func(_ string, row []any) ([]byte, error) {
		if row == nil {
			return nil, nil
		}
		if len(row) < 2 {
			return nil, fmt.Errorf("windowed key without window bounds")
		}
		n := len(row) - 2
		inner, err := c.Encode(row[:n])
		if err != nil {
			return nil, err
		}
		start, _ := row[n].(int64)
		end, _ := row[n+1].(int64)
		if session {
			return format.EncodeSessionWindowed(inner, start, end), nil
		}
		return format.EncodeTimeWindowed(inner, start), nil
	}, func(_ string, b []byte) ([]any, error) {
		if b == nil {
			return nil, nil
		}
		var inner []byte
		var start, end int64
		var err error
		if session {
			inner, start, end, err = format.DecodeSessionWindowed(b)
		} else {
			inner, start, err = format.DecodeTimeWindowed(b)
			end = start + size
		}
		if err != nil {
			return nil, err
		}
		row, err := c.Decode(inner)
		if err != nil {
			return nil, err
		}
		return append(row, start, end), nil
	})
}

// internalSerde serializes rows with the internal binary codec (repartition topics,
// aggregation state).
var internalSerde = serde.Func(func(_ string, row []any) ([]byte, error) {
	if row == nil {
		return nil, nil
	}
	return types.EncodeRow(row), nil
}, func(_ string, b []byte) ([]any, error) {
	if b == nil {
		return nil, nil
	}
	return types.DecodeRow(b)
})

// allNil says whether a key row has no non-null value: such a key is written as a null
// key, as ksqlDB does.
func allNil(row []any) bool {
	for _, v := range row {
		if v != nil {
			return false
		}
	}
	return true
}
