package format

import (
	"math"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

func TestParseJavaDouble(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"1.5", 1.5, true},
		{" 1.5\t", 1.5, true},
		{"+1", 1, true},
		{"-0", math.Copysign(0, -1), true},
		{"1.", 1, true},
		{".5", 0.5, true},
		{"1e3", 1000, true},
		{"1.e3", 1000, true},
		{"1E-3", 0.001, true},
		{"2d", 2, true},
		{"2.5F", 2.5, true},
		{"NaN", math.NaN(), true},
		{"-Infinity", math.Inf(-1), true},
		{"+Infinity", math.Inf(1), true},
		{"1e400", math.Inf(1), true},
		{"1e-400", 0, true},
		{"0x1p3", 8, true},
		{"0X1.8P1", 3, true},
		{"", 0, false},
		{".", 0, false},
		{"e3", 0, false},
		{"1e", 0, false},
		{"1_000", 0, false},
		{"inf", 0, false},
		{"nan", 0, false},
		{"Infinityd", 0, false},
		{"0x1", 0, false},
		{"1.5x", 0, false},
		{"--1", 0, false},
		{"10.0 - not a number", 0, false},
	} {
		got, ok := parseJavaDouble(tc.in)
		if ok != tc.ok || ok && !(got == tc.want && math.Signbit(got) == math.Signbit(tc.want) || math.IsNaN(got) && math.IsNaN(tc.want)) {
			t.Errorf("parseJavaDouble(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseJavaDecimal(t *testing.T) {
	for _, tc := range []struct {
		in    string
		want  string // Decimal.String
		scale int
		ok    bool
	}{
		{"1.50", "1.50", 2, true},
		{"-0.05", "-0.05", 2, true},
		{"+3", "3", 0, true},
		{".12", "0.12", 2, true},
		{"12.", "12", 0, true},
		{"1E3", "1000", -3, true},
		{"1.5e-3", "0.0015", 4, true},
		{"123456789012345678901234567890", "123456789012345678901234567890", 0, true},
		{"", "", 0, false},
		{"-", "", 0, false},
		{".", "", 0, false},
		{"1e", "", 0, false},
		{"1 ", "", 0, false},
		{"+-1", "", 0, false},
		{"1e9999999999", "", 0, false},
		{"0x10", "", 0, false},
	} {
		got, ok := parseJavaDecimal(tc.in)
		if ok != tc.ok || ok && (got.String() != tc.want || got.Scale != tc.scale) {
			t.Errorf("parseJavaDecimal(%q) = %s (scale %d), %v; want %s (scale %d), %v", tc.in, got, got.Scale, ok, tc.want, tc.scale, tc.ok)
		}
	}
}

func TestJavaDecimalString(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"1.50", "1.50"},
		{"100", "100"},
		{"1e5", "1E+5"},
		{"1.0e5", "1.0E+5"},
		{"-1.25e5", "-1.25E+5"},
		{"0.000001", "0.000001"},
		{"0.0000001", "1E-7"},
		{"0.00000012", "1.2E-7"},
		{"0E-8", "0E-8"},
		{"0.000000", "0.000000"},
		{"1.0e1", "10"},
		{"1e0", "1"},
	} {
		d, ok := parseJavaDecimal(tc.in)
		if !ok {
			t.Fatalf("parseJavaDecimal(%q) failed", tc.in)
		}
		if got := javaDecimalString(d); got != tc.want {
			t.Errorf("javaDecimalString(%s) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTruncLow64(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{
		{"-1.7", -1},
		{"1.9999", 1},
		{"12e1", 120},
		{"9223372036854775807", math.MaxInt64},
		{"9223372036854775808", math.MinInt64},
		{"18446744073709551617", 1},
		{"-18446744073709551617", -1},
		{"1e64", 0},
		{"1e-5000", 0},
		{"0", 0},
	} {
		d, ok := parseJavaDecimal(tc.in)
		if !ok {
			t.Fatalf("parseJavaDecimal(%q) failed", tc.in)
		}
		if got := truncLow64(d); got != tc.want {
			t.Errorf("truncLow64(%s) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestFitDecimal(t *testing.T) {
	for _, tc := range []struct {
		in   string
		p, s int
		want string
		ok   bool
	}{
		{"1.5", 4, 2, "1.50", true},
		{"99.99", 4, 2, "99.99", true},
		{"99.994", 4, 2, "99.99", true},
		{"-99.99", 4, 2, "-99.99", true},
		{"100", 4, 2, "", false},
		{"-100", 4, 2, "", false},
		{"0.5", 2, 2, "0.50", true},
		{"1", 2, 2, "", false},
		{"0", 2, 2, "0.00", true},
		{"1e-1000000", 4, 2, "0.00", true},
		{"5e-3", 4, 2, "0.01", true},
		{"-5e-3", 4, 2, "-0.01", true},
		{"1e2", 5, 2, "100.00", true},
		{"1e1000000", 5, 2, "", false},
	} {
		d, ok := parseJavaDecimal(tc.in)
		if !ok {
			t.Fatalf("parseJavaDecimal(%q) failed", tc.in)
		}
		got, err := fitDecimal(d, tc.p, tc.s)
		if (err == nil) != tc.ok || err == nil && (got.String() != tc.want || got.Scale != tc.s) {
			t.Errorf("fitDecimal(%s, %d, %d) = %s, %v; want %s, ok %v", tc.in, tc.p, tc.s, got, err, tc.want, tc.ok)
		}
	}
	if _, err := fitDecimal(types.NewDecimal(12345, 0), 4, 2); err == nil ||
		err.Error() != "Numeric field overflow: A field with precision 4 and scale 2 must round to an absolute value less than 10^2. Got 12345" {
		t.Errorf("fitDecimal overflow message: %v", err)
	}
}
