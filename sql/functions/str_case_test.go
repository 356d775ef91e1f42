package functions

import (
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

var strS = strTypes(types.STRING)

// QTT string.json "LCASE, UCASE, TRIM SUBSTRING".
func TestStrCaseAndTrim(t *testing.T) {
	inputs := []string{"lower", "UPPER", "MiXeD", " \t with white space \t", "s", "long enough"}
	lcase := []string{"lower", "upper", "mixed", " \t with white space \t", "s", "long enough"}
	ucase := []string{"LOWER", "UPPER", "MIXED", " \t WITH WHITE SPACE \t", "S", "LONG ENOUGH"}
	trim := []string{"lower", "UPPER", "MiXeD", "with white space", "s", "long enough"}
	for i, in := range inputs {
		strRun(t, "LCASE", strS, []strCase{{args: []any{in}, want: lcase[i]}})
		strRun(t, "UCASE", strS, []strCase{{args: []any{in}, want: ucase[i]}})
		strRun(t, "TRIM", strS, []strCase{{args: []any{in}, want: trim[i]}})
	}
	for _, fn := range []string{"LCASE", "UCASE", "TRIM", "LTRIM", "RTRIM", "INITCAP", "LEN"} {
		strRun(t, fn, strS, []strCase{{name: "null", args: []any{nil}, want: nil}})
	}
	strRun(t, "TRIM", strS, []strCase{{args: []any{"\x00\x01 a b \r\n"}, want: "a b"}})
	strRun(t, "UCASE", strS, []strCase{{name: "java special casing", args: []any{"straße ﬁ é"}, want: "STRASSE FI É"}})
	strRun(t, "LCASE", strS, []strCase{{name: "java special casing", args: []any{"İSTANBUL ΟΔΟΣ ΣΑ Σ"}, want: "i\u0307stanbul οδος σα σ"}})
	strRun(t, "LTRIM", strS, []strCase{
		{args: []any{" \t\n\v\f\r a b  "}, want: "a b  "},
		{args: []any{""}, want: ""},
	})
	strRun(t, "RTRIM", strS, []strCase{
		{args: []any{"  a b \t\n\v\f\r"}, want: "  a b"},
		{args: []any{"   "}, want: ""},
	})
}

// QTT group-by.json "function in group-by and nested function in select".
func TestStrInitCap(t *testing.T) {
	strRun(t, "INITCAP", strS, []strCase{
		{args: []any{"smells"}, want: "Smells"},
		{args: []any{"the"}, want: "The"},
		{args: []any{"the man WHO sold"}, want: "The Man Who Sold"},
		{args: []any{"  leading\tand  double  "}, want: "Leading\tAnd  Double  "},
		{args: []any{"éCOLE ünd"}, want: "École Ünd"},
		{args: []any{""}, want: ""},
		{args: []any{"   "}, want: ""},
	})
}

// QTT len.json and headers.json; lengths count UTF-16 code units as Java does.
func TestStrLen(t *testing.T) {
	strRun(t, "LEN", strS, []strCase{
		{args: []any{"ABC"}, want: int32(3)},
		{args: []any{""}, want: int32(0)},
		{args: []any{"好"}, want: int32(1)},
		{args: []any{"a😀"}, want: int32(3)},
	})
	strRun(t, "LEN", strTypes(types.BYTES), []strCase{
		{args: []any{strB64(t, "YWJj")}, want: int32(3)},
		{args: []any{[]byte{}}, want: int32(0)},
		{args: []any{strB64(t, "IQ==")}, want: int32(1)},
		{args: []any{nil}, want: nil},
	})
}

// QTT concat.json.
func TestStrConcat(t *testing.T) {
	strRun(t, "CONCAT", strS, []strCase{
		{args: []any{"prefix-", "s1", "-postfix"}, want: "prefix-s1-postfix"},
		{args: []any{`"`, `foo\`}, want: `"foo\`},
		{args: []any{"'", "foo'"}, want: "'foo'"},
		{name: "nulls skipped", args: []any{"a", nil, "b"}, want: "ab"},
		{name: "all null", args: []any{nil, nil}, want: ""},
		{name: "one", args: []any{"x"}, want: "x"},
	})
	strRun(t, "CONCAT", strTypes(types.BYTES), []strCase{
		{args: []any{strB64(t, "eWVz"), nil, strB64(t, "bm8=")}, want: strB64(t, "eWVzbm8=")},
		{args: []any{[]byte{}, nil, strB64(t, "bm8=")}, want: strB64(t, "bm8=")},
	})
	// CONCAT(C1, NULL, C2) with a NULL literal binds to the BYTES overload.
	_, _, err := Builtins().Scalar("CONCAT").Bind([]Arg{{Type: types.BYTES}, {Type: types.NULL}, {Type: types.BYTES}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ret, _, err := Builtins().Scalar("CONCAT").Bind([]Arg{{Type: types.BYTES}, {Type: types.NULL}}, nil)
	if err != nil || ret.Kind != types.KBytes {
		t.Fatalf("CONCAT(BYTES, NULL) = %v, %v; want BYTES", ret, err)
	}
	_, _, err = Builtins().Scalar("CONCAT").Bind([]Arg{{Type: types.STRING}, {Type: types.INT}}, nil)
	if err == nil || err.Error() != "Function 'concat' does not accept parameters (STRING, INTEGER).\nValid alternatives are:\nconcat(STRING inputs)\nconcat(BYTES inputs)" {
		t.Fatalf("CONCAT(STRING, INT): %v", err)
	}
}

// QTT concat.json "concat_ws - string" and "concat_ws - bytes".
func TestStrConcatWS(t *testing.T) {
	strRun(t, "CONCAT_WS", strS, []strCase{
		{args: []any{"SEP", "foo", "bar", "baz", nil, "literal"}, want: "fooSEPbarSEPbazSEPliteral"},
		{args: []any{"SEP", "foo", nil, "baz", nil, "literal"}, want: "fooSEPbazSEPliteral"},
		{args: []any{"SEP", nil, nil, nil, nil, "literal"}, want: "literal"},
		{args: []any{nil, "foo", "bar", "baz", nil, "literal"}, want: nil},
		{args: []any{"SEP"}, err: "expects at least two input arguments"},
	})
	b := func(s string) []byte { return strB64(t, s) }
	strRun(t, "CONCAT_WS", strTypes(types.BYTES), []strCase{
		{args: []any{b("YQ=="), b("Yg=="), b("eWVz"), nil, b("bm8=")}, want: b("YmF5ZXNhbm8=")},
		{args: []any{b("YQ=="), b("Yg=="), []byte{}, nil, b("bm8=")}, want: b("YmFhbm8=")},
		{args: []any{b("YQ=="), nil, nil, nil, nil}, want: []byte{}},
		{args: []any{nil, b("Yg=="), b("eWVz"), nil, b("bm8=")}, want: nil},
	})
}

// QTT replace.json "replace" and "Extract escaped JSON".
func TestStrReplace(t *testing.T) {
	strRun(t, "REPLACE", strTypes(types.STRING), []strCase{
		{args: []any{"anaconda", "a", "o"}, want: "onocondo"},
		{args: []any{"popcorn", "a", "o"}, want: "popcorn"},
		{args: []any{nil, "a", "o"}, want: nil},
		{args: []any{"anaconda", nil, "o"}, want: nil},
		{args: []any{"anaconda", "a", nil}, want: nil},
		{args: []any{"abc", "", "-"}, want: "-a-b-c-"},
	})
	msg := `{"messageID": "ID:plato-46377-1596636746117-4:4:1:1:1","text": "{\"widget\": 10}"}`
	_, impl := strBind(t, nil, "REPLACE", strS, 3)
	v, _ := impl([]any{msg, `"text": "{`, `"text": {`})
	v, _ = impl([]any{v, `\"`, `"`})
	v, _ = impl([]any{v, `"}`, `}`})
	if want := `{"messageID": "ID:plato-46377-1596636746117-4:4:1:1:1","text": {"widget": 10}}`; v != want {
		t.Fatalf("got %v, want %v", v, want)
	}
}
