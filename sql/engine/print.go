package engine

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ksqlgo/ksqlgo/sql/parser"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// PrintTopic is a PRINT statement: the caller reads Topic (from its start when
// FromBeginning, else from its end) and writes each record through a Printer until Limit
// records are printed or it stops.
type PrintTopic struct {
	Topic         string
	FromBeginning bool
	Interval      int // print every Interval-th record (1: all)
	Limit         int // 0: no limit
}

func (e *Engine) print(s *parser.Print) (*Result, error) {
	tl, err := e.topicLister(s.Pos, "PRINT")
	if err != nil {
		return nil, err
	}
	t, err := findTopic(tl, s.Topic)
	if err != nil {
		return nil, err
	}
	if t == nil {
		return nil, stmtErrAt(s.Pos, "Could not find topic '%s', or the KSQL user does not have permissions to list the topic. Topic names are case-sensitive.", s.Topic)
	}
	if s.Interval < 0 || s.Limit < 0 {
		return nil, stmtErrAt(s.Pos, "INTERVAL and LIMIT must not be negative")
	}
	return &Result{Print: &PrintTopic{Topic: s.Topic, FromBeginning: s.FromBeginning,
		Interval: max(1, int(s.Interval)), Limit: int(s.Limit)}}, nil
}

// Printer renders records as ksqlDB's PRINT does: before the first record, the key and
// value formats that its bytes could be in ("Key format: JSON or KAFKA_STRING"); then one
// line per printed record, `rowtime: 2024/01/02 03:04:05.678 Z, key: K, value: V,
// partition: P`, the key and value shown in the first of their candidate formats.
type Printer struct {
	P       *PrintTopic
	seen    int // records offered
	printed int
	keyFmts []string
	valFmts []string
	headed  bool
}

// Done says whether the printer has printed its LIMIT.
func (p *Printer) Done() bool { return p.P.Limit > 0 && p.printed >= p.P.Limit }

// Print returns the lines to write for one record of the topic (none when INTERVAL skips
// it or the LIMIT is reached).
func (p *Printer) Print(partition int32, timestamp int64, key, value []byte) []string {
	if p.Done() {
		return nil
	}
	i := p.seen
	p.seen++
	if i%p.P.Interval != 0 {
		return nil
	}
	// The candidate formats come from the first record with a key (a value); null keys
	// and values say nothing about the format.
	if p.keyFmts == nil && key != nil {
		p.keyFmts = printFormats(key)
	}
	if p.valFmts == nil && value != nil {
		p.valFmts = printFormats(value)
	}
	var lines []string
	if !p.headed {
		p.headed = true
		lines = append(lines, "Key format: "+describeFormats(p.keyFmts, key), "Value format: "+describeFormats(p.valFmts, value))
	}
	p.printed++
	ts := time.UnixMilli(timestamp).UTC().Format("2006/01/02 15:04:05.000")
	return append(lines, fmt.Sprintf("rowtime: %s Z, key: %s, value: %s, partition: %d",
		ts, renderAs(p.keyFmts, key), renderAs(p.valFmts, value), partition))
}

// printFormats lists, in ksqlDB's order, the formats that b decodes in.
func printFormats(b []byte) []string {
	out := []string{}
	switch len(b) {
	case 4:
		out = append(out, "KAFKA_INT")
	case 8:
		out = append(out, "KAFKA_BIGINT", "KAFKA_DOUBLE")
	}
	if json.Valid(b) {
		out = append(out, "JSON")
	}
	if utf8.Valid(b) {
		out = append(out, "KAFKA_STRING")
	}
	return out
}

func describeFormats(fmts []string, b []byte) string {
	switch {
	case b == nil:
		return "¯\\_(ツ)_/¯ - no data processed"
	case len(fmts) == 0:
		return "does not match any supported format. It may be a STRING with encoding other than UTF8, or some other format."
	}
	return strings.Join(fmts, " or ")
}

// renderAs shows b in the first candidate format it decodes in.
func renderAs(fmts []string, b []byte) string {
	if b == nil {
		return "<null>"
	}
	for _, f := range fmts {
		switch f {
		case "KAFKA_INT":
			if len(b) == 4 {
				return strconv.FormatInt(int64(int32(binary.BigEndian.Uint32(b))), 10)
			}
		case "KAFKA_BIGINT":
			if len(b) == 8 {
				return strconv.FormatInt(int64(binary.BigEndian.Uint64(b)), 10)
			}
		case "KAFKA_DOUBLE":
			if len(b) == 8 {
				return types.FormatDouble(math.Float64frombits(binary.BigEndian.Uint64(b)))
			}
		case "JSON":
			if json.Valid(b) {
				return strings.TrimSpace(string(b))
			}
		case "KAFKA_STRING":
			if utf8.Valid(b) {
				return string(b)
			}
		}
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}
