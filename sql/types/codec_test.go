package types

import (
	"bytes"
	"fmt"
	"math"
	"math/big"
	"strings"
	"testing"
)

// sameValue says whether a and b are the same SQL value with the same Go types throughout
// (Decimal scale, struct types with field names, float bits).
func sameValue(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case float64:
		y, ok := b.(float64)
		return ok && math.Float64bits(x) == math.Float64bits(y)
	case Decimal:
		y, ok := b.(Decimal)
		return ok && x.Scale == y.Scale && x.unscaled().Cmp(y.unscaled()) == 0
	case []byte:
		y, ok := b.([]byte)
		return ok && bytes.Equal(x, y)
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameValue(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[any]any:
		y, ok := b.(map[any]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !sameValue(v, w) {
				return false
			}
		}
		return true
	case *Struct:
		y, ok := b.(*Struct)
		if !ok || !x.Type.Equal(y.Type) || len(x.Values) != len(y.Values) {
			return false
		}
		for i := range x.Values {
			if !sameValue(x.Values[i], y.Values[i]) {
				return false
			}
		}
		return true
	}
	return a == b
}

func bigDecimal(s string) Decimal {
	d, err := ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

func codecValues() []struct {
	name string
	v    any
} {
	point := StructOf(Field{"X", INT}, Field{"y", DOUBLE}, Field{"Name", STRING})
	nested := StructOf(
		Field{"A", ArrayOf(DecimalOf(4, 2))},
		Field{"M", MapOf(STRING, point)},
		Field{"S", point},
		Field{"B", BYTES},
		Field{"T", TIMESTAMP},
	)
	p1 := &Struct{Type: point, Values: []any{int32(1), 2.5, "p"}}
	return []struct {
		name string
		v    any
	}{
		{"null", nil},
		{"true", true},
		{"false", false},
		{"int zero", int32(0)},
		{"int min", int32(math.MinInt32)},
		{"int max", int32(math.MaxInt32)},
		{"bigint zero", int64(0)},
		{"bigint min", int64(math.MinInt64)},
		{"bigint max", int64(math.MaxInt64)},
		{"double", 2.5},
		{"double negative zero", math.Copysign(0, -1)},
		{"double NaN", math.NaN()},
		{"double +Inf", math.Inf(1)},
		{"double max", math.MaxFloat64},
		{"double smallest", math.SmallestNonzeroFloat64},
		{"decimal 1.50", NewDecimal(150, 2)},
		{"decimal -0.05", NewDecimal(-5, 2)},
		{"decimal zero value", Decimal{}},
		{"decimal negative scale", NewDecimal(1, -3)},
		{"decimal big", bigDecimal("12345678987654321234567898765432.1234567898765432")},
		{"decimal big negative", bigDecimal("-98765432109876543210987654321")},
		{"decimal int64 min", Decimal{Unscaled: big.NewInt(math.MinInt64), Scale: 3}},
		{"string empty", ""},
		{"string", "héllo, wörld"},
		{"string invalid utf8", "\xff\xfe"},
		{"bytes empty", []byte{}},
		{"bytes", []byte{0, 1, 2, 255}},
		{"date", Date(-719162)},
		{"time", Time(86399999)},
		{"timestamp", Timestamp(-1)},
		{"timestamp max", Timestamp(math.MaxInt64)},
		{"array empty", []any{}},
		{"array mixed nulls", []any{int64(1), nil, int64(3)}},
		{"array of arrays", []any{[]any{"a"}, []any{}, nil}},
		{"map empty", map[any]any{}},
		{"map string keys", map[any]any{"a": int32(1), "b": nil, "c": int32(3)}},
		{"map int keys", map[any]any{int32(1): "x", int32(-2): "y"}},
		{"map bigint keys", map[any]any{int64(1): 1.5, int64(2): 2.5}},
		{"map bool keys", map[any]any{true: "t", false: "f"}},
		{"map date keys", map[any]any{Date(1): "a", Date(2): "b"}},
		{"map timestamp keys", map[any]any{Timestamp(1): "a", Timestamp(2): "b"}},
		{"map double keys", map[any]any{1.5: "a", -0.5: "b"}},
		{"struct", p1},
		{"struct with nulls", &Struct{Type: point, Values: []any{nil, nil, nil}}},
		{"struct empty", &Struct{Type: StructOf(), Values: []any{}}},
		{"struct nested", &Struct{Type: nested, Values: []any{
			[]any{NewDecimal(150, 2), nil},
			map[any]any{"k": p1, "n": nil},
			p1,
			[]byte("raw"),
			Timestamp(1700000000000),
		}}},
		{"struct of every type", &Struct{
			Type: StructOf(
				Field{"BO", BOOLEAN}, Field{"I", INT}, Field{"BI", BIGINT}, Field{"D", DOUBLE},
				Field{"DE", DecimalOf(38, 10)}, Field{"S", STRING}, Field{"BY", BYTES},
				Field{"DA", DATE}, Field{"TI", TIME}, Field{"TS", TIMESTAMP},
				Field{"A", ArrayOf(MapOf(STRING, ArrayOf(INT)))}, Field{"N", NULL},
			),
			Values: []any{true, int32(7), int64(8), 9.5, NewDecimal(1, 10), "s", []byte("b"),
				Date(3), Time(4), Timestamp(5), []any{map[any]any{"x": []any{int32(1)}}}, nil},
		}},
	}
}

func TestValueRoundTrip(t *testing.T) {
	for _, tc := range codecValues() {
		t.Run(tc.name, func(t *testing.T) {
			b := AppendValue(nil, tc.v)
			got, rest, err := ReadValue(append(b, 0xAA, 0xBB))
			if err != nil {
				t.Fatalf("ReadValue(%x): %v", b, err)
			}
			if !sameValue(tc.v, got) {
				t.Fatalf("round trip: got %#v, want %#v", got, tc.v)
			}
			if !bytes.Equal(rest, []byte{0xAA, 0xBB}) {
				t.Fatalf("rest = %x, want aabb", rest)
			}
			// Every proper prefix is truncated input: an error, never a panic.
			for i := range b {
				if _, _, err := ReadValue(b[:i]); err == nil {
					t.Fatalf("ReadValue(prefix %d of %x) succeeded", i, b)
				}
			}
		})
	}
}

func TestRowRoundTrip(t *testing.T) {
	var row []any
	for _, tc := range codecValues() {
		row = append(row, tc.v)
	}
	for _, r := range [][]any{nil, {}, {nil}, row} {
		b := EncodeRow(r)
		got, err := DecodeRow(b)
		if err != nil {
			t.Fatalf("DecodeRow: %v", err)
		}
		if len(got) != len(r) {
			t.Fatalf("DecodeRow: %d columns, want %d", len(got), len(r))
		}
		for i := range r {
			if !sameValue(r[i], got[i]) {
				t.Fatalf("column %d: got %#v, want %#v", i, got[i], r[i])
			}
		}
		if _, err := DecodeRow(append(b, 0)); err == nil {
			t.Fatal("DecodeRow with a trailing byte succeeded")
		}
	}
}

func TestNilCollectionsEncodeEmpty(t *testing.T) {
	for _, tc := range []struct {
		in, want any
	}{
		{[]byte(nil), []byte{}},
		{[]any(nil), []any{}},
		{map[any]any(nil), map[any]any{}},
		{(*Struct)(nil), nil},
	} {
		got, _, err := ReadValue(AppendValue(nil, tc.in))
		if err != nil || !sameValue(got, tc.want) {
			t.Errorf("%T nil: got %#v, %v; want %#v", tc.in, got, err, tc.want)
		}
	}
}

func TestCodecLayout(t *testing.T) {
	for _, tc := range []struct {
		v    any
		want []byte
	}{
		{nil, []byte{tagNull}},
		{true, []byte{tagTrue}},
		{int32(-1), []byte{tagInt, 1}},
		{int64(1), []byte{tagBigint, 2}},
		{"ab", []byte{tagString, 2, 'a', 'b'}},
		{NewDecimal(150, 2), []byte{tagDecimal, 4, 0xac, 0x02}},
		{Date(1), []byte{tagDate, 2}},
		{Time(1), []byte{tagTime, 2}},
		{Timestamp(1), []byte{tagTimestamp, 2}},
		{[]any{nil}, []byte{tagArray, 1, tagNull}},
		{map[any]any{"b": nil, "a": true}, []byte{tagMap, 2, tagString, 1, 'a', tagTrue, tagString, 1, 'b', tagNull}},
	} {
		if got := AppendValue(nil, tc.v); !bytes.Equal(got, tc.want) {
			t.Errorf("AppendValue(%#v) = %x, want %x", tc.v, got, tc.want)
		}
	}
}

func TestMapEncodingDeterministic(t *testing.T) {
	m := map[any]any{}
	for i := range 100 {
		m[fmt.Sprint("k", i)] = int64(i)
	}
	first := AppendValue(nil, m)
	for range 20 {
		if got := AppendValue(nil, m); !bytes.Equal(got, first) {
			t.Fatal("map encoding differs between calls")
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
		msg  string
	}{
		{"empty", nil, "truncated"},
		{"unknown tag", []byte{1, 0xEE}, "unknown tag"},
		{"int out of range", append([]byte{1, tagInt}, appendVarintBytes(math.MaxInt32+1)...), "out of range"},
		{"huge array count", []byte{1, tagArray, 0xff, 0xff, 0xff, 0xff, 0x0f}, "truncated"},
		{"huge row count", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, "truncated"},
		{"varint overflow", []byte{1, tagBigint, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, "overflows"},
		{"bytes map key", []byte{1, tagMap, 1, tagBytes, 0, tagNull}, "map key"},
		{"array map key", []byte{1, tagMap, 1, tagArray, 0, tagNull}, "map key"},
		{"decimal map key", []byte{1, tagMap, 1, tagDecimal, 0, 0, tagNull}, "map key"},
		{"NaN map key", append(append([]byte{1, tagMap, 1}, AppendValue(nil, math.NaN())...), tagNull), "map key"},
		{"struct of non-struct type", []byte{1, tagStruct, byte(KInt), 0}, "struct of type"},
		{"unknown kind", []byte{1, tagStruct, 0xEE, 0}, "unknown kind"},
		{"trailing", []byte{1, tagNull, tagNull}, "after the last column"},
		{"deep", append([]byte{1}, bytes.Repeat([]byte{tagArray, 1}, maxCodecDepth+10)...), "nesting"},
		{"deep type", append([]byte{1, tagStruct}, bytes.Repeat([]byte{byte(KArray)}, maxCodecDepth+10)...), "nesting"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeRow(tc.in)
			if err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("DecodeRow(%x) error = %v, want one containing %q", tc.in, err, tc.msg)
			}
		})
	}
}

func appendVarintBytes(n int64) []byte {
	var b []byte
	u := uint64(n) << 1
	if n < 0 {
		u = ^u
	}
	for u >= 0x80 {
		b = append(b, byte(u)|0x80)
		u >>= 7
	}
	return append(b, byte(u))
}

func TestAppendValuePanicsOnNonSQLValue(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("AppendValue(int) did not panic")
		}
	}()
	AppendValue(nil, 1)
}

func BenchmarkEncodeRow(b *testing.B) {
	row := []any{int64(42), "some-key", 3.25, NewDecimal(12345, 2), Timestamp(1700000000000), []any{int32(1), int32(2)}}
	b.ReportAllocs()
	for b.Loop() {
		EncodeRow(row)
	}
}

func BenchmarkDecodeRow(b *testing.B) {
	row := []any{int64(42), "some-key", 3.25, NewDecimal(12345, 2), Timestamp(1700000000000), []any{int32(1), int32(2)}}
	enc := EncodeRow(row)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeRow(enc); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzDecodeRow(f *testing.F) {
	for _, tc := range codecValues() {
		f.Add(EncodeRow([]any{tc.v}))
	}
	f.Add([]byte{})
	f.Add([]byte("\x03\x0e\x02\a\xff\xff\xef0\x00")) // decimal map key with a huge scale
	f.Add([]byte{3, tagMap, 2, tagString, 0, tagNull, tagString, 0, tagNull})
	f.Fuzz(func(t *testing.T, b []byte) {
		row, err := DecodeRow(b)
		if err != nil {
			return
		}
		again, err := DecodeRow(EncodeRow(row))
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		for i := range row {
			if !sameValue(row[i], again[i]) {
				t.Fatalf("column %d: %#v re-decoded as %#v", i, row[i], again[i])
			}
		}
	})
}
