package functions

import (
	"regexp"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// QTT elt-field.json.
func TestStrEltField(t *testing.T) {
	is := strTypes(types.INT, types.STRING)
	strRun(t, "ELT", is, []strCase{
		{args: []any{int32(2), "ignored", "something"}, want: "something"},
		{args: []any{int32(2), "ignored", nil}, want: nil},
		{args: []any{int32(0), "a", "b"}, want: nil},
		{args: []any{int32(3), "a", "b"}, want: nil},
		{args: []any{nil, "a", "b"}, want: nil},
		{args: []any{int32(1)}, want: nil},
	})
	strRun(t, "FIELD", strS, []strCase{
		{args: []any{"hello", "hello", "world"}, want: int32(1)},
		{args: []any{"hello", nil, "world"}, want: int32(0)},
		{args: []any{"hello", "world", "hello"}, want: int32(2)},
		{args: []any{"hello", nil, nil}, want: int32(0)},
		{args: []any{nil, nil, "a"}, want: int32(0)},
	})
	// ELT(FIELD('hello', a, b), a, b) undoes FIELD.
	_, field := strBind(t, nil, "FIELD", strS, 3)
	_, elt := strBind(t, nil, "ELT", is, 3)
	for _, row := range [][2]any{{"hello", "world"}, {nil, "world"}, {"world", "hello"}, {nil, nil}} {
		n, _ := field([]any{"hello", row[0], row[1]})
		got, _ := elt([]any{n, row[0], row[1]})
		want := any("hello")
		if row[0] != "hello" && row[1] != "hello" {
			want = nil
		}
		if got != want {
			t.Fatalf("ELT(FIELD) on %v = %v, want %v", row, got, want)
		}
	}
}

// QTT chr.json.
func TestStrChr(t *testing.T) {
	strRun(t, "CHR", strTypes(types.INT), []strCase{
		{args: []any{int32(75)}, want: "K"},
		{args: []any{int32(22909)}, want: "好"},
		{args: []any{int32(99000)}, want: "𘊸"},
		{args: []any{int32(-1)}, want: nil},
		{args: []any{int32(0x110000)}, want: nil},
		{args: []any{nil}, want: nil},
	})
	strRun(t, "CHR", strS, []strCase{
		{args: []any{`\u004b`}, want: "K"},
		{args: []any{`\u597d`}, want: "好"},
		{args: []any{`\ud820\udeb8`}, want: "𘊸"},
		{args: []any{"75"}, want: nil},
		{args: []any{"004b"}, want: nil},
		{args: []any{"bogus"}, want: nil},
		{args: []any{""}, want: nil},
		{args: []any{nil}, want: nil},
		{name: "escapes", args: []any{`\u0041\t\101\q\\`}, want: "A\tAq\\"},
		{name: "bad hex", args: []any{`\u00zz`}, err: "Unable to parse unicode value"},
		{name: "short", args: []any{`\u004bx\u1`}, err: "Less than 4 hex digits"},
	})
	// multiple invocations: concat(chr('\u004b'), chr('\u0053'), chr(81), chr(76)).
	_, cs := strBind(t, nil, "CHR", strS, 1)
	_, ci := strBind(t, nil, "CHR", strTypes(types.INT), 1)
	_, cc := strBind(t, nil, "CONCAT", strS, 4)
	k, _ := cs([]any{`\u004b`})
	s, _ := cs([]any{`\u0053`})
	q, _ := ci([]any{int32(81)})
	l, _ := ci([]any{int32(76)})
	if v, _ := cc([]any{k, s, q, l}); v != "KSQL" {
		t.Fatalf("got %v, want KSQL", v)
	}
}

// QTT md5.json.
func TestStrMD5(t *testing.T) {
	strRun(t, "MD5", strS, []strCase{
		{args: []any{"r1"}, want: "7c92cf1eee8d99cc85f8355a3d6e4b86"},
		{args: []any{"r2"}, want: "d279186428a75016b17e4df5ea43d080"},
		{args: []any{"r3"}, want: "9d3e622df914d8de7f747b7b8b143c52"},
		{args: []any{nil}, want: nil},
		{args: []any{""}, want: "d41d8cd98f00b204e9800998ecf8427e"},
		{args: []any{" "}, want: "7215ee9c7d9dc229d2921a40e899ec5f"},
		{args: []any{"  "}, want: "23b58def11b45727d3351702515f86af"},
	})
}

func TestStrUUID(t *testing.T) {
	ret, impl := strBind(t, nil, "UUID", nil, 0)
	if ret.Kind != types.KString {
		t.Fatalf("UUID() returns %v", ret)
	}
	v4 := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	a, err := impl(nil)
	if err != nil || !v4.MatchString(a.(string)) {
		t.Fatalf("UUID() = %v, %v", a, err)
	}
	if b, _ := impl(nil); a == b {
		t.Fatalf("UUID() repeated %v", a)
	}
	strRun(t, "UUID", strTypes(types.BYTES), []strCase{
		{args: []any{[]byte{0x12, 0x3e, 0x45, 0x67, 0xe8, 0x9b, 0x12, 0xd3, 0xa4, 0x56, 0x42, 0x66, 0x14, 0x17, 0x40, 0x00}},
			want: "123e4567-e89b-12d3-a456-426614174000"},
		{args: []any{[]byte{1, 2, 3}}, want: nil},
		{args: []any{nil}, want: nil},
	})
}

func TestStrEncode(t *testing.T) {
	strRun(t, "ENCODE", strS, []strCase{
		{args: []any{"4b5351", "hex", "ascii"}, want: "KSQ"},
		{args: []any{"4B5351", "HEX", "utf8"}, want: "KSQ"},
		{args: []any{"4b5351", "hex", "base64"}, want: "S1NR"},
		{args: []any{"KSQL", "utf8", "hex"}, want: "4b53514c"},
		{args: []any{"KSQL", "utf8", "base64"}, want: "S1NRTA=="},
		{args: []any{"好", "utf8", "ascii"}, want: "\uFFFD\uFFFD\uFFFD"},
		{args: []any{"好K", "ascii", "hex"}, want: "3f4b"},
		{args: []any{"KSQL", "ascii", "utf8"}, want: "KSQL"},
		{args: []any{"S1NRTA==", "base64", "utf8"}, want: "KSQL"},
		{args: []any{"S1NRTA", "base64", "hex"}, want: "4b53514c"},
		{args: []any{"5aW9", "base64", "utf8"}, want: "好"},
		{args: []any{"/w==", "base64", "utf8"}, want: "\uFFFD"},
		{args: []any{nil, "hex", "utf8"}, want: nil},
		{args: []any{"4b", nil, "utf8"}, want: nil},
		{args: []any{"4b", "hex", "hex"}, err: "Supported input and output encodings are: hex, utf8, ascii and base64"},
		{args: []any{"4b", "latin1", "utf8"}, err: "Supported input and output encodings"},
		{args: []any{"4b5", "hex", "utf8"}, err: "invalid hex"},
		{args: []any{"!!", "base64", "utf8"}, err: "invalid base64"},
	})
}
