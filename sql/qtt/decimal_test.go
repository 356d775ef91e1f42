package qtt

import (
	"math"
	"math/big"
	"reflect"
	"testing"
)

func dec(unscaled int64, scale int32) Decimal {
	return Decimal{Unscaled: big.NewInt(unscaled), Scale: scale}
}

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		in       string
		unscaled string
		scale    int32
		str      string // Java BigDecimal.toString
	}{
		{"1.50", "150", 2, "1.50"},
		{"1.5", "15", 1, "1.5"},
		{"2", "2", 0, "2"},
		{"-0.0", "0", 1, "0.0"},
		{"1.0E20", "10", -19, "1.0E+20"},
		{"1E+3", "1", -3, "1E+3"},
		{"1e-1", "1", 1, "0.1"},
		{"04.90E-324", "490", 326, "4.90E-324"},
		{"0.000001", "1", 6, "0.000001"},
		{"0.0000001", "1", 7, "1E-7"},
		{"-123.456e2", "-123456", 1, "-12345.6"},
		{".5", "5", 1, "0.5"},
		{"123456789012345678901234567890", "123456789012345678901234567890", 0, "123456789012345678901234567890"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, err := ParseDecimal(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if d.Unscaled.String() != tt.unscaled || d.Scale != tt.scale {
				t.Errorf("ParseDecimal(%q) = (%s, %d), want (%s, %d)", tt.in, d.Unscaled, d.Scale, tt.unscaled, tt.scale)
			}
			if s := d.String(); s != tt.str {
				t.Errorf("String() = %q, want %q", s, tt.str)
			}
		})
	}
	for _, bad := range []string{"", "-", "1.2.3", "1e", "abc", "1e1.5", "0x10"} {
		if _, err := ParseDecimal(bad); err == nil {
			t.Errorf("ParseDecimal(%q) succeeded", bad)
		}
	}
}

func TestDecimalEquality(t *testing.T) {
	if MustParseDecimal("1.50").Equal(MustParseDecimal("1.5")) {
		t.Error("1.50 Equal 1.5")
	}
	if MustParseDecimal("1.50").Cmp(MustParseDecimal("1.5")) != 0 {
		t.Error("1.50 Cmp 1.5 != 0")
	}
	if !MustParseDecimal("1.0E20").Equal(MustParseDecimal("10E19")) {
		t.Error("1.0E20 not Equal 10E19 (same unscaled and scale)")
	}
	if (Decimal{}).String() != "0" || !(Decimal{}).Equal(dec(0, 0)) {
		t.Error("zero Decimal")
	}
}

func TestDoubleDecimal(t *testing.T) {
	point1 := 0.1
	tests := []struct {
		f    float64
		want string // Java Double.toString
	}{
		{2, "2.0"}, {1.5, "1.5"}, {0, "0.0"}, {100, "100.0"}, {0.001, "0.001"},
		{1e7, "1.0E+7"}, {1e20, "1.0E+20"}, {1e-5, "0.000010"}, {-2.5e-4, "-0.00025"},
		{123456.789, "123456.789"}, {point1 + 0.2, "0.30000000000000004"},
	}
	// BigDecimal renders "1.0E-5" (unscaled 10, scale 6) as 0.000010; the unscaled
	// value and scale are what matter.
	for _, tt := range tests {
		d, ok := doubleDecimal(tt.f)
		if !ok || d.String() != tt.want {
			t.Errorf("doubleDecimal(%v) = %s, want %s", tt.f, d, tt.want)
		}
	}
	if d, _ := doubleDecimal(1e-5); !d.Equal(MustParseDecimal("1.0E-5")) {
		t.Errorf("doubleDecimal(1e-5) = %v, want 1.0E-5", d)
	}
	if _, ok := doubleDecimal(math.NaN()); ok {
		t.Error("NaN converted")
	}
}

func TestParseJSONExact(t *testing.T) {
	got, err := ParseJSONExact([]byte(`{"i": 1, "neg": -7, "d": 1.50, "e": 1.0E20, "big": 9223372036854775808,
		"s": "x", "b": true, "n": null, "a": [2, 2.0]}`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"i": int64(1), "neg": int64(-7), "d": dec(150, 2), "e": dec(10, -19),
		"big": Decimal{Unscaled: new(big.Int).Lsh(big.NewInt(1), 63)},
		"s":   "x", "b": true, "n": nil, "a": []any{int64(2), dec(20, 1)},
	}
	m := got.(map[string]any)
	for k, w := range want {
		g := m[k]
		if wd, ok := w.(Decimal); ok {
			gd, ok := g.(Decimal)
			if !ok || !gd.Equal(wd) {
				t.Errorf("%s = %#v, want decimal %s", k, g, wd)
			}
			continue
		}
		if k == "a" {
			ga := g.([]any)
			if ga[0] != int64(2) || !ga[1].(Decimal).Equal(dec(20, 1)) {
				t.Errorf("a = %v", ga)
			}
			continue
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s = %#v, want %#v", k, g, w)
		}
	}
	if _, err := ParseJSONExact([]byte(`1 2`)); err == nil {
		t.Error("trailing data accepted")
	}
}
