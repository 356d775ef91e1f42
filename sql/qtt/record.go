package qtt

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
)

// Record is an element of a test's "inputs" or "outputs" (README 1.6). Key and Value
// keep the JSON exactly as written; how they map to bytes depends on the format of the
// topic's source, which only the engine knows.
type Record struct {
	// Topic is the Kafka topic name, case-sensitive.
	Topic string
	// Key is the key's JSON, nil when the record has no "key" (which means null).
	Key json.RawMessage
	// KeyPresent reports whether "key" was given (possibly as null).
	KeyPresent bool
	// Value is the value's JSON; "null" for a tombstone (also when "value" is absent).
	Value json.RawMessage
	// Timestamp is the record timestamp in epoch ms; nil when absent (inputs: 0;
	// outputs: any timestamp).
	Timestamp *int64
	// Window marks a windowed key, nil for plain keys.
	Window *Window
	// Headers are the record headers in order; empty when absent.
	Headers []Header
	// HeadersPresent reports whether "headers" was given.
	HeadersPresent bool
}

// Window is the window of a windowed key (README 1.9).
type Window struct {
	// Start and End are the window bounds in epoch ms; for time windows End is Start plus
	// the window size.
	Start int64 `json:"start"`
	End   int64 `json:"end"`
	// Type is "time" (tumbling and hopping) or "session", lower-cased.
	Type string `json:"type"`
}

// String renders the window as {"start":S,"end":E,"type":"T"}.
func (w *Window) String() string {
	if w == nil {
		return "null"
	}
	return fmt.Sprintf(`{"start":%d,"end":%d,"type":%q}`, w.Start, w.End, w.Type)
}

// Header is one record header.
type Header struct {
	// Key is the header key.
	Key string
	// Value is the header value, base64-decoded; nil for a null value.
	Value []byte
}

// String renders the header as {"KEY":"k","VALUE":"<base64>"|null}.
func (h Header) String() string {
	v := "null"
	if h.Value != nil {
		v = `"` + base64.StdEncoding.EncodeToString(h.Value) + `"`
	}
	return fmt.Sprintf(`{"KEY":%q,"VALUE":%s}`, h.Key, v)
}

// UnmarshalJSON decodes a record object. Field names are exact (upstream's Jackson is
// case-sensitive); unknown fields are ignored.
func (r *Record) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := decodeExact(b, &raw); err != nil {
		return err
	}
	*r = Record{Value: json.RawMessage("null")}
	if v, ok := raw["topic"]; ok {
		if err := json.Unmarshal(v, &r.Topic); err != nil {
			return fmt.Errorf("record topic: %w", err)
		}
	}
	if r.Topic == "" {
		return fmt.Errorf("record without topic: %s", b)
	}
	if v, ok := raw["key"]; ok {
		r.Key, r.KeyPresent = compact(v), true
	}
	if v, ok := raw["value"]; ok {
		r.Value = compact(v)
	}
	if v, ok := raw["timestamp"]; ok && !isNull(v) {
		var ts int64
		if err := json.Unmarshal(v, &ts); err != nil {
			return fmt.Errorf("record timestamp %s: %w", v, err)
		}
		r.Timestamp = &ts
	}
	if v, ok := raw["window"]; ok && !isNull(v) {
		var w Window
		if err := json.Unmarshal(v, &w); err != nil {
			return fmt.Errorf("record window %s: %w", v, err)
		}
		w.Type = strings.ToLower(w.Type)
		r.Window = &w
	}
	if v, ok := raw["headers"]; ok {
		r.HeadersPresent = true
		var hs []struct {
			Key   string  `json:"KEY"`
			Value *string `json:"VALUE"`
		}
		if err := json.Unmarshal(v, &hs); err != nil {
			return fmt.Errorf("record headers %s: %w", v, err)
		}
		for _, h := range hs {
			hd := Header{Key: h.Key}
			if h.Value != nil {
				val, err := base64.StdEncoding.DecodeString(*h.Value)
				if err != nil {
					return fmt.Errorf("record header %q: value is not base64: %w", h.Key, err)
				}
				if val == nil {
					val = []byte{}
				}
				hd.Value = val
			}
			r.Headers = append(r.Headers, hd)
		}
	}
	return nil
}

// IsTombstone reports whether the record's value is null.
func (r *Record) IsTombstone() bool { return isNull(r.Value) }

func isNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }

// compact returns v without insignificant white space (number literals unchanged).
func compact(v json.RawMessage) json.RawMessage {
	var buf bytes.Buffer
	if err := json.Compact(&buf, v); err != nil {
		return append(json.RawMessage(nil), v...)
	}
	return buf.Bytes()
}
