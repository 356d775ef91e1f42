package functions

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// URL functions: URL_DECODE_PARAM, URL_ENCODE_PARAM and the URL_EXTRACT_* family, with
// the semantics of Java's URLDecoder, URLEncoder and java.net.URI (components decoded;
// NULL for a component the URL lacks; an error for a URL with invalid syntax).

func init() {
	str1 := func(name, desc string, fn func(string) (any, error)) *Scalar {
		return strScalar(name, "URL", desc,
			Overload{Params: []string{"STRING"}, Names: []string{"input"}, Returns: "STRING", NullOnNull: true,
				Impl: func(a []any) (any, error) { return fn(a[0].(string)) }})
	}
	builtinScalars = append(builtinScalars,
		str1("URL_DECODE_PARAM", "Decodes an application/x-www-form-urlencoded string ('+' is a space).",
			func(s string) (any, error) {
				d, err := url.QueryUnescape(s)
				if err != nil {
					return nil, fmt.Errorf("URLDecoder: illegal escape in %q: %w", s, err)
				}
				return string([]rune(d)), nil
			}),
		str1("URL_ENCODE_PARAM", "Encodes a string as application/x-www-form-urlencoded (a space is '+').",
			func(s string) (any, error) { return urlEncodeParam(s), nil }),
		str1("URL_EXTRACT_FRAGMENT", "Returns the decoded fragment of a URL, or NULL.",
			func(s string) (any, error) { return urlComponent(s, "fragment") }),
		str1("URL_EXTRACT_HOST", "Returns the host of a URL, or NULL.",
			func(s string) (any, error) { return urlComponent(s, "host") }),
		str1("URL_EXTRACT_PATH", "Returns the decoded path of a URL, or NULL.",
			func(s string) (any, error) { return urlComponent(s, "path") }),
		str1("URL_EXTRACT_PROTOCOL", "Returns the protocol (scheme) of a URL, or NULL.",
			func(s string) (any, error) { return urlComponent(s, "scheme") }),
		str1("URL_EXTRACT_QUERY", "Returns the decoded query string of a URL, or NULL.",
			func(s string) (any, error) { return urlComponent(s, "query") }),
		strScalar("URL_EXTRACT_PORT", "URL", "Returns the port of a URL, or NULL.",
			Overload{Params: []string{"STRING"}, Names: []string{"input"}, Returns: "INT", NullOnNull: true,
				Impl: func(a []any) (any, error) { return urlComponent(a[0].(string), "port") }}),
		strScalar("URL_EXTRACT_PARAMETER", "URL",
			"Returns the decoded value of the first query parameter called paramName ('' when it has no value), or NULL.",
			Overload{Params: []string{"STRING", "STRING"}, Names: []string{"input", "paramName"}, Returns: "STRING", NullOnNull: true,
				Impl: func(a []any) (any, error) {
					q, err := urlComponent(a[0].(string), "query")
					if err != nil || q == nil {
						return nil, err
					}
					name := a[1].(string)
					for _, param := range strings.Split(q.(string), "&") {
						k, v, hasValue := strings.Cut(param, "=")
						if k != name {
							continue
						}
						if !hasValue {
							return "", nil
						}
						return v, nil
					}
					return nil, nil
				}}),
	)
}

// urlEncodeParam is Java's URLEncoder.encode(s, UTF-8): letters, digits and ".-*_" stay,
// a space becomes '+', every other byte %XX.
func urlEncodeParam(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for _, c := range []byte(string([]rune(s))) {
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(".-*_", c) >= 0:
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&0xF])
		}
	}
	return b.String()
}

// urlComponent parses s as java.net.URI does and returns one component: "scheme",
// "host", "port" (int32), "path", "query" or "fragment"; nil when the URL has none.
func urlComponent(s, what string) (any, error) {
	bad := func() (any, error) { return nil, fmt.Errorf("URL input has invalid syntax: %s", s) }
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c <= ' ' || c == 0x7f || strings.IndexByte("\"<>\\^`{|}", c) >= 0:
			return bad()
		case c == '%':
			if i+2 >= len(s) || !urlIsHex(s[i+1]) || !urlIsHex(s[i+2]) {
				return bad()
			}
		case c == '#' && strings.IndexByte(s[i+1:], '#') >= 0:
			return bad()
		}
	}
	u, err := url.Parse(s)
	if err != nil {
		return bad()
	}
	// Go lower-cases the scheme; Java keeps it as written.
	scheme := ""
	if i := strings.IndexByte(s, ':'); i > 0 && u.Scheme != "" {
		scheme = s[:i]
	}
	opaque := u.Opaque != ""
	switch what {
	case "scheme":
		if scheme == "" {
			return nil, nil
		}
		return scheme, nil
	case "fragment":
		if !strings.Contains(s, "#") {
			return nil, nil
		}
		return string([]rune(u.Fragment)), nil
	case "path":
		if opaque {
			return nil, nil
		}
		return string([]rune(u.Path)), nil
	case "query":
		if opaque || !u.ForceQuery && u.RawQuery == "" {
			return nil, nil
		}
		q, err := url.PathUnescape(u.RawQuery)
		if err != nil {
			return bad()
		}
		return string([]rune(q)), nil
	}
	// host and port: only for a server-based authority.
	if opaque || u.Host == "" {
		return nil, nil
	}
	host, port := u.Host, ""
	if strings.HasPrefix(host, "[") {
		end := strings.IndexByte(host, ']')
		if end < 0 {
			return nil, nil
		}
		host, port = host[:end+1], strings.TrimPrefix(host[end+1:], ":")
	} else if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host, port = host[:i], host[i+1:]
	}
	if !strings.HasPrefix(host, "[") && !urlValidHostname(host) {
		return nil, nil // a registry-based authority: Java's URI has no host or port
	}
	if what == "host" {
		return host, nil
	}
	if port == "" {
		return nil, nil
	}
	p, err := strconv.ParseInt(port, 10, 32)
	if err != nil {
		return nil, nil
	}
	return int32(p), nil
}

func urlIsHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// urlValidHostname checks RFC 2396 host name syntax (what java.net.URI accepts for a
// server-based authority): dot-separated labels of letters, digits and '-', not starting
// or ending with '-'; an optional trailing dot.
func urlValidHostname(h string) bool {
	h = strings.TrimSuffix(h, ".")
	if h == "" {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}
