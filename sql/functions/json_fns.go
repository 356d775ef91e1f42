package functions

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// JSON functions: EXTRACTJSONFIELD, JSON_ARRAY_CONTAINS, IS_JSON_STRING,
// JSON_ARRAY_LENGTH, JSON_CONCAT, JSON_KEYS, JSON_RECORDS, JSON_ITEMS, TO_JSON_STRING.
//
// ksqlDB parses with Jackson (readTree, floats as exact BigDecimals) and writes compact
// JSON. The parser here follows Jackson's defaults: strict JSON, object key order kept, a
// repeated key keeps its first position and last value, content after the first value is
// ignored (but a root-level number must be followed by whitespace), empty input is
// "missing" (no value, no error), nesting deeper than 1000 is an error.

func init() {
	builtinScalars = append(builtinScalars,
		strScalar("EXTRACTJSONFIELD", "JSON",
			"Extracts the value at a JSONPath ($.a.b[0]) from a JSON string: the text of a string value, the JSON of "+
				"any other; NULL when the path does not exist.",
			Overload{Params: []string{"STRING", "STRING"}, Names: []string{"input", "path"}, Returns: "STRING", NullOnNull: true,
				Make: func(args []Arg, _ *types.Type) (Impl, error) {
					var constTokens []string
					var constErr error
					p, isConst := args[1].Value.(string)
					isConst = isConst && args[1].Const
					if isConst {
						constTokens, constErr = jsonPathTokens(p)
					}
					return func(a []any) (any, error) {
						tokens, err := constTokens, constErr
						if !isConst || a[1].(string) != p {
							tokens, err = jsonPathTokens(a[1].(string))
						}
						if err != nil {
							return nil, err
						}
						return jsonExtract(a[0].(string), tokens)
					}, nil
				}}),
		strScalar("JSON_ARRAY_CONTAINS", "JSON",
			"Says whether a JSON array string contains a value (top-level elements of the same JSON type only).",
			Overload{Params: []string{"STRING", "ANY"}, Names: []string{"jsonArray", "val"}, Returns: "BOOLEAN",
				Impl: func(a []any) (any, error) {
					if a[0] == nil {
						return nil, nil
					}
					return jsonArrayContains(a[0].(string), a[1]), nil
				}}),
		strScalar("IS_JSON_STRING", "JSON", "Says whether a string is valid JSON; false for NULL.",
			Overload{Params: []string{"STRING"}, Names: []string{"input"}, Returns: "BOOLEAN",
				Impl: func(a []any) (any, error) {
					if a[0] == nil {
						return false, nil
					}
					n, err := jsonParse(a[0].(string))
					return err == nil && n != nil, nil
				}}),
		strScalar("JSON_ARRAY_LENGTH", "JSON", "Returns the number of elements of a JSON array string; NULL when it is not an array.",
			Overload{Params: []string{"STRING"}, Names: []string{"input"}, Returns: "INT", NullOnNull: true,
				Impl: func(a []any) (any, error) {
					n, err := jsonParseUDF(a[0].(string))
					if err != nil || n == nil || n.kind != jsonArray {
						return nil, err
					}
					return int32(len(n.items)), nil
				}}),
		strScalar("JSON_CONCAT", "JSON",
			"Merges JSON objects (later keys win), or concatenates JSON arrays (other values count as one-element arrays).",
			Overload{Params: []string{"STRING"}, Names: []string{"inputs"}, Variadic: true, Returns: "STRING", NullOnNull: true,
				Impl: jsonConcat}),
		strScalar("JSON_KEYS", "JSON", "Returns the keys of a JSON object string; NULL when it is not an object.",
			Overload{Params: []string{"STRING"}, Names: []string{"input"}, Returns: "ARRAY<STRING>", NullOnNull: true,
				Impl: func(a []any) (any, error) {
					n, err := jsonParseUDF(a[0].(string))
					if err != nil || n == nil || n.kind != jsonObject {
						return nil, err
					}
					return strArrayOf(n.keys), nil
				}}),
		strScalar("JSON_RECORDS", "JSON",
			"Returns the entries of a JSON object string as a map of keys to the JSON of the values; NULL when it is not an object.",
			Overload{Params: []string{"STRING"}, Names: []string{"input"}, Returns: "MAP<STRING, STRING>", NullOnNull: true,
				Impl: func(a []any) (any, error) {
					n, err := jsonParseUDF(a[0].(string))
					if err != nil || n == nil || n.kind != jsonObject {
						return nil, err
					}
					out := make(map[any]any, len(n.keys))
					for i, k := range n.keys {
						out[k] = jsonString(n.items[i])
					}
					return out, nil
				}}),
		strScalar("JSON_ITEMS", "JSON",
			"Returns the elements of a JSON array string as an array of JSON strings; NULL when it is not an array.",
			Overload{Params: []string{"STRING"}, Names: []string{"input"}, Returns: "ARRAY<STRING>", NullOnNull: true,
				Impl: func(a []any) (any, error) {
					n, err := jsonParseUDF(a[0].(string))
					if err != nil || n == nil || n.kind != jsonArray {
						return nil, err
					}
					out := make([]any, len(n.items))
					for i, it := range n.items {
						out[i] = jsonString(it)
					}
					return out, nil
				}}),
		strScalar("TO_JSON_STRING", "JSON", "Serializes any value as a JSON string; NULL gives 'null'.",
			Overload{Params: []string{"ANY"}, Names: []string{"input"}, Returns: "STRING",
				Make: func(args []Arg, _ *types.Type) (Impl, error) {
					t := args[0].Type
					return func(a []any) (any, error) {
						var b strings.Builder
						if err := jsonWriteValue(&b, a[0], t); err != nil {
							return nil, err
						}
						return b.String(), nil
					}, nil
				}}),
	)
}

// jsonKind is the kind of a parsed JSON value.
type jsonKind uint8

const (
	jsonNull jsonKind = iota
	jsonBool
	jsonNumber
	jsonText
	jsonArray
	jsonObject
)

// jsonNode is a parsed JSON value. Numbers keep their text as Jackson writes them back.
type jsonNode struct {
	kind  jsonKind
	str   string      // string value; number text; "true"/"false"
	isInt bool        // number without fraction or exponent
	items []*jsonNode // array elements; object values
	keys  []string    // object keys, parallel to items
}

// jsonMaxDepth is Jackson's default maximum nesting depth.
const jsonMaxDepth = 1000

// jsonMaxNumberLen is Jackson's default maximum length of a number.
const jsonMaxNumberLen = 1000

type jsonParser struct {
	s     string
	pos   int
	depth int
}

// jsonParse parses the first JSON value of s: nil, nil for empty (or blank) input.
func jsonParse(s string) (*jsonNode, error) {
	p := &jsonParser{s: s}
	p.skipSpace()
	if p.pos >= len(s) {
		return nil, nil
	}
	return p.value(true)
}

// jsonParseUDF parses as ksqlDB's UdfJsonMapper.parseJson, with its error.
func jsonParseUDF(s string) (*jsonNode, error) {
	n, err := jsonParse(s)
	if err != nil {
		return nil, fmt.Errorf("Invalid JSON format:%s: %w", s, err)
	}
	return n, nil
}

func (p *jsonParser) skipSpace() {
	for p.pos < len(p.s) {
		switch p.s[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) errorf(format string, args ...any) error {
	return fmt.Errorf("at offset %d: %s", p.pos, fmt.Sprintf(format, args...))
}

func (p *jsonParser) value(root bool) (*jsonNode, error) {
	if p.pos >= len(p.s) {
		return nil, p.errorf("unexpected end of input")
	}
	switch c := p.s[p.pos]; {
	case c == '{' || c == '[':
		if p.depth++; p.depth > jsonMaxDepth {
			return nil, p.errorf("nesting depth exceeds the maximum allowed (%d)", jsonMaxDepth)
		}
		defer func() { p.depth-- }()
		if c == '{' {
			return p.object()
		}
		return p.array()
	case c == '"':
		s, err := p.text()
		if err != nil {
			return nil, err
		}
		return &jsonNode{kind: jsonText, str: s}, nil
	case c == '-' || c >= '0' && c <= '9':
		return p.number(root)
	case c == 't' || c == 'f' || c == 'n':
		for _, lit := range []string{"true", "false", "null"} {
			if strings.HasPrefix(p.s[p.pos:], lit) {
				end := p.pos + len(lit)
				if end < len(p.s) && jsonIdentPart(p.s[end]) {
					break
				}
				p.pos = end
				if lit == "null" {
					return &jsonNode{kind: jsonNull}, nil
				}
				return &jsonNode{kind: jsonBool, str: lit}, nil
			}
		}
	}
	return nil, p.errorf("unrecognized token")
}

func jsonIdentPart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$' || c >= 0x80
}

func (p *jsonParser) object() (*jsonNode, error) {
	n := &jsonNode{kind: jsonObject}
	p.pos++ // {
	p.skipSpace()
	if p.pos < len(p.s) && p.s[p.pos] == '}' {
		p.pos++
		return n, nil
	}
	for {
		p.skipSpace()
		if p.pos >= len(p.s) || p.s[p.pos] != '"' {
			return nil, p.errorf("expected a field name")
		}
		k, err := p.text()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.pos >= len(p.s) || p.s[p.pos] != ':' {
			return nil, p.errorf("expected ':'")
		}
		p.pos++
		p.skipSpace()
		v, err := p.value(false)
		if err != nil {
			return nil, err
		}
		n.set(k, v)
		p.skipSpace()
		if p.pos >= len(p.s) {
			return nil, p.errorf("unexpected end of input in an object")
		}
		switch p.s[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return n, nil
		default:
			return nil, p.errorf("expected ',' or '}'")
		}
	}
}

// set puts a field into an object: a known key keeps its position and takes the value.
func (n *jsonNode) set(k string, v *jsonNode) {
	for i, e := range n.keys {
		if e == k {
			n.items[i] = v
			return
		}
	}
	n.keys = append(n.keys, k)
	n.items = append(n.items, v)
}

func (p *jsonParser) array() (*jsonNode, error) {
	n := &jsonNode{kind: jsonArray, items: []*jsonNode{}}
	p.pos++ // [
	p.skipSpace()
	if p.pos < len(p.s) && p.s[p.pos] == ']' {
		p.pos++
		return n, nil
	}
	for {
		p.skipSpace()
		v, err := p.value(false)
		if err != nil {
			return nil, err
		}
		n.items = append(n.items, v)
		p.skipSpace()
		if p.pos >= len(p.s) {
			return nil, p.errorf("unexpected end of input in an array")
		}
		switch p.s[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return n, nil
		default:
			return nil, p.errorf("expected ',' or ']'")
		}
	}
}

// jsonEscapes are JSON's one-character escapes.
var jsonEscapes = map[byte]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// text parses a string literal at p.pos.
func (p *jsonParser) text() (string, error) {
	p.pos++ // "
	var b strings.Builder
	var pending []uint16 // \u escapes, combined into surrogate pairs
	flush := func() {
		if len(pending) > 0 {
			b.WriteString(strFromUnits(pending))
			pending = pending[:0]
		}
	}
	for {
		if p.pos >= len(p.s) {
			return "", p.errorf("unexpected end of input in a string")
		}
		c := p.s[p.pos]
		switch {
		case c == '"':
			p.pos++
			flush()
			return b.String(), nil
		case c < 0x20:
			return "", p.errorf("illegal unquoted character (code %d) in a string", c)
		case c == '\\':
			if p.pos+1 >= len(p.s) {
				return "", p.errorf("unexpected end of input in a string")
			}
			e := p.s[p.pos+1]
			if e == 'u' {
				if p.pos+6 > len(p.s) {
					return "", p.errorf("unexpected end of input in a unicode escape")
				}
				v, err := strconv.ParseUint(p.s[p.pos+2:p.pos+6], 16, 16)
				if err != nil {
					return "", p.errorf("illegal unicode escape")
				}
				pending = append(pending, uint16(v))
				p.pos += 6
				continue
			}
			flush()
			r, ok := jsonEscapes[e]
			if !ok {
				return "", p.errorf("unrecognized character escape '%c'", e)
			}
			b.WriteByte(r)
			p.pos += 2
		default:
			flush()
			b.WriteByte(c)
			p.pos++
		}
	}
}

// number parses a number at p.pos and normalizes its text as Jackson writes it back:
// integers in canonical form, others as Java's BigDecimal.toString.
func (p *jsonParser) number(root bool) (*jsonNode, error) {
	start := p.pos
	digits := func() int {
		s := p.pos
		for p.pos < len(p.s) && p.s[p.pos] >= '0' && p.s[p.pos] <= '9' {
			p.pos++
		}
		return p.pos - s
	}
	neg := p.s[p.pos] == '-'
	if neg {
		p.pos++
	}
	intStart := p.pos
	if n := digits(); n == 0 {
		return nil, p.errorf("expected a digit")
	} else if n > 1 && p.s[intStart] == '0' {
		return nil, p.errorf("leading zeroes not allowed")
	}
	intPart := p.s[intStart:p.pos]
	frac, exp, isInt := "", 0, true
	if p.pos < len(p.s) && p.s[p.pos] == '.' {
		p.pos++
		fs := p.pos
		if digits() == 0 {
			return nil, p.errorf("decimal point not followed by a digit")
		}
		frac, isInt = p.s[fs:p.pos], false
	}
	if p.pos < len(p.s) && (p.s[p.pos] == 'e' || p.s[p.pos] == 'E') {
		p.pos++
		es := p.pos
		if p.pos < len(p.s) && (p.s[p.pos] == '+' || p.s[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return nil, p.errorf("exponent indicator not followed by a digit")
		}
		e, err := strconv.ParseInt(p.s[es:p.pos], 10, 32)
		if err != nil {
			return nil, p.errorf("exponent out of range")
		}
		exp, isInt = int(e), false
	}
	if p.pos-start > jsonMaxNumberLen {
		return nil, p.errorf("number longer than %d characters", jsonMaxNumberLen)
	}
	if root && p.pos < len(p.s) {
		switch p.s[p.pos] {
		case ' ', '\t', '\n', '\r':
		default:
			return nil, p.errorf("expected space separating root-level values")
		}
	}
	if isInt {
		if intPart == "0" {
			return &jsonNode{kind: jsonNumber, str: "0", isInt: true}, nil
		}
		return &jsonNode{kind: jsonNumber, str: p.s[start:p.pos], isInt: true}, nil
	}
	return &jsonNode{kind: jsonNumber, str: jsonBigDecimalString(neg, intPart+frac, len(frac)-exp)}, nil
}

// jsonBigDecimalString formats unscaled x 10^-scale as Java's BigDecimal.toString.
func jsonBigDecimalString(neg bool, unscaled string, scale int) string {
	coeff := strings.TrimLeft(unscaled, "0")
	if coeff == "" {
		coeff, neg = "0", false
	}
	sign := ""
	if neg {
		sign = "-"
	}
	adjusted := -scale + len(coeff) - 1
	switch {
	case scale == 0:
		return sign + coeff
	case scale > 0 && adjusted >= -6:
		if len(coeff) > scale {
			return sign + coeff[:len(coeff)-scale] + "." + coeff[len(coeff)-scale:]
		}
		return sign + "0." + strings.Repeat("0", scale-len(coeff)) + coeff
	}
	s := sign + coeff[:1]
	if len(coeff) > 1 {
		s += "." + coeff[1:]
	}
	s += "E"
	if adjusted >= 0 {
		s += "+"
	}
	return s + strconv.Itoa(adjusted)
}

// jsonString writes a node as compact JSON.
func jsonString(n *jsonNode) string {
	var b strings.Builder
	jsonWrite(&b, n)
	return b.String()
}

func jsonWrite(b *strings.Builder, n *jsonNode) {
	if n == nil {
		return // Jackson's MissingNode writes nothing
	}
	switch n.kind {
	case jsonNull:
		b.WriteString("null")
	case jsonBool, jsonNumber:
		b.WriteString(n.str)
	case jsonText:
		jsonQuote(b, n.str)
	case jsonArray:
		b.WriteByte('[')
		for i, it := range n.items {
			if i > 0 {
				b.WriteByte(',')
			}
			jsonWrite(b, it)
		}
		b.WriteByte(']')
	case jsonObject:
		b.WriteByte('{')
		for i, k := range n.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			jsonQuote(b, k)
			b.WriteByte(':')
			jsonWrite(b, n.items[i])
		}
		b.WriteByte('}')
	}
}

// jsonQuote writes s as a JSON string literal, escaping as Jackson does: '"', '\\' and
// control characters only (\b \t \n \f \r, others as \u00XX).
func jsonQuote(b *strings.Builder, s string) {
	const hexDigits = "0123456789ABCDEF"
	b.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch c {
			case '"':
				b.WriteString(`\"`)
			case '\\':
				b.WriteString(`\\`)
			case '\b':
				b.WriteString(`\b`)
			case '\t':
				b.WriteString(`\t`)
			case '\n':
				b.WriteString(`\n`)
			case '\f':
				b.WriteString(`\f`)
			case '\r':
				b.WriteString(`\r`)
			default:
				if c < 0x20 {
					b.WriteString(`\u00`)
					b.WriteByte(hexDigits[c>>4])
					b.WriteByte(hexDigits[c&0xF])
				} else {
					b.WriteByte(c)
				}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		b.WriteRune(r) // invalid UTF-8 becomes U+FFFD
		i += size
	}
	b.WriteByte('"')
}

// jsonPathTokens splits a JSONPath such as $.a.b[0]['c d'] into field names and array
// indexes.
func jsonPathTokens(path string) ([]string, error) {
	bad := func() ([]string, error) { return nil, fmt.Errorf("Invalid JSON path: '%s'", path) }
	tokens := []string{}
	i := 0
	if strings.HasPrefix(path, "$") {
		i = 1
	}
	for i < len(path) {
		switch c := path[i]; {
		case c == '.':
			i++
			end := strings.IndexAny(path[i:], ".[")
			if end < 0 {
				end = len(path) - i
			}
			if end == 0 {
				return bad()
			}
			tokens = append(tokens, path[i:i+end])
			i += end
		case c == '[':
			i++
			if i < len(path) && (path[i] == '\'' || path[i] == '"') {
				q := path[i]
				end := strings.IndexByte(path[i+1:], q)
				if end < 0 || i+1+end+1 >= len(path) || path[i+1+end+1] != ']' {
					return bad()
				}
				tokens = append(tokens, path[i+1:i+1+end])
				i += end + 3
				continue
			}
			end := strings.IndexByte(path[i:], ']')
			if end <= 0 {
				return bad()
			}
			tokens = append(tokens, strings.TrimSpace(path[i:i+end]))
			i += end + 1
		case i == 0:
			end := strings.IndexAny(path, ".[")
			if end < 0 {
				end = len(path)
			}
			tokens = append(tokens, path[:end])
			i = end
		default:
			return bad()
		}
	}
	return tokens, nil
}

// jsonExtract is EXTRACTJSONFIELD for parsed path tokens.
func jsonExtract(doc string, tokens []string) (any, error) {
	cur, err := jsonParseUDF(doc)
	if err != nil {
		return nil, err
	}
	if cur == nil && len(tokens) == 0 {
		return "", nil // Jackson's MissingNode.toString
	}
	for _, tok := range tokens {
		if cur == nil {
			return nil, nil
		}
		switch cur.kind {
		case jsonArray:
			idx, err := strconv.ParseInt(tok, 10, 32)
			if err != nil || idx < 0 || int(idx) >= len(cur.items) {
				return nil, nil
			}
			cur = cur.items[idx]
		case jsonObject:
			var next *jsonNode
			for i, k := range cur.keys {
				if k == tok {
					next = cur.items[i]
					break
				}
			}
			cur = next
		default:
			return nil, nil
		}
	}
	if cur == nil {
		return nil, nil
	}
	if cur.kind == jsonText {
		return cur.str, nil
	}
	return jsonString(cur), nil
}

// jsonArrayContains is JSON_ARRAY_CONTAINS: it walks the top-level elements of the array
// as Jackson's streaming parser does, so a match before a syntax error still counts.
func jsonArrayContains(doc string, val any) bool {
	p := &jsonParser{s: doc}
	p.skipSpace()
	if p.pos >= len(doc) || doc[p.pos] != '[' {
		return false
	}
	p.pos++
	p.depth = 1
	for {
		p.skipSpace()
		if p.pos >= len(doc) || doc[p.pos] == ']' {
			return false
		}
		el, err := p.value(false)
		if err != nil {
			return false
		}
		if jsonElementEquals(el, val) {
			return true
		}
		p.skipSpace()
		if p.pos >= len(doc) || doc[p.pos] != ',' {
			return false
		}
		p.pos++
	}
}

func jsonElementEquals(el *jsonNode, val any) bool {
	switch el.kind {
	case jsonNull:
		return val == nil
	case jsonBool:
		v, ok := val.(bool)
		return ok && strconv.FormatBool(v) == el.str
	case jsonText:
		v, ok := val.(string)
		return ok && v == el.str
	case jsonNumber:
		if el.isInt {
			switch v := val.(type) {
			case int32:
				n, err := strconv.ParseInt(el.str, 10, 32)
				return err == nil && int32(n) == v
			case int64:
				n, err := strconv.ParseInt(el.str, 10, 64)
				return err == nil && n == v
			}
			return false
		}
		v, ok := val.(float64)
		if !ok {
			return false
		}
		f, err := strconv.ParseFloat(el.str, 64)
		return err == nil && f == v
	}
	return false
}

// jsonConcat is JSON_CONCAT.
func jsonConcat(a []any) (any, error) {
	if len(a) == 0 {
		return nil, fmt.Errorf("JSON_CONCAT needs at least one argument")
	}
	nodes := make([]*jsonNode, len(a))
	allObjects := true
	for i, v := range a {
		n, err := jsonParseUDF(v.(string))
		if err != nil || n == nil {
			return nil, err
		}
		allObjects = allObjects && n.kind == jsonObject
		nodes[i] = n
	}
	res := nodes[0]
	for _, n := range nodes[1:] {
		if allObjects {
			for i, k := range n.keys {
				res.set(k, n.items[i])
			}
			continue
		}
		merged := &jsonNode{kind: jsonArray}
		for _, x := range []*jsonNode{res, n} {
			if x.kind == jsonArray {
				merged.items = append(merged.items, x.items...)
			} else {
				merged.items = append(merged.items, x)
			}
		}
		res = merged
	}
	return jsonString(res), nil
}

// jsonWriteValue writes a SQL value as JSON the way ksqlDB's TO_JSON_STRING does: DOUBLE
// as Java's Double.toString, DECIMAL with its scale, BYTES as base64, DATE as
// "yyyy-MM-dd", TIME as "HH:mm:ss", TIMESTAMP as "yyyy-MM-ddTHH:mm:ss.SSS" (UTC), STRUCT
// fields by name, MAP keys as strings (sorted, Go maps having no order).
func jsonWriteValue(b *strings.Builder, v any, t *types.Type) error {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool, int32, int64, types.Decimal:
		b.WriteString(jsonScalarText(x))
	case float64:
		b.WriteString(types.FormatDouble(x))
	case string:
		jsonQuote(b, x)
	case []byte, types.Date, types.Time, types.Timestamp:
		jsonQuote(b, jsonScalarText(x))
	case []any:
		var elem *types.Type
		if t != nil && t.Kind == types.KArray {
			elem = t.Elem
		}
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := jsonWriteValue(b, e, elem); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case map[any]any:
		var elem *types.Type
		if t != nil && t.Kind == types.KMap {
			elem = t.Elem
		}
		keys := make([]string, 0, len(x))
		byKey := make(map[string]any, len(x))
		for k, e := range x {
			ks := jsonScalarText(k)
			keys = append(keys, ks)
			byKey[ks] = e
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			jsonQuote(b, k)
			b.WriteByte(':')
			if err := jsonWriteValue(b, byKey[k], elem); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case *types.Struct:
		st := x.Type
		if st == nil {
			st = t
		}
		if st == nil || st.Kind != types.KStruct || len(st.Fields) != len(x.Values) {
			return fmt.Errorf("TO_JSON_STRING: struct value without a matching STRUCT type")
		}
		b.WriteByte('{')
		for i, f := range st.Fields {
			if i > 0 {
				b.WriteByte(',')
			}
			jsonQuote(b, f.Name)
			b.WriteByte(':')
			if err := jsonWriteValue(b, x.Values[i], f.Type); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	default:
		return fmt.Errorf("TO_JSON_STRING: unsupported value of Go type %T", v)
	}
	return nil
}

// jsonScalarText renders a primitive SQL value as text (map keys, TO_JSON_STRING).
func jsonScalarText(v any) string {
	if s, ok := types.PrimitiveText(v); ok {
		return s
	}
	if x, ok := v.(types.Time); ok {
		ms := ((int64(x) % 86400000) + 86400000) % 86400000
		return fmt.Sprintf("%02d:%02d:%02d", ms/3600000, ms/60000%60, ms/1000%60)
	}
	return fmt.Sprint(v)
}
