package conformance

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/sql/engine"
	"github.com/ksqlgo/ksqlgo/sql/format"
	"github.com/ksqlgo/ksqlgo/sql/qtt"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// sourceLayout returns the formats and the key and value columns of src; a topic with
// no source (nil) is read and written as JSON without columns.
func sourceLayout(src *engine.Source) (keyFmt, valFmt string, keyCols, valCols []types.Column) {
	if src == nil {
		return "JSON", "JSON", nil, nil
	}
	return src.KeyFormat, src.ValueFormat, src.KeyColumns(), src.ValueColumns()
}

// encodeInput turns a test file's input record into bytes, by the formats of the source
// declared on its topic (README 1.6).
func encodeInput(cat *engine.Catalog, in qtt.Record) (topicRecord, error) {
	src := sourceForTopic(cat, in.Topic, false)
	r := topicRecord{}
	if in.Timestamp != nil {
		r.ts = *in.Timestamp
	}
	for _, h := range in.Headers {
		r.headers = append(r.headers, runtime.Header{Key: h.Key, Value: h.Value})
	}
	keyFmt, valFmt, keyCols, valCols := sourceLayout(src)
	var err error
	if in.KeyPresent && !isNull(in.Key) {
		if r.key, err = encodeNode(in.Key, keyFmt, keyCols, true); err != nil {
			return r, fmt.Errorf("key: %v", err)
		}
	}
	if in.Window != nil {
		if in.Window.Type == "session" {
			r.key = format.EncodeSessionWindowed(r.key, in.Window.Start, in.Window.End)
		} else {
			r.key = format.EncodeTimeWindowed(r.key, in.Window.Start)
		}
	}
	if !isNull(in.Value) {
		if r.value, err = encodeNode(in.Value, valFmt, valCols, false); err != nil {
			return r, fmt.Errorf("value: %v", err)
		}
	}
	return r, nil
}

func isNull(b json.RawMessage) bool { return len(b) == 0 || string(bytes.TrimSpace(b)) == "null" }

func encodeNode(node json.RawMessage, fmtName string, cols []types.Column, key bool) ([]byte, error) {
	switch fmtName {
	case "NONE":
		return nil, nil
	case "JSON":
		var buf bytes.Buffer
		if err := json.Compact(&buf, node); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	case "DELIMITED":
		return textOf(node), nil
	case "KAFKA":
		if len(cols) == 0 {
			return textOf(node), nil
		}
		t := cols[0].Type
		switch t.Kind {
		case types.KInt, types.KBigint:
			n, err := integerOf(node)
			if err != nil {
				return nil, err
			}
			if t.Kind == types.KInt {
				return binary.BigEndian.AppendUint32(nil, uint32(int32(n))), nil
			}
			return binary.BigEndian.AppendUint64(nil, uint64(n)), nil
		case types.KDouble:
			f, err := strconv.ParseFloat(string(textOf(node)), 64)
			if err != nil {
				return nil, err
			}
			return binary.BigEndian.AppendUint64(nil, math.Float64bits(f)), nil
		}
		return textOf(node), nil
	}
	return nil, fmt.Errorf("unknown format %s", fmtName)
}

// textOf returns a JSON string's content, or the node's text.
func textOf(node json.RawMessage) []byte {
	var s string
	if err := json.Unmarshal(node, &s); err == nil {
		return []byte(s)
	}
	return bytes.TrimSpace(node)
}

func integerOf(node json.RawMessage) (int64, error) {
	txt := string(textOf(node))
	if n, err := strconv.ParseInt(txt, 10, 64); err == nil {
		return n, nil
	}
	f, err := strconv.ParseFloat(txt, 64)
	if err != nil {
		return 0, err
	}
	return int64(f), nil
}

// decodeActual reads a produced record back into comparison values.
func decodeActual(src *engine.Source, r topicRecord) (qtt.Actual, error) {
	a := qtt.Actual{Timestamp: r.ts}
	for _, h := range r.headers {
		a.Headers = append(a.Headers, qtt.Header{Key: h.Key, Value: h.Value})
	}
	keyFmt, valFmt, keyCols, valCols := sourceLayout(src)
	kb := r.key
	if src != nil && src.Window != nil && kb != nil {
		if src.Window.Type == "SESSION" {
			inner, start, end, err := format.DecodeSessionWindowed(kb)
			if err != nil {
				return a, err
			}
			kb = inner
			a.Window = &qtt.Window{Start: start, End: end, Type: "session"}
		} else {
			inner, start, err := format.DecodeTimeWindowed(kb)
			if err != nil {
				return a, err
			}
			kb = inner
			a.Window = &qtt.Window{Start: start, End: start + src.Window.Size, Type: "time"}
		}
	}
	var err error
	if a.Key, err = decodeBytes(kb, keyFmt, keyCols); err != nil {
		return a, fmt.Errorf("key: %v", err)
	}
	if a.Value, err = decodeBytes(r.value, valFmt, valCols); err != nil {
		return a, fmt.Errorf("value: %v", err)
	}
	return a, nil
}

func decodeBytes(b []byte, fmtName string, cols []types.Column) (any, error) {
	if b == nil {
		return nil, nil
	}
	switch fmtName {
	case "NONE":
		return nil, nil
	case "JSON":
		return qtt.ParseJSONExact(b)
	case "DELIMITED":
		return string(b), nil
	case "KAFKA":
		if len(cols) == 0 {
			return nil, nil
		}
		switch cols[0].Type.Kind {
		case types.KInt:
			if len(b) != 4 {
				return nil, fmt.Errorf("INT of %d bytes", len(b))
			}
			return int64(int32(binary.BigEndian.Uint32(b))), nil
		case types.KBigint:
			if len(b) != 8 {
				return nil, fmt.Errorf("BIGINT of %d bytes", len(b))
			}
			return int64(binary.BigEndian.Uint64(b)), nil
		case types.KDouble:
			if len(b) != 8 {
				return nil, fmt.Errorf("DOUBLE of %d bytes", len(b))
			}
			return qtt.ParseDecimal(types.FormatDouble(math.Float64frombits(binary.BigEndian.Uint64(b))))
		}
		return string(b), nil
	}
	return nil, fmt.Errorf("unknown format %s", fmtName)
}

// EncodeInput turns a test file's input record into a Kafka record's key, value,
// timestamp and headers, by the formats of the source declared on its topic (README 1.6):
// for harnesses outside this package (the REST server's RQTT test).
func EncodeInput(cat *engine.Catalog, in qtt.Record) (key, value []byte, ts int64, headers []runtime.Header, err error) {
	r, err := encodeInput(cat, in)
	return r.key, r.value, r.ts, r.headers, err
}

// DecodeOutput reads a record of topic back for matching against expected outputs, by the
// formats of the topic's source (its sink when several sources share the topic).
func DecodeOutput(cat *engine.Catalog, topic string, key, value []byte, ts int64, headers []runtime.Header) (qtt.Actual, error) {
	return decodeActual(sourceForTopic(cat, topic, true), topicRecord{key: key, value: value, ts: ts, headers: headers})
}
