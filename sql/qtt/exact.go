package qtt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ParseJSONExact decodes JSON text into comparison values: null -> nil, booleans ->
// bool, strings -> string, integer literals -> int64 (or a Decimal with scale 0 when out
// of int64 range), numbers with a fraction or exponent -> Decimal with Java BigDecimal
// semantics, arrays -> []any, objects -> map[string]any. This is how the reference
// harness reads JSON-format records (README 1.8).
func ParseJSONExact(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, fmt.Errorf("parse exact json: %w", err)
	}
	if _, err := d.Token(); err == nil {
		return nil, errors.New("parse exact json: trailing data")
	}
	return exactValue(v)
}

func exactValue(v any) (any, error) {
	switch v := v.(type) {
	case json.Number:
		return exactNumber(string(v))
	case []any:
		for i, e := range v {
			x, err := exactValue(e)
			if err != nil {
				return nil, err
			}
			v[i] = x
		}
		return v, nil
	case map[string]any:
		for k, e := range v {
			x, err := exactValue(e)
			if err != nil {
				return nil, err
			}
			v[k] = x
		}
		return v, nil
	default:
		return v, nil
	}
}

// exactNumber converts a JSON number literal: integers to int64 (Decimal scale 0 when
// out of range), anything with a fraction or exponent to Decimal.
func exactNumber(lit string) (any, error) {
	if isIntegerLiteral(lit) {
		if i, err := strconv.ParseInt(lit, 10, 64); err == nil {
			return i, nil
		}
	}
	d, err := ParseDecimal(lit)
	if err != nil {
		return nil, err
	}
	return d, nil
}

func isIntegerLiteral(lit string) bool { return !strings.ContainsAny(lit, ".eE") }
