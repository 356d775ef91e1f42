package format

import (
	"math"
	"math/big"
	"reflect"
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

func dec(s string) types.Decimal {
	d, err := types.ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

// sameRow says whether two rows hold the same values with the same Go types (Decimal
// scale included).
func sameRow(a, b []any) bool {
	if (a == nil) != (b == nil) || len(a) != len(b) {
		return false
	}
	for i := range a {
		if !sameValue(a[i], b[i]) {
			return false
		}
	}
	return true
}

func sameValue(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if reflect.TypeOf(a) != reflect.TypeOf(b) {
		return false
	}
	switch x := a.(type) {
	case float64:
		y := b.(float64)
		return x == y || math.IsNaN(x) && math.IsNaN(y)
	case types.Decimal:
		y := b.(types.Decimal)
		return x.Scale == y.Scale && x.Cmp(y) == 0
	case []any:
		return sameRow(x, b.([]any))
	case map[any]any:
		y := b.(map[any]any)
		if len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !sameValue(v, w) {
				return false
			}
		}
		return true
	case *types.Struct:
		y := b.(*types.Struct)
		return x.Type.Equal(y.Type) && sameRow(x.Values, y.Values)
	}
	return types.Equal(a, b)
}

var (
	pointType = types.StructOf(types.Field{Name: "X", Type: types.INT}, types.Field{Name: "name", Type: types.STRING})
	allCols   = []types.Column{
		col("BO", types.BOOLEAN), col("I", types.INT), col("BI", types.BIGINT), col("D", types.DOUBLE),
		col("DE", types.DecimalOf(4, 2)), col("S", types.STRING), col("BY", types.BYTES),
		col("DA", types.DATE), col("TI", types.TIME), col("TS", types.TIMESTAMP),
	}
	allRow = []any{true, int32(-7), int64(10827272222), 2.0, dec("1.50"), "héllo \"x\"", []byte("variations"),
		types.Date(19000), types.Time(3600000), types.Timestamp(1700000000000)}
)

func TestJSONEncode(t *testing.T) {
	for _, tc := range []struct {
		name string
		cols []types.Column
		opts Options
		row  []any
		want string
	}{
		{"every primitive", allCols, Options{}, allRow,
			`{"BO":true,"I":-7,"BI":10827272222,"D":2.0,"DE":1.50,"S":"héllo \"x\"","BY":"dmFyaWF0aW9ucw==","DA":19000,"TI":3600000,"TS":1700000000000}`},
		{"nulls kept", allCols, Options{}, make([]any, len(allCols)),
			`{"BO":null,"I":null,"BI":null,"D":null,"DE":null,"S":null,"BY":null,"DA":null,"TI":null,"TS":null}`},
		{"double 2.0", []types.Column{col("V", types.DOUBLE)}, Options{}, []any{2.0}, `{"V":2.0}`},
		{"double 1.0E20", []types.Column{col("V", types.DOUBLE)}, Options{}, []any{1e20}, `{"V":1.0E20}`},
		{"double 1.0E-5", []types.Column{col("V", types.DOUBLE)}, Options{}, []any{1e-5}, `{"V":1.0E-5}`},
		{"double 1.0E7", []types.Column{col("V", types.DOUBLE)}, Options{}, []any{1e7}, `{"V":1.0E7}`},
		{"double 9876.54321", []types.Column{col("V", types.DOUBLE)}, Options{}, []any{9876.54321}, `{"V":9876.54321}`},
		{"double exp", []types.Column{col("EXP", types.DOUBLE)}, Options{}, []any{22026.465794806718}, `{"EXP":22026.465794806718}`},
		{"double NaN", []types.Column{col("V", types.DOUBLE)}, Options{}, []any{math.NaN()}, `{"V":"NaN"}`},
		{"double -Infinity", []types.Column{col("V", types.DOUBLE)}, Options{}, []any{math.Inf(-1)}, `{"V":"-Infinity"}`},
		{"double from bigint", []types.Column{col("V", types.DOUBLE)}, Options{}, []any{int64(3)}, `{"V":3.0}`},
		{"decimal 1.5 as DECIMAL(4,2)", []types.Column{col("V", types.DecimalOf(4, 2))}, Options{}, []any{dec("1.5")}, `{"V":1.50}`},
		{"decimal rounds HALF_UP", []types.Column{col("V", types.DecimalOf(3, 1))}, Options{}, []any{dec("1.25")}, `{"V":1.3}`},
		{"decimal from int", []types.Column{col("V", types.DecimalOf(4, 2))}, Options{}, []any{int32(3)}, `{"V":3.00}`},
		{"decimal negative small", []types.Column{col("V", types.DecimalOf(10, 8))}, Options{}, []any{dec("-0.00000001")}, `{"V":-0.00000001}`},
		{"bigint from int", []types.Column{col("V", types.BIGINT)}, Options{}, []any{int32(5)}, `{"V":5}`},
		{"struct", []types.Column{col("P", pointType)}, Options{},
			[]any{&types.Struct{Type: pointType, Values: []any{int32(1), nil}}}, `{"P":{"X":1,"name":null}}`},
		{"map sorted", []types.Column{col("M", types.MapOf(types.STRING, types.DOUBLE))}, Options{},
			[]any{map[any]any{"c": 3.456, "a": 1.1, "b": nil}}, `{"M":{"a":1.1,"b":null,"c":3.456}}`},
		{"array", []types.Column{col("A", types.ArrayOf(types.BIGINT))}, Options{},
			[]any{[]any{int64(12), int64(34), nil}}, `{"A":[12,34,null]}`},
		{"array of bytes", []types.Column{col("A", types.ArrayOf(types.BYTES))}, Options{},
			[]any{[]any{[]byte("{"), []byte{}}}, `{"A":["ew==",""]}`},
		{"nested", []types.Column{col("N", types.ArrayOf(types.MapOf(types.STRING, pointType)))}, Options{},
			[]any{[]any{map[any]any{"k": &types.Struct{Type: pointType, Values: []any{int32(2), "n"}}}}}, `{"N":[{"k":{"X":2,"name":"n"}}]}`},
		{"string escapes", []types.Column{col("S", types.STRING)}, Options{},
			[]any{"q\" b\\ n\n t\t r\r b\b f\f u\x01 \x1f </>&\u2028 é"}, `{"S":"q\" b\\ n\n t\t r\r b\b f\f u\u0001 \u001F </>&` + "\u2028" + ` é"}`},
		{"invalid utf8", []types.Column{col("S", types.STRING)}, Options{}, []any{"a\xffb"}, `{"S":"a` + "\uFFFD" + `b"}`},
		{"quoted column names", []types.Column{col("@TIMESTAMP", types.BIGINT), col("from", types.BIGINT)}, Options{},
			[]any{int64(4), int64(5)}, `{"@TIMESTAMP":4,"from":5}`},
		{"unwrapped value", []types.Column{col("FOO", types.BOOLEAN)}, Options{WrapSingle: ptr(false)}, []any{true}, `true`},
		{"unwrapped array", []types.Column{col("FOO", types.ArrayOf(types.BIGINT))}, Options{WrapSingle: ptr(false)},
			[]any{[]any{int64(12), int64(34), int64(999)}}, `[12,34,999]`},
		{"unwrapped struct", []types.Column{col("FOO", types.StructOf(types.Field{Name: "F0", Type: types.INT}))}, Options{WrapSingle: ptr(false)},
			[]any{&types.Struct{Type: types.StructOf(types.Field{Name: "F0", Type: types.INT}), Values: []any{nil}}}, `{"F0":null}`},
		{"unwrapped decimal", []types.Column{col("V", types.DecimalOf(4, 2))}, Options{WrapSingle: ptr(false)}, []any{dec("99.99")}, `99.99`},
		{"wrapped explicitly", []types.Column{col("FOO", types.BOOLEAN)}, Options{WrapSingle: ptr(true)}, []any{nil}, `{"FOO":null}`},
		{"single key", []types.Column{col("K", types.DecimalOf(6, 4))}, Options{Key: true}, []any{dec("12.365")}, `12.3650`},
		{"single string key", []types.Column{col("K", types.STRING)}, Options{Key: true}, []any{"Hey"}, `"Hey"`},
		{"struct key", []types.Column{col("K", types.StructOf(types.Field{Name: "F", Type: types.DOUBLE}))}, Options{Key: true},
			[]any{&types.Struct{Type: types.StructOf(types.Field{Name: "F", Type: types.DOUBLE}), Values: []any{45.67}}}, `{"F":45.67}`},
		{"multi-column key", []types.Column{col("K1", types.STRING), col("K2", types.STRING)}, Options{Key: true},
			[]any{"foo", "bar"}, `{"K1":"foo","K2":"bar"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := mustNew(t, "JSON", tc.cols, tc.opts)
			got, err := c.Encode(tc.row)
			if err != nil {
				t.Fatalf("Encode: %v", err)
			}
			if string(got) != tc.want {
				t.Fatalf("Encode = %s\nwant     %s", got, tc.want)
			}
		})
	}
}

func TestJSONEncodeNulls(t *testing.T) {
	for _, tc := range []struct {
		name string
		cols []types.Column
		opts Options
		row  []any
	}{
		{"nil row", allCols, Options{}, nil},
		{"unwrapped null value", []types.Column{col("FOO", types.BOOLEAN)}, Options{WrapSingle: ptr(false)}, []any{nil}},
		{"null single key", []types.Column{col("K", types.INT)}, Options{Key: true}, []any{nil}},
	} {
		c := mustNew(t, "JSON", tc.cols, tc.opts)
		if b, err := c.Encode(tc.row); err != nil || b != nil {
			t.Errorf("%s: Encode = %q, %v; want nil bytes", tc.name, b, err)
		}
	}
}

func TestJSONEncodeErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		t    *types.Type
		v    any
	}{
		{"string as int", types.INT, "1"},
		{"bigint out of int range", types.INT, int64(math.MaxInt32 + 1)},
		{"float as bigint", types.BIGINT, 1.5},
		{"int as string", types.STRING, int32(1)},
		{"string as bytes", types.BYTES, "x"},
		{"date as time", types.TIME, types.Date(1)},
		{"struct arity", pointType, &types.Struct{Type: pointType, Values: []any{int32(1)}}},
		{"array elem", types.ArrayOf(types.INT), []any{"x"}},
		{"map value", types.MapOf(types.STRING, types.INT), map[any]any{"a": "x"}},
		{"map key", types.MapOf(types.STRING, types.INT), map[any]any{[2]int{}: int32(1)}},
	} {
		c := mustNew(t, "JSON", []types.Column{col("V", tc.t)}, Options{})
		if b, err := c.Encode([]any{tc.v}); err == nil {
			t.Errorf("%s: Encode = %s, want an error", tc.name, b)
		}
	}
}

func TestJSONDecode(t *testing.T) {
	v := func(name string, tp *types.Type) []types.Column { return []types.Column{col(name, tp)} }
	for _, tc := range []struct {
		name string
		cols []types.Column
		opts Options
		in   string
		want []any
	}{
		// key-schemas.json, elements.json: field names matched exactly, then upper-cased.
		{"upper-cased member", []types.Column{col("ID", types.BIGINT)}, Options{}, `{"id": 1}`, []any{int64(1)}},
		{"reserved words", []types.Column{col("@TIMESTAMP", types.BIGINT), col("FROM", types.BIGINT)}, Options{},
			`{"@timestamp": 4, "from": 5}`, []any{int64(4), int64(5)}},
		{"KEY value column", []types.Column{col("KEY", types.STRING), col("ID", types.BIGINT)}, Options{},
			`{"key": "a", "id": 1}`, []any{"a", int64(1)}},
		{"exact match first", v("FOO", types.INT), Options{}, `{"foo": 1, "FOO": 2}`, []any{int32(2)}},
		{"quoted lower-case column needs exact match", v("foo", types.INT), Options{}, `{"FOO": 1}`, []any{nil}},
		{"quoted lower-case column", v("foo", types.INT), Options{}, `{"foo": 1}`, []any{int32(1)}},
		{"missing and extra members", []types.Column{col("A", types.INT), col("B", types.STRING)}, Options{},
			`{"c": true, "a": 3}`, []any{int32(3), nil}},
		{"duplicate members: last wins", v("A", types.INT), Options{}, `{"A": 1, "A": 2}`, []any{int32(2)}},
		{"trailing content ignored", v("A", types.INT), Options{}, `{"A": 1} garbage`, []any{int32(1)}},
		{"surrounding white space", v("A", types.INT), Options{}, " \r\n\t{\"A\" : 1 }\n", []any{int32(1)}},
		// math.json trunc - integer: a decimal number into INT truncates.
		{"INT from -1.7", v("V", types.INT), Options{}, `{"v": -1.7}`, []any{int32(-1)}},
		{"INT from 1e2", v("V", types.INT), Options{}, `{"V": 1e2}`, []any{int32(100)}},
		{"INT from string", v("F2", types.INT), Options{}, `{"f2": "4"}`, []any{int32(4)}},
		{"INT wraps as Java's intValue", v("V", types.INT), Options{}, `{"V": 10000000000}`, []any{int32(1410065408)}},
		{"INT from huge", v("V", types.INT), Options{}, `{"V": 1e400}`, []any{int32(0)}},
		{"BIGINT", v("V", types.BIGINT), Options{}, `{"V": 998877665544332211}`, []any{int64(998877665544332211)}},
		{"BIGINT from decimal", v("V", types.BIGINT), Options{}, `{"V": 12.99}`, []any{int64(12)}},
		{"BIGINT from string", v("V", types.BIGINT), Options{}, `{"V": "-10"}`, []any{int64(-10)}},
		{"BIGINT low bits", v("V", types.BIGINT), Options{}, `{"V": 18446744073709551617}`, []any{int64(1)}},
		{"DOUBLE", v("V", types.DOUBLE), Options{}, `{"V": 1234.589}`, []any{1234.589}},
		{"DOUBLE from int", v("V", types.DOUBLE), Options{}, `{"V": 3}`, []any{3.0}},
		{"DOUBLE from string", v("V", types.DOUBLE), Options{}, `{"V": " 10.5 "}`, []any{10.5}},
		{"DOUBLE NaN string", v("V", types.DOUBLE), Options{}, `{"V": "NaN"}`, []any{math.NaN()}},
		{"DOUBLE overflow", v("V", types.DOUBLE), Options{}, `{"V": 1e400}`, []any{math.Inf(1)}},
		{"DOUBLE 1.12345678901234", v("V0", types.DecimalOf(15, 14)), Options{}, `{"V0": 1.12345678901234}`, []any{dec("1.12345678901234")}},
		// earliest-offset-udaf.json: a numeric string into DECIMAL.
		{"DECIMAL from string", v("F0", types.DecimalOf(3, 2)), Options{}, `{"F0": "3.4"}`, []any{dec("3.40")}},
		{"DECIMAL rescaled", v("V", types.DecimalOf(4, 2)), Options{}, `{"V": 10.1}`, []any{dec("10.10")}},
		{"DECIMAL kept exact", v("V", types.DecimalOf(33, 16)), Options{}, `{"V": 12345678987654321.2345678987654321}`,
			[]any{dec("12345678987654321.2345678987654321")}},
		{"DECIMAL from int", v("V", types.DecimalOf(4, 2)), Options{}, `{"V": 12}`, []any{dec("12.00")}},
		{"DECIMAL HALF_UP", v("V", types.DecimalOf(4, 2)), Options{}, `{"V": 1.005}`, []any{dec("1.01")}},
		{"DECIMAL HALF_UP negative", v("V", types.DecimalOf(4, 2)), Options{}, `{"V": -1.005}`, []any{dec("-1.01")}},
		{"DECIMAL tiny", v("V", types.DecimalOf(4, 2)), Options{}, `{"V": 1e-999999}`, []any{dec("0.00")}},
		{"DECIMAL exponent", v("V", types.DecimalOf(5, 2)), Options{}, `{"V": 1E+2}`, []any{dec("100.00")}},
		{"BOOLEAN", v("V", types.BOOLEAN), Options{}, `{"V": false}`, []any{false}},
		{"BOOLEAN from string", v("V", types.BOOLEAN), Options{}, `{"V": "TRUE"}`, []any{true}},
		// json.json: anonymous array with coercion, and STRING coercions.
		{"STRING from numbers", v("FOO", types.ArrayOf(types.STRING)), Options{WrapSingle: ptr(false)}, `[1, 2, 3]`,
			[]any{[]any{"1", "2", "3"}}},
		{"STRING from number forms", v("FOO", types.ArrayOf(types.STRING)), Options{WrapSingle: ptr(false)},
			`[1.50, 1e5, 0.0000001, -0, true, null, 12345678901234567890]`,
			[]any{[]any{"1.50", "1E+5", "1E-7", "0", "true", nil, "12345678901234567890"}}},
		{"STRING from object", v("S", types.STRING), Options{}, `{"S": {"b": [1, "x\n", null], "a": 1.0e5, "b": {}, "c": 1.0e1}}`,
			[]any{`{"b":{},"a":1.0E+5,"c":10}`}},
		{"STRING from nested object", v("S", types.STRING), Options{}, `{"S": {"b": [1, "x\n\u0001", null, false], "é": -0}}`,
			[]any{`{"b":[1,"x\n\u0001",null,false],"é":0}`}},
		{"STRING from array", v("S", types.STRING), Options{}, `{"S": ["a", 1, null, {"k": "v"}, [true]]}`,
			[]any{`[a, 1, null, {"k":"v"}, [true]]`}},
		{"STRING from boolean", v("S", types.STRING), Options{}, `{"S": true}`, []any{"true"}},
		{"BYTES", v("B", types.BYTES), Options{}, `{"B": "dmFyaWF0aW9ucw=="}`, []any{[]byte("variations")}},
		{"BYTES empty", v("B", types.BYTES), Options{}, `{"B": ""}`, []any{[]byte{}}},
		{"DATE", v("D", types.DATE), Options{}, `{"D": 19000}`, []any{types.Date(19000)}},
		{"DATE from string", v("D", types.DATE), Options{}, `{"D": "-3"}`, []any{types.Date(-3)}},
		{"TIME", v("T", types.TIME), Options{}, `{"T": 86400000}`, []any{types.Time(86400000)}},
		{"TIMESTAMP", v("T", types.TIMESTAMP), Options{}, `{"T": 1.5e3}`, []any{types.Timestamp(1500)}},
		{"TIMESTAMP from string", v("T", types.TIMESTAMP), Options{}, `{"T": "1700000000000"}`, []any{types.Timestamp(1700000000000)}},
		// bytes.json: bytes in complex types.
		{"complex types", []types.Column{
			col("S", types.StructOf(types.Field{Name: "B", Type: types.BYTES})),
			col("A", types.ArrayOf(types.BYTES)),
			col("M", types.MapOf(types.STRING, types.BYTES)),
		}, Options{}, `{"S": {"B": "ew=="}, "A": ["ew==", "ew=="], "M": {"B": "ew=="}}`, []any{
			&types.Struct{Type: types.StructOf(types.Field{Name: "B", Type: types.BYTES}), Values: []any{[]byte("{")}},
			[]any{[]byte("{"), []byte("{")},
			map[any]any{"B": []byte("{")},
		}},
		{"struct fields upper-cased", v("V0", types.StructOf(types.Field{Name: "F0", Type: types.STRING}, types.Field{Name: "F1", Type: types.INT})),
			Options{}, `{"V0": {"f0": "bob", "f1": 1}}`,
			[]any{&types.Struct{Type: types.StructOf(types.Field{Name: "F0", Type: types.STRING}, types.Field{Name: "F1", Type: types.INT}), Values: []any{"bob", int32(1)}}}},
		{"map keeps key case", v("FOO", types.MapOf(types.STRING, types.INT)), Options{WrapSingle: ptr(false)},
			`{"a": 1, "b": 2, "c": null}`, []any{map[any]any{"a": int32(1), "b": int32(2), "c": nil}}},
		{"nested map", v("FOO", types.MapOf(types.STRING, types.INT)), Options{}, `{"FOO": null}`, []any{nil}},
		// serdes.json / json.json: wrapping.
		{"unwrapped string", v("FOO", types.STRING), Options{WrapSingle: ptr(false)}, `"bar"`, []any{"bar"}},
		{"unwrapped struct", v("FOO", types.StructOf(types.Field{Name: "F1", Type: types.STRING})), Options{WrapSingle: ptr(false)},
			`{"F1": "bar"}`, []any{&types.Struct{Type: types.StructOf(types.Field{Name: "F1", Type: types.STRING}), Values: []any{"bar"}}}},
		{"unwrapped struct lower-case", v("V", types.StructOf(types.Field{Name: "A", Type: types.DOUBLE})), Options{WrapSingle: ptr(false)},
			`{"a": 45.67}`, []any{&types.Struct{Type: types.StructOf(types.Field{Name: "A", Type: types.DOUBLE}), Values: []any{45.67}}}},
		{"unwrapped null", v("V", types.INT), Options{WrapSingle: ptr(false)}, `null`, []any{nil}},
		{"wrapped null", v("V", types.INT), Options{}, `null`, nil},
		{"empty input", v("V", types.INT), Options{}, ``, nil},
		{"white space input", v("V", types.INT), Options{}, "  \n", nil},
		{"single key", []types.Column{col("K", types.DOUBLE)}, Options{Key: true}, `654.321`, []any{654.321}},
		{"single key 0.0", []types.Column{col("K", types.DOUBLE)}, Options{Key: true}, `0.0`, []any{0.0}},
		{"single key followed by space", []types.Column{col("K", types.INT)}, Options{Key: true}, "33 \n", []any{int32(33)}},
		{"struct key", []types.Column{col("K", types.StructOf(types.Field{Name: "F", Type: types.DOUBLE}))}, Options{Key: true},
			`{"f": 45.67}`, []any{&types.Struct{Type: types.StructOf(types.Field{Name: "F", Type: types.DOUBLE}), Values: []any{45.67}}}},
		{"multi-column key", []types.Column{col("K1", types.STRING), col("K2", types.STRING)}, Options{Key: true},
			`{"K1": "foo", "K2": "bar"}`, []any{"foo", "bar"}},
		{"escapes", v("S", types.STRING), Options{}, `{"S": "a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00\ud800x"}`,
			[]any{"a\"\\/\b\f\n\r\té😀\uFFFDx"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := mustNew(t, "JSON", tc.cols, tc.opts)
			got, err := c.Decode([]byte(tc.in))
			if err != nil {
				t.Fatalf("Decode(%s): %v", tc.in, err)
			}
			if !sameRow(got, tc.want) {
				t.Fatalf("Decode(%s) = %#v\nwant %#v", tc.in, got, tc.want)
			}
		})
	}
}

func TestJSONDecodeErrors(t *testing.T) {
	v := func(name string, tp *types.Type) []types.Column { return []types.Column{col(name, tp)} }
	deep := strings.Repeat("[", 1001) + strings.Repeat("]", 1001)
	for _, tc := range []struct {
		name string
		cols []types.Column
		opts Options
		in   string
		msg  string
	}{
		{"truncated object", v("A", types.INT), Options{}, `{"A": 1`, "end-of-input"},
		{"truncated string", v("A", types.STRING), Options{}, `{"A": "abc`, "end-of-input"},
		{"truncated escape", v("A", types.STRING), Options{}, `{"A": "\u12`, "hex-digit"},
		{"missing value", v("A", types.INT), Options{}, `{"A": }`, "expected a valid value"},
		{"missing colon", v("A", types.INT), Options{}, `{"A" 1}`, "colon"},
		{"trailing comma", v("A", types.ArrayOf(types.INT)), Options{}, `{"A": [1,]}`, "expected a valid value"},
		{"unquoted name", v("A", types.INT), Options{}, `{A: 1}`, "double-quote"},
		{"leading zero", v("A", types.INT), Options{}, `{"A": 01}`, "Leading zeroes"},
		{"bare point", v("A", types.DOUBLE), Options{}, `{"A": 1.}`, "Decimal point"},
		{"bare exponent", v("A", types.DOUBLE), Options{}, `{"A": 1e}`, "Exponent"},
		{"lone minus", v("A", types.INT), Options{}, `{"A": -}`, "minus sign"},
		{"NaN literal", v("A", types.DOUBLE), Options{}, `{"A": NaN}`, "expected a valid value"},
		{"bad literal", v("A", types.BOOLEAN), Options{}, `{"A": tru}`, "Unrecognized token 'tru'"},
		{"literal run-on", v("A", types.BOOLEAN), Options{}, `{"A": truex}`, "Unrecognized token 'truex'"},
		{"single quotes", v("A", types.STRING), Options{}, `{'A': 'x'}`, "double-quote"},
		{"comment", v("A", types.INT), Options{}, `/* c */ {"A": 1}`, "expected a valid value"},
		{"control character", v("A", types.STRING), Options{}, "{\"A\": \"a\x01\"}", "CTRL-CHAR"},
		{"bad escape", v("A", types.STRING), Options{}, `{"A": "\x"}`, "Unrecognized character escape"},
		{"invalid utf8", v("A", types.STRING), Options{}, "{\"A\": \"\xff\"}", "UTF-8"},
		{"root number run-on", v("A", types.INT), Options{WrapSingle: ptr(false)}, `12x`, "root-level"},
		{"root number comma", v("A", types.INT), Options{WrapSingle: ptr(false)}, `1,2`, "root-level"},
		{"too deep", v("A", types.STRING), Options{WrapSingle: ptr(false)}, deep, "nesting depth"},
		{"number too long", v("A", types.DOUBLE), Options{WrapSingle: ptr(false)}, strings.Repeat("9", 1001), "exceeds the maximum"},
		{"wrapped non-object", []types.Column{col("A", types.INT), col("B", types.INT)}, Options{}, `[1, 2]`,
			"Can't convert type. sourceType: ArrayNode, requiredType: STRUCT<`A` INTEGER, `B` INTEGER>"},
		{"wrapped single non-object", v("FOO", types.STRING), Options{}, `"bar"`, "sourceType: TextNode"},
		{"INT from text", v("V", types.INT), Options{}, `{"V": "not a number"}`,
			"Can't coerce string to type. targetType: INTEGER, path: $.V"},
		{"INT from decimal text", v("V", types.INT), Options{}, `{"V": "1.5"}`, "targetType: INTEGER"},
		{"INT out of range text", v("V", types.INT), Options{}, `{"V": "3000000000"}`, "targetType: INTEGER"},
		{"INT from boolean", v("V", types.INT), Options{}, `{"V": true}`, "sourceType: BooleanNode, requiredType: INTEGER"},
		{"INT from object", v("V", types.INT), Options{}, `{"V": {}}`, "sourceType: ObjectNode"},
		{"BOOLEAN from number", v("V", types.BOOLEAN), Options{}, `{"V": 1}`, "sourceType: IntNode, requiredType: BOOLEAN"},
		{"BOOLEAN from text", v("V", types.BOOLEAN), Options{}, `{"V": "yes"}`, "targetType: BOOLEAN"},
		{"DOUBLE from text", v("V", types.DOUBLE), Options{}, `{"V": "10.0 - not a number"}`, "targetType: DOUBLE"},
		{"DECIMAL overflow", v("V", types.DecimalOf(4, 2)), Options{}, `{"V": 100}`,
			"Numeric field overflow: A field with precision 4 and scale 2 must round to an absolute value less than 10^2. Got 100"},
		{"DECIMAL huge", v("V", types.DecimalOf(4, 2)), Options{}, `{"V": 1e999999}`, "Numeric field overflow"},
		{"DECIMAL from text", v("V", types.DecimalOf(4, 2)), Options{}, `{"V": "x"}`, "targetType: DECIMAL(4, 2)"},
		{"DECIMAL from boolean", v("V", types.DecimalOf(4, 2)), Options{}, `{"V": false}`, "sourceType: BooleanNode"},
		{"DECIMAL exponent overflow", v("V", types.DecimalOf(4, 2)), Options{}, `{"V": 1e9999999999}`, "Invalid numeric value"},
		{"BYTES not base64", v("B", types.BYTES), Options{}, `{"B": "not base64!"}`, "Value is not a valid Base64 encoded string"},
		{"BYTES from number", v("B", types.BYTES), Options{}, `{"B": 1}`, "sourceType: IntNode, requiredType: BYTES"},
		{"TIME out of range", v("T", types.TIME), Options{}, `{"T": -1}`, "Time values must use number of milliseconds"},
		{"TIMESTAMP from text", v("T", types.TIMESTAMP), Options{}, `{"T": "2020-01-01"}`, "targetType: TIMESTAMP"},
		{"ARRAY from text", v("A", types.ArrayOf(types.INT)), Options{}, `{"A": "x"}`, "sourceType: TextNode, requiredType: ARRAY<INTEGER>, path: $.A"},
		{"ARRAY element", v("A", types.ArrayOf(types.INT)), Options{}, `{"A": [1, "x"]}`, "path: $.A[1]"},
		{"MAP from array", v("M", types.MapOf(types.STRING, types.INT)), Options{}, `{"M": []}`, "sourceType: ArrayNode"},
		{"MAP value", v("M", types.MapOf(types.STRING, types.INT)), Options{}, `{"M": {"k": "x"}}`, "path: $.M.k.value"},
		{"STRUCT from number", v("S", pointType), Options{}, `{"S": 1.5}`, "sourceType: DecimalNode"},
		{"STRUCT field", v("S", pointType), Options{}, `{"S": {"X": "x"}}`, "path: $.S.X"},
		{"LongNode", v("S", pointType), Options{}, `{"S": 10000000000}`, "sourceType: LongNode"},
		{"BigIntegerNode", v("S", pointType), Options{}, `{"S": 100000000000000000000}`, "sourceType: BigIntegerNode"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := mustNew(t, "JSON", tc.cols, tc.opts)
			got, err := c.Decode([]byte(tc.in))
			if err == nil {
				t.Fatalf("Decode(%s) = %#v, want an error", tc.in, got)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("Decode(%s) error:\n%v\nwant it to contain %q", tc.in, err, tc.msg)
			}
		})
	}
}

func TestJSONRoundTrip(t *testing.T) {
	nested := types.StructOf(
		types.Field{Name: "A", Type: types.ArrayOf(types.DecimalOf(5, 3))},
		types.Field{Name: "m", Type: types.MapOf(types.STRING, pointType)},
		types.Field{Name: "T", Type: types.TIMESTAMP},
	)
	nestedVal := &types.Struct{Type: nested, Values: []any{
		[]any{dec("1.500"), nil, dec("-99.999")},
		map[any]any{"p": &types.Struct{Type: pointType, Values: []any{int32(1), "x"}}, "q": nil},
		types.Timestamp(-5),
	}}
	checkRoundTrip(t, "JSON", []roundTripCase{
		{"every primitive", allCols, Options{}, allRow},
		{"nulls", allCols, Options{}, make([]any, len(allCols))},
		{"extremes", []types.Column{col("I", types.INT), col("B", types.BIGINT), col("D", types.DOUBLE), col("E", types.DOUBLE)}, Options{},
			[]any{int32(math.MinInt32), int64(math.MinInt64), math.MaxFloat64, math.SmallestNonzeroFloat64}},
		{"special doubles", []types.Column{col("N", types.DOUBLE), col("P", types.DOUBLE), col("M", types.DOUBLE), col("Z", types.DOUBLE)}, Options{},
			[]any{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1)}},
		{"big decimal", []types.Column{col("D", types.DecimalOf(38, 10))}, Options{},
			[]any{types.Decimal{Unscaled: new(big.Int).Exp(big.NewInt(10), big.NewInt(37), nil), Scale: 10}}},
		{"nested", []types.Column{col("N", nested)}, Options{}, []any{nestedVal}},
		{"unwrapped nested", []types.Column{col("N", nested)}, Options{WrapSingle: ptr(false)}, []any{nestedVal}},
		{"empty collections", []types.Column{col("A", types.ArrayOf(types.INT)), col("M", types.MapOf(types.STRING, types.INT))}, Options{},
			[]any{[]any{}, map[any]any{}}},
		{"key", []types.Column{col("K", types.STRING)}, Options{Key: true}, []any{"k\u0000\"\\"}},
		{"multi key", []types.Column{col("K1", types.INT), col("K2", types.BYTES)}, Options{Key: true}, []any{int32(1), []byte{0, 255}}},
	})
}

func BenchmarkJSONDecode(b *testing.B) {
	c, _ := New("JSON", allCols, Options{})
	in, _ := c.Encode(allRow)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Decode(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkJSONEncode(b *testing.B) {
	c, _ := New("JSON", allCols, Options{})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Encode(allRow); err != nil {
			b.Fatal(err)
		}
	}
}
