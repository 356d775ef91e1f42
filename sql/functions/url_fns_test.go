package functions

import (
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

func TestURLEncodeDecodeParam(t *testing.T) {
	strRun(t, "URL_ENCODE_PARAM", strS, []strCase{
		{args: []any{"?foo $bar"}, want: "%3Ffoo+%24bar"},
		{args: []any{"a.b-c*d_e~f"}, want: "a.b-c*d_e%7Ef"},
		{args: []any{"é/&="}, want: "%C3%A9%2F%26%3D"},
		{args: []any{""}, want: ""},
		{args: []any{nil}, want: nil},
	})
	strRun(t, "URL_DECODE_PARAM", strS, []strCase{
		{args: []any{"%3Ffoo+%24bar"}, want: "?foo $bar"},
		{args: []any{"%C3%A9%2f"}, want: "é/"},
		{args: []any{"a*b~c"}, want: "a*b~c"},
		{args: []any{"%ff"}, want: "\uFFFD"},
		{args: []any{"%zz"}, err: "URLDecoder"},
		{args: []any{"abc%"}, err: "URLDecoder"},
		{args: []any{nil}, want: nil},
	})
}

func TestURLExtract(t *testing.T) {
	const full = "http://user:pw@test.com:8080/nested/docs%20x.html?query=val&q2=a%20b&flag#frag%20x"
	strRun(t, "URL_EXTRACT_PROTOCOL", strS, []strCase{
		{args: []any{full}, want: "http"},
		{args: []any{"HTTPS://a.com"}, want: "HTTPS"},
		{args: []any{"/relative/path"}, want: nil},
		{args: []any{"mailto:a@b.com"}, want: "mailto"},
		{args: []any{nil}, want: nil},
		{args: []any{"http://a b.com"}, err: "URL input has invalid syntax: http://a b.com"},
	})
	strRun(t, "URL_EXTRACT_HOST", strS, []strCase{
		{args: []any{full}, want: "test.com"},
		{args: []any{"https://docs.confluent.io/current/ksql/docs/syntax-reference.html#scalar-functions"}, want: "docs.confluent.io"},
		{args: []any{"http://[::1]:8080/x"}, want: "[::1]"},
		{args: []any{"http://my_host.com/x"}, want: nil},
		{args: []any{"/relative/path"}, want: nil},
		{args: []any{"mailto:a@b.com"}, want: nil},
	})
	strRun(t, "URL_EXTRACT_PORT", strS, []strCase{
		{args: []any{full}, want: int32(8080)},
		{args: []any{"http://test.com/x"}, want: nil},
		{args: []any{"http://[::1]:9/x"}, want: int32(9)},
		{args: []any{"http://test.com:/x"}, want: nil},
	})
	strRun(t, "URL_EXTRACT_PATH", strS, []strCase{
		{args: []any{full}, want: "/nested/docs x.html"},
		{args: []any{"http://test.com"}, want: ""},
		{args: []any{"/relative/path?x"}, want: "/relative/path"},
		{args: []any{"mailto:a@b.com"}, want: nil},
	})
	strRun(t, "URL_EXTRACT_QUERY", strS, []strCase{
		{args: []any{full}, want: "query=val&q2=a b&flag"},
		{args: []any{"http://test.com/x"}, want: nil},
		{args: []any{"http://test.com/x?"}, want: ""},
		{args: []any{"http://test.com/x?a+b=c"}, want: "a+b=c"},
		{args: []any{"mailto:a@b.com?subject=x"}, want: nil},
	})
	strRun(t, "URL_EXTRACT_FRAGMENT", strS, []strCase{
		{args: []any{full}, want: "frag x"},
		{args: []any{"http://test.com/x"}, want: nil},
		{args: []any{"http://test.com/x#"}, want: ""},
		{args: []any{"mailto:a@b.com#f"}, want: "f"},
		{args: []any{"http://test.com/x#a#b"}, err: "invalid syntax"},
		{args: []any{"http://test.com/x#%zz"}, err: "invalid syntax"},
	})
	strRun(t, "URL_EXTRACT_PARAMETER", strTypes(types.STRING), []strCase{
		{args: []any{full, "query"}, want: "val"},
		{args: []any{full, "q2"}, want: "a b"},
		{args: []any{full, "flag"}, want: ""},
		{args: []any{full, "missing"}, want: nil},
		{args: []any{"http://test.com/x?a=1=2&a=3", "a"}, want: "1=2"},
		{args: []any{"http://test.com/x", "a"}, want: nil},
		{args: []any{nil, "a"}, want: nil},
		{args: []any{full, nil}, want: nil},
	})
}
