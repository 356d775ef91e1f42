package functions

import (
	"math"
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

func collArr(t *types.Type) Arg { return mathCol(types.ArrayOf(t)) }

func collL(v ...any) []any {
	if v == nil {
		return []any{}
	}
	return v
}

func collDecs(s ...string) []any {
	out := make([]any, len(s))
	for i, x := range s {
		if x != "" {
			out[i] = mathDec(x)
		}
	}
	return out
}

var collDec21 = types.DecimalOf(2, 1)

// array-min-max-sort.json: the six element types of the QTT input rows.
var collMinMaxInputs = []struct {
	t    *types.Type
	rows [][]any
}{
	{types.BOOLEAN, [][]any{{false, true, false}, {nil, false, true}, {}}},
	{types.INT, [][]any{{int32(0), int32(0), int32(1), int32(0), int32(-1)}, {int32(0), nil, int32(1), int32(0), int32(-1)}, {}}},
	{types.BIGINT, [][]any{{int64(234), int64(-123), int64(345)}, {nil, int64(-123), int64(345)}, {}}},
	{types.DOUBLE, [][]any{{0.0, 0.1, -12345.678, 0.2, 0.3}, {0.0, 0.1, -12345.678, nil, 0.3}, {}}},
	{types.STRING, [][]any{{"foo", "bar"}, {"foo", "fo", "Food", nil, "F", "food"}, {}}},
	{collDec21, [][]any{collDecs("1.0", "1.1", "1.2", "-0.2", "1.9", "9.0", "-9.9", "1.5"), collDecs("1.0", "1.1", "1.2", "-0.2", "", "9.0"), {}}},
}

func TestCollArrayMaxMin(t *testing.T) {
	max := [][]any{{true, true, nil}, {int32(1), int32(1), nil}, {int64(345), int64(345), nil}, {0.3, 0.3, nil}, {"foo", "food", nil}, {mathDec("9.0"), mathDec("9.0"), nil}}
	min := [][]any{{false, false, nil}, {int32(-1), int32(-1), nil}, {int64(-123), int64(-123), nil}, {-12345.678, -12345.678, nil}, {"bar", "F", nil}, {mathDec("-9.9"), mathDec("-0.2"), nil}}
	for i, in := range collMinMaxInputs {
		for _, c := range []struct {
			fn   string
			want [][]any
		}{{"ARRAY_MAX", max}, {"ARRAY_MIN", min}} {
			ret, _ := mathBind(t, c.fn, collArr(in.t))
			if !ret.Equal(in.t) {
				t.Errorf("%s(ARRAY<%v>) returns %v", c.fn, in.t, ret)
			}
			rows := []mathRow{{[]any{nil}, nil}}
			for j, r := range in.rows {
				rows = append(rows, mathRow{[]any{r}, c.want[i][j]})
			}
			mathRows(t, c.fn, []Arg{collArr(in.t)}, rows)
		}
	}
}

func TestCollArraySort(t *testing.T) {
	asc := [][][]any{
		{{false, false, true}, {false, true, nil}, {}},
		{{int32(-1), int32(0), int32(0), int32(0), int32(1)}, {int32(-1), int32(0), int32(0), int32(1), nil}, {}},
		{{int64(-123), int64(234), int64(345)}, {int64(-123), int64(345), nil}, {}},
		{{-12345.678, 0.0, 0.1, 0.2, 0.3}, {-12345.678, 0.0, 0.1, 0.3, nil}, {}},
		{{"bar", "foo"}, {"F", "Food", "fo", "foo", "food", nil}, {}},
		{collDecs("-9.9", "-0.2", "1.0", "1.1", "1.2", "1.5", "1.9", "9.0"), collDecs("-0.2", "1.0", "1.1", "1.2", "9.0", ""), {}},
	}
	desc := [][][]any{
		{{true, false, false}, {true, false, nil}, {}},
		{{int32(1), int32(0), int32(0), int32(0), int32(-1)}, {int32(1), int32(0), int32(0), int32(-1), nil}, {}},
		{{int64(345), int64(234), int64(-123)}, {int64(345), int64(-123), nil}, {}},
		{{0.3, 0.2, 0.1, 0.0, -12345.678}, {0.3, 0.1, 0.0, -12345.678, nil}, {}},
		{{"foo", "bar"}, {"food", "foo", "fo", "Food", "F", nil}, {}},
		{collDecs("9.0", "1.9", "1.5", "1.2", "1.1", "1.0", "-0.2", "-9.9"), collDecs("9.0", "1.2", "1.1", "1.0", "-0.2", ""), {}},
	}
	for i, in := range collMinMaxInputs {
		var a, d []mathRow
		for j, r := range in.rows {
			a = append(a, mathRow{[]any{r}, asc[i][j]})
			d = append(d, mathRow{[]any{r, "desc"}, desc[i][j]})
		}
		a = append(a, mathRow{[]any{nil}, nil})
		d = append(d, mathRow{[]any{nil, "desc"}, nil}, mathRow{[]any{in.rows[0], "sideways"}, nil}, mathRow{[]any{in.rows[0], nil}, nil})
		mathRows(t, "ARRAY_SORT", []Arg{collArr(in.t)}, a)
		mathRows(t, "ARRAY_SORT", []Arg{collArr(in.t), mathLit(types.STRING, "desc")}, d)
	}
	// The input is not modified.
	in := []any{int32(3), int32(1), int32(2)}
	if _, err := mathCall(t, "ARRAY_SORT", []Arg{collArr(types.INT)}, in); err != nil || in[0] != int32(3) {
		t.Errorf("ARRAY_SORT modified its input: %v, %v", in, err)
	}
	// NaN sorts above every double; strings in UTF-16 order as Java.
	mathRows(t, "ARRAY_SORT", []Arg{collArr(types.DOUBLE)}, []mathRow{{[]any{collL(math.NaN(), 1.0, math.Inf(-1))}, collL(math.Inf(-1), 1.0, math.NaN())}})
	mathRows(t, "ARRAY_SORT", []Arg{collArr(types.STRING)}, []mathRow{{[]any{collL("\U0001F600", "\uFF21")}, collL("\U0001F600", "\uFF21")}})
	if _, err := mathCall(t, "ARRAY_MAX", []Arg{collArr(types.ArrayOf(types.INT))}, collL(collL(int32(1)), collL(int32(2)))); err == nil {
		t.Error("ARRAY_MAX of arrays: want an error")
	}
}

func TestCollArrayRemove(t *testing.T) {
	mathRows(t, "ARRAY_REMOVE", []Arg{mathLit(types.ArrayOf(types.STRING), nil), mathLit(types.STRING, "foo")},
		[]mathRow{{[]any{collL("foo", "bar", "foo"), "foo"}, collL("bar")}})
	cases := []struct {
		t    *types.Type
		rows []mathRow
	}{
		{types.BOOLEAN, []mathRow{{[]any{collL(false, true, false), true}, collL(false, false)}, {[]any{collL(nil, false, true), true}, collL(nil, false)}, {[]any{collL(nil, false, true), nil}, collL(false, true)}}},
		{types.INT, []mathRow{{[]any{collL(int32(0), int32(0), int32(1), int32(0), int32(-1)), int32(-1)}, collL(int32(0), int32(0), int32(1), int32(0))}, {[]any{collL(int32(0), nil, int32(1)), nil}, collL(int32(0), int32(1))}}},
		{types.BIGINT, []mathRow{{[]any{collL(int64(345), int64(-123), int64(345)), int64(345)}, collL(int64(-123))}}},
		{types.DOUBLE, []mathRow{{[]any{collL(0.0, 0.2, -12345.678, 0.2), 0.2}, collL(0.0, -12345.678)}, {[]any{collL(0.3, -12345.678, nil, 0.3), 0.3}, collL(-12345.678, nil)}}},
		{types.STRING, []mathRow{{[]any{collL("foo", "bar", "foo"), "foo"}, collL("bar")}, {[]any{collL("foo", "Food", nil, "food"), "foo"}, collL("Food", nil, "food")}}},
		{collDec21, []mathRow{{[]any{collDecs("1.0", "-0.2", "1.0", "-9.9"), mathDec("-0.2")}, collDecs("1.0", "1.0", "-9.9")}, {[]any{collDecs("1.0", "1.1", "1.1", "-0.2", "", "1.0"), mathDec("-0.2")}, collDecs("1.0", "1.1", "1.1", "", "1.0")}}},
	}
	for _, c := range cases {
		c.rows = append(c.rows, mathRow{[]any{collL(), nil}, collL()}, mathRow{[]any{nil, nil}, nil})
		mathRows(t, "ARRAY_REMOVE", []Arg{collArr(c.t), mathCol(c.t)}, c.rows)
	}
	// complex types
	m := func(a, b int32) map[any]any { return map[any]any{"apple": a, "banana": b} }
	mathRows(t, "ARRAY_REMOVE", []Arg{collArr(types.ArrayOf(types.STRING)), collArr(types.STRING)}, []mathRow{
		{[]any{collL(collL("foo", "bar", "foo"), collL("foo", "bar", "foo"), collL("foo")), collL("foo", "bar", "foo")}, collL(collL("foo"))},
		{[]any{collL(nil, collL("foo"), collL("foo", "bar")), collL("foo")}, collL(nil, collL("foo", "bar"))},
	})
	mt := types.MapOf(types.STRING, types.INT)
	mathRows(t, "ARRAY_REMOVE", []Arg{collArr(mt), mathCol(mt)}, []mathRow{
		{[]any{collL(m(1, 2), m(3, 4), m(1, 2)), m(1, 2)}, collL(m(3, 4))},
		{[]any{collL(m(1, 2), m(3, 4), nil), m(1, 2)}, collL(m(3, 4), nil)},
	})
}

func TestCollSetFunctions(t *testing.T) {
	strs := mathLit(types.ArrayOf(types.STRING), nil)
	mathRows(t, "ARRAY_DISTINCT", []Arg{strs}, []mathRow{{[]any{collL("foo", "bar", "foo")}, collL("foo", "bar")}})
	mathRows(t, "ARRAY_EXCEPT", []Arg{strs, strs}, []mathRow{{[]any{collL("foo", "bar", "foo"), collL("bar", "baz")}, collL("foo")}})
	mathRows(t, "ARRAY_INTERSECT", []Arg{strs, strs}, []mathRow{{[]any{collL("foo", "bar", "foo"), collL("foo", "baz")}, collL("foo")}})
	mathRows(t, "ARRAY_UNION", []Arg{strs, strs}, []mathRow{{[]any{collL("foo", "bar", "foo"), collL("foo", "baz")}, collL("foo", "bar", "baz")}})
	mathRows(t, "ARRAY_CONCAT", []Arg{strs, strs}, []mathRow{{[]any{collL("foo", "bar", "foo"), collL("foo", "baz")}, collL("foo", "bar", "foo", "foo", "baz")}})

	distinct := []struct {
		t        *types.Type
		in, want [][]any
	}{
		{types.BOOLEAN, [][]any{{false, true, false}, {nil, false, true}}, [][]any{{false, true}, {nil, false, true}}},
		{types.INT, [][]any{{int32(0), int32(0), int32(1), int32(0), int32(-1)}, {int32(0), nil, int32(1), int32(0), int32(-1)}}, [][]any{{int32(0), int32(1), int32(-1)}, {int32(0), nil, int32(1), int32(-1)}}},
		{types.BIGINT, [][]any{{int64(345), int64(-123), int64(345)}, {nil, int64(-123)}}, [][]any{{int64(345), int64(-123)}, {nil, int64(-123)}}},
		{types.DOUBLE, [][]any{{0.0, 0.2, -12345.678, 0.2}, {0.3, -12345.678, nil, 0.3}}, [][]any{{0.0, 0.2, -12345.678}, {0.3, -12345.678, nil}}},
		{types.STRING, [][]any{{"foo", "bar", "foo"}, {"foo", "Food", nil, "food"}}, [][]any{{"foo", "bar"}, {"foo", "Food", nil, "food"}}},
		{collDec21, [][]any{collDecs("1.0", "-0.2", "1.0", "-9.9"), collDecs("1.0", "1.1", "1.1", "-0.2", "", "1.0")}, [][]any{collDecs("1.0", "-0.2", "-9.9"), collDecs("1.0", "1.1", "-0.2", "")}},
	}
	for _, c := range distinct {
		rows := []mathRow{{[]any{collL()}, collL()}, {[]any{nil}, nil}}
		for i := range c.in {
			rows = append(rows, mathRow{[]any{c.in[i]}, c.want[i]})
		}
		mathRows(t, "ARRAY_DISTINCT", []Arg{collArr(c.t)}, rows)
	}
	m := func(a, b any) map[any]any { return map[any]any{"apple": a, "banana": b} }
	mathRows(t, "ARRAY_DISTINCT", []Arg{collArr(types.ArrayOf(types.STRING))}, []mathRow{
		{[]any{collL(collL("foo", "bar", "foo"), collL("foo", "bar", "foo"), collL("foo"))}, collL(collL("foo", "bar", "foo"), collL("foo"))},
		{[]any{collL(collL("foo", nil), collL("foo", "bar"), collL("foo"))}, collL(collL("foo", nil), collL("foo", "bar"), collL("foo"))},
		{[]any{collL(nil, collL("foo"))}, collL(nil, collL("foo"))},
	})
	mathRows(t, "ARRAY_DISTINCT", []Arg{collArr(types.MapOf(types.STRING, types.INT))}, []mathRow{
		{[]any{collL(m(int32(1), int32(2)), m(int32(3), int32(4)), m(int32(1), int32(2)))}, collL(m(int32(1), int32(2)), m(int32(3), int32(4)))},
		{[]any{collL(m(nil, int32(2)), m(int32(1), int32(2)), m(int32(1), int32(2)))}, collL(m(nil, int32(2)), m(int32(1), int32(2)))},
		{[]any{collL(m(int32(1), int32(2)), nil)}, collL(m(int32(1), int32(2)), nil)},
	})

	ints := collArr(types.INT)
	i := func(v ...int32) []any {
		out := make([]any, len(v))
		for j, x := range v {
			out[j] = x
		}
		return out
	}
	base := i(0, 0, 1, 0, -1)
	mathRows(t, "ARRAY_EXCEPT", []Arg{ints, ints}, []mathRow{
		{[]any{base, i(1, -2)}, i(0, -1)}, {[]any{base, i(1, -1, 0)}, i()}, {[]any{i(), i(1, -2)}, i()},
		{[]any{base, i()}, i(0, 1, -1)}, {[]any{nil, i(1, -2)}, nil}, {[]any{base, nil}, nil},
	})
	mathRows(t, "ARRAY_INTERSECT", []Arg{ints, ints}, []mathRow{
		{[]any{base, i(1, -2, 0)}, i(0, 1)}, {[]any{base, i(3, 4)}, i()}, {[]any{i(), i(1, -2)}, i()},
		{[]any{base, i()}, i()}, {[]any{nil, i(1, -2)}, nil}, {[]any{base, nil}, nil},
	})
	mathRows(t, "ARRAY_UNION", []Arg{ints, ints}, []mathRow{
		{[]any{base, i(1, -2, 0)}, i(0, 1, -1, -2)}, {[]any{base, i(3, 4)}, i(0, 1, -1, 3, 4)}, {[]any{i(), i(1, -2)}, i(1, -2)},
		{[]any{base, i()}, i(0, 1, -1)}, {[]any{nil, i(1, -2)}, nil}, {[]any{base, nil}, nil},
	})
	mathRows(t, "ARRAY_CONCAT", []Arg{ints, ints}, []mathRow{
		{[]any{base, i(1, -2, 0)}, i(0, 0, 1, 0, -1, 1, -2, 0)}, {[]any{base, i(3, 4)}, i(0, 0, 1, 0, -1, 3, 4)},
		{[]any{i(), i(1, -2)}, i(1, -2)}, {[]any{base, i()}, base}, {[]any{nil, i(1, -2)}, i(1, -2)},
		{[]any{base, nil}, base}, {[]any{nil, nil}, nil},
	})
}

// arraycontains.json
func TestCollArrayContains(t *testing.T) {
	mathRows(t, "ARRAY_CONTAINS", []Arg{collArr(types.STRING), mathLit(types.STRING, "Pink")}, []mathRow{
		{[]any{collL("Red", "Green"), "Pink"}, false},
		{[]any{collL("Black"), "Pink"}, false},
		{[]any{collL("Pink", "Yellow", "Pink"), "Pink"}, true},
		{[]any{collL("White", "Pink"), "Pink"}, true},
		{[]any{collL("Pink", nil), "Pink"}, true},
		{[]any{nil, "Pink"}, false},
		{[]any{collL("a", nil), nil}, true},
	})
	// An INT value widens to a BIGINT array's elements.
	mathRows(t, "ARRAY_CONTAINS", []Arg{collArr(types.BIGINT), mathLit(types.INT, int32(3))}, []mathRow{
		{[]any{collL(int64(1), int64(3)), int32(3)}, true},
	})
}

// arrayjoin.json
func TestCollArrayJoin(t *testing.T) {
	inputs := []struct {
		t  *types.Type
		in []any
	}{
		{types.BOOLEAN, collL(true, nil, false)},
		{types.INT, collL(int32(1), int32(23), int32(-42), int32(0))},
		{types.BIGINT, collL(int64(-4294967297), int64(8589934592))},
		{types.DOUBLE, collL(1.23, -23.42, 0.0)},
		{types.DecimalOf(5, 2), collDecs("123.45", "987.65")},
		{types.STRING, collL("Hello", "From", "", "Ksqldb", "Udf")},
	}
	def := []string{"true,null,false", "1,23,-42,0", "-4294967297,8589934592", "1.23,-23.42,0.0", "123.45,987.65", "Hello,From,,Ksqldb,Udf"}
	delims := []any{"|", "?", ";", " ", "#", "_"}
	custom := []string{"true|null|false", "1?23?-42?0", "-4294967297;8589934592", "1.23 -23.42 0.0", "123.45#987.65", "Hello_From__Ksqldb_Udf"}
	empties := []any{"", nil, "", nil, "", nil}
	empty := []string{"truenullfalse", "123-420", "-42949672978589934592", "1.23-23.420.0", "123.45987.65", "HelloFromKsqldbUdf"}
	for i, in := range inputs {
		mathRows(t, "ARRAY_JOIN", []Arg{collArr(in.t)}, []mathRow{{[]any{in.in}, def[i]}, {[]any{nil}, nil}})
		mathRows(t, "ARRAY_JOIN", []Arg{collArr(in.t), mathLit(types.STRING, delims[i])}, []mathRow{{[]any{in.in, delims[i]}, custom[i]}})
		mathRows(t, "ARRAY_JOIN", []Arg{collArr(in.t), mathCol(types.STRING)}, []mathRow{{[]any{in.in, empties[i]}, empty[i]}})
	}
	if _, err := mathCall(t, "ARRAY_JOIN", []Arg{collArr(types.ArrayOf(types.INT))}, collL(collL(int32(1)))); err == nil {
		t.Error("ARRAY_JOIN of arrays: want an error")
	}
	for s, want := range map[string]string{"1E+3": "1E+3", "0.0000001": "1E-7", "123.4500": "123.4500", "-0.000001": "-0.000001", "0E-10": "0E-10"} {
		if got := collBigDecimalString(mathDec(s)); got != want {
			t.Errorf("BigDecimal(%s).toString() = %s, want %s", s, got, want)
		}
	}
}

// slice.json
func TestCollSlice(t *testing.T) {
	two, three := mathLit(types.INT, int32(2)), mathLit(types.INT, int32(3))
	mathRows(t, "SLICE", []Arg{collArr(types.STRING), two, three}, []mathRow{
		{[]any{collL("a", "b", "c", "d"), int32(2), int32(3)}, collL("b", "c")},
		{[]any{nil, int32(2), int32(3)}, nil},
	})
	mathRows(t, "SLICE", []Arg{collArr(types.ArrayOf(types.STRING)), two, three}, []mathRow{
		{[]any{collL(collL("a"), collL("b"), collL("c"), collL("d")), int32(2), int32(3)}, collL(collL("b"), collL("c"))},
	})
	mp := func(k, v string) map[any]any { return map[any]any{k: v} }
	mathRows(t, "SLICE", []Arg{collArr(types.MapOf(types.STRING, types.STRING)), two, three}, []mathRow{
		{[]any{collL(mp("a", "1"), mp("b", "2"), mp("c", "3"), mp("d", "4")), int32(2), int32(3)}, collL(mp("b", "2"), mp("c", "3"))},
	})
	abc := collL("a", "b", "c")
	mathRows(t, "SLICE", []Arg{collArr(types.STRING), mInt, mInt}, []mathRow{
		{[]any{abc, nil, int32(2)}, collL("a", "b")},
		{[]any{abc, int32(2), nil}, collL("b", "c")},
		{[]any{abc, int32(0), int32(2)}, nil},
		{[]any{abc, int32(1), int32(4)}, nil},
		{[]any{abc, int32(3), int32(2)}, collL()},
		{[]any{abc, int32(3), int32(1)}, nil},
	})
}

// map.json, create_map.json
func TestCollMaps(t *testing.T) {
	si := types.MapOf(types.STRING, types.INT)
	mathRows(t, "MAP_KEYS", []Arg{mathCol(si)}, []mathRow{
		{[]any{map[any]any{"foo": int32(10), "bar": int32(20), "baz": int32(30)}}, collL("bar", "baz", "foo")},
		{[]any{map[any]any{"foo": int32(10), "bar": nil}}, collL("bar", "foo")},
		{[]any{map[any]any{}}, collL()},
		{[]any{nil}, nil},
	})
	mathRows(t, "MAP_VALUES", []Arg{mathCol(si)}, []mathRow{
		{[]any{map[any]any{"foo": int32(10), "bar": int32(20), "baz": int32(30)}}, collL(int32(20), int32(30), int32(10))},
		{[]any{map[any]any{"foo": int32(10), "bar": nil}}, collL(nil, int32(10))},
		{[]any{map[any]any{}}, collL()},
		{[]any{nil}, nil},
	})
	sa := types.MapOf(types.STRING, types.ArrayOf(types.INT))
	if ret, _ := mathBind(t, "MAP_VALUES", mathCol(sa)); !ret.Equal(types.ArrayOf(types.ArrayOf(types.INT))) {
		t.Errorf("MAP_VALUES returns %v", ret)
	}
	mathRows(t, "MAP_VALUES", []Arg{mathCol(sa)}, []mathRow{
		{[]any{map[any]any{"foo": collL(int32(1), int32(2), int32(3))}}, collL(collL(int32(1), int32(2), int32(3)))},
		{[]any{map[any]any{"foo": nil, "bar": nil}}, collL(nil, nil)},
		{[]any{map[any]any{"foo": collL(nil), "bar": collL(nil)}}, collL(collL(nil), collL(nil))},
	})
	mathRows(t, "MAP_UNION", []Arg{mathCol(si), mathCol(si)}, []mathRow{
		{[]any{map[any]any{"foo": int32(10), "bar": int32(20), "baz": int32(30)}, map[any]any{"foo": int32(99), "apple": int32(-1)}},
			map[any]any{"foo": int32(99), "bar": int32(20), "baz": int32(30), "apple": int32(-1)}},
		{[]any{map[any]any{"foo": int32(10), "bar": int32(20)}, map[any]any{"foo": nil}}, map[any]any{"foo": nil, "bar": int32(20)}},
		{[]any{map[any]any{"foo": int32(10), "bar": int32(20)}, map[any]any{}}, map[any]any{"foo": int32(10), "bar": int32(20)}},
		{[]any{map[any]any{}, map[any]any{}}, map[any]any{}},
		{[]any{nil, map[any]any{"foo": nil}}, map[any]any{"foo": nil}},
		{[]any{nil, nil}, nil},
	})
	ret, _ := mathBind(t, "AS_MAP", collArr(types.STRING), collArr(types.INT))
	if !ret.Equal(si) {
		t.Errorf("AS_MAP returns %v", ret)
	}
	mathRows(t, "AS_MAP", []Arg{collArr(types.STRING), collArr(types.INT)}, []mathRow{
		{[]any{collL("a", "b"), collL(int32(1), int32(2))}, map[any]any{"a": int32(1), "b": int32(2)}},
		{[]any{collL("a", "b", "c"), collL(int32(1), int32(2), int32(3))}, map[any]any{"a": int32(1), "b": int32(2), "c": int32(3)}},
		{[]any{collL("a", "b"), collL(int32(1), int32(2), int32(3))}, map[any]any{"a": int32(1), "b": int32(2)}},
		{[]any{collL("a", "b", "c"), collL(int32(1), int32(2), nil)}, map[any]any{"a": int32(1), "b": int32(2), "c": nil}},
		{[]any{collL("a", "b", "c"), collL(int32(1))}, map[any]any{"a": int32(1), "b": nil, "c": nil}},
		{[]any{nil, collL(int32(1))}, nil},
	})
	if msg := mathBindErr(t, "AS_MAP", collArr(types.INT), collArr(types.INT)); !strings.Contains(msg, "Function 'as_map' does not accept parameters (ARRAY<INTEGER>, ARRAY<INTEGER>).") {
		t.Errorf("AS_MAP(ARRAY<INT>, ...) error %q", msg)
	}
}

func TestCollEntries(t *testing.T) {
	ret, _ := mathBind(t, "ENTRIES", mathCol(types.MapOf(types.STRING, types.BIGINT)), mathLit(types.BOOLEAN, true))
	st := types.StructOf(types.Field{Name: "K", Type: types.STRING}, types.Field{Name: "V", Type: types.BIGINT})
	if !ret.Equal(types.ArrayOf(st)) {
		t.Fatalf("ENTRIES returns %v", ret)
	}
	e := func(k string, v any) *types.Struct { return &types.Struct{Type: st, Values: []any{k, v}} }
	mathRows(t, "ENTRIES", []Arg{mathCol(types.MapOf(types.STRING, types.BIGINT)), mathLit(types.BOOLEAN, true)}, []mathRow{
		{[]any{map[any]any{"b": int64(2), "a": int64(1), "c": nil}, true}, collL(e("a", int64(1)), e("b", int64(2)), e("c", nil))},
		{[]any{map[any]any{}, true}, collL()},
		{[]any{nil, true}, nil},
	})
}

func TestCollGenerateSeries(t *testing.T) {
	i := func(v ...int32) []any {
		out := make([]any, len(v))
		for j, x := range v {
			out[j] = x
		}
		return out
	}
	mathRows(t, "GENERATE_SERIES", []Arg{mInt, mInt}, []mathRow{
		{[]any{int32(1), int32(4)}, i(1, 2, 3, 4)},
		{[]any{int32(4), int32(1)}, i(4, 3, 2, 1)},
		{[]any{int32(2), int32(2)}, i(2)},
		{[]any{nil, int32(2)}, nil},
	})
	mathRows(t, "GENERATE_SERIES", []Arg{mInt, mInt, mInt}, []mathRow{
		{[]any{int32(0), int32(9), int32(3)}, i(0, 3, 6, 9)},
		{[]any{int32(0), int32(10), int32(3)}, i(0, 3, 6, 9)},
		{[]any{int32(10), int32(0), int32(-5)}, i(10, 5, 0)},
	})
	mathRows(t, "GENERATE_SERIES", []Arg{mBigint, mBigint}, []mathRow{
		{[]any{int64(-1), int64(1)}, collL(int64(-1), int64(0), int64(1))},
	})
	_, impl := mathBind(t, "GENERATE_SERIES", mBigint, mBigint, mBigint)
	for _, in := range [][]any{
		{int64(0), int64(5), int64(0)}, {int64(0), int64(5), int64(-1)}, {int64(5), int64(0), int64(1)},
		{int64(math.MinInt64), int64(math.MaxInt64), int64(1)}, {int64(math.MaxInt64), int64(math.MinInt64), int64(math.MinInt64)},
	} {
		if v, err := impl(in); err == nil && len(v.([]any)) > 2 {
			t.Errorf("GENERATE_SERIES%v = %d elements, want an error", in, len(v.([]any)))
		}
	}
	// A MinInt64 step over the whole range is two elements.
	if v, err := impl([]any{int64(math.MaxInt64), int64(-1), int64(math.MinInt64)}); err != nil || !mathSame(v, collL(int64(math.MaxInt64), int64(-1))) {
		t.Errorf("GENERATE_SERIES(max, -1, min) = %v, %v", v, err)
	}
}

func TestCollArrayLength(t *testing.T) {
	mathRows(t, "ARRAY_LENGTH", []Arg{collArr(types.BIGINT)}, []mathRow{
		{[]any{collL(int64(1), nil)}, int32(2)}, {[]any{collL()}, int32(0)}, {[]any{nil}, nil},
	})
	if ret, _ := mathBind(t, "ARRAY_LENGTH", collArr(types.BIGINT)); ret != types.INT {
		t.Errorf("ARRAY_LENGTH returns %v", ret)
	}
}
