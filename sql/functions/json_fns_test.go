package functions

import (
	"math"
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// QTT extract-json-field.json, map.json, json_items.json.
func TestJSONExtractField(t *testing.T) {
	doc1 := `{"name": "cdc", "version": "1", "@type": "UDF"}`
	doc2 := `{"name": "cdd", "version": "2", "@type": "VAL"}}` // trailing content is ignored
	arr := `{"array": [1, 2, 3]}`
	dec := `{"array": [1.23450]}`
	strRun(t, "EXTRACTJSONFIELD", strS, []strCase{
		{args: []any{doc1, "$.name"}, want: "cdc"},
		{args: []any{doc1, "$.version"}, want: "1"},
		{args: []any{doc1, "$.@type"}, want: "UDF"},
		{args: []any{doc2, "$.name"}, want: "cdd"},
		{args: []any{doc2, "$.@type"}, want: "VAL"},
		{args: []any{`{"nested": "nest0"}`, "$.nested"}, want: "nest0"},
		{args: []any{nil, "$.nested"}, want: nil},
		{args: []any{arr, "$.array[-1]"}, want: nil},
		{args: []any{arr, "$.array[0]"}, want: "1"},
		{args: []any{arr, "$.array[1]"}, want: "2"},
		{args: []any{dec, "$.array[0]"}, want: "1.23450"},
		{args: []any{dec, "$.array[1]"}, want: nil},
		{args: []any{`{"city": "x", "zip": 1}`, "$.city"}, want: "x"},
		{args: []any{`2022-01-27`, "$.a"}, err: "Invalid JSON format:2022-01-27"},
		{name: "object value", args: []any{`{"a": {"b" : [1, "x", null, true]}}`, "$.a"}, want: `{"b":[1,"x",null,true]}`},
		{name: "deep", args: []any{`{"a": {"b" : [1, {"c": "d"}]}}`, "$.a.b[1].c"}, want: "d"},
		{name: "quoted field", args: []any{`{"a b": {"c.d": 7}}`, `$['a b']["c.d"]`}, want: "7"},
		{name: "json null", args: []any{`{"a": null}`, "$.a"}, want: "null"},
		{name: "missing", args: []any{`{"a": 1}`, "$.b"}, want: nil},
		{name: "into a value", args: []any{`{"a": 1}`, "$.a.b"}, want: nil},
		{name: "non-numeric index", args: []any{`[1]`, "$.x"}, want: nil},
		{name: "root", args: []any{` [1, 2] `, "$"}, want: "[1,2]"},
		{name: "empty document", args: []any{``, "$.a"}, want: nil},
		{name: "empty document root", args: []any{``, "$"}, want: ""},
		{name: "no dollar", args: []any{`{"a": {"b": 1}}`, "a.b"}, want: "1"},
		{name: "bad path", args: []any{`{}`, "$a"}, err: "Invalid JSON path"},
		{name: "numbers", args: []any{`[1e2, -0.0, 0.0000001, 1.5E+3, -0, 12345678901234567890]`, "$"},
			want: "[1E+2,0.0,1E-7,1.5E+3,0,12345678901234567890]"},
		{name: "escapes", args: []any{`{"a": "q\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00\u0001"}`, "$"},
			want: `{"a":"q\"\\/\b\f\n\r\té😀\u0001"}`},
		{name: "text escapes", args: []any{`{"a": "q\"\n\u00e9"}`, "$.a"}, want: "q\"\né"},
		{name: "duplicate keys", args: []any{`{"a": 1, "b": 2, "a": 3}`, "$"}, want: `{"a":3,"b":2}`},
	})
	// A constant path is tokenized once; other paths per row.
	s := Builtins().Scalar("EXTRACTJSONFIELD")
	_, impl, err := s.Bind([]Arg{{Type: types.STRING}, {Type: types.STRING, Const: true, Value: "$.timestamp"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]any{"$.timestamp": "2022-01-27", "$.type": "A"} {
		got, err := impl([]any{`{"type": "A", "timestamp": "2022-01-27"}`, path})
		if err != nil || got != want {
			t.Fatalf("EXTRACTJSONFIELD(.., %q) = %v, %v; want %v", path, got, err, want)
		}
	}
}

func TestJSONParseErrors(t *testing.T) {
	for _, doc := range []string{
		`{`, `[1,]`, `{"a":1,}`, `{a:1}`, `'a'`, `01`, `1.`, `.5`, `+1`, `-`, `1e`, `NaN`, `tru`, `truex`,
		`"a` + "\n" + `"`, `"\x"`, `"\u12"`, `1x`, `1}`, `[1 2]`, `{"a" 1}`, `{"a":1 "b":2}`, `"abc`,
		strings.Repeat("[", 1001) + strings.Repeat("]", 1001), "1" + strings.Repeat("0", 1000),
	} {
		if n, err := jsonParse(doc); err == nil {
			t.Errorf("jsonParse(%.40q) = %v, want an error", doc, jsonString(n))
		}
	}
	for doc, want := range map[string]string{
		`1 x`:               "1",
		`"a"x`:              `"a"`,
		`{"a":1}}`:          `{"a":1}`,
		` true `:            "true",
		"\t\r\n[]":          "[]",
		`[1.0, 1e0, 1E-10]`: "[1.0,1,1E-10]",
		strings.Repeat("[", 1000) + strings.Repeat("]", 1000): strings.Repeat("[", 1000) + strings.Repeat("]", 1000),
	} {
		n, err := jsonParse(doc)
		if err != nil || jsonString(n) != want {
			t.Errorf("jsonParse(%.40q) = %v, %v; want %.40s", doc, jsonString(n), err, want)
		}
	}
	if n, err := jsonParse(" \n "); n != nil || err != nil {
		t.Errorf("blank input: %v, %v", n, err)
	}
}

func TestJSONBigDecimalString(t *testing.T) {
	for _, c := range []struct {
		neg      bool
		unscaled string
		scale    int
		want     string
	}{
		{false, "123", 0, "123"},
		{false, "12345", 2, "123.45"},
		{true, "12345", 7, "-0.0012345"},
		{false, "1", 7, "1E-7"},
		{false, "123", 10, "1.23E-8"},
		{false, "1", -2, "1E+2"},
		{false, "15", -2, "1.5E+3"},
		{true, "000", 1, "0.0"},
		{false, "0", -3, "0E+3"},
		{false, "1", 6, "0.000001"},
	} {
		if got := jsonBigDecimalString(c.neg, c.unscaled, c.scale); got != c.want {
			t.Errorf("jsonBigDecimalString(%v, %q, %d) = %q, want %q", c.neg, c.unscaled, c.scale, got, c.want)
		}
	}
}

// QTT json_array_contains.json.
func TestJSONArrayContains(t *testing.T) {
	strRun(t, "JSON_ARRAY_CONTAINS", strS, []strCase{
		{args: []any{`["Red", "Green"]`, "Pink"}, want: false},
		{args: []any{`["Black"]`, "Pink"}, want: false},
		{args: []any{`["Pink", "Yellow", "Pink"]`, "Pink"}, want: true},
		{args: []any{`["White", "Pink"]`, "Pink"}, want: true},
		{args: []any{`["Pink", null]`, "Pink"}, want: true},
		{args: []any{nil, "Pink"}, want: nil},
		{args: []any{`[["Pink"]]`, "Pink"}, want: false},
		{args: []any{`["Pink", {`, "Pink"}, want: true},
		{args: []any{`[{, "Pink"]`, "Pink"}, want: false},
		{args: []any{`{"a": "Pink"}`, "Pink"}, want: false},
		{args: []any{``, "Pink"}, want: false},
		{args: []any{`[]`, "Pink"}, want: false},
	})
	strRun(t, "JSON_ARRAY_CONTAINS", strTypes(types.STRING, types.NULL), []strCase{
		{args: []any{`[1, null]`, nil}, want: true},
		{args: []any{`[1, "null"]`, nil}, want: false},
	})
	strRun(t, "JSON_ARRAY_CONTAINS", strTypes(types.STRING, types.INT), []strCase{
		{args: []any{`[1, 2]`, int32(2)}, want: true},
		{args: []any{`[1.0, 2.0]`, int32(2)}, want: false},
		{args: []any{`["2"]`, int32(2)}, want: false},
		{args: []any{`[3000000000]`, int32(2)}, want: false},
	})
	strRun(t, "JSON_ARRAY_CONTAINS", strTypes(types.STRING, types.BIGINT), []strCase{
		{args: []any{`[3000000000]`, int64(3000000000)}, want: true},
	})
	strRun(t, "JSON_ARRAY_CONTAINS", strTypes(types.STRING, types.DOUBLE), []strCase{
		{args: []any{`[1.5, 2]`, 1.5}, want: true},
		{args: []any{`[2]`, 2.0}, want: false},
		{args: []any{`[2e0]`, 2.0}, want: true},
	})
	strRun(t, "JSON_ARRAY_CONTAINS", strTypes(types.STRING, types.BOOLEAN), []strCase{
		{args: []any{`[false, true]`, true}, want: true},
		{args: []any{`["true"]`, true}, want: false},
	})
}

// QTT is_json_string.json.
func TestJSONIsJSONString(t *testing.T) {
	strRun(t, "IS_JSON_STRING", strS, []strCase{
		{args: []any{"1"}, want: true},
		{args: []any{"abc"}, want: false},
		{args: []any{"[1, 2, 3]"}, want: true},
		{args: []any{`"abc"`}, want: true},
		{args: []any{""}, want: false},
		{args: []any{nil}, want: false},
		{args: []any{`{"a": [}`}, want: false},
	})
}

func TestJSONArrayLength(t *testing.T) {
	strRun(t, "JSON_ARRAY_LENGTH", strS, []strCase{
		{args: []any{"[1, 2, 3]"}, want: int32(3)},
		{args: []any{"[1, [1, [2]]]"}, want: int32(2)},
		{args: []any{"[]"}, want: int32(0)},
		{args: []any{`{"a": 1}`}, want: nil},
		{args: []any{`"abc"`}, want: nil},
		{args: []any{""}, want: nil},
		{args: []any{nil}, want: nil},
		{args: []any{"abc"}, err: "Invalid JSON format:abc"},
	})
}

// QTT json_concat.json.
func TestJSONConcat(t *testing.T) {
	strRun(t, "JSON_CONCAT", strS, []strCase{
		{args: []any{`{"a": 1}`, `{"b": 2}`}, want: `{"a":1,"b":2}`},
		{args: []any{`{}`, `{}`}, want: `{}`},
		{args: []any{`{"a": {"5": 6}}`, `{"a": {"3": 4}}`}, want: `{"a":{"3":4}}`},
		{args: []any{`[1, 2]`, `[3, 4]`}, want: `[1,2,3,4]`},
		{args: []any{`null`, `null`}, want: `[null,null]`},
		{args: []any{`[1, 2]`, `{"a": 1}`}, want: `[1,2,{"a":1}]`},
		{args: []any{`[]`, `[]`}, want: `[]`},
		{args: []any{`[1, [2]]`, `[[[3]], [[[4]]]]`}, want: `[1,[2],[[3]],[[[4]]]]`},
		{args: []any{`1`, ``}, want: nil},
		{args: []any{``, `1`}, want: nil},
		{args: []any{``, ``}, want: nil},
		{args: []any{nil, nil}, want: nil},
		{args: []any{nil, ``}, want: nil},
		{args: []any{`{"a": 1}`, `{"b": 2}`, `{"c": 3}`}, want: `{"a":1,"b":2,"c":3}`},
		{args: []any{`{}`, `{}`, `{}`}, want: `{}`},
		{args: []any{`{"a": {"5": 6}}`, `{"a": {"3": 4}}`, `{"a": {"7": 8}}`}, want: `{"a":{"7":8}}`},
		{args: []any{`[1, 2]`, `[3, 4]`, `[5, 6]`}, want: `[1,2,3,4,5,6]`},
		{args: []any{`null`, `null`, `null`}, want: `[null,null,null]`},
		{args: []any{`[1, 2]`, `{"a": 1}`, `4`}, want: `[1,2,{"a":1},4]`},
		{args: []any{`[]`, `[]`, `[]`}, want: `[]`},
		{args: []any{`1`, ``, `2`}, want: nil},
		{args: []any{``, `1`, `1`}, want: nil},
		{args: []any{``, ``, ``}, want: nil},
		{args: []any{nil, nil, nil}, want: nil},
		{name: "single", args: []any{` {"a" : 1} `}, want: `{"a":1}`},
		{name: "key order kept", args: []any{`{"b": 1, "a": 2}`, `{"b": 3, "c": 4}`}, want: `{"b":3,"a":2,"c":4}`},
		{name: "invalid", args: []any{`{`, `{}`}, err: "Invalid JSON format"},
	})
}

// QTT json_keys.json.
func TestJSONKeys(t *testing.T) {
	strRun(t, "JSON_KEYS", strS, []strCase{
		{args: []any{`{"Red": 3, "Green": 5}`}, want: strList("Red", "Green")},
		{args: []any{`{"Black": 2}`}, want: strList("Black")},
		{args: []any{`{"Pink": 1, "Yellow": 3}`}, want: strList("Pink", "Yellow")},
		{args: []any{`{"White": 7, "Pink": 8}`}, want: strList("White", "Pink")},
		{args: []any{`{}`}, want: strList()},
		{args: []any{nil}, want: nil},
		{args: []any{``}, want: nil},
		{args: []any{`[1]`}, want: nil},
	})
}

// QTT json_items.json.
func TestJSONItems(t *testing.T) {
	strRun(t, "JSON_ITEMS", strS, []strCase{
		{args: []any{`[{"type": "A", "timestamp": "2022-01-27"}, {"type": "B", "timestamp": "2022-05-18"}]`},
			want: strList(`{"type":"A","timestamp":"2022-01-27"}`, `{"type":"B","timestamp":"2022-05-18"}`)},
		{args: []any{`[]`}, want: strList()},
		{args: []any{`[1, "a", null, [true]]`}, want: strList("1", `"a"`, "null", "[true]")},
		{args: []any{`{}`}, want: nil},
		{args: []any{nil}, want: nil},
	})
	// TRANSFORM(JSON_ITEMS(EVENTS), (obj) => EXTRACTJSONFIELD(obj, '$.timestamp')).
	_, items := strBind(t, nil, "JSON_ITEMS", strS, 1)
	_, extract := strBind(t, nil, "EXTRACTJSONFIELD", strS, 2)
	v, _ := items([]any{`[{"type": "A", "timestamp": "2022-01-27"}, {"type": "B", "timestamp": "2022-05-18"}]`})
	var got []any
	for _, o := range v.([]any) {
		ts, err := extract([]any{o, "$.timestamp"})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ts)
	}
	if !strSame(got, strList("2022-01-27", "2022-05-18")) {
		t.Fatalf("got %v", got)
	}
}

func TestJSONRecords(t *testing.T) {
	strRun(t, "JSON_RECORDS", strS, []strCase{
		{args: []any{`{"a": "abc", "b": { "c": "a" }, "d": 1, "e": null}`},
			want: map[any]any{"a": `"abc"`, "b": `{"c":"a"}`, "d": "1", "e": "null"}},
		{args: []any{`{}`}, want: map[any]any{}},
		{args: []any{`[]`}, want: nil},
		{args: []any{``}, want: nil},
		{args: []any{nil}, want: nil},
		{args: []any{`{`}, err: "Invalid JSON format"},
	})
}

// QTT to_json_string.json, plus nested and special values.
func TestJSONToJSONString(t *testing.T) {
	type c struct {
		t    *types.Type
		v    any
		want string
	}
	st := types.StructOf(types.Field{Name: "ID", Type: types.INT}, types.Field{Name: "NAME", Type: types.STRING})
	for _, x := range []c{
		{types.INT, int32(1), "1"},
		{types.INT, nil, "null"},
		{types.STRING, "abc", `"abc"`},
		{types.STRING, nil, "null"},
		{types.BOOLEAN, true, "true"},
		{types.BIGINT, int64(123), "123"},
		{types.DOUBLE, 123.456, "123.456"},
		{types.DOUBLE, 1e20, "1.0E20"},
		{types.DOUBLE, 1.0, "1.0"},
		{types.DOUBLE, math.NaN(), "NaN"},
		{types.DecimalOf(6, 3), strDec(t, "123.456"), "123.456"},
		{types.DecimalOf(6, 3), strDec(t, "1.500"), "1.500"},
		{types.BYTES, []byte("!"), `"IQ=="`},
		{types.TIME, types.Time(60220000), `"16:43:40"`},
		{types.TIME, types.Time(60220123), `"16:43:40"`},
		{types.DATE, types.Date(1000), `"1972-09-27"`},
		{types.TIMESTAMP, types.Timestamp(60220000000), `"1971-11-28T23:46:40.000"`},
		{types.TIMESTAMP, types.Timestamp(1), `"1970-01-01T00:00:00.001"`},
		{types.ArrayOf(types.INT), []any{int32(1), int32(2), int32(3)}, "[1,2,3]"},
		{types.ArrayOf(types.INT), []any{int32(1), nil}, "[1,null]"},
		{st, &types.Struct{Type: st, Values: []any{int32(1), "Alice"}}, `{"ID":1,"NAME":"Alice"}`},
		{st, &types.Struct{Type: st, Values: []any{nil, "A\"\n"}}, `{"ID":null,"NAME":"A\"\n"}`},
		{types.MapOf(types.STRING, types.INT), map[any]any{"id": int32(1)}, `{"id":1}`},
		{types.MapOf(types.STRING, types.INT), map[any]any{"b": int32(2), "a": nil}, `{"a":null,"b":2}`},
		{types.MapOf(types.STRING, types.ArrayOf(types.INT)), map[any]any{"id": []any{int32(1), int32(2), int32(3)}}, `{"id":[1,2,3]}`},
		{types.MapOf(types.INT, types.STRING), map[any]any{int32(1): "x"}, `{"1":"x"}`},
	} {
		ret, impl := strBind(t, nil, "TO_JSON_STRING", strTypes(x.t), 1)
		if ret.Kind != types.KString {
			t.Fatalf("TO_JSON_STRING returns %v", ret)
		}
		got, err := impl([]any{x.v})
		if err != nil || got != x.want {
			t.Errorf("TO_JSON_STRING(%s %v) = %v, %v; want %s", x.t.SQL(), x.v, got, err, x.want)
		}
	}
	// A NULL literal.
	_, impl := strBind(t, nil, "TO_JSON_STRING", strTypes(types.NULL), 1)
	if got, _ := impl([]any{nil}); got != "null" {
		t.Fatalf("TO_JSON_STRING(NULL) = %v", got)
	}
	// A Go value that is no SQL value is an error, not a panic.
	_, impl = strBind(t, nil, "TO_JSON_STRING", strTypes(types.INT), 1)
	if _, err := impl([]any{struct{}{}}); err == nil {
		t.Fatal("want an error for a non-SQL value")
	}
}

func FuzzJSONParse(f *testing.F) {
	for _, s := range []string{`{"a": [1, 2.50, "x\u00e9", null, true]}`, `[1e5, -0.0]`, `"\ud83d\ude00"`, ``, `{`, `1 2`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := jsonParse(s)
		if err != nil || n == nil {
			return
		}
		out := jsonString(n)
		m, err := jsonParse(out)
		if err != nil {
			t.Fatalf("re-parse of %q (from %q): %v", out, s, err)
		}
		if again := jsonString(m); again != out {
			t.Fatalf("not stable: %q -> %q -> %q", s, out, again)
		}
		tokens, err := jsonPathTokens(s)
		if err == nil {
			_, _ = jsonExtract(out, tokens)
		}
		_ = jsonArrayContains(s, "x")
	})
}
