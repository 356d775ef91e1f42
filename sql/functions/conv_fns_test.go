package functions

import (
	"math"
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// QTT split.json uses TO_BYTES(delimiter, 'utf8').
func TestConvToFromBytes(t *testing.T) {
	strRun(t, "TO_BYTES", strS, []strCase{
		{args: []any{".", "utf8"}, want: []byte(".")},
		{args: []any{"$$", "UTF8"}, want: []byte("$$")},
		{args: []any{"", "utf8"}, want: []byte{}},
		{args: []any{"4b53", "hex"}, want: []byte("KS")},
		{args: []any{"S1NR", "base64"}, want: []byte("KSQ")},
		{args: []any{"é", "ascii"}, want: []byte("?")},
		{args: []any{nil, "utf8"}, want: nil},
		{args: []any{"a", nil}, want: nil},
		{args: []any{"a", "latin1"}, err: "Unknown encoding type 'latin1'"},
		{args: []any{"xyz", "hex"}, err: "invalid hex"},
	})
	strRun(t, "FROM_BYTES", strTypes(types.BYTES, types.STRING), []strCase{
		{args: []any{[]byte("KS"), "hex"}, want: "4b53"},
		{args: []any{[]byte("KSQ"), "base64"}, want: "S1NR"},
		{args: []any{[]byte("好"), "utf8"}, want: "好"},
		{args: []any{[]byte{0xff, 'a'}, "utf8"}, want: "\uFFFDa"},
		{args: []any{[]byte{0xff, 'a'}, "ascii"}, want: "\uFFFDa"},
		{args: []any{[]byte{}, "hex"}, want: ""},
		{args: []any{nil, "hex"}, want: nil},
		{args: []any{[]byte("a"), "bogus"}, err: "Unknown encoding type"},
	})
}

func TestConvCoalesceIfNullNullIf(t *testing.T) {
	ret, impl := strBind(t, nil, "COALESCE", strTypes(types.INT), 3)
	if ret.Kind != types.KInt {
		t.Fatalf("COALESCE(INT...) returns %v", ret)
	}
	for _, c := range []struct{ args, want any }{
		{[]any{nil, int32(2), int32(3)}, int32(2)},
		{[]any{int32(1), nil, int32(3)}, int32(1)},
		{[]any{nil, nil, nil}, nil},
	} {
		got, err := impl(c.args.([]any))
		strCheck(t, "COALESCE", got, err, c.want, "")
	}
	// Widening to a common type.
	for _, c := range []struct {
		types []*types.Type
		ret   string
		args  []any
		want  any
	}{
		{strTypes(types.INT, types.BIGINT), "BIGINT", []any{int32(7), int64(1)}, int64(7)},
		{strTypes(types.NULL, types.INT, types.BIGINT), "BIGINT", []any{nil, nil, int64(1)}, int64(1)},
		{strTypes(types.INT, types.DecimalOf(4, 2)), "DECIMAL(12, 2)", []any{int32(7), strDec(t, "1.50")}, strDec(t, "7.00")},
		{strTypes(types.DecimalOf(4, 2), types.DecimalOf(5, 3)), "DECIMAL(5, 3)", []any{strDec(t, "1.50"), nil}, strDec(t, "1.500")},
		{strTypes(types.DecimalOf(4, 2), types.DOUBLE), "DOUBLE", []any{strDec(t, "1.50"), 2.0}, 1.5},
		{strTypes(types.STRING, types.NULL), "STRING", []any{nil, nil}, nil},
		{strTypes(types.ArrayOf(types.INT), types.ArrayOf(types.INT)), "ARRAY<INTEGER>", []any{nil, []any{int32(1)}}, []any{int32(1)}},
	} {
		args := make([]Arg, len(c.types))
		for i, ty := range c.types {
			args[i] = Arg{Type: ty}
		}
		ret, impl, err := Builtins().Scalar("COALESCE").Bind(args, nil)
		if err != nil {
			t.Fatalf("COALESCE%v: %v", c.types, err)
		}
		if ret.SQL() != c.ret {
			t.Fatalf("COALESCE%v returns %s, want %s", c.types, ret.SQL(), c.ret)
		}
		got, err := impl(c.args)
		strCheck(t, "COALESCE", got, err, c.want, "")
	}
	for _, bad := range [][]*types.Type{
		strTypes(types.INT, types.STRING),
		strTypes(types.ArrayOf(types.INT), types.ArrayOf(types.STRING)),
		strTypes(types.NULL, types.NULL),
		{},
	} {
		args := make([]Arg, len(bad))
		for i, ty := range bad {
			args[i] = Arg{Type: ty}
		}
		if _, _, err := Builtins().Scalar("COALESCE").Bind(args, nil); err == nil {
			t.Fatalf("COALESCE%v: want an error", bad)
		}
	}
	_, _, err := Builtins().Scalar("COALESCE").Bind([]Arg{{Type: types.INT}, {Type: types.STRING}}, nil)
	if err == nil || !strings.HasPrefix(err.Error(), "Function 'coalesce' does not accept parameters (INTEGER, STRING).") {
		t.Fatalf("COALESCE(INT, STRING): %v", err)
	}
	_, _, err = Builtins().Scalar("COALESCE").Bind([]Arg{{Type: types.INT}, {Lambda: &Lambda{Params: 1}}}, nil)
	if err == nil {
		t.Fatal("COALESCE with a lambda: want an error")
	}

	strRun(t, "IFNULL", strS, []strCase{
		{args: []any{"a", "b"}, want: "a"},
		{args: []any{nil, "b"}, want: "b"},
		{args: []any{nil, nil}, want: nil},
	})
	strRun(t, "IFNULL", strTypes(types.INT, types.BIGINT), []strCase{
		{args: []any{int32(1), int64(2)}, want: int64(1)},
		{args: []any{nil, int64(2)}, want: int64(2)},
	})
	if _, _, err := Builtins().Scalar("IFNULL").Bind([]Arg{{Type: types.INT}}, nil); err == nil {
		t.Fatal("IFNULL with one argument: want an error")
	}

	strRun(t, "NULLIF", strS, []strCase{
		{args: []any{"a", "a"}, want: nil},
		{args: []any{"a", "b"}, want: "a"},
		{args: []any{"a", nil}, want: "a"},
		{args: []any{nil, "a"}, want: nil},
	})
	strRun(t, "NULLIF", strTypes(types.INT, types.DecimalOf(3, 1)), []strCase{
		{args: []any{int32(1), strDec(t, "1.0")}, want: nil},
		{args: []any{int32(2), strDec(t, "1.0")}, want: strDec(t, "2.0")},
	})
	strRun(t, "NULLIF", strTypes(types.ArrayOf(types.INT)), []strCase{
		{args: []any{[]any{int32(1)}, []any{int32(1)}}, want: nil},
		{args: []any{[]any{int32(1)}, []any{int32(2)}}, want: []any{int32(1)}},
	})
}

func TestConvGreatestLeast(t *testing.T) {
	strRun(t, "GREATEST", strTypes(types.INT), []strCase{
		{args: []any{int32(1), int32(3), int32(2)}, want: int32(3)},
		{args: []any{nil, int32(-3), nil}, want: int32(-3)},
		{args: []any{nil, nil}, want: nil},
		{args: []any{int32(5)}, want: int32(5)},
	})
	strRun(t, "LEAST", strTypes(types.INT), []strCase{
		{args: []any{int32(1), int32(3), int32(-2)}, want: int32(-2)},
		{args: []any{nil, int32(3)}, want: int32(3)},
	})
	strRun(t, "GREATEST", strTypes(types.INT, types.BIGINT), []strCase{
		{args: []any{int32(10), int64(3)}, want: int64(10)},
	})
	strRun(t, "GREATEST", strTypes(types.INT, types.DOUBLE), []strCase{
		{args: []any{int32(10), 3.5}, want: 10.0},
	})
	strRun(t, "GREATEST", strTypes(types.DOUBLE), []strCase{
		{args: []any{1.0, math.NaN()}, want: math.NaN()},
		{args: []any{math.Copysign(0, -1), 0.0}, want: 0.0},
	})
	strRun(t, "LEAST", strTypes(types.DOUBLE), []strCase{
		{args: []any{1.0, math.NaN(), math.Inf(-1)}, want: math.Inf(-1)},
		{args: []any{0.0, math.Copysign(0, -1)}, want: math.Copysign(0, -1)},
	})
	strRun(t, "GREATEST", strS, []strCase{
		{args: []any{"apple", "banana", "aardvark"}, want: "banana"},
	})
	strRun(t, "LEAST", strS, []strCase{
		{args: []any{"apple", "banana", "aardvark"}, want: "aardvark"},
	})
	strRun(t, "GREATEST", strTypes(types.DATE), []strCase{{args: []any{types.Date(3), types.Date(9)}, want: types.Date(9)}})
	strRun(t, "LEAST", strTypes(types.TIMESTAMP), []strCase{{args: []any{types.Timestamp(3), types.Timestamp(9)}, want: types.Timestamp(3)}})
	strRun(t, "GREATEST", strTypes(types.BYTES), []strCase{{args: []any{[]byte("a"), []byte("b")}, want: []byte("b")}})

	ret, impl := strBind(t, nil, "GREATEST", strTypes(types.INT, types.DecimalOf(4, 2)), 2)
	if ret.SQL() != "DECIMAL(12, 2)" {
		t.Fatalf("GREATEST(INT, DECIMAL(4, 2)) returns %s", ret.SQL())
	}
	got, err := impl([]any{types.ToDecimal(int32(7)), strDec(t, "10.25")})
	strCheck(t, "GREATEST", got, err, strDec(t, "10.25"), "")
	got, err = impl([]any{types.ToDecimal(int32(70)), strDec(t, "10.25")})
	strCheck(t, "GREATEST", got, err, strDec(t, "70.00"), "")

	if _, _, err := Builtins().Scalar("GREATEST").Bind([]Arg{{Type: types.INT}, {Type: types.STRING}}, nil); err == nil {
		t.Fatal("GREATEST(INT, STRING): want an error")
	}
}

// Every function of these groups is registered, documented, and callable with NULLs
// without panicking.
func TestStrRegistered(t *testing.T) {
	names := strings.Fields(`CONCAT CONCAT_WS UCASE LCASE INITCAP TRIM LTRIM RTRIM LEN LPAD RPAD SUBSTRING REPLACE
		REGEXP_EXTRACT REGEXP_EXTRACT_ALL REGEXP_REPLACE REGEXP_SPLIT_TO_ARRAY SPLIT SPLIT_TO_MAP INSTR CHR ELT FIELD
		MASK MASK_KEEP_LEFT MASK_KEEP_RIGHT MASK_LEFT MASK_RIGHT MD5 UUID ENCODE TO_BYTES FROM_BYTES
		EXTRACTJSONFIELD JSON_ARRAY_CONTAINS IS_JSON_STRING JSON_ARRAY_LENGTH JSON_CONCAT JSON_KEYS JSON_RECORDS
		JSON_ITEMS TO_JSON_STRING URL_DECODE_PARAM URL_ENCODE_PARAM URL_EXTRACT_FRAGMENT URL_EXTRACT_HOST
		URL_EXTRACT_PARAMETER URL_EXTRACT_PATH URL_EXTRACT_PORT URL_EXTRACT_PROTOCOL URL_EXTRACT_QUERY
		COALESCE IFNULL NULLIF GREATEST LEAST`)
	for _, n := range names {
		s := Builtins().Scalar(n)
		if s == nil {
			t.Errorf("%s is not registered", n)
			continue
		}
		if s.Description == "" || len(s.Signatures) == 0 || s.Category == "" {
			t.Errorf("%s lacks a description, signatures or category", n)
		}
		for k := 1; k <= 6; k++ {
			args := make([]Arg, k)
			vals := make([]any, k)
			for i := range args {
				args[i] = Arg{Type: types.STRING}
			}
			if _, impl, err := s.Bind(args, nil); err == nil {
				_, _ = impl(vals)
			}
		}
	}
}

// No input makes a function of these groups panic: every overload is called with edge
// values (empty, NULL, negative, huge, non-ASCII, malformed).
func TestStrNoPanics(t *testing.T) {
	values := map[types.Kind][]any{
		types.KString: {nil, "", "a", "😀é", "$1", `\`, "%", "%zz", "[", `{"a":[1,2.50]}`, "http://h:1/p?a=b#f", `\ud800`, "\x00\xff"},
		types.KInt:    {nil, int32(0), int32(-1), int32(1), int32(100)},
		types.KBytes:  {nil, []byte{}, []byte{0, 0xff}, []byte("a,b")},
	}
	kinds := []*types.Type{types.STRING, types.INT, types.BYTES}
	mine := strings.Fields(`CONCAT CONCAT_WS UCASE LCASE INITCAP TRIM LTRIM RTRIM LEN LPAD RPAD SUBSTRING REPLACE
		REGEXP_EXTRACT REGEXP_EXTRACT_ALL REGEXP_REPLACE REGEXP_SPLIT_TO_ARRAY SPLIT SPLIT_TO_MAP INSTR CHR ELT FIELD
		MASK MASK_KEEP_LEFT MASK_KEEP_RIGHT MASK_LEFT MASK_RIGHT MD5 UUID ENCODE TO_BYTES FROM_BYTES
		EXTRACTJSONFIELD JSON_ARRAY_CONTAINS IS_JSON_STRING JSON_ARRAY_LENGTH JSON_CONCAT JSON_KEYS JSON_RECORDS
		JSON_ITEMS TO_JSON_STRING URL_DECODE_PARAM URL_ENCODE_PARAM URL_EXTRACT_FRAGMENT URL_EXTRACT_HOST
		URL_EXTRACT_PARAMETER URL_EXTRACT_PATH URL_EXTRACT_PORT URL_EXTRACT_PROTOCOL URL_EXTRACT_QUERY`)
	for _, name := range mine {
		s := Builtins().Scalar(name)
		for n := 0; n <= 3; n++ {
			// every combination of argument kinds
			combos := 1
			for range n {
				combos *= len(kinds)
			}
			for c := range combos {
				args := make([]Arg, n)
				for i, x := 0, c; i < n; i, x = i+1, x/len(kinds) {
					args[i] = Arg{Type: kinds[x%len(kinds)]}
				}
				_, impl, err := s.Bind(args, Config{SubstringLegacyArgsConfig: "true"})
				if err != nil {
					_, impl, err = s.Bind(args, nil)
				}
				if err != nil {
					continue
				}
				// every combination of values for up to 3 arguments, a diagonal beyond
				total := 1
				for _, a := range args {
					total *= len(values[a.Type.Kind])
				}
				total = min(total, 5000)
				for v := range total {
					vals := make([]any, n)
					for i, x := 0, v; i < n; i++ {
						vs := values[args[i].Type.Kind]
						vals[i] = vs[x%len(vs)]
						x /= len(vs)
					}
					func() {
						defer func() {
							if r := recover(); r != nil {
								t.Fatalf("%s%s panics: %v", name, strArgsText(vals), r)
							}
						}()
						_, _ = impl(vals)
					}()
				}
			}
		}
	}
}
