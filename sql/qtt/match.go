package qtt

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// MatchOpts are the per-case settings of record matching.
type MatchOpts struct {
	// NoInputs is set for a case without inputs (data comes from INSERT ... VALUES): an
	// expected timestamp of 0 then matches any actual timestamp.
	NoInputs bool
	// ExactNumeric is the property use.exact.numeric.comparison (default true): when
	// false, float64 actuals match expected numbers within 0.000001.
	ExactNumeric bool
}

// Actual is a record read back from a topic, decoded into comparison values.
type Actual struct {
	// Key is the (inner) key: nil, or a comparison value.
	Key any
	// Value is the value: nil for a tombstone, or a comparison value.
	Value any
	// Timestamp is the record timestamp in epoch ms.
	Timestamp int64
	// Window is the key's window, nil for a plain key. Type is "time" or "session".
	Window *Window
	// Headers are the record headers in order.
	Headers []Header
}

// MatchRecord compares an actual record with an expected one by README 1.8: key
// (windowed when exp.Window is set: same start, end and type, then the inner key),
// value, timestamp (when expected; with opts.NoInputs an expected 0 matches anything)
// and headers (same list, absent meaning none). On a mismatch why names the first
// differing part, e.g. `value: expected {"A":1.50}, got {"A":1.5}: at .A: ...`.
func MatchRecord(exp Record, act Actual, opts MatchOpts) (ok bool, why string) {
	switch {
	case exp.Window != nil && act.Window == nil:
		return false, fmt.Sprintf("key: expected window %s, got an unwindowed key", exp.Window)
	case exp.Window == nil && act.Window != nil:
		return false, fmt.Sprintf("key: expected an unwindowed key, got window %s", act.Window)
	case exp.Window != nil && (exp.Window.Start != act.Window.Start ||
		exp.Window.End != act.Window.End || !strings.EqualFold(exp.Window.Type, act.Window.Type)):
		return false, fmt.Sprintf("window: expected %s, got %s", exp.Window, act.Window)
	}
	key := exp.Key
	if key == nil {
		key = json.RawMessage("null")
	}
	if ok, why := MatchValue(key, act.Key, opts.ExactNumeric); !ok {
		return false, "key: " + why
	}
	value := exp.Value
	if value == nil {
		value = json.RawMessage("null")
	}
	if ok, why := MatchValue(value, act.Value, opts.ExactNumeric); !ok {
		return false, "value: " + why
	}
	if ts := exp.Timestamp; ts != nil && *ts != act.Timestamp && !(opts.NoInputs && *ts == 0) {
		return false, fmt.Sprintf("timestamp: expected %d, got %d", *ts, act.Timestamp)
	}
	if !headersEqual(exp.Headers, act.Headers) {
		return false, fmt.Sprintf("headers: expected %s, got %s", headersString(exp.Headers), headersString(act.Headers))
	}
	return true, ""
}

func headersEqual(a, b []Header) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Key != b[i].Key || (a[i].Value == nil) != (b[i].Value == nil) ||
			!bytes.Equal(a[i].Value, b[i].Value) {
			return false
		}
	}
	return true
}

func headersString(hs []Header) string {
	parts := make([]string, len(hs))
	for i, h := range hs {
		parts[i] = h.String()
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// MatchValue compares an actual comparison value with an expected JSON node by
// upstream's ExpectedRecordComparator rules (README 1.8), by the kind of the expected
// node:
//
//   - null: actual is nil.
//   - object: actual is a map[string]any with as many fields, each expected field
//     (looked up by name, else by its upper-cased name) matching recursively.
//   - array: actual is a []any of the same length, matching element-wise.
//   - boolean: actual is the same bool.
//   - string: actual is the same string; or a Decimal equal in value and scale to the
//     string parsed as a decimal; or []byte whose standard base64 is the string.
//   - number: actual int64 equals the expected number truncated to an integer; actual
//     Decimal equals an integer literal only with scale <= 0 and the same value, and a
//     decimal literal only with the same value and scale; actual float64 matches within
//     0.000001 when exactNumeric is false, and when it is true is compared as the
//     decimal Java's Double.toString writes for it.
//
// Other Go integer, float, slice and string-keyed map types are accepted as their
// canonical forms; an empty expected means null. why is empty on a match and otherwise
// says what differs, with the path of the first differing element. MatchValue is safe
// for concurrent use.
func MatchValue(expected json.RawMessage, actual any, exactNumeric bool) (ok bool, why string) {
	if len(bytes.TrimSpace(expected)) == 0 {
		expected = json.RawMessage("null")
	}
	d := json.NewDecoder(bytes.NewReader(expected))
	d.UseNumber()
	var exp any
	if err := d.Decode(&exp); err != nil {
		return false, fmt.Sprintf("bad expected JSON %s: %v", expected, err)
	}
	m := matcher{exact: exactNumeric}
	if m.match("", exp, actual) {
		return true, ""
	}
	why = fmt.Sprintf("expected %s, got %s", compact(expected), FormatValue(actual))
	if m.path != "" || m.detail != "" {
		why += ": at " + cmpOr(m.path, "top level") + ": " + m.detail
	}
	return false, why
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// matcher walks an expected tree (json.Number leaves) against an actual value,
// remembering where the first mismatch was.
type matcher struct {
	exact  bool
	path   string
	detail string
}

func (m *matcher) fail(path, format string, args ...any) bool {
	m.path, m.detail = path, fmt.Sprintf(format, args...)
	return false
}

func (m *matcher) match(path string, exp, act any) bool {
	act = canonical(act)
	switch e := exp.(type) {
	case nil:
		if act != nil {
			return m.fail(path, "expected null, got %s", describe(act))
		}
		return true
	case map[string]any:
		a, ok := act.(map[string]any)
		if !ok {
			return m.fail(path, "expected an object, got %s", describe(act))
		}
		if len(a) != len(e) {
			return m.fail(path, "expected %d fields %v, got %d fields %v", len(e), sortedKeys(e), len(a), sortedKeys(a))
		}
		for _, k := range sortedKeys(e) {
			v, ok := a[k]
			if !ok {
				v, ok = a[strings.ToUpper(k)]
			}
			if !ok {
				return m.fail(path, "missing field %q (have %v)", k, sortedKeys(a))
			}
			if !m.match(path+"."+k, e[k], v) {
				return false
			}
		}
		return true
	case []any:
		a, ok := act.([]any)
		if !ok {
			return m.fail(path, "expected an array, got %s", describe(act))
		}
		if len(a) != len(e) {
			return m.fail(path, "expected %d elements, got %d", len(e), len(a))
		}
		for i := range e {
			if !m.match(fmt.Sprintf("%s[%d]", path, i), e[i], a[i]) {
				return false
			}
		}
		return true
	case bool:
		if a, ok := act.(bool); !ok || a != e {
			return m.fail(path, "expected %t, got %s", e, describe(act))
		}
		return true
	case string:
		return m.matchString(path, e, act)
	case json.Number:
		return m.matchNumber(path, string(e), act)
	}
	return m.fail(path, "unsupported expected node %T", exp)
}

func (m *matcher) matchString(path, e string, act any) bool {
	switch a := act.(type) {
	case string:
		if a == e {
			return true
		}
	case Decimal:
		if d, err := ParseDecimal(e); err == nil && d.Equal(a) {
			return true
		}
	case []byte:
		if base64.StdEncoding.EncodeToString(a) == e {
			return true
		}
	}
	return m.fail(path, "expected string %q, got %s", e, describe(act))
}

func (m *matcher) matchNumber(path, lit string, act any) bool {
	exp, err := ParseDecimal(lit)
	if err != nil {
		return m.fail(path, "bad expected number %s", lit)
	}
	integer := isIntegerLiteral(lit)
	switch a := act.(type) {
	case int64:
		// Java's NumericNode.longValue(): the expected value truncated to an integer.
		r := exp.Rat()
		q := new(big.Int).Quo(r.Num(), r.Denom())
		if q.IsInt64() && q.Int64() == a {
			return true
		}
	case Decimal:
		if integer {
			if a.Scale <= 0 && a.Cmp(exp) == 0 {
				return true
			}
		} else if a.Equal(exp) {
			return true
		}
	case float64:
		if !m.exact {
			f, _ := exp.Rat().Float64()
			if math.Abs(f-a) < 0.000001 {
				return true
			}
			break
		}
		if d, ok := doubleDecimal(a); ok {
			if integer && d.Scale <= 0 && d.Cmp(exp) == 0 || !integer && d.Equal(exp) {
				return true
			}
		}
	}
	return m.fail(path, "expected number %s, got %s", lit, describe(act))
}

// canonical maps Go variants of comparison values onto the canonical types: sized
// integers to int64 (uint64 beyond int64 and *big.Int to Decimal when needed), float32
// to float64, *Decimal to Decimal, json.Number and json.RawMessage by ParseJSONExact's
// rules, typed nil pointers and slices to nil, other byte slices to []byte, other
// slices to []any and string-keyed maps to map[string]any.
func canonical(v any) any {
	switch x := v.(type) {
	case nil, bool, string, int64, float64, Decimal, []byte, []any, map[string]any:
		return v
	case int:
		return int64(x)
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case uint8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint32:
		return int64(x)
	case uint:
		return canonical(uint64(x))
	case uint64:
		if x <= math.MaxInt64 {
			return int64(x)
		}
		return Decimal{Unscaled: new(big.Int).SetUint64(x)}
	case float32:
		return float64(x)
	case *big.Int:
		if x == nil {
			return nil
		}
		if x.IsInt64() {
			return x.Int64()
		}
		return Decimal{Unscaled: x}
	case *Decimal:
		if x == nil {
			return nil
		}
		return *x
	case json.Number:
		if n, err := exactNumber(string(x)); err == nil {
			return n
		}
		return string(x)
	case json.RawMessage:
		if x == nil {
			return nil
		}
		if n, err := ParseJSONExact(x); err == nil {
			return n
		}
		return string(x)
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return nil
		}
		return canonical(rv.Elem().Interface())
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			return nil
		}
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			out := make([]byte, rv.Len())
			reflect.Copy(reflect.ValueOf(out), rv)
			return out
		}
		out := make([]any, rv.Len())
		for i := range out {
			out[i] = rv.Index(i).Interface()
		}
		return out
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return v
		}
		if rv.IsNil() {
			return nil
		}
		out := make(map[string]any, rv.Len())
		for it := rv.MapRange(); it.Next(); {
			out[it.Key().String()] = it.Value().Interface()
		}
		return out
	case reflect.String:
		return rv.String()
	}
	return v
}

// describe names an actual value's kind and value for mismatch messages.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(x)
	case string:
		return "string " + strconv.Quote(x)
	case int64:
		return "integer " + strconv.FormatInt(x, 10)
	case Decimal:
		return fmt.Sprintf("decimal %s (scale %d)", x, x.Scale)
	case float64:
		return "float " + strconv.FormatFloat(x, 'g', -1, 64)
	case []byte:
		return fmt.Sprintf("bytes (base64 %q)", base64.StdEncoding.EncodeToString(x))
	case []any:
		return fmt.Sprintf("array of %d %s", len(x), FormatValue(x))
	case map[string]any:
		return "object " + FormatValue(x)
	}
	return fmt.Sprintf("%T %v", v, v)
}

// FormatValue renders a comparison value as JSON-like text for messages: objects with
// sorted keys, decimals as Java's BigDecimal.toString writes them, floats with a
// trailing "f" (1.5f), bytes as base64 strings.
func FormatValue(v any) string {
	var b strings.Builder
	formatValue(&b, canonical(v))
	return b.String()
}

func formatValue(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case string:
		q, _ := json.Marshal(x)
		b.Write(q)
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case Decimal:
		b.WriteString(x.String())
	case float64:
		b.WriteString(strconv.FormatFloat(x, 'g', -1, 64) + "f")
	case []byte:
		b.WriteString(`"` + base64.StdEncoding.EncodeToString(x) + `"`)
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			formatValue(b, canonical(e))
		}
		b.WriteByte(']')
	case map[string]any:
		b.WriteByte('{')
		for i, k := range sortedKeys(x) {
			if i > 0 {
				b.WriteByte(',')
			}
			q, _ := json.Marshal(k)
			b.Write(q)
			b.WriteByte(':')
			formatValue(b, canonical(x[k]))
		}
		b.WriteByte('}')
	default:
		fmt.Fprintf(b, "%v", x)
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ByTopic groups expected records by topic: the topics in order of first appearance, and
// each topic's records in file order (records are matched per topic).
func ByTopic(recs []Record) (topics []string, byTopic map[string][]Record) {
	byTopic = map[string][]Record{}
	for _, r := range recs {
		if _, ok := byTopic[r.Topic]; !ok {
			topics = append(topics, r.Topic)
		}
		byTopic[r.Topic] = append(byTopic[r.Topic], r)
	}
	return topics, byTopic
}
