package engine

import (
	"fmt"

	"github.com/ksqlgo/ksqlgo/sql/functions"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// timestampExtractor returns the function reading a record's timestamp from the source's
// TIMESTAMP column (BIGINT, TIMESTAMP, or STRING with TIMESTAMP_FORMAT).
func (e *Engine) timestampExtractor(src *Source) (func(key, value []any) (int64, error), error) {
	col := src.Column(src.TimestampColumn)
	idx := valueIndex(src, col.Name)
	inKey := false
	if col.Kind == KeyCol {
		idx, inKey = keyIndex(src, col.Name), true
	}
	var parse functions.Impl
	if col.Type.Kind == types.KString {
		fn := e.Funcs.Scalar("STRINGTOTIMESTAMP")
		if fn == nil {
			return nil, stmtErr("STRINGTOTIMESTAMP is not available")
		}
		_, impl, err := fn.Bind([]functions.Arg{{Type: types.STRING}, {Type: types.STRING, Const: true, Value: src.TimestampFormat}}, e.config())
		if err != nil {
			return nil, stmtErr("%v", err)
		}
		parse = impl
	}
	return func(key, value []any) (int64, error) {
		row := value
		if inKey {
			row = key
		}
		if idx < 0 || idx >= len(row) {
			return 0, fmt.Errorf("no timestamp column")
		}
		v := row[idx]
		if parse != nil && v != nil {
			x, err := parse([]any{v, src.TimestampFormat})
			if err != nil {
				return 0, err
			}
			v = x
		}
		if t, ok := timestampOf(v); ok {
			return t, nil
		}
		return 0, fmt.Errorf("invalid timestamp %v in column %s", v, col.Name)
	}, nil
}
