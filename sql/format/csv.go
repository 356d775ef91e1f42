package format

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// CSV as Apache Commons CSV reads and writes it with CSVFormat.DEFAULT and a custom
// delimiter, which is what ksqlDB's DELIMITED serde uses: '"' quotes, a doubled '"' inside
// quotes is one, no escape character, no surrounding-space trimming, empty lines skipped.

// errNoRecord is returned by csvRecord for input without a record (empty, or only line
// breaks).
var errNoRecord = errors.New("No fields in record")

// csvRecord returns the fields of the first record of s. Fields read from quotes are
// returned as written inside them; an unquoted empty field is "".
func csvRecord(s, delim string) ([]string, error) {
	i := 0
	for i < len(s) && (s[i] == '\r' || s[i] == '\n') {
		i++
	}
	if i == len(s) {
		return nil, errNoRecord
	}
	var fields []string
	for {
		// Start of a field.
		switch {
		case i == len(s): // end of input right after a delimiter: a last, empty field
			return append(fields, ""), nil
		case strings.HasPrefix(s[i:], delim):
			fields = append(fields, "")
			i += len(delim)
			continue
		case s[i] == '\r' || s[i] == '\n':
			return append(fields, ""), nil
		case s[i] != '"':
			j := i
			for j < len(s) && s[j] != '\r' && s[j] != '\n' && !strings.HasPrefix(s[j:], delim) {
				j++
			}
			fields = append(fields, s[i:j])
			if j < len(s) && s[j] != '\r' && s[j] != '\n' {
				i = j + len(delim)
				continue
			}
			return fields, nil
		}
		// Encapsulated field.
		var sb strings.Builder
		i++
		for {
			q := strings.IndexByte(s[i:], '"')
			if q < 0 {
				return nil, errors.New("EOF reached before encapsulated token finished")
			}
			sb.WriteString(s[i : i+q])
			i += q + 1
			if i < len(s) && s[i] == '"' { // doubled quote
				sb.WriteByte('"')
				i++
				continue
			}
			break
		}
		fields = append(fields, sb.String())
		// After the closing quote: white space, then a delimiter, a line break or the end.
		for {
			if i == len(s) || s[i] == '\r' || s[i] == '\n' {
				return fields, nil
			}
			if strings.HasPrefix(s[i:], delim) {
				i += len(delim)
				break
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			if !unicode.IsSpace(r) {
				return nil, errors.New("invalid char between encapsulated token and delimiter")
			}
			i += size
		}
	}
}

// appendCSVField appends one non-null field, quoted when Commons CSV's minimal quoting
// would quote it: an empty first field; a first field not starting with an ASCII letter
// or digit; a field starting with a character <= '#', holding a line break, a quote or the
// delimiter, or ending with a character <= ' '. Quotes inside are doubled.
func appendCSVField[S ~string | ~[]byte](dst []byte, v S, first bool, delim string) []byte {
	if len(v) == 0 {
		if first {
			return append(dst, '"', '"')
		}
		return dst
	}
	c := v[0]
	quote := (first && !(isDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) ||
		c <= '#' || v[len(v)-1] <= ' '
	for i := 0; !quote && i < len(v); i++ {
		switch v[i] {
		case '\r', '\n', '"':
			quote = true
		case delim[0]:
			quote = hasPrefixAt(v, i, delim)
		}
	}
	if !quote {
		return append(dst, v...)
	}
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(v); i++ {
		if v[i] == '"' {
			dst = append(dst, v[start:i+1]...)
			dst = append(dst, '"')
			start = i + 1
		}
	}
	dst = append(dst, v[start:]...)
	return append(dst, '"')
}

func hasPrefixAt[S ~string | ~[]byte](v S, i int, prefix string) bool {
	if len(v)-i < len(prefix) {
		return false
	}
	for j := 0; j < len(prefix); j++ {
		if v[i+j] != prefix[j] {
			return false
		}
	}
	return true
}
