package functions

import (
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// Cases mirror explode.json, cube.json and table-functions.json (the built-in functions
// only: TEST_UDTF and THROWING_UDTF are upstream test classes).

func tfBindT(t *testing.T, name string, args ...Arg) (*types.Type, TableImpl) {
	t.Helper()
	f := Builtins().Table(name)
	if f == nil {
		t.Fatalf("no table function %s", name)
	}
	ret, impl, err := f.Bind(args, nil)
	if err != nil {
		t.Fatalf("bind %s: %v", name, err)
	}
	return ret, impl
}

func TestTfExplode(t *testing.T) {
	st := types.StructOf(types.Field{Name: "F1", Type: types.BIGINT})
	for _, c := range []struct {
		name string
		typ  *types.Type
		in   any
		want []any
	}{
		{"values", types.ArrayOf(types.BIGINT), []any{int64(1), int64(2)}, []any{int64(1), int64(2)}},
		{"one value", types.ArrayOf(types.BIGINT), []any{int64(5)}, []any{int64(5)}},
		{"empty array", types.ArrayOf(types.BIGINT), []any{}, nil},
		{"null array", types.ArrayOf(types.BIGINT), nil, nil},
		{"null elements", types.ArrayOf(types.INT), []any{nil, int32(1)}, []any{nil, int32(1)}},
		{"ints", types.ArrayOf(types.INT), []any{int32(1), int32(2)}, []any{int32(1), int32(2)}},
		{"doubles", types.ArrayOf(types.DOUBLE), []any{3.1, 4.1}, []any{3.1, 4.1}},
		{"booleans", types.ArrayOf(types.BOOLEAN), []any{true, false}, []any{true, false}},
		{"strings", types.ArrayOf(types.STRING), []any{"foo", "bar"}, []any{"foo", "bar"}},
		{"decimals", types.ArrayOf(types.DecimalOf(20, 10)), []any{aggDec("123.4560000000"), aggDec("456.1230000000")},
			[]any{aggDec("123.4560000000"), aggDec("456.1230000000")}},
		{"structs", types.ArrayOf(st), []any{aggStructOf(st, int64(1)), aggStructOf(st, int64(2))},
			[]any{aggStructOf(st, int64(1)), aggStructOf(st, int64(2))}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ret, impl := tfBindT(t, "EXPLODE", aggCol(c.typ))
			if !ret.Equal(c.typ.Elem) {
				t.Fatalf("returns %s, want %s", ret, c.typ.Elem)
			}
			rows, err := impl([]any{c.in})
			if err != nil {
				t.Fatal(err)
			}
			if aggFmt(rows) != aggFmt(c.want) && !(len(rows) == 0 && len(c.want) == 0) {
				t.Fatalf("got %s, want %s", aggFmt(rows), aggFmt(c.want))
			}
		})
	}
	for _, c := range []struct {
		args []Arg
		want string
	}{
		{[]Arg{aggCol(types.MapOf(types.STRING, types.INT))},
			"Function 'explode' does not accept parameters (MAP<STRING, INTEGER>).\nValid alternatives are:\nexplode(ARRAY<DECIMAL> input)\nexplode(ARRAY<T> list)"},
		{[]Arg{aggCol(types.INT)}, "Function 'explode' does not accept parameters (INTEGER)."},
		{nil, "Function 'explode' does not accept parameters ()."},
		{[]Arg{aggLit(types.NULL, nil)}, "Function 'explode' cannot be resolved due to ambiguous method parameters (null)."},
	} {
		_, _, err := Builtins().Table("EXPLODE").Bind(c.args, nil)
		if err == nil || err.Error() != c.want && !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("explode%v: %v, want %q", c.args, err, c.want)
		}
	}
}

func TestTfCubeExplode(t *testing.T) {
	for _, c := range []struct {
		name string
		typ  *types.Type
		in   any
		want []any
	}{
		{"two int columns", types.ArrayOf(types.INT), []any{int32(1), int32(2)}, []any{
			[]any{nil, nil}, []any{nil, int32(2)}, []any{int32(1), nil}, []any{int32(1), int32(2)}}},
		{"null column", types.ArrayOf(types.INT), []any{int32(1), nil}, []any{
			[]any{nil, nil}, []any{int32(1), nil}}},
		{"three columns", types.ArrayOf(types.STRING), []any{"one", "two", "three"}, []any{
			[]any{nil, nil, nil}, []any{nil, nil, "three"}, []any{nil, "two", nil}, []any{nil, "two", "three"},
			[]any{"one", nil, nil}, []any{"one", nil, "three"}, []any{"one", "two", nil}, []any{"one", "two", "three"}}},
		{"all null", types.ArrayOf(types.STRING), []any{nil, nil}, []any{[]any{nil, nil}}},
		{"empty", types.ArrayOf(types.STRING), []any{}, []any{[]any{}}},
		{"null array", types.ArrayOf(types.STRING), nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			ret, impl := tfBindT(t, "CUBE_EXPLODE", aggCol(c.typ))
			if !ret.Equal(c.typ) {
				t.Fatalf("returns %s, want %s", ret, c.typ)
			}
			rows, err := impl([]any{c.in})
			if err != nil {
				t.Fatal(err)
			}
			if aggFmt(rows) != aggFmt(c.want) && !(len(rows) == 0 && len(c.want) == 0) {
				t.Fatalf("got %s, want %s", aggFmt(rows), aggFmt(c.want))
			}
		})
	}
	_, impl := tfBindT(t, "CUBE_EXPLODE", aggCol(types.ArrayOf(types.INT)))
	if _, err := impl([]any{make([]any, 64)}); err == nil {
		t.Fatal("64 elements accepted")
	}
	if _, _, err := Builtins().Table("CUBE_EXPLODE").Bind([]Arg{aggCol(types.INT)}, nil); err == nil ||
		err.Error() != "Function 'cube_explode' does not accept parameters (INTEGER)." {
		t.Fatalf("cube_explode(int): %v", err)
	}
}
