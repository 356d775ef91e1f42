package functions

import (
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

var strSI = strTypes(types.STRING, types.INT)

// QTT string.json, group-by.json, between.json, create-struct.json, joins.json.
func TestStrSubstring(t *testing.T) {
	strRun(t, "SUBSTRING", strSI, []strCase{
		{args: []any{"lower", int32(2), int32(5)}, want: "ower"},
		{args: []any{"UPPER", int32(2), int32(5)}, want: "PPER"},
		{args: []any{" \t with white space \t", int32(2), int32(5)}, want: "\t wit"},
		{args: []any{"s", int32(2), int32(5)}, want: ""},
		{args: []any{"long enough", int32(2), int32(5)}, want: "ong e"},
		{name: "pos 0", args: []any{"some string", int32(0), int32(2)}, want: "so"},
		{args: []any{"prefixr0", int32(7), int32(2)}, want: "r0"},
		{args: []any{"zb", int32(2)}, want: "b"},
		{args: []any{"xx", int32(1)}, want: "xx"},
		{name: "null pos", args: []any{"x", nil}, want: nil},
		{name: "null str", args: []any{nil, int32(1)}, want: nil},
		{name: "null len", args: []any{"abc", int32(1), nil}, want: nil},
		{name: "negative pos", args: []any{"abcdef", int32(-2)}, want: "ef"},
		{name: "negative pos beyond", args: []any{"abcdef", int32(-10), int32(3)}, want: "abc"},
		{name: "pos beyond", args: []any{"abc", int32(10)}, want: ""},
		{name: "negative length", args: []any{"abc", int32(2), int32(-1)}, want: ""},
		{name: "huge length", args: []any{"abc", int32(2), int32(2147483647)}, want: "bc"},
		{name: "utf16", args: []any{"a😀b", int32(2), int32(2)}, want: "😀"},
		{name: "utf16 tail", args: []any{"好a😀b", int32(-1)}, want: "b"},
	})
	strRun(t, "SUBSTRING", strTypes(types.BYTES, types.INT), []strCase{
		{args: []any{[]byte("abcdef"), int32(2), int32(3)}, want: []byte("bcd")},
		{args: []any{[]byte("abcdef"), int32(-2)}, want: []byte("ef")},
		{args: []any{[]byte("ab"), int32(5)}, want: []byte{}},
	})
}

func TestStrSubstringLegacy(t *testing.T) {
	legacy := Config{SubstringLegacyArgsConfig: "true"}
	strRunCfg(t, legacy, "SUBSTRING", strSI, []strCase{
		{args: []any{"some string", int32(0), int32(2)}, want: "so"},
		{args: []any{"some string", int32(5)}, want: "string"},
		{args: []any{"abc", int32(1), int32(3)}, want: "bc"},
		{args: []any{"abc", int32(1), int32(4)}, err: "begin 1, end 4, length 3"},
		{args: []any{"abc", int32(-1)}, err: "begin -1, end 3, length 3"},
		{args: []any{nil, int32(1)}, want: nil},
	})
	// Bytes have no legacy form.
	strRunCfg(t, legacy, "SUBSTRING", strTypes(types.BYTES, types.INT), []strCase{
		{args: []any{[]byte("abcdef"), int32(2), int32(3)}, want: []byte("bcd")},
	})
	// replace.json sets the property to false.
	strRunCfg(t, Config{SubstringLegacyArgsConfig: "false"}, "SUBSTRING", strSI, []strCase{
		{args: []any{"some string", int32(0), int32(2)}, want: "so"},
		{args: []any{"abc", int32(1), int32(3)}, want: "abc"},
	})
}

// QTT instr.json.
func TestStrInstr(t *testing.T) {
	strRun(t, "INSTR", strS, []strCase{
		{args: []any{"corporate floor", "or"}, want: int32(2)},
		{args: []any{"should I stay or should I go", "or"}, want: int32(15)},
		{args: []any{"short", "or"}, want: int32(3)},
		{args: []any{"no substring", "or"}, want: int32(0)},
		{args: []any{nil, "or"}, want: int32(0)},
		{args: []any{"or", nil}, want: int32(0)},
	})
	strRun(t, "INSTR", strTypes(types.STRING, types.STRING, types.INT), []strCase{
		{args: []any{"corporate floor", "or", int32(4)}, want: int32(5)},
		{args: []any{"short", "or", int32(4)}, want: int32(0)},
		{args: []any{"corporate floor", "or", int32(-4)}, want: int32(5)},
		{args: []any{"short", "or", int32(-4)}, want: int32(0)},
		{args: []any{"corporate floor", "or", int32(4), int32(2)}, want: int32(14)},
		{args: []any{"short", "or", int32(4), int32(2)}, want: int32(0)},
		{args: []any{"corporate floor", "or", int32(-4), int32(2)}, want: int32(2)},
		{args: []any{"short", "or", int32(-4), int32(2)}, want: int32(0)},
		{args: []any{"corporate floor", "or", int32(1), int32(3)}, want: int32(14)},
		{args: []any{"corporate floor", "or", int32(1), int32(4)}, want: int32(0)},
		{args: []any{"corporate floor", "or", int32(1), int32(0)}, want: int32(0)},
		{args: []any{"corporate floor", "or", int32(-1)}, want: int32(14)},
		{args: []any{"corporate floor", "or", int32(100)}, want: int32(0)},
		{args: []any{"corporate floor", "or", int32(-100)}, want: int32(0)},
		{args: []any{"corporate floor", "or", nil}, want: nil},
		{name: "utf16", args: []any{"😀a😀a", "a", int32(1), int32(2)}, want: int32(6)},
		{name: "utf16 reverse", args: []any{"😀a😀a", "😀", int32(-1)}, want: int32(4)},
	})
}

// QTT bytes-lpad-rpad.json.
func TestStrPadBytes(t *testing.T) {
	b := func(s string) []byte { return strB64(t, s) }
	bib := strTypes(types.BYTES, types.INT, types.BYTES)
	yes, no := b("eWVz"), b("bm8=")
	strRun(t, "LPAD", bib, []strCase{
		{args: []any{yes, int32(8), no}, want: b("bm9ub255ZXM=")},
		{args: []any{yes, int32(5), no}, want: b("bm95ZXM=")},
		{args: []any{yes, int32(3), no}, want: b("eWVz")},
		{args: []any{yes, int32(2), no}, want: b("eWU=")},
		{args: []any{yes, int32(0), no}, want: []byte{}},
		{args: []any{yes, int32(-1), no}, want: nil},
		{args: []any{yes, int32(3), []byte{}}, want: nil},
		{args: []any{nil, int32(8), no}, want: nil},
		{args: []any{yes, nil, no}, want: nil},
		{args: []any{yes, int32(8), nil}, want: nil},
	})
	strRun(t, "RPAD", bib, []strCase{
		{args: []any{yes, int32(8), no}, want: b("eWVzbm9ub24=")},
		{args: []any{yes, int32(5), no}, want: b("eWVzbm8=")},
		{args: []any{yes, int32(3), no}, want: b("eWVz")},
		{args: []any{yes, int32(2), no}, want: b("eWU=")},
		{args: []any{yes, int32(0), no}, want: []byte{}},
		{args: []any{yes, int32(-1), no}, want: nil},
		{args: []any{yes, int32(3), []byte{}}, want: nil},
		{args: []any{nil, int32(3), no}, want: nil},
		{args: []any{yes, nil, no}, want: nil},
		{args: []any{yes, int32(-1), nil}, want: nil},
		{args: []any{yes, int32(1 << 30), no}, err: "too large"},
	})
}

// The string forms mirror the bytes ones; complex-lambda.json pads map keys with 'a'.
func TestStrPadString(t *testing.T) {
	sis := strTypes(types.STRING, types.INT, types.STRING)
	strRun(t, "LPAD", sis, []strCase{
		{args: []any{"yes", int32(8), "no"}, want: "nononyes"},
		{args: []any{"yes", int32(5), "no"}, want: "noyes"},
		{args: []any{"yes", int32(2), "no"}, want: "ye"},
		{args: []any{"bcd", int32(4), "a"}, want: "abcd"},
		{args: []any{"wow", int32(1), "a"}, want: "w"},
		{args: []any{"yes", int32(-1), "no"}, want: nil},
		{args: []any{"yes", int32(5), ""}, want: nil},
		{args: []any{"好", int32(3), "😀"}, want: "😀好"},
		{args: []any{"好", int32(2), "😀"}, want: "\uFFFD好"},
	})
	strRun(t, "RPAD", sis, []strCase{
		{args: []any{"yes", int32(8), "no"}, want: "yesnonon"},
		{args: []any{"yes", int32(2), "no"}, want: "ye"},
		{args: []any{"", int32(3), "ab"}, want: "aba"},
		{args: []any{"好", int32(3), "😀"}, want: "好😀"},
		{args: []any{nil, int32(3), "ab"}, want: nil},
	})
}
