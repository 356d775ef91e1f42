package format

import (
	"math"
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

func TestDelimitedEncode(t *testing.T) {
	idNameValue := []types.Column{col("ID", types.BIGINT), col("NAME", types.STRING), col("VALUE", types.INT)}
	for _, tc := range []struct {
		name string
		cols []types.Column
		opts Options
		row  []any
		want string
	}{
		// delimited.json
		{"select", idNameValue, Options{}, []any{int64(0), "zero", int32(0)}, "0,zero,0"},
		{"pipe", idNameValue, Options{Delimiter: "|"}, []any{int64(100), "100", int32(500)}, "100|100|500"},
		{"dollar", idNameValue, Options{Delimiter: "$"}, []any{int64(0), "zero", int32(0)}, "0$zero$0"},
		{"SPACE", idNameValue, Options{Delimiter: "SPACE"}, []any{int64(0), "zero", int32(0)}, "0 zero 0"},
		{"TAB", idNameValue, Options{Delimiter: "TAB"}, []any{int64(0), "zero", int32(0)}, "0\tzero\t0"},
		{"decimal scale", []types.Column{col("V", types.DecimalOf(33, 16))}, Options{}, []any{dec("0.12")}, "0.1200000000000000"},
		{"decimal exact", []types.Column{col("V", types.DecimalOf(33, 16))}, Options{}, []any{dec("12345678987654321.2345678987654321")},
			"12345678987654321.2345678987654321"},
		// A first field not starting with a letter or digit is quoted (Commons CSV).
		{"negative decimal first", []types.Column{col("V", types.DecimalOf(33, 16))}, Options{}, []any{dec("-12345.12")},
			`"-12345.1200000000000000"`},
		{"negative date first", []types.Column{col("D", types.DATE)}, Options{}, []any{types.Date(-5)}, `"-5"`},
		{"decimal key", []types.Column{col("K", types.DecimalOf(6, 4))}, Options{Key: true}, []any{dec("12.0")}, "12.0000"},
		// literals.json
		{"booleans", []types.Column{col("ID", types.BIGINT), col("A", types.BOOLEAN), col("B", types.BOOLEAN)}, Options{},
			[]any{int64(0), true, false}, "0,true,false"},
		{"doubles", []types.Column{col("ID", types.BIGINT), col("A", types.DOUBLE), col("B", types.DOUBLE), col("C", types.DOUBLE), col("D", types.DOUBLE)}, Options{},
			[]any{int64(0), 2.2250738585072014e-308, -2.2250738585072014e-308, 1.7976931348623157e308, 0.0},
			"0,2.2250738585072014E-308,-2.2250738585072014E-308,1.7976931348623157E308,0.0"},
		{"decimal literal", []types.Column{col("ID", types.BIGINT), col("D", types.DecimalOf(4, 3))}, Options{},
			[]any{int64(0), dec("2.345")}, "0,2.345"},
		// string.json: white space is quoted.
		{"white space", []types.Column{col("A", types.STRING), col("B", types.STRING), col("C", types.STRING), col("D", types.STRING)}, Options{},
			[]any{" \t with white space \t", " \t WITH WHITE SPACE \t", "with white space", "\t wit"},
			"\" \t with white space \t\",\" \t WITH WHITE SPACE \t\",with white space,\"\t wit\""},
		// project-filter.json: embedded quotes are doubled.
		{"embedded quotes", []types.Column{col("X", types.STRING)}, Options{},
			[]any{`" + new java.util.function.Supplier<String>(){public String get() {return "boom";}}.get() + "`},
			`""" + new java.util.function.Supplier<String>(){public String get() {return ""boom"";}}.get() + """`},
		// A null is an empty field; session-windows.json ",,100,newblah,150".
		{"nulls", []types.Column{col("A", types.STRING), col("B", types.INT), col("C", types.INT), col("D", types.STRING), col("E", types.INT)}, Options{},
			[]any{nil, nil, int32(100), "newblah", int32(150)}, ",,100,newblah,150"},
		{"empty strings", []types.Column{col("A", types.STRING), col("B", types.STRING)}, Options{}, []any{"", ""}, `"",`},
		{"delimiter in field", []types.Column{col("A", types.STRING), col("B", types.STRING)}, Options{}, []any{"a,b", "c,d"}, `"a,b","c,d"`},
		{"line break in field", []types.Column{col("A", types.STRING), col("B", types.STRING)}, Options{}, []any{"a", "b\nc"}, "a,\"b\nc\""},
		{"hash first", []types.Column{col("A", types.STRING), col("B", types.STRING)}, Options{}, []any{"x", "#c"}, `x,"#c"`},
		{"dash not first", []types.Column{col("A", types.STRING), col("B", types.STRING)}, Options{}, []any{"x", "-c"}, `x,-c`},
		{"non-ascii first", []types.Column{col("A", types.STRING)}, Options{}, []any{"été"}, `"été"`},
		{"non-ascii later", []types.Column{col("A", types.STRING), col("B", types.STRING)}, Options{}, []any{"a", "été"}, `a,été`},
		{"pipe delimiter in field", []types.Column{col("A", types.STRING), col("B", types.STRING)}, Options{Delimiter: "|"}, []any{"a,b", "c|d"}, `a,b|"c|d"`},
		{"bytes", []types.Column{col("B", types.BYTES)}, Options{}, []any{[]byte("variations")}, "dmFyaWF0aW9ucw=="},
		{"temporal", []types.Column{col("D", types.DATE), col("T", types.TIME), col("TS", types.TIMESTAMP)}, Options{},
			[]any{types.Date(30), types.Time(1000), types.Timestamp(1700000000000)}, "30,1000,1700000000000"},
		{"NaN", []types.Column{col("D", types.DOUBLE)}, Options{}, []any{math.NaN()}, "NaN"},
		{"multi-column key", []types.Column{col("K1", types.STRING), col("K2", types.STRING)}, Options{Key: true}, []any{"foo", "bar"}, "foo,bar"},
		{"single null", []types.Column{col("V", types.INT)}, Options{}, []any{nil}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := mustNew(t, "DELIMITED", tc.cols, tc.opts)
			got, err := c.Encode(tc.row)
			if err != nil {
				t.Fatalf("Encode: %v", err)
			}
			if got == nil || string(got) != tc.want {
				t.Fatalf("Encode = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDelimitedDecode(t *testing.T) {
	idNameValue := []types.Column{col("ID", types.BIGINT), col("NAME", types.STRING), col("VALUE", types.INT)}
	for _, tc := range []struct {
		name string
		cols []types.Column
		opts Options
		in   string
		want []any
	}{
		// delimited.json
		{"BOOLEAN key", []types.Column{col("K", types.BOOLEAN)}, Options{Key: true}, "true", []any{true}},
		{"BOOLEAN key quoted", []types.Column{col("K", types.BOOLEAN)}, Options{Key: true}, `"true"`, []any{true}},
		{"BOOLEAN key false", []types.Column{col("K", types.BOOLEAN)}, Options{Key: true}, "false", []any{false}},
		{"BOOLEAN anything else", []types.Column{col("K", types.BOOLEAN)}, Options{Key: true}, "yes", []any{false}},
		{"INT key", []types.Column{col("K", types.INT)}, Options{Key: true}, `"22"`, []any{int32(22)}},
		{"BIGINT key", []types.Column{col("K", types.BIGINT)}, Options{Key: true}, "998877665544332211", []any{int64(998877665544332211)}},
		{"DOUBLE key", []types.Column{col("K", types.DOUBLE)}, Options{Key: true}, `"123.456"`, []any{123.456}},
		{"STRING key", []types.Column{col("K", types.STRING)}, Options{Key: true}, `"You"`, []any{"You"}},
		{"DECIMAL key", []types.Column{col("K", types.DecimalOf(6, 4))}, Options{Key: true}, "12.3650", []any{dec("12.3650")}},
		{"DECIMAL key rescaled", []types.Column{col("K", types.DecimalOf(6, 4))}, Options{Key: true}, `"12.0"`, []any{dec("12.0000")}},
		{"multi-column key", []types.Column{col("K1", types.STRING), col("K2", types.STRING)}, Options{Key: true}, "foo,bar", []any{"foo", "bar"}},
		{"multi-column key quoted", []types.Column{col("K1", types.STRING), col("K2", types.STRING)}, Options{Key: true}, `"foo","bar"`, []any{"foo", "bar"}},
		{"key delimiter", []types.Column{col("K1", types.STRING), col("K2", types.STRING)}, Options{Key: true, Delimiter: ";"}, "foo,bar;baz", []any{"foo,bar", "baz"}},
		{"value delimiter", []types.Column{col("V", types.INT), col("V2", types.INT)}, Options{Delimiter: "-"}, "0-1", []any{int32(0), int32(1)}},
		{"single value", []types.Column{col("FOO", types.INT)}, Options{}, "10", []any{int32(10)}},
		{"select", idNameValue, Options{}, "0,zero,0", []any{int64(0), "zero", int32(0)}},
		{"TAB", idNameValue, Options{Delimiter: "TAB"}, "0\tzero\t0", []any{int64(0), "zero", int32(0)}},
		{"SPACE", idNameValue, Options{Delimiter: "SPACE"}, "100 100 500", []any{int64(100), "100", int32(500)}},
		{"DECIMAL exact", []types.Column{col("V", types.DecimalOf(33, 16))}, Options{}, "12345678987654321.2345678987654321",
			[]any{dec("12345678987654321.2345678987654321")}},
		{"DECIMAL leading point", []types.Column{col("V", types.DecimalOf(33, 16))}, Options{}, ".12", []any{dec("0.1200000000000000")}},
		{"DECIMAL quoted negative", []types.Column{col("V", types.DecimalOf(33, 16))}, Options{}, `"-12345.12"`, []any{dec("-12345.1200000000000000")}},
		{"DECIMAL zero", []types.Column{col("V", types.DecimalOf(33, 16))}, Options{}, "0", []any{dec("0.0000000000000000")}},
		// Empty fields are NULL (quoted or not); source-stream.json ",456,foo" and ",".
		{"null first field", []types.Column{col("A", types.INT), col("B", types.INT), col("C", types.STRING)}, Options{}, ",456,foo",
			[]any{nil, int32(456), "foo"}},
		{"two nulls", []types.Column{col("A", types.INT), col("B", types.INT)}, Options{}, ",", []any{nil, nil}},
		{"empty string is null", []types.Column{col("A", types.STRING)}, Options{}, `""`, []any{nil}},
		// string.json: white space kept.
		{"white space", []types.Column{col("TEXT", types.STRING)}, Options{}, " \t with white space \t", []any{" \t with white space \t"}},
		{"quoted white space", []types.Column{col("A", types.STRING), col("B", types.STRING)}, Options{}, "\" \t a \t\",b", []any{" \t a \t", "b"}},
		{"doubled quotes", []types.Column{col("X", types.STRING)}, Options{}, `"a""b"""`, []any{`a"b"`}},
		{"quote inside unquoted field", []types.Column{col("X", types.STRING)}, Options{}, `a"b`, []any{`a"b`}},
		{"space after closing quote", []types.Column{col("A", types.STRING), col("B", types.STRING)}, Options{}, `"a"  ,b`, []any{"a", "b"}},
		{"quoted line break", []types.Column{col("A", types.STRING)}, Options{}, "\"a\r\nb\"", []any{"a\r\nb"}},
		{"first record only", []types.Column{col("A", types.STRING)}, Options{}, "a\r\nb", []any{"a"}},
		{"leading empty lines", []types.Column{col("A", types.STRING)}, Options{}, "\n\r\na", []any{"a"}},
		{"trailing line break", []types.Column{col("A", types.INT), col("B", types.INT)}, Options{}, "1,\n", []any{int32(1), nil}},
		{"bytes", []types.Column{col("B", types.BYTES)}, Options{}, "dmFyaWF0aW9ucw==", []any{[]byte("variations")}},
		{"bytes unpadded", []types.Column{col("B", types.BYTES)}, Options{}, "ew", []any{[]byte("{")}},
		{"temporal", []types.Column{col("D", types.DATE), col("T", types.TIME), col("TS", types.TIMESTAMP)}, Options{},
			"30,1000,1700000000000", []any{types.Date(30), types.Time(1000), types.Timestamp(1700000000000)}},
		{"java doubles", []types.Column{col("A", types.DOUBLE), col("B", types.DOUBLE), col("C", types.DOUBLE), col("D", types.DOUBLE)}, Options{},
			" 1.5 ,2d,-Infinity,0x1p3", []any{1.5, 2.0, math.Inf(-1), 8.0}},
		{"plus sign", []types.Column{col("A", types.INT), col("B", types.BIGINT)}, Options{}, "+1,-2", []any{int32(1), int64(-2)}},
		{"unicode delimiter", []types.Column{col("A", types.STRING), col("B", types.STRING)}, Options{Delimiter: "§"}, "a§b", []any{"a", "b"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := mustNew(t, "DELIMITED", tc.cols, tc.opts)
			got, err := c.Decode([]byte(tc.in))
			if err != nil {
				t.Fatalf("Decode(%q): %v", tc.in, err)
			}
			if !sameRow(got, tc.want) {
				t.Fatalf("Decode(%q) = %#v\nwant %#v", tc.in, got, tc.want)
			}
		})
	}
}

func TestDelimitedDecodeErrors(t *testing.T) {
	two := []types.Column{col("A", types.INT), col("B", types.INT)}
	for _, tc := range []struct {
		name string
		cols []types.Column
		in   string
		msg  string
	}{
		{"too few fields", two, "1", "Unexpected field count, csvFields:1 schemaFields:2"},
		{"too many fields", two, "1,2,3", "Unexpected field count, csvFields:3 schemaFields:2"},
		{"trailing delimiter", two[:1], "1,", "Unexpected field count, csvFields:2 schemaFields:1"},
		{"empty", two[:1], "", "No fields in record"},
		{"only line breaks", two[:1], "\r\n", "No fields in record"},
		{"bad int", two, "1,x", "column `B`"},
		{"int overflow", two, "1,3000000000", "column `B`"},
		{"decimal in int", two, "1,1.5", "column `B`"},
		{"bad double", []types.Column{col("D", types.DOUBLE)}, "1.5x", "For input string"},
		{"bad decimal", []types.Column{col("D", types.DecimalOf(4, 2))}, "1.2.3", "For input string"},
		{"decimal overflow", []types.Column{col("D", types.DecimalOf(4, 2))}, "100", "Numeric field overflow"},
		{"bad base64", []types.Column{col("B", types.BYTES)}, "!!", "base64"},
		{"bad timestamp", []types.Column{col("T", types.TIMESTAMP)}, "2020-01-01", "For input string"},
		{"unterminated quote", two, `1,"2`, "EOF reached before encapsulated token finished"},
		{"char after quote", two, `"1"x,2`, "invalid char between encapsulated token and delimiter"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := mustNew(t, "DELIMITED", tc.cols, Options{})
			got, err := c.Decode([]byte(tc.in))
			if err == nil {
				t.Fatalf("Decode(%q) = %#v, want an error", tc.in, got)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("Decode(%q) error %q, want it to contain %q", tc.in, err, tc.msg)
			}
		})
	}
}

func TestDelimitedRoundTrip(t *testing.T) {
	strs := []types.Column{col("A", types.STRING), col("B", types.STRING), col("C", types.STRING)}
	checkRoundTrip(t, "DELIMITED", []roundTripCase{
		{"every primitive", allCols, Options{}, allRow},
		{"nulls", allCols, Options{}, make([]any, len(allCols))},
		{"tricky strings", strs, Options{}, []any{`"quoted"`, "a,b\r\nc", " #x "}},
		{"tricky strings TAB", strs, Options{Delimiter: "TAB"}, []any{"a\tb", "-", "\"\""}},
		{"negative numbers", []types.Column{col("I", types.INT), col("B", types.BIGINT), col("D", types.DOUBLE), col("E", types.DecimalOf(10, 3))}, Options{},
			[]any{int32(math.MinInt32), int64(math.MinInt64), -1e-300, dec("-1234567.891")}},
		{"special doubles", []types.Column{col("N", types.DOUBLE), col("P", types.DOUBLE), col("M", types.DOUBLE)}, Options{},
			[]any{math.NaN(), math.Inf(1), math.Inf(-1)}},
	})
}

func TestDelimitedEncodeErrors(t *testing.T) {
	c := mustNew(t, "DELIMITED", []types.Column{col("A", types.INT)}, Options{})
	if _, err := c.Encode([]any{"x"}); err == nil {
		t.Fatal("Encode of a string as INT succeeded")
	}
	if b, err := c.Encode(nil); err != nil || b != nil {
		t.Fatalf("Encode(nil) = %q, %v; want nil", b, err)
	}
	if row, err := c.Decode(nil); err != nil || row != nil {
		t.Fatalf("Decode(nil) = %#v, %v; want nil", row, err)
	}
}
