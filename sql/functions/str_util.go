package functions

import (
	"fmt"
	"regexp"
	"strings"
	"sync/atomic"
	"unicode/utf16"
)

// This file holds the helpers shared by the string, JSON, URL and conversion functions
// (str_*.go, json_fns.go, url_fns.go, conv_fns.go).
//
// Java strings are sequences of UTF-16 code units, and ksqlDB's string functions count
// and index in those units (LEN('😀') = 2). Go strings are UTF-8, so functions that count
// or index (LEN, SUBSTRING, INSTR, LPAD, RPAD, MASK_*) go through the helpers below,
// with a fast path for ASCII strings where byte and UTF-16 indexes agree.

// strScalar builds a scalar function resolved by Overloads, with DESCRIBE FUNCTION
// signatures derived from the overloads.
func strScalar(name string, cat Category, desc string, ovs ...Overload) *Scalar {
	return &Scalar{
		Name:        name,
		Category:    cat,
		Description: desc,
		Signatures:  strSignatures(name, ovs...),
		Bind:        Overloads(name, ovs...),
	}
}

// strSignatures renders the overloads as "NAME(name TYPE, ...)"; a variadic last
// parameter is shown as "TYPE...".
func strSignatures(name string, ovs ...Overload) []string {
	out := make([]string, 0, len(ovs))
	for _, o := range ovs {
		ps := make([]string, len(o.Params))
		for i, p := range o.Params {
			t := p
			if o.Variadic && i == len(o.Params)-1 {
				t += "..."
			}
			if i < len(o.Names) && o.Names[i] != "" {
				t = o.Names[i] + " " + t
			}
			ps[i] = t
		}
		out = append(out, name+"("+strings.Join(ps, ", ")+")")
	}
	return out
}

// strIsASCII says whether s has only ASCII bytes (so byte and UTF-16 indexes agree).
func strIsASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// strLen16 returns the length of s in UTF-16 code units, as Java's String.length.
func strLen16(s string) int {
	if strIsASCII(s) {
		return len(s)
	}
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// strUnits returns s as UTF-16 code units (invalid UTF-8 becomes U+FFFD).
func strUnits(s string) []uint16 { return utf16.Encode([]rune(s)) }

// strFromUnits converts UTF-16 code units back to a string (a lone surrogate becomes
// U+FFFD).
func strFromUnits(u []uint16) string { return string(utf16.Decode(u)) }

// strSlice16 returns s[from:to] counted in UTF-16 code units, as Java's
// String.substring; 0 <= from <= to <= strLen16(s).
func strSlice16(s string, from, to int) string {
	if strIsASCII(s) {
		return s[from:to]
	}
	return strFromUnits(strUnits(s)[from:to])
}

// strIndex16 is Java's String.indexOf(sub, from) in UTF-16 code units.
func strIndex16(s, sub string, from int) int {
	from = max(from, 0)
	if strIsASCII(s) && strIsASCII(sub) {
		if from > len(s) {
			if sub == "" {
				return len(s)
			}
			return -1
		}
		i := strings.Index(s[from:], sub)
		if i < 0 {
			return -1
		}
		return i + from
	}
	u, v := strUnits(s), strUnits(sub)
	for i := min(from, len(u)); i+len(v) <= len(u); i++ {
		if strUnitsEqual(u[i:i+len(v)], v) {
			return i
		}
	}
	return -1
}

// strLastIndex16 is Java's String.lastIndexOf(sub, from) in UTF-16 code units: the
// rightmost match starting at or before from.
func strLastIndex16(s, sub string, from int) int {
	if strIsASCII(s) && strIsASCII(sub) {
		from = min(from, len(s)-len(sub))
		if from < 0 {
			return -1
		}
		return strings.LastIndex(s[:from+len(sub)], sub)
	}
	u, v := strUnits(s), strUnits(sub)
	for i := min(from, len(u)-len(v)); i >= 0; i-- {
		if strUnitsEqual(u[i:i+len(v)], v) {
			return i
		}
	}
	return -1
}

func strUnitsEqual(a, b []uint16) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// strMaxLen caps the length of strings and byte arrays that padding functions build, so
// a huge target length is an error rather than an out-of-memory crash.
const strMaxLen = 64 << 20

// strIsJavaSpace is Java regex's \s: [ \t\n\x0B\f\r].
func strIsJavaSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r'
}

// strPosixClasses are Java's POSIX character classes (\p{Lower}, ...; US-ASCII only, as
// in Java by default), as the contents of a Go character class.
var strPosixClasses = map[string]string{
	"Lower":  `a-z`,
	"Upper":  `A-Z`,
	"ASCII":  `\x00-\x7F`,
	"Alpha":  `a-zA-Z`,
	"Digit":  `0-9`,
	"Alnum":  `a-zA-Z0-9`,
	"Punct":  `!-/:-@\[-` + "`" + `{-~`,
	"Graph":  `!-~`,
	"Print":  ` -~`,
	"Blank":  ` \t`,
	"Cntrl":  `\x00-\x1F\x7F`,
	"XDigit": `0-9a-fA-F`,
	"Space":  ` \t\n\x0B\f\r`,
}

// strJavaRegex translates the parts of Java's regex syntax that Go's RE2 spells
// differently: the POSIX classes \p{Alpha} etc., \p{IsXxx} properties, and \s (which in
// Java also matches \x0B). Constructs RE2 lacks (backreferences, lookaround, possessive
// quantifiers) are left as they are and fail to compile.
func strJavaRegex(p string) string {
	var b strings.Builder
	depth := 0 // character class nesting
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			n := p[i+1]
			switch {
			case n == 'Q':
				end := strings.Index(p[i+2:], `\E`)
				if end < 0 {
					b.WriteString(p[i:])
					return b.String()
				}
				b.WriteString(p[i : i+2+end+2])
				i += 2 + end + 1
				continue
			case (n == 'p' || n == 'P') && i+2 < len(p) && p[i+2] == '{':
				end := strings.IndexByte(p[i+3:], '}')
				if end >= 0 {
					name := p[i+3 : i+3+end]
					if set, ok := strPosixClasses[name]; ok {
						switch {
						case n == 'p' && depth > 0:
							b.WriteString(set)
						case n == 'p':
							b.WriteString("[" + set + "]")
						case depth == 0:
							b.WriteString("[^" + set + "]")
						default:
							b.WriteString(p[i : i+3+end+1]) // negated POSIX class inside a class: unsupported
						}
						i += 3 + end
						continue
					}
					if strings.HasPrefix(name, "Is") && len(name) > 2 {
						b.WriteString(`\` + string(n) + "{" + name[2:] + "}")
						i += 3 + end
						continue
					}
				}
			case n == 's':
				if depth > 0 {
					b.WriteString(`\s\x0B`)
				} else {
					b.WriteString(`[\s\x0B]`)
				}
				i++
				continue
			case n == 'S':
				if depth == 0 {
					b.WriteString(`[^\s\x0B]`)
					i++
					continue
				}
			}
			b.WriteByte(c)
			b.WriteByte(n)
			i++
		case c == '[':
			depth++
			b.WriteByte(c)
		case c == ']' && depth > 0:
			depth--
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// strCompileRegex compiles a Java regular expression.
func strCompileRegex(p string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(strJavaRegex(p))
	if err != nil {
		return nil, fmt.Errorf("invalid regular expression %q: %w", p, err)
	}
	return re, nil
}

// strRegexCache keeps the last pattern a call site compiled, so a column of repeated
// patterns compiles once. Safe for concurrent use.
type strRegexCache struct {
	last atomic.Pointer[strRegexEntry]
}

type strRegexEntry struct {
	pattern string
	re      *regexp.Regexp
	err     error
}

// newStrRegexCache returns a cache, precompiling the pattern when the argument is a
// constant string.
func newStrRegexCache(a Arg) *strRegexCache {
	c := &strRegexCache{}
	if p, ok := a.Value.(string); ok && a.Const {
		c.get(p)
	}
	return c
}

func (c *strRegexCache) get(p string) (*regexp.Regexp, error) {
	if e := c.last.Load(); e != nil && e.pattern == p {
		return e.re, e.err
	}
	re, err := strCompileRegex(p)
	c.last.Store(&strRegexEntry{pattern: p, re: re, err: err})
	return re, err
}

// strJavaReplacement translates a java.util.regex replacement string ($1, ${name}, \$)
// into a Go Regexp.Expand template, with Java's errors for bad group references.
func strJavaReplacement(repl string, re *regexp.Regexp) (string, error) {
	var b strings.Builder
	groups := re.NumSubexp()
	for i := 0; i < len(repl); i++ {
		c := repl[i]
		switch c {
		case '\\':
			i++
			if i >= len(repl) {
				return "", fmt.Errorf("character to be escaped is missing")
			}
			if repl[i] == '$' {
				b.WriteString("$$")
			} else {
				b.WriteByte(repl[i])
			}
		case '$':
			i++
			if i >= len(repl) {
				return "", fmt.Errorf("Illegal group reference: group index is missing")
			}
			if repl[i] == '{' {
				end := strings.IndexByte(repl[i:], '}')
				if end < 0 {
					return "", fmt.Errorf("named capturing group is missing trailing '}'")
				}
				name := repl[i+1 : i+end]
				if name == "" {
					return "", fmt.Errorf("named capturing group has 0 length name")
				}
				if re.SubexpIndex(name) < 0 {
					return "", fmt.Errorf("No group with name {%s}", name)
				}
				b.WriteString("${" + name + "}")
				i += end
				continue
			}
			d := repl[i]
			if d < '0' || d > '9' {
				return "", fmt.Errorf("Illegal group reference")
			}
			ref := int(d - '0')
			if ref > groups {
				return "", fmt.Errorf("No group %d", ref)
			}
			for i+1 < len(repl) && repl[i+1] >= '0' && repl[i+1] <= '9' {
				next := ref*10 + int(repl[i+1]-'0')
				if next > groups {
					break
				}
				ref = next
				i++
			}
			fmt.Fprintf(&b, "${%d}", ref)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

// strJavaSplit splits s at the given match locations the way Java's Pattern.split (limit
// 0) does: a zero-width match at the start yields no leading empty string, and trailing
// empty strings are dropped.
func strJavaSplit(s string, matches [][]int) []any {
	var parts []string
	index := 0
	for _, m := range matches {
		if index == 0 && m[0] == 0 && m[1] == 0 {
			continue
		}
		parts = append(parts, s[index:m[0]])
		index = m[1]
	}
	if index == 0 {
		return []any{s}
	}
	parts = append(parts, s[index:])
	n := len(parts)
	for n > 0 && parts[n-1] == "" {
		n--
	}
	out := make([]any, n)
	for i := range n {
		out[i] = parts[i]
	}
	return out
}

// strArrayOf converts strings to an ARRAY<STRING> value.
func strArrayOf(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// strJavaFindAll returns the submatch locations of every match of re in s as Java's
// Matcher.find loop sees them. Unlike Go, Java also reports an empty match right after a
// non-empty one ("abc".replaceAll("b*", "-") is "-a--c-"); those are added here for
// patterns without left-context assertions (^, \A, \b, \B), whose empty matches do not
// depend on what precedes them.
func strJavaFindAll(re *regexp.Regexp, s string) [][]int {
	ms := re.FindAllStringSubmatchIndex(s, -1)
	p := re.String()
	if !re.MatchString("") || strings.ContainsAny(p, "^") || strings.Contains(p, `\A`) ||
		strings.Contains(p, `\b`) || strings.Contains(p, `\B`) {
		return ms
	}
	out := make([][]int, 0, len(ms))
	for i, m := range ms {
		out = append(out, m)
		e := m[1]
		if e == m[0] || i+1 < len(ms) && ms[i+1][0] == e {
			continue
		}
		loc := re.FindStringSubmatchIndex(s[e:])
		if loc == nil || loc[0] != 0 || loc[1] != 0 {
			continue
		}
		for j := range loc {
			if loc[j] >= 0 {
				loc[j] += e
			}
		}
		out = append(out, loc)
	}
	return out
}
