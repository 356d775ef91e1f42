package format

import (
	"fmt"
	"strconv"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// A JSON reader with the behaviour of the Jackson ObjectMapper ksqlDB reads records with:
// strict JSON (no comments, no leading zeros, no NaN), number literals kept as written
// (integers apart from numbers with a fraction or exponent, which Jackson reads as exact
// BigDecimals), object members kept in order with duplicates, at most 1000 levels of
// nesting and 1000-character numbers, and content after the first value ignored (Jackson's
// readTree does not fail on trailing tokens), except that a number at the root must be
// followed by white space.

// maxJSONDepth is Jackson's default maximum nesting depth.
const maxJSONDepth = 1000

type jkind uint8

const (
	jNull jkind = iota
	jFalse
	jTrue
	jNumber
	jString
	jArray
	jObject
)

// jnode is a parsed JSON value.
type jnode struct {
	kind jkind
	frac bool     // number with a fraction or an exponent (Jackson's DecimalNode)
	text string   // string value, or number literal
	vals []jnode  // array elements, or object member values
	keys []string // object member names, parallel to vals; they may share the input's memory
}

// className returns the name of the Jackson node class of n, for ksqlDB's messages.
func (n *jnode) className() string {
	switch n.kind {
	case jNull:
		return "NullNode"
	case jFalse, jTrue:
		return "BooleanNode"
	case jString:
		return "TextNode"
	case jArray:
		return "ArrayNode"
	case jObject:
		return "ObjectNode"
	}
	if n.frac {
		return "DecimalNode"
	}
	if i, err := strconv.ParseInt(n.text, 10, 64); err == nil {
		if int64(int32(i)) == i {
			return "IntNode"
		}
		return "LongNode"
	}
	return "BigIntegerNode"
}

type jparser struct {
	b     []byte
	i     int
	depth int
	// Scratch stacks of the members and elements of the containers being read; a
	// container's are copied out, exactly sized, when it closes.
	keys []string
	vals []jnode
	// member, when set, says how to read each member of the root object.
	member func(name string) memberMode
	// discard marks a value that is only checked: strings and numbers share the input's
	// memory and containers keep no members.
	discard bool
}

var parserPool = sync.Pool{New: func() any { return new(jparser) }}

// memberMode says how parseJSON reads a member of the root object.
type memberMode uint8

const (
	memberKeep memberMode = iota // as any other value
	// memberView keeps a node whose strings and numbers share the input's memory and
	// whose containers have no members: enough to check that a primitive coerces.
	memberView
	memberSkip // checked for syntax only, and left out of the object's node
)

// parseJSON reads the first JSON value of b and passes it to fn; empty reports input
// holding only white space. When the value is an object, its members are read as member
// says (nil: memberKeep), and its lists of members are only valid during fn. The error
// is the parse's, else fn's.
func parseJSON(b []byte, member func(name string) memberMode, fn func(n *jnode, empty bool) error) error {
	p := parserPool.Get().(*jparser)
	p.b, p.i, p.depth, p.member, p.discard = b, 0, 0, member, false
	defer func() {
		p.b, p.member = nil, nil
		if cap(p.vals) <= 1024 { // do not keep the scratch of huge documents
			clear(p.vals[:cap(p.vals)])
			clear(p.keys[:cap(p.keys)])
			parserPool.Put(p)
		}
	}()
	p.skipWS()
	if p.i == len(p.b) {
		return fn(&jnode{}, true)
	}
	n, err := p.value()
	if err != nil {
		return err
	}
	if n.kind == jNumber && p.i < len(p.b) && !isJSONSpace(p.b[p.i]) {
		return p.errorf("Unexpected character (%s): Expected space separating root-level values", p.charDesc())
	}
	return fn(&n, false)
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (p *jparser) skipWS() {
	for p.i < len(p.b) && isJSONSpace(p.b[p.i]) {
		p.i++
	}
}

func (p *jparser) errorf(format string, args ...any) error {
	return fmt.Errorf("invalid JSON at offset %d: %s", p.i, fmt.Sprintf(format, args...))
}

func (p *jparser) charDesc() string {
	if p.i >= len(p.b) {
		return "end-of-input"
	}
	r, _ := utf8.DecodeRune(p.b[p.i:])
	return fmt.Sprintf("%q (code %d)", r, r)
}

func (p *jparser) unexpected(expecting string) error {
	if p.i >= len(p.b) {
		return p.errorf("Unexpected end-of-input: expected %s", expecting)
	}
	return p.errorf("Unexpected character (%s): expected %s", p.charDesc(), expecting)
}

func (p *jparser) value() (jnode, error) {
	if p.i >= len(p.b) {
		return jnode{}, p.unexpected("a value")
	}
	switch c := p.b[p.i]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		read := p.str
		if p.discard {
			read = p.strView
		}
		s, err := read()
		return jnode{kind: jString, text: s}, err
	case c == '-' || isDigit(c):
		return p.number()
	case c == 't':
		return jnode{kind: jTrue}, p.literal("true")
	case c == 'f':
		return jnode{kind: jFalse}, p.literal("false")
	case c == 'n':
		return jnode{kind: jNull}, p.literal("null")
	}
	return jnode{}, p.unexpected("a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')")
}

func (p *jparser) literal(word string) error {
	start := p.i
	if len(p.b)-p.i < len(word) || string(p.b[p.i:p.i+len(word)]) != word {
		return p.unrecognized(start)
	}
	p.i += len(word)
	if p.i < len(p.b) && isIdentByte(p.b[p.i]) {
		return p.unrecognized(start)
	}
	return nil
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'z') || c >= 0x80
}

func (p *jparser) unrecognized(start int) error {
	end := start
	for end < len(p.b) && end-start < 256 && isIdentByte(p.b[end]) {
		end++
	}
	if end == start {
		end = start + 1
	}
	return fmt.Errorf("invalid JSON at offset %d: Unrecognized token '%s': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
		start, p.b[start:end])
}

func (p *jparser) enter() error {
	p.depth++
	if p.depth > maxJSONDepth {
		return p.errorf("Document nesting depth exceeds the maximum allowed (%d)", maxJSONDepth)
	}
	return nil
}

func (p *jparser) object() (jnode, error) {
	if err := p.enter(); err != nil {
		return jnode{}, err
	}
	p.i++ // {
	n := jnode{kind: jObject}
	p.skipWS()
	if p.i < len(p.b) && p.b[p.i] == '}' {
		p.i++
		p.depth--
		return n, nil
	}
	base := len(p.vals)
	defer func() { p.keys, p.vals = p.keys[:base], p.vals[:base] }()
	for {
		p.skipWS()
		if p.i >= len(p.b) || p.b[p.i] != '"' {
			return jnode{}, p.unexpected("double-quote to start field name")
		}
		key, err := p.strView()
		if err != nil {
			return jnode{}, err
		}
		p.skipWS()
		if p.i >= len(p.b) || p.b[p.i] != ':' {
			return jnode{}, p.unexpected("a colon to separate field name and value")
		}
		p.i++
		p.skipWS()
		mode := memberKeep
		if p.depth == 1 && p.member != nil {
			mode = p.member(key)
		}
		p.discard = p.discard || mode != memberKeep
		v, err := p.value()
		if err != nil {
			return jnode{}, err
		}
		if mode != memberKeep {
			p.discard = false // the root object's members are never read discarding
		}
		if mode != memberSkip {
			p.keys = append(p.keys, key)
			p.vals = append(p.vals, v)
		}
		p.skipWS()
		if p.i >= len(p.b) {
			return jnode{}, p.unexpected("close marker for Object")
		}
		switch p.b[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			p.depth--
			switch {
			case p.discard:
				return n, nil
			case p.depth == 0: // the root: its members stay in the scratch during parseJSON's fn
				n.keys, n.vals = p.keys[base:len(p.keys):len(p.keys)], p.vals[base:len(p.vals):len(p.vals)]
				return n, nil
			}
			n.keys = append([]string(nil), p.keys[base:]...)
			n.vals = append([]jnode(nil), p.vals[base:]...)
			return n, nil
		default:
			return jnode{}, p.unexpected("comma to separate Object entries")
		}
	}
}

func (p *jparser) array() (jnode, error) {
	if err := p.enter(); err != nil {
		return jnode{}, err
	}
	p.i++ // [
	n := jnode{kind: jArray}
	p.skipWS()
	if p.i < len(p.b) && p.b[p.i] == ']' {
		p.i++
		p.depth--
		n.vals = []jnode{}
		return n, nil
	}
	base := len(p.vals)
	defer func() { p.keys, p.vals = p.keys[:base], p.vals[:base] }()
	for {
		p.skipWS()
		v, err := p.value()
		if err != nil {
			return jnode{}, err
		}
		p.keys = append(p.keys, "")
		p.vals = append(p.vals, v)
		p.skipWS()
		if p.i >= len(p.b) {
			return jnode{}, p.unexpected("close marker for Array")
		}
		switch p.b[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			p.depth--
			if p.discard {
				return n, nil
			}
			n.vals = append([]jnode(nil), p.vals[base:]...)
			return n, nil
		default:
			return jnode{}, p.unexpected("comma to separate Array entries")
		}
	}
}

// number reads a JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *jparser) number() (jnode, error) {
	start := p.i
	if p.b[p.i] == '-' {
		p.i++
	}
	if p.i >= len(p.b) || !isDigit(p.b[p.i]) {
		return jnode{}, p.errorf("Invalid numeric value: expected digit (0-9) to follow minus sign, for valid numeric value")
	}
	if p.b[p.i] == '0' {
		p.i++
		if p.i < len(p.b) && isDigit(p.b[p.i]) {
			return jnode{}, p.errorf("Invalid numeric value: Leading zeroes not allowed")
		}
	} else {
		for p.i < len(p.b) && isDigit(p.b[p.i]) {
			p.i++
		}
	}
	frac := false
	if p.i < len(p.b) && p.b[p.i] == '.' {
		frac = true
		p.i++
		if p.i >= len(p.b) || !isDigit(p.b[p.i]) {
			return jnode{}, p.unexpected("Decimal point not followed by a digit")
		}
		for p.i < len(p.b) && isDigit(p.b[p.i]) {
			p.i++
		}
	}
	if p.i < len(p.b) && (p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		frac = true
		p.i++
		if p.i < len(p.b) && (p.b[p.i] == '+' || p.b[p.i] == '-') {
			p.i++
		}
		if p.i >= len(p.b) || !isDigit(p.b[p.i]) {
			return jnode{}, p.unexpected("Exponent indicator not followed by a digit")
		}
		for p.i < len(p.b) && isDigit(p.b[p.i]) {
			p.i++
		}
	}
	if p.i-start > maxNumberLen {
		return jnode{}, p.errorf("Number value length (%d) exceeds the maximum allowed (%d)", p.i-start, maxNumberLen)
	}
	text := p.b[start:p.i]
	if p.discard {
		return jnode{kind: jNumber, frac: frac, text: unsafe.String(&text[0], len(text))}, nil
	}
	return jnode{kind: jNumber, frac: frac, text: string(text)}, nil
}

// strView reads a JSON string as str does, but returns a string sharing the input's
// memory when the string has no escapes. Member names are read this way: they are only
// compared during a Decode and copied where kept (map keys, messages, re-serialized JSON).
func (p *jparser) strView() (string, error) {
	start := p.i + 1
	for j := start; j < len(p.b); j++ {
		c := p.b[j]
		if c == '"' {
			s := p.b[start:j]
			if !utf8.Valid(s) {
				break
			}
			p.i = j + 1
			if len(s) == 0 {
				return "", nil
			}
			return unsafe.String(&s[0], len(s)), nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
	}
	return p.str()
}

// str reads a JSON string starting at the opening quote.
func (p *jparser) str() (string, error) {
	p.i++ // opening quote
	start := p.i
	// Fast path: no escapes, no control characters.
	for p.i < len(p.b) {
		c := p.b[p.i]
		if c == '"' {
			s := p.b[start:p.i]
			if !utf8.Valid(s) {
				return "", p.errorf("Invalid UTF-8 in string")
			}
			p.i++
			return string(s), nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		p.i++
	}
	buf := append(make([]byte, 0, p.i-start+16), p.b[start:p.i]...)
	for {
		if p.i >= len(p.b) {
			return "", p.errorf("Unexpected end-of-input: was expecting closing quote for a string value")
		}
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			if !utf8.Valid(buf) {
				return "", p.errorf("Invalid UTF-8 in string")
			}
			return string(buf), nil
		case c < 0x20:
			return "", p.errorf("Illegal unquoted character ((CTRL-CHAR, code %d)): has to be escaped using backslash to be included in string value", c)
		case c != '\\':
			buf = append(buf, c)
			p.i++
			continue
		}
		p.i++ // backslash
		if p.i >= len(p.b) {
			return "", p.errorf("Unexpected end-of-input in character escape sequence")
		}
		e := p.b[p.i]
		p.i++
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", p.errorf("Unexpected character in Unicode escape: expected a hex-digit for character escape sequence")
			}
			if utf16.IsSurrogate(r) {
				// A high surrogate followed by an escaped low one is one character; a lone
				// surrogate has no UTF-8 form and becomes U+FFFD.
				if r < 0xDC00 && p.i+1 < len(p.b) && p.b[p.i] == '\\' && p.b[p.i+1] == 'u' {
					save := p.i
					p.i += 2
					if r2, ok := p.hex4(); ok && r2 >= 0xDC00 && r2 <= 0xDFFF {
						r = utf16.DecodeRune(r, r2)
					} else {
						p.i = save
						r = utf8.RuneError
					}
				} else {
					r = utf8.RuneError
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			p.i--
			return "", p.errorf("Unrecognized character escape %s", p.charDesc())
		}
	}
}

func (p *jparser) hex4() (rune, bool) {
	if len(p.b)-p.i < 4 {
		return 0, false
	}
	var r rune
	for _, c := range p.b[p.i : p.i+4] {
		var d byte
		switch {
		case isDigit(c):
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	p.i += 4
	return r, true
}
