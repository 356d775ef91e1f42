package functions

import (
	"crypto/md5"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// ELT, FIELD, CHR, MD5, UUID, ENCODE, and the byte encodings they share with TO_BYTES and
// FROM_BYTES (conv_fns.go).

func init() {
	builtinScalars = append(builtinScalars,
		strScalar("ELT", "STRING", "Returns the n-th (base one) of the strings; NULL when n is out of range.",
			Overload{Params: []string{"INT", "STRING"}, Names: []string{"n", "args"}, Variadic: true, Returns: "STRING",
				Impl: func(a []any) (any, error) {
					if a[0] == nil {
						return nil, nil
					}
					n := int(a[0].(int32))
					if n < 1 || n >= len(a) {
						return nil, nil
					}
					return a[n], nil
				}}),
		strScalar("FIELD", "STRING", "Returns the position (base one) of str among the arguments, 0 when absent or NULL.",
			Overload{Params: []string{"STRING", "STRING"}, Names: []string{"str", "args"}, Variadic: true, Returns: "INT",
				Impl: func(a []any) (any, error) {
					if a[0] == nil {
						return int32(0), nil
					}
					for i, v := range a[1:] {
						if v != nil && v.(string) == a[0].(string) {
							return int32(i + 1), nil
						}
					}
					return int32(0), nil
				}}),
		strScalar("CHR", "STRING",
			"Returns the character of a Unicode code point given as a decimal number, or as a UTF-16 escape such as '\\u004b'.",
			Overload{Params: []string{"INT"}, Names: []string{"decimalCode"}, Returns: "STRING", NullOnNull: true,
				Impl: func(a []any) (any, error) {
					c := a[0].(int32)
					if c < 0 || c > 0x10FFFF {
						return nil, nil
					}
					return string(rune(c)), nil
				}},
			Overload{Params: []string{"STRING"}, Names: []string{"utf16Code"}, Returns: "STRING", NullOnNull: true,
				Impl: func(a []any) (any, error) {
					s := a[0].(string)
					if len(s) < 6 || !strings.HasPrefix(s, `\u`) {
						return nil, nil
					}
					return strUnescapeJava(s)
				}}),
		strScalar("MD5", "STRING", "Returns the hex-encoded MD5 hash of the UTF-8 bytes of the input.",
			Overload{Params: []string{"STRING"}, Names: []string{"input"}, Returns: "STRING", NullOnNull: true,
				Impl: func(a []any) (any, error) {
					sum := md5.Sum([]byte(a[0].(string)))
					return hex.EncodeToString(sum[:]), nil
				}}),
		strScalar("UUID", "STRING",
			"Returns a random (version 4) UUID, or the UUID whose 16 bytes are given; NULL for fewer than 16 bytes.",
			Overload{Returns: "STRING", Impl: func([]any) (any, error) {
				var b [16]byte
				if _, err := rand.Read(b[:]); err != nil {
					return nil, fmt.Errorf("uuid: %w", err)
				}
				b[6] = b[6]&0x0f | 0x40
				b[8] = b[8]&0x3f | 0x80
				return strFormatUUID(b[:]), nil
			}},
			Overload{Params: []string{"BYTES"}, Names: []string{"bytes"}, Returns: "STRING", NullOnNull: true,
				Impl: func(a []any) (any, error) {
					b := a[0].([]byte)
					if len(b) < 16 {
						return nil, nil
					}
					return strFormatUUID(b[:16]), nil
				}}),
		strScalar("ENCODE", "STRING",
			"Converts a string from one encoding to another: hex, utf8, ascii or base64.",
			Overload{Params: []string{"STRING", "STRING", "STRING"}, Names: []string{"str", "inputEncoding", "outputEncoding"},
				Returns: "STRING", NullOnNull: true,
				Impl: func(a []any) (any, error) {
					in, out := strings.ToLower(a[1].(string)), strings.ToLower(a[2].(string))
					if !strEncodingNames[in] || !strEncodingNames[out] || in == out {
						return nil, fmt.Errorf("Supported input and output encodings are: hex, utf8, ascii and base64")
					}
					b, err := strDecodeString(a[0].(string), in)
					if err != nil {
						return nil, err
					}
					return strEncodeBytes(b, out), nil
				}}),
	)
}

func strFormatUUID(b []byte) string {
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// strEncodingNames are the encodings of ENCODE, TO_BYTES and FROM_BYTES (lower case).
var strEncodingNames = map[string]bool{"hex": true, "utf8": true, "ascii": true, "base64": true}

// strDecodeString turns a string in the named encoding into bytes.
func strDecodeString(s, enc string) ([]byte, error) {
	switch enc {
	case "hex":
		b, err := hex.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("invalid hex string %q: %w", s, err)
		}
		return b, nil
	case "utf8":
		return []byte(s), nil
	case "ascii":
		b := make([]byte, 0, len(s))
		for _, r := range s {
			if r >= 0x80 {
				r = '?'
			}
			b = append(b, byte(r))
		}
		return b, nil
	case "base64":
		enc := base64.RawStdEncoding
		if strings.HasSuffix(s, "=") {
			enc = base64.StdEncoding
		}
		b, err := enc.Strict().DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("invalid base64 string %q: %w", s, err)
		}
		return b, nil
	}
	return nil, fmt.Errorf("unknown encoding %q", enc)
}

// strEncodeBytes turns bytes into a string in the named encoding; bytes that are not
// valid UTF-8 (or ASCII) become U+FFFD.
func strEncodeBytes(b []byte, enc string) string {
	switch enc {
	case "hex":
		return hex.EncodeToString(b)
	case "base64":
		return base64.StdEncoding.EncodeToString(b)
	case "ascii":
		var sb strings.Builder
		for _, c := range b {
			if c >= 0x80 {
				sb.WriteRune('\uFFFD')
			} else {
				sb.WriteByte(c)
			}
		}
		return sb.String()
	}
	return string([]rune(string(b)))
}

// strUnescapeJava is Apache Commons Text's StringEscapeUtils.unescapeJava: \uXXXX
// (UTF-16 units, surrogate pairs combined), octal escapes, \b \t \n \f \r \" \' \\; a
// backslash before any other character is dropped.
func strUnescapeJava(s string) (any, error) {
	var units []uint16
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\\' {
			r, size := utf8.DecodeRuneInString(s[i:])
			units = utf16.AppendRune(units, r)
			i += size
			continue
		}
		if i+1 >= len(s) {
			break // a trailing lone backslash is dropped
		}
		n := s[i+1]
		switch {
		case n == 'u':
			j := i + 1
			for j < len(s) && s[j] == 'u' {
				j++
			}
			if j < len(s) && s[j] == '+' {
				j++
			}
			if j+4 > len(s) {
				return nil, fmt.Errorf("Less than 4 hex digits in unicode value: '%s' due to end of CharSequence", s[i:])
			}
			var v uint16
			for _, h := range []byte(s[j : j+4]) {
				d, ok := strHexDigit(h)
				if !ok {
					return nil, fmt.Errorf("Unable to parse unicode value: %s", s[j:j+4])
				}
				v = v<<4 | uint16(d)
			}
			units = append(units, v)
			i = j + 4
		case n >= '0' && n <= '7':
			v, j := int(n-'0'), i+2
			for k := 0; k < 2 && j < len(s) && s[j] >= '0' && s[j] <= '7' && (k == 0 || n <= '3'); k++ {
				v = v*8 + int(s[j]-'0')
				j++
			}
			units = append(units, uint16(v))
			i = j
		default:
			if r, ok := strJavaEscapes[n]; ok {
				units = append(units, r)
				i += 2
			} else {
				i++ // a backslash before any other character is dropped
			}
		}
	}
	return strFromUnits(units), nil
}

var strJavaEscapes = map[byte]uint16{'b': '\b', 't': '\t', 'n': '\n', 'f': '\f', 'r': '\r', '"': '"', '\'': '\'', '\\': '\\'}

func strHexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
