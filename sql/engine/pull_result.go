package engine

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/format"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// TopicReader is implemented by runners that can read a topic from its beginning to its
// current end; pull queries need it. Records come in offset order per partition.
type TopicReader interface {
	ReadTopic(topic string) ([]Record, error)
}

// PullColumn is a column of a pull query's result.
type PullColumn struct {
	types.Column
	// Key marks a key column of a table (WINDOWSTART and WINDOWEND of a windowed table
	// included): ksqlDB's schema shows " KEY" after it.
	Key bool
	// Header is " HEADER('k')" or " HEADERS" for a header column of a table, else "".
	Header string
}

// PullResult is the answer of a pull query: its columns and rows (values in the
// engine's Go representation, see sql/types), and for a stream the final message.
type PullResult struct {
	// QueryID names the query in a REST response header.
	QueryID string
	Columns []PullColumn
	Rows    [][]any
	// Final is FinalQueryCompleted or FinalLimitReached for a pull query on a stream, ""
	// for one on a table (ksqlDB ends those without a final message).
	Final string
}

// Schema renders the columns as ksqlDB's REST header does:
// "`ID` STRING KEY, `COUNT` BIGINT".
func (p *PullResult) Schema() string {
	return pullSchema(p.Columns)
}

// pullSchema renders columns; like ksqlDB's, it lists a table's header columns right
// after its key columns although the rows keep them in place.
func pullSchema(cols []PullColumn) string {
	var keys, headers, others []string
	for _, c := range cols {
		p := "`" + c.Name + "` " + c.Type.String()
		switch {
		case c.Key:
			keys = append(keys, p+" KEY")
		case c.Header != "":
			headers = append(headers, p+c.Header)
		default:
			others = append(others, p)
		}
	}
	if len(headers) == 0 {
		parts := make([]string, len(cols))
		for i, c := range cols {
			parts[i] = "`" + c.Name + "` " + c.Type.String()
			if c.Key {
				parts[i] += " KEY"
			}
		}
		return strings.Join(parts, ", ")
	}
	return strings.Join(append(append(keys, headers...), others...), ", ")
}

// RowJSON renders row as the JSON array of a REST response row ("columns"), with the
// JSON format's value rules (DECIMAL with its scale, DOUBLE as Java writes it, BYTES in
// base64, structs as objects).
func RowJSON(cols []types.Column, row []any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('[')
	unwrapped := false
	for i, c := range cols {
		if i > 0 {
			buf.WriteByte(',')
		}
		if i >= len(row) || row[i] == nil {
			buf.WriteString("null")
			continue
		}
		codec, err := format.New("JSON", []types.Column{{Name: c.Name, Type: c.Type}}, format.Options{WrapSingle: &unwrapped})
		if err != nil {
			return nil, err
		}
		b, err := codec.Encode([]any{row[i]})
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", c.Name, err)
		}
		buf.Write(b)
	}
	buf.WriteByte(']')
	return buf.Bytes(), nil
}

// RowJSON renders row i of the result, see the function RowJSON.
func (p *PullResult) RowJSON(i int) ([]byte, error) {
	cols := make([]types.Column, len(p.Columns))
	for j, c := range p.Columns {
		cols[j] = c.Column
	}
	return RowJSON(cols, p.Rows[i])
}
