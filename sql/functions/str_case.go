package functions

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
)

// Case, trimming, length, concatenation and replacement: UCASE, LCASE, INITCAP, TRIM,
// LTRIM, RTRIM, LEN, CONCAT, CONCAT_WS, REPLACE.

func init() {
	builtinScalars = append(builtinScalars,
		strScalar("UCASE", "STRING", "Returns the input string with all characters converted to upper case.",
			Overload{Params: []string{"STRING"}, Names: []string{"input"}, Returns: "STRING", NullOnNull: true,
				Impl: func(a []any) (any, error) { return strJavaUpper(a[0].(string)), nil }}),
		strScalar("LCASE", "STRING", "Returns the input string with all characters converted to lower case.",
			Overload{Params: []string{"STRING"}, Names: []string{"input"}, Returns: "STRING", NullOnNull: true,
				Impl: func(a []any) (any, error) { return strJavaLower(a[0].(string)), nil }}),
		strScalar("INITCAP", "STRING", "Capitalizes the first letter of each word in a string and lower-cases the rest. Words are delimited by whitespace.",
			Overload{Params: []string{"STRING"}, Names: []string{"input"}, Returns: "STRING", NullOnNull: true,
				Impl: func(a []any) (any, error) { return strInitCap(a[0].(string)), nil }}),
		strScalar("TRIM", "STRING", "Removes whitespace from the beginning and end of a string.",
			Overload{Params: []string{"STRING"}, Names: []string{"input"}, Returns: "STRING", NullOnNull: true,
				Impl: func(a []any) (any, error) {
					// Java's String.trim: every character <= U+0020.
					return strings.TrimFunc(a[0].(string), func(r rune) bool { return r <= ' ' }), nil
				}}),
		strScalar("LTRIM", "STRING", "Removes leading whitespace from a string.",
			Overload{Params: []string{"STRING"}, Names: []string{"input"}, Returns: "STRING", NullOnNull: true,
				Impl: func(a []any) (any, error) { return strings.TrimLeftFunc(a[0].(string), strIsJavaSpace), nil }}),
		strScalar("RTRIM", "STRING", "Removes trailing whitespace from a string.",
			Overload{Params: []string{"STRING"}, Names: []string{"input"}, Returns: "STRING", NullOnNull: true,
				Impl: func(a []any) (any, error) { return strings.TrimRightFunc(a[0].(string), strIsJavaSpace), nil }}),
		strScalar("LEN", "STRING", "Returns the length of a string in characters (UTF-16 code units), or of bytes in bytes.",
			Overload{Params: []string{"STRING"}, Names: []string{"input"}, Returns: "INT", NullOnNull: true,
				Impl: func(a []any) (any, error) { return int32(strLen16(a[0].(string))), nil }},
			Overload{Params: []string{"BYTES"}, Names: []string{"input"}, Returns: "INT", NullOnNull: true,
				Impl: func(a []any) (any, error) { return int32(len(a[0].([]byte))), nil }}),
		strScalar("CONCAT", "STRING", "Concatenates strings or bytes; NULL arguments are skipped.",
			Overload{Params: []string{"STRING"}, Names: []string{"inputs"}, Variadic: true, Returns: "STRING",
				Impl: func(a []any) (any, error) {
					var b strings.Builder
					for _, v := range a {
						if v != nil {
							b.WriteString(v.(string))
						}
					}
					return b.String(), nil
				}},
			Overload{Params: []string{"BYTES"}, Names: []string{"inputs"}, Variadic: true, Returns: "BYTES",
				Impl: func(a []any) (any, error) {
					out := []byte{}
					for _, v := range a {
						if v != nil {
							out = append(out, v.([]byte)...)
						}
					}
					return out, nil
				}}),
		strScalar("CONCAT_WS", "STRING", "Concatenates strings or bytes with a separator; NULL values are skipped. Returns NULL when the separator is NULL.",
			Overload{Params: []string{"STRING", "STRING"}, Names: []string{"separator", "inputs"}, Variadic: true, Returns: "STRING",
				Impl: func(a []any) (any, error) {
					if len(a) < 2 {
						return nil, fmt.Errorf("Function Concat_WS expects at least two input arguments.")
					}
					if a[0] == nil {
						return nil, nil
					}
					var parts []string
					for _, v := range a[1:] {
						if v != nil {
							parts = append(parts, v.(string))
						}
					}
					return strings.Join(parts, a[0].(string)), nil
				}},
			Overload{Params: []string{"BYTES", "BYTES"}, Names: []string{"separator", "inputs"}, Variadic: true, Returns: "BYTES",
				Impl: func(a []any) (any, error) {
					if len(a) < 2 {
						return nil, fmt.Errorf("Function Concat_WS expects at least two input arguments.")
					}
					if a[0] == nil {
						return nil, nil
					}
					parts := [][]byte{}
					for _, v := range a[1:] {
						if v != nil {
							parts = append(parts, v.([]byte))
						}
					}
					return append([]byte{}, bytes.Join(parts, a[0].([]byte))...), nil
				}}),
		strScalar("REPLACE", "STRING", "Replaces all occurrences of a substring with another string.",
			Overload{Params: []string{"STRING", "STRING", "STRING"}, Names: []string{"str", "substring", "replacement"},
				Returns: "STRING", NullOnNull: true,
				Impl: func(a []any) (any, error) {
					return strings.ReplaceAll(a[0].(string), a[1].(string), a[2].(string)), nil
				}}),
	)
}

// strInitCap lower-cases s and upper-cases the first character of each word, as
// ksqlDB's INITCAP: words are matched by the Java regex [^\s]+\s*, so whitespace before
// the first word is dropped.
func strInitCap(s string) string {
	s = strJavaLower(s)
	start := strings.IndexFunc(s, func(r rune) bool { return !strIsJavaSpace(r) })
	if start < 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(len(s))
	wordStart := true
	for _, r := range s[start:] {
		switch {
		case strIsJavaSpace(r):
			wordStart = true
			b.WriteRune(r)
		case wordStart:
			wordStart = false
			b.WriteRune(unicode.ToUpper(r))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// strJavaUpperSpecial are the unconditional one-to-many upper-case mappings of Java's
// String.toUpperCase (SpecialCasing.txt) for the common characters Go maps one-to-one.
var strJavaUpperSpecial = strings.NewReplacer("ß", "SS", "ﬀ", "FF", "ﬁ", "FI", "ﬂ", "FL", "ﬃ", "FFI", "ﬄ", "FFL",
	"ﬅ", "ST", "ﬆ", "ST", "ŉ", "ʼN", "և", "ԵՒ")

// strJavaUpper is Java's String.toUpperCase (root locale).
func strJavaUpper(s string) string {
	u := strings.ToUpper(s)
	if strIsASCII(u) {
		return u
	}
	return strJavaUpperSpecial.Replace(u)
}

// strJavaLower is Java's String.toLowerCase (root locale): also 'İ' to "i̇" and a final
// 'Σ' (after a letter, not before one) to 'ς'.
func strJavaLower(s string) string {
	if strIsASCII(s) {
		return strings.ToLower(s)
	}
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range rs {
		switch {
		case r == 'İ':
			b.WriteString("i\u0307")
		case r == 'Σ' && i > 0 && unicode.IsLetter(rs[i-1]) && (i+1 == len(rs) || !unicode.IsLetter(rs[i+1])):
			b.WriteRune('ς')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
